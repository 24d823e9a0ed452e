"""``ita report``: the analysis report, the measures document and the results report, from files.

No database: scores come from the same CSV tables as ``ita score``, measures and results from
a plan file (docs/reports.md). The web application builds the same context objects from its
tables and calls the same renderers; ``ita report analysis --assessment ID`` renders a stored
assessment's report through them, as the web app's download does.
"""

from __future__ import annotations

import datetime as dt
import sys
from collections.abc import Callable
from pathlib import Path
from typing import IO, Any, Literal, TypeVar, cast

import click

from ita.catalog.loader import FrameworkError, get_framework
from ita.catalog.schema import Framework
from ita.cli.common import fail, parse_year
from ita.cli.score import load_spec, official_from_tables
from ita.reports.context import (
    AgencyInfo,
    AnalysisContext,
    MeasuresContext,
    MeasuresForm,
    ResultsColumns,
    ResultsContext,
    build_analysis,
    build_measures,
    build_results,
)
from ita.reports.knowledge import load_knowledge
from ita.reports.plans import load_plan
from ita.reports.yamlfile import DataFileError
from ita.scoring.engine import ScoringInputError, score_official
from ita.scoring.spec import ScoringSpec
from ita.thai import to_arabic_digits

FORMATS = ("docx", "pdf", "html")
Format = Literal["docx", "pdf", "html"]


@click.group()
def report() -> None:
    """Documents from the data / เอกสารรายงานจากข้อมูล: analysis, measures, results."""


F = TypeVar("F", bound=Callable[..., Any])


def _output_options(command: F) -> F:
    command = click.option(
        "--arabic-digits",
        is_flag=True,
        help="Write numbers in Arabic digits (default: Thai digits, as formal documents do).",
    )(command)
    command = click.option(
        "-o", "--output", required=True, help="File to write ('-' = standard output)."
    )(command)
    return click.option(
        "--format",
        "fmt",
        type=click.Choice(FORMATS),
        help="Output format (default: from the extension of --output).",
    )(command)


def _format(fmt: str | None, output: str) -> Format:
    if fmt is None:
        suffix = Path(output).suffix.lower().lstrip(".")
        if suffix not in FORMATS:
            fail(
                "ระบุ --format docx|pdf|html หรือใช้นามสกุลไฟล์ .docx .pdf .html / "
                "give --format docx|pdf|html or an output name ending in .docx, .pdf or .html"
            )
        fmt = suffix
    return cast(Format, fmt)


def _render(ctx: AnalysisContext | MeasuresContext | ResultsContext, fmt: Format) -> bytes:
    if fmt == "docx":
        from ita.reports.docx import render_docx

        return render_docx(ctx)
    if fmt == "pdf":
        from ita.reports.pdf import render_pdf

        return render_pdf(ctx)
    from ita.reports.html import render_html

    return render_html(ctx).encode("utf-8")


def _write(data: bytes, output: str) -> None:
    if output == "-":
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return
    try:
        Path(output).write_bytes(data)
    except OSError as exc:
        fail(f"เขียนไฟล์ {output} ไม่ได้ / cannot write {output}: {exc.strerror}")


def _date(text: str | None) -> dt.date:
    if text is None:
        return dt.date.today()
    try:
        return dt.date.fromisoformat(to_arabic_digits(text).strip())
    except ValueError:
        fail(f"--date {text!r} ต้องเป็น YYYY-MM-DD (ค.ศ.) / must be an ISO date YYYY-MM-DD")


def _indicators(text: str | None, spec: ScoringSpec) -> list[int] | None:
    if text is None:
        return None
    chosen = []
    for part in to_arabic_digits(text).replace(" ", "").split(","):
        if not part:
            continue
        number = spec.resolve_indicator(part)
        if number is None:
            fail(f"--weak: ไม่มีตัวชี้วัด {part!r} ในปี {spec.fiscal_year} / unknown indicator {part!r}")
        chosen.append(number)
    return chosen


def _framework(year: int) -> Framework:
    try:
        return get_framework(year)
    except (FrameworkError, FileNotFoundError) as exc:
        fail(f"อ่านกรอบการประเมินไม่ได้ / cannot read the framework: {exc}")


@report.command()
@click.option(
    "--assessment",
    "assessment_id",
    type=int,
    help="Stored assessment id (as in the web app): its results and the agency's edits.",
)
@click.option("--year", "year_text", help="Fiscal year analysed (BE), e.g. 2565.")
@click.option("--indicators", type=click.File("rb"), help="CSV indicator,score ('-' = stdin).")
@click.option("--items", type=click.File("rb"), help="CSV item,score ('-' = stdin).")
@click.option("--published-total", help="The total NACC published (decides the level).")
@click.option("--published-level", help="The level NACC published, to compare with.")
@click.option("--agency-name", help="Full name: องค์การบริหารส่วนตำบล…")
@click.option("--district", help="อำเภอ (with or without the word อำเภอ).")
@click.option("--province", help="จังหวัด (with or without the word จังหวัด).")
@click.option("--date", "date_text", help="Date of the report, YYYY-MM-DD (default: today).")
@click.option(
    "--weak",
    help="Indicators discussed as weaknesses, e.g. 2,4,6 (default: all below the pass mark).",
)
@click.option(
    "--measures",
    "measures_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Plan file: append its measures as the simple table.",
)
@click.option(
    "--knowledge-dir",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder of knowledge/ita-YYYY.yaml files (default: the checkout's knowledge/).",
)
@_output_options
def analysis(
    assessment_id: int | None,
    year_text: str | None,
    indicators: IO[bytes] | None,
    items: IO[bytes] | None,
    published_total: str | None,
    published_level: str | None,
    agency_name: str | None,
    district: str | None,
    province: str | None,
    date_text: str | None,
    weak: str | None,
    measures_file: Path | None,
    knowledge_dir: Path | None,
    fmt: str | None,
    output: str,
    arabic_digits: bool,
) -> None:
    """Write the analysis report of one year's result.

    เขียนรายงานการวิเคราะห์ผลการประเมิน ITA จากคะแนนรายตัวชี้วัดหรือรายข้อ
    """
    out_format = _format(fmt, output)
    if assessment_id is not None:
        given = {
            "--indicators": indicators, "--items": items, "--published-total": published_total,
            "--published-level": published_level, "--agency-name": agency_name,
            "--district": district, "--province": province, "--date": date_text, "--weak": weak,
            "--measures": measures_file, "--knowledge-dir": knowledge_dir,
        }  # fmt: skip
        extra = [name for name, value in given.items() if value is not None]
        if extra:
            fail(
                f"--assessment ใช้ข้อมูลและการแก้ไขที่บันทึกไว้ จึงใช้ร่วมกับ {', '.join(extra)} ไม่ได้ / "
                f"--assessment takes the stored results and edits; drop {', '.join(extra)}"
            )
        _write(
            _render(_stored_analysis(assessment_id, year_text, not arabic_digits), out_format),
            output,
        )
        return
    if year_text is None or agency_name is None:
        fail(
            "ระบุ --year และ --agency-name (หรือ --assessment ID) / "
            "give --year and --agency-name (or --assessment ID)"
        )
    year = parse_year(year_text)
    spec = load_spec(year)
    framework = _framework(year)
    official = official_from_tables(spec, indicators, items, published_total, published_level)
    thai = not arabic_digits
    try:
        result = score_official(spec, official)
        knowledge = load_knowledge(year, framework, knowledge_dir)
        appendix = None
        if measures_file is not None:
            plan = load_plan(measures_file, _framework)
            plan_spec = ScoringSpec.from_framework(_framework(plan.assessment_year))
            appendix = build_measures(plan, plan_spec, "simple", thai)
        ctx = build_analysis(
            spec,
            framework,
            result,
            AgencyInfo(agency_name.strip(), district, province),
            knowledge,
            thai_digits=thai,
            report_date=_date(date_text),
            weak_indicators=_indicators(weak, spec),
            appendix=appendix,
        )
    except DataFileError as exc:
        fail(exc.one_line())
    except (ScoringInputError, LookupError, ValueError, FileNotFoundError) as exc:
        fail(str(exc.args[0]) if isinstance(exc, LookupError) else str(exc))
    for notice in result.notices:
        click.echo(f"หมายเหตุ / note: {notice}", err=True)
    _write(_render(ctx, out_format), output)


def _stored_analysis(assessment_id: int, year_text: str | None, thai: bool) -> AnalysisContext:
    """The analysis report of a stored assessment, exactly as the web app's download gives it."""
    from ita.cli.common import setup_django

    setup_django()
    from ita.assessments.models import Assessment
    from ita.documents.services import analysis_context, draft_of

    assessment = (
        Assessment.objects.select_related("agency", "framework").filter(pk=assessment_id).first()
    )
    if assessment is None:
        fail(f"ไม่มีการประเมินหมายเลข {assessment_id} / no assessment with id {assessment_id}")
    if year_text is not None and parse_year(year_text) != assessment.fiscal_year:
        fail(
            f"การประเมินหมายเลข {assessment_id} เป็นของปี {assessment.fiscal_year} / "
            f"assessment {assessment_id} is of fiscal year {assessment.fiscal_year}"
        )
    try:
        return analysis_context(assessment, draft_of(assessment), thai)
    except ValueError as exc:
        fail(str(exc))


_assessment_option = click.option(
    "--assessment",
    "assessment_id",
    type=int,
    help="Stored assessment id: the measures plan that answers it, from the database.",
)


def _plan_document(
    input_file: Path | None,
    assessment_id: int | None,
    build: str,
    option: str | int,
    fmt: str | None,
    output: str,
    thai: bool,
) -> None:
    """Write the measures document or results report of a plan file or of a stored plan."""
    if (input_file is None) == (assessment_id is None):
        fail("ระบุ --input หรือ --assessment อย่างใดอย่างหนึ่ง / give either --input or --assessment")
    if assessment_id is not None:
        _stored_plan(assessment_id, build, option, fmt, output, thai)
    else:
        assert input_file is not None  # noqa: S101 - checked above
        _plan_file(input_file, build, option, fmt, output, thai)


def _stored_plan(
    assessment_id: int, build: str, option: str | int, fmt: str | None, output: str, thai: bool
) -> None:
    """The document of the plan answering a stored assessment, as the plan page downloads it."""
    out_format = _format(fmt, output)
    from ita.cli.common import setup_django

    setup_django()
    from ita.measures.documents import KINDS, render_stored
    from ita.measures.models import Plan

    kind = next(k for k, v in KINDS.items() if (v.builder, v.option) == (build, option))
    plans = list(
        Plan.objects.select_related("agency", "assessment__framework").filter(
            assessment_id=assessment_id
        )
    )
    if len(plans) != 1:
        years = ", ".join(str(p.fiscal_year) for p in plans)
        fail(
            f"ไม่มีแผนมาตรการที่ตอบการประเมินหมายเลข {assessment_id} / "
            f"no measures plan answers assessment {assessment_id}"
            if not plans
            else f"แผนหลายปีตอบการประเมินนี้ ({years}) / several plans answer it ({years})"
        )
    _write(render_stored(plans[0], kind, out_format, thai), output)


def _plan_file(
    input_file: Path, build: str, option: str | int, fmt: str | None, output: str, thai: bool
) -> None:
    out_format = _format(fmt, output)
    try:
        plan = load_plan(input_file, _framework)
        spec = ScoringSpec.from_framework(_framework(plan.assessment_year))
        ctx: MeasuresContext | ResultsContext
        if build == "measures":
            ctx = build_measures(plan, spec, cast(MeasuresForm, option), thai)
        else:
            ctx = build_results(plan, spec, cast(ResultsColumns, option), thai)
    except DataFileError as exc:
        fail(exc.one_line())
    except ValueError as exc:
        fail(str(exc))
    _write(_render(ctx, out_format), output)


@report.command()
@click.option(
    "--input",
    "input_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Plan file (YAML, docs/reports.md).",
)
@_assessment_option
@click.option(
    "--form",
    type=click.Choice(["detailed", "simple"]),
    default="detailed",
    show_default=True,
    help="detailed: per issue with ITA questions and findings; simple: one row per measure.",
)
@_output_options
def measures(
    input_file: Path | None,
    assessment_id: int | None,
    form: str,
    fmt: str | None,
    output: str,
    arabic_digits: bool,
) -> None:
    """Write the measures document from a plan file or a stored plan.

    เขียนมาตรการส่งเสริมคุณธรรมและความโปร่งใสภายในหน่วยงานจากไฟล์แผน
    """
    _plan_document(input_file, assessment_id, "measures", form, fmt, output, not arabic_digits)


@report.command()
@click.option(
    "--input",
    "input_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Plan file (YAML, docs/reports.md) with outputs and outcomes.",
)
@_assessment_option
@click.option(
    "--columns",
    type=click.Choice(["6", "7"]),
    default="6",
    show_default=True,
    help="6: as most LAOs print it; 7: with recommendations and evidence links.",
)
@_output_options
def results(
    input_file: Path | None,
    assessment_id: int | None,
    columns: str,
    fmt: str | None,
    output: str,
    arabic_digits: bool,
) -> None:
    """Write the results report of the measures from a plan file or a stored plan.

    เขียนรายงานผลการดำเนินการตามมาตรการจากไฟล์แผน
    """
    _plan_document(
        input_file, assessment_id, "results", int(columns), fmt, output, not arabic_digits
    )
