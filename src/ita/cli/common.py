"""What every ``ita`` command shares: failing cleanly, reading years, JSON, Django set-up."""

from __future__ import annotations

import json
import os
import sys
from typing import Any, NoReturn

import click

from ita.thai import to_arabic_digits

EXIT_BAD_INPUT = 2


def fail(message: str) -> NoReturn:
    """Print a one-line message on stderr and exit with code 2 (bad input); stdout stays empty."""
    click.echo(message.replace("\n", " "), err=True)
    sys.exit(EXIT_BAD_INPUT)


def parse_year(text: str) -> int:
    """Return a Buddhist-era fiscal year from ``2566`` or ``๒๕๖๖``."""
    cleaned = to_arabic_digits(text).strip()
    if not cleaned.isdecimal():
        fail(f"ปีงบประมาณ {text!r} ไม่ใช่ตัวเลข / fiscal year {text!r} is not a number")
    return int(cleaned)


def print_json(data: Any) -> None:
    click.echo(json.dumps(data, ensure_ascii=False, indent=2))


def setup_django() -> None:
    """Configure Django for commands that use the database."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita.settings")
    import django

    django.setup()


def prepare_database() -> list[tuple[int, str]]:
    """Bring the database up to date (migrations), then load the framework files."""
    from django.core.management import call_command

    from ita.catalog.services import sync_frameworks

    call_command("migrate", interactive=False, verbosity=0)
    return sync_frameworks()
