"""Proposals drawn from an assessment: which issues and questions need action, in what order.

For each of the seven issues (ประเด็น), the questions mapped to it with their scores and findings
— written as agencies write them ("ประชาชนผู้รับบริการ 4.26% มีความเห็นว่า…") — and suggested
measures from the knowledge base.

Ordering: a question needs action first when it is below the pass mark, then by its score
(lowest first), then by how much it fell since last year. An issue ranks by its most urgent
question, then by how many of its questions are below the pass mark, then by its number; issues
without any scored question come last.

Pure Python; no Django.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ita.catalog.schema import Framework
from ita.measures.knowledge import Findings, MeasuresKnowledge, SuggestedMeasure
from ita.scoring.engine import ScoreResult, round2
from ita.scoring.spec import ScoringSpec
from ita.thai import digits


@dataclass(frozen=True)
class ItemNeed:
    code: str
    text: str | None
    tool: str
    indicator: int
    score: float
    finding_percent: float | None
    finding: str | None  # the sentence, when the finding is known
    previous: float | None
    below_pass_mark: bool
    audience: str | None = None  # เจ้าหน้าที่ในหน่วยงาน / ประชาชนผู้รับบริการ
    opinion: str | None = None  # "มีความเห็นว่า…" (or "ให้ความเห็นว่า…" when none objected)

    @property
    def drop(self) -> float:
        """Points lost since last year (0 when it rose or is unknown)."""
        return max(0.0, self.previous - self.score) if self.previous is not None else 0.0

    def priority(self) -> tuple[int, float, float, str]:
        return (0 if self.below_pass_mark else 1, self.score, -self.drop, self.code)


@dataclass(frozen=True)
class IndicatorNeed:
    number: int
    name: str
    tool: str
    score: float
    previous: float | None
    below_pass_mark: bool

    @property
    def drop(self) -> float:
        return max(0.0, self.previous - self.score) if self.previous is not None else 0.0


@dataclass(frozen=True)
class IssueProposal:
    number: int
    title: str
    why: str | None
    items: tuple[ItemNeed, ...]
    unscored: tuple[str, ...]  # mapped questions without a score
    suggested: tuple[SuggestedMeasure, ...] = field(default=())

    def priority(self) -> tuple[Any, ...]:
        if not self.items:
            return (1, (), 0, self.number)
        below = sum(item.below_pass_mark for item in self.items)
        return (0, self.items[0].priority(), -below, self.number)


@dataclass(frozen=True)
class Proposal:
    fiscal_year: int
    issues: tuple[IssueProposal, ...]
    indicators: tuple[IndicatorNeed, ...]  # below the pass mark or fallen, most urgent first

    def to_json(self) -> dict[str, Any]:
        """Return the ``ita measures propose --json`` object."""
        return {
            "fiscal_year": self.fiscal_year,
            "issues": [
                {
                    "number": issue.number,
                    "title": issue.title,
                    "items": [
                        {
                            "code": item.code,
                            "score": round2(item.score),
                            "finding": item.finding,
                            "finding_percent": (
                                None
                                if item.finding_percent is None
                                else round2(item.finding_percent)
                            ),
                            "below_pass_mark": item.below_pass_mark,
                            "previous": None if item.previous is None else round2(item.previous),
                            "text": item.text,
                        }
                        for item in issue.items
                    ],
                    "unscored": list(issue.unscored),
                    "suggested_measures": [m.title_th for m in issue.suggested],
                    "measures": [m.model_dump() for m in issue.suggested],
                }
                for issue in self.issues
            ],
            "indicators": [
                {
                    "number": ind.number,
                    "name": ind.name,
                    "score": round2(ind.score),
                    "previous": None if ind.previous is None else round2(ind.previous),
                    "below_pass_mark": ind.below_pass_mark,
                }
                for ind in self.indicators
            ],
        }


def opinion(percent: float | None, unfavourable: str | None, favourable: str | None) -> str | None:
    """Return what the respondents think: ``มีความเห็นว่า…``, or ``ให้ความเห็นว่า…`` at 0%."""
    if percent is None:
        return None
    if round2(percent) == 0:
        return f"ให้ความเห็นว่า{favourable}" if favourable else None
    return f"มีความเห็นว่า{unfavourable}" if unfavourable else None


def finding_sentence(
    audience: str | None,
    percent: float | None,
    unfavourable: str | None,
    favourable: str | None,
    thai_digits: bool,
) -> str | None:
    """Return a finding as agencies write it, or None without a percentage or statement."""
    view = opinion(percent, unfavourable, favourable)
    if view is None or audience is None or percent is None:
        return None
    if round2(percent) == 0:
        return f"{audience}{view}"
    share = digits(f"{round2(percent):.2f}", thai_digits)
    return f"{audience} {share}% {view}"


def propose(
    fw: Framework,
    spec: ScoringSpec,
    result: ScoreResult,
    *,
    findings: Findings,
    knowledge: MeasuresKnowledge,
    mapping: Mapping[int, Sequence[str]] | None = None,
    previous: ScoreResult | None = None,
    thai_digits: bool = True,
) -> Proposal:
    """Return the issues and questions that need action, most urgent first.

    ``mapping`` replaces the framework's issue → questions mapping (an agency's own);
    ``previous`` is last year's result, for what fell most.
    """
    texts = {item.code: item.text_th for _t, _i, item in fw.iter_items()}
    audiences = {t.code: t.respondents_th for t in fw.tools}
    issues = []
    for issue in fw.issues:
        codes = list(mapping[issue.number]) if mapping and issue.number in mapping else issue.items
        needs, unscored = [], []
        for code in codes:
            score = result.items.get(code)
            if score is None or not spec.has_item(code):
                unscored.append(code)
                continue
            item = spec.item(code)
            percent = result.findings.get(code)
            statement = findings.statement(spec.fiscal_year, code)
            unfavourable = statement.unfavourable if statement else None
            favourable = statement.favourable if statement else None
            needs.append(
                ItemNeed(
                    code=code,
                    text=texts.get(code),
                    tool=item.tool,
                    indicator=item.indicator,
                    score=score,
                    finding_percent=percent,
                    finding=finding_sentence(
                        audiences.get(item.tool), percent, unfavourable, favourable, thai_digits
                    ),
                    previous=previous.items.get(code) if previous else None,
                    below_pass_mark=round2(score) < spec.pass_mark,
                    audience=audiences.get(item.tool),
                    opinion=opinion(percent, unfavourable, favourable),
                )
            )
        needs.sort(key=ItemNeed.priority)
        advice = knowledge.advice(issue.number)
        issues.append(
            IssueProposal(
                number=issue.number,
                title=issue.title_th,
                why=advice.why_th if advice else None,
                items=tuple(needs),
                unscored=tuple(unscored),
                suggested=tuple(advice.measures) if advice else (),
            )
        )
    issues.sort(key=IssueProposal.priority)
    return Proposal(spec.fiscal_year, tuple(issues), _indicator_needs(spec, result, previous))


def _indicator_needs(
    spec: ScoringSpec, result: ScoreResult, previous: ScoreResult | None
) -> tuple[IndicatorNeed, ...]:
    needs = []
    for ind in spec.indicators:
        score = result.indicators.get(ind.number)
        if score is None:
            continue
        before = previous.indicators.get(ind.number) if previous else None
        need = IndicatorNeed(
            ind.number, ind.name_th, ind.tool, score, before, round2(score) < spec.pass_mark
        )
        if need.below_pass_mark or need.drop > 0:
            needs.append(need)
    needs.sort(key=lambda n: (0 if n.below_pass_mark else 1, n.score, -n.drop, n.number))
    return tuple(needs)
