"""Bulk writes for thousands of rows: COPY on PostgreSQL, ``bulk_create``/``bulk_update`` elsewhere.

Rows are tuples of Python values in the order of the field names given (JSON fields as dicts,
decimals as ``Decimal``). Call inside a transaction; nothing here sends signals or checks
constraints beyond what the database does.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection, models

BATCH = 2000  # not-domain: rows per INSERT/UPDATE statement where COPY is not available


def _field(model: type[models.Model], name: str) -> models.Field[Any, Any]:
    found = model._meta.get_field(name)
    if not isinstance(found, models.Field):
        raise TypeError(f"{model._meta.label}.{name} is not a column")
    return found


def _copy_value(field: Any, value: Any) -> Any:
    if value is not None and isinstance(field, models.JSONField):
        return json.dumps(value, ensure_ascii=False)
    return value


def insert_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Insert rows of values for ``fields``; return how many were inserted."""
    meta = model._meta
    columns = [_field(model, name) for name in fields]
    count = 0
    if connection.vendor == "postgresql":
        names = ", ".join(connection.ops.quote_name(str(c.column)) for c in columns)
        sql = f"COPY {connection.ops.quote_name(meta.db_table)} ({names}) FROM STDIN"
        with connection.cursor() as cursor, cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row([_copy_value(f, v) for f, v in zip(columns, row, strict=True)])
                count += 1
        return count
    batch: list[models.Model] = []
    for row in rows:
        batch.append(model(**dict(zip(fields, row, strict=True))))
        if len(batch) >= BATCH:
            model._default_manager.bulk_create(batch)
            count += len(batch)
            batch = []
    model._default_manager.bulk_create(batch)
    return count + len(batch)


def update_rows(
    model: type[models.Model], fields: Sequence[str], rows: Iterable[Sequence[Any]]
) -> int:
    """Set ``fields`` on rows given as ``(pk, value, …)``; return how many rows were given."""
    meta = model._meta
    pk = meta.pk
    if pk is None:
        raise ValueError(f"{meta.label} has no primary key")
    columns = [_field(model, name) for name in fields]
    quote = connection.ops.quote_name
    if connection.vendor == "postgresql":
        temp = quote("ita_bulk_update")
        names = [quote(str(pk.column)), *(quote(str(c.column)) for c in columns)]
        count = 0
        with connection.cursor() as cursor:
            cursor.execute(
                # Names from the model's metadata, quoted: no user input reaches the SQL.
                f"CREATE TEMP TABLE {temp} AS SELECT {', '.join(names)} "  # noqa: S608
                f"FROM {quote(meta.db_table)} WITH NO DATA"
            )
            with cursor.cursor.copy(f"COPY {temp} ({', '.join(names)}) FROM STDIN") as copy:
                for row in rows:
                    key, *values = row
                    copy.write_row(
                        [key, *(_copy_value(f, v) for f, v in zip(columns, values, strict=True))]
                    )
                    count += 1
            assignments = ", ".join(f"{n} = src.{n}" for n in names[1:])
            cursor.execute(
                f"UPDATE {quote(meta.db_table)} AS dst SET {assignments} FROM {temp} AS src "  # noqa: S608
                f"WHERE dst.{names[0]} = src.{names[0]}"
            )
            cursor.execute(f"DROP TABLE {temp}")
        return count
    count = 0
    batch: list[models.Model] = []
    for row in rows:
        key, *values = row
        obj = model(pk=key, **dict(zip(fields, values, strict=True)))
        batch.append(obj)
        if len(batch) >= BATCH:
            model._default_manager.bulk_update(batch, list(fields))
            count += len(batch)
            batch = []
    if batch:
        model._default_manager.bulk_update(batch, list(fields))
    return count + len(batch)
