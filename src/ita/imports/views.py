"""Pages of a document import: upload, preview beside the source text, save."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, cast

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core import signing
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ita.agencies.access import Access, Need, get_agency_for_user
from ita.agencies.models import Agency
from ita.assessments.models import Assessment
from ita.catalog.loader import get_framework
from ita.importers import MAX_FILE_BYTES, DocumentError, import_bytes
from ita.imports import payload as signed
from ita.imports.forms import (
    KIND_CHOICES,
    MEASURES_PREFIX,
    MeasureFormSet,
    MeasureRowForm,
    PreviewForm,
    UploadForm,
    initial_data,
)
from ita.imports.services import (
    Draft,
    ImportRejected,
    Pending,
    Saved,
    pending,
    save_draft,
    unit_key,
)
from ita.measures.models import Measure

ACCEPT = ".docx,.pdf,.xlsx,.txt"


def _user_id(request: HttpRequest) -> int:
    return cast(int, request.user.pk)  # views here require a login


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _message(th: str, en: str) -> str:
    return en if (get_language() or "th").startswith("en") else th


@dataclass
class Preview:
    """The preview's forms and what the page shows beside them."""

    payload: dict[str, Any]
    form: PreviewForm
    rows: Any  # the measures formset

    @property
    def token(self) -> str:
        return signed.dumps(self.payload)

    def is_valid(self) -> bool:
        form_ok = self.form.is_valid()
        rows_ok = self.rows.is_valid()
        return form_ok and rows_ok and self.rows.total_form_count() == len(self.measures_extra)

    @property
    def measures_extra(self) -> list[dict[str, Any]]:
        extra: list[dict[str, Any]] = self.payload["measures"]
        return extra

    def draft_pending(self, agency: Agency) -> Pending:
        """Return what saving would replace or add to; from the years alone when invalid."""
        if self.is_valid():
            return pending(agency, self.draft())
        data = self.form.cleaned_data if hasattr(self.form, "cleaned_data") else {}
        stored = False
        if data.get("save_scores") and data.get("scores_fiscal_year"):
            found = Assessment.objects.filter(
                agency=agency, fiscal_year=data["scores_fiscal_year"]
            ).first()
            stored = found is not None and (
                found.indicator_scores.exists() or found.item_scores.exists()
            )
        existing = 0
        if data.get("save_measures") and data.get("measures_fiscal_year"):
            existing = Measure.objects.filter(
                plan__agency=agency, plan__fiscal_year=data["measures_fiscal_year"]
            ).count()
        return Pending(stored_results=stored, existing_measures=existing)

    def draft(self) -> Draft:
        forms: list[MeasureRowForm] = list(self.rows.forms)
        return self.form.draft(self.payload["file_name"], forms, self.measures_extra)


def _preview(payload: dict[str, Any], data: Any) -> Preview:
    fw = get_framework(payload["framework_year"])
    form = PreviewForm(data, framework=fw, item_codes=payload["item_codes"])
    issues = [(i.number, i.title_th) for i in fw.issues]
    rows = MeasureFormSet(data, prefix=MEASURES_PREFIX, form_kwargs={"issues": issues})
    return Preview(payload, form, rows)


def source_blocks(lines: list[str]) -> list[dict[str, Any]]:
    """Group the source lines for display: text lines, and table rows (tab-separated) as tables."""
    blocks: list[dict[str, Any]] = []
    for number, line in enumerate(lines, start=1):
        if "\t" in line:
            if not blocks or blocks[-1]["kind"] != "table":
                blocks.append({"kind": "table", "first": number, "rows": []})
            blocks[-1]["rows"].append({"number": number, "cells": line.split("\t")})
        else:
            blocks.append({"kind": "line", "number": number, "text": line})
    return blocks


def _field_count(preview: Preview) -> int:
    """Return how many fields the preview posts at most (Django refuses more than its limit)."""
    management = 4
    hidden = 2  # the CSRF token and the signed payload
    per_row = len(MeasureRowForm.base_fields)
    return len(preview.form.fields) + per_row * len(preview.measures_extra) + management + hidden


def _render_preview(
    request: HttpRequest, access: Access, preview: Preview, errors: list[str]
) -> HttpResponse:
    payload = preview.payload
    form = preview.form
    warnings = [_message(th, en) for _code, th, en in payload["warnings"]]
    printed = form["agency_name"].value() or payload.get("agency_printed") or ""
    name_differs = bool(printed) and unit_key(printed) != unit_key(access.agency.name_th)
    rows = [
        {"form": row, "extra": extra, "row": i + 1}
        for i, (row, extra) in enumerate(
            zip(preview.rows.forms, preview.measures_extra, strict=False)
        )
    ]
    return render(
        request,
        "imports/preview.html",
        {
            "access": access,
            "agency": access.agency,
            "preview": preview,
            "form": form,
            "rows": rows,
            "formset": preview.rows,
            "token": preview.token,
            "warnings": warnings,
            "errors": errors,
            "name_differs": name_differs,
            "printed_name": printed,
            "pending": preview.draft_pending(access.agency),
            "units": [u.name for u in access.agency.units.all()],
            "source": source_blocks(payload["source"]),
            "kind_label": dict(KIND_CHOICES).get(str(form["kind"].value()), ""),
            "reports_results": form["kind"].value() == "results"
            or any(
                row[name].value()
                for row in preview.rows.forms
                for name in ("output", "outcome", "recommendations", "evidence")
            ),
        },
    )


@login_required
def import_document(request: HttpRequest, agency_id: int) -> HttpResponse:
    """Upload a document; it is read at once and its preview shown (the file is not kept)."""
    access = get_agency_for_user(request.user, agency_id, Need.EDIT)
    errors: list[str] = []
    form = UploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        upload = request.FILES.get("file")
        if upload is not None and upload.size is not None and upload.size > MAX_FILE_BYTES:
            # Refused before a byte of it is read.
            errors.append(
                _("The file is %(size)s; the limit is %(limit)s. Nothing was read or saved.")
                % {"size": _mb(upload.size), "limit": _mb(MAX_FILE_BYTES)}
            )
        elif form.is_valid() and upload is not None:
            try:
                doc = import_bytes(upload.read(), form.cleaned_data["year"])
            except DocumentError as exc:
                errors.append(_message(exc.th, exc.en))
            else:
                name = (upload.name or "document").rsplit("/", 1)[-1][:200]
                payload = signed.from_document(doc, name, access.agency.pk, _user_id(request))
                preview = _preview(payload, initial_data(doc))
                limit = settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
                if limit is not None and _field_count(preview) > limit:
                    errors.append(
                        _(
                            "The document has %(n)s measures, more than one page can carry; "
                            "split it into smaller files."
                        )
                        % {"n": len(doc.measures)}
                    )
                else:
                    return _render_preview(request, access, preview, [])
    return render(
        request,
        "imports/upload.html",
        {
            "access": access,
            "agency": access.agency,
            "form": form,
            "errors": errors,
            "accept": ACCEPT,
            "limit": _mb(MAX_FILE_BYTES),
        },
    )


def _saved_message(saved: Saved, file_name: str) -> str:
    parts = []
    if saved.assessment is not None:
        if saved.scores_changed:
            parts.append(
                _("the scores of fiscal year %(year)s (computed again)")
                % {"year": saved.assessment.fiscal_year}
            )
        else:
            parts.append(
                _("the scores of fiscal year %(year)s were already stored as they are")
                % {"year": saved.assessment.fiscal_year}
            )
    if saved.plan_year is not None:
        parts.append(
            _("%(n)s measures into the plan of fiscal year %(year)s")
            % {"n": saved.measures, "year": saved.plan_year}
        )
    message: str = _("Saved from %(file)s: %(what)s.") % {
        "file": file_name,
        "what": "; ".join(parts),
    }
    return message


@login_required
@require_POST
def import_save(request: HttpRequest, agency_id: int) -> HttpResponse:
    """Save what the preview shows, as corrected — all of it, or nothing with every error."""
    access = get_agency_for_user(request.user, agency_id, Need.EDIT)
    try:
        payload = signed.loads(request.POST.get("payload", ""), access.agency.pk, _user_id(request))
    except signing.BadSignature:
        messages.error(request, _("The preview has expired or was changed; upload the file again."))
        return redirect("import-document", agency_id=agency_id)
    preview = _preview(payload, request.POST)
    errors: list[str] = []
    if preview.is_valid():
        form = preview.form.cleaned_data
        try:
            saved = save_draft(
                access.agency,
                request.user,
                preview.draft(),
                replace_results=bool(form.get("replace_results")),
                add_measures=bool(form.get("add_measures")),
            )
        except ImportRejected as exc:
            errors = exc.errors
        else:
            messages.success(request, _saved_message(saved, payload["file_name"]))
            if saved.unknown_units:
                messages.warning(
                    request,
                    _("Not linked, not among the agency's responsible units: %(names)s")
                    % {"names": ", ".join(saved.unknown_units)},
                )
            if saved.assessment is not None:
                return redirect("dashboard", agency_id=agency_id, year=saved.assessment.fiscal_year)
            return redirect("plan", agency_id=agency_id, year=saved.plan_year)
    else:
        errors = _form_errors(preview)
    return _render_preview(request, access, preview, errors)


def _form_errors(preview: Preview) -> list[str]:
    """Return every error of the preview's fields, each with where it is."""
    out = [str(e) for e in preview.form.non_field_errors()]
    for name, problems in preview.form.errors.items():
        if name == "__all__":
            continue
        label = preview.form.fields[name].label or name
        out.extend(f"{label}: {problem}" for problem in problems)
    out.extend(str(e) for e in preview.rows.non_form_errors())
    for index, row in enumerate(preview.rows.forms, start=1):
        for name, problems in row.errors.items():
            label = row.fields[name].label if name in row.fields else ""
            out.extend(
                _("Measure %(row)s: %(field)s %(problem)s")
                % {"row": index, "field": label, "problem": problem}
                for problem in problems
            )
    if preview.rows.total_form_count() != len(preview.measures_extra):
        out.append(_("The preview has expired or was changed; upload the file again."))
    return out
