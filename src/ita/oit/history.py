"""Compare a run of the link monitor with the previous one: newly broken, fixed, changed content.

Pure: the previous run is whatever was stored (the JSON objects of ``ita oit check --json`` now,
database rows later), read into ``Previous``.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from ita.oit.checker import LinkResult, Verdict


@dataclass(frozen=True)
class Previous:
    """What the last check of one address found."""

    verdict: Verdict
    content_sha256: str | None = None


@dataclass(frozen=True)
class Change:
    newly_broken: bool  # ok last time, not ok now
    fixed: bool  # not ok last time, ok now
    content_changed: bool | None  # None when either run has no content hash


def previous_from_json(objects: Iterable[Mapping[str, Any]]) -> dict[str, Previous]:
    """Return the previous run by address from ``ita oit check --json`` objects.

    Raises ``ValueError`` naming the object that lacks ``url`` or has an unknown ``verdict``.
    """
    found: dict[str, Previous] = {}
    for index, obj in enumerate(objects):
        try:
            url = str(obj["url"]).strip()
            verdict = Verdict(obj["verdict"])
        except (KeyError, ValueError, TypeError) as exc:
            raise ValueError(f"object {index + 1}: needs a url and a known verdict") from exc
        sha = obj.get("content_sha256")
        found[url] = Previous(verdict, sha if isinstance(sha, str) else None)
    return found


def compare(result: LinkResult, previous: Previous | None) -> Change:
    """Return how ``result`` differs from the previous check of the same address."""
    if previous is None:
        return Change(newly_broken=False, fixed=False, content_changed=None)
    was_ok = previous.verdict is Verdict.OK
    changed = (
        None
        if previous.content_sha256 is None or result.content_sha256 is None
        else previous.content_sha256 != result.content_sha256
    )
    return Change(
        newly_broken=was_ok and result.broken,
        fixed=not was_ok and not result.broken,
        content_changed=changed,
    )
