"""What the benchmarks share: the machine's description and writing results."""

from __future__ import annotations

import datetime as dt
import json
import os
import platform
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "results"


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def machine(**extra: Any) -> dict[str, Any]:
    """Return the machine as the results record it, with the load average now."""
    from importlib.metadata import version

    found = {
        "cpu": cpu_model(),
        "cpus": os.cpu_count(),
        "system": f"{platform.system()} {platform.release()}",
        "python": platform.python_version(),
        "numpy": version("numpy"),
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
    }
    found.update(extra)
    return found


def write(
    name: str,
    command: str,
    figures: dict[str, Any],
    goal: dict[str, Any],
    machine_info: dict[str, Any],
) -> Path:
    """Write ``bench/results/<name>.json`` and return its path."""
    machine_info["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{name}.json"
    record = {
        "name": name,
        "date": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine_info,
        "command": command,
        "figures": figures,
        "goal": goal,
    }
    path.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return path


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita.settings")
    import django

    django.setup()


def command_line() -> str:
    return " ".join([".venv/bin/python", *(a if " " not in a else repr(a) for a in sys.argv)])
