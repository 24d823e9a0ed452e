"""``ita frameworks``: list, show, check and load the framework files of each fiscal year."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ita.catalog.loader import FrameworkError, LoadedFramework, get_framework, load_all
from ita.catalog.loader import load_framework_file as load_file
from ita.catalog.schema import Framework, confidence_summary
from ita.cli.common import fail, parse_year, prepare_database, print_json, setup_django
from ita.thai import pad

SCHEME_TH = {"grade": "ระดับ AA–F", "rating": "ระดับผลการประเมิน (ผ่านดีเยี่ยม/ผ่านดี/ผ่าน)"}


@click.group()
def frameworks() -> None:
    """Framework files per fiscal year / กรอบการประเมินรายปีงบประมาณ."""


def summary(loaded: LoadedFramework) -> dict[str, Any]:
    fw = loaded.framework
    return {
        "fiscal_year": fw.fiscal_year,
        "agency_group": fw.agency_group,
        "level_scheme": fw.levels.scheme,
        "levels": [rule.name for rule in fw.levels.rules],
        "tools": {t.code: t.weight for t in fw.tools},
        "indicators": sum(len(t.indicators) for t in fw.tools),
        "items": {t.code: sum(len(i.items) for i in t.indicators) for t in fw.tools},
        "issues": len(fw.issues),
        "confidence": dict(sorted(confidence_summary(fw).items())),
        "path": str(loaded.path),
        "sha256": loaded.sha256,
    }


def _load_all() -> dict[int, LoadedFramework]:
    try:
        return load_all()
    except (FrameworkError, FileNotFoundError) as exc:
        fail(str(exc))


@frameworks.command("list")
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array.")
def list_(as_json: bool) -> None:
    """List the fiscal years that have a framework file."""
    rows = [summary(lf) for lf in _load_all().values()]
    if as_json:
        print_json(rows)
        return
    click.echo(
        pad("ปีงบประมาณ", 12) + pad("ระดับ / levels", 48) + pad("IIT/EIT/OIT", 14) + "ข้อ / items"
    )
    for row in rows:
        weights = "/".join(f"{w:g}" for w in row["tools"].values())
        items = " ".join(f"{code}:{n}" for code, n in row["items"].items())
        click.echo(
            pad(str(row["fiscal_year"]), 12) + pad(SCHEME_TH[row["level_scheme"]], 48)
            + pad(weights, 14) + items
        )  # fmt: skip


@frameworks.command()
@click.argument("year_text", metavar="YEAR")
@click.option("--json", "as_json", is_flag=True, help="Print the whole framework as JSON.")
def show(year_text: str, as_json: bool) -> None:
    """Show the framework of one fiscal year."""
    year = parse_year(year_text)
    try:
        fw = get_framework(year)
    except LookupError as exc:
        fail(str(exc.args[0]))
    except (FrameworkError, FileNotFoundError) as exc:
        fail(str(exc))
    if as_json:
        print_json(fw.model_dump(mode="json"))
    else:
        click.echo(describe(fw))


def describe(fw: Framework) -> str:
    """Return a readable Thai/English outline of a framework."""
    lines = [fw.title_th, fw.title_en, ""]
    for tool in fw.tools:
        lines.append(
            f"{tool.code}  {tool.name_th} ({tool.name_en}) — น้ำหนัก / weight {tool.weight:g}"
        )
        for ind in tool.indicators:
            lines.append(
                f"   {ind.number:>2}. {pad(ind.name_th, 34)} น้ำหนัก {ind.weight:g}  "
                f"ข้อ / items: {len(ind.items)}"
            )
    lines += [
        "",
        f"ระดับ / levels ({fw.levels.scheme}; เกณฑ์ผ่าน / pass mark {fw.levels.pass_mark:.2f}):",
    ]
    for rule in fw.levels.rules:
        tools = f", ทุกแบบวัด / each tool ≥ {rule.each_tool_min:.2f}" if rule.each_tool_min else ""
        lines.append(f"   {pad(rule.name, 14)} คะแนนรวม / total ≥ {rule.total_min:.2f}{tools}")
    if fw.issues:
        lines += ["", "ประเด็น / issues:"]
        lines += [f"   ({i.number}) {i.title_th}: {', '.join(i.items) or '-'}" for i in fw.issues]
    marks = confidence_summary(fw)
    if marks:
        lines += ["", "ความน่าเชื่อถือของข้อมูล / confidence marks: "
                  + ", ".join(f"{k} {v}" for k, v in sorted(marks.items()))]  # fmt: skip
    return "\n".join(lines)


@frameworks.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, dir_okay=False, path_type=Path))
def check(paths: tuple[Path, ...]) -> None:
    """Validate framework files (all of them when no path is given)."""
    targets = list(paths)
    if not targets:
        from ita.catalog.loader import framework_paths

        targets = list(framework_paths().values())
    faults = []
    for path in targets:
        try:
            load_file(path)
            click.echo(f"ok  {path}")
        except FrameworkError as exc:
            faults.append(str(exc))
    if faults:
        click.echo("\n".join(faults), err=True)
        raise SystemExit(2)


@frameworks.command()
def load() -> None:
    """Load the framework files into the database (new or changed files only)."""
    setup_django()
    try:
        for year, action in prepare_database():
            click.echo(f"{year}: {action}")
    except (FrameworkError, FileNotFoundError) as exc:
        fail(str(exc))
