"""The project keeps its promises: documented settings and commands, complete translations."""

from __future__ import annotations

import gettext
import os
import re
import subprocess
import sys
from pathlib import Path

import click
import polib
import pytest

from ita.cli import cli
from ita.conf import VARIABLES

ROOT = Path(__file__).resolve().parents[1]
PO = ROOT / "src" / "ita" / "locale" / "th" / "LC_MESSAGES" / "django.po"


def test_every_environment_variable_is_documented() -> None:
    doc = (ROOT / "docs" / "configuration.md").read_text(encoding="utf-8")
    missing = [name for name in VARIABLES if f"`{name}`" not in doc]
    assert missing == []


def test_settings_read_the_environment_only_through_the_documented_table() -> None:
    for path in (ROOT / "src" / "ita").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        if path.name == "conf.py":
            continue
        names = set(re.findall(r"""environ(?:\.get)?\(\s*["']((?:ITA_|DATABASE_)\w*)""", text))
        names |= set(re.findall(r"""environ\[\s*["']((?:ITA_|DATABASE_)\w*)""", text))
        assert names <= set(VARIABLES), f"{path}: {names - set(VARIABLES)}"


def _commands(group: click.Group, prefix: str = "ita") -> list[str]:
    names = []
    for name, command in sorted(group.commands.items()):
        full = f"{prefix} {name}"
        names.append(full)
        if isinstance(command, click.Group):
            names.extend(_commands(command, full))
    return names


def test_the_served_application_leaves_its_loaded_code_out_of_garbage_collection(
    tmp_path: Path,
) -> None:
    # A full collection over what Django and the views load took ~50 ms; gunicorn's workers
    # import ita.wsgi, which loads every view and freezes it all (bench/intake.py).
    script = (
        "import gc, sys, ita.wsgi; "
        "print(gc.get_freeze_count(), 'ita.surveys.views.public' in sys.modules)"
    )
    env = dict(os.environ, ITA_DATA_DIR=str(tmp_path), DJANGO_SETTINGS_MODULE="ita.settings")
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, "-c", script], env=env, capture_output=True, text=True, check=True
    )
    frozen, views_loaded = done.stdout.split()
    assert int(frozen) > 50_000 and views_loaded == "True"


def test_every_cli_command_is_documented() -> None:
    doc = (ROOT / "docs" / "cli.md").read_text(encoding="utf-8")
    missing = [name for name in _commands(cli) if f"`{name}" not in doc]
    assert missing == []


def test_readme_opens_with_the_two_commands() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```(?:sh|bash|console)?\n(.*?)```", readme, flags=re.S)
    assert blocks, "README has no command block"
    assert [line.strip() for line in blocks[0].strip().splitlines()] == ["make run", "make test"]


def test_ci_runs_make_test() -> None:
    assert "make test" in (ROOT / ".ci" / "run").read_text(encoding="utf-8")


def test_the_thai_catalogue_translates_everything() -> None:
    po = polib.pofile(str(PO))
    assert [e.msgid for e in po.untranslated_entries()] == []
    assert [e.msgid for e in po.fuzzy_entries()] == []


def test_the_compiled_catalogue_matches_the_source() -> None:
    po = polib.pofile(str(PO))
    with PO.with_suffix(".mo").open("rb") as handle:
        mo = gettext.GNUTranslations(handle)
    for entry in po.translated_entries():
        if entry.msgid_plural:
            assert mo.ngettext(entry.msgid, entry.msgid_plural, 1) == entry.msgstr_plural[0]
        else:
            assert mo.gettext(entry.msgid) == entry.msgstr, "run `make messages`"


@pytest.mark.parametrize(
    "pattern",
    [
        r'\{% (?:trans|translate) "([^"]+)"',
        r'gettext(?:_lazy)?\(\s*((?:"[^"]*"\s*)+)',
        r'\b_\(\s*((?:"[^"]*"\s*)+)',
    ],
)
def test_every_marked_string_is_in_the_catalogue(pattern: str) -> None:
    # Strings with a placeholder are stored with "%" doubled; a message written as several
    # literals side by side (Python joins them) is one msgid.
    known = {e.msgid.replace("%%", "%") for e in polib.pofile(str(PO))}
    sources = [*(ROOT / "src" / "ita").rglob("*.html"), *(ROOT / "src" / "ita").rglob("*.py")]
    missing = {
        f"{path.name}: {text}"
        for path in sources
        for found in re.findall(pattern, path.read_text(encoding="utf-8"))
        if (text := "".join(re.findall(r'"([^"]*)"', found)) if found.startswith('"') else found)
        not in known
    }
    assert missing == set(), "run `make messages` and translate"
