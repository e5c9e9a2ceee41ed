"""Backups that restore: dump, restore into a fresh database, find the same report figures."""

import hashlib
import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import psycopg
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.db import connection

from khuyencong.backup import FILES, MANIFEST, backup
from proposals.attachments import attach
from tests.builders import TRIEU, make_allocation, make_facility, make_proposal, walk_to

ROOT = Path(__file__).resolve().parent.parent
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
on_postgres = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="pg_dump / pg_restore: PostgreSQL only"
)

SUMMARY = (
    "import json; from reports.summary import ReportFilters, summarise; "
    "print(json.dumps(summarise(ReportFilters(year_from=2024, year_to=2026), scope=None, "
    "fresh=True).as_json()))"
)


def _summary_of(database_url):
    """The national summary as another server process would compute it on that database."""
    env = {**os.environ, "DATABASE_URL": database_url, "DEBUG": "1"}
    env.pop("DJANGO_SETTINGS_MODULE", None)
    done = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", SUMMARY],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    return json.loads(done.stdout.strip().splitlines()[-1])


def _url(name):
    db = connection.settings_dict
    auth = db["USER"] + (f":{db['PASSWORD']}" if db["PASSWORD"] else "")
    return f"postgres://{auth}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"


def _admin(sql):
    with psycopg.connect(_url("postgres"), autocommit=True) as admin:
        admin.execute(sql)


@on_postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_backup_restores_into_a_fresh_database_with_the_same_figures(cast, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    make_allocation()
    approved = walk_to(
        make_proposal("BK-1", beneficiaries=[make_facility(tax_code="0100100001")]),
        "approved",
        cast,
    )
    make_proposal(
        "BK-2", year=2025, fund="national", state="accepted", final_support_vnd=1_900 * TRIEU
    )
    stored = attach(
        approved, SimpleUploadedFile("du-toan.pdf", PDF, "application/pdf"), cast["centre.bacninh"]
    )
    original = _summary_of(_url(connection.settings_dict["NAME"]))
    assert original["support_vnd"] == 2_400 * TRIEU  # 500 + 1 900 triệu, counted

    call_command("backup", str(tmp_path / "backup"))
    manifest = json.loads((tmp_path / "backup" / MANIFEST).read_text())
    assert manifest["engine"] == "postgresql" and set(manifest["sha256"]) == {
        "database.dump",
        FILES,
    }

    fresh = f"restore_{uuid.uuid4().hex[:8]}"
    _admin(f"CREATE DATABASE {fresh}")
    try:
        restored_media = tmp_path / "restored-media"
        env = {
            **os.environ,
            "DATABASE_URL": _url(fresh),
            "DEBUG": "1",
            "MEDIA_ROOT": str(restored_media),
        }
        env.pop("DJANGO_SETTINGS_MODULE", None)
        subprocess.run(
            [sys.executable, "manage.py", "restore", str(tmp_path / "backup")],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
        )
        assert _summary_of(_url(fresh)) == original
        copy = restored_media / stored.file.name
        assert hashlib.sha256(copy.read_bytes()).hexdigest() == hashlib.sha256(PDF).hexdigest()
        # A second restore into the now full database is refused, not mixed in.
        again = subprocess.run(
            [sys.executable, "manage.py", "restore", str(tmp_path / "backup")],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
        )
        assert again.returncode != 0 and "cơ sở dữ liệu trống" in again.stderr
    finally:
        _admin(f"DROP DATABASE IF EXISTS {fresh} WITH (FORCE)")


@pytest.mark.django_db
def test_a_restore_into_a_database_with_tables_is_refused(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    backup(tmp_path / "backup")
    with pytest.raises(CommandError, match="cơ sở dữ liệu trống"):
        call_command("restore", str(tmp_path / "backup"))


@pytest.mark.django_db
def test_a_damaged_backup_is_refused_before_anything_is_touched(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    backup(tmp_path / "backup")
    with (tmp_path / "backup" / FILES).open("ab") as archive:
        archive.write(b"tampered")
    with pytest.raises(CommandError, match="hỏng"):
        call_command("restore", str(tmp_path / "backup"))


@pytest.mark.django_db
def test_a_backup_goes_only_into_an_empty_folder(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "backup").mkdir()
    (tmp_path / "backup" / "old.dump").write_text("x")
    with pytest.raises(CommandError, match="không trống"):
        call_command("backup", str(tmp_path / "backup"))
