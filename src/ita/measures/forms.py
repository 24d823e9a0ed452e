"""Forms of the measures plan: a measure with its steps, progress with evidence, an issue."""

from __future__ import annotations

import datetime as dt
from typing import Any, cast

from django import forms
from django.forms import formset_factory
from django.utils.translation import gettext_lazy as _

from ita.agencies.models import ResponsibleUnit
from ita.catalog.schema import Framework
from ita.formfields import MultipleFileField, evidence_files, web_addresses
from ita.measures.models import Measure, Progress, Step
from ita.scoring.spec import normalize_code
from ita.thai import QUARTERS, to_arabic_digits


class DateInput(forms.DateInput):
    """A browser date picker; its value is always ISO (2025-01-31), whatever the language."""

    input_type = "date"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m-%d")


class MonthInput(forms.DateInput):
    """A browser month picker (2025-01)."""

    input_type = "month"

    def __init__(self) -> None:
        super().__init__(format="%Y-%m")


PERIOD_KINDS = [
    ("quarters", _("fiscal quarters")),
    ("months", _("a month range")),
    ("text", _("in words")),
]


class MeasureForm(forms.ModelForm[Measure]):
    period_kind = forms.ChoiceField(
        label=_("Period"), choices=PERIOD_KINDS, widget=forms.RadioSelect, initial="quarters"
    )
    month_start = forms.DateField(
        label=_("from month"), required=False, widget=MonthInput(),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )  # fmt: skip
    month_end = forms.DateField(
        label=_("to month"), required=False, widget=MonthInput(),
        input_formats=["%Y-%m", "%Y-%m-%d"],
    )  # fmt: skip

    class Meta:
        model = Measure
        fields = [
            "issue_number", "title", "period_kind", "quarter_first", "quarter_last",
            "month_start", "month_end", "period_text", "units", "target_output",
            "target_indicator", "budget", "follow_up",
        ]  # fmt: skip
        widgets = {
            "title": forms.Textarea(attrs={"rows": 2}),
            "target_output": forms.Textarea(attrs={"rows": 2}),
            "target_indicator": forms.Textarea(attrs={"rows": 2}),
            "follow_up": forms.Textarea(attrs={"rows": 2}),
            "units": forms.CheckboxSelectMultiple,
        }

    def __init__(self, *args: Any, framework: Framework, units: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["issue_number"] = forms.TypedChoiceField(
            label=_("Issue"),
            coerce=int,
            choices=[(i.number, f"({i.number}) {i.title_th}") for i in framework.issues],
        )
        quarters = [("", "—")] + [(q, str(q)) for q in range(1, QUARTERS + 1)]
        self.fields["quarter_first"] = forms.TypedChoiceField(
            label=_("from quarter"), choices=quarters, coerce=int, required=False, empty_value=None
        )
        self.fields["quarter_last"] = forms.TypedChoiceField(
            label=_("to quarter"), choices=quarters, coerce=int, required=False, empty_value=None
        )
        cast(
            "forms.ModelMultipleChoiceField[ResponsibleUnit]", self.fields["units"]
        ).queryset = units
        if self.instance.pk:
            self.fields["period_kind"].initial = (
                "quarters"
                if self.instance.quarter_first
                else "months"
                if self.instance.month_start
                else "text"
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        kind = data.get("period_kind")
        if kind == "quarters":
            first, last = (
                data.get("quarter_first"),
                data.get("quarter_last") or data.get("quarter_first"),
            )
            if not first or (last and last < first):
                self.add_error("quarter_first", _("Choose the quarters, first to last."))
            data.update(quarter_last=last, month_start=None, month_end=None, period_text="")
        elif kind == "months":
            start, end = data.get("month_start"), data.get("month_end") or data.get("month_start")
            if not start or (end and end < start):
                self.add_error("month_start", _("Choose the months, first to last."))
            data.update(month_end=end, quarter_first=None, quarter_last=None, period_text="")
        else:
            if not (data.get("period_text") or "").strip():
                self.add_error("period_text", _("Say when the measure runs, e.g. every month."))
            data.update(quarter_first=None, quarter_last=None, month_start=None, month_end=None)
        for name in ("quarter_first", "quarter_last", "month_start", "month_end", "period_text"):
            setattr(self.instance, name, data.get(name))
        return data


class StepForm(forms.Form):
    text = forms.CharField(
        label=_("step"), required=False, max_length=2000, widget=forms.Textarea(attrs={"rows": 1})
    )
    due = forms.DateField(label=_("due"), required=False, widget=DateInput())


StepFormSet = formset_factory(StepForm, extra=2)


def steps_of(formset: Any) -> list[tuple[str, dt.date | None]]:
    """Return the non-empty steps of a valid formset, in order."""
    return [
        (form.cleaned_data["text"].strip(), form.cleaned_data.get("due"))
        for form in formset.forms
        if form.cleaned_data.get("text", "").strip()
    ]


class ProgressForm(forms.ModelForm[Progress]):
    evidence_urls = forms.CharField(
        label=_("Evidence links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: the exact page on the agency's website, not its home page."),
    )
    evidence_files = MultipleFileField(label=_("Evidence files"), required=False)

    class Meta:
        model = Progress
        fields = [
            "on",
            "step",
            "status",
            "percent",
            "output",
            "outcome",
            "problems",
            "recommendations",
        ]
        widgets = {
            "on": DateInput(),
            "output": forms.Textarea(attrs={"rows": 2}),
            "outcome": forms.Textarea(attrs={"rows": 2}),
            "problems": forms.Textarea(attrs={"rows": 2}),
            "recommendations": forms.Textarea(attrs={"rows": 2}),
        }

    def __init__(self, *args: Any, measure: Measure, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        step_field = cast("forms.ModelChoiceField[Step]", self.fields["step"])
        step_field.queryset = Step.objects.filter(measure=measure)
        step_field.label = _("Step (optional)")

    def clean_evidence_urls(self) -> list[str]:
        return web_addresses(self.cleaned_data["evidence_urls"])

    def clean_evidence_files(self) -> list[Any]:
        return evidence_files(self.cleaned_data.get("evidence_files"))


class IssueForm(forms.Form):
    limitations = forms.CharField(
        label=_("The agency's limitations for this issue"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("One per line. Leave empty when there is none."),
    )

    def lines(self) -> list[str]:
        return [
            line.strip().lstrip("-•").strip()
            for line in self.cleaned_data["limitations"].splitlines()
            if line.strip().lstrip("-•").strip()
        ]


class MappingForm(forms.Form):
    """The questions behind each issue, as codes separated by commas."""

    def __init__(
        self, *args: Any, framework: Framework, mapping: dict[int, list[str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.framework = framework
        self.known = {
            item.code for tool, _i, item in framework.iter_items() if tool.kind == "perception"
        }
        for issue in framework.issues:
            self.fields[f"issue-{issue.number}"] = forms.CharField(
                label=f"({issue.number}) {issue.title_th}",
                required=False,
                initial=", ".join(mapping.get(issue.number, [])),
            )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for issue in self.framework.issues:
            name = f"issue-{issue.number}"
            codes = []
            for part in to_arabic_digits(data.get(name) or "").replace(";", ",").split(","):
                code = normalize_code(part)
                if not code:
                    continue
                if code not in self.known:
                    self.add_error(
                        name,
                        _("%(code)s is not an IIT/EIT question of this year.") % {"code": code},
                    )
                elif code not in codes:
                    codes.append(code)
            data[name] = codes
        return data

    def mapping(self) -> dict[int, list[str]]:
        return {
            issue.number: self.cleaned_data[f"issue-{issue.number}"]
            for issue in self.framework.issues
        }
