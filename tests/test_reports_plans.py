"""The plan file, periods, and the measures and results documents built from them."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from ita.catalog.loader import get_framework
from ita.reports.context import Period, build_measures, build_results
from ita.reports.plans import load_plan
from ita.reports.yamlfile import DataFileError
from ita.scoring.spec import ScoringSpec
from ita.thai import format_months, format_quarters, quarter_bounds
from tests.reports_support import PLAN_EXAMPLE

SPEC_2566 = ScoringSpec.from_framework(get_framework(2566))


def cells(table: object) -> list[list[str]]:
    return [
        ["\n".join(line.text for line in cell.lines) for cell in row]
        for row in table.rows  # type: ignore[attr-defined]
    ]


@pytest.mark.parametrize(
    ("period", "thai", "text"),
    [
        (Period(quarters=(1, 4)), True, "ไตรมาส ๑-๔"),
        (Period(quarters=(2, 2)), False, "ไตรมาส 2"),
        (Period(months=(dt.date(2024, 10, 1), dt.date(2025, 9, 1))), True, "ต.ค. ๖๗ - ก.ย. ๖๘"),
        (Period(months=(dt.date(2023, 3, 1), dt.date(2023, 3, 1))), False, "มี.ค. 66"),
        (Period(text="ทุกเดือน"), True, "ทุกเดือน"),
    ],
)
def test_periods_print_as_the_seeds_print_them(period: Period, thai: bool, text: str) -> None:
    assert period.display(thai_digits=thai) == text


def test_full_month_names_with_four_digit_years() -> None:
    span = format_months(dt.date(2022, 10, 1), dt.date(2023, 9, 1), abbreviated=False)
    assert span == "ตุลาคม 2565 - กันยายน 2566"


def test_quarters_are_those_of_the_fiscal_year() -> None:
    assert quarter_bounds(2568, 1) == (dt.date(2024, 10, 1), dt.date(2024, 12, 1))
    assert quarter_bounds(2568, 4) == (dt.date(2025, 7, 1), dt.date(2025, 9, 1))
    with pytest.raises(ValueError, match="run forward"):
        format_quarters(3, 2)


def test_the_documented_example_loads_with_titles_and_wording_from_the_framework() -> None:
    plan = load_plan(PLAN_EXAMPLE, get_framework)
    assert plan.fiscal_year == 2567
    assert plan.assessment_year == 2566
    assert [i.number for i in plan.issues] == [1, 2, 3, 4, 5, 6, 7]
    first = plan.issues[0]
    assert first.title == "กระบวนการปฏิบัติงานที่โปร่งใสและมีประสิทธิภาพ"
    assert first.items[0].code == "E1"
    assert first.items[0].text == "หน่วยงานปฏิบัติหรือให้บริการแก่ท่าน เป็นไปตามขั้นตอนและระยะเวลา มากน้อยเพียงใด"
    assert plan.issues[1].measures[0].period == Period(
        months=(dt.date(2023, 10, 1), dt.date(2024, 9, 1))
    )


def test_the_detailed_form_shows_questions_scores_findings_and_limitations() -> None:
    plan = load_plan(PLAN_EXAMPLE, get_framework)
    ctx = build_measures(plan, SPEC_2566, "detailed", thai_digits=False)
    first = cells(ctx.table)[0]
    assert first[0] == "(1) กระบวนการปฏิบัติงานที่โปร่งใสและมีประสิทธิภาพ"
    assert "E1 หน่วยงานปฏิบัติหรือให้บริการแก่ท่าน" in first[1]
    assert "คะแนน\u00a074.62" in first[1]  # no-break space: the score stays with its word
    assert first[2].startswith("- ประชาชนผู้รับบริการ ร้อยละ\u00a04.26 มีความเห็นว่า")
    assert first[4] == "ไตรมาส 1-4"
    assert "ข้อจำกัดของหน่วยงานในการประเมินคุณธรรมและความโปร่งใส" in first[5]
    issue_4 = cells(ctx.table)[3]
    assert issue_4[2].startswith("- เจ้าหน้าที่ในหน่วยงาน มีความเห็นว่า")  # IIT respondents
    assert issue_4[5].endswith("-ไม่มี-")
    assert ctx.table.wide
    assert [len(r) for r in ctx.table.header] == [5, 2]


def test_the_simple_form_has_one_numbered_row_per_measure() -> None:
    plan = load_plan(PLAN_EXAMPLE, get_framework)
    ctx = build_measures(plan, SPEC_2566, "simple")
    rows = cells(ctx.table)
    assert len(rows) == sum(len(i.measures) for i in plan.issues)
    assert rows[0][0].startswith("๑. ปรับปรุงและประกาศขั้นตอนการให้บริการ")
    assert rows[1][3] == "ต.ค. ๖๖ - ก.ย. ๖๗"
    assert rows[-1][0].startswith("๘. ")


def test_the_results_report_has_six_or_seven_columns() -> None:
    plan = load_plan(PLAN_EXAMPLE, get_framework)
    six = build_results(plan, SPEC_2566, 6, thai_digits=False)
    seven = build_results(plan, SPEC_2566, 7, thai_digits=False)
    assert len(six.table.columns) == 6
    assert len(seven.table.columns) == 7
    assert [c.lines[0].text for c in six.table.header[0]][-2:] == [
        "ผลการดำเนินการ (Output)",
        "ผลลัพธ์หรือสัมฤทธิ์ในการดำเนินการ (Outcome/result)",
    ]
    output = cells(six.table)[0][4]
    assert "- แผนผังขั้นตอนการให้บริการ จำนวน 12 งาน" in output
    links = [ln for c in seven.table.rows[0] for ln in c.lines if ln.href]
    assert links[0].href == "https://www.example.go.th/ita/2567/service-steps"
    assert len(six.elements) == 6
    assert six.issue_lines[3] == "4. กระบวนการกำกับดูแลการใช้ทรัพย์สินของราชการ"


def test_an_issue_with_two_measures_labels_each_measures_steps() -> None:
    plan = load_plan(PLAN_EXAMPLE, get_framework)
    ctx = build_results(plan, SPEC_2566, 6, thai_digits=False)
    steps = ctx.table.rows[6][1].lines
    assert [ln.text for ln in steps if ln.style == "bold"] == [
        m.title for m in plan.issues[6].measures
    ]


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return path


HEAD = "schema_version: 1\nagency: {name: อบต.ทดสอบ}\nfiscal_year: 2567\nassessment_year: 2566\n"


@pytest.mark.parametrize(
    ("body", "fault"),
    [
        ("issues:\n  - number: 9\n    measures: [{title: ก}]\n",
         ":6: issues[0].number: issue 9 is not in the 2566 framework"),
        ("issues:\n  - number: 1\n    items: [{code: E99}]\n    measures: [{title: ก}]\n",
         ":7: issues[0].items[0].code: item 'E99' is not in the 2566 framework"),
        ("issues:\n  - number: 1\n    measures: [{period: {quarters: [3, 2]}}]\n",
         "issues[0].measures[0].period.quarters: quarters must run forward"),
        ("issues:\n  - number: 1\n    measures: [{period: {from: 2567-13}}]\n",
         "month 13 is not 1–12"),
        ("issues:\n  - number: 1\n    items: [{code: E1, score: 120}]\n    measures: [{}]\n",
         "issues[0].items[0].score: Input should be less than or equal to 100"),
        ("issues:\n  - number: 1\n    measures: [{evidence: [ftp://x]}]\n",
         "issues[0].measures[0].evidence[0].url"),
        ("issues:\n  - number: 1\n    measures: [{titel: ก}]\n",
         "issues[0].measures[0].titel: unknown field (check the spelling)"),
        ("issues: []\n", "issues: List should have at least 1 item"),
    ],
)  # fmt: skip
def test_a_bad_plan_file_names_the_line_and_path_of_the_fault(
    tmp_path: Path, body: str, fault: str
) -> None:
    with pytest.raises(DataFileError) as err:
        load_plan(write(tmp_path, HEAD + body), get_framework)
    assert fault in str(err.value)


def test_scores_and_codes_written_in_thai_digits_are_read(tmp_path: Path) -> None:
    body = "issues:\n  - number: 1\n    items: [{code: e๑, score: '๗๔.๖๒'}]\n    measures: [{}]\n"
    plan = load_plan(write(tmp_path, HEAD + body), get_framework)
    assert plan.issues[0].items[0].code == "E1"
    assert plan.issues[0].items[0].score == 74.62
