"""Form fields more than one app needs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import URLValidator
from django.utils.translation import gettext as _

MAX_EVIDENCE_FILE = 20 * 1024 * 1024  # an evidence file (measures' progress, OIT items)


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented pattern)."""

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(**kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(d, initial) for d in data]
        return [single(data, initial)] if data else []


MAX_ADDRESS_LENGTH = 1000  # not-domain: the length of the link columns


def web_addresses(text: str, max_count: int | None = None) -> list[str]:
    """Return the http(s) addresses of a text, one per line (blank lines and repeats dropped).

    Raises ``ValidationError`` naming the first line that is not a web address or too long.
    """
    check = URLValidator(schemes=["http", "https"])
    urls: list[str] = []
    for line in text.splitlines():
        url = line.strip()
        if not url or url in urls:
            continue
        if len(url) > MAX_ADDRESS_LENGTH:
            raise forms.ValidationError(_("A link is longer than 1,000 characters."))
        try:
            check(url)
        except forms.ValidationError:
            raise forms.ValidationError(
                _("%(url)s is not a web address (http:// or https://).") % {"url": url}
            ) from None
        urls.append(url)
    if max_count is not None and len(urls) > max_count:
        raise forms.ValidationError(_("At most %(n)s links per item.") % {"n": max_count})
    return urls


def evidence_files(files: list[Any] | None) -> list[Any]:
    """Return the uploaded files, refusing any larger than ``MAX_EVIDENCE_FILE``."""
    for upload in files or []:
        if upload.size > MAX_EVIDENCE_FILE:
            raise forms.ValidationError(_("%(name)s is larger than 20 MB.") % {"name": upload.name})
    return list(files or [])
