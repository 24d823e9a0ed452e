"""``ita oit``: OIT evidence on agencies' websites — ``ita oit check`` runs the link monitor.

With ``--urls`` it needs no database; with ``--agency`` it checks what the agency stored as
evidence and keeps the results as history, through the same service as the background job.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from contextlib import ExitStack, contextmanager
from typing import IO, Any

import click

from ita.cli.common import fail, parse_year, print_json, setup_django
from ita.oit.checker import (
    DEFAULT_PER_HOST,
    DEFAULT_TIMEOUT,
    LinkResult,
    Verdict,
    run_checks,
)
from ita.oit.history import Previous, compare, previous_from_json
from ita.thai import pad, parse_number, to_arabic_digits


@click.group()
def oit() -> None:
    """OIT evidence on agencies' websites.

    หลักฐาน OIT บนเว็บไซต์ของหน่วยงาน
    """


def read_url_list(stream: IO[bytes]) -> list[str]:
    """Return the addresses of a list file: one per line; blank lines and ``#`` comments skipped."""
    try:
        text = stream.read().decode("utf-8-sig")
    except UnicodeDecodeError:
        fail("ไฟล์รายการที่อยู่ไม่ใช่ข้อความ UTF-8 / the address list is not UTF-8 text")
    return [
        line.strip()
        for line in text.splitlines()
        if line.strip() and not line.lstrip().startswith("#")
    ]


def _positive(text: str, option: str, integer: bool = False) -> float:
    try:
        value = parse_number(text)
    except ValueError:
        fail(f"{option} {text!r} ไม่ใช่ตัวเลข / is not a number")
    if value <= 0 or (integer and value != int(value)):
        kind = "จำนวนเต็มบวก / a positive whole number" if integer else "ค่าบวก / positive"
        fail(f"{option} {text!r} ต้องเป็น{kind}")
    return value


def _read_previous(stream: IO[bytes]) -> dict[str, Previous]:
    try:
        data = json.loads(stream.read().decode("utf-8-sig"))
        if not isinstance(data, list):
            raise ValueError("not a JSON array")
        return previous_from_json(data)
    except (UnicodeDecodeError, ValueError) as exc:
        fail(f"อ่าน --previous ไม่ได้ / cannot read --previous: {exc}")


@contextmanager
def _progress(total: int) -> Iterator[Callable[[LinkResult], None] | None]:
    """Yield a progress callback drawing a bar on stderr, or None when stderr is not a terminal."""
    if total == 0 or not sys.stderr.isatty():
        yield None
        return
    with click.progressbar(
        length=total, label="ตรวจลิงก์ / checking", file=sys.stderr, show_pos=True
    ) as bar:
        yield lambda _result: bar.update(1)


@oit.command()
@click.option(
    "--urls",
    "urls_file",
    type=click.File("rb"),
    help="A text file with one address per line ('-' = stdin; blank lines and # comments skipped).",
)
@click.option(
    "--agency",
    "agency_text",
    help="Check the addresses an agency gave as OIT evidence (its id), keeping them as history.",
)
@click.option(
    "--year",
    "year_text",
    help="Fiscal year (BE) the content must mention, e.g. 2568; with --agency: the evidence's.",
)
@click.option(
    "--timeout",
    "timeout_text",
    default=str(DEFAULT_TIMEOUT),
    show_default=True,
    help="Seconds allowed for each request.",
)
@click.option(
    "--per-host",
    "per_host_text",
    default=str(DEFAULT_PER_HOST),
    show_default=True,
    help="Requests at a time to one website.",
)
@click.option(
    "--previous",
    "previous_file",
    type=click.File("rb"),
    help="The --json output of an earlier run, to flag newly broken addresses.",
)
@click.option(
    "--allow-private",
    is_flag=True,
    help="Also check addresses on private networks (refused by default; see docs/security.md).",
)
@click.option("--json", "as_json", is_flag=True, help="Print a JSON array, one object per URL.")
def check(
    urls_file: IO[bytes] | None,
    agency_text: str | None,
    year_text: str | None,
    timeout_text: str,
    per_host_text: str,
    previous_file: IO[bytes] | None,
    allow_private: bool,
    as_json: bool,
) -> None:
    """Check OIT evidence addresses: reachable, not a soft-404, not empty, the right year.

    ตรวจลิงก์หลักฐาน OIT: เปิดได้ ไม่ใช่หน้า "ไม่พบ" มีเนื้อหา และเป็นปีงบประมาณที่ถูกต้อง
    """
    if urls_file is not None and agency_text is not None:
        fail("ใช้ --urls หรือ --agency อย่างใดอย่างหนึ่ง / give --urls or --agency, not both")
    fiscal_year = parse_year(year_text) if year_text is not None else None
    timeout = _positive(timeout_text, "--timeout")
    per_host = int(_positive(per_host_text, "--per-host", integer=True))
    if agency_text is not None:
        if previous_file is not None:
            fail(
                "--previous ใช้กับ --agency ไม่ได้ ประวัติอยู่ในฐานข้อมูลแล้ว / "
                "--previous does not go with --agency: the history is in the database"
            )
        _check_agency(agency_text, fiscal_year, timeout, per_host, allow_private, as_json)
        return
    if urls_file is None:
        fail("ระบุ --urls FILE หรือ --agency ID / give --urls FILE or --agency ID")
    previous = _read_previous(previous_file) if previous_file is not None else None
    urls = read_url_list(urls_file)
    _run_and_report(urls, fiscal_year, timeout, per_host, previous, allow_private, as_json)


def _run_and_report(
    urls: Sequence[str],
    fiscal_year: int | None,
    timeout: float,
    per_host: int,
    previous: dict[str, Previous] | None,
    private: bool,
    as_json: bool,
) -> None:
    with _progress(len(urls)) as progress:
        results = run_checks(
            urls,
            fiscal_year=fiscal_year,
            timeout=timeout,
            per_host=per_host,
            progress=progress,
            private=private,
        )
    if as_json:
        print_json([_json_object(r, previous) for r in results])
    else:
        click.echo(render_table(results, fiscal_year, previous))


def _check_agency(
    agency_text: str,
    fiscal_year: int | None,
    timeout: float,
    per_host: int,
    private: bool,
    as_json: bool,
) -> None:
    """Check an agency's evidence addresses with the service the background job uses."""
    cleaned = to_arabic_digits(agency_text).strip()
    if not cleaned.isdecimal():
        fail(f"--agency {agency_text!r} ไม่ใช่รหัสหน่วยงาน / is not an agency id")
    setup_django()
    from ita.agencies.models import Agency
    from ita.oit import services

    agency = Agency.objects.filter(pk=int(cleaned)).first()
    if agency is None:
        fail(f"ไม่มีหน่วยงานรหัส {agency_text} / no agency with id {agency_text}")
    year = fiscal_year if fiscal_year is not None else services.latest_year_with_links(agency)
    if year is None:
        fail(f"{agency.name_th} ยังไม่มีลิงก์หลักฐาน OIT / has no OIT evidence links yet")
    with _job_progress() as progress:
        run = services.check_links(
            agency,
            year,
            progress=progress,
            timeout=timeout,
            per_host=per_host,
            private=True if private else None,
        )
    if as_json:
        print_json(run.to_json())
        return
    previous = {e.result.url: e.previous for e in run.entries if e.previous is not None}
    click.echo(f"{agency.name_th} (id {agency.pk})")
    click.echo(render_table([e.result for e in run.entries], year, previous))
    newly = sorted({e.code for e in run.entries if e.change.newly_broken})
    if newly:
        click.echo(f"รายการที่เพิ่งเสีย / newly broken items: {', '.join(newly)}")


@contextmanager
def _job_progress() -> Iterator[Callable[[int, int, str], None] | None]:
    """Yield a ``(done, total, message)`` callback drawing a bar on a terminal, else None."""
    if not sys.stderr.isatty():
        yield None
        return
    with ExitStack() as stack:
        bars: list[Any] = []

        def update(done: int, total: int, _message: str) -> None:
            if not bars and total:
                bars.append(
                    stack.enter_context(
                        click.progressbar(
                            length=total,
                            label="ตรวจลิงก์ / checking",
                            file=sys.stderr,
                            show_pos=True,
                        )
                    )
                )
            if bars and done:
                bars[0].update(done - bars[0].pos)

        yield update


def _json_object(result: LinkResult, previous: dict[str, Previous] | None) -> dict[str, Any]:
    data = result.to_json()
    if previous is not None:
        change = compare(result, previous.get(result.url))
        data["newly_broken"] = change.newly_broken
        data["fixed"] = change.fixed
        data["content_changed"] = change.content_changed
    return data


VERDICT_TH = {
    Verdict.OK: "ใช้ได้",
    Verdict.NOT_FOUND: "ไม่พบ",
    Verdict.SERVER_ERROR: "เว็บขัดข้อง",
    Verdict.SOFT_404: "ไม่พบ (แฝง)",
    Verdict.TIMEOUT: "หมดเวลา",
    Verdict.TLS_ERROR: "HTTPS ผิด",
    Verdict.EMPTY: "ว่าง",
    Verdict.WRONG_YEAR: "ผิดปี",
    Verdict.UNREACHABLE: "เข้าไม่ได้",
}


_STATUS_WIDTH = 6  # not-domain: a column width


def render_table(
    results: Sequence[LinkResult],
    fiscal_year: int | None,
    previous: dict[str, Previous] | None = None,
) -> str:
    """Return results as a readable Thai/English list, broken addresses with their detail."""
    year = f", ปีงบประมาณ / fiscal year {fiscal_year}" if fiscal_year else ""
    lines = [f"ตรวจลิงก์ OIT / OIT link check: {len(results)} ที่อยู่ / addresses{year}", ""]
    width = 2 + max((len(v.value) for v in Verdict), default=0)
    lines.append(pad("ผล / verdict", width) + pad("HTTP", _STATUS_WIDTH) + "ที่อยู่ / address")
    for r in results:
        status = "-" if r.http_status is None else str(r.http_status)
        mark = ""
        if previous is not None and compare(r, previous.get(r.url)).newly_broken:
            mark = "  ← ใหม่ / newly broken"
        lines.append(pad(r.verdict.value, width) + pad(status, _STATUS_WIDTH) + r.url + mark)
        for hop in r.redirects:
            lines.append(" " * (width + _STATUS_WIDTH) + f"↪ {hop.status} {hop.url}")
        if r.redirects and r.final_url:
            lines.append(" " * (width + _STATUS_WIDTH) + f"→ {r.final_url}")
        if r.broken or r.reason:
            lines.append(" " * (width + _STATUS_WIDTH) + r.detail)
    counts = Counter(r.verdict for r in results)
    summary = ", ".join(f"{VERDICT_TH[v]} {v.value} {counts[v]}" for v in Verdict if counts[v])
    lines += ["", f"สรุป / summary: {summary or '-'}"]
    return "\n".join(lines)
