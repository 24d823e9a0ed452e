"""The analysis report's content: every figure from the score result and the framework."""

from __future__ import annotations

import re

import pytest

from ita.catalog.loader import get_framework
from ita.reports.context import AgencyInfo, build_analysis
from ita.reports.knowledge import load_knowledge
from ita.scoring.engine import OfficialScores, score_answers, score_official
from ita.scoring.spec import ScoringSpec
from ita.thai import THAI_DIGITS
from tests.reports_support import S1_AGENCY, s1_context

THAI_DIGIT = re.compile(f"[{THAI_DIGITS}]")


def text_of(ctx: object) -> str:
    return "\n".join(p.text for p in ctx.paragraphs())  # type: ignore[attr-defined]


def test_seed_001_states_the_total_and_the_level() -> None:
    ctx = s1_context(thai_digits=False)
    assert ctx.figures.total == 87.86
    assert ctx.figures.level == "A"
    assert ctx.figures.passed is True
    overall = ctx.summary[0].text
    assert "87.86" in overall
    assert "ระดับ A" in overall


def test_seed_001_names_the_highest_and_the_lowest_indicators() -> None:
    ctx = s1_context(thai_digits=False)
    assert ctx.figures.highest == (9, 10)
    assert ctx.figures.lowest == (2,)
    extremes = ctx.summary[1].text.replace("\u00a0", " ")
    high, low = extremes.split("ส่วนตัวชี้วัดที่ได้คะแนนต่ำสุด")
    assert "การเปิดเผยข้อมูล" in high
    assert "การป้องกันการทุจริต" in high
    assert "100.00" in high
    assert "การใช้งบประมาณ" in low
    assert "75.15" in low


def test_every_indicator_under_the_pass_mark_is_discussed_and_no_other() -> None:
    ctx = s1_context()
    assert ctx.figures.below_pass == (2, 3, 4, 5, 6, 7, 8)
    discussed = [i.number for tool in ctx.weaknesses for i in tool.indicators]
    assert discussed == [2, 3, 4, 5, 6, 7, 8]
    oit = next(w for w in ctx.weaknesses if w.tool == "OIT")
    assert oit.indicators == ()
    assert oit.note is not None


def test_the_ranking_is_by_score_and_ties_share_a_rank() -> None:
    ctx = s1_context(thai_digits=False)
    assert ctx.figures.ranking[:4] == ((1, 9), (1, 10), (3, 1), (4, 6))
    assert ctx.figures.ranking[-1] == (10, 2)
    first_rows = [[c.lines[0].text for c in row] for row in ctx.ranking_table.rows[:3]]
    assert [r[0] for r in first_rows] == ["1", "1", "3"]
    assert [r[3] for r in first_rows] == ["100.00", "100.00", "88.81"]


def test_the_level_bands_come_from_the_framework_not_from_seed_001s_typos() -> None:
    ctx = s1_context(thai_digits=False)
    rows = [[c.lines[0].text for c in row] for row in ctx.levels_table.rows]
    assert rows[0] == ["95.00 – 100.00", "AA"]
    assert ["50.00 – 54.99", "E"] in rows
    assert ["0.00 – 49.99", "F"] in rows
    assert all("40.00" not in r[0] for r in rows)


def test_the_framework_table_weighs_oit_forty_as_the_total_requires() -> None:
    ctx = s1_context(thai_digits=False)
    weights = {row[0].lines[0].text: row[2].lines[0].text for row in ctx.framework_table.rows}
    assert weights["แบบวัดการเปิดเผยข้อมูลสาธารณะ (OIT)"] == "ร้อยละ\u00a040"
    assert weights["รวม"] == "ร้อยละ\u00a0100"


def test_thai_digits_are_the_default_and_arabic_digits_leave_none() -> None:
    thai = s1_context()
    assert "๘๗.๘๖" in thai.summary[0].text
    assert not re.search(r"[0-9]", text_of(thai))
    arabic = s1_context(thai_digits=False)
    assert not THAI_DIGIT.search(text_of(arabic))
    assert not THAI_DIGIT.search(
        " ".join(c.lines[0].text for r in arabic.ranking_table.rows for c in r)
    )


def test_rating_years_print_the_rules_with_the_tool_condition() -> None:
    framework = get_framework(2566)
    spec = ScoringSpec.from_framework(framework)
    scores = {i.number: 90.0 for i in spec.indicators} | {6: 80.0, 7: 80.0, 8: 80.0}
    result = score_official(spec, OfficialScores(indicators=scores))
    ctx = build_analysis(
        spec, framework, result, S1_AGENCY, load_knowledge(2566, framework), thai_digits=False
    )
    assert ctx.figures.level == "ผ่าน"
    rules = {row[0].lines[0].text: row[1].lines[0].text for row in ctx.levels_table.rows}
    assert rules["ผ่านดี"] == "คะแนนรวมตั้งแต่ 85.00 ขึ้นไป และทุกแบบวัดได้คะแนนตั้งแต่ 85.00 ขึ้นไป"
    assert "ต่ำกว่า 85.00" in rules["ผ่าน"]
    assert rules["ไม่ผ่าน"] == "คะแนนรวมต่ำกว่า 85.00"
    assert "EIT" in ctx.summary[2].text  # the tool below the pass mark is named


def test_an_edited_paragraph_replaces_the_draft_and_is_marked() -> None:
    ctx = s1_context(overrides={"weak.2.improve": "ข้อความที่ผู้ใช้แก้ไข 2 ข้อ"})
    improve = next(i.improve for w in ctx.weaknesses for i in w.indicators if i.number == 2)
    assert improve.edited
    assert improve.text == "ข้อความที่ผู้ใช้แก้ไข ๒ ข้อ"
    assert not ctx.summary[0].edited


def test_an_override_for_a_paragraph_that_does_not_exist_is_refused() -> None:
    with pytest.raises(ValueError, match=r"weak\.1\.improve"):
        s1_context(overrides={"weak.1.improve": "ตัวชี้วัดที่ 1 ผ่านเกณฑ์ จึงไม่มีย่อหน้านี้"})


def test_every_paragraph_key_is_unique() -> None:
    keys = [p.key for p in s1_context().paragraphs()]
    assert len(keys) == len(set(keys))


def test_the_user_may_discuss_fewer_indicators_than_the_default() -> None:
    ctx = s1_context(thai_digits=False, weak_indicators=[2, 4, 6, 7, 8])
    assert ctx.figures.discussed == (2, 4, 6, 7, 8)
    iit = next(w for w in ctx.weaknesses if w.tool == "IIT")
    assert [i.number for i in iit.indicators] == [2, 4]


def test_a_tool_whose_weak_indicators_were_left_out_says_so() -> None:
    ctx = s1_context(weak_indicators=[2, 3, 4, 5])
    eit = next(w for w in ctx.weaknesses if w.tool == "EIT")
    assert eit.indicators == ()
    assert eit.note is not None
    assert "ไม่ได้เลือกมาวิเคราะห์" in eit.note.text


def test_guidelines_can_be_replaced_by_the_agencys_own() -> None:
    ctx = s1_context(thai_digits=False, guidelines=["ประชุมคณะทำงาน", "รายงานผลทุก 3 เดือน"])
    assert [p.text for p in ctx.guidelines] == ["1. ประชุมคณะทำงาน", "2. รายงานผลทุก 3 เดือน"]


def test_assessor_recommendations_follow_their_tool() -> None:
    ctx = s1_context(assessor_notes={"EIT": ["ควรเผยแพร่ช่องทางร้องเรียนทางออนไลน์"]})
    keys = [p.key for p in ctx.recommendations]
    assert keys.index("recommendations.EIT.assessor.1") == keys.index("recommendations.EIT") + 1


def test_scores_estimated_from_survey_answers_are_labelled_as_estimates() -> None:
    framework = get_framework(2565)
    spec = ScoringSpec.from_framework(framework)
    official = OfficialScores(
        indicators={n: v for n, v in enumerate([88.0] * 10, start=1) if n > 5}
    )
    answers = {
        "IIT": [{code: [0] * len(spec.item(code).fields) for code in spec.tool("IIT").items}]
    }
    result = score_answers(spec, answers, official)
    ctx = build_analysis(spec, framework, result, S1_AGENCY, load_knowledge(2565, framework))
    assert [p.key for p in ctx.results_notes] == ["results.estimate"]


def test_a_result_without_every_indicator_cannot_be_reported() -> None:
    framework = get_framework(2565)
    spec = ScoringSpec.from_framework(framework)
    result = score_official(spec, OfficialScores(items={"I1": 90.0}))
    with pytest.raises(ValueError, match="ตัวชี้วัดที่"):
        build_analysis(spec, framework, result, S1_AGENCY, load_knowledge(2565, framework))


def test_the_cover_names_the_agency_and_its_place() -> None:
    ctx = s1_context()
    assert ctx.cover_lines == ("องค์การบริหารส่วนตำบลศรีคำ", "อำเภอแม่จัน จังหวัดเชียงราย")
    assert ctx.signature_lines[-1] == "๑๓ มีนาคม ๒๕๖๖"
    assert AgencyInfo("ก", "อำเภอข", "จังหวัดค").location() == "อำเภอข จังหวัดค"
