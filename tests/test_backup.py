"""Backups restore exactly, refuse to overwrite, and move SQLite to PostgreSQL verified."""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import threading
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.core.files.base import ContentFile
from django.core.management import call_command

from ita import backup as backups
from ita.assessments.models import Assessment, Snapshot
from ita.assessments.services import save_results
from ita.audit.models import AuditEvent
from ita.jobs.models import Job
from tests.conftest import S1_INDICATORS, World

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def media(tmp_path: Path, settings: Any) -> Path:
    settings.MEDIA_ROOT = str(tmp_path / "uploads")
    return Path(settings.MEDIA_ROOT)


def fill(world: World) -> None:
    save_results(
        world.assessment_a,
        world.users["bob"],
        indicators={n: Decimal(f"{v:.2f}") for n, v in S1_INDICATORS.items()},
    )
    job = Job.objects.create(kind="reports", agency=world.a)
    job.result_file.save("เอกสาร.zip", ContentFile("ไฟล์ของหน่วยงาน".encode()), save=True)


def state() -> tuple[Any, ...]:
    return (
        list(
            Assessment.objects.order_by("pk").values_list(
                "agency__name_th", "fiscal_year", "total", "level"
            )
        ),
        Snapshot.objects.count(),
        AuditEvent.objects.count(),
        list(Job.objects.values_list("result_file", flat=True)),
    )


def test_a_backup_restores_every_row_and_file(world: World, media: Path, tmp_path: Path) -> None:
    fill(world)
    before = state()
    archive = tmp_path / "backup.tar.gz"
    summary = backups.backup(archive)
    assert summary.files == 1 and summary.tables["assessments.assessment"] == 2
    call_command("flush", interactive=False, verbosity=0)
    for path in media.rglob("*"):
        if path.is_file():
            path.unlink()
    restored = backups.restore(archive)
    assert restored.tables == summary.tables
    assert state() == before
    job = Job.objects.get()
    assert job.result_file.read().decode() == "ไฟล์ของหน่วยงาน"


def test_restore_refuses_a_database_that_holds_data(
    world: World, media: Path, tmp_path: Path
) -> None:
    archive = tmp_path / "backup.tar.gz"
    backups.backup(archive)
    with pytest.raises(backups.BackupError, match="not empty"):
        backups.restore(archive)


def test_a_damaged_or_foreign_file_is_refused(db: None, tmp_path: Path) -> None:
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not a tarball")
    with pytest.raises(backups.BackupError, match="cannot read"):
        backups.restore(junk)
    foreign = tmp_path / "foreign.tar.gz"
    with tarfile.open(foreign, "w:gz") as archive:
        archive.add(__file__, arcname="something.py")
    with pytest.raises(backups.BackupError, match="not an ITA Workbench backup"):
        backups.restore(foreign)


def test_a_tampered_file_fails_verification(world: World, media: Path, tmp_path: Path) -> None:
    fill(world)
    archive = tmp_path / "backup.tar.gz"
    backups.backup(archive)
    tampered = tmp_path / "tampered.tar.gz"
    with tarfile.open(archive, "r:gz") as src, tarfile.open(tampered, "w:gz") as dst:
        for member in src.getmembers():
            data = src.extractfile(member)
            if member.name.startswith("uploads/") and data is not None:
                payload = b"changed"
                member.size = len(payload)
                dst.addfile(member, __import__("io").BytesIO(payload))
            else:
                dst.addfile(member, data)
    call_command("flush", interactive=False, verbosity=0)
    with pytest.raises(backups.BackupError, match="does not match its hash"):
        backups.restore(tampered)


def test_the_backup_is_one_snapshot_while_others_write(
    world: World, media: Path, tmp_path: Path, monkeypatch: Any
) -> None:
    """A row committed by another connection during the dump is in neither the counts nor the dump."""
    original = backups.call_command  # type: ignore[attr-defined]
    written = threading.Event()

    def write_then_dump(*args: Any, **kwargs: Any) -> None:
        def other_writer() -> None:
            from django.db import OperationalError, connections

            try:
                AuditEvent.objects.create(action="written.during.backup")
            except OperationalError:
                pass  # the test database is SQLite's shared in-memory one: a writer is refused
            finally:
                connections.close_all()
                written.set()

        if args and args[0] == "dumpdata":
            thread = threading.Thread(target=other_writer)
            thread.start()
            thread.join(timeout=5)  # SQLite: the writer waits for the read to finish
        original(*args, **kwargs)

    monkeypatch.setattr(backups, "call_command", write_then_dump)
    archive = tmp_path / "backup.tar.gz"
    summary = backups.backup(archive)
    with tarfile.open(archive, "r:gz") as opened:
        member = opened.extractfile(backups.DATA)
        assert member is not None
        dumped = sum(
            1
            for line in member.read().decode().splitlines()
            if '"model": "audit.auditevent"' in line
        )
    assert dumped == summary.tables["audit.auditevent"]
    written.wait(timeout=10)


def _postgres_url() -> str | None:
    try:
        with psycopg.connect("postgresql://postgres@127.0.0.1:5432/postgres", connect_timeout=2):
            return "postgresql://postgres@127.0.0.1:5432"
    except psycopg.OperationalError:
        return None


def test_migrate_to_postgres_moves_a_sqlite_installation_and_checks_every_row(
    tmp_path: Path,
) -> None:
    """End to end, as an administrator would: a SQLite installation with demo data, moved."""
    server = _postgres_url()
    if server is None:
        pytest.skip("no PostgreSQL server on 127.0.0.1:5432")
    ita = str(Path(sys.executable).with_name("ita"))
    environment = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    environment["ITA_DATA_DIR"] = str(tmp_path / "site")
    subprocess.run(
        [ita, "demo", "load", "--seed", "3"], env=environment, check=True, capture_output=True
    )
    name = f"ita_move_{uuid.uuid4().hex[:8]}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        moved = subprocess.run(
            [ita, "migrate-to-postgres", f"{server}/{name}"],
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
        assert moved.returncode == 0, moved.stderr
        assert "every row arrived" in moved.stdout
        with psycopg.connect(f"{server}/{name}") as target:
            assert target.execute("SELECT count(*) FROM agencies_agency").fetchone() == (5,)
            assert target.execute("SELECT count(*) FROM assessments_assessment").fetchone() == (15,)
            # Sequences moved past the copied ids: a new row gets a fresh id.
            target.execute(
                "INSERT INTO audit_auditevent (at, username, action, object_type, object_id, summary, changes) VALUES (now(), '', 'x', '', '', '', '{}')"
            )
        again = subprocess.run(
            [ita, "migrate-to-postgres", f"{server}/{name}"],
            env=environment,
            capture_output=True,
            text=True,
            check=False,
        )
        assert again.returncode == 2 and "not empty" in again.stderr
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def test_the_cli_backs_up_and_refuses_a_bad_file(world: World, media: Path, tmp_path: Path) -> None:
    from click.testing import CliRunner

    from ita.cli import cli

    result = CliRunner().invoke(cli, ["backup", str(tmp_path / "b.tar.gz")])
    assert result.exit_code == 0, result.output
    assert "rows" in result.stdout
    bad = tmp_path / "bad.tar.gz"
    bad.write_bytes(b"x")
    result = CliRunner().invoke(cli, ["restore", str(bad)])
    assert result.exit_code == 2 and "cannot read" in result.stderr
