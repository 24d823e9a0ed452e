"""``ita demo national``: a synthetic nation for supervision views and benchmarks."""

from __future__ import annotations

import click

from ita.cli.common import fail, parse_year, prepare_database, setup_django


def parse_years(text: str) -> list[int]:
    """Return fiscal years from ``2564-2568`` or ``2564,2566,2568`` (Thai digits too)."""
    years: set[int] = set()
    for part in text.split(","):
        if "-" in part:
            first, last = (parse_year(p) for p in part.split("-", 1))
            if last < first:
                fail(f"ช่วงปี {part!r} กลับด้าน / the range {part!r} runs backwards")
            years.update(range(first, last + 1))
        elif part.strip():
            years.add(parse_year(part))
    if not years:
        fail("ไม่มีปีงบประมาณ / no fiscal year given")
    return sorted(years)


@click.command("national")
@click.option(
    "--seed", default=2568, show_default=True, help="Random seed (same seed, same nation)."
)
@click.option(
    "--years",
    "years_text",
    default="2564-2568",
    show_default=True,
    help="Fiscal years of results; the last one also gets raw answers.",
)
@click.option(
    "--scale",
    default=1.0,
    show_default=True,
    type=click.FloatRange(min=0.0001, max=4.0),
    help="Size of the nation: 1 = 8,317 agencies and 1.35 million respondents.",
)
@click.option("--replace", is_flag=True, help="Delete a nation loaded before and make it again.")
def national(seed: int, years_text: str, scale: float, replace: bool) -> None:
    """Load a synthetic nation: 8,317 agencies, five years of results, a year of raw answers.

    โหลดข้อมูลตัวอย่างระดับประเทศ (หน่วยงาน ๘,๓๑๗ แห่ง ผลการประเมิน ๕ ปี และคำตอบดิบของผู้ตอบ ๑.๓๕ ล้านคน)
    """
    years = parse_years(years_text)
    setup_django()
    from django.conf import settings

    from ita.demo.national_db import NationExists, load_national

    if settings.PRODUCTION:
        fail("ไม่โหลดข้อมูลตัวอย่างในระบบจริง / demonstration data is refused in production")
    prepare_database()
    try:
        summary = load_national(seed, scale, years, replace=replace, echo=click.echo)
    except NationExists:
        fail(
            "มีข้อมูลตัวอย่างระดับประเทศอยู่แล้ว ใช้ --replace เพื่อสร้างใหม่ / "
            "the national demonstration data is already loaded: use --replace"
        )
    except LookupError as exc:
        fail(f"ไม่มีกรอบการประเมินของปีที่ขอ / {exc}")
    click.echo(
        f"ข้อมูลตัวอย่างระดับประเทศ / national demonstration data: {summary.agencies:,} หน่วยงาน / "
        f"agencies, {summary.assessments:,} ผลการประเมิน / assessments ({years[0]}–{years[-1]})"
    )
    click.echo(
        f"  คะแนนตัวชี้วัด / indicator scores {summary.indicator_scores:,}, "
        f"คะแนนรายข้อ / item scores {summary.item_scores:,}"
    )
    click.echo(
        f"  คำตอบดิบ / raw answers: {summary.respondents:,} ผู้ตอบ / respondents, "
        f"{summary.answer_values:,} ค่า / values → {summary.answers_file}"
    )
    timing = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in summary.timings.items())
    click.echo(f"  เวลา / time: {timing}")
    for username, password, description in summary.accounts:
        click.echo(f"  {username} / {password}  — {description}")
