"""``ita backup``, ``ita restore``, ``ita migrate-to-postgres``: data safety, verified."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import click

from ita.cli.common import fail, setup_django


def _run(service: str, argument: Any) -> None:
    """Run a service of ``ita.backup``; print what it moved, or fail with its one-line reason."""
    setup_django()
    from ita import backup as backups

    try:
        summary: backups.Summary = getattr(backups, service)(argument)
    except (backups.BackupError, OSError) as exc:
        fail(str(exc))
    rows = sum(summary.tables.values())
    click.echo(
        f"{rows} แถว / rows in {len(summary.tables)} ตาราง / tables; {summary.files} ไฟล์ / files"
    )


@click.command()
@click.argument("target", type=click.Path(dir_okay=False, path_type=Path))
def backup(target: Path) -> None:
    """Back up the database and the uploaded files to TARGET (.tar.gz), while the app runs."""
    _run("backup", target)


@click.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=Path))
def restore(source: Path) -> None:
    """Restore a backup into an empty database and upload folder, and verify it."""
    _run("restore", source)
    click.echo("ตรวจสอบจำนวนแถวและไฟล์ครบถ้วน / every table's rows and every file verified")


@click.command("migrate-to-postgres")
@click.argument("url")
def migrate_to_postgres(url: str) -> None:
    """Copy this SQLite installation into an empty PostgreSQL database (URL), then verify it."""
    _run("migrate_to_postgres", url)
    click.echo(
        "ย้ายข้อมูลครบถ้วน ตั้งค่า DATABASE_URL เป็นที่อยู่นี้แล้วเริ่มระบบใหม่ / "
        "every row arrived; set DATABASE_URL to this URL and restart"
    )
