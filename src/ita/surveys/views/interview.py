"""Interviewer mode: an editor enters the answers of people interviewed by telephone or in person.

Only for surveys of service users (the framework's sampling rule says ``external``); a staff
survey never has an interviewer. The response row records the channel, not the interviewer:
the interviewer's count of entries per day and channel goes to ``InterviewTally``.
"""

from __future__ import annotations

import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Sum
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ita.agencies.access import Need
from ita.surveys import intake, services
from ita.surveys.forms import ChannelForm
from ita.surveys.models import InterviewTally
from ita.surveys.results import questionnaire_of
from ita.surveys.views import get_campaign_for_user
from ita.surveys.views.public import _questions


@login_required
def interview(request: HttpRequest, agency_id: int, year: int, tool: str) -> HttpResponse:
    access, survey = get_campaign_for_user(request.user, agency_id, year, tool, Need.EDIT)
    if not survey.allows_interviews:
        raise Http404("interviews are for surveys of service users")
    today = timezone.localdate()
    form = questionnaire_of(survey)
    channel = ChannelForm(request.POST or None)
    missing: list[int] = []
    key = request.POST.get("k", "") if request.method == "POST" else ""
    status = 200
    if request.method == "POST" and survey.state(today) == "open":
        answers, missing = form.parse(request.POST)
        if channel.is_valid() and not missing and intake.KEY_PATTERN.match(key):
            outcome = services.store_interview(
                survey, answers, channel.cleaned_data["channel"], key, request.user
            )
            if outcome is intake.Outcome.NOT_ACCEPTING:
                messages.error(request, _("The survey is not open; nothing was saved."))
            elif outcome is intake.Outcome.DUPLICATE:
                messages.info(request, _("This interview had already been saved."))
            else:
                messages.success(request, _("Saved. The form is ready for the next interview."))
            return redirect("survey-interview", agency_id=agency_id, year=year, tool=tool)
        status = 400
    entered = (
        InterviewTally.objects.filter(campaign=survey, interviewer_id=request.user.pk, day=today)
        .aggregate(n=Sum("entered"))
        .get("n")
        or 0
    )
    data = request.POST if status == 400 else {}
    sections = _questions(form, data, set(missing))
    response = render(
        request,
        "surveys/interview.html",
        {
            "access": access,
            "agency": survey.agency,
            "campaign": survey,
            "state": survey.state(today),
            "form": form,
            "sections": sections,
            "section_count": len(sections),
            "unanswered": [q for _s, qs in sections for q in qs if q.missing],
            "channel": channel,
            "key": key
            if status == 400 and intake.KEY_PATTERN.match(key)
            else secrets.token_urlsafe(16),
            "entered_today": entered,
        },
        status=status,
    )
    response["Cache-Control"] = "no-store"
    return response
