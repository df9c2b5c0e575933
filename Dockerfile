# One image for the worker, the Okta event-hook receiver and (compose profile `emulators`) the emulators.
# The TypeScript runs through tsx, which is a runtime dependency, so there is no compile step; the workflow
# bundle is built once here so workers start without webpack (`worker/main.ts --bundle`).
#   docker build -t seasonal-agent-provisioner .
ARG NODE_IMAGE=node:20-bookworm-slim

# Runtime dependencies only (no jest, eslint or typescript). A stage of its own, so a code change reuses it.
FROM ${NODE_IMAGE} AS deps
WORKDIR /app
COPY package.json package-lock.json .npmrc ./
RUN npm ci --omit=dev --no-audit --no-fund --loglevel=error

FROM deps AS bundle
COPY . .
RUN node --import tsx scripts/build-workflow-bundle.ts --out /app/dist/workflow-bundle.js

FROM ${NODE_IMAGE}
ENV NODE_ENV=production
WORKDIR /app
COPY --from=deps /app/node_modules ./node_modules
# Code and the default config stay owned by root: the service user can read but not change them.
COPY . .
COPY --from=bundle /app/dist/workflow-bundle.js ./dist/workflow-bundle.js
# Emulator state files (and nothing else) are written under /data.
RUN mkdir -p /data && chown node:node /data
USER node
# Worker metrics (the compose file passes --metrics-port 9464) and the hook receiver (HOOK_PORT 8088).
EXPOSE 9464 8088
# `node --import tsx`: one process that receives SIGTERM itself (the tsx CLI would relay it to a child process).
CMD ["node", "--import", "tsx", "worker/main.ts", "--config", "config", "--bundle", "dist/workflow-bundle.js"]
