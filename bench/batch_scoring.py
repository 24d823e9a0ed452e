"""Benchmark: score every agency of a national year from raw answers (the engine's batch path).

Run: .venv/bin/python bench/batch_scoring.py [--answers FILE] [--repeat 7] [--pandas-repeat 2]

The data is the synthetic nation of ``ita demo national`` (seed 2568): 8,317 agencies, 1.35
million respondents' IIT and EIT answers of 2568, and the OIT item scores the year was scored
with. It is read from the archive ``ita demo national`` writes (``--answers``), or made again
from the seed without a database (same arrays). The engine's batch path
(:func:`ita.scoring.batch.score_answers_batch`) then scores items, findings, indicators, tools,
totals and levels, ``--repeat`` times with one counting thread and with two.

The baseline, measured in the same run on the same data, is how an analyst would write it
with pandas: one long table (melt), a lookup table of answer values and unfavourable answers
(merge), then ``groupby(...).mean()`` for item scores, ``groupby(...).any()`` per respondent
and ``mean()`` for findings, weighted means for indicators, tools and the total, and the
year's level rules with ``np.select``. Its results are checked against the batch path's.

Goal: at least 30 million answer values per second, and at least 10 times the baseline.
Writes bench/results/batch-scoring.json.
"""

from __future__ import annotations

import argparse
import gc
import statistics
import sys
import time
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
sys.path[:0] = [str(ROOT / "src"), str(ROOT / "bench")]

from common import command_line, machine, setup_django, write  # noqa: E402

setup_django()  # the demo's agency types are Django choices; no database is opened

from ita.catalog.loader import get_framework  # noqa: E402
from ita.demo import national  # noqa: E402
from ita.scoring.batch import round2_array, score_answers_batch  # noqa: E402
from ita.scoring.spec import ScoringSpec  # noqa: E402

YEAR = 2568
SEED = 2568
GOAL_VALUES_PER_SECOND = 30e6
GOAL_RATIO = 10.0


def load(path: Path | None, spec: ScoringSpec) -> tuple[dict[str, Any], np.ndarray, int, str]:
    """Return (answers per tool, official OIT items, agencies, where the data came from)."""
    if path is not None and path.exists():
        _year, codes, answers = national.load_answers(path)
        official = national.load_official_items(path)
        if official is None:
            raise SystemExit(f"{path} has no official OIT items: run ita demo national again")
        return answers, official, len(codes), str(path)
    agencies, results, answers = national.nation_results(SEED, 1.0, (YEAR,), lambda _y: spec)
    items = results[-1].items
    assert items is not None
    return answers, national.disclosure_only(spec, items), len(agencies), f"generated (seed {SEED})"


def pandas_scores(
    spec: ScoringSpec, answers: dict[str, Any], official: np.ndarray, n: int
) -> dict[str, Any]:
    """Score the year as an analyst would with pandas (long table, merge, groupby)."""
    item_frames, finding_frames = [], []
    for tool, (who, matrix) in answers.items():
        fields = spec.fields(tool)
        columns = [f"{f.item}#{f.index}" for f in fields]
        wide = pd.DataFrame(matrix, columns=columns)
        wide["agency"] = who
        wide["respondent"] = np.arange(len(wide))
        long = wide.melt(id_vars=["agency", "respondent"], var_name="field", value_name="answer")
        lookup = pd.DataFrame(
            [
                {
                    "field": c,
                    "answer": o,
                    "item": f.item,
                    "value": v,
                    "unfavourable": o in f.unfavourable,
                }
                for c, f in zip(columns, fields, strict=True)
                for o, v in enumerate(f.values)
            ]
        )
        long = long.merge(lookup, on=["field", "answer"], how="left")
        item_frames.append(long.groupby(["agency", "item"])["value"].mean().unstack("item"))
        anyone = long.groupby(["agency", "item", "respondent"])["unfavourable"].any()
        finding_frames.append(anyone.groupby(["agency", "item"]).mean().unstack("item") * 100)
    codes = [item.code for item in spec.items]
    items = pd.concat(item_frames, axis=1).reindex(index=range(n), columns=codes)
    findings = pd.concat(finding_frames, axis=1).reindex(index=range(n), columns=codes)
    oit = pd.DataFrame(official, columns=codes)
    items = items.where(oit.isna(), oit)
    indicators = pd.DataFrame(
        {
            ind.number: (items[list(ind.items)] * [spec.item(c).weight for c in ind.items]).sum(
                axis=1
            )
            / sum(spec.item(c).weight for c in ind.items)
            for ind in spec.indicators
        }
    )
    weights = pd.Series({ind.number: ind.weight for ind in spec.indicators})
    tools = pd.DataFrame(
        {
            tool.code: (indicators[list(tool.indicators)] * weights[list(tool.indicators)]).sum(
                axis=1
            )
            / weights[list(tool.indicators)].sum()
            for tool in spec.tools
        }
    )
    total = (indicators * weights).sum(axis=1) / weights.sum()
    rounded_total, rounded_tools = total.round(2), tools.round(2)
    conditions = [
        (rounded_total >= rule.total_min)
        & (
            (rounded_tools >= rule.each_tool_min).all(axis=1)
            if rule.each_tool_min is not None
            else True
        )
        for rule in spec.levels
    ]
    levels = np.select(conditions, [rule.name for rule in spec.levels], default="")
    return {"items": items, "findings": findings, "total": total, "levels": levels}


def timed(fn: Any) -> tuple[float, float, Any]:
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn()
    return time.perf_counter() - wall, time.process_time() - cpu, result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--answers", type=Path, help="archive written by ita demo national")
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--pandas-repeat", type=int, default=2)
    args = parser.parse_args()
    info = machine(pandas=pd.__version__)
    spec = ScoringSpec.from_framework(get_framework(YEAR))
    wall, _cpu, (answers, official, n, source) = timed(lambda: load(args.answers, spec))
    respondents = {tool: len(who) for tool, (who, _m) in answers.items()}
    values = sum(int(m.size) for _w, m in answers.values())
    people = sum(respondents.values())
    print(f"{n:,} agencies, {people:,} respondents, {values:,} values ({source}, {wall:.1f} s)")

    def batch(workers: int) -> Any:
        return score_answers_batch(spec, answers, n, official_items=official, workers=workers)

    runs: dict[str, list[tuple[float, float]]] = {"batch_1_thread": [], "batch_2_threads": []}
    result = None
    for _ in range(args.repeat):
        for name, workers in (("batch_1_thread", 1), ("batch_2_threads", 2)):
            w, c, result = timed(lambda workers=workers: batch(workers))
            runs[name].append((w, c))
    assert result is not None
    pandas_runs = []
    expected = None
    for _ in range(args.pandas_repeat):
        w, c, expected = timed(lambda: pandas_scores(spec, answers, official, n))
        pandas_runs.append((w, c))
        print(f"pandas: {w:.1f} s")
    assert expected is not None
    # The baseline must agree with the engine (floating-point order differs: compare closely).
    item_gap = float(np.nanmax(np.abs(expected["items"].to_numpy() - result.items)))
    finding_gap = float(np.nanmax(np.abs(expected["findings"].to_numpy() - result.findings)))
    total_gap = float(np.nanmax(np.abs(expected["total"].to_numpy() - result.totals)))
    level_names = result.level_names(spec)
    level_disagreements = int(
        sum(a != (b or "") for a, b in zip(expected["levels"], level_names, strict=True))
    )
    printed_totals_equal = bool(
        np.array_equal(round2_array(expected["total"].to_numpy()), round2_array(result.totals))
    )

    def summary(samples: list[tuple[float, float]]) -> dict[str, float]:
        walls = [s[0] for s in samples]
        cpus = [s[1] for s in samples]
        return {
            "runs": len(samples),
            "wall_median_s": round(statistics.median(walls), 3),
            "wall_min_s": round(min(walls), 3),
            "cpu_median_s": round(statistics.median(cpus), 3),
            "values_per_second_median": round(values / statistics.median(walls)),
            "values_per_second_best": round(values / min(walls)),
            "values_per_cpu_second_median": round(values / statistics.median(cpus)),
        }

    figures: dict[str, Any] = {
        "data": {
            "source": source,
            "agencies": n,
            "respondents": respondents,
            "answer_values": values,
            "load_seconds": round(wall, 2),
        },
        **{name: summary(samples) for name, samples in runs.items()},
        "pandas_baseline": summary(pandas_runs),
        "agreement_with_baseline": {
            "max_item_difference": item_gap,
            "max_finding_difference": finding_gap,
            "max_total_difference": total_gap,
            "printed_totals_equal": printed_totals_equal,
            "level_disagreements": level_disagreements,
        },
    }
    best = min(
        figures["batch_1_thread"]["wall_median_s"], figures["batch_2_threads"]["wall_median_s"]
    )
    speed = values / best
    ratio = figures["pandas_baseline"]["wall_median_s"] / best
    goal = {
        "values_per_second": GOAL_VALUES_PER_SECOND,
        "ratio_to_pandas": GOAL_RATIO,
        "achieved_values_per_second": round(speed),
        "achieved_ratio_to_pandas": round(ratio, 1),
        "met": speed >= GOAL_VALUES_PER_SECOND and ratio >= GOAL_RATIO,
    }
    path = write("batch-scoring", command_line(), figures, goal, info)
    for name in ("batch_1_thread", "batch_2_threads", "pandas_baseline"):
        f = figures[name]
        rate = f["values_per_second_median"] / 1e6
        print(f"{name:16s} median {f['wall_median_s']:.3f} s  {rate:.1f} M values/s")
    print(f"ratio to pandas {ratio:.1f}x; goal met: {goal['met']}")
    print(f"agreement: {figures['agreement_with_baseline']}")
    print(f"→ {path}")


if __name__ == "__main__":
    main()
