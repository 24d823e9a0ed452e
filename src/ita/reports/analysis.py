"""The analysis report's context: scores, framework and knowledge base in, drafted document out.

Every number comes from the :class:`~ita.scoring.engine.ScoreResult` and the framework (a true
ranking, the year's own level rules); the prose comes from :mod:`ita.reports.narrative` and the
year's knowledge base; any drafted paragraph can be replaced by key (``overrides``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Mapping, Sequence

from ita.catalog.schema import Framework
from ita.reports import narrative as say
from ita.reports.context import (
    AgencyInfo,
    Align,
    AnalysisContext,
    AnalysisFigures,
    Cell,
    ChartData,
    Column,
    Drafts,
    Heading,
    Line,
    MeasuresContext,
    Table,
    ToolWeakness,
    WeakIndicator,
)
from ita.reports.knowledge import Knowledge
from ita.scoring.engine import ROUNDING_TOLERANCE, SCORE_MAX, ScoreResult, round2
from ita.scoring.spec import LevelSpec, ScoringSpec
from ita.thai import digits, format_date, format_score

# Shares of the width of each table (each adds up to 1).
FRAMEWORK_WIDTHS = (0.28, 0.56, 0.16)
RANKING_WIDTHS = (0.1, 0.44, 0.11, 0.15, 0.2)  # not-domain: column widths
TOOLS_WIDTHS = (0.6, 0.2, 0.2)  # not-domain: column widths
LEVEL_BAND_WIDTHS = (0.5, 0.5)
LEVEL_RULE_WIDTHS = (0.25, 0.75)


def _columns(widths: Sequence[float], *aligns: Align) -> tuple[Column, ...]:
    return tuple(Column(w, a) for w, a in zip(widths, aligns, strict=True))


def _ranking(scores: Mapping[int, float]) -> list[tuple[int, int]]:
    """Return (rank, indicator) best first; equal printed scores share a rank (1, 1, 3 …)."""
    printed = {n: round2(v) for n, v in scores.items()}
    order = sorted(printed, key=lambda n: (-printed[n], n))
    return [(1 + sum(1 for v in printed.values() if v > printed[n]), n) for n in order]


def _level_rows(spec: ScoringSpec, fmt: Callable[[float], str], thai: bool) -> tuple[Table, str]:
    """Return the level table of the year and a sentence introducing it."""
    levels = spec.levels
    count = digits(len(levels), thai)
    if all(level.each_tool_min is None for level in levels):
        rows = []
        upper: float | None = None
        for level in levels:
            top = fmt(SCORE_MAX if upper is None else round2(upper - ROUNDING_TOLERANCE))
            rows.append((Cell.of(f"{fmt(level.total_min)} – {top}", align="center"),
                         Cell.of(level.name, align="center")))  # fmt: skip
            upper = level.total_min
        header = ((Cell.of(say.COL_SCORE, align="center"), Cell.of(say.COL_LEVEL, align="center")),)
        table = Table(
            "levels", _columns(LEVEL_BAND_WIDTHS, "center", "center"), header, tuple(rows)
        )
        return table, say.levels_intro_bands(count)
    rows = []
    for index, level in enumerate(levels):
        rows.append((Cell.of(level.name, align="center"),
                     Cell.of(_rule_text(levels, index, fmt))))  # fmt: skip
    header = ((Cell.of(say.COL_LEVEL, align="center"), Cell.of(say.COL_RULE, align="center")),)
    table = Table("levels", _columns(LEVEL_RULE_WIDTHS, "center", "left"), header, tuple(rows))
    return table, say.levels_intro_rules(count, fmt(spec.pass_mark))


def _rule_text(levels: Sequence[LevelSpec], index: int, fmt: Callable[[float], str]) -> str:
    """Return a level's condition in words, given that higher levels are tried first."""
    level = levels[index]
    higher = levels[:index]
    if level.total_min == 0 and higher:
        return say.rule_below(fmt(min(h.total_min for h in higher)))
    text = say.rule_total(fmt(level.total_min))
    if level.each_tool_min is not None:
        text += say.rule_each_tool(fmt(level.each_tool_min))
    caps = [h.each_tool_min for h in higher if h.total_min == level.total_min and h.each_tool_min]
    if caps and level.each_tool_min is None:
        text += say.rule_some_tool_below(fmt(min(caps)))
    return text


def build_analysis(
    spec: ScoringSpec,
    framework: Framework,
    result: ScoreResult,
    agency: AgencyInfo,
    knowledge: Knowledge,
    overrides: Mapping[str, str] | None = None,
    thai_digits: bool = True,
    *,
    report_date: dt.date | None = None,
    weak_indicators: Iterable[int] | None = None,
    guidelines: Sequence[str] | None = None,
    assessor_notes: Mapping[str, Sequence[str]] | None = None,
    appendix: MeasuresContext | None = None,
) -> AnalysisContext:
    """Return the analysis report of one agency's result in one fiscal year.

    ``weak_indicators`` chooses the indicators discussed under "ข้อบกพร่อง" (default: every
    indicator below the pass mark); ``guidelines`` replaces the knowledge base's guidelines for
    action; ``assessor_notes`` adds the assessor's recommendations per tool code (imported from
    the official result); ``overrides`` replaces drafted paragraphs by key
    (:meth:`AnalysisContext.paragraphs` lists them). Raises ``ValueError`` when the result lacks
    a score the report needs or an override names no paragraph.
    """
    year = spec.fiscal_year
    if framework.fiscal_year != year or knowledge.fiscal_year != year or result.fiscal_year != year:
        raise ValueError(
            f"spec {year}, framework {framework.fiscal_year}, knowledge "
            f"{knowledge.fiscal_year} and result {result.fiscal_year} must be the same year"
        )
    missing = [str(n) for n, v in result.indicators.items() if v is None]
    if missing:
        raise ValueError(
            f"ไม่มีคะแนนตัวชี้วัดที่ {', '.join(missing)} จึงจัดทำรายงานไม่ได้ / "
            f"no score for indicator(s) {', '.join(missing)}: cannot draft the report"
        )
    total = result.published_total if result.published_total is not None else result.total
    if total is None or result.level is None or result.passed is None:
        raise ValueError("ยังไม่มีคะแนนรวมหรือระดับ / the result has no total or no level")
    tool_scores = {code: v for code, v in result.tools.items() if v is not None}
    if len(tool_scores) != len(spec.tools):
        raise ValueError("ไม่มีคะแนนบางแบบวัด / a tool has no score")
    scores = {n: v for n, v in result.indicators.items() if v is not None}

    thai = thai_digits

    def d(text: object) -> str:
        return digits(text, thai)

    def fmt(value: float) -> str:
        return format_score(round2(value), thai)

    draft = Drafts(overrides, d)
    pass_mark = spec.pass_mark
    level: LevelSpec = result.level
    names = {i.number: i.name_th for i in spec.indicators}
    tool_names = {t.code: t.name_th for t in spec.tools}

    def ind_name(number: int) -> str:
        return say.indicator_name(d(number), names[number])

    def is_below(number: int) -> bool:
        return round2(scores[number]) < pass_mark

    ranking = _ranking(scores)
    top = ranking[0][1]
    highest = tuple(n for _, n in ranking if round2(scores[n]) == round2(scores[top]))
    bottom = ranking[-1][1]
    lowest = tuple(n for _, n in ranking if round2(scores[n]) == round2(scores[bottom]))
    below = tuple(i.number for i in spec.indicators if is_below(i.number))
    if weak_indicators is None:
        discussed = below
    else:
        chosen = set(weak_indicators)
        unknown = sorted(chosen - set(scores))
        if unknown:
            raise ValueError(f"ไม่มีตัวชี้วัดที่ {unknown} / unknown indicator(s) {unknown}")
        discussed = tuple(i.number for i in spec.indicators if i.number in chosen)

    fields = {"agency": agency.name, "year": str(year), "pass_mark": f"{pass_mark:.2f}"}
    year_d = d(year)
    place = agency.location()

    # Preface and cover
    preface_heading = Heading("preface", "", say.PREFACE)
    preface = tuple(
        draft(f"preface.{i}", text.format(**fields))
        for i, text in enumerate(knowledge.preface_th, start=1)
    )
    signature = tuple(
        line for line in (agency.name, format_date(report_date, thai_digits=thai)
                          if report_date else "") if line
    )  # fmt: skip

    # 1. The framework of the year
    numbering = say.Numbering(d)
    framework_heading = Heading("framework", numbering.next(), say.framework_heading(year_d))
    n_ind, n_tools = d(len(spec.indicators)), d(len(spec.tools))
    framework_intro = draft("framework.intro", say.framework_intro(year_d, n_ind, n_tools))
    fw_rows = []
    for tool in spec.tools:
        lines = tuple(
            Line(say.indicator_with_weight(ind_name(n), d(f"{spec.indicator(n).weight:g}")))
            for n in tool.indicators
        )
        fw_rows.append((Cell.of(say.tool_full_name(tool.name_th, tool.code)), Cell(lines),
                        Cell.of(say.percent(d(f"{tool.weight:g}")), align="center")))  # fmt: skip
    weight_sum = sum(t.weight for t in spec.tools)
    fw_rows.append((Cell.of(say.TOTAL), Cell.of(say.indicator_count(n_ind)),
                    Cell.of(say.percent(d(f"{weight_sum:g}")), align="center")))  # fmt: skip
    framework_table = Table(
        "framework",
        _columns(FRAMEWORK_WIDTHS, "left", "left", "center"),
        ((Cell.of(say.COL_TOOL, align="center"), Cell.of(say.COL_INDICATOR, align="center"),
          Cell.of(say.COL_WEIGHT, align="center")),),
        tuple(fw_rows),
        total_row=True,
    )  # fmt: skip
    levels_heading = Heading("levels", numbering.next(), say.levels_heading(year_d))
    levels_table, levels_text = _level_rows(spec, fmt, thai)
    levels_intro = draft("levels.intro", levels_text)

    # 2. Results
    results_heading = Heading("results", numbering.next(), say.results_heading(year_d))
    notes = []
    if result.basis != "official":
        notes.append(draft("results.estimate", say.ESTIMATE_NOTE))
    rank_rows = tuple(
        (Cell.of(d(rank), align="center"), Cell.of(ind_name(n)),
         Cell.of(spec.indicator(n).tool, align="center"), Cell.of(fmt(scores[n]), align="center"),
         Cell.of(say.BELOW if is_below(n) else say.REACHED, align="center"))
        for rank, n in ranking
    )  # fmt: skip
    ranking_table = Table(
        "ranking",
        _columns(RANKING_WIDTHS, "center", "left", "center", "center", "center"),
        ((Cell.of(say.COL_RANK, align="center"), Cell.of(say.COL_INDICATOR, align="center"),
          Cell.of(say.COL_TOOL_SHORT, align="center"), Cell.of(say.COL_SCORE, align="center"),
          Cell.of(say.col_against_pass(fmt(pass_mark)), align="center")),),
        rank_rows,
    )  # fmt: skip
    tool_rows = [
        (Cell.of(say.tool_full_name(t.name_th, t.code)),
         Cell.of(say.percent(d(f"{t.weight:g}")), align="center"),
         Cell.of(fmt(tool_scores[t.code]), align="center"))
        for t in spec.tools
    ]  # fmt: skip
    tool_rows.append((Cell.of(say.TOTAL_SCORE), Cell.of(say.percent(d(f"{weight_sum:g}")),
                      align="center"), Cell.of(fmt(total), align="center")))  # fmt: skip
    tools_table = Table(
        "tools",
        _columns(TOOLS_WIDTHS, "left", "center", "center"),
        ((Cell.of(say.COL_TOOL, align="center"), Cell.of(say.COL_WEIGHT, align="center"),
          Cell.of(say.COL_SCORE, align="center")),),
        tuple(tool_rows),
        total_row=True,
    )  # fmt: skip
    chart_order = [i.number for i in spec.indicators]
    chart = ChartData(
        labels=tuple(say.chart_label(d(n), names[n]) for n in chart_order),
        scores=tuple(round2(scores[n]) for n in chart_order),
        below=tuple(is_below(n) for n in chart_order),
        pass_mark=pass_mark,
        pass_label=say.pass_line(fmt(pass_mark)),
        value_labels=tuple(fmt(scores[n]) for n in chart_order),
        thai_digits=thai,
        caption=say.chart_caption(year_d, fmt(pass_mark)),
        legend=(say.legend_reached(fmt(pass_mark)), say.legend_below(fmt(pass_mark))),
    )

    # 3. Summary
    summary_heading = Heading("summary", numbering.next(), say.SUMMARY_HEADING)
    meaning = _level_meaning(framework, knowledge, level.name)
    summary = [
        draft("summary.overall", say.overall(agency.name, year_d, fmt(total), d(level.name),
                                             d(meaning) if meaning else None)),
        draft("summary.extremes", say.extremes(
            [ind_name(n) for n in highest], fmt(scores[top]),
            [ind_name(n) for n in lowest], fmt(scores[bottom]))),
        draft("summary.tools", say.tools_summary(
            [(t.code, fmt(tool_scores[t.code]), round2(tool_scores[t.code]) < pass_mark)
             for t in spec.tools], fmt(pass_mark))),
        draft("summary.pass_mark", say.pass_statement(
            result.passed, fmt(total), fmt(pass_mark), fmt(abs(round2(total) - pass_mark)),
            [ind_name(n) for n in below], d(len(below)))),
    ]  # fmt: skip

    # 4. Weaknesses, per tool
    weakness_heading = Heading("weaknesses", numbering.next(), say.WEAKNESS_HEADING)
    weakness_intro = draft("weak.intro", say.weakness_intro(fmt(pass_mark)))
    weak_sections = []
    for tool in spec.tools:
        heading = Heading(f"weak-{tool.code}", numbering.sub(),
                          say.weakness_tool_heading(tool.name_th, tool.code), level=2)  # fmt: skip
        items = []
        for n in tool.indicators:
            if n not in discussed:
                continue
            kn = knowledge.indicators[n]
            items.append(
                WeakIndicator(
                    number=n,
                    title=say.weak_title(ind_name(n), fmt(scores[n])),
                    score=round2(scores[n]),
                    measures=draft(f"weak.{n}.measures", kn.measures_th.format(**fields)),
                    improve_label=say.IMPROVE_LABEL,
                    improve=draft(f"weak.{n}.improve", kn.improve_th.format(**fields)),
                )
            )
        note = None
        if not items:
            skipped = [ind_name(n) for n in tool.indicators if is_below(n)]
            note = draft(f"weak.{tool.code}.none", say.no_weakness(
                fmt(tool_scores[tool.code]), fmt(pass_mark), skipped))  # fmt: skip
        weak_sections.append(ToolWeakness(tool.code, heading, tuple(items), note))

    # 5. Recommendations, per tool
    recommendations_heading = Heading("recommendations", numbering.next(), say.RECOMMEND_HEADING)
    recs = [draft("recommendations.summary", say.recommend_summary(
        agency.name, fmt(total), result.passed, fmt(pass_mark)))]  # fmt: skip
    notes_by_tool = assessor_notes or {}
    unknown_tools = sorted(set(notes_by_tool) - set(tool_names))
    if unknown_tools:
        raise ValueError(f"ไม่มีแบบวัด {unknown_tools} / unknown tool(s) {unknown_tools}")
    for tool in spec.tools:
        in_tool = list(tool.indicators)
        best_score = max(round2(scores[n]) for n in in_tool)
        worst_score = min(round2(scores[n]) for n in in_tool)
        best = [ind_name(n) for n in in_tool if round2(scores[n]) == best_score]
        worst = [ind_name(n) for n in in_tool if round2(scores[n]) == worst_score]
        kt = knowledge.tools[tool.code]
        recs.append(draft(f"recommendations.{tool.code}", say.tool_recommendation(
            say.tool_full_name(tool.name_th, tool.code), fmt(tool_scores[tool.code]),
            best, fmt(best_score), best_score >= pass_mark,
            worst, fmt(worst_score), worst_score >= pass_mark,
            kt.maintain_th.format(**fields), kt.improve_th.format(**fields))))  # fmt: skip
        for i, note_text in enumerate(notes_by_tool.get(tool.code, ()), start=1):
            recs.append(draft(f"recommendations.{tool.code}.assessor.{i}",
                              say.assessor_note(note_text)))  # fmt: skip

    # 6. Guidelines for action
    guidelines_heading = Heading("guidelines", numbering.next(), say.guidelines_heading())
    guidelines_intro = draft("guidelines.intro", say.guidelines_intro(agency.name))
    texts = list(guidelines) if guidelines is not None else list(knowledge.guidelines_th)
    guideline_paras = tuple(
        draft(f"guidelines.{i}", say.numbered(d(i), text.format(**fields)))
        for i, text in enumerate(texts, start=1)
    )

    draft.check()
    figures = AnalysisFigures(
        total=round2(total),
        level=level.name,
        passed=result.passed,
        ranking=tuple(ranking),
        highest=highest,
        lowest=lowest,
        below_pass=below,
        discussed=discussed,
    )
    return AnalysisContext(
        fiscal_year=year,
        thai_digits=thai,
        agency=agency,
        figures=figures,
        title_lines=say.analysis_title(year_d),
        cover_lines=tuple(line for line in (agency.name, place) if line),
        preface_heading=preface_heading,
        preface=preface,
        signature_lines=signature,
        toc_heading=Heading("contents", "", say.CONTENTS),
        toc_page_label=say.PAGE,
        framework_heading=framework_heading,
        framework_intro=framework_intro,
        framework_table=framework_table,
        levels_heading=levels_heading,
        levels_intro=levels_intro,
        levels_table=levels_table,
        results_heading=results_heading,
        results_notes=tuple(notes),
        ranking_table=ranking_table,
        tools_table=tools_table,
        chart=chart,
        summary_heading=summary_heading,
        summary=tuple(summary),
        weakness_heading=weakness_heading,
        weakness_intro=weakness_intro,
        weaknesses=tuple(weak_sections),
        recommendations_heading=recommendations_heading,
        recommendations=tuple(recs),
        guidelines_heading=guidelines_heading,
        guidelines_intro=guidelines_intro,
        guidelines=guideline_paras,
        appendix=appendix,
    )


def _level_meaning(framework: Framework, knowledge: Knowledge, name: str) -> str | None:
    """Return what a level means: the framework's own gloss, else the knowledge base's."""
    for rule in framework.levels.rules:
        if rule.name == name and rule.meaning_th:
            return rule.meaning_th
    return knowledge.levels.get(name)
