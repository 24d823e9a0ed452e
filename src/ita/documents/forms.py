"""The settings of an analysis report draft."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from ita.catalog.schema import Framework
from ita.measures.forms import DateInput


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


class ReportSettingsForm(forms.Form):
    report_date = forms.DateField(label=_("Date of the report"), required=False, widget=DateInput())
    weak_indicators = forms.TypedMultipleChoiceField(
        label=_("Indicators discussed as weaknesses"),
        coerce=int,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("By default every indicator below the pass mark."),
    )
    guidelines = forms.CharField(
        label=_("Guidelines for putting the analysis into practice"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("One per line. Empty: the suggested guidelines."),
    )
    appendix_plan_year = forms.TypedChoiceField(
        label=_("Append the measures of fiscal year"), coerce=int, required=False, empty_value=None
    )

    def __init__(
        self, *args: Any, framework: Framework, plan_years: list[int], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        weak = self.fields["weak_indicators"]
        assert isinstance(weak, forms.TypedMultipleChoiceField)  # noqa: S101 - declared above
        weak.choices = [
            (ind.number, f"{ind.number}. {ind.name_th}") for _t, ind in framework.indicators()
        ]
        plans = self.fields["appendix_plan_year"]
        assert isinstance(plans, forms.TypedChoiceField)  # noqa: S101 - declared above
        plans.choices = [("", "—")] + [(y, str(y)) for y in plan_years]
        for tool in framework.tools:
            self.fields[f"notes-{tool.code}"] = forms.CharField(
                label=_("Assessor's recommendations for %(tool)s") % {"tool": tool.code},
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
                help_text=_("One per line, as in the official result."),
            )
        self.tools = [tool.code for tool in framework.tools]

    def guidelines_list(self) -> list[str] | None:
        return _lines(self.cleaned_data.get("guidelines") or "") or None

    def notes(self) -> dict[str, list[str]]:
        return {tool: _lines(self.cleaned_data.get(f"notes-{tool}") or "") for tool in self.tools}
