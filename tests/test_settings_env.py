"""settings.py reads the environment: each case imports it fresh in a subprocess."""

import json
import subprocess
import sys

import pytest

PROBE = (
    "import json; from django.conf import settings as s; "
    "print(json.dumps({'debug': s.DEBUG, 'hosts': s.ALLOWED_HOSTS, "
    "'engine': s.DATABASES['default']['ENGINE'], 'name': s.DATABASES['default']['NAME'], "
    "'secure': getattr(s, 'SESSION_COOKIE_SECURE', False), 'email': s.EMAIL_HOST, "
    "'lang': s.LANGUAGE_CODE, 'tz': s.TIME_ZONE}))"
)


def run_settings(env):
    base = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "khuyencong.settings"}
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup(); " + PROBE],
        env={**base, **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_it_defaults_to_sqlite_in_debug():
    out = run_settings({"DEBUG": "True"})
    assert out.returncode == 0, out.stderr
    values = json.loads(out.stdout)
    assert values["engine"] == "django.db.backends.sqlite3"
    assert values["lang"] == "vi" and values["tz"] == "Asia/Ho_Chi_Minh"


def test_it_reads_database_url_hosts_and_mail():
    out = run_settings(
        {
            "SECRET_KEY": "x" * 50,
            "DATABASE_URL": "postgres://u:p@db:5432/kc",
            "ALLOWED_HOSTS": "kc.example.vn,localhost",
            "EMAIL_HOST": "smtp.example.vn",
        }
    )
    assert out.returncode == 0, out.stderr
    values = json.loads(out.stdout)
    assert values["engine"] == "django.db.backends.postgresql"
    assert values["name"] == "kc"
    assert values["hosts"] == ["kc.example.vn", "localhost"]
    assert values["debug"] is False and values["secure"] is True
    assert values["email"] == "smtp.example.vn"


@pytest.mark.parametrize("debug", ["False", ""])
def test_it_refuses_to_start_without_a_secret_key_in_production(debug):
    out = run_settings({"DEBUG": debug})
    assert out.returncode != 0
    assert "SECRET_KEY" in out.stderr


def _database_options(env, argv):
    base = {"PATH": "/usr/bin:/bin", "DJANGO_SETTINGS_MODULE": "khuyencong.settings"}
    code = (
        f"import sys; sys.argv = {argv!r}; import django; django.setup(); import json; "
        "from django.conf import settings as s; "
        "print(json.dumps(s.DATABASES['default'].get('OPTIONS', {})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], env={**base, **env}, capture_output=True, text=True
    )
    assert out.returncode == 0, out.stderr
    return json.loads(out.stdout)


POSTGRES = {"DEBUG": "True", "DATABASE_URL": "postgres://u:p@db:5432/khuyencong"}


def test_requests_wait_a_bounded_time_for_locks_and_statements_on_postgresql():
    options = _database_options(POSTGRES, ["gunicorn"])
    assert options["options"] == "-c lock_timeout=5000 -c statement_timeout=30000"
    tuned = {**POSTGRES, "DB_LOCK_TIMEOUT_MS": "800", "DB_STATEMENT_TIMEOUT_MS": "0"}
    assert _database_options(tuned, ["manage.py", "runserver"])["options"] == (
        "-c lock_timeout=800 -c statement_timeout=0"
    )


def test_migrations_and_sqlite_run_without_those_limits():
    assert "options" not in _database_options(POSTGRES, ["manage.py", "migrate"])
    assert "options" not in _database_options({"DEBUG": "True"}, ["gunicorn"])
