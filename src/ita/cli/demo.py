"""``ita demo``: demonstration data, clearly labelled as such."""

from __future__ import annotations

import click

from ita.cli.common import fail, prepare_database, setup_django


@click.group()
def demo() -> None:
    """Demonstration data / ข้อมูลตัวอย่าง."""


def load_province(seed: int) -> None:
    """Load the demonstration province into a migrated database with frameworks loaded."""
    from django.conf import settings

    from ita.demo.province import demo_accounts, load_demo

    if settings.PRODUCTION:
        fail("ไม่โหลดข้อมูลตัวอย่างในระบบจริง / demonstration data is refused in production")
    agencies = load_demo(seed)
    click.echo(f"ข้อมูลตัวอย่าง / demonstration data: {len(agencies)} หน่วยงาน / agencies")
    for username, password, description in demo_accounts():
        click.echo(f"  {username} / {password}  — {description}")


@demo.command("load")
@click.option("--seed", default=2568, show_default=True, help="Random seed (same seed, same data).")
def load(seed: int) -> None:
    """Load a demonstration province: agencies, people and three fiscal years of results."""
    setup_django()
    prepare_database()
    load_province(seed)
