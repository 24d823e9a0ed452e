"""Anonymity is a property of the database, not only of the code that writes to it.

These tests read the schema and the stored rows as an administrator with database access would,
on SQLite and on PostgreSQL alike.
"""

from __future__ import annotations

import logging
import re

import pytest
from django.db import connection

from ita.surveys import services
from ita.surveys.accesslog import SurveyPrivateLogger
from ita.surveys.models import InterviewTally, Response, Token
from tests.surveys_support import Respondent, Surveys, answers_for, surveys

__all__ = ["surveys"]

FORBIDDEN_NAME = re.compile(
    r"user|ip|addr|agent|browser|device|token|code|key|session|cookie|time|created|updated"
    r"|order|seq|position|interviewer|email|phone|name",
    re.IGNORECASE,
)


def _columns(table: str) -> dict[str, str]:
    """Return each column of a table with the field type Django reads it as."""
    with connection.cursor() as cursor:
        description = connection.introspection.get_table_description(cursor, table)
    types = {}
    for column in description:
        try:
            kind = connection.introspection.get_field_type(column.type_code, column)
        except KeyError:
            kind = str(column.type_code)
        types[column.name] = kind
    return types


def test_the_response_table_has_only_the_anonymous_columns(db: None) -> None:
    columns = _columns(Response._meta.db_table)
    assert set(columns) == {"id", "campaign_id", "answers", "channel", "submitted_on", "released"}
    assert [name for name in columns if FORBIDDEN_NAME.search(name)] == []
    assert columns["submitted_on"] == "DateField"  # a day, never a time
    assert not any("DateTime" in kind or "Time" in kind for kind in columns.values())
    # Not a counter: nothing in the key says which row came first.
    assert "AutoField" not in columns["id"] and "Integer" not in columns["id"]
    with connection.cursor() as cursor:
        relations = connection.introspection.get_relations(cursor, Response._meta.db_table)
    assert {target for _col, (_field, target) in relations.items()} == {"surveys_campaign"}


def test_the_code_table_holds_unused_codes_only_with_no_link_to_anything_but_their_batch(
    db: None,
) -> None:
    columns = _columns(Token._meta.db_table)
    assert set(columns) == {"digest", "batch_id"}
    assert not any("Time" in kind or "Date" in kind for kind in columns.values())


def test_the_interview_tally_has_no_link_to_any_response(db: None) -> None:
    with connection.cursor() as cursor:
        relations = connection.introspection.get_relations(cursor, InterviewTally._meta.db_table)
    targets = {target for _col, (_field, target) in relations.items()}
    assert Response._meta.db_table not in targets


def _every_stored_value() -> list[tuple[str, str]]:
    """Return every value of every table as text (bytes read as Latin-1)."""
    values = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names(cursor):
            cursor.execute(f"SELECT * FROM {connection.ops.quote_name(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for value in row:
                    if isinstance(value, memoryview | bytes):
                        text = bytes(value).decode("latin-1")
                    else:
                        text = str(value)
                    values.append((table, text))
    return values


def test_nothing_stored_anywhere_identifies_the_respondent(surveys: Surveys) -> None:
    staff = surveys.staff
    staff.requires_code = True
    staff.save()
    services.update_campaign(staff, surveys.world.users["bob"], {})
    (code,) = services.issue_codes(staff, 1, surveys.world.users["bob"])
    address, agent = "203.0.113.199", "Mozilla/5.0 (Phone; unique-agent-7f3a)"
    phone = Respondent(address, agent)
    sent = phone.send(surveys.slug(staff), answers_for(staff, 1), code=code)
    assert sent.status == 303 and Response.objects.count() == 1
    secrets_of_the_respondent = {
        "address": address,
        "browser": "unique-agent-7f3a",
        "code": services.normalize_code(code),
        "code digest": services.code_digest(staff.pk, code),
        "submission key": sent.key,
        "form cookie": phone.client.cookies["ita_survey"].value,
        "csrf cookie": phone.client.cookies["csrftoken"].value,
    }
    found = [
        (what, table)
        for table, text in _every_stored_value()
        for what, secret in secrets_of_the_respondent.items()
        if secret in text
    ]
    assert found == []


def test_a_stored_response_has_a_day_but_no_time(surveys: Surveys) -> None:
    Respondent().send(surveys.slug(surveys.users), answers_for(surveys.users))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT submitted_on FROM {Response._meta.db_table}")  # noqa: S608
        (value,) = cursor.fetchone()
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", str(value))


def test_response_ids_do_not_follow_arrival_order(surveys: Surveys) -> None:
    slug = surveys.slug(surveys.users)
    phone = Respondent()
    arrived = []
    for n in range(12):
        phone.send(slug, answers_for(surveys.users, [n % 4, n // 4]))
        arrived.append(bytes(answers_for(surveys.users, [n % 4, n // 4])))
    by_id = [bytes(a) for a in Response.objects.order_by("id").values_list("answers", flat=True)]
    assert sorted(by_id) == sorted(arrived)
    assert by_id != arrived  # 1 chance in 12! of a false alarm


def _physical_order() -> list[tuple[bytes, str]]:
    table = Response._meta.db_table
    if connection.vendor == "postgresql":
        sql = f"SELECT answers, xmin::text FROM {table} ORDER BY ctid"  # noqa: S608
    else:
        sql = f"SELECT answers, '' FROM {table} ORDER BY rowid"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return [(bytes(a), x) for a, x in cursor.fetchall()]


@pytest.mark.django_db(transaction=True)
def test_mixing_leaves_no_trace_of_arrival_order_in_row_positions_or_transaction_ids(
    surveys: Surveys,
) -> None:
    users = surveys.users
    slug = surveys.slug(users)
    phone = Respondent()
    arrived = []
    for n in range(16):
        pattern = [n % 4, (n // 4) % 4, 3]
        phone.send(slug, answers_for(users, pattern))
        arrived.append(bytes(answers_for(users, pattern)))
    before = _physical_order()
    assert [a for a, _x in before] == arrived  # what an unmixed table gives away
    report = services.mix()
    assert report.released == 16
    after = _physical_order()
    assert sorted(a for a, _x in after) == sorted(arrived)
    assert [a for a, _x in after] != arrived  # 1 chance in 16! of a false alarm
    if connection.vendor == "postgresql":
        assert len({x for _a, x in before}) == 16  # one transaction per answer …
        assert len({x for _a, x in after}) == 1  # … until one rewrite holds them all


@pytest.mark.django_db(transaction=True)
def test_mixing_gives_old_rows_new_random_ids(surveys: Surveys) -> None:
    import datetime as dt

    Respondent().send(surveys.slug(surveys.users), answers_for(surveys.users))
    before = set(Response.objects.values_list("id", flat=True))
    Response.objects.update(submitted_on=dt.date(2024, 1, 1))
    services.mix()
    after = set(Response.objects.values_list("id", flat=True))
    assert len(after) == 1 and after.isdisjoint(before)


def test_the_access_log_skips_the_public_survey_pages() -> None:
    from gunicorn.config import Config

    config = Config()
    config.set("accesslog", "-")  # as `ita serve` runs gunicorn
    logger = SurveyPrivateLogger(config)
    logged: list[str] = []
    logger.access_log.handlers = [_ListHandler(logged)]

    class Resp:
        status = "303 See Other"
        sent = 0
        headers: tuple[tuple[str, str], ...] = ()

    class Req:
        headers: tuple[tuple[str, str], ...] = ()

    for path in ("/s/abc/", "/s/abc/thanks/", "/agencies/1/"):
        environ = {
            "PATH_INFO": path,
            "RAW_URI": path,
            "SERVER_PROTOCOL": "HTTP/1.1",
            "REMOTE_ADDR": "203.0.113.5",
            "REQUEST_METHOD": "POST",
        }
        logger.access(Resp(), Req(), environ, _Elapsed())
    assert len(logged) == 1 and "/agencies/1/" in logged[0]
    assert not any("/s/" in line for line in logged)


class _ListHandler(logging.Handler):
    def __init__(self, out: list[str]) -> None:
        super().__init__()
        self.out = out

    def emit(self, record: logging.LogRecord) -> None:
        self.out.append(record.getMessage())


class _Elapsed:
    seconds = 0
    microseconds = 1000


def test_the_mixing_command_releases_and_rewrites_the_rows(surveys: Surveys) -> None:
    import io

    from django.core.management import call_command

    phone = Respondent()
    for n in range(6):
        phone.send(surveys.slug(surveys.users), answers_for(surveys.users, n % 4))
    out = io.StringIO()
    call_command("surveys_mix", "--no-vacuum", stdout=out)
    assert "released 6" in out.getvalue() and "rewritten 6" in out.getvalue()
    assert Response.objects.filter(released=True).count() == 6


def test_the_nightly_mixing_is_a_periodic_task_of_the_worker() -> None:
    from huey.contrib.djhuey import HUEY

    assert "nightly_mix" in {task.name for task in HUEY._registry.periodic_tasks}
