"""Backups that restore: the database (pg_dump's custom format, or SQLite's online backup) and
the stored files (attachments, minutes) in one folder with a manifest.

`manage.py backup DIR` writes DIR/database.dump (or database.sqlite3), DIR/files.tar.gz and
DIR/manifest.json; `manage.py restore DIR` puts them back into an EMPTY database and the
MEDIA_ROOT, so a restore never mixes two installations' data.
"""

import datetime
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
from pathlib import Path

from django.conf import settings
from django.db import connections

MANIFEST = "manifest.json"
FILES = "files.tar.gz"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message says why, in Vietnamese."""


def _database(alias="default") -> dict:
    return connections.databases[alias]


def _is_postgres(db) -> bool:
    return db["ENGINE"] == "django.db.backends.postgresql"


def _pg_env(db) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "PGHOST": str(db.get("HOST") or ""),
            "PGPORT": str(db.get("PORT") or ""),
            "PGUSER": str(db.get("USER") or ""),
            "PGPASSWORD": str(db.get("PASSWORD") or ""),
            "PGDATABASE": str(db["NAME"]),
        }
    )
    return env


def _run(command, env):
    try:
        subprocess.run(command, env=env, check=True, capture_output=True, text=True)
    except FileNotFoundError as error:
        raise BackupError(
            f"Không tìm thấy {command[0]}: cài gói postgresql-client cùng phiên bản máy chủ."
        ) from error
    except subprocess.CalledProcessError as error:
        raise BackupError(f"{command[0]} không chạy được: {error.stderr.strip()}") from error


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def backup(directory: Path, alias: str = "default") -> dict:
    """Write the database and the files into `directory` (created; must be empty)."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    if any(directory.iterdir()):
        raise BackupError(f"Thư mục {directory} không trống: hãy chọn một thư mục mới.")
    db = _database(alias)
    if _is_postgres(db):
        dump = directory / "database.dump"
        _run(
            ["pg_dump", "--format=custom", "--no-owner", "--no-acl", f"--file={dump}"], _pg_env(db)
        )
    else:
        dump = directory / "database.sqlite3"
        source = sqlite3.connect(db["NAME"])
        target = sqlite3.connect(dump)
        with target:
            source.backup(target)  # consistent even while the portal writes
        source.close()
        target.close()
    media = Path(settings.MEDIA_ROOT)
    with tarfile.open(directory / FILES, "w:gz") as archive:
        if media.is_dir():
            archive.add(media, arcname=".")
    manifest = {
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "engine": "postgresql" if _is_postgres(db) else "sqlite",
        "database": dump.name,
        "sha256": {dump.name: _sha256(dump), FILES: _sha256(directory / FILES)},
    }
    (directory / MANIFEST).write_text(json.dumps(manifest, indent=2))
    return manifest


def restore(directory: Path, alias: str = "default") -> dict:
    """Put a backup back: the database into an empty one, the files into MEDIA_ROOT."""
    directory = Path(directory)
    try:
        manifest = json.loads((directory / MANIFEST).read_text())
    except (OSError, ValueError) as error:
        raise BackupError(f"Không đọc được {directory / MANIFEST}: {error}") from error
    for name, expected in manifest["sha256"].items():
        if _sha256(directory / name) != expected:
            raise BackupError(f"Tệp {name} đã bị thay đổi hoặc hỏng (sai mã băm).")
    db = _database(alias)
    connection = connections[alias]
    if connection.introspection.table_names():
        raise BackupError(
            "Cơ sở dữ liệu đích đã có bảng: chỉ khôi phục vào một cơ sở dữ liệu trống."
        )
    dump = directory / manifest["database"]
    if _is_postgres(db) != (manifest["engine"] == "postgresql"):
        raise BackupError("Bản sao lưu và cơ sở dữ liệu đích khác loại (PostgreSQL / SQLite).")
    if _is_postgres(db):
        connection.close()
        _run(
            ["pg_restore", "--no-owner", "--no-acl", f"--dbname={db['NAME']}", str(dump)],
            _pg_env(db),
        )
    else:
        connection.close()
        shutil.copyfile(dump, db["NAME"])
    media = Path(settings.MEDIA_ROOT)
    media.mkdir(parents=True, exist_ok=True)
    with tarfile.open(directory / FILES, "r:gz") as archive:
        archive.extractall(media, filter="data")  # no paths outside MEDIA_ROOT
    return manifest
