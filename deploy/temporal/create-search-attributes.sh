#!/bin/sh
# One-shot job of docker-compose.yml (runs in temporalio/admin-tools): creates the project's custom search
# attributes on the namespace, so the Web UI can filter agents by org, season and phase from the first start.
# Idempotent: attributes that exist are left alone, so the job can run on every `docker compose up`.
# The list must match domain/search-attributes.ts (test/unit/compose-file.test.ts checks it).
# The worker also ensures them at start; this job makes the UI and the season CLI work before any worker runs.
set -eu

ns="${TEMPORAL_NAMESPACE:-default}"
echo "search attributes: namespace ${ns} on ${TEMPORAL_ADDRESS:-localhost:7233}"

# temporalio/auto-setup creates the namespace in the background after the server answers: wait for it.
tries=0
until temporal operator namespace describe --namespace "$ns" >/dev/null 2>&1; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then
    echo "search attributes: namespace ${ns} still missing after 120 s" >&2
    exit 1
  fi
  sleep 2
done

existing="$(temporal operator search-attribute list --namespace "$ns")"
for spec in OrgId=Keyword SeasonId=Keyword AgentPhase=Keyword SeasonEndsAt=Datetime SeasonIds=KeywordList SeasonPhases=KeywordList; do
  name="${spec%%=*}"
  type="${spec#*=}"
  if printf '%s\n' "$existing" | grep -qw "$name"; then
    echo "search attributes: ${name} exists"
  else
    temporal operator search-attribute create --namespace "$ns" --name "$name" --type "$type"
    echo "search attributes: created ${name} (${type})"
  fi
done
