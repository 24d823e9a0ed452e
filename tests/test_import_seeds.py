"""``ita import`` on the three real documents: what each one prints, read back exactly.

The seeds in tests/import_data are copies of ../shared/seeds (text extracted from the agencies'
PDFs, damage included).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ita.cli import cli
from ita.importers import ImportedDocument, import_path
from tests.conftest import S0_ITEMS, S1_INDICATORS

DATA = Path(__file__).parent / "import_data"
S0 = DATA / "000_32d122ba1c902492.txt"  # measures document, อบต.ห้วยจรเข้ม, FY2566
S1 = DATA / "001_0716c6b80218a866.txt"  # analysis report, อบต.ศรีคำ, ITA 2565
S2 = DATA / "002_c532c33424e92c7e.txt"  # results report, อบต.หนองเรือ, FY2568

ALL_UNITS = ("สำนักปลัด", "กองคลัง", "กองช่าง", "กองสาธารณสุขและสิ่งแวดล้อม")


@pytest.fixture(scope="module")
def s0() -> ImportedDocument:
    return import_path(S0)


@pytest.fixture(scope="module")
def s1() -> ImportedDocument:
    return import_path(S1)


@pytest.fixture(scope="module")
def s2() -> ImportedDocument:
    return import_path(S2)


def codes(doc: ImportedDocument) -> list[str]:
    return [w.code for w in doc.warnings]


def flat(text: str) -> str:
    return "".join(text.split())


# --- seed 001: the analysis report ----------------------------------------------------------


def test_seed_001_is_an_analysis_report_of_fiscal_year_2565(s1: ImportedDocument) -> None:
    assert s1.kind == "analysis"
    assert s1.fiscal_year == 2565
    assert s1.scores_fiscal_year == 2565
    assert s1.measures_fiscal_year == 2566  # its appended measures are for the next year
    assert s1.framework_year == 2565


def test_seed_001_names_its_agency_district_and_province(s1: ImportedDocument) -> None:
    assert (s1.agency, s1.district, s1.province) == (
        "องค์การบริหารส่วนตำบลศรีคำ",
        "แม่จัน",
        "เชียงราย",
    )


def test_seed_001_gives_all_ten_indicators_as_printed(s1: ImportedDocument) -> None:
    assert dict(s1.indicators) == S1_INDICATORS


def test_seed_001_states_total_87_86_and_level_a_which_the_engine_confirms(
    s1: ImportedDocument,
) -> None:
    assert s1.stated_total == 87.86
    assert s1.stated_level == "A"
    assert s1.computed is not None
    assert s1.to_json()["computed"] == {
        "total": 87.86,
        "level": "A",
        "tools": {"IIT": 80.89, "EIT": 78.65, "OIT": 100.0},
    }


def test_seed_001_restating_its_total_as_86_81_is_reported(s1: ImportedDocument) -> None:
    assert "conflicting_total" in codes(s1)
    disagreement = [w for w in s1.warnings if w.code == "disagreement"]
    assert len(disagreement) == 1
    assert "86.81" in disagreement[0].en and "87.86" in disagreement[0].en


def test_seed_001_level_table_with_e_from_40_is_reported(s1: ImportedDocument) -> None:
    (warning,) = [w for w in s1.warnings if w.code == "level_table"]
    assert "E 40.00–54.99 (framework: 50.00–54.99)" in warning.en
    assert "F 0.00–39.99 (framework: 0.00–49.99)" in warning.en
    assert [b.level for b in s1.level_table] == ["AA", "A", "B", "C", "D", "E", "F"]


def test_seed_001_oit_weight_of_30_percent_is_reported(s1: ImportedDocument) -> None:
    (warning,) = [w for w in s1.warnings if w.code == "weight_table"]
    assert "OIT weight as 30 %" in warning.en and "uses 40 %" in warning.en


def test_seed_001_spelling_the_agency_two_ways_is_reported(s1: ImportedDocument) -> None:
    (warning,) = [w for w in s1.warnings if w.code == "agency_names"]
    assert "ศรีคำ" in warning.th and "ศรีค้ำ" in warning.th


def test_seed_001_appendix_gives_measures_1_2_6_and_7_as_printed(s1: ImportedDocument) -> None:
    assert [m.number for m in s1.measures] == [1, 2, 6, 7]
    first, second, sixth, seventh = s1.measures
    assert flat(first.title) == flat(
        "ประชาสัมพันธ์ ช่องทางที่องค์การบริหาร ส่วนตำบลศรีค้ำ ได้มีการ เผยแพร่การใช้จ่าย งบประมาณให้ทั่วถึง"
    )
    assert [flat(s) for s in first.steps] == [
        flat("จัดประชุมชี้แจงแผนการใช้จ่าย งบประมาณประจำปีให้แก่บุคลากร ภายในหน่วยงานทราบ")
    ]
    assert first.responsible == ("สำนักงานปลัด",)
    assert first.period == "ตุลาคม ๒๕๖๕-กันยายน ๒๕๖๖"
    assert flat(first.follow_up or "") == flat("รายงานผลเป็นประจำทุกเดือน ใน การประชุมประจำเดือน")
    assert second.period == "มกราคม ๒๕๖๖ - กันยายน ๒๕๖๖"
    assert second.responsible == ("สำนักงานปลัด",)
    assert len(second.steps) == 1 and second.follow_up is not None
    assert sixth.title == "การจัดทำแผนปฏิบัติการป้องกันแก้ไขการทุจริตประจำปี"
    assert sixth.period == "มิถุนายน ๒๕๖๖ - กันยายน ๒๕๖๖"
    assert "e- plannacc" in sixth.steps[0]
    assert sixth.follow_up is not None and sixth.follow_up.startswith("รายงานผลการรอบ ๖ เดือน")
    assert flat(seventh.title) == flat("มาตรการภายในเพื่อป้องกันการทุจริต อย่างเป็นรูปธรรม")
    assert seventh.period is None  # the source leaves it empty
    assert seventh.responsible == ("สำนักงานปลัด", "กองคลัง", "กองช่าง", "กองการศึกษาฯ")
    assert seventh.steps[0].startswith("จัดทำประกาศแนวทางการปฏิบัติตามมาตรการภายใน")
    assert seventh.follow_up is not None and "มี.ค.๖๕" in seventh.follow_up


# --- seed 000: the measures document --------------------------------------------------------


def test_seed_000_is_a_measures_document_of_fiscal_year_2566(s0: ImportedDocument) -> None:
    assert s0.kind == "measures"
    assert (s0.fiscal_year, s0.scores_fiscal_year, s0.measures_fiscal_year) == (2566, 2566, 2566)
    assert s0.agency == "องค์การบริหารส่วนตำบลห้วยจรเข้ม"
    assert (s0.district, s0.province) == (None, None)  # the document does not say


def test_seed_000_gives_exactly_the_item_scores_it_prints(s0: ImportedDocument) -> None:
    assert dict(s0.items) == S0_ITEMS


def test_seed_000_reads_the_letter_i_typed_as_the_digit_one(s0: ImportedDocument) -> None:
    # "1๒๑", "1๙", "1๑๖", "1๑๔ท่าน…" in the source
    assert {code: s0.items[code] for code in ("I21", "I9", "I16", "I14")} == {
        "I21": 100.0,
        "I9": 93.94,
        "I16": 96.97,
        "I14": 100.0,
    }


def test_seed_000_has_no_indicators_total_or_level(s0: ImportedDocument) -> None:
    assert dict(s0.indicators) == {}
    assert (s0.stated_total, s0.stated_level, s0.computed) == (None, None, None)


def test_seed_000_findings_keep_their_share_and_audience(s0: ImportedDocument) -> None:
    shares = {code: (f.percent, f.audience) for code, f in s0.findings.items()}
    assert shares == {
        "E1": (4.26, "service_users"),
        "E2": (6.38, "service_users"),
        "E3": (4.26, "service_users"),
        "E4": (4.26, "service_users"),
        "E11": (2.13, "service_users"),
        "E12": (2.13, "service_users"),
        "E13": (23.40, "service_users"),
        "E14": (4.26, "service_users"),
        "E6": (4.26, "service_users"),
        "E7": (4.26, "service_users"),
        "E10": (34.04, "service_users"),
        "I21": (None, "staff"),  # "เจ้าหน้าที่ในหน่วยงานมีความรู้…": no share printed
        "I9": (6.06, "staff"),
        "I16": (3.03, "staff"),
        "I14": (None, "staff"),
        "E15": (2.13, "service_users"),
    }


def test_seed_000_one_finding_covers_e6_and_e7_and_e8_e9_have_none(s0: ImportedDocument) -> None:
    third = s0.measures[2]
    assert third.items == ("E6", "E7", "E8", "E9", "E10")
    assert [(f.items, f.percent) for f in third.findings] == [
        (("E6", "E7"), 4.26),
        (("E10",), 34.04),
    ]
    assert s0.findings["E6"] is s0.findings["E7"]
    assert "E8" not in s0.findings and "E9" not in s0.findings


def test_seed_000_has_seven_issues_with_their_steps_periods_and_units(
    s0: ImportedDocument,
) -> None:
    assert [m.issue.number if m.issue else None for m in s0.measures] == [1, 2, 3, 4, 5, 6, 7]
    assert [len(m.steps) for m in s0.measures] == [4, 3, 2, 5, 2, 1, 3]
    assert {m.period for m in s0.measures} == {"ไตรมาส๑-๔"}
    assert {m.responsible for m in s0.measures} == {ALL_UNITS}
    assert [m.items for m in s0.measures] == [
        ("E1", "E2", "E3", "E4"),
        ("E11", "E12", "E13", "E14"),
        ("E6", "E7", "E8", "E9", "E10"),
        ("I21",),
        ("I9",),
        ("I16", "I14"),
        ("E10", "E15"),
    ]
    fourth = s0.measures[3]
    assert fourth.steps[1] == "จัดให้มีแบบใบยืมพัสดุ/ครุภัณฑ์"
    assert fourth.title == "กระบวนการกำกับดูแลการใช้ทรัพย์สินของราชการ"


def test_seed_000_limitations_are_kept_apart_from_the_units(s0: ImportedDocument) -> None:
    assert [len(m.limitations) for m in s0.measures] == [2, 2, 1, 0, 1, 0, 1]
    assert s0.measures[0].limitations[1] == "สถานที่ให้บริการไม่เอื้ออำนวยต่อการให้บริการ"


# --- seed 002: the results report -----------------------------------------------------------


def test_seed_002_is_a_results_report_of_fiscal_year_2568(s2: ImportedDocument) -> None:
    assert s2.kind == "results"
    assert (s2.fiscal_year, s2.scores_fiscal_year, s2.measures_fiscal_year) == (2568, None, 2568)
    assert (s2.agency, s2.district, s2.province) == (
        "องค์การบริหารส่วนตำบลหนองเรือ",
        None,  # "อำนาจเจริญ" is printed without "อำเภอ": not guessed
        "มหาสารคาม",
    )
    assert dict(s2.items) == {} and dict(s2.indicators) == {}


def test_seed_002_gives_seven_measures_with_output_and_outcome(s2: ImportedDocument) -> None:
    assert [m.number for m in s2.measures] == [1, 2, 3, 4, 5, 6, 7]
    assert [m.issue.number if m.issue else None for m in s2.measures] == [1, 2, 3, 4, 5, 6, 7]
    assert [len(m.output) for m in s2.measures] == [3, 3, 2, 2, 2, 2, 2]
    assert [len(m.outcome) for m in s2.measures] == [2, 2, 2, 2, 2, 2, 1]
    assert [m.period for m in s2.measures] == ["ต.ค. ๖๗ - ก.ย. ๖๘"] * 4 + ["ทุกเดือน"] + [
        "ต.ค. ๖๗ - ก.ย. ๖๘"
    ] * 2
    assert [m.responsible for m in s2.measures] == [("สำนักปลัด", "ทุกกอง")] * 4 + [
        ("สำนักปลัด", "กองคลัง"),
        ("สำนักปลัด",),
        ("สำนักปลัด",),
    ]
    first = s2.measures[0]
    assert len(first.steps) == 4  # the heading "รายละเอียดขั้นตอนการดำเนินการ" is not a step
    assert first.steps[1] == "เสนอผู้บริหารเพื่อพิจารณา"
    assert flat(first.output[2]) == flat(
        "ผลการสำรวจความพึงพอใจของ ผู้รับบริการ โดยมีคะแนนเฉลี่ยไม่ น้อยกว่าร้อยละ ๘๕"
    )
    assert flat(first.outcome[1]).startswith("สามารถนำผลสำรวจความพึงพอใจ")


def test_seed_002_issue_5_carries_two_activities(s2: ImportedDocument) -> None:
    fifth = s2.measures[4]
    assert fifth.issue is not None and fifth.issue.number == 5
    activities = fifth.title.split("\n")
    assert len(activities) == 2
    assert activities[0].startswith("กิจกรรมประชุมชี้แจงแผนการใช้จ่ายงบประมาณประจำปี")


def test_seed_002_steps_copied_from_issue_4_into_issue_5_are_reported(
    s2: ImportedDocument,
) -> None:
    (warning,) = [w for w in s2.warnings if w.code == "duplicate_steps"]
    assert "measure 5 repeats the steps of measure 4" in warning.en
    assert "agency_names" in codes(s2)  # หนองเรือ and ดงบัง


# --- the command --------------------------------------------------------------------------


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_import_json_of_seed_001_has_the_agreed_keys() -> None:
    code, out, err = run("import", str(S1), "--json")
    assert code == 0, err
    data = json.loads(out)
    assert data["kind"] == "analysis"
    assert data["agency"] == "องค์การบริหารส่วนตำบลศรีคำ"
    assert data["fiscal_year"] == 2565
    assert data["scores_fiscal_year"] == 2565
    assert data["indicators"] == {str(n): v for n, v in S1_INDICATORS.items()}
    assert (data["stated_total"], data["stated_level"]) == (87.86, "A")
    assert data["items"] == {} and data["findings"] == {}
    starts = ["ประชาสัมพันธ์", "จัดทำเว็บไซต์", "การจัดทำแผน", "มาตรการภายใน"]
    assert [m["number"] for m in data["measures"]] == [1, 2, 6, 7]
    assert all(m["title"].startswith(s) for m, s in zip(data["measures"], starts, strict=True))
    for measure in data["measures"]:
        assert {"title", "steps", "period", "responsible", "output", "outcome"} <= set(measure)
    assert data["measures"][3]["period"] is None
    assert len(data["warnings"]) == 5


def test_import_json_of_seed_000_has_items_and_findings() -> None:
    code, out, _ = run("import", str(S0), "--json")
    assert code == 0
    data = json.loads(out)
    assert data["items"] == S0_ITEMS
    assert data["findings"]["E6"]["items"] == ["E6", "E7"]
    assert data["findings"]["I9"] == {
        "items": ["I9"],
        "percent": 6.06,
        "audience": "staff",
        "text": "เจ้าหน้าที่ในหน่วยงาน ๖.๐๖ % มีความเห็นว่าการใช้จ่ายงบประมาณไม่เป็นไปตามวัตถุประสงค์และไม่คุ้มค่า",
    }
    assert len(data["measures"]) == 7 and len(data["issues"]) == 7
    assert data["stated_total"] is None and data["indicators"] == {}


def test_import_without_json_prints_a_thai_and_english_summary() -> None:
    code, out, _ = run("import", str(S2))
    assert code == 0
    assert "เอกสาร / document: รายงานผลการดำเนินการตามมาตรการ (results report), text" in out
    assert "มาตรการ / measures (7):" in out
    assert "ผลลัพธ์ / outcome:" in out
    assert "หมายเหตุ / warnings:" in out
