#!/usr/bin/env bash
# Container start: bring the schema up to date, optionally load the demo, then serve.
set -euo pipefail

python manage.py migrate --noinput

if [[ "${LOAD_DEMO:-0}" == "1" ]]; then
  python manage.py load_demo
fi

exec gunicorn khuyencong.wsgi:application \
  --bind 0.0.0.0:8000 \
  --workers "${GUNICORN_WORKERS:-3}" \
  --timeout "${GUNICORN_TIMEOUT:-120}" \
  --access-logfile - \
  "$@"
