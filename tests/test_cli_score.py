"""``ita score``: the exact contract later tools rely on, including exit code 2."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ita.cli import cli
from tests.conftest import S0_ITEMS, S1_INDICATORS

S1_CSV = "indicator,score\n" + "".join(f"{n},{v:.2f}\n" for n, v in S1_INDICATORS.items())
S0_CSV = "item,score\n" + "".join(f"{c},{v:.2f}\n" for c, v in S0_ITEMS.items())

S1_JSON = {
    "fiscal_year": 2565,
    "total": 87.86,
    "level": "A",
    "tools": {"IIT": 80.89, "EIT": 78.65, "OIT": 100.0},
    "indicators": {
        "1": 88.81, "2": 75.15, "3": 82.16, "4": 78.08, "5": 80.24,
        "6": 82.65, "7": 75.22, "8": 78.09, "9": 100.0, "10": 100.0,
    },
    "warnings": [],
}  # fmt: skip


def run(*args: str, stdin: str | bytes | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_score_json_for_seed_001(tmp_path: Path) -> None:
    path = tmp_path / "s1.csv"
    path.write_text(S1_CSV, encoding="utf-8")
    code, out, err = run("score", "--year", "2565", "--indicators", str(path), "--json")
    assert code == 0, err
    assert json.loads(out) == S1_JSON


def test_score_reads_stdin_with_a_dash() -> None:
    code, out, _ = run("score", "--year", "2565", "--indicators", "-", "--json", stdin=S1_CSV)
    assert code == 0
    assert json.loads(out)["total"] == 87.86


def test_thai_digits_are_accepted_in_numbers_codes_and_year() -> None:
    table = "indicator,score\n" + "".join(
        f"{str(n).translate(str.maketrans('0123456789', '๐๑๒๓๔๕๖๗๘๙'))},"
        f"{f'{v:.2f}'.translate(str.maketrans('0123456789', '๐๑๒๓๔๕๖๗๘๙'))}\n"
        for n, v in S1_INDICATORS.items()
    )
    code, out, _ = run("score", "--year", "๒๕๖๕", "--indicators", "-", "--json", stdin=table)
    assert code == 0
    assert json.loads(out) == S1_JSON


def test_a_spreadsheet_csv_with_bom_and_trailing_commas_is_accepted() -> None:
    table = "\ufeffindicator,score,\r\n" + "".join(
        f"{n},{v:.2f},\r\n" for n, v in S1_INDICATORS.items()
    )
    code, out, _ = run(
        "score", "--year", "2565", "--indicators", "-", "--json", stdin=table.encode()
    )
    assert code == 0
    assert json.loads(out)["total"] == 87.86


def test_items_aggregate_to_indicators() -> None:
    code, out, _ = run("score", "--year", "2566", "--items", "-", "--json", stdin=S0_CSV)
    data = json.loads(out)
    assert code == 0
    assert data["indicators"]["6"] == 82.24
    assert data["indicators"]["7"] == 74.17
    assert data["total"] is None
    assert data["level"] is None
    assert any("E5" in w for w in data["warnings"])


def test_published_total_within_a_hundredth_is_called_rounding() -> None:
    code, out, _ = run(
        "score", "--year", "2565", "--indicators", "-", "--published-total", "87.87", "--json",
        stdin=S1_CSV,
    )  # fmt: skip
    warnings = json.loads(out)["warnings"]
    assert code == 0
    assert len(warnings) == 1
    assert "rounding" in warnings[0]


def test_table_output_is_readable_thai_and_english() -> None:
    code, out, _ = run("score", "--year", "2565", "--indicators", "-", stdin=S1_CSV)
    assert code == 0
    assert "คะแนนรวม / total: 87.86" in out
    assert "ระดับ / level: A" in out
    assert "การใช้งบประมาณ" in out


def _replace(old: str, new: str) -> str:
    assert old in S1_CSV
    return S1_CSV.replace(old, new, 1)


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        (_replace("10,100.00", "11,100.00"), "row 11: unknown indicator '11'"),
        (_replace("10,100.00\n", ""), "missing indicator(s) 10"),
        (_replace("1,88.81", "1,101"), "row 2: score 101 is outside 0–100"),
        (_replace("1,88.81", "1,-3"), "row 2: score -3 is outside 0–100"),
        (_replace("1,88.81", "1,88.8l"), "row 2: score '88.8l' is not a number"),
        (_replace("1,88.81", "1,"), "row 2: expected 2 cells"),
        (_replace("2,75.15", "1,75.15"), "row 3: indicator 1 repeats line 2"),
        (_replace("indicator,score", "ind,score"), "row 1: the header must be"),
        ("", "the file is empty"),
        ("indicator,score\n", "missing indicator(s) 1, 2, 3"),
    ],
)
def test_bad_input_exits_2_with_one_line_and_nothing_on_stdout(table: str, expected: str) -> None:
    code, out, err = run("score", "--year", "2565", "--indicators", "-", "--json", stdin=table)
    assert code == 2
    assert out == ""
    assert expected in err
    assert len(err.strip().splitlines()) == 1


def test_several_errors_are_counted_on_the_one_line() -> None:
    table = _replace("1,88.81", "1,x").replace("2,75.15", "2,y")
    code, _, err = run("score", "--year", "2565", "--indicators", "-", stdin=table)
    assert code == 2
    assert "and 1 more" in err


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--year", "2400", "--indicators", "-"], "no framework for fiscal year 2400"),
        (["--year", "twenty", "--indicators", "-"], "fiscal year 'twenty' is not a number"),
        (["--year", "2565"], "give --indicators or --items"),
        (["--year", "2565", "--indicators", "-", "--published-total", "x"], "is not a number"),
        (
            ["--year", "2565", "--indicators", "-", "--published-level", "Z"],
            "level 'Z' does not exist",
        ),
    ],
)
def test_bad_options_exit_2(args: list[str], expected: str) -> None:
    code, out, err = run("score", *args, stdin=S1_CSV)
    assert (code, out) == (2, "")
    assert expected in err


def test_a_file_that_is_not_utf8_exits_2() -> None:
    code, out, err = run(
        "score", "--year", "2565", "--indicators", "-", stdin="ตัวชี้วัด".encode("tis-620")
    )
    assert (code, out) == (2, "")
    assert "not UTF-8" in err


def test_unknown_item_code_exits_2() -> None:
    code, out, err = run("score", "--year", "2566", "--items", "-", stdin="item,score\nE99,50\n")
    assert (code, out) == (2, "")
    assert "row 2: unknown item 'E99'" in err


def test_the_installed_ita_command_runs() -> None:
    ita = Path(sys.executable).with_name("ita")
    result = subprocess.run(
        [str(ita), "score", "--year", "2565", "--indicators", "-", "--json"],
        input=S1_CSV, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == S1_JSON
    bad = subprocess.run(
        [str(ita), "score", "--year", "2565", "--indicators", "-"],
        input="indicator,score\n1,500\n", capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert (bad.returncode, bad.stdout) == (2, "")
