#!/bin/sh
# Container start: bring the schema up to date, load the DAGs folder, create the admin user when a
# password is given, then hand the process over to gunicorn (or to any other orchestrator-api command).
set -eu
if [ "${1:-serve}" = "serve" ]; then
    orchestrator-api db migrate
    if [ -d "$ORCHESTRATOR_API_DAGS_FOLDER" ]; then
        orchestrator-api dags sync
    fi
    if [ -n "${ORCHESTRATOR_API_PASSWORD:-}" ]; then
        orchestrator-api users create --username "${ORCHESTRATOR_API_ADMIN_USERNAME:-admin}" \
            --email "${ORCHESTRATOR_API_ADMIN_EMAIL:-admin@example.org}" --role Admin
    fi
fi
exec orchestrator-api "$@"
