"""The ``ita`` command. Each sub-command is documented in docs/cli.md (a test checks it)."""

from __future__ import annotations

import click

from ita.cli.data import backup, migrate_to_postgres, restore
from ita.cli.demo import demo
from ita.cli.frameworks import frameworks
from ita.cli.importer import import_document
from ita.cli.measures import measures
from ita.cli.national import national
from ita.cli.oit import oit
from ita.cli.report import report
from ita.cli.score import score
from ita.cli.serve import manage, serve
from ita.cli.worker import worker


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="ita-workbench", prog_name="ita")
def cli() -> None:
    """ITA Workbench: ระบบบริหารการประเมิน ITA (Integrity and Transparency Assessment)."""


cli.add_command(score)
cli.add_command(frameworks)
cli.add_command(report)
cli.add_command(import_document)
cli.add_command(oit)
cli.add_command(serve)
cli.add_command(manage)
cli.add_command(demo)
demo.add_command(national)
cli.add_command(worker)
cli.add_command(backup)
cli.add_command(restore)
cli.add_command(migrate_to_postgres)
cli.add_command(measures)


def main() -> None:
    cli()
