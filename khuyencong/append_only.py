"""Records of what happened — lifecycle events and every field-history table — are refused
UPDATE and DELETE by PostgreSQL itself, not only by the ORM (AppendOnlyModel): a console, a
script or a bug cannot rewrite the past either.

Installed after every `migrate` (post_migrate) on every such table the apps define, so a new
history table is covered without anyone remembering. Two exceptions, both explicit:
- deleting a user account empties its id in these records (on_delete=SET_NULL), nothing more;
- a transaction that runs `SET LOCAL khuyencong.allow_erasure = 'on'` may delete, for the one
  command meant to (removing demo data before going live).
SQLite (development) has no such triggers.
"""

from django.apps import apps
from django.db import connections, models
from simple_history.models import HistoricalChanges

TRIGGER = "khuyencong_append_only"
FUNCTION = """
CREATE OR REPLACE FUNCTION khuyencong_refuse_rewrite() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE
    emptied text[] := TG_ARGV;  -- columns an account deletion may set to NULL
    before jsonb;
    after jsonb;
BEGIN
    IF current_setting('khuyencong.allow_erasure', true) = 'on' THEN
        RETURN CASE WHEN TG_OP = 'DELETE' THEN OLD ELSE NEW END;
    END IF;
    IF TG_OP = 'UPDATE' THEN
        before := to_jsonb(OLD);
        after := to_jsonb(NEW);
        IF (after - emptied) = (before - emptied) AND NOT EXISTS (
            SELECT 1 FROM unnest(emptied) AS c
            WHERE after -> c IS DISTINCT FROM before -> c AND after ->> c IS NOT NULL
        ) THEN
            RETURN NEW;
        END IF;
    END IF;
    RAISE EXCEPTION '% on % refused: records of what happened are never changed', TG_OP,
        TG_TABLE_NAME USING ERRCODE = 'restrict_violation';
END
$$;
"""


def tables() -> dict[str, list[str]]:
    """{table: columns that may be emptied} for every append-only model of every app."""
    from khuyencong.models import AppendOnlyModel

    found = {}
    for model in apps.get_models():
        if issubclass(model, AppendOnlyModel | HistoricalChanges):
            found[model._meta.db_table] = [
                field.column
                for field in model._meta.concrete_fields
                if field.is_relation and field.remote_field.on_delete is models.SET_NULL
            ]
    return found


def install(using="default", **_kwargs) -> None:
    connection = connections[using]
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        cursor.execute(FUNCTION)
        for table, emptied in tables().items():
            quoted = connection.ops.quote_name(table)
            arguments = ", ".join(f"'{column}'" for column in emptied)
            cursor.execute(f"DROP TRIGGER IF EXISTS {TRIGGER} ON {quoted}")
            cursor.execute(
                f"CREATE TRIGGER {TRIGGER} BEFORE UPDATE OR DELETE ON {quoted} "
                f"FOR EACH ROW EXECUTE FUNCTION khuyencong_refuse_rewrite({arguments})"
            )


def allow_erasure(using="default") -> None:
    """Let the current transaction (and only it) delete records of what happened: for the
    commands that remove data which never was real (generated benchmark rows, demo data)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        if not connection.in_atomic_block:
            raise RuntimeError("allow_erasure() belongs inside the transaction that erases")
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL khuyencong.allow_erasure = 'on'")
