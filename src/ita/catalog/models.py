from __future__ import annotations

from django.db import models

from ita.catalog.loader import parse_framework_data
from ita.catalog.schema import Framework as FrameworkSchema
from ita.scoring.spec import ScoringSpec

# Parsed frameworks by the sha256 of their file: a file's content never changes under its hash.
_PARSED: dict[str, tuple[FrameworkSchema, ScoringSpec]] = {}


class Framework(models.Model):
    """The framework file of one fiscal year as loaded into the database."""

    fiscal_year = models.PositiveSmallIntegerField(help_text="Buddhist era")
    agency_group = models.CharField(max_length=40)  # not-domain: a field length
    sha256 = models.CharField(max_length=64)
    document = models.JSONField()
    source_path = models.CharField(max_length=500, blank=True)
    loaded_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["fiscal_year", "agency_group"], name="one_framework_per_year_and_group"
            )
        ]
        ordering = ["-fiscal_year"]

    def __str__(self) -> str:
        return f"ITA {self.fiscal_year} ({self.agency_group})"

    def _parsed(self) -> tuple[FrameworkSchema, ScoringSpec]:
        if self.sha256 not in _PARSED:
            schema = parse_framework_data(self.document, f"database: ITA {self.fiscal_year}")
            _PARSED[self.sha256] = (schema, ScoringSpec.from_framework(schema))
        return _PARSED[self.sha256]

    @property
    def schema(self) -> FrameworkSchema:
        return self._parsed()[0]

    @property
    def spec(self) -> ScoringSpec:
        return self._parsed()[1]
