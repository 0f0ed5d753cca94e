# The portal's production image: web (gunicorn), worker and beat (celery) all run from it.
#   docker compose build && docker compose up -d      (see README.md, "Operations")
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    PYTHONPATH=/app \
    DJANGO_SETTINGS_MODULE=ecosystem.settings.production

WORKDIR /app

# Dependencies first, from pyproject.toml alone, so a code change does not reinstall them.
COPY pyproject.toml /app/pyproject.toml
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" > /tmp/requirements.txt \
    && pip install -r /tmp/requirements.txt \
    && rm /tmp/requirements.txt

# The project (.dockerignore keeps out the virtualenv, databases, tests and caches).
COPY . /app

# Hashed, compressed static files for whitenoise; the build needs no real secret.
RUN SECRET_KEY=collectstatic-only-not-a-secret ALLOWED_HOSTS=localhost SITE_URL=https://build.invalid \
    python manage.py collectstatic --noinput
# The translation catalogues, compiled in pure Python (polib): the image needs no gettext.
RUN SECRET_KEY=compilemessages-only-not-a-secret ALLOWED_HOSTS=localhost SITE_URL=https://build.invalid \
    python manage.py compile_catalogues --force

RUN useradd --create-home --uid 1000 portal \
    && mkdir -p /data/media /data/private_media \
    && chown -R portal:portal /data
USER portal

ENV MEDIA_ROOT=/data/media \
    PRIVATE_MEDIA_ROOT=/data/private_media \
    WEB_CONCURRENCY=3

EXPOSE 8000
CMD ["gunicorn", "ecosystem.wsgi:application", "--bind", "0.0.0.0:8000", "--access-logfile", "-", "--timeout", "60", "--max-requests", "1000", "--max-requests-jitter", "100"]
