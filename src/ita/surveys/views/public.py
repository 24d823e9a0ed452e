"""The respondent's pages: the form behind a public link, and the thank-you page. No login.

Small pages (no JavaScript, no web font, gzip), one POST per response. What the POST does, in
order: rate limit per client address (counted in the cache), the form cookie, the bot trap,
the answers, the one-time code, then one INSERT (see :mod:`ita.surveys.intake`).
"""

from __future__ import annotations

import datetime as dt
import secrets
import time
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.utils import timezone
from django.views.csrf import csrf_failure as django_csrf_failure
from django.views.decorators.gzip import gzip_page

from ita.surveys import intake
from ita.surveys.intake import LinkInfo, Outcome
from ita.surveys.questionnaire import Field, Question, Questionnaire

HONEYPOT = "website"  # a field people never see; robots fill it in


@dataclass(frozen=True)
class FieldView:
    field: Field
    selected: str | None
    missing: bool


@dataclass(frozen=True)
class QuestionView:
    question: Question
    fields: list[FieldView]

    @property
    def missing(self) -> bool:
        return any(f.missing for f in self.fields)


def _questions(
    form: Questionnaire, data: Mapping[str, str], missing: set[int]
) -> list[tuple[Any, list[QuestionView]]]:
    sections = []
    for section in form.sections:
        views = [
            QuestionView(
                q,
                [FieldView(f, data.get(f.name), f.column in missing) for f in q.fields],
            )
            for q in section.questions
        ]
        sections.append((section, views))
    return sections


def _questionnaire(info: LinkInfo) -> Questionnaire:
    if info.questionnaire is None:  # the views show the "changed" page before getting here
        raise Http404("the survey's questions changed")
    return info.questionnaire


def _closed(request: HttpRequest, info: LinkInfo | None, state: str) -> HttpResponse:
    status = {"unknown": 404, "scheduled": 200}.get(state, 410)
    context = {"info": info, "state": state}
    response = render(request, "surveys/closed.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _form(
    request: HttpRequest,
    info: LinkInfo,
    *,
    data: Mapping[str, str] | None = None,
    missing: set[int] | None = None,
    problem: str = "",
    code_problem: str = "",
    key: str | None = None,
    status: int = 200,
) -> HttpResponse:
    form = _questionnaire(info)
    data = data or {}
    missing = missing or set()
    sections = _questions(form, data, missing)
    unanswered = [q for _s, qs in sections for q in qs if q.missing]
    context = {
        "info": info,
        "form": form,
        "sections": sections,
        "section_count": len(sections),
        "unanswered": unanswered,
        "problem": problem,
        "code_problem": code_problem,
        "code": data.get("code", ""),
        "key": key or secrets.token_urlsafe(16),
        "honeypot": HONEYPOT,
        "answered_before": str(info.campaign_id) in intake.answered_here(request),
    }
    response = render(request, "surveys/respond.html", context, status=status)
    response["Cache-Control"] = "no-store"
    now = time.time()
    age = intake.form_age(request, now)
    if age is None or age > settings.SURVEYS_FORM_MAX_AGE:
        response.set_cookie(
            intake.FORM_COOKIE,
            intake.form_cookie(now),
            max_age=settings.SURVEYS_FORM_MAX_AGE,
            path=intake.COOKIE_PATH,
            secure=request.is_secure(),
            httponly=True,
            samesite="Lax",
        )
    return response


@gzip_page
def respond(request: HttpRequest, slug: str) -> HttpResponse:
    info = intake.link_info(slug)
    today = timezone.localdate()
    if info is None:
        return _closed(request, None, "unknown")
    state = info.state(today)
    if state != "open" or info.questionnaire is None:
        return _closed(request, info, state if info.questionnaire else "changed")
    if request.method == "POST":
        return _submit(request, info, today)
    return _form(request, info)


def _submit(request: HttpRequest, info: LinkInfo, today: dt.date) -> HttpResponse:
    post = request.POST
    now = time.time()
    address = intake.client_address(request)
    if not intake.take("post", info.campaign_id, address, settings.SURVEYS_RATE_LIMIT):
        return _form(request, info, data=post, problem="rate", status=429)
    age = intake.form_age(request, now)
    if age is None or age > settings.SURVEYS_FORM_MAX_AGE:
        return _form(request, info, data=post, problem="cookie", status=400)
    if post.get(HONEYPOT):
        # Answer a robot as if all went well; store nothing.
        return HttpResponseRedirect(info.thanks_url, status=303)
    if age < settings.SURVEYS_MIN_SECONDS:
        return _form(request, info, data=post, problem="fast", status=400)
    form = _questionnaire(info)
    answers, missing = form.parse(post)
    key = post.get("k", "")
    if not intake.KEY_PATTERN.match(key):
        return _form(request, info, data=post, problem="expired", status=400)
    code: str | None = None
    code_problem = ""
    if info.requires_code:
        code = intake.normalize_code(post.get("code", ""))
        if intake.exhausted("code", info.campaign_id, address, settings.SURVEYS_CODE_ATTEMPTS):
            return _form(request, info, data=post, key=key, problem="codes", status=429)
        code_problem = "" if code else "missing"
    if missing or code_problem:
        return _form(
            request,
            info,
            data=post,
            missing=set(missing),
            code_problem=code_problem,
            key=key,
            problem="answers" if missing else "",
            status=400,
        )
    outcome = intake.store_by_link(info, answers, key, today, code)
    if outcome is Outcome.BAD_CODE:
        intake.take("code", info.campaign_id, address, settings.SURVEYS_CODE_ATTEMPTS)
        return _form(request, info, data=post, key=key, code_problem="bad", status=400)
    if outcome is Outcome.NOT_ACCEPTING:
        fresh = intake.link_info(info.slug, fresh=True)
        if fresh is not None and fresh.state(today) == "open" and fresh.questionnaire:
            # The campaign changed under the form (a code is now required, or no longer).
            return _form(request, fresh, data=post, key=key, problem="changed", status=409)
        return _closed(request, fresh, fresh.state(today) if fresh else "unknown")
    response = HttpResponseRedirect(info.thanks_url, status=303)
    done = intake.answered_here(request) | {str(info.campaign_id)}
    response.set_cookie(
        intake.DONE_COOKIE,
        ".".join(sorted(d for d in done if d.isdecimal())),
        max_age=365 * 24 * 60 * 60,
        path=intake.COOKIE_PATH,
        secure=request.is_secure(),
        httponly=True,
        samesite="Lax",
    )
    return response


def thanks(request: HttpRequest, slug: str) -> HttpResponse:
    info = intake.link_info(slug)
    response = render(request, "surveys/thanks.html", {"info": info})
    response["Cache-Control"] = "no-store"
    return response


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Refuse a form without its security token politely on the public pages (Django's own
    page elsewhere). Nothing is stored either way."""
    if not request.path.startswith(intake.COOKIE_PATH):
        return django_csrf_failure(request, reason)
    response = render(request, "surveys/closed.html", {"state": "token"}, status=403)
    response["Cache-Control"] = "no-store"
    return response
