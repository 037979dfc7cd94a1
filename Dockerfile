# Image for every Airflow component of newspipe (api-server, scheduler, dag-processor,
# triggerer, celery worker/flower) and for the one-shot `airflow-init`.
#
# Everything is installed at build time from requirements.lock (exact pins, the same
# file `make install` syncs); nothing is installed when a container starts.
#
# Build args:
#   AIRFLOW_EXECUTOR   LocalExecutor (default) builds exactly the lock.
#                      CeleryExecutor additionally installs CELERY_PACKAGES (the celery
#                      provider and the redis client are NOT in requirements.lock), resolved
#                      with requirements.lock as constraints so no locked pin moves.
#                      docker-compose.yml passes ${AIRFLOW_EXECUTOR} through, so
#                        AIRFLOW_EXECUTOR=CeleryExecutor docker compose --profile celery up --build
#                      builds the celery-capable image (tagged newspipe-airflow:CeleryExecutor).
#   CELERY_PACKAGES    what CeleryExecutor adds (default: apache-airflow-providers-celery redis).
#   AIRFLOW_UID        uid of the non-root `airflow` user (default 50000, as in Airflow's image).
#
# Only classic Dockerfile syntax is used, so both BuildKit and the legacy builder work.

ARG PYTHON_IMAGE=python:3.11-slim-bookworm

# --------------------------------------------------------------------------- builder
FROM ${PYTHON_IMAGE} AS builder

ARG UV_VERSION=0.13.9
ENV PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    UV_NO_CACHE=1 \
    UV_LINK_MODE=copy \
    UV_COMPILE_BYTECODE=1 \
    UV_PYTHON_DOWNLOADS=never

RUN pip install "uv==${UV_VERSION}" \
 && uv venv --python /usr/local/bin/python3.11 /opt/venv

WORKDIR /opt/airflow

# 1) third-party dependencies: this layer only changes when the lock changes
COPY requirements.lock ./
RUN uv pip sync --python /opt/venv/bin/python requirements.lock

# 2) optional celery extras (not in the lock), pinned around the lock
ARG AIRFLOW_EXECUTOR=LocalExecutor
ARG CELERY_PACKAGES="apache-airflow-providers-celery redis"
RUN if [ "${AIRFLOW_EXECUTOR}" = "CeleryExecutor" ]; then \
        uv pip install --python /opt/venv/bin/python \
            --constraint requirements.lock ${CELERY_PACKAGES}; \
    fi

# 3) the project itself, without dependencies (all of them come from the lock).
#    Editable, as `make install` does, so that `pipeline` imports from /opt/airflow/pipeline
#    and its project-root defaults (sources.yml, sql/, .state/) resolve under /opt/airflow.
COPY pyproject.toml ./
COPY pipeline/ ./pipeline/
RUN uv pip install --python /opt/venv/bin/python --no-deps -e .

# --------------------------------------------------------------------------- runtime
FROM ${PYTHON_IMAGE}

# curl: the api-server and scheduler healthchecks; tini: PID 1 that forwards signals.
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl tini \
 && rm -rf /var/lib/apt/lists/*

ARG AIRFLOW_UID=50000
ENV AIRFLOW_HOME=/opt/airflow \
    VIRTUAL_ENV=/opt/venv \
    PATH=/opt/venv/bin:${PATH} \
    PYTHONUNBUFFERED=1 \
    PYTHONDONTWRITEBYTECODE=1 \
    PIPELINE_SOURCES_FILE=/opt/airflow/sources.yml \
    PIPELINE_STATE_DIR=/opt/airflow/.state

# Non-root user; group 0 like Airflow's own image, so an arbitrary uid in group 0 also works.
RUN useradd --uid "${AIRFLOW_UID}" --gid 0 --home-dir /opt/airflow --no-create-home \
        --shell /bin/bash airflow \
 && mkdir -p /opt/airflow/logs /opt/airflow/config /opt/airflow/.state \
 && chown -R "${AIRFLOW_UID}:0" /opt/airflow \
 && chmod -R g+rwX /opt/airflow

COPY --from=builder /opt/venv /opt/venv

WORKDIR /opt/airflow

# Code is root-owned (read-only for the airflow user); only logs/, config/, .state/ are writable.
COPY pyproject.toml requirements.lock ./
COPY pipeline/ ./pipeline/
COPY sql/ ./sql/
COPY sources.yml ./sources.yml
COPY plugins/ ./plugins/
COPY dags/ ./dags/
COPY docker/airflow-init.sh /usr/local/bin/airflow-init
# SimpleAuthManager reads (and may rewrite) this file, so it must be writable: dev login admin/admin.
COPY docker/simple_auth_manager_passwords.json ./config/simple_auth_manager_passwords.json
RUN chmod 0755 /usr/local/bin/airflow-init \
 && chown "${AIRFLOW_UID}:0" ./config/simple_auth_manager_passwords.json \
 && chmod 0664 ./config/simple_auth_manager_passwords.json

USER airflow

ENTRYPOINT ["/usr/bin/tini", "--"]
CMD ["airflow", "version"]
