# syntax=docker/dockerfile:1
# Whistlestop's image: `docker build -t whistlestop .`, then see docs/deploying.md.
#
# Node 24 LTS. Pinned to 24.18.1: better-sqlite3 12 compiled against the headers of Node 24.19
# and later aborts now and then in garbage collection (WiseLibs/better-sqlite3#1515).
ARG NODE_IMAGE=node:24.18.1-bookworm-slim

# Compiles src/ into dist/ with the dev dependencies (TypeScript).
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# better-sqlite3 compiles its native module against this Node's headers.
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
ENV npm_config_build_from_source=true
COPY package.json package-lock.json ./
COPY scripts/prepare.js scripts/prepare.js
RUN npm ci --no-audit --no-fund
COPY tsconfig.json tsconfig.build.json ./
COPY src src
RUN npm run build

# The runtime dependencies only: no TypeScript, tsx, esbuild or test tools.
FROM ${NODE_IMAGE} AS production-dependencies
WORKDIR /app
RUN apt-get update && apt-get install -y --no-install-recommends python3 make g++ && rm -rf /var/lib/apt/lists/*
ENV npm_config_build_from_source=true
COPY package.json package-lock.json ./
COPY scripts/prepare.js scripts/prepare.js
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# What runs: root owns every file and the server runs as `node`, so the install is read-only to it.
FROM ${NODE_IMAGE} AS runtime
ENV NODE_ENV=production \
    PORT=3000 \
    HOST=0.0.0.0 \
    WHISTLESTOP_CONFIG=/config/whistlestop.yml \
    WHISTLESTOP_DB=/data/whistlestop.db \
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED=true
WORKDIR /app
COPY --from=production-dependencies /app/node_modules node_modules
COPY --from=build /app/dist dist
COPY package.json package-lock.json ./
COPY bin bin
COPY examples examples
# SQLite's file lives on the /data volume (PostgreSQL via DATABASE_URL needs none).
RUN mkdir -p /data /config && chown node:node /data
VOLUME /data
USER node
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=5s --start-period=30s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/healthz').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]
ENTRYPOINT ["node", "bin/whistlestop.js"]
CMD ["start"]
