"""Measures tables, row by row: the simple form (seed S1), the detailed form with questions and
findings per issue (seed S0) and the results form with outputs and outcomes (seed S2).

A row the source splits across pages is joined again: a table without a header that follows a
measures table of the same width continues it, and a row whose title cell is empty or reads
"(ต่อ)" continues the row before. Numbering is kept as printed and never assumed contiguous.
"""

from __future__ import annotations

import difflib
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field, replace

from ita.importers.document import Finding, IssueRef, Measure
from ita.importers.normalize import (
    SOFT_BREAK,
    arabic,
    fuzzy_phrase,
    join_wrapped,
    leading_number,
    split_entries,
    split_list,
    squash,
    squash_spaces,
)
from ita.importers.scores import Warn, item_entries
from ita.importers.tables import CleanDocument, RoledTable
from ita.scoring.spec import ScoringSpec

Issues = Sequence[tuple[int, tuple[str, ...]]]  # framework issue number → its title and aliases
ISSUE_SIMILARITY = 0.9
DUPLICATE_SIMILARITY = 0.85
LINES_BETWEEN_PAGES = 3  # running headers and page numbers between a table and its continuation

_CONTINUED = re.compile(r"\(\s*ต่อ\s*\)|^\s*ต่อ\s*$")
_URL = re.compile(r"https?://[^\s<>\"'，、]+")
_LIMITS = re.compile(
    fuzzy_phrase("ข้อจำกัด") + r"[^\n]{0,80}?(?:" + fuzzy_phrase("ความโปร่งใส") + r"|(?=\n)|$)"
)
_NONE = {"ไม่มี", "none", "", "-"}
_HEADINGS = ("ขั้นตอน", "รายละเอียด", "วิธีการ")
UNIT_STARTS = (
    "สำนัก", "กอง", "หน่วย", "ฝ่าย", "งาน", "ทุก", "ศูนย์", "ผู้", "คณะ", "ปลัด", "รองปลัด",
    "นายก", "เจ้าหน้าที่", "โรงเรียน", "ส่วน", "ศพด",
)  # fmt: skip
AUDIENCE_WORDS = (
    ("staff", ("เจ้าหน้าที่ในหน่วยงาน", "บุคลากรในหน่วยงาน", "บุคลากรภายใน", "เจ้าหน้าที่ภายใน")),
    ("service_users", ("ผู้มารับบริการ", "ผู้รับบริการ", "ผู้มาติดต่อ", "ประชาชน")),
)
_PERCENT = re.compile(r"(?P<n>\d{1,3}(?:\.\d+)?)\s*%|ร้อยละ\s*(?P<m>\d{1,3}(?:\.\d+)?)")
# Words every question or finding shares; they say nothing about which question a finding is on.
_FILLER = (
    "มากน้อยเพียงใด", "หรือไม่", "มีความเห็นว่า", "ให้ความเห็นว่า", "หน่วยงาน", "ท่าน", "ยัง",
    "ไม่", "ประชาชน", "ผู้มารับบริการ", "ผู้รับบริการ", "เจ้าหน้าที่", "การ", "ของ", "ที่", "และ",
)  # fmt: skip
LINK_THRESHOLD = 0.5  # a question joins a finding's group only when this similar


_ONE_PER_LINE = {"responsible", "evidence"}  # a unit or a link never runs on to the next row


@dataclass
class _Draft:
    """A measure row while its page-split parts are still being joined."""

    cells: dict[str, str] = field(default_factory=dict)
    page: int | None = None

    def extend(self, cells: dict[str, str]) -> None:
        for role, text in cells.items():
            before = self.cells.get(role, "")
            entries = split_entries(text)
            if not before:
                self.cells[role] = text
            elif (entries and entries[0].marked) or role in _ONE_PER_LINE:
                self.cells[role] = before + "\n" + text
            else:
                self.cells[role] = join_wrapped(before, text)


def read_measures(
    doc: CleanDocument, spec: ScoringSpec, issues: Issues, warn: Warn
) -> list[Measure]:
    """Return the measures of every measures table, page-split rows joined."""
    drafts: list[_Draft] = []
    previous: RoledTable | None = None  # the last measures table: its header names the columns
    last_index = -1  # the block of the last table read (a continuation may follow it)
    last_page: int | None = None
    for table in doc.tables:
        if table.is_measures():
            roles = table.roles
            previous = table
        elif previous is not None and _continues(doc, previous, last_index, table):
            roles = previous.roles
        else:
            continue
        new_page = None not in (last_page, table.page) and table.page != last_page
        last_index, last_page = table.index, table.page
        for position, row in enumerate(table.rows):
            cells = {r: c for r, c in zip(roles, row, strict=True) if r is not None and c}
            title = cells.pop("title", "")
            marked = _CONTINUED.search(title) is not None
            # A row cut by a page break: its first cell on the new page carries on a numbered
            # title without a number of its own.
            tail = (
                position == 0
                and new_page
                and bool(drafts)
                and not marked
                and bool(squash(title))
                and leading_number(title)[0] is None
                and leading_number(drafts[-1].cells.get("title", ""))[0] is not None
            )
            cells = {r: _CONTINUED.sub("", c).strip() for r, c in cells.items()}
            if tail:
                cells["title"] = title
            if drafts and (marked or tail or not squash(title)):
                drafts[-1].extend(cells)  # a repeated title marked "(ต่อ)" is not added again
            elif title or any(cells.values()):
                drafts.append(
                    _Draft({"title": _CONTINUED.sub("", title).strip(), **cells}, table.page)
                )
    measures = [m for d in drafts for m in _measures_of_row(d, spec, issues, warn)]
    _warn_duplicate_steps(measures, warn)
    return measures


def _continues(doc: CleanDocument, previous: RoledTable, last: int, table: RoledTable) -> bool:
    """Return whether a table without a header carries on the measures table before it."""
    if table.has_header or table.width != previous.width:
        return False
    between = [i for i, _text in doc.lines if last < i < table.index]
    return len(between) <= LINES_BETWEEN_PAGES


def _measures_of_row(draft: _Draft, spec: ScoringSpec, issues: Issues, warn: Warn) -> list[Measure]:
    """Return the measures of one row: one, or one per titled group of steps when a row of
    the detailed form lists several measures under its issue (title, then ๑., ๒. …)."""
    measure = _measure(draft, spec, issues, warn)
    groups = step_groups(draft.cells.get("steps", ""))
    titled = [g for g in groups if g[0] is not None]
    if measure.issue is None or measure.title != measure.issue.printed or not titled:
        return [measure]
    periods = [p for p in draft.cells.get("period", "").split("\n") if p.strip()]
    own_periods = len(periods) == len(groups)
    measures = []
    for index, (title, steps) in enumerate(groups):
        measures.append(
            replace(
                measure,
                title=title or measure.title,
                steps=tuple(steps),
                period=_text(periods[index]) if own_periods else measure.period,
                # the issue's questions, findings and limitations go with its first measure
                items=measure.items if index == 0 else (),
                findings=measure.findings if index == 0 else (),
                limitations=measure.limitations if index == 0 else (),
            )
        )
    return measures


def _measure(draft: _Draft, spec: ScoringSpec, issues: Issues, warn: Warn) -> Measure:
    cells = draft.cells
    number, title, issue = _title(cells.get("title", ""), issues)
    responsible_text, limitations = _split_limits(cells.get("responsible", ""))
    listed = item_entries(cells.get("questions", ""), spec, lookalikes=True)
    codes = tuple(dict.fromkeys(e.code for e in listed if e.known))
    findings = _findings(cells.get("findings", ""))
    texts = {e.code: e.text for e in listed if e.known}
    findings = _link(findings, [(c, texts.get(c, "")) for c in codes], number, warn)
    urls = tuple(dict.fromkeys(u.rstrip(".,)") for c in cells.values() for u in _URL.findall(c)))
    return Measure(
        number=number,
        title=title,
        issue=issue,
        steps=tuple(_steps(cells.get("steps", ""))),
        period=_text(cells.get("period", "")),
        responsible=tuple(units(responsible_text)),
        follow_up=_text(cells.get("follow_up", "")),
        output=tuple(split_list(cells.get("output", ""))),
        outcome=tuple(split_list(cells.get("outcome", ""))),
        recommendations=tuple(split_list(cells.get("recommendations", ""))),
        evidence=urls,
        items=codes,
        findings=tuple(findings),
        limitations=tuple(limitations),
        page=draft.page,
    )


def _text(cell: str) -> str | None:
    text = squash_spaces(cell)
    return None if squash(text).strip("-–") == "" else text


def match_issue(text: str, issues: Issues) -> int | None:
    """Return the framework issue a title names (its title or an alias, however wrapped)."""
    wanted = re.sub(r"^ประเด็น(?:ที่)?\d*[.:]?", "", squash(arabic(text)))
    best: tuple[float, int] | None = None
    for number, titles in issues:
        for title in titles:
            ratio = difflib.SequenceMatcher(None, wanted, squash(title)).ratio()
            if ratio >= ISSUE_SIMILARITY and (best is None or ratio > best[0]):
                best = (ratio, number)
    return best[1] if best else None


def _title(cell: str, issues: Issues) -> tuple[int | None, str, IssueRef | None]:
    entries = split_entries(cell)
    if not entries:
        return None, "", None
    number = entries[0].number
    issue_number = match_issue(entries[0].text, issues)
    if issue_number is not None:
        issue = IssueRef(squash_spaces(entries[0].text), issue_number)
        rest = [e.text for e in entries[1:]]
        return number, "\n".join(rest) if rest else issue.printed, issue
    return number, squash_spaces(" ".join(e.text for e in entries)), None


def step_groups(cell: str) -> list[tuple[str | None, list[str]]]:
    """Return a steps cell as groups: (the line heading a list numbered from ๑, its steps).

    A heading that merely says "รายละเอียดขั้นตอน…" is dropped; other headings are measure titles
    (the detailed form lists each measure of an issue as its title followed by its steps).
    """
    entries = split_entries(cell)
    groups: list[tuple[str | None, list[str]]] = []
    for index, entry in enumerate(entries):
        following = entries[index + 1] if index + 1 < len(entries) else None
        text = squash_spaces(entry.text)
        if not entry.marked and following is not None and following.number == 1:
            generic = squash(text).startswith(_HEADINGS)
            groups.append((None if generic else text, []))
        elif groups:
            groups[-1][1].append(text)
        else:
            groups.append((None, [text]))
    return groups


def _steps(cell: str) -> list[str]:
    """Return every step of a cell in order, group titles included as steps."""
    steps: list[str] = []
    for title, group in step_groups(cell):
        steps += ([title] if title else []) + group
    return steps


def _split_limits(cell: str) -> tuple[str, list[str]]:
    """Split a responsible-units cell from the limitations (ข้อจำกัด…) written under it."""
    match = _LIMITS.search(cell)
    if match is None:
        return cell, []
    limits = [
        e for e in split_list(cell[match.end() :]) if squash(e).strip("-").lower() not in _NONE
    ]
    return cell[: match.start()], [squash_spaces(e) for e in limits]


def units(cell: str) -> list[str]:
    """Return the responsible units of a cell: ``-สำนักปลัด -กองคลัง``, ``สำนักปลัด/ ทุกกอง``.

    A word that does not open a unit's name (สำนัก…, กอง…, งาน…) and has no bullet of its own
    continues the name before it: PDFs wrap "กองสาธารณสุข / และสิ่งแวดล้อม" and narrow columns
    "หน่วย / ตรวจสอบภายใน" over several lines.
    """
    names: list[str] = []
    for line in cell.split("\n"):
        for piece in line.split(SOFT_BREAK):
            for entry in split_entries(piece):
                for part_index, part in enumerate(re.split(r"[/,;]", entry.text)):
                    for position, raw in enumerate(part.split()):
                        token = raw.strip("-– ")
                        if not token:
                            continue
                        opens = position == 0 and (entry.marked or part_index > 0)
                        if not names or opens or token.startswith(UNIT_STARTS):
                            names.append(token)
                        else:
                            names[-1] = join_wrapped(names[-1], token)
    return list(dict.fromkeys(names))


def _findings(cell: str) -> list[Finding]:
    findings: list[Finding] = []
    for entry in split_entries(cell):
        text = squash_spaces(entry.text)
        if not entry.marked and findings and not _audience(text):
            last = findings[-1]
            findings[-1] = replace(last, text=join_wrapped(last.text, text))
            continue
        match = _PERCENT.search(arabic(text))
        percent = float(match.group("n") or match.group("m")) if match else None
        if percent is not None and percent > 100:  # not-domain: a share is at most 100 %
            percent = None
        findings.append(Finding(text, percent, _audience(text)))
    return findings


def _audience(text: str) -> str | None:
    flat = squash(text)
    best: tuple[int, str] | None = None
    for audience, words in AUDIENCE_WORDS:
        for word in words:
            at = flat.find(word)
            if at >= 0 and (best is None or at < best[0]):
                best = (at, audience)
    return best[1] if best else None


def _bigrams(text: str) -> set[str]:
    flat = squash(arabic(text))
    for word in _FILLER:
        flat = flat.replace(word, " ")
    return {a + b for part in flat.split() for a, b in itertools.pairwise(part)}


def similarity(finding: str, question: str) -> float:
    """Return how much of a question's wording a finding repeats (0–1, by character pairs)."""
    f, q = _bigrams(finding), _bigrams(question)
    if not f or not q:
        return 0.0
    return len(f & q) / min(len(f), len(q))


def _link(
    findings: list[Finding], items: list[tuple[str, str]], number: int | None, warn: Warn
) -> list[Finding]:
    """Give each finding the questions it belongs to, in the order the row prints them.

    Each finding takes a run of one or more consecutive questions; questions may be skipped
    (no finding); runs keep the printed order. Among such assignments the one whose findings
    best repeat their questions' wording wins — which joins E6 and E7 under one finding and
    leaves E8 and E9 without one in seed S0.
    """
    m, n = len(findings), len(items)
    if m == 0 or n == 0:
        return findings
    if m > n:
        warn(
            "unlinked_findings",
            f"มาตรการ {number}: ข้อค้นพบ {m} ข้อ มากกว่าข้อคำถาม {n} ข้อ จึงไม่ได้จับคู่",
            f"measure {number}: {m} findings for {n} questions; not linked",
        )
        return findings
    gain = [[similarity(f.text, q) - LINK_THRESHOLD for _c, q in items] for f in findings]
    minus_infinity = float("-inf")
    best = [[minus_infinity] * (n + 1) for _ in range(m + 1)]
    back: dict[tuple[int, int], tuple[int, int] | None] = {}
    best[0] = [0.0] * (n + 1)
    for i in range(1, m + 1):
        for j in range(1, n + 1):
            best[i][j], back[i, j] = best[i][j - 1], None  # question j-1 has no finding
            run = 0.0
            for start in range(j - 1, i - 2, -1):  # finding i-1 takes questions start..j-1
                run += gain[i - 1][start]
                if best[i - 1][start] + run > best[i][j]:
                    best[i][j], back[i, j] = best[i - 1][start] + run, (start, j)
    linked: list[Finding] = list(findings)
    i, j = m, n
    while i > 0 and j > 0:
        step = back.get((i, j))
        if step is None:
            j -= 1
            continue
        start, stop = step
        codes = tuple(code for code, _q in items[start:stop])
        linked[i - 1] = replace(findings[i - 1], items=codes)
        i, j = i - 1, start
    return linked


def _name(measure: Measure) -> str:
    short = 30  # not-domain: characters of an unnumbered title shown in a message
    return str(measure.number) if measure.number is not None else measure.title[:short]


def _warn_duplicate_steps(measures: Sequence[Measure], warn: Warn) -> None:
    for later_index, later in enumerate(measures):
        for earlier in measures[:later_index]:
            a, b = squash(" ".join(earlier.steps)), squash(" ".join(later.steps))
            if a and b and difflib.SequenceMatcher(None, a, b).ratio() >= DUPLICATE_SIMILARITY:
                warn(
                    "duplicate_steps",
                    f"มาตรการ {_name(later)} มีขั้นตอนเหมือนมาตรการ {_name(earlier)} (อาจคัดลอกมาผิดแถว)",
                    f"measure {_name(later)} repeats the steps of measure "
                    f"{_name(earlier)} (copied into the wrong row?)",
                )
                break
