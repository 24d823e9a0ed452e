"""What the preview carries to the save besides its fields: signed, so it cannot be changed.

No file is kept between the preview and the save. The fields carry everything a person may
correct; this payload carries the rest — the file's name and format, the framework the codes
were read with, the importer's warnings, the source text, and per measure the printed number,
page, questions and findings — signed with the site's secret key (it survives a restart) and
bound to the agency and the person, so a preview cannot be replayed elsewhere.
"""

from __future__ import annotations

from typing import Any

from django.core import signing

from ita.importers import ImportedDocument
from ita.importers.normalize import SOFT_BREAK

SALT = "ita.imports.preview"
VERSION = 1
MAX_AGE = 7 * 24 * 60 * 60  # a preview may wait a week before it is saved


def from_document(
    doc: ImportedDocument, file_name: str, agency_id: int, user_id: int
) -> dict[str, Any]:
    """Return the payload of a preview of ``doc``."""
    return {
        "v": VERSION,
        "agency": agency_id,
        "user": user_id,
        "file_name": file_name,
        "format": doc.file_format,
        "kind": doc.kind,
        "agency_printed": doc.agency,
        "district": doc.district,
        "province": doc.province,
        "framework_year": doc.framework_year,
        "item_codes": item_codes(doc),
        "tools": dict(doc.tools),
        "computed": doc.to_json()["computed"],
        "warnings": [[w.code, w.th, w.en] for w in doc.warnings],
        "source": [line.replace(SOFT_BREAK, "\n") for line in doc.source_lines],
        "measures": [
            {
                "number": m.number,
                "page": m.page,
                "issue_printed": m.issue.printed if m.issue else None,
                "items": list(m.items),
                "findings": [f.to_json() for f in m.findings],
            }
            for m in doc.measures
        ],
    }


def item_codes(doc: ImportedDocument) -> list[str]:
    """Return the item codes the document prints a score or a finding for, in its order."""
    return list(dict.fromkeys([*doc.items, *doc.findings]))


def dumps(payload: dict[str, Any]) -> str:
    return signing.dumps(payload, salt=SALT, compress=True)


def loads(token: str, agency_id: int, user_id: int) -> dict[str, Any]:
    """Return a payload signed here for this agency and person; BadSignature otherwise."""
    payload: dict[str, Any] = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    if (
        payload.get("v") != VERSION
        or payload.get("agency") != agency_id
        or payload.get("user") != user_id
    ):
        raise signing.BadSignature("the preview belongs to another agency, person or version")
    return payload
