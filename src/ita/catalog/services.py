"""Loading framework files into the database."""

from __future__ import annotations

from pathlib import Path

from django.db import transaction

from ita.catalog.loader import load_all
from ita.catalog.models import Framework


def sync_frameworks(directory: Path | None = None) -> list[tuple[int, str]]:
    """Load every framework file; return (year, "created" | "updated" | "unchanged").

    All files are validated before anything is written, and all are written in one
    transaction: a bad file leaves the database as it was.
    """
    loaded = load_all(directory)
    report = []
    with transaction.atomic():
        for year, lf in loaded.items():
            fw = lf.framework
            current = Framework.objects.filter(
                fiscal_year=year, agency_group=fw.agency_group
            ).first()
            if current is not None and current.sha256 == lf.sha256:
                report.append((year, "unchanged"))
                continue
            Framework.objects.update_or_create(
                fiscal_year=year,
                agency_group=fw.agency_group,
                defaults={
                    "sha256": lf.sha256,
                    "document": fw.model_dump(mode="json"),
                    "source_path": str(lf.path),
                },
            )
            report.append((year, "created" if current is None else "updated"))
    return report
