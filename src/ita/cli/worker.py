"""``ita worker``: run background jobs (link checks, batches of documents)."""

from __future__ import annotations

import click

from ita.cli.common import setup_django


@click.command()
@click.option("--workers", default=2, show_default=True, type=int, help="Jobs run at once.")
def worker(workers: int) -> None:
    """Run the background job worker (huey consumer) until stopped."""
    setup_django()
    from django.core.management import call_command

    call_command("run_huey", workers=workers, worker_type="thread")
