"""Results of a survey: the engine's own numbers, released in groups, small groups hidden."""

from __future__ import annotations

import csv
import io
import random
import secrets
import subprocess
from decimal import Decimal
from pathlib import Path

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ita.assessments.services import save_results
from ita.scoring.engine import score_answers
from ita.surveys import documents, exports, intake, services
from ita.surveys.models import Campaign, Channel, Response
from ita.surveys.results import campaign_results, hidden_groups, questionnaire_of
from tests.conftest import S1_INDICATORS
from tests.surveys_support import Respondent, Surveys, answers_for, surveys

__all__ = ["surveys"]


def _store(campaign: Campaign, rows: list[bytes], channel: int = Channel.ONLINE) -> None:
    """Store answers as the intake path does (one row per form)."""
    from django.utils import timezone

    for answers in rows:
        outcome = intake.store_for_campaign(
            campaign.pk, answers, channel, secrets.token_urlsafe(16), timezone.localdate()
        )
        assert outcome is intake.Outcome.STORED


def _random_rows(campaign: Campaign, n: int, seed: int) -> list[bytes]:
    rng = random.Random(seed)  # noqa: S311 - reproducible test answers
    limits = questionnaire_of(campaign).limits
    return [bytes(rng.randrange(limit) for limit in limits) for _ in range(n)]


@pytest.mark.parametrize(
    ("sizes", "hidden"),
    [
        ({"a": 20, "b": 9}, set()),
        ({"a": 20, "b": 3}, {"a", "b"}),  # b alone would be total minus a
        ({"a": 20, "b": 3, "c": 2}, {"b", "c"}),  # b and c together reach 5
        ({"a": 20, "b": 3, "c": 1, "d": 8}, {"b", "c", "d"}),
        ({"a": 20, "b": 0}, set()),  # an empty group has nothing to hide
        ({"a": 4}, {"a"}),
    ],
)
def test_hidden_groups_never_let_a_small_group_be_worked_out_by_subtraction(
    sizes: dict[str, int], hidden: set[str]
) -> None:
    assert hidden_groups(sizes, 5) == hidden


def test_results_equal_the_engines_reference_path_on_the_same_answers(surveys: Surveys) -> None:
    staff = surveys.staff
    rows = _random_rows(staff, 23, seed=2568)
    _store(staff, rows)
    results = campaign_results(staff)
    form = questionnaire_of(staff)
    reference = score_answers(staff.spec, {staff.tool: [form.decode(r) for r in rows]})
    assert results.overall.result is not None
    assert results.overall.result.items == reference.items
    assert results.overall.result.findings == reference.findings
    assert results.overall.result.indicators == reference.indicators
    assert results.tool_score == reference.tools[staff.tool]
    assert results.overall.result.basis == "answers"  # an estimate, labelled so
    assert [i.code for i in results.items] == list(staff.tool_spec.items)


def test_results_stay_hidden_until_the_smallest_group_has_answered(surveys: Surveys) -> None:
    users = surveys.users
    _store(users, _random_rows(users, 4, seed=1))
    results = campaign_results(users)
    assert (results.received, results.released, results.shown) == (4, 0, False)
    assert results.items == [] and results.tool_score is None
    _store(users, _random_rows(users, 1, seed=2))
    assert campaign_results(users).shown


def test_results_take_in_new_answers_only_five_or_more_at_a_time(surveys: Surveys) -> None:
    users = surveys.users
    _store(users, _random_rows(users, 7, seed=3))
    first = campaign_results(users)
    assert (first.released, first.waiting) == (7, 0)
    _store(users, _random_rows(users, 4, seed=4))
    waiting = campaign_results(users)
    assert (waiting.released, waiting.waiting) == (7, 4)
    assert waiting.tool_score == first.tool_score  # one more person changes nothing visible
    _store(users, _random_rows(users, 1, seed=5))
    moved = campaign_results(users)
    assert (moved.released, moved.waiting) == (12, 0)


def test_a_closed_survey_releases_what_is_left(surveys: Surveys) -> None:
    import datetime as dt

    from django.utils import timezone

    users = surveys.users
    _store(users, _random_rows(users, 8, seed=6))
    campaign_results(users)
    _store(users, _random_rows(users, 2, seed=7))
    users.closes_on = timezone.localdate() - dt.timedelta(days=1)
    users.save()
    assert campaign_results(users).released == 10


def test_a_channel_breakdown_hides_a_small_channel_and_the_one_that_would_reveal_it(
    surveys: Surveys,
) -> None:
    users = surveys.users
    _store(users, _random_rows(users, 9, seed=8), Channel.ONLINE)
    _store(users, _random_rows(users, 6, seed=9), Channel.TELEPHONE)
    _store(users, _random_rows(users, 2, seed=10), Channel.IN_PERSON)
    groups = {g.key: g for g in campaign_results(users).channels}
    assert groups[str(Channel.IN_PERSON.value)].hidden
    assert groups[str(Channel.TELEPHONE.value)].hidden  # 17 − 9 − 6 would give the 2 away
    assert not groups[str(Channel.ONLINE.value)].hidden
    assert groups[str(Channel.IN_PERSON.value)].result is None


def test_the_minimum_sample_follows_the_years_rule(surveys: Surveys) -> None:
    staff, users = surveys.staff, surveys.users
    staff_rule, users_rule = staff.sampling_rule, users.sampling_rule
    assert staff_rule is not None and users_rule is not None
    assert staff.minimum_sample() == staff_rule.minimum_for(40)
    assert users.minimum_sample() == users_rule.minimum_for(1200)
    _store(users, _random_rows(users, 6, seed=11))
    needed = campaign_results(users).still_needed
    assert needed == users_rule.minimum_for(1200) - 6


def test_the_export_refuses_fewer_responses_than_the_smallest_group(surveys: Surveys) -> None:
    world, users = surveys.world, surveys.users
    _store(users, _random_rows(users, 4, seed=12))
    url = reverse("survey-export", args=[world.a.pk, world.year, users.tool, "csv"])
    response = world.client("bob").get(url)
    assert response.status_code == 302
    with pytest.raises(exports.TooFewResponses):
        exports.table(users)


def test_the_export_has_no_id_no_date_and_blanks_small_channels(surveys: Surveys) -> None:
    world, users = surveys.world, surveys.users
    rows = _random_rows(users, 10, seed=13)
    _store(users, rows, Channel.ONLINE)
    _store(users, _random_rows(users, 2, seed=14), Channel.TELEPHONE)
    url = reverse("survey-export", args=[world.a.pk, world.year, users.tool, "csv"])
    response = world.client("bob").get(url)
    assert response.status_code == 200
    table = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    header, body = table[0], table[1:]
    form = questionnaire_of(users)
    assert len(header) == form.columns + 1 and len(body) == 12
    assert not any(h.lower() in {"id", "date", "submitted_on", "no."} for h in header)
    assert {row[-1] for row in body} == {exports.HIDDEN}  # 2 by telephone: both groups hidden
    labels = [[o.label for o in f.options] for f in form.fields()]
    exported = {bytes(labels[c].index(cell) for c, cell in enumerate(r[:-1])) for r in body}
    assert exported >= set(rows)


def test_the_xlsx_export_opens_with_thai_labels(surveys: Surveys) -> None:
    world, users = surveys.world, surveys.users
    _store(users, _random_rows(users, 6, seed=15))
    url = reverse("survey-export", args=[world.a.pk, world.year, users.tool, "xlsx"])
    response = world.client("alice").get(url)
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    cells = [c.value for c in sheet[2]]
    options = {o.label for f in questionnaire_of(users).fields() for o in f.options}
    assert set(cells[:-1]) <= options and sheet.max_row == 7


def test_viewers_and_supervisors_read_results_but_only_editors_export_or_manage(
    surveys: Surveys,
) -> None:
    world, users = surveys.world, surveys.users
    _store(users, _random_rows(users, 6, seed=16))
    results = reverse("survey-results", args=[world.a.pk, world.year, users.tool])
    export = reverse("survey-export", args=[world.a.pk, world.year, users.tool, "csv"])
    link = reverse("survey-link", args=[world.a.pk, world.year, users.tool])
    assert world.client("carol").get(results).status_code == 200
    assert world.client("carol").get(export).status_code == 403
    assert world.client("carol").post(link, {"action": "revoke"}).status_code == 403
    assert services.active_link(users) is not None
    assert world.client("bob").post(link, {"action": "revoke"}).status_code == 302
    assert services.active_link(users) is None


def test_the_dashboard_shows_the_estimate_next_to_the_official_results(surveys: Surveys) -> None:
    world, staff, users = surveys.world, surveys.staff, surveys.users
    save_results(
        world.assessment_a,
        world.users["bob"],
        indicators={n: Decimal(str(v)) for n, v in S1_INDICATORS.items()},
    )
    _store(staff, _random_rows(staff, 6, seed=17))
    _store(users, _random_rows(users, 6, seed=18))
    page = world.client("carol").get(reverse("dashboard", args=[world.a.pk, world.year]))
    html = page.content.decode()
    estimate = campaign_results(staff).tool_score
    assert estimate is not None and f"{estimate:.2f}" in html
    assert "self-assessment" in html.lower() or "survey-estimate" in html
    assert "survey-" + staff.tool in html and "survey-" + users.tool in html


def test_the_qr_code_encodes_the_public_link_shown_on_the_page(surveys: Surveys) -> None:
    world, users = surveys.world, surveys.users
    client = world.client("carol")
    page = client.get(reverse("survey", args=[world.a.pk, world.year, users.tool]))
    url = "http://testserver" + reverse("survey-form", args=[surveys.slug(users)])
    assert url in page.content.decode()
    svg = client.get(reverse("survey-qr", args=[world.a.pk, world.year, users.tool, "svg"]))
    png = client.get(reverse("survey-qr", args=[world.a.pk, world.year, users.tool, "png"]))
    assert svg.content == documents.qr_svg(url)
    assert png["Content-Type"] == "image/png" and png.content == documents.qr_png(url)


def _pdf_text(pdf: bytes, tmp_path: Path) -> tuple[str, str]:
    path = tmp_path / "out.pdf"
    path.write_bytes(pdf)
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    fonts = subprocess.run(["pdffonts", str(path)], capture_output=True, text=True).stdout
    return text, fonts


def test_the_poster_is_an_a4_pdf_in_thai_with_the_bundled_font(
    surveys: Surveys, tmp_path: Path
) -> None:
    world, users = surveys.world, surveys.users
    response = world.client("carol").get(
        reverse("survey-poster", args=[world.a.pk, world.year, users.tool])
    )
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text, fonts = _pdf_text(response.content, tmp_path)
    # pdftotext reads sara am (ำ) back as sara aa (STACK-NOTES §2); the PDF itself is right.
    assert world.a.name_th.replace("ำ", "า") in text and surveys.slug(users) in text
    assert "Sarabun" in fonts and "Laksaman" not in fonts


def test_codes_are_shown_once_printed_as_slips_and_stored_only_as_keyed_hashes(
    surveys: Surveys, tmp_path: Path
) -> None:
    world, staff = surveys.world, surveys.staff
    staff.requires_code = True
    staff.save()
    client = world.client("bob")
    page = client.post(
        reverse("survey-codes", args=[world.a.pk, world.year, staff.tool]), {"count": "3"}
    )
    codes = [c.split("</code>")[0] for c in page.content.decode().split("<code>")[1:]]
    assert len(codes) == 3 and services.code_counts(staff).issued == 3
    stored = set(staff.token_batches.get().tokens.values_list("digest", flat=True))
    assert stored == {services.code_digest(staff.pk, c) for c in codes}
    assert not any(services.normalize_code(c) in d for c in codes for d in stored)
    slips = client.post(
        reverse("survey-slips", args=[world.a.pk, world.year, staff.tool]),
        {"codes": " ".join([*codes, "FAKEC-ODE99"])},
    )
    text, fonts = _pdf_text(slips.content, tmp_path)
    assert all(c in text for c in codes) and "FAKEC" not in text
    assert "Sarabun" in fonts
    # A used code is no longer printable.
    Respondent().send(surveys.slug(staff), answers_for(staff), code=codes[0])
    assert services.genuine_codes(staff, codes) == codes[1:]


def test_a_new_campaign_is_bound_to_the_years_framework_and_gets_a_link(surveys: Surveys) -> None:
    world = surveys.world
    Campaign.objects.all().delete()
    client = world.client("bob")
    url = reverse("surveys", args=[world.a.pk, world.year])
    tool = surveys.users.tool
    response = client.post(
        url,
        {
            "tool": tool,
            "opens_on": "2025-01-01",
            "closes_on": "2025-01-31",
            "population": "300",
            "min_group_size": "5",
        },
    )
    assert response.status_code == 302
    campaign = Campaign.objects.get()
    assert campaign.tool == tool and campaign.layout_matches()
    assert services.active_link(campaign) is not None
    assert Response.objects.count() == 0
    refused = client.post(
        url,
        {
            "tool": surveys.staff.tool,
            "opens_on": "2025-02-01",
            "closes_on": "2025-01-01",
            "min_group_size": "2",
        },
    )
    assert refused.status_code == 200 and Campaign.objects.count() == 1
    assert world.client("carol").post(url, {"tool": surveys.staff.tool}).status_code == 403
