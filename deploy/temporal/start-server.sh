#!/bin/sh
# Starts the Temporal server from server/seasonal.yaml (this folder's server/, mounted at /etc/temporal/seasonal
# by docker-compose.yml). `npm run stack` runs this same file with TEMPORAL_SERVER set to the binary it built and
# TEMPORAL_CONFIG_DIR to deploy/temporal/server. `exec`: the server gets this process's id and its signals.
set -eu

# Services that listen on every address (BIND_ON_IP=0.0.0.0) must tell each other a real one.
if [ -z "${TEMPORAL_BROADCAST_ADDRESS:-}" ]; then
  TEMPORAL_BROADCAST_ADDRESS="$(hostname -i | awk '{print $1}')"
  export TEMPORAL_BROADCAST_ADDRESS
fi
exec "${TEMPORAL_SERVER:-temporal-server}" --root / --config "${TEMPORAL_CONFIG_DIR:-/etc/temporal/seasonal}" \
  --env seasonal --allow-no-auth start
