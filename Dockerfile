# The portal under gunicorn; PostgreSQL comes from docker-compose.yml.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    STATIC_ROOT=/app/staticfiles \
    MEDIA_ROOT=/data/media

# Pango for WeasyPrint's PDFs; DejaVu for Vietnamese diacritics in them.
RUN apt-get update \
    && apt-get install -y --no-install-recommends libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --system --create-home --uid 10001 --user-group khuyencong \
    && install -d -o khuyencong -g khuyencong /data/media

WORKDIR /app

# Dependencies first, so a code change does not reinstall them.
COPY pyproject.toml README.md ./
RUN pip install .

COPY . .
# Static files are collected into the image; whitenoise serves them. The key only satisfies
# settings at build time and is never used to sign anything.
RUN SECRET_KEY=collectstatic-only DEBUG=False python manage.py collectstatic --noinput \
    && chmod +x docker/entrypoint.sh

USER khuyencong
EXPOSE 8000
ENTRYPOINT ["/app/docker/entrypoint.sh"]
