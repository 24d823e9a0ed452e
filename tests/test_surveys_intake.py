"""The public form: answering without an account, once, only while open, and defended against abuse."""

from __future__ import annotations

import datetime as dt
from typing import Any
from urllib.parse import urlencode

from django.http import QueryDict
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from hypothesis import given
from hypothesis import strategies as st

from ita.surveys import services
from ita.surveys.middleware import parse_form
from ita.surveys.models import Channel, InterviewTally, Response, Token
from ita.surveys.results import questionnaire_of
from tests.surveys_support import Respondent, Surveys, answers_for, surveys

__all__ = ["surveys"]


def test_a_respondent_answers_through_the_public_link_without_an_account(
    surveys: Surveys,
) -> None:
    slug = surveys.slug(surveys.staff)
    sent = Respondent().send(slug, answers_for(surveys.staff, 3))
    assert sent.status == 303 and sent.location == reverse("survey-thanks", args=[slug])
    row = Response.objects.get()
    assert row.campaign == surveys.staff
    assert bytes(row.answers) == bytes(answers_for(surveys.staff, 3))
    assert row.channel == Channel.ONLINE and row.submitted_on == timezone.localdate()
    thanks = Client().get(sent.location)
    assert thanks.status_code == 200 and "ขอบคุณ" in thanks.content.decode()  # Thai by default


def test_the_form_asks_every_question_and_sub_question_of_the_framework(surveys: Surveys) -> None:
    status, body, key = Respondent().open(surveys.slug(surveys.staff))
    assert status == 200 and len(key) >= 16
    fw = surveys.staff.schema
    tool = next(t for t in fw.tools if t.code == surveys.staff.tool)
    for indicator in tool.indicators:
        for item in indicator.items:
            assert item.text_th and escape(item.text_th) in body
            for sub in item.subquestions:
                assert escape(sub.text_th) in body
            if item.remark_th:
                assert escape(item.remark_th) in body
    form = questionnaire_of(surveys.staff)
    assert body.count('type="radio"') == sum(form.limits)
    assert len(form.limits) == len(surveys.staff.spec.fields(surveys.staff.tool))


def test_the_same_form_sent_twice_is_stored_once(surveys: Surveys) -> None:
    slug = surveys.slug(surveys.users)
    phone = Respondent()
    first = phone.send(slug, answers_for(surveys.users, 1))
    again = phone.send(slug, answers_for(surveys.users, 2), key=first.key, open_first=False)
    assert first.status == again.status == 303
    assert Response.objects.count() == 1
    assert bytes(Response.objects.get().answers) == bytes(answers_for(surveys.users, 1))
    # A new form (a new key) is a new response.
    assert phone.send(slug, answers_for(surveys.users, 2)).status == 303
    assert Response.objects.count() == 2


def test_a_one_time_code_works_once(surveys: Surveys) -> None:
    staff = surveys.staff
    staff.requires_code = True
    staff.save()
    services.update_campaign(staff, surveys.world.users["bob"], {})
    (code,) = services.issue_codes(staff, 1, surveys.world.users["bob"])
    slug = surveys.slug(staff)
    assert Respondent().send(slug, answers_for(staff, 2), code=code.lower()).status == 303
    again = Respondent("198.51.100.9").send(slug, answers_for(staff, 1), code=code)
    assert again.status == 400 and "already been used" in again.content
    assert Response.objects.count() == 1
    assert Token.objects.filter(batch__campaign=staff).count() == 0
    assert services.code_counts(staff).used == 1


def test_a_wrong_or_missing_code_stores_nothing_and_keeps_the_answers(surveys: Surveys) -> None:
    staff = surveys.staff
    staff.requires_code = True
    staff.save()
    services.update_campaign(staff, surveys.world.users["bob"], {})
    services.issue_codes(staff, 3, surveys.world.users["bob"])
    slug = surveys.slug(staff)
    wrong = Respondent().send(slug, answers_for(staff, 2), code="ABCDE-FGHJK")
    assert wrong.status == 400 and "not valid" in wrong.content
    assert wrong.content.count(" checked>") == len(answers_for(staff))
    missing = Respondent().send(slug, answers_for(staff, 2))
    assert missing.status == 400 and "type the code" in missing.content
    assert Response.objects.count() == 0 and Token.objects.count() == 3


def test_wrong_codes_are_limited_per_address(surveys: Surveys, settings: Any) -> None:
    settings.SURVEYS_CODE_ATTEMPTS = (2, 60)
    staff = surveys.staff
    staff.requires_code = True
    staff.save()
    services.update_campaign(staff, surveys.world.users["bob"], {})
    (code,) = services.issue_codes(staff, 1, surveys.world.users["bob"])
    phone = Respondent("192.0.2.50")
    for _attempt in range(2):
        assert phone.send(surveys.slug(staff), answers_for(staff), code="WRONG").status == 400
    blocked = phone.send(surveys.slug(staff), answers_for(staff), code=code)
    assert blocked.status == 429 and Response.objects.count() == 0
    assert (
        Respondent("192.0.2.51").send(surveys.slug(staff), answers_for(staff), code=code).status
        == 303
    )


def test_a_closed_survey_refuses_politely_and_stores_nothing(surveys: Surveys) -> None:
    users = surveys.users
    slug = surveys.slug(users)
    phone = Respondent()
    _status, _body, key = phone.open(slug)
    users.closes_on = timezone.localdate() - dt.timedelta(days=1)
    users.save()
    services.update_campaign(users, surveys.world.users["bob"], {})
    sent = phone.send(slug, answers_for(users), key=key, open_first=False)
    assert (
        sent.status == 410
        and "has closed" in sent.content
        and "Nothing was recorded" in sent.content
    )
    assert phone.open(slug)[0] == 410
    assert Response.objects.count() == 0


def test_a_survey_not_open_yet_says_when_it_opens(surveys: Surveys) -> None:
    users = surveys.users
    users.opens_on = timezone.localdate() + dt.timedelta(days=3)
    users.save()
    services.update_campaign(users, surveys.world.users["bob"], {})
    status, body, _key = Respondent().open(surveys.slug(users))
    assert status == 200 and "not open yet" in body and str(users.opens_on.day) in body
    sent = Respondent().send(surveys.slug(users), answers_for(users))
    assert sent.status == 403 and "open the form again" in sent.content
    assert Response.objects.count() == 0


def test_a_revoked_link_refuses_politely_and_its_replacement_works(surveys: Surveys) -> None:
    users = surveys.users
    old = surveys.slug(users)
    phone = Respondent()
    _status, _body, key = phone.open(old)
    new = services.replace_link(users, surveys.world.users["bob"]).slug
    sent = phone.send(old, answers_for(users), key=key, open_first=False)
    assert sent.status == 410 and "no longer in use" in sent.content
    assert Response.objects.count() == 0
    assert Respondent().send(new, answers_for(users)).status == 303
    services.revoke_link(users, surveys.world.users["bob"])
    assert Respondent().open(new)[0] == 410
    assert services.active_link(users) is None


def test_an_unknown_link_is_a_polite_not_found(surveys: Surveys) -> None:
    status, body, _key = Respondent().open("no-such-survey-link")
    assert status == 404 and "no survey at this address" in body


def test_missing_answers_are_listed_and_the_given_ones_kept(surveys: Surveys) -> None:
    users = surveys.users
    answers = answers_for(users, 2)
    partial = {f"a{i}": str(v) for i, v in enumerate(answers) if i not in (0, 4)}
    sent = Respondent().send(surveys.slug(users), None, extra=partial)
    assert sent.status == 400 and "2 questions still have no answer" in sent.content
    assert sent.content.count(" checked>") == len(answers) - 2
    assert 'href="#q-' in sent.content and Response.objects.count() == 0


def test_an_answer_that_is_not_an_option_is_refused(surveys: Surveys) -> None:
    users = surveys.users
    answers = answers_for(users, 0)
    answers[1] = 9
    assert Respondent().send(surveys.slug(users), answers).status == 400
    assert Response.objects.count() == 0


def test_an_answer_written_as_a_superscript_digit_is_refused_not_a_crash(surveys: Surveys) -> None:
    # "²".isdigit() is true but int("²") fails: the form must answer 400, never 500.
    users = surveys.users
    answers = answers_for(users, 0)
    fields = {f"a{i}": str(v) for i, v in enumerate(answers)}
    fields["a0"] = "\u00b2"
    sent = Respondent().send(surveys.slug(users), None, extra=fields)
    assert sent.status == 400 and "1 question still has no answer" in sent.content
    assert Response.objects.count() == 0


def test_a_post_without_the_form_cookie_is_refused(surveys: Surveys) -> None:
    phone = Respondent()
    slug = surveys.slug(surveys.users)
    _status, _body, key = phone.open(slug)
    phone.client.cookies.pop("ita_survey")
    sent = phone.send(slug, answers_for(surveys.users), key=key, open_first=False)
    assert sent.status == 400 and "cookie" in sent.content
    assert Response.objects.count() == 0


def test_a_forged_form_cookie_is_refused_after_a_genuine_one_of_the_same_second(
    surveys: Surveys,
) -> None:
    # Each process remembers form cookies whose signature it checked (they are the same for
    # everyone who opened a form in the same second): only the exact value is trusted.
    slug = surveys.slug(surveys.users)
    honest = Respondent()
    assert honest.send(slug, answers_for(surveys.users)).status == 303
    genuine = honest.client.cookies["ita_survey"].value
    issued, _sep, signature = genuine.rpartition(":")
    forger = Respondent("198.51.100.30")
    _status, _body, key = forger.open(slug)
    for forged in (f"{issued}:{signature[::-1]}", f"{int(issued) - 60}:{signature}"):
        forger.client.cookies["ita_survey"] = forged
        sent = forger.send(slug, answers_for(surveys.users, 1), key=key, open_first=False)
        assert sent.status == 400 and "cookie" in sent.content
    assert Response.objects.count() == 1


def test_respondent_pages_set_up_no_message_storage_and_other_pages_keep_it(
    surveys: Surveys,
) -> None:
    slug = surveys.slug(surveys.users)
    page = Client().get(reverse("survey-form", args=[slug]))
    assert page.status_code == 200 and not hasattr(page.wsgi_request, "_messages")
    home = Client().get(reverse("home"))
    assert hasattr(home.wsgi_request, "_messages")


def test_a_form_sent_too_soon_after_opening_is_refused(surveys: Surveys, settings: Any) -> None:
    settings.SURVEYS_MIN_SECONDS = 60
    sent = Respondent().send(surveys.slug(surveys.users), answers_for(surveys.users))
    assert sent.status == 400 and "very soon" in sent.content
    assert Response.objects.count() == 0


def test_the_bot_trap_answers_thanks_and_stores_nothing(surveys: Surveys) -> None:
    slug = surveys.slug(surveys.users)
    sent = Respondent().send(slug, answers_for(surveys.users), extra={"website": "http://spam"})
    assert sent.status == 303 and sent.location.endswith("/thanks/")
    assert Response.objects.count() == 0


def test_csrf_protection_stays_on_for_the_public_form(surveys: Surveys) -> None:
    phone = Respondent()
    slug = surveys.slug(surveys.users)
    phone.open(slug)
    data = {f"a{i}": str(v) for i, v in enumerate(answers_for(surveys.users))} | {"k": "k" * 22}
    assert phone.client.post(reverse("survey-form", args=[slug]), data).status_code == 403
    assert Response.objects.count() == 0


def test_the_rate_limit_refuses_an_address_after_its_allowance(
    surveys: Surveys, settings: Any
) -> None:
    settings.SURVEYS_RATE_LIMIT = (3, 60)
    slug = surveys.slug(surveys.users)
    phone = Respondent("198.51.100.20")
    statuses = [phone.send(slug, answers_for(surveys.users)).status for _ in range(4)]
    assert statuses == [303, 303, 303, 429]
    assert Response.objects.count() == 3
    assert Respondent("198.51.100.21").send(slug, answers_for(surveys.users)).status == 303


def test_behind_the_local_proxy_each_client_address_has_its_own_allowance(
    surveys: Surveys, settings: Any
) -> None:
    settings.SURVEYS_RATE_LIMIT = (1, 60)
    slug = surveys.slug(surveys.users)
    proxy = Respondent("127.0.0.1")
    sent = [
        proxy.send(slug, answers_for(surveys.users), headers={"x-forwarded-for": f"10.0.0.{n}"})
        for n in (1, 2, 1)
    ]
    assert [s.status for s in sent] == [303, 303, 429]
    # A client cannot choose its own address: only a trusted proxy's header counts.
    direct = Respondent("198.51.100.30")
    for n in (3, 4):
        direct.send(slug, answers_for(surveys.users), headers={"x-forwarded-for": f"10.0.0.{n}"})
    assert Response.objects.count() == 3


def test_a_device_that_answered_before_is_reminded_not_blocked(surveys: Surveys) -> None:
    phone = Respondent()
    slug = surveys.slug(surveys.users)
    phone.send(slug, answers_for(surveys.users))
    _status, body, _key = phone.open(slug)
    assert "already sent answers" in body
    assert phone.send(slug, answers_for(surveys.users)).status == 303


def test_an_editor_enters_an_interview_and_its_channel_is_kept(surveys: Surveys) -> None:
    world, users = surveys.world, surveys.users
    client = world.client("bob")
    url = reverse("survey-interview", args=[world.a.pk, world.year, users.tool])
    page = client.get(url)
    assert page.status_code == 200
    key = page.content.decode().split('name="k" value="')[1].split('"')[0]
    data = {f"a{i}": str(v) for i, v in enumerate(answers_for(users, 3))}
    data |= {"k": key, "channel": str(Channel.TELEPHONE.value)}
    assert client.post(url, data).status_code == 302
    assert client.post(url, data).status_code == 302  # a double click stores once
    row = Response.objects.get()
    assert row.channel == Channel.TELEPHONE
    tally = InterviewTally.objects.get()
    assert (tally.username, tally.entered, tally.channel) == ("bob", 1, Channel.TELEPHONE)


def test_interviews_are_only_for_surveys_of_service_users(surveys: Surveys) -> None:
    world = surveys.world
    url = reverse("survey-interview", args=[world.a.pk, world.year, surveys.staff.tool])
    assert world.client("bob").get(url).status_code == 404
    users_url = reverse("survey-interview", args=[world.a.pk, world.year, surveys.users.tool])
    assert world.client("carol").get(users_url).status_code == 403


@given(
    st.lists(
        st.tuples(st.text(max_size=6), st.text(max_size=8)).map(
            lambda kv: urlencode([kv]) if kv[0] or kv[1] else ""
        ),
        max_size=12,
    ),
    st.sampled_from(["", "&", "=", "a", "a=b=c", "%", "%zz=1", "+=+", "x=%E0%B8"]),
)
def test_the_fast_form_reader_reads_exactly_what_django_reads(parts: list[str], odd: str) -> None:
    body = "&".join([*parts, odd]).encode()
    fast, django = parse_form(body), QueryDict(body)
    assert dict(fast.lists()) == dict(django.lists())
    assert fast.encoding == django.encoding and not fast._mutable


def test_keyed_hashes_are_djangos_salted_hmac_with_the_key_derived_once() -> None:
    from django.utils.crypto import salted_hmac

    from ita.ratelimit import keyed_hash

    for salt, message in [("ita.surveys.code", "7:ABCDE"), ("ita.surveys.rate", "10.0.0.1")]:
        expected = salted_hmac(salt, message, algorithm="sha256").hexdigest()
        assert keyed_hash(salt, message).hexdigest() == expected


def test_an_address_that_cannot_be_a_link_is_a_polite_not_found(surveys: Surveys) -> None:
    for slug in ("short", "x" * 41, "bad.slug-name", "a\x00bcdefghij"):
        assert Client().get(f"/s/{slug}/").status_code == 404


def test_the_public_form_speaks_thai_by_default(surveys: Surveys) -> None:
    phone = Respondent(language="")
    status, body, _key = phone.open(surveys.slug(surveys.staff))
    assert status == 200 and '<html lang="th">' in body
    sent = phone.send(surveys.slug(surveys.staff), answers_for(surveys.staff))
    thanks = phone.client.get(sent.location)
    assert "ขอบคุณ" in thanks.content.decode()
