"""Proposals: issues and questions ranked for action, findings written as agencies write them."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from click.testing import CliRunner

from ita.catalog.loader import get_framework
from ita.cli import cli
from ita.measures import knowledge
from ita.measures.proposals import finding_sentence, propose
from ita.scoring.engine import OfficialScores, score_official
from ita.scoring.spec import ScoringSpec
from tests.conftest import S0_FINDINGS, S0_ITEMS

Spec = Callable[[int], ScoringSpec]

S0_CSV = "item,score,finding\n" + "".join(
    f"{code},{score:.2f},{S0_FINDINGS[code]:.2f}\n"
    if code in S0_FINDINGS
    else f"{code},{score:.2f},\n"
    for code, score in S0_ITEMS.items()
)


def s0_proposal(spec: Spec, thai_digits: bool = True, **kwargs: object):
    s = spec(2566)
    result = score_official(s, OfficialScores(items=S0_ITEMS, findings=S0_FINDINGS))
    return propose(
        get_framework(2566), s, result, findings=knowledge.findings(), knowledge=knowledge.measures(),
        thai_digits=thai_digits, **kwargs,  # type: ignore[arg-type]
    )  # fmt: skip


def test_the_lowest_question_e10_leads_its_issues_and_they_come_first(spec: Spec) -> None:
    proposal = s0_proposal(spec)
    order = [issue.number for issue in proposal.issues]
    assert order[:2] == [3, 7]  # both carry E10 (66.00); issue 3 has more questions below 85
    assert order == [3, 7, 2, 1, 5, 6, 4]
    assert proposal.issues[0].items[0].code == "E10"
    assert proposal.issues[1].items[0].code == "E10"


def test_questions_inside_an_issue_go_from_the_lowest_score(spec: Spec) -> None:
    issue_3 = s0_proposal(spec).issues[0]
    assert [i.code for i in issue_3.items] == ["E10", "E7", "E6", "E8", "E9"]


def test_findings_read_as_the_seeds_write_them(spec: Spec) -> None:
    e10 = s0_proposal(spec).issues[0].items[0]
    assert e10.finding is not None
    assert e10.finding.startswith("ประชาชนผู้รับบริการ ๓๔.๐๔% มีความเห็นว่า")
    staff = {i.code: i for issue in s0_proposal(spec).issues for i in issue.items}
    assert staff["I9"].finding is not None and staff["I9"].finding.startswith(
        "เจ้าหน้าที่ในหน่วยงาน ๖.๐๖% มีความเห็นว่า"
    )
    assert staff["I21"].finding is not None and staff["I21"].finding.startswith(
        "เจ้าหน้าที่ในหน่วยงานให้ความเห็นว่า"
    )
    assert staff["E8"].finding is None  # S0 prints no finding for E8


def test_arabic_digits_on_request(spec: Spec) -> None:
    e10 = s0_proposal(spec, thai_digits=False).issues[0].items[0]
    assert e10.finding is not None and "34.04%" in e10.finding


@pytest.mark.parametrize(
    ("percent", "expected"),
    [
        (None, None),
        (0.0, "เจ้าหน้าที่ในหน่วยงานให้ความเห็นว่าดี"),
        (4.255, "เจ้าหน้าที่ในหน่วยงาน 4.26% มีความเห็นว่าไม่ดี"),
    ],
)
def test_finding_sentence(percent: float | None, expected: str | None) -> None:
    assert finding_sentence("เจ้าหน้าที่ในหน่วยงาน", percent, "ไม่ดี", "ดี", thai_digits=False) == expected


def test_a_question_that_fell_most_since_last_year_ranks_first_among_equals(spec: Spec) -> None:
    s = spec(2566)
    now = {"E1": 80.0, "E2": 80.0}
    before = score_official(s, OfficialScores(items={"E1": 81.0, "E2": 95.0}))
    proposal = propose(
        get_framework(2566), s, score_official(s, OfficialScores(items=now)),
        findings=knowledge.findings(), knowledge=knowledge.measures(), previous=before,
    )  # fmt: skip
    issue_1 = next(i for i in proposal.issues if i.number == 1)
    assert [i.code for i in issue_1.items] == ["E2", "E1"]  # E2 fell 15 points, E1 one
    assert issue_1.items[0].drop == 15.0


def test_an_agencys_own_mapping_replaces_the_frameworks(spec: Spec) -> None:
    proposal = s0_proposal(spec, mapping={4: ["I21", "I16"], 3: ["E6"]})
    issues = {i.number: i for i in proposal.issues}
    assert [i.code for i in issues[4].items] == ["I16", "I21"]
    assert [i.code for i in issues[3].items] == ["E6"]


def test_every_issue_gets_suggested_measures(spec: Spec) -> None:
    proposal = s0_proposal(spec)
    assert all(issue.suggested for issue in proposal.issues)
    assert all(issue.why for issue in proposal.issues)


def test_the_propose_command_prints_the_contract() -> None:
    result = CliRunner().invoke(
        cli, ["measures", "propose", "--year", "2566", "--items", "-", "--json"], input=S0_CSV
    )
    assert result.exit_code == 0, result.stderr
    data = json.loads(result.stdout)
    first = data["issues"][0]
    assert [i["number"] for i in data["issues"]][:2] == [3, 7]
    assert first["title"] == "ช่องทางและรูปแบบการประชาสัมพันธ์เผยแพร่ข้อมูลข่าวสารภาครัฐ"
    assert first["items"][0]["code"] == "E10"
    assert first["items"][0]["score"] == 66.0
    assert first["items"][0]["finding"].startswith("ประชาชนผู้รับบริการ ๓๔.๐๔% มีความเห็นว่า")
    assert first["suggested_measures"] and all(
        isinstance(m, str) for m in first["suggested_measures"]
    )


def test_the_propose_command_refuses_bad_input_with_exit_2() -> None:
    bad = "item,score,finding\nE10,66.00,140\n"
    result = CliRunner().invoke(
        cli, ["measures", "propose", "--year", "2566", "--items", "-", "--json"], input=bad
    )
    assert result.exit_code == 2
    assert result.stdout == ""
    assert "row 2" in result.stderr and "outside 0–100" in result.stderr


def test_a_finding_for_an_oit_item_is_refused() -> None:
    bad = "item,score,finding\nO1,100,5\n"
    result = CliRunner().invoke(
        cli, ["measures", "propose", "--year", "2566", "--items", "-"], input=bad
    )
    assert result.exit_code == 2
    assert "O1 has no finding" in result.stderr
