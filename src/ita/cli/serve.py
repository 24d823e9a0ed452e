"""``ita serve`` and ``ita manage``: the web application and Django's own commands."""

from __future__ import annotations

import os
import subprocess
import sys

import click

from ita.cli.common import prepare_database, setup_django


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on.")
@click.option("--port", default=8000, show_default=True, type=int, help="Port to listen on.")
@click.option("--workers", default=2, show_default=True, type=int, help="Worker processes.")
@click.option(
    "--demo", is_flag=True, help="Load the demonstration province first (not in production)."
)
@click.option(
    "--no-worker",
    is_flag=True,
    help="Do not start a background job worker alongside (run ita worker).",
)
def serve(host: str, port: int, workers: int, demo: bool, no_worker: bool) -> None:
    """Serve the web application (migrating and loading frameworks first).

    Uses DATABASE_URL when set, else the local SQLite file in ITA_DATA_DIR. Without --demo and
    without any account, the first page asks for the administrator's account.
    """
    setup_django()
    for year, action in prepare_database():
        if action != "unchanged":
            click.echo(f"กรอบการประเมินปี {year}: {action} / framework {year}: {action}")
    if demo:
        from ita.cli.demo import load_province

        load_province(seed=2568)
    from django.conf import settings

    if not settings.PRODUCTION:
        from django.core.management import call_command

        call_command("collectstatic", interactive=False, verbosity=0)
    if not no_worker:
        # The worker shares the terminal's process group, so Ctrl+C stops it with the server.
        subprocess.Popen([sys.executable, "-m", "ita.cli", "worker"])
    click.echo(f"ITA Workbench: http://{host}:{port}/  (Ctrl+C เพื่อหยุด / to stop)")
    argv = [
        sys.executable, "-m", "gunicorn", "ita.wsgi:application",
        "--bind", f"{host}:{port}", "--workers", str(workers), "--threads", "4",
        "--access-logfile", "-", "--graceful-timeout", "5",
        # Respondents' requests are not logged (docs/security.md): no address and time per answer.
        "--logger-class", "ita.surveys.accesslog.SurveyPrivateLogger",
    ]  # fmt: skip
    os.execv(sys.executable, argv)  # noqa: S606 - replace this process with gunicorn


@click.command(context_settings={"ignore_unknown_options": True, "allow_extra_args": True})
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
def manage(args: tuple[str, ...]) -> None:
    """Run a Django management command (``ita manage migrate``, ``ita manage shell``…)."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(["ita manage", *args])
