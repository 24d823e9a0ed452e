"""The form of one OIT item's evidence."""

from __future__ import annotations

from typing import Any, cast

from django import forms
from django.utils.translation import gettext_lazy as _

from ita.agencies.models import Agency, ResponsibleUnit
from ita.formfields import MultipleFileField, evidence_files, web_addresses
from ita.oit.models import ItemEvidence, Status

MAX_LINKS = 20  # not-domain: addresses per item, far above what any item needs


class EvidenceForm(forms.Form):
    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    urls = forms.CharField(
        label=_("Evidence links"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("One per line: the exact page on the agency's website, not its home page."),
    )
    unit = forms.ModelChoiceField(
        label=_("Responsible unit"), queryset=ResponsibleUnit.objects.none(), required=False
    )
    explanation = forms.CharField(
        label=_("Explanation for ITAS"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("The text typed into ITAS with the link; published to the assessors."),
    )
    notes = forms.CharField(
        label=_("Internal notes"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("For the agency's people only: never exported or published."),
    )
    uploads = MultipleFileField(label=_("Files"), required=False)

    def __init__(self, *args: Any, agency: Agency, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        unit = cast("forms.ModelChoiceField[ResponsibleUnit]", self.fields["unit"])
        unit.queryset = ResponsibleUnit.objects.filter(agency=agency)

    @classmethod
    def initial_for(cls, evidence: ItemEvidence | None) -> dict[str, Any]:
        if evidence is None:
            return {"status": Status.NOT_STARTED}
        return {
            "status": evidence.status,
            "urls": "\n".join(link.url for link in evidence.links.all()),
            "unit": evidence.unit_id,
            "explanation": evidence.explanation,
            "notes": evidence.notes,
        }

    def clean_urls(self) -> list[str]:
        return web_addresses(self.cleaned_data["urls"], MAX_LINKS)

    def clean_uploads(self) -> list[Any]:
        return evidence_files(self.cleaned_data.get("uploads"))

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("status") in {Status.READY, Status.SUBMITTED} and not data.get("urls"):
            self.add_error("urls", _("An item that is ready or submitted needs at least one link."))
        return data
