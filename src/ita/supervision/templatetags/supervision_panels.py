"""Panels the supervision app contributes to other pages (so those apps need not import it)."""

from __future__ import annotations

from typing import Any

from django import template

from ita.supervision.benchmarks import peer_table
from ita.supervision.yeartable import year_table

register = template.Library()


@register.inclusion_tag("supervision/_benchmarks.html")
def peer_benchmarks(assessment: Any) -> dict[str, Any]:
    """Show where the agency stands among agencies of its type, its province and the nation."""
    spec = assessment.framework.spec
    result = assessment.result or {}
    found = result.get("indicators") or {}
    own = [found.get(str(ind.number)) for ind in spec.indicators] + [result.get("total")]
    table = peer_table(year_table(assessment.fiscal_year, spec), spec, assessment.agency, own)
    rows = []
    if table is not None and table.groups:
        columns = [group.positions for group in table.groups]
        rows = [(row, [column[k] for column in columns]) for k, row in enumerate(table.rows)]
    return {"table": table, "rows": rows, "thai_digits": assessment.agency.thai_digits}
