"""Forms for official results: one per tool, the ten indicators, and the published result."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ita.assessments.models import Assessment
from ita.assessments.services import ItemEntry
from ita.catalog.schema import Framework, Indicator, Item, Tool
from ita.scoring.engine import DECIMALS, SCORE_MAX, SCORE_MIN
from ita.thai import to_arabic_digits

PRESENT_CHOICES = [("", "—"), ("yes", "มี"), ("no", "ไม่มี")]


def parse_score(text: str) -> Decimal:
    """Return a score written with Thai or Arabic digits; ValueError with a Thai/English reason."""
    cleaned = to_arabic_digits(text).strip().replace(",", "")
    try:
        value = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(_("Enter a number, e.g. 87.86 or ๘๗.๘๖.")) from None
    if not value.is_finite():
        raise ValueError(_("Enter a number, e.g. 87.86 or ๘๗.๘๖."))
    exponent = value.as_tuple().exponent
    if isinstance(exponent, int) and -exponent > DECIMALS:
        raise ValueError(_("Use at most two decimals, as NACC prints scores."))
    if not Decimal(SCORE_MIN) <= value <= Decimal(SCORE_MAX):
        raise ValueError(_("A score lies between 0 and 100."))
    return value


class ScoreField(forms.CharField):
    """A score from 0 to 100 with at most two decimals; Thai digits accepted; blank = none."""

    widget = forms.TextInput(attrs={"inputmode": "decimal", "autocomplete": "off", "size": 7})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> Decimal | None:  # type: ignore[override]
        text = super().to_python(value)
        if not text:
            return None
        try:
            return parse_score(text)
        except ValueError as exc:
            raise forms.ValidationError(str(exc)) from None


def _present_choice(present: bool | None) -> str:
    return "" if present is None else ("yes" if present else "no")


@dataclass
class ItemRow:
    item: Item
    fields: list[forms.BoundField]


@dataclass
class IndicatorBlock:
    indicator: Indicator
    rows: list[ItemRow]


class ToolResultsForm(forms.Form):
    """Item results of one tool: score and finding (IIT, EIT) or answer, score, remark (OIT)."""

    def __init__(self, *args: Any, tool: Tool, assessment: Assessment, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.tool = tool
        stored = {row.code: row for row in assessment.item_scores.all()}
        for ind in tool.indicators:
            for item in ind.items:
                row = stored.get(item.code)
                self.fields[f"{item.code}-score"] = ScoreField(
                    label=_("score"), initial=row.score if row else None
                )
                if tool.kind == "perception":
                    self.fields[f"{item.code}-finding"] = ScoreField(
                        label=_("finding %"), initial=row.finding if row else None
                    )
                else:
                    self.fields[f"{item.code}-present"] = forms.ChoiceField(
                        label=_("published?"),
                        choices=PRESENT_CHOICES,
                        required=False,
                        initial=_present_choice(row.present if row else None),
                    )
                    self.fields[f"{item.code}-remark"] = forms.CharField(
                        label=_("assessor's remark"),
                        required=False,
                        max_length=2000,
                        initial=row.remark if row else "",
                        widget=forms.Textarea(attrs={"rows": 1}),
                    )

    def blocks(self) -> list[IndicatorBlock]:
        """Return the bound fields grouped by indicator, for the template."""
        suffixes = (
            ("score", "finding")
            if self.tool.kind == "perception"
            else ("present", "score", "remark")
        )
        return [
            IndicatorBlock(
                ind,
                [ItemRow(item, [self[f"{item.code}-{s}"] for s in suffixes]) for item in ind.items],
            )
            for ind in self.tool.indicators
        ]

    def entries(self) -> dict[str, ItemEntry]:
        """Return what was entered, item by item (empty entries remove stored results)."""
        data = self.cleaned_data
        entries = {}
        for ind in self.tool.indicators:
            for item in ind.items:
                present = {"yes": True, "no": False}.get(data.get(f"{item.code}-present") or "")
                entries[item.code] = ItemEntry(
                    score=data.get(f"{item.code}-score"),
                    finding=data.get(f"{item.code}-finding"),
                    present=present,
                    remark=(data.get(f"{item.code}-remark") or "").strip(),
                )
        return entries


class IndicatorResultsForm(forms.Form):
    """The ten indicator scores, when that is all the agency has."""

    def __init__(
        self, *args: Any, framework: Framework, assessment: Assessment, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        stored = {s.number: s.score for s in assessment.indicator_scores.all()}
        self.rows: list[tuple[Tool, Indicator, str]] = []
        for tool, ind in framework.indicators():
            name = f"indicator-{ind.number}"
            self.fields[name] = ScoreField(label=ind.name_th, initial=stored.get(ind.number))
            self.rows.append((tool, ind, name))

    def bound_rows(self) -> list[tuple[Tool, Indicator, forms.BoundField]]:
        return [(tool, ind, self[name]) for tool, ind, name in self.rows]

    def scores(self) -> dict[int, Decimal | None]:
        return {ind.number: self.cleaned_data.get(name) for _t, ind, name in self.rows}


class PublishedResultForm(forms.Form):
    """The total and level NACC published, to compare with what the engine computes."""

    total = ScoreField(label=_("published total"))
    level = forms.ChoiceField(label=_("published level"), required=False)

    def __init__(
        self, *args: Any, framework: Framework, assessment: Assessment, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        level_field = cast(forms.ChoiceField, self.fields["level"])
        level_field.choices = [("", "—")] + [(r.name, r.name) for r in framework.levels.rules]
        self.fields["total"].initial = assessment.published_total
        level_field.initial = assessment.published_level
