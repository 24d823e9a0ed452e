"""What ``ita report`` writes, ``ita import`` reads back: the same numbers, measures and units."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from ita.cli import cli
from ita.importers import ImportedDocument, import_path
from tests.conftest import S1_INDICATORS

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "docs" / "examples" / "plan-2567.yaml"

pytestmark = pytest.mark.skipif(
    "report" not in cli.commands, reason="ita report is not available in this checkout"
)


def render(*args: str) -> None:
    result = CliRunner().invoke(cli, ["report", *args])
    assert result.exit_code == 0, result.stderr


@pytest.fixture(scope="module", params=["docx", "pdf"])
def analysis(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> ImportedDocument:
    folder = tmp_path_factory.mktemp("analysis")
    scores = folder / "s1.csv"
    scores.write_text(
        "indicator,score\n" + "".join(f"{n},{v:.2f}\n" for n, v in S1_INDICATORS.items()),
        encoding="utf-8",
    )
    output = folder / f"s1.{request.param}"
    render(
        "analysis", "--year", "2565", "--indicators", str(scores),
        "--agency-name", "องค์การบริหารส่วนตำบลศรีคำ", "--district", "แม่จัน",
        "--province", "เชียงราย", "--date", "2023-03-13", "-o", str(output),
    )  # fmt: skip
    return import_path(output)


def test_seed_001_numbers_rendered_as_an_analysis_report_read_back_the_same(
    analysis: ImportedDocument,
) -> None:
    assert analysis.kind == "analysis"
    assert (analysis.fiscal_year, analysis.scores_fiscal_year) == (2565, 2565)
    assert (analysis.agency, analysis.district, analysis.province) == (
        "องค์การบริหารส่วนตำบลศรีคำ", "แม่จัน", "เชียงราย",
    )  # fmt: skip
    assert dict(analysis.indicators) == S1_INDICATORS
    assert dict(analysis.tools) == {"IIT": 80.89, "EIT": 78.65, "OIT": 100.0}
    assert (analysis.stated_total, analysis.stated_level) == (87.86, "A")
    assert analysis.computed is not None and analysis.computed.total is not None
    assert round(analysis.computed.total, 2) == 87.86
    assert [b.level for b in analysis.level_table] == ["AA", "A", "B", "C", "D", "E", "F"]
    assert analysis.warnings == ()  # its own level table and weights agree with the framework


@pytest.mark.skipif(not PLAN.exists(), reason="no example plan in this checkout")
@pytest.mark.parametrize(("kind", "fmt"), [("measures", "docx"), ("results", "pdf")])
def test_a_plan_rendered_as_measures_or_results_reads_back_its_measures(
    tmp_path: Path, kind: str, fmt: str
) -> None:
    output = tmp_path / f"{kind}.{fmt}"
    render(kind, "--input", str(PLAN), "-o", str(output))
    back = import_path(output)
    assert back.kind == kind
    assert (back.fiscal_year, back.measures_fiscal_year) == (2567, 2567)
    assert back.agency == "องค์การบริหารส่วนตำบลตัวอย่าง"
    assert [m.issue.number if m.issue else None for m in back.measures][:6] == [1, 2, 3, 4, 5, 6]
    first = back.measures[0]
    assert first.title == "ปรับปรุงและประกาศขั้นตอนการให้บริการให้ชัดเจน ณ จุดให้บริการและบนเว็บไซต์"
    assert first.steps == (
        "จัดทำแผนผังขั้นตอนและระยะเวลาการให้บริการของทุกงาน",
        "ติดประกาศแผนผังไว้ ณ จุดให้บริการและเผยแพร่บนเว็บไซต์ของหน่วยงาน",
        "กำชับเจ้าหน้าที่ให้ให้บริการตามขั้นตอนที่ประกาศไว้",
        "สำรวจความพึงพอใจของผู้รับบริการและรายงานผู้บริหาร",
    )
    assert first.responsible == ("สำนักปลัด", "กองคลัง", "กองช่าง")
    assert first.period == "ไตรมาส ๑-๔"
    if kind == "measures":
        assert dict(back.items)["E10"] == 66.0 and len(back.items) == 18
        assert first.items == ("E1", "E2", "E3", "E4")
        assert [f.percent for f in first.findings] == [4.26, 6.38, 4.26]
    else:
        assert len(first.output) == 2 and len(first.outcome) == 2
    assert back.warnings == ()
