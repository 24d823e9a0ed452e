"""Every environment variable ITA Workbench reads, with its default and meaning.

This table drives ``settings.py`` and docs/configuration.md (a test checks that every variable
here is documented there and that settings reads no other ``ITA_`` variable).
"""

from __future__ import annotations

import os
from dataclasses import dataclass


@dataclass(frozen=True)
class EnvVar:
    name: str
    default: str | None
    help: str


VARIABLES = {
    v.name: v
    for v in [
        EnvVar("ITA_ENV", "development", "development, test or production."),
        EnvVar(
            "ITA_SECRET_KEY",
            None,
            "Django's secret key; required in production (the development default is refused).",
        ),
        EnvVar("ITA_DEBUG", None, "1 or 0; default 1 in development, 0 otherwise."),
        EnvVar(
            "ITA_ALLOWED_HOSTS",
            "127.0.0.1,localhost",
            "Comma-separated host names the app answers to.",
        ),
        EnvVar(
            "ITA_CSRF_TRUSTED_ORIGINS",
            "",
            "Comma-separated origins (https://example.org) trusted for forms behind a proxy.",
        ),
        EnvVar(
            "DATABASE_URL",
            None,
            "PostgreSQL URL, e.g. postgres://user@host:5432/ita; unset = SQLite in ITA_DATA_DIR.",
        ),
        EnvVar(
            "ITA_DATA_DIR",
            None,
            "Folder for the SQLite database, uploaded files and job queue; default ./var.",
        ),
        EnvVar(
            "ITA_REDIS_URL",
            None,
            "Redis URL for the background job queue (redis://127.0.0.1:6379/0); unset = SQLite.",
        ),
        EnvVar(
            "ITA_JOBS_IMMEDIATE",
            None,
            "1 to run background jobs inside the request instead of a worker (tests, debugging).",
        ),
        EnvVar(
            "ITA_OIT_CHECK_PRIVATE_ADDRESSES",
            None,
            "1 to let the OIT link monitor fetch addresses on private networks (intranets); "
            "default 0: refused, so users cannot probe the server's own network.",
        ),
        EnvVar(
            "ITA_FRAMEWORKS_DIR",
            None,
            "Folder of ita-YYYY.yaml framework files; default ./frameworks of the checkout.",
        ),
    ]
}


def env(name: str) -> str | None:
    """Return the value of a documented variable, or its default."""
    var = VARIABLES[name]
    return os.environ.get(name, var.default)


def env_bool(name: str, default: bool) -> bool:
    value = env(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str) -> list[str]:
    value = env(name) or ""
    return [part.strip() for part in value.split(",") if part.strip()]
