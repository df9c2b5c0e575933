#!/bin/sh
# One-shot job of docker-compose.yml (runs in temporalio/admin-tools), also run by `npm run stack` with the Temporal
# CLI on PATH: creates the namespace (retention TEMPORAL_RETENTION) when it is missing, then the project's custom
# search attributes, so the Web UI can filter agents by org, season and phase from the first start.
# Idempotent: what exists is left alone, so the job can run on every `docker compose up`.
# The list must match domain/search-attributes.ts (test/unit/compose-file.test.ts checks it).
# The worker also ensures the attributes at start; this job makes the UI and the season CLI work before any worker runs.
set -eu

ns="${TEMPORAL_NAMESPACE:-default}"
echo "search attributes: namespace ${ns} on ${TEMPORAL_ADDRESS:-localhost:7233}"

# The server may still be starting: wait until it answers.
tries=0
until temporal operator cluster health 2>/dev/null | grep -q SERVING; do
  tries=$((tries + 1))
  if [ "$tries" -ge 60 ]; then
    echo "search attributes: the Temporal server at ${TEMPORAL_ADDRESS:-localhost:7233} did not answer in 120 s" >&2
    exit 1
  fi
  sleep 2
done
if ! temporal operator namespace describe --namespace "$ns" >/dev/null 2>&1; then
  # Closed agent workflows stay visible this long: a whole season plus its report, not a day.
  temporal operator namespace create --namespace "$ns" --retention "${TEMPORAL_RETENTION:-2160h}"
  echo "search attributes: created namespace ${ns}"
fi

# A namespace just created reaches every server host within seconds: list its attributes once it does.
tries=0
until existing="$(temporal operator search-attribute list --namespace "$ns" 2>/dev/null)"; do
  tries=$((tries + 1))
  if [ "$tries" -ge 30 ]; then
    echo "search attributes: namespace ${ns} still unknown to the server after 60 s" >&2
    exit 1
  fi
  sleep 2
done
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
