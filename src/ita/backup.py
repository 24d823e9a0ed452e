"""Backups, restores, and moving a SQLite installation to PostgreSQL — each verified.

A backup is one ``.tar.gz`` with:

* ``database.jsonl`` — every row, serialised by Django (database-independent, so a SQLite backup
  restores into PostgreSQL and back), dumped inside one read transaction: a consistent snapshot
  while the application keeps running (SQLite WAL / PostgreSQL REPEATABLE READ);
* ``uploads/…`` — the uploaded files (evidence, job results);
* ``manifest.json`` — when, from which engine, rows per table, and a SHA-256 per file.

``restore`` loads a backup into an empty database (after migrating it) and checks every table's
row count and every file's hash against the manifest; ``migrate_to_postgres`` copies this
installation's rows into a PostgreSQL database the same way and checks them the same way.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connections, transaction

FORMAT_VERSION = 1
# Rows Django re-creates by itself on migrate; backing them up would clash on restore.
EXCLUDED = ("contenttypes", "auth.permission", "sessions")
MANIFEST = "manifest.json"
DATA = "database.jsonl"
UPLOADS = "uploads/"


class BackupError(Exception):
    """A backup that cannot be made or restored; the message says why (Thai / English)."""


@dataclass(frozen=True)
class Summary:
    tables: dict[str, int]
    files: int


def _models() -> list[Any]:
    excluded = {e for e in EXCLUDED if "." in e}
    skipped_apps = {e for e in EXCLUDED if "." not in e}
    return [
        m
        for m in apps.get_models()
        if m._meta.app_label not in skipped_apps and m._meta.label_lower not in excluded
    ]


def _counts(alias: str = DEFAULT_DB_ALIAS) -> dict[str, int]:
    return {m._meta.label_lower: m._default_manager.using(alias).count() for m in _models()}


@contextmanager
def _snapshot(alias: str) -> Iterator[None]:
    """One read transaction: every query inside sees the database as it was at its start."""
    connection = connections[alias]
    with transaction.atomic(using=alias):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ")
        yield


def _upload_files() -> list[Path]:
    root = Path(settings.MEDIA_ROOT)
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.is_dir() else []


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def backup(target: Path) -> Summary:
    """Write a consistent backup of the database and the uploaded files to ``target``."""
    root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp) / DATA
        with _snapshot(DEFAULT_DB_ALIAS):
            counts = _counts()
            call_command(
                "dumpdata",
                *[f"--exclude={e}" for e in EXCLUDED],
                "--natural-foreign",
                format="jsonl",
                output=str(data),
                verbosity=0,
            )
        files = {str(p.relative_to(root)): _sha256(p) for p in _upload_files()}
        manifest = {
            "format": FORMAT_VERSION,
            "created": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "engine": connections[DEFAULT_DB_ALIAS].vendor,
            "tables": counts,
            "files": files,
        }
        target.parent.mkdir(parents=True, exist_ok=True)
        partial = target.with_name(target.name + ".partial")
        with tarfile.open(partial, "w:gz") as archive:
            _add_bytes(
                archive, MANIFEST, json.dumps(manifest, ensure_ascii=False, indent=1).encode()
            )
            archive.add(data, arcname=DATA)
            for name in files:
                archive.add(root / name, arcname=UPLOADS + name)
        partial.replace(target)  # a backup is either whole or absent
    return Summary(counts, len(files))


def _add_bytes(archive: tarfile.TarFile, name: str, payload: bytes) -> None:
    info = tarfile.TarInfo(name)
    info.size = len(payload)
    archive.addfile(info, io.BytesIO(payload))


def _read_manifest(archive: tarfile.TarFile) -> dict[str, Any]:
    try:
        member = archive.extractfile(MANIFEST)
        if member is None:
            raise KeyError(MANIFEST)
        manifest: dict[str, Any] = json.loads(member.read())
    except (KeyError, json.JSONDecodeError):
        raise BackupError(
            "ไม่ใช่ไฟล์สำรองข้อมูลของ ITA Workbench / not an ITA Workbench backup"
        ) from None
    if manifest.get("format") != FORMAT_VERSION:
        raise BackupError(
            f"รุ่นของไฟล์สำรองข้อมูลไม่รองรับ / unsupported backup format {manifest.get('format')!r}"
        )
    return manifest


def _is_empty(alias: str) -> bool:
    return not any(count for count in _counts(alias).values())


def restore(source: Path, *, alias: str = DEFAULT_DB_ALIAS) -> Summary:
    """Load a backup into an empty database and upload folder, then verify it."""
    try:
        archive = tarfile.open(source, "r:gz")  # noqa: SIM115 - closed by the with below
    except (OSError, tarfile.TarError):
        raise BackupError(f"อ่านไฟล์ {source} ไม่ได้ / cannot read {source}") from None
    with archive, tempfile.TemporaryDirectory() as tmp:
        manifest = _read_manifest(archive)
        call_command("migrate", database=alias, interactive=False, verbosity=0)
        if not _is_empty(alias):
            raise BackupError(
                "ฐานข้อมูลปลายทางมีข้อมูลอยู่แล้ว จะกู้คืนได้เฉพาะฐานข้อมูลว่าง / "
                "the target database is not empty; restore only into an empty one"
            )
        member = archive.getmember(DATA)
        archive.extract(member, tmp, filter="data")
        with transaction.atomic(using=alias):
            call_command("loaddata", str(Path(tmp) / DATA), database=alias, verbosity=0)
            _verify_counts(manifest["tables"], alias)
        _reset_sequences(alias)
        root = Path(settings.MEDIA_ROOT)
        for name, digest in manifest["files"].items():
            extracted = archive.extractfile(UPLOADS + name)
            if extracted is None:
                raise BackupError(f"ไม่มีไฟล์ {name} ในไฟล์สำรอง / {name} is missing from the backup")
            target = root / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(extracted.read())
            if _sha256(target) != digest:
                raise BackupError(f"ไฟล์ {name} ไม่ตรงกับต้นฉบับ / {name} does not match its hash")
    return Summary(dict(manifest["tables"]), len(manifest["files"]))


def _verify_counts(expected: dict[str, int], alias: str) -> None:
    actual = _counts(alias)
    wrong = {t: (n, actual.get(t)) for t, n in expected.items() if actual.get(t) != n}
    if wrong:
        detail = ", ".join(f"{t}: {want} → {got}" for t, (want, got) in sorted(wrong.items()))
        raise BackupError(f"จำนวนแถวไม่ครบ / rows did not all arrive: {detail}")


def migrate_to_postgres(url: str) -> Summary:
    """Copy every row and check every table's count in a PostgreSQL database (files stay put)."""
    import dj_database_url

    if connections[DEFAULT_DB_ALIAS].vendor == "postgresql":
        raise BackupError("ระบบนี้ใช้ PostgreSQL อยู่แล้ว / this installation already uses PostgreSQL")
    config = dj_database_url.parse(url)
    if config.get("ENGINE") != "django.db.backends.postgresql":
        raise BackupError(f"{url!r} ไม่ใช่ที่อยู่ PostgreSQL / is not a PostgreSQL URL")
    alias = "migration_target"
    # Its own settings with Django's defaults; none of SQLite's options may leak into it.
    configured = connections.configure_settings({DEFAULT_DB_ALIAS: dict(config)})
    connections.databases[alias] = configured[DEFAULT_DB_ALIAS]
    try:
        with tempfile.TemporaryDirectory() as tmp:
            archive = Path(tmp) / "move.tar.gz"
            summary = backup(archive)
            with tarfile.open(archive, "r:gz") as opened:
                manifest = _read_manifest(opened)
                opened.extract(opened.getmember(DATA), tmp, filter="data")
            call_command("migrate", database=alias, interactive=False, verbosity=0)
            if not _is_empty(alias):
                raise BackupError(
                    "ฐานข้อมูล PostgreSQL ปลายทางมีข้อมูลอยู่แล้ว / the PostgreSQL database is not empty"
                )
            with transaction.atomic(using=alias):
                call_command("loaddata", str(Path(tmp) / DATA), database=alias, verbosity=0)
                _verify_counts(manifest["tables"], alias)
            _reset_sequences(alias)
        return Summary(summary.tables, 0)
    finally:
        connections[alias].close()
        del connections.databases[alias]


def _reset_sequences(alias: str) -> None:
    """Move PostgreSQL's id sequences past the copied rows (loaddata keeps the ids)."""
    from django.core.management.color import no_style

    connection = connections[alias]
    statements = connection.ops.sequence_reset_sql(no_style(), _models())
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
