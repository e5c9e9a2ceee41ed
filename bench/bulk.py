"""Insert many rows at once: COPY on PostgreSQL, `bulk_create` in batches elsewhere.

Rows are plain dicts keyed by field attname (`province_id`, not `province`). On PostgreSQL they
go straight into `COPY … FROM STDIN`: no model instance, no per-field preparation, no SQL to
parse. For the 100 000-proposal data set that is about five times faster than Django's
multi-row INSERT on a two-core machine (a few minutes become well under one). Elsewhere
(SQLite in CI) each row becomes a model instance for `bulk_create`.
"""

from django.db import connection

BATCH = 2_000


def insert(model, rows: list[dict], *, ids: bool = False) -> None:
    """Insert `rows` of `model`; with `ids`, set each row's "id" to the primary key it got.

    Columns a row leaves out take the field's default (as `Model()` would). Timestamps are
    written as given: `auto_now` fields are the caller's business on the bulk_create path.
    """
    if not rows:
        return
    if connection.vendor == "postgresql":
        _copy(model, rows, ids)
    else:
        objects = [model(**row) for row in rows]
        model.objects.bulk_create(objects, batch_size=BATCH)
        if ids:
            for row, obj in zip(rows, objects, strict=True):
                row["id"] = obj.pk


def _copy(model, rows, ids):
    meta = model._meta
    quote = connection.ops.quote_name
    fields = [f for f in meta.concrete_fields if ids or not f.primary_key]
    defaults = {f.attname: f.get_default() for f in fields}
    with connection.cursor() as cursor:
        if ids:
            # Reserve ids from the table's own sequence, so later inserts never collide.
            cursor.execute(
                "SELECT nextval(pg_get_serial_sequence(%s, %s)) FROM generate_series(1, %s)",
                [meta.db_table, meta.pk.column, len(rows)],
            )
            for row, (pk,) in zip(rows, cursor.fetchall(), strict=True):
                row[meta.pk.attname] = pk
        columns = ", ".join(quote(f.column) for f in fields)
        names = [f.attname for f in fields]
        sql = f"COPY {quote(meta.db_table)} ({columns}) FROM STDIN"
        with cursor.cursor.copy(sql) as copy:
            for row in rows:
                copy.write_row([row[n] if n in row else defaults[n] for n in names])
