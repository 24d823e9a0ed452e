"""``ita score``: scores, total and level from a table of indicator or item scores."""

from __future__ import annotations

from typing import IO

import click

from ita.catalog.loader import FrameworkError, get_framework
from ita.cli.common import fail, parse_year, print_json
from ita.scoring.engine import OfficialScores, ScoreResult, ScoringInputError, score_official
from ita.scoring.inputs import TableError, read_indicator_table, read_item_table
from ita.scoring.spec import ScoringSpec
from ita.thai import display_width, pad, parse_number


def load_spec(year: int) -> ScoringSpec:
    """Return the scoring spec of a fiscal year, or fail with exit code 2."""
    try:
        return ScoringSpec.from_framework(get_framework(year))
    except LookupError as exc:
        fail(str(exc.args[0]))
    except (FrameworkError, FileNotFoundError) as exc:
        fail(f"อ่านกรอบการประเมินไม่ได้ / cannot read the framework: {exc}")


def read_text(stream: IO[bytes]) -> str:
    """Return the text of an input file (UTF-8, with or without BOM), or fail."""
    try:
        return stream.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        fail("ไฟล์ไม่ใช่ข้อความ UTF-8 / the file is not UTF-8 text")


def official_from_tables(
    spec: ScoringSpec,
    indicators: IO[bytes] | None,
    items: IO[bytes] | None,
    published_total: str | None = None,
    published_level: str | None = None,
) -> OfficialScores:
    """Return engine input from the ``--indicators``/``--items`` files, or fail."""
    if (indicators is None) == (items is None):
        fail("ระบุ --indicators หรือ --items อย่างใดอย่างหนึ่ง / give --indicators or --items")
    ind_scores: dict[int, float] = {}
    item_scores: dict[str, float] = {}
    try:
        if indicators is not None:
            ind_scores = read_indicator_table(read_text(indicators), spec)
        if items is not None:
            item_scores = read_item_table(read_text(items), spec)
    except TableError as exc:
        fail(exc.one_line())
    total = None
    if published_total is not None:
        try:
            total = parse_number(published_total)
        except ValueError:
            fail(f"--published-total {published_total!r} ไม่ใช่ตัวเลข / is not a number")
    return OfficialScores(
        indicators=ind_scores, items=item_scores, total=total, level=published_level
    )


@click.command()
@click.option("--year", "year_text", required=True, help="Fiscal year (BE), e.g. 2565.")
@click.option(
    "--indicators",
    type=click.File("rb"),
    help="CSV with header indicator,score and one row per indicator ('-' = stdin).",
)
@click.option(
    "--items",
    type=click.File("rb"),
    help="CSV with header item,score (codes like I9, E10, O12; '-' = stdin).",
)
@click.option("--published-total", help="The total NACC published, to compare with.")
@click.option("--published-level", help="The level NACC published, to compare with.")
@click.option("--json", "as_json", is_flag=True, help="Print one JSON object.")
def score(
    year_text: str,
    indicators: IO[bytes] | None,
    items: IO[bytes] | None,
    published_total: str | None,
    published_level: str | None,
    as_json: bool,
) -> None:
    """Compute tool scores, total and level from indicator or item scores.

    คำนวณคะแนนรายแบบวัด คะแนนรวม และระดับผลการประเมิน จากคะแนนรายตัวชี้วัดหรือรายข้อ
    """
    spec = load_spec(parse_year(year_text))
    official = official_from_tables(spec, indicators, items, published_total, published_level)
    try:
        result = score_official(spec, official)
    except ScoringInputError as exc:
        fail(str(exc))
    if as_json:
        print_json(result.to_json())
    else:
        click.echo(render_table(spec, result))


def render_table(spec: ScoringSpec, result: ScoreResult) -> str:
    """Return a result as a readable Thai/English table."""
    data = result.to_json()

    def cell(value: float | None) -> str:
        return "-" if value is None else f"{value:.2f}"

    lines = [
        f"ผลการประเมิน ITA ปีงบประมาณ พ.ศ. {spec.fiscal_year} / "
        f"ITA result, fiscal year {spec.fiscal_year}",
        "",
        pad("ตัวชี้วัด / indicator", 42) + pad("แบบวัด", 8) + pad("น้ำหนัก", 9, right=True)
        + pad("คะแนน", 9, right=True),
    ]  # fmt: skip
    for ind in spec.indicators:
        label = f"{ind.number:>3}  {ind.name_th}"
        lines.append(
            pad(label, 42) + pad(ind.tool, 8) + pad(f"{ind.weight:g}", 9, right=True)
            + pad(cell(data["indicators"][str(ind.number)]), 9, right=True)
        )  # fmt: skip
    name_width = 2 + max(display_width(f"  {t.code}  {t.name_th}") for t in spec.tools)
    lines += [
        "",
        pad("แบบวัด / tool", name_width) + pad("น้ำหนัก", 9, right=True) + pad("คะแนน", 9, right=True),
    ]
    for tool in spec.tools:
        name = pad(f"  {tool.code}  {tool.name_th}", name_width)
        weight = pad(f"{tool.weight:g}", 9, right=True)
        lines.append(name + weight + pad(cell(data["tools"][tool.code]), 9, right=True))
    lines += ["", f"คะแนนรวม / total: {cell(data['total'])}"]
    if result.level is not None:
        verdict = "ผ่านเกณฑ์ / passed" if result.passed else "ไม่ผ่านเกณฑ์ / not passed"
        english = f" ({result.level.name_en})" if result.level.name_en else ""
        lines.append(
            f"ระดับ / level: {result.level.name}{english} — {verdict} "
            f"(เกณฑ์ / pass mark {spec.pass_mark:.2f})"
        )
    if result.notices:
        lines += ["", "หมายเหตุ / warnings:"] + [f"  - {n}" for n in result.notices]
    return "\n".join(lines)
