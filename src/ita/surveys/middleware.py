"""Read the respondent form's body once, quickly, before CSRF checking reads it.

A survey form sends one field per answer (51 for the year's internal survey). Django builds
``request.POST`` field by field through ``QueryDict.appendlist``, which costs about as much as
the rest of the request; :func:`parse_form` builds the very same ``QueryDict`` (same splitting,
same decoding as :func:`urllib.parse.parse_qsl` with ``keep_blank_values``) in one pass. Only
POSTs to the public survey pages take this path; CSRF checking is unchanged and reads the result.
"""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote

from django.conf import settings
from django.http import HttpRequest, HttpResponse, QueryDict
from django.utils.datastructures import MultiValueDict

from ita.surveys.intake import COOKIE_PATH

FORM = "application/x-www-form-urlencoded"


def parse_form(body: bytes, encoding: str = "utf-8") -> QueryDict:
    """Return ``QueryDict(body)``, built without per-field method calls."""
    try:
        text = body.decode(encoding)
    except UnicodeDecodeError:
        text = body.decode("iso-8859-1")
    fields: dict[str, list[str]] = {}
    for part in text.split("&"):
        if not part:
            continue
        name, _eq, value = part.partition("=")
        if "%" in part or "+" in part:
            name = unquote(name.replace("+", " "), encoding=encoding, errors="replace")
            value = unquote(value.replace("+", " "), encoding=encoding, errors="replace")
        if name in fields:
            fields[name].append(value)
        else:
            fields[name] = [value]
    query = QueryDict(mutable=True, encoding=encoding)
    dict.update(query, fields)
    query._mutable = False
    return query


class SurveyFormMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if (
            request.method == "POST"
            and request.path_info.startswith(COOKIE_PATH)
            and request.content_type == FORM
            and int(request.META.get("CONTENT_LENGTH") or 0) <= settings.DATA_UPLOAD_MAX_MEMORY_SIZE
        ):
            body = request.body
            if body.count(b"&") < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS:
                request._post = parse_form(body, request.encoding or settings.DEFAULT_CHARSET)  # type: ignore[attr-defined]
                request._files = MultiValueDict()  # type: ignore[attr-defined]
        return self.get_response(request)
