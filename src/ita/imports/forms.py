"""Forms of the import pages: the upload, and the preview with one row per measure.

The preview's fields start from what the importer read (:func:`initial_data`); what the person
corrects is what :meth:`PreviewForm.draft` hands to :func:`ita.imports.services.save_draft`.
The forms read what was typed (numbers, years, links); whether the models accept it is checked
by the save, for every part at once.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, cast

from django import forms
from django.core.validators import URLValidator
from django.forms import BaseFormSet, formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ita.assessments.forms import ScoreField
from ita.assessments.services import ItemEntry
from ita.catalog.schema import Framework
from ita.importers import ImportedDocument
from ita.imports.payload import item_codes
from ita.imports.services import (
    Draft,
    FindingDraft,
    MeasureDraft,
    ProgressDraft,
    ScoresDraft,
)
from ita.measures.models import Evidence, Status
from ita.thai import to_arabic_digits

KIND_CHOICES = [
    ("analysis", _("analysis report")),
    ("measures", _("measures document")),
    ("results", _("results report")),
]
YEAR_MIN, YEAR_MAX = 2500, 2700  # Buddhist era, as the framework files allow
MEASURES_PREFIX = "m"
MAX_ROWS_SHOWN = 12  # a text box grows with what was read, up to this many lines


class UploadForm(forms.Form):
    file = forms.FileField(label=_("Document"))
    year = forms.CharField(
        label=_("Fiscal year (only when the document does not say it)"),
        required=False,
        max_length=4,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "size": 6}),
    )

    def clean_year(self) -> int | None:
        return _year(self.cleaned_data.get("year") or "")


def _year(text: str) -> int | None:
    cleaned = to_arabic_digits(text).strip()
    if not cleaned:
        return None
    if not cleaned.isdecimal() or not YEAR_MIN <= int(cleaned) <= YEAR_MAX:
        raise forms.ValidationError(
            _("A fiscal year in the Buddhist era, e.g. 2568 or ๒๕๖๘."), code="year"
        )
    return int(cleaned)


class YearField(forms.CharField):
    """A Buddhist-era fiscal year; Thai digits accepted; blank = not given."""

    widget = forms.TextInput(attrs={"inputmode": "numeric", "size": 6, "maxlength": 4})

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> int | None:  # type: ignore[override]
        return _year(super().to_python(value) or "")


class LinesField(forms.CharField):
    """One entry per line; blank lines and leading dashes or bullets dropped."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("required", False)
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 2}))
        super().__init__(**kwargs)

    def to_python(self, value: Any) -> tuple[str, ...]:  # type: ignore[override]
        text = super().to_python(value) or ""
        lines = (line.strip() for line in text.splitlines())
        return tuple(line for line in lines if line)


def _evidence_max() -> int:
    return cast(int, Evidence._meta.get_field("url").max_length)


class MeasureRowForm(forms.Form):
    """One measure of the document, as printed, to correct."""

    include = forms.BooleanField(label=_("save this measure"), required=False)
    issue = forms.TypedChoiceField(label=_("Issue"), coerce=int, empty_value=None, required=False)
    title = forms.CharField(
        label=_("Measure or activity"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    steps = LinesField(label=_("Steps (one per line)"), widget=forms.Textarea(attrs={"rows": 3}))
    period = forms.CharField(label=_("Period"), required=False)
    responsible = LinesField(label=_("Responsible units (one per line)"))
    follow_up = forms.CharField(
        label=_("Follow-up"), required=False, widget=forms.Textarea(attrs={"rows": 1})
    )
    output = LinesField(label=_("Output"))
    outcome = LinesField(label=_("Outcome"))
    recommendations = LinesField(label=_("Recommendations"))
    evidence = LinesField(label=_("Evidence links (one per line)"))
    limitations = LinesField(label=_("The agency's limitations for this issue"))

    def __init__(self, *args: Any, issues: Sequence[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        issue = cast(forms.TypedChoiceField, self.fields["issue"])
        issue.choices = [("", "—")] + [(n, f"({n}) {title}") for n, title in issues]
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.Textarea):  # tall enough for what was read
                lines = len(str(self[name].value() or "").splitlines())
                shown = int(field.widget.attrs.get("rows", 2))
                field.widget.attrs["rows"] = min(max(lines, shown), MAX_ROWS_SHOWN)

    def clean_evidence(self) -> tuple[str, ...]:
        urls: tuple[str, ...] = self.cleaned_data["evidence"]
        check = URLValidator(schemes=["http", "https"])
        for url in urls:
            try:
                check(url)
                if len(url) > _evidence_max():
                    raise forms.ValidationError("too long")
            except forms.ValidationError:
                raise forms.ValidationError(
                    _("%(url)s is not a web address (http:// or https://).") % {"url": url[:200]}
                ) from None
        return urls

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("include") and not (data.get("title") or "").strip():
            self.add_error("title", _("Give the measure a title, or untick it."))
        return data

    def draft(self, row: int, extra: Mapping[str, Any]) -> MeasureDraft:
        data = self.cleaned_data
        return MeasureDraft(
            row=row,
            title=" ".join((data.get("title") or "").split()),
            issue=data.get("issue"),
            steps=data["steps"],
            period=(data.get("period") or "").strip(),
            responsible=data["responsible"],
            follow_up=(data.get("follow_up") or "").strip(),
            output=data["output"],
            outcome=data["outcome"],
            recommendations=data["recommendations"],
            evidence=data["evidence"],
            limitations=data["limitations"],
            items=tuple(extra.get("items", ())),
            findings=tuple(
                FindingDraft(
                    text=f["text"],
                    percent=f.get("percent"),
                    audience=f.get("audience"),
                    items=tuple(f.get("items", ())),
                )
                for f in extra.get("findings", ())
            ),
        )


MeasureFormSet: type[BaseFormSet[MeasureRowForm]] = formset_factory(MeasureRowForm, extra=0)


class PreviewForm(forms.Form):
    """The document's kind, years and scores, and what to save."""

    kind = forms.ChoiceField(label=_("Kind of document"), choices=KIND_CHOICES)
    agency_name = forms.CharField(label=_("Agency, as printed"), required=False)
    fiscal_year = YearField(label=_("Fiscal year of the document"))
    scores_fiscal_year = YearField(label=_("Fiscal year of the scores"))
    measures_fiscal_year = YearField(label=_("Fiscal year of the measures"))
    stated_total = ScoreField(label=_("Total, as printed"))
    stated_level = forms.ChoiceField(label=_("Level, as printed"), required=False)
    save_scores = forms.BooleanField(label=_("Save the scores"), required=False)
    save_measures = forms.BooleanField(label=_("Save the measures"), required=False)
    replace_results = forms.BooleanField(label=_("replace the stored results"), required=False)
    add_measures = forms.BooleanField(label=_("add to the existing measures"), required=False)
    progress_on = forms.DateField(
        label=_("Date of the reported results"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    progress_status = forms.ChoiceField(
        label=_("Status of the measures reported"), choices=Status.choices, initial=Status.DONE
    )
    progress_percent = forms.IntegerField(
        label=_("Percent done"), min_value=0, max_value=100, required=False
    )

    def __init__(
        self, *args: Any, framework: Framework, item_codes: Sequence[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.framework = framework
        level = cast(forms.ChoiceField, self.fields["stated_level"])
        level.choices = [("", "—")] + [(r.name, r.name) for r in framework.levels.rules]
        self.indicator_names: list[tuple[int, str, str]] = []
        for tool, ind in framework.indicators():
            self.fields[f"indicator-{ind.number}"] = ScoreField(label=ind.name_th)
            self.indicator_names.append((ind.number, ind.name_th, tool.code))
        self.item_codes = list(item_codes)
        texts = {item.code: item.text_th for _t, _i, item in framework.iter_items()}
        self.item_texts = {code: texts.get(code) or "" for code in self.item_codes}
        for code in self.item_codes:
            self.fields[f"item-{code}-score"] = ScoreField(label=code)
            self.fields[f"item-{code}-finding"] = ScoreField(label=_("finding %"))

    def indicator_rows(self) -> list[tuple[int, str, str, forms.BoundField]]:
        return [(n, name, tool, self[f"indicator-{n}"]) for n, name, tool in self.indicator_names]

    def item_rows(self) -> list[tuple[str, str, forms.BoundField, forms.BoundField]]:
        return [
            (code, self.item_texts[code], self[f"item-{code}-score"], self[f"item-{code}-finding"])
            for code in self.item_codes
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("save_scores") and not data.get("save_measures"):
            raise forms.ValidationError(
                _("Choose what to save: the scores, the measures, or both."), code="nothing"
            )
        if data.get("save_scores"):
            if data.get("scores_fiscal_year") is None and "scores_fiscal_year" not in self.errors:
                self.add_error("scores_fiscal_year", _("Give the fiscal year of the scores."))
            if not (self.indicators() or self.items()) and data.get("stated_total") is None:
                self.add_error("save_scores", _("The document has no scores to save."))
        if data.get("save_measures"):
            if (
                data.get("measures_fiscal_year") is None
                and "measures_fiscal_year" not in self.errors
            ):
                self.add_error("measures_fiscal_year", _("Give the fiscal year of the measures."))
            if data.get("kind") == "results" and data.get("progress_on") is None:
                self.add_error("progress_on", _("Give the date of the reported results."))
        return data

    def indicators(self) -> dict[int, Decimal]:
        data = self.cleaned_data
        return {
            n: data[f"indicator-{n}"]
            for n, _name, _tool in self.indicator_names
            if data.get(f"indicator-{n}") is not None
        }

    def items(self) -> dict[str, ItemEntry]:
        data = self.cleaned_data
        entries = {}
        for code in self.item_codes:
            entry = ItemEntry(
                score=data.get(f"item-{code}-score"), finding=data.get(f"item-{code}-finding")
            )
            if not entry.is_empty():
                entries[code] = entry
        return entries

    def draft(
        self, file_name: str, rows: Sequence[MeasureRowForm], extras: Sequence[Mapping[str, Any]]
    ) -> Draft:
        """Return what to save, from the valid form and measure rows."""
        data = self.cleaned_data
        scores = None
        if data.get("save_scores"):
            scores = ScoresDraft(
                fiscal_year=data["scores_fiscal_year"],
                indicators=self.indicators(),
                items=self.items(),
                total=data.get("stated_total"),
                level=data.get("stated_level") or "",
            )
        chosen: list[MeasureDraft] = []
        if data.get("save_measures"):
            for index, row in enumerate(rows):
                if row.cleaned_data.get("include"):
                    extra = extras[index] if index < len(extras) else {}
                    chosen.append(row.draft(index + 1, extra))
        progress = None
        if data.get("progress_on") is not None:
            percent = data.get("progress_percent")
            progress = ProgressDraft(
                on=data["progress_on"],
                status=data["progress_status"],
                percent=percent if percent is not None else 0,
            )
        texts = {code: text for code, text in self.item_texts.items() if text}
        for _tool, _ind, item in self.framework.iter_items():
            if item.text_th:
                texts.setdefault(item.code, item.text_th)
        return Draft(
            file_name=file_name,
            kind=data["kind"],
            scores=scores,
            measures_year=data.get("measures_fiscal_year") if chosen else None,
            measures=tuple(chosen),
            progress=progress,
            question_texts=texts,
        )


def _score(value: float | None) -> str:
    return "" if value is None else f"{value:.2f}"


def _lines(values: Sequence[str]) -> str:
    return "\n".join(values)


def initial_data(doc: ImportedDocument, today: dt.date | None = None) -> dict[str, str]:
    """Return the preview's fields as a submitted form would carry them, from the document."""
    has_scores = bool(doc.indicators or doc.items or doc.stated_total is not None)
    data: dict[str, str] = {
        "kind": doc.kind,
        "agency_name": doc.agency or "",
        "fiscal_year": str(doc.fiscal_year or ""),
        "scores_fiscal_year": str(doc.scores_fiscal_year or doc.fiscal_year or ""),
        "measures_fiscal_year": str(doc.measures_fiscal_year or doc.fiscal_year or ""),
        "stated_total": _score(doc.stated_total),
        "stated_level": doc.stated_level or "",
        "progress_on": (today or timezone.localdate()).isoformat(),
        "progress_status": Status.DONE,
        "progress_percent": "100",
    }
    if has_scores:
        data["save_scores"] = "on"
    if doc.measures:
        data["save_measures"] = "on"
    for number, value in doc.indicators.items():
        data[f"indicator-{number}"] = _score(value)
    for code in item_codes(doc):
        data[f"item-{code}-score"] = _score(doc.items.get(code))
        finding = doc.findings.get(code)
        data[f"item-{code}-finding"] = _score(finding.percent if finding else None)
    prefix = MEASURES_PREFIX
    data.update(
        {
            f"{prefix}-TOTAL_FORMS": str(len(doc.measures)),
            f"{prefix}-INITIAL_FORMS": str(len(doc.measures)),
            f"{prefix}-MIN_NUM_FORMS": "0",
            f"{prefix}-MAX_NUM_FORMS": "1000",
        }
    )
    for i, m in enumerate(doc.measures):
        row = {
            "include": "on",
            "issue": str(m.issue.number) if m.issue and m.issue.number is not None else "",
            "title": m.title,
            "steps": _lines(m.steps),
            "period": m.period or "",
            "responsible": _lines(m.responsible),
            "follow_up": m.follow_up or "",
            "output": _lines(m.output),
            "outcome": _lines(m.outcome),
            "recommendations": _lines(m.recommendations),
            "evidence": _lines(m.evidence),
            "limitations": _lines(m.limitations),
        }
        data.update({f"{prefix}-{i}-{name}": value for name, value in row.items()})
    return data
