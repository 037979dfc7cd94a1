#!/usr/bin/env bash
# One-shot initialisation run by the `airflow-init` compose service before any
# long-running Airflow component starts (they wait on
# `condition: service_completed_successfully`).
#   1. creates the writable directories under AIRFLOW_HOME (named volumes may be empty),
#   2. migrates the Airflow metadata database (airflow-db),
#   3. migrates the warehouse schema (warehouse) with the pipeline's own migrations.
# Nothing is installed here: the image already holds every package.
set -euo pipefail

: "${AIRFLOW_HOME:=/opt/airflow}"
state_dir="${PIPELINE_STATE_DIR:-${AIRFLOW_HOME}/.state}"

mkdir -p "${AIRFLOW_HOME}/logs" "${AIRFLOW_HOME}/dags" "${AIRFLOW_HOME}/plugins" \
         "${AIRFLOW_HOME}/config" "${state_dir}"

echo "airflow-init: airflow $(airflow version)"
echo "airflow-init: migrating the Airflow metadata database"
airflow db migrate

echo "airflow-init: migrating the warehouse (python -m pipeline migrate)"
python -m pipeline migrate

echo "airflow-init: done"
