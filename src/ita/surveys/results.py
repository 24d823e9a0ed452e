"""Results of a campaign: the engine's estimate from released answers, groups too small hidden.

Scores come from :func:`ita.scoring.engine.score_answers` — the same counting and arithmetic
as every other computed score — on the released responses only (see
:func:`ita.surveys.services.release`). Every figure is an estimate (engine basis ``answers``).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

from django.core.cache import cache
from django.db.models import Count
from django.utils import timezone

from ita.agencies.models import Agency
from ita.scoring.engine import OfficialScores, ScoreResult, score_answers
from ita.surveys import services
from ita.surveys.models import Campaign, Channel, Response
from ita.surveys.questionnaire import Questionnaire, for_framework

RESULT_CACHE_SECONDS = 60 * 60


def hidden_groups(sizes: Mapping[str, int], smallest: int) -> set[str]:
    """Return the groups a breakdown must hide.

    A group below ``smallest`` is hidden; and if the hidden groups together are still below
    ``smallest``, the next smallest groups are hidden too — otherwise the total minus the shown
    groups would give the hidden one away. Empty groups have nothing to hide.
    """
    hidden = {g for g, n in sizes.items() if 0 < n < smallest}
    if hidden and sum(sizes[g] for g in hidden) < smallest:
        for g in sorted(
            (g for g, n in sizes.items() if n > 0 and g not in hidden), key=sizes.__getitem__
        ):
            hidden.add(g)
            if sum(sizes[h] for h in hidden) >= smallest:
                break
    return hidden


@dataclass(frozen=True)
class Group:
    key: str
    label: str
    respondents: int
    hidden: bool
    result: ScoreResult | None  # None when hidden or empty


@dataclass(frozen=True)
class ItemRow:
    code: str
    number: int
    text: str
    score: float
    finding: float | None


@dataclass(frozen=True)
class IndicatorRow:
    number: int
    name: str
    estimate: float | None
    official: float | None


@dataclass(frozen=True)
class CampaignResults:
    campaign: Campaign
    received: int
    released: int
    smallest: int
    layout_ok: bool
    minimum: int | None
    overall: Group
    channels: list[Group] = field(default_factory=list)
    items: list[ItemRow] = field(default_factory=list)
    indicators: list[IndicatorRow] = field(default_factory=list)
    official_tool: float | None = None

    @property
    def waiting(self) -> int:
        return self.received - self.released

    @property
    def shown(self) -> bool:
        return not self.overall.hidden and self.overall.result is not None

    @property
    def tool_score(self) -> float | None:
        if not self.shown or self.overall.result is None:
            return None
        return self.overall.result.tools.get(self.campaign.tool)

    @property
    def still_needed(self) -> int | None:
        if self.minimum is None:
            return None
        return max(self.minimum - self.received, 0)


def questionnaire_of(campaign: Campaign) -> Questionnaire:
    fw = campaign.framework
    return for_framework(fw.sha256, fw.schema, fw.spec, campaign.tool)


def _score(campaign: Campaign, rows: Iterable[bytes]) -> ScoreResult:
    form = questionnaire_of(campaign)
    return score_answers(campaign.spec, {campaign.tool: form.decode_all(list(rows))})


def _groups(campaign: Campaign, released: int) -> tuple[ScoreResult | None, dict[int, ScoreResult]]:
    """Score all released rows and each channel's (cached until the next release)."""
    key = f"sv:results:{campaign.pk}:{released}:{campaign.framework.sha256}"
    cached: tuple[ScoreResult | None, dict[int, ScoreResult]] | None = cache.get(key)
    if cached is not None:
        return cached
    rows = list(
        Response.objects.filter(campaign=campaign, released=True).values_list("answers", "channel")
    )
    overall = _score(campaign, (bytes(a) for a, _c in rows)) if rows else None
    per_channel: dict[int, ScoreResult] = {}
    for channel in {c for _a, c in rows}:
        per_channel[channel] = _score(campaign, (bytes(a) for a, c in rows if c == channel))
    cache.set(key, (overall, per_channel), RESULT_CACHE_SECONDS)
    return overall, per_channel


def campaign_results(campaign: Campaign, official: ScoreResult | None = None) -> CampaignResults:
    """Release what can be released, then return what may be shown of the campaign's results."""
    services.release(campaign)
    rows = Response.objects.filter(campaign=campaign)
    counts = dict(rows.values_list("released").annotate(n=Count("id")).order_by())
    released = counts.get(True, 0)
    received = released + counts.get(False, 0)
    smallest = campaign.min_group_size
    layout_ok = campaign.layout_matches()
    overall_result, per_channel = _groups(campaign, released) if layout_ok else (None, {})
    hidden = released < smallest or overall_result is None
    overall = Group("all", "", released, hidden, None if hidden else overall_result)
    sizes = {
        str(c): n
        for c, n in rows.filter(released=True)
        .values_list("channel")
        .annotate(n=Count("id"))
        .order_by()
    }
    hide = set(sizes) if hidden else hidden_groups(sizes, smallest)
    channels = [
        Group(
            str(channel.value),
            str(channel.label),
            sizes.get(str(channel.value), 0),
            hidden=str(channel.value) in hide,
            result=None if str(channel.value) in hide else per_channel.get(channel.value),
        )
        for channel in Channel
        if sizes.get(str(channel.value), 0) > 0
    ]
    items: list[ItemRow] = []
    indicators: list[IndicatorRow] = []
    result = overall.result
    spec = campaign.spec
    if result is not None:
        form = questionnaire_of(campaign)
        for question in form.questions():
            items.append(
                ItemRow(
                    question.code,
                    question.number,
                    question.text,
                    result.items[question.code],
                    result.findings.get(question.code),
                )
            )
    for number in campaign.tool_spec.indicators:
        indicators.append(
            IndicatorRow(
                number,
                spec.indicator(number).name_th,
                result.indicators.get(number) if result is not None else None,
                official.indicators.get(number) if official is not None else None,
            )
        )
    return CampaignResults(
        campaign=campaign,
        received=received,
        released=released,
        smallest=smallest,
        layout_ok=layout_ok,
        minimum=campaign.minimum_sample(),
        overall=overall,
        channels=channels if len(channels) > 1 else [],
        items=items,
        indicators=indicators,
        official_tool=official.tools.get(campaign.tool) if official is not None else None,
    )


@dataclass(frozen=True)
class Panel:
    """The self-assessment next to the official results on the dashboard."""

    campaigns: list[CampaignResults]
    estimated_total: ScoreResult | None  # surveys for IIT/EIT, official scores for the rest
    tools_without_survey: list[str]


def dashboard_panel(agency: Agency, year: int, official: ScoreResult | None) -> Panel:
    campaigns = list(
        Campaign.objects.filter(agency=agency, fiscal_year=year).select_related("framework")
    )
    results = [campaign_results(c, official) for c in campaigns]
    shown = [r for r in results if r.shown]
    estimated = None
    surveyed = {r.campaign.tool for r in shown}
    if shown and official is not None:
        spec = shown[0].campaign.spec
        perception = {t.code for t in spec.perception_tools()}
        if surveyed == perception:
            estimated = _estimated_total(shown, official)
    missing: list[str] = []
    if campaigns:
        spec = campaigns[0].spec
        done = {c.tool for c in campaigns}
        missing = [t.code for t in spec.perception_tools() if t.code not in done]
    return Panel(results, estimated, missing)


def _estimated_total(shown: list[CampaignResults], official: ScoreResult) -> ScoreResult | None:
    """Score the surveys' answers with the official scores of the other tools (OIT)."""
    spec = shown[0].campaign.spec
    others = [t for t in spec.tools if t.code not in {r.campaign.tool for r in shown}]
    indicators: dict[int, float] = {}
    for t in others:
        for n in t.indicators:
            value = official.indicators.get(n)
            if value is not None:
                indicators[n] = value
    if len(indicators) < sum(len(t.indicators) for t in others):
        return None
    answers = {}
    for r in shown:
        rows = Response.objects.filter(campaign=r.campaign, released=True).values_list(
            "answers", flat=True
        )
        answers[r.campaign.tool] = questionnaire_of(r.campaign).decode_all([bytes(a) for a in rows])
    return score_answers(spec, answers, OfficialScores(indicators=indicators))


def today_state(campaign: Campaign) -> str:
    return campaign.state(timezone.localdate())
