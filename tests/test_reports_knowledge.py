"""The knowledge base: complete for every framework year, in our own words, faults with paths."""

from __future__ import annotations

from pathlib import Path

import pytest

from ita.catalog.loader import framework_paths, get_framework
from ita.reports.knowledge import knowledge_dir, knowledge_paths, load_knowledge
from ita.reports.yamlfile import DataFileError

YEARS = list(framework_paths())

# Sentences of seed S1's indicator paragraphs (DOMAIN.md §2(a)); ours must not copy them.
S1_SENTENCES = [
    "เป็นตัวชี้วัดที่มีวัตถุประสงค์เพื่อประเมินการรับรู้ของบุคลากรภายในหน่วยงานต่อการดำเนินการต่าง ๆ",
    "นับตั้งแต่การจัดทำแผนการใช้จ่ายงบประมาณประจำปีและเผยแพร่อย่างโปร่งใส",
    "หน่วยงานควรมีการพัฒนาวิธีการเผยแพร่และประชาสัมพันธ์แผนการใช้จ่ายงบประมาณประจำปี",
    "ในประเด็นที่เกี่ยวข้องกับพฤติกรรมของบุคลากรภายในในการนำทรัพย์สินของราชการ",
    "หน่วยงานควรจัดประชุมชี้แจงให้ความรู้เกี่ยวกับการยืมหรือใช้ทรัพย์สินของทางราชการ",
    "โดยยึดหลักตามมาตรฐาน ขั้นตอน และระยะเวลาที่กำหนดไว้อย่างเคร่งครัด",
    "ต่อประสิทธิภาพการสื่อสารในประเด็นที่เกี่ยวข้องกับการเผยแพร่ข้อมูลของหน่วยงาน",
    "หน่วยงานควรมีกระบวนการเปิดโอกาสให้ผู้รับบริการหรือ ผู้มาติดต่อเข้ามามีส่วนร่วม",
    "แต่งตั้งคณะทำงานกำหนดมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงาน",
]


def test_every_framework_year_has_a_knowledge_file() -> None:
    assert list(knowledge_paths()) == YEARS


@pytest.mark.parametrize("year", YEARS)
def test_each_year_has_a_text_for_every_indicator_tool_and_level(year: int) -> None:
    framework = get_framework(year)
    knowledge = load_knowledge(year, framework)
    assert sorted(knowledge.indicators) == sorted(i.number for _, i in framework.indicators())
    assert sorted(knowledge.tools) == sorted(t.code for t in framework.tools)
    assert set(knowledge.levels) <= {r.name for r in framework.levels.rules}
    assert knowledge.preface_th
    assert knowledge.guidelines_th


def test_a_later_year_reuses_earlier_content_and_says_which() -> None:
    knowledge = load_knowledge(2568, get_framework(2568))
    assert [p.name for p in knowledge.files][:3] == [
        "ita-2568.yaml",
        "ita-2567.yaml",
        "ita-2566.yaml",
    ]
    base = load_knowledge(2565, get_framework(2565))
    assert knowledge.indicators[2] == base.indicators[2]
    assert "No Gift Policy" in knowledge.indicators[10].measures_th
    assert "No Gift Policy" not in base.indicators[10].measures_th


def test_no_text_copies_seed_001() -> None:
    ours = "".join(
        path.read_text(encoding="utf-8").replace("\n", "").replace(" ", "")
        for path in knowledge_dir().glob("ita-*.yaml")
    )
    copied = [s for s in S1_SENTENCES if s.replace(" ", "") in ours]
    assert copied == []


def write(folder: Path, year: int, text: str) -> None:
    (folder / f"ita-{year}.yaml").write_text(text, encoding="utf-8")


def test_an_unknown_placeholder_is_reported_with_its_line_and_path(tmp_path: Path) -> None:
    write(tmp_path, 2565, "schema_version: 1\nfiscal_year: 2565\nreuse: 2564\n"
          "guidelines_th:\n  - ประชุมทุก {month}\n")  # fmt: skip
    write(tmp_path, 2564, (knowledge_dir() / "ita-2563.yaml").read_text(encoding="utf-8")
          .replace("fiscal_year: 2563", "fiscal_year: 2564"))  # fmt: skip
    with pytest.raises(DataFileError) as err:
        load_knowledge(2565, get_framework(2565), tmp_path)
    assert "ita-2565.yaml:5: guidelines_th[0]: unknown placeholder(s) {month}" in str(err.value)


def test_a_missing_text_names_the_indicator_and_the_years_searched(tmp_path: Path) -> None:
    base = (knowledge_dir() / "ita-2563.yaml").read_text(encoding="utf-8")
    cut = base.index("  10:\n")
    write(tmp_path, 2565, base[:cut].replace("fiscal_year: 2563", "fiscal_year: 2565"))
    with pytest.raises(DataFileError) as err:
        load_knowledge(2565, get_framework(2565), tmp_path)
    message = str(err.value)
    assert "indicators[10].measures_th: no text for indicator 10 in 2565" in message
    assert "indicators[10].improve_th" in message


def test_a_reuse_loop_is_a_fault(tmp_path: Path) -> None:
    write(tmp_path, 2565, "schema_version: 1\nfiscal_year: 2565\nreuse: 2564\n")
    write(tmp_path, 2564, "schema_version: 1\nfiscal_year: 2564\nreuse: 2565\n")
    with pytest.raises(DataFileError, match="loop: 2565 → 2564 → 2565"):
        load_knowledge(2565, get_framework(2565), tmp_path)


def test_a_level_the_framework_does_not_have_is_a_fault(tmp_path: Path) -> None:
    base = (knowledge_dir() / "ita-2563.yaml").read_text(encoding="utf-8")
    write(tmp_path, 2566, base.replace("fiscal_year: 2563", "fiscal_year: 2566"))
    with pytest.raises(DataFileError, match=r"levels\.AA: level 'AA' is not in the 2566"):
        load_knowledge(2566, get_framework(2566), tmp_path)


def test_a_year_without_a_file_is_a_lookup_error(tmp_path: Path) -> None:
    with pytest.raises(LookupError, match="2565"):
        load_knowledge(2565, get_framework(2565), tmp_path)
