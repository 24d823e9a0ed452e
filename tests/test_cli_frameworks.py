"""``ita frameworks``: list, show, check and load."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from ita.catalog.models import Framework
from ita.cli import cli


def run(*args: str) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args))
    return result.exit_code, result.stdout, result.stderr


def test_list_names_every_year_with_its_scheme() -> None:
    code, out, _ = run("frameworks", "list", "--json")
    rows = {r["fiscal_year"]: r for r in json.loads(out)}
    assert code == 0
    assert set(rows) >= {2563, 2564, 2565, 2566, 2567, 2568}
    assert rows[2565]["level_scheme"] == "grade"
    assert rows[2566]["levels"] == ["ผ่านดีเยี่ยม", "ผ่านดี", "ผ่าน", "ไม่ผ่าน"]
    assert rows[2566]["items"] == {"IIT": 30, "EIT": 15, "OIT": 43}


def test_list_as_a_table() -> None:
    code, out, _ = run("frameworks", "list")
    assert code == 0
    assert "2566" in out
    assert "30/30/40" in out


def test_show_json_is_the_whole_framework() -> None:
    code, out, _ = run("frameworks", "show", "2566", "--json")
    data = json.loads(out)
    assert code == 0
    assert data["fiscal_year"] == 2566
    assert [t["code"] for t in data["tools"]] == ["IIT", "EIT", "OIT"]
    assert data["levels"]["scheme"] == "rating"


def test_show_as_text_outlines_tools_levels_and_issues() -> None:
    code, out, _ = run("frameworks", "show", "๒๕๖๕")
    assert code == 0
    assert "การปฏิบัติหน้าที่" in out
    assert "AA" in out
    assert "(1)" in out


def test_show_an_unknown_year_exits_2() -> None:
    code, out, err = run("frameworks", "show", "2400")
    assert (code, out) == (2, "")
    assert "2400" in err


def test_check_reports_each_broken_file(tmp_path: Path) -> None:
    good = Path(__file__).resolve().parents[1] / "frameworks" / "ita-2565.yaml"
    bad = tmp_path / "ita-2565.yaml"
    bad.write_text(
        good.read_text(encoding="utf-8").replace("scale: L4", "scale: L9", 1), encoding="utf-8"
    )
    code, out, err = run("frameworks", "check", str(good), str(bad))
    assert code == 2
    assert f"ok  {good}" in out
    assert f"{bad}:" in err
    assert "unknown scale 'L9'" in err


@pytest.mark.django_db
def test_load_creates_then_leaves_unchanged_files_alone() -> None:
    code, out, _ = run("frameworks", "load")
    assert code == 0
    assert "2566: created" in out
    assert Framework.objects.count() >= 6
    code, out, _ = run("frameworks", "load")
    assert "2566: unchanged" in out
