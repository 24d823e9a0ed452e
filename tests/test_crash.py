"""Crash safety of intake: the server is SIGKILLed while forms and results arrive (see
tests/crash_harness.py). Runs on the database of this suite's run: SQLite, or a fresh database
on DATABASE_URL's PostgreSQL server."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def test_every_acknowledged_submission_survives_kills_exactly_once() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tests.crash_harness", "--kills", "3", "--json"],
        cwd=ROOT,
        env=os.environ.copy(),
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    assert done.returncode in {0, 1}, done.stderr
    figures = json.loads(done.stdout.strip().splitlines()[-1])
    print(json.dumps(figures, ensure_ascii=False))  # the figures, for the CI log (pytest -s)
    assert figures["problems"] == []
    assert figures["server_starts"] == 4  # the first start and one after each kill
    assert figures["forms_acknowledged"] == figures["forms_sent"] > 0
    assert figures["forms_stored"] == figures["forms_acknowledged"]
    assert figures["forms_duplicates"] == figures["forms_lost"] == figures["forms_altered"] == 0
    assert figures["saves_stored"] == figures["saves_acknowledged"] > 0
