"""``ita manage surveys_mix``: mix survey responses now (``ita worker`` does it every night)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from ita.surveys.services import mix


class Command(BaseCommand):
    help = (
        "Release survey responses that can be released, give rows older than the retry window "
        "new random ids, write every row again in random order, then VACUUM."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--no-vacuum", action="store_true", help="Skip VACUUM.")

    def handle(self, *args: Any, **options: Any) -> None:
        report = mix(vacuum=not options["no_vacuum"])
        self.stdout.write(
            f"campaigns {report.campaigns}, released {report.released}, "
            f"rekeyed {report.rekeyed}, rewritten {report.shuffled}"
        )
