# formabot's image: `docker build -t formabot .` (see README, "Mettre en production").
#
# Two stages: the first builds a wheel of every dependency (compilers stay
# there); the second installs those wheels into a virtualenv with no network
# and no compiler, adds the code and the templates, and runs as a user with
# no rights outside /data.  The code is kept as a source tree (/app/bot next
# to /app/templates, where bot.texts looks for the sentences) and compiled
# at build time, so a start compiles nothing.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

FROM ${PYTHON_IMAGE} AS wheels
RUN apt-get update \
    && apt-get install -y --no-install-recommends build-essential \
    && rm -rf /var/lib/apt/lists/*
WORKDIR /src
COPY pyproject.toml README.md ./
COPY bot ./bot
# Every dependency as a wheel; formabot's own wheel is dropped (the code is copied below).
RUN pip wheel --no-cache-dir --wheel-dir /wheels . \
    && rm /wheels/formabot-*.whl

FROM ${PYTHON_IMAGE}
# DejaVu Sans (four styles) for the PDFs; nothing else from the distribution.
RUN apt-get update \
    && apt-get install -y --no-install-recommends fonts-dejavu-core fonts-dejavu-extra \
    && rm -rf /var/lib/apt/lists/*
RUN --mount=type=bind,from=wheels,source=/wheels,target=/wheels \
    python -m venv /opt/formabot \
    && /opt/formabot/bin/pip install --no-cache-dir --no-index /wheels/*.whl
WORKDIR /app
COPY alembic.ini ./
COPY bot ./bot
COPY templates ./templates
RUN python -m compileall -q /app/bot \
    && printf '#!/bin/sh\nexec /opt/formabot/bin/python -m bot "$@"\n' > /opt/formabot/bin/formabot \
    && chmod 755 /opt/formabot/bin/formabot \
    && useradd --system --uid 10001 --user-group --home-dir /data --shell /usr/sbin/nologin formabot \
    && mkdir -p /data \
    && chown formabot:formabot /data \
    && chmod 700 /data

ENV PATH=/opt/formabot/bin:$PATH \
    PYTHONPATH=/app \
    PYTHONUNBUFFERED=1 \
    FORMABOT_DATA_DIR=/data \
    FORMABOT_METRICS_HOST=127.0.0.1 \
    FORMABOT_METRICS_PORT=9464 \
    TELEGRAM_WEBHOOK_LISTEN=0.0.0.0 \
    TELEGRAM_WEBHOOK_PORT=8443

USER formabot
VOLUME ["/data"]
# The Telegram webhook (when TELEGRAM_WEBHOOK_URL is set), behind the reverse proxy.
EXPOSE 8443
# /healthz answers 200 while the database answers, 503 otherwise (urlopen raises on 503).
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
    CMD ["python", "-c", "import urllib.request; urllib.request.urlopen('http://127.0.0.1:9464/healthz', timeout=4)"]
# SIGTERM (docker stop) is a clean stop; `formabot run` applies migrations at start.
CMD ["formabot", "run"]
