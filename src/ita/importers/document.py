"""What an import yields: :class:`ImportedDocument`, plain frozen dataclasses and nothing else.

The web app previews one of these and saves the parts it needs: the agency and fiscal years,
the official scores (:meth:`ImportedDocument.official_scores` is ready for the scoring engine),
the measures with their steps, periods, units, outputs and outcomes, and the warnings to show
before anything is saved. Every field holds what the document prints; nothing is inferred
beyond repairing extraction damage, and what a document does not say stays ``None`` or empty.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from ita.scoring.engine import Notice, OfficialScores, ScoreResult, round2

KINDS = {
    "analysis": ("รายงานการวิเคราะห์ผลการประเมิน", "analysis report"),
    "measures": ("มาตรการส่งเสริมคุณธรรมและความโปร่งใส", "measures document"),
    "results": ("รายงานผลการดำเนินการตามมาตรการ", "results report"),
}
AUDIENCES = {
    "staff": ("เจ้าหน้าที่ในหน่วยงาน", "staff"),
    "service_users": ("ประชาชนผู้รับบริการ", "service users"),
}


@dataclass(frozen=True)
class Finding:
    """A finding (ข้อค้นพบ): who said it, the share in percent, and the sentence as printed."""

    text: str
    percent: float | None  # None when the sentence gives no share
    audience: str | None  # "staff" or "service_users"
    items: tuple[str, ...] = ()  # the questions it belongs to, as the document's row shows

    def to_json(self) -> dict[str, Any]:
        return {
            "items": list(self.items),
            "percent": self.percent,
            "audience": self.audience,
            "text": self.text,
        }


@dataclass(frozen=True)
class IssueRef:
    """The issue (ประเด็น) a measure answers: as printed, and its number in the framework."""

    printed: str
    number: int | None  # the framework's issue number when the title matches one of its titles

    def to_json(self) -> dict[str, Any]:
        return {"number": self.number, "title": self.printed}


@dataclass(frozen=True)
class Measure:
    """One row of a measures or results table (rows split across pages joined again)."""

    number: int | None  # as printed (seed S1 numbers its measures 1, 2, 6, 7)
    title: str
    issue: IssueRef | None = None
    steps: tuple[str, ...] = ()
    period: str | None = None
    responsible: tuple[str, ...] = ()
    follow_up: str | None = None
    output: tuple[str, ...] = ()
    outcome: tuple[str, ...] = ()
    recommendations: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()  # URLs
    items: tuple[str, ...] = ()  # questions printed with the issue (detailed measures form)
    findings: tuple[Finding, ...] = ()
    limitations: tuple[str, ...] = ()
    page: int | None = None

    def to_json(self) -> dict[str, Any]:
        return {
            "number": self.number,
            "title": self.title,
            "issue": self.issue.to_json() if self.issue else None,
            "steps": list(self.steps),
            "period": self.period,
            "responsible": list(self.responsible),
            "follow_up": self.follow_up,
            "output": list(self.output),
            "outcome": list(self.outcome),
            "recommendations": list(self.recommendations),
            "evidence": list(self.evidence),
            "items": list(self.items),
            "findings": [f.to_json() for f in self.findings],
            "limitations": list(self.limitations),
            "page": self.page,
        }


@dataclass(frozen=True)
class BandRow:
    """A row of a level table as the document prints it."""

    level: str
    low: float | None
    high: float | None


@dataclass(frozen=True)
class ImportedDocument:
    """Everything read from one document, ready to preview and to save."""

    kind: str  # "analysis", "measures" or "results"
    file_format: str  # "text", "docx", "xlsx" or "pdf"
    agency: str | None = None
    district: str | None = None
    province: str | None = None
    fiscal_year: int | None = None  # the year the document is about (its title)
    scores_fiscal_year: int | None = None  # the ITA year of the scores it reads, if it says
    measures_fiscal_year: int | None = None  # the year its measures are for, if it says
    framework_year: int | None = None  # the framework the codes and names were read with
    indicators: Mapping[int, float] = field(default_factory=dict)
    tools: Mapping[str, float] = field(default_factory=dict)
    stated_total: float | None = None
    stated_level: str | None = None
    items: Mapping[str, float] = field(default_factory=dict)
    findings: Mapping[str, Finding] = field(default_factory=dict)  # item code → its finding
    measures: tuple[Measure, ...] = ()
    level_table: tuple[BandRow, ...] = ()
    computed: ScoreResult | None = None  # the engine's recomputation from the indicators
    warnings: tuple[Notice, ...] = ()
    # The text read, repaired, in document order: a line per line of text and per table row
    # (cells separated by a tab). Shown beside a preview; not part of ``to_json``.
    source_lines: tuple[str, ...] = ()

    def official_scores(self) -> OfficialScores:
        """Return the scores as engine input (what saving an assessment would store)."""
        return OfficialScores(
            indicators=dict(self.indicators),
            items=dict(self.items),
            tools=dict(self.tools),
            findings={
                code: f.percent for code, f in self.findings.items() if f.percent is not None
            },
            total=self.stated_total,
            level=self.stated_level,
        )

    def to_json(self) -> dict[str, Any]:
        """Return the ``ita import --json`` object."""
        issues: dict[int, dict[str, Any]] = {}
        for m in self.measures:
            if m.issue and m.issue.number is not None and m.issue.number not in issues:
                issues[m.issue.number] = {"number": m.issue.number, "title": m.issue.printed}
        computed = None
        if self.computed is not None:
            computed = {
                "total": None if self.computed.total is None else round2(self.computed.total),
                "level": self.computed.level.name if self.computed.level else None,
                "tools": {
                    code: None if v is None else round2(v)
                    for code, v in self.computed.tools.items()
                },
            }
        return {
            "kind": self.kind,
            "format": self.file_format,
            "agency": self.agency,
            "district": self.district,
            "province": self.province,
            "fiscal_year": self.fiscal_year,
            "scores_fiscal_year": self.scores_fiscal_year,
            "measures_fiscal_year": self.measures_fiscal_year,
            "framework_year": self.framework_year,
            "indicators": {str(n): v for n, v in sorted(self.indicators.items())},
            "tools": dict(self.tools),
            "stated_total": self.stated_total,
            "stated_level": self.stated_level,
            "computed": computed,
            "items": dict(self.items),
            "findings": {code: f.to_json() for code, f in self.findings.items()},
            "issues": list(issues.values()),
            "measures": [m.to_json() for m in self.measures],
            "level_table": [
                {"level": b.level, "from": b.low, "to": b.high} for b in self.level_table
            ],
            "warnings": [str(w) for w in self.warnings],
        }
