# The portal's production image: `docker compose up` (compose.yaml) runs it with PostgreSQL,
# MinIO, Redis and a mail catcher — as the web server (the CMD below) and as the worker
# (`portal worker`: e-mails and scheduled jobs). Build: `docker build -t placement-portal .`

# --- front-end assets, copied exactly as the Makefile's static/vendor/.installed target does ---
FROM node:20-slim AS assets
WORKDIR /build
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund --loglevel=error \
 && mkdir -p static/vendor/htmx static/vendor/kern \
 && cp node_modules/htmx.org/dist/htmx.min.js node_modules/htmx.org/LICENSE static/vendor/htmx/ \
 && cp -r node_modules/@kern-ux/native/dist/kern.min.css node_modules/@kern-ux/native/dist/fonts \
          node_modules/@kern-ux/native/LICENSE.md static/vendor/kern/

# --- the app ---
FROM python:3.11-slim
ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN useradd --system --uid 10001 --home-dir /app --shell /usr/sbin/nologin portal
WORKDIR /app

# The dependencies first (from pyproject.toml), so that a code change does not reinstall them.
COPY pyproject.toml ./
RUN python -c "import tomllib; print('\n'.join(tomllib.load(open('pyproject.toml', 'rb'))['project']['dependencies']))" \
      > /tmp/requirements.txt \
 && pip install -r /tmp/requirements.txt \
 && rm /tmp/requirements.txt

# Installed in place (-e): the app finds templates/, static/ and translations/ next to the
# package (portal.settings.ROOT), so the package stays in /app rather than in site-packages.
COPY portal ./portal
RUN pip install --no-deps -e .
COPY piccolo_conf.py ./
COPY templates ./templates
COPY translations ./translations
COPY static ./static
COPY --from=assets /build/static/vendor ./static/vendor

# The code belongs to root and is read-only for the app; only var/ is writable.
RUN mkdir -p var && chown portal:portal var
USER portal
ENV PORTAL_ENVIRONMENT=production \
    PORTAL_VAR_DIR=/app/var

EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 \
  CMD ["python", "-c", "import sys, urllib.request; sys.exit(urllib.request.urlopen('http://127.0.0.1:8000/healthz', timeout=4).status != 200)"]
CMD ["portal", "serve", "--host", "0.0.0.0", "--port", "8000"]
