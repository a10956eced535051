# The COP site: gunicorn behind the city's reverse proxy (README, "Déploiement").
#   docker build -t cop .
#   docker run --env-file cop.env -v cop-pdf:/app/var -p 8000:8000 cop
# and the worker that rebuilds the PDFs after each publication, from the same image, with the same
# environment and the same PDF volume:
#   docker run --env-file cop.env -v cop-pdf:/app/var cop python manage.py db_worker --backend pdf
# Uploads live in /app/media: mount a volume there (one server) or set AWS_STORAGE_BUCKET_NAME.
# WhiteNoise serves /static/. The reverse proxy must never expose /media/documents/ nor
# /media/original_images/: documents stream through /documents/, behind the login.
FROM python:3.11-slim-bookworm

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    DJANGO_SETTINGS_MODULE=cop_site.settings.production \
    PORT=8000

# WeasyPrint's libraries (the PDF booklet, chapters and poster) and fonts with French accents;
# the PostgreSQL client for scripts/backup.sh and scripts/restore.sh (version 15: pg_dump must
# be at least the server's version, so back up from the database host if it runs a later one).
RUN apt-get update \
    && apt-get install -y --no-install-recommends \
        libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation \
        postgresql-client \
    && rm -rf /var/lib/apt/lists/*

RUN useradd --create-home --uid 1000 cop
WORKDIR /app

# python-ldap (sign-in with the city's directory) compiles against OpenLDAP's headers, which
# leave with the compiler; the libraries it links to stay.
COPY requirements.txt requirements-cluster.txt requirements-ldap.txt ./
RUN apt-get update \
    && apt-get install -y --no-install-recommends gcc libldap2-dev libsasl2-dev \
    && pip install -r requirements-cluster.txt -r requirements-ldap.txt \
    && apt-get purge -y --auto-remove gcc libldap2-dev libsasl2-dev \
    && apt-get install -y --no-install-recommends libldap-2.5-0 libsasl2-2 \
    && rm -rf /var/lib/apt/lists/*

# The code stays root's, read-only for the site; it writes only uploads and the PDF cache.
COPY . .
# Static files are collected once, at build time, with a key that exists only during the build.
RUN SECRET_KEY=build-only-collectstatic-not-secret ALLOWED_HOSTS=build.invalid \
        python manage.py collectstatic --no-input \
    && mkdir -p /app/media /app/var \
    && chown cop:cop /app/media /app/var

USER cop
EXPOSE 8000
CMD ["gunicorn", "--config", "gunicorn.conf.py", "cop_site.wsgi:application"]
