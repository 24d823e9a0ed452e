"""Exports of anonymous responses (CSV and XLSX): released rows only, in random order.

Columns: one per answer field (``I1.1``, ``I1.2``, ``I2`` …) holding the option's label as the
form printed it, and the channel — blanked for any channel group hidden by the small-group rule.
No id, no date, no row number that could follow arrival order. Nothing at all when the campaign
has fewer released responses than its smallest group.
"""

from __future__ import annotations

import csv
import io
import secrets
from dataclasses import dataclass

from django.utils.translation import gettext as _

from ita.surveys.models import Campaign, Channel, Response
from ita.surveys.results import hidden_groups, questionnaire_of

HIDDEN = "–"


class TooFewResponses(ValueError):
    """The export would show a group smaller than the campaign allows."""


@dataclass(frozen=True)
class Table:
    header: list[str]
    rows: list[list[str]]


def table(campaign: Campaign) -> Table:
    """Return the anonymous responses of a campaign as text cells, or raise TooFewResponses."""
    rows = list(
        Response.objects.filter(campaign=campaign, released=True).values_list("answers", "channel")
    )
    if len(rows) < campaign.min_group_size:
        raise TooFewResponses(len(rows))
    form = questionnaire_of(campaign)
    header: list[str] = []
    labels: list[list[str]] = []
    for question in form.questions():
        for k, f in enumerate(question.fields):
            suffix = f".{k + 1}" if len(question.fields) > 1 else ""
            header.append(f"{question.code}{suffix}")
            labels.append([o.label for o in f.options])
    header.append(_("channel"))
    sizes: dict[str, int] = {}
    for _answers, channel in rows:
        sizes[str(channel)] = sizes.get(str(channel), 0) + 1
    hide = hidden_groups(sizes, campaign.min_group_size)
    names = {str(c.value): str(c.label) for c in Channel}
    out: list[list[str]] = []
    for answers, channel in rows:
        cells = [labels[col][option] for col, option in enumerate(bytes(answers))]
        cells.append(HIDDEN if str(channel) in hide else names[str(channel)])
        out.append(cells)
    secrets.SystemRandom().shuffle(out)
    return Table(header, out)


def to_csv(data: Table) -> bytes:
    """Return UTF-8 CSV with a byte-order mark, so Thai Excel opens it as Thai."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(data.header)
    writer.writerows(data.rows)
    return ("\ufeff" + text.getvalue()).encode("utf-8")


def to_xlsx(data: Table, title: str) -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    if sheet is None:
        raise RuntimeError("openpyxl made a workbook without a sheet")
    sheet.title = title[:31]
    sheet.append(data.header)
    for row in data.rows:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
