#!/bin/sh
# Creates Temporal's two PostgreSQL databases and brings their schemas to the server's version, with the server's
# own SQL tool: `setup-schema -v 0.0` (version tables), then `update-schema` from the versioned folders. Shared by
# docker-compose.yml (one-shot service `temporal-schema`, in temporalio/admin-tools) and `npm run stack`, which
# runs this same file with the SQL tool built from go.temporal.io/server/cmd/tools/sql@v1.29.1 and the schema
# folder of that module. Idempotent: each step skips what is already done, so it can run on every start.
set -eu

tool="${TEMPORAL_SQL_TOOL:-temporal-sql-tool}"
schema="${TEMPORAL_SCHEMA_DIR:-/etc/temporal/schema}/postgresql/v12"
: "${POSTGRES_SEEDS:?POSTGRES_SEEDS names the PostgreSQL host}"
: "${POSTGRES_USER:?POSTGRES_USER names the PostgreSQL user}"
# The tool reads the password from SQL_PASSWORD: it stays out of the command line (and `ps`).
SQL_PASSWORD="${POSTGRES_PWD:?POSTGRES_PWD is the PostgreSQL password}"
export SQL_PASSWORD

setup() {
  db="$1"
  versioned="$2"
  sql() { "$tool" --plugin postgres12 --ep "$POSTGRES_SEEDS" -p "${DB_PORT:-5432}" -u "$POSTGRES_USER" --db "$db" "$@"; }
  # CREATE DATABASE fails when it exists; setup-schema below fails if the database is really missing.
  if sql create-database >/dev/null 2>&1; then echo "schema: created database ${db}"; fi
  sql setup-schema -v 0.0
  sql update-schema -d "${versioned}"
  echo "schema: ${db} is up to date"
}

setup "${DBNAME:-temporal}" "${schema}/temporal/versioned"
setup "${VISIBILITY_DBNAME:-temporal_visibility}" "${schema}/visibility/versioned"
