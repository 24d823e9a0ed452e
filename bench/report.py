"""Benchmark: the time to render one analysis report (seed S1's figures) in each format.

Run: .venv/bin/python bench/report.py [--repeat 7]

For each format (and the PDF once more with its chart as SVG instead of PNG, the option
``render_pdf(chart="svg")`` offers; once without the line hints, a diagnostic; and the PNG
chart alone, redrawn on the kept figure and built anew) a fresh Python process renders the
report once from cold (imports, fonts, templates, matplotlib: what the first request of a new
worker pays — the baseline) and then ``--repeat`` times warm (what every later request pays;
the goal is about this). Wall-clock and CPU time (``time.process_time``) are both recorded:
on a shared machine the load from other processes inflates wall-clock time, CPU time much
less. Writes bench/results/report.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

from common import cpu_model

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results" / "report.json"
GOAL_S = {"pdf": 1.0, "docx": 0.3}  # warm render of one analysis report, on this machine

WORKER = r"""
import json, sys, time
fmt, repeat = sys.argv[1], int(sys.argv[2])
t0, c0 = time.perf_counter(), time.process_time()
from tests.reports_support import s1_context
if fmt == "docx":
    from ita.reports.docx import render_docx as render
elif fmt == "pdf":
    from ita.reports.pdf import render_pdf as render
elif fmt == "pdf-svg-chart":
    # The vector chart render_pdf(chart="svg") offers (the default until 2026-11-21).
    from functools import partial
    from ita.reports.pdf import render_pdf
    render = partial(render_pdf, chart="svg")
elif fmt == "pdf-no-line-hints":
    # Diagnostic only: what the no-wrap spans that keep Thai words together cost.
    import weasyprint
    from ita.fonts import FONT_DIR
    from ita.reports.html import render_html
    def render(ctx):
        html = render_html(ctx, fonts="file", line_hints=False, chart="png")
        return weasyprint.HTML(string=html, base_url=str(FONT_DIR)).write_pdf()
elif fmt.startswith("chart-png"):
    # The chart alone: the thread's kept figure redrawn, or a new figure built each time.
    from ita.reports.charts import render_chart
    reuse = fmt == "chart-png"
    def render(ctx):
        return render_chart(ctx.chart, "png", reuse=reuse)
else:
    from ita.reports.html import render_html as render
out = render(s1_context())
cold = (time.perf_counter() - t0, time.process_time() - c0)
warm, warm_cpu, build = [], [], []
for _ in range(repeat):
    t, c = time.perf_counter(), time.process_time()
    ctx = s1_context()
    build.append(time.perf_counter() - t)
    out = render(ctx)
    warm.append(time.perf_counter() - t)
    warm_cpu.append(time.process_time() - c)
size = len(out if isinstance(out, bytes) else out.encode())
print(json.dumps({"cold": cold, "warm": warm, "warm_cpu": warm_cpu, "build": build, "bytes": size}))
"""


def measure(fmt: str, repeat: int) -> dict[str, object]:
    env = dict(os.environ, PYTHONPATH=f"{ROOT}:{ROOT / 'src'}")
    done = subprocess.run(
        [sys.executable, "-c", WORKER, fmt, str(repeat)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    raw = json.loads(done.stdout.strip().splitlines()[-1])
    return {
        "cold_s": round(raw["cold"][0], 3),
        "cold_cpu_s": round(raw["cold"][1], 3),
        "warm_median_s": round(statistics.median(raw["warm"]), 3),
        "warm_min_s": round(min(raw["warm"]), 3),
        "warm_median_cpu_s": round(statistics.median(raw["warm_cpu"]), 3),
        "context_build_median_s": round(statistics.median(raw["build"]), 4),
        "bytes": raw["bytes"],
        "runs": repeat,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()
    load_before = os.getloadavg()
    formats = (
        "html", "docx", "pdf", "pdf-svg-chart", "pdf-no-line-hints",
        "chart-png", "chart-png-new-figure",
    )  # fmt: skip
    figures = {fmt: measure(fmt, args.repeat) for fmt in formats}
    load_after = os.getloadavg()
    goal = {
        f"{fmt}_warm_s": {
            "target": target,
            "wall_median": figures[fmt]["warm_median_s"],
            "cpu_median": figures[fmt]["warm_median_cpu_s"],
            "met_wall": figures[fmt]["warm_median_s"] < target,  # type: ignore[operator]
            "met_cpu": figures[fmt]["warm_median_cpu_s"] < target,  # type: ignore[operator]
        }
        for fmt, target in GOAL_S.items()
    }
    result = {
        "name": "report",
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": {
            "cpu": cpu_model(),
            "cpus": os.cpu_count(),
            "system": f"{platform.system()} {platform.release()}",
            "python": platform.python_version(),
            "weasyprint": version("weasyprint"),
            "python-docx": version("python-docx"),
            "matplotlib": version("matplotlib"),
            "load_average_before": [round(v, 2) for v in load_before],
            "load_average_after": [round(v, 2) for v in load_after],
        },
        "command": f".venv/bin/python bench/report.py --repeat {args.repeat}",
        "figures": figures,
        "goal": goal,
    }
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
