# syntax=docker/dockerfile:1
# Readerly: the service under gunicorn, as `readerly serve` runs it. Only the package goes in
# (no tests, no extension, no benchmarks); it runs as an unprivileged user and probes itself.
#
#   docker build -t readerly .
#   docker run --rm -p 127.0.0.1:8080:8080 readerly

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# 1. Build: install the package and its dependencies (all ship wheels) into a virtualenv.
FROM ${PYTHON_IMAGE} AS build
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1
RUN python -m venv /opt/readerly
WORKDIR /src
COPY pyproject.toml README.md ./
COPY server ./server
RUN /opt/readerly/bin/pip install .

# 2. Run: the same slim base, the virtualenv and nothing else.
FROM ${PYTHON_IMAGE} AS runtime
LABEL org.opencontainers.image.title="Readerly" \
      org.opencontainers.image.description="Self-hosted reader view: clean, safe article extraction over HTTP" \
      org.opencontainers.image.licenses="Apache-2.0"
RUN groupadd --system --gid 10001 readerly \
    && useradd --system --uid 10001 --gid readerly --home-dir /nonexistent --no-create-home \
       --shell /usr/sbin/nologin readerly
COPY --from=build /opt/readerly /opt/readerly
# gunicorn settings (READERLY_WORKERS, _TIMEOUT, _MAX_REQUESTS, _MAX_REQUESTS_JITTER) come from the
# environment at start-up like every other setting; only the bind address differs from a laptop.
ENV PATH=/opt/readerly/bin:$PATH \
    PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    READERLY_HOST=0.0.0.0 \
    READERLY_PORT=8080
USER 10001:10001
WORKDIR /tmp
EXPOSE 8080
# The app's own probe: no curl in the image. It asks http://127.0.0.1:$READERLY_PORT/healthz.
HEALTHCHECK --interval=30s --timeout=5s --start-period=15s --retries=3 CMD ["readerly", "healthcheck"]
STOPSIGNAL SIGTERM
CMD ["readerly", "serve"]
