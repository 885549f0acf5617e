# syntax=docker/dockerfile:1

# One pinned base for every stage, on the Node line of package.json's "engines"; bump it on
# purpose (and add an @sha256 digest in a release pipeline that can resolve one).
ARG NODE_IMAGE=node:20.20.2-bookworm-slim

# --- build: every dependency, then swc into dist/ --------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
# The lockfile alone decides the dependency layer, so that source edits reuse it.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
# .dockerignore keeps node_modules, dist, data, .env and .git out of this copy.
COPY . .
RUN npm run build

# --- production dependencies only, installed afresh rather than pruned, so that no dev tool's
# install script or leftover file reaches the runtime image ------------------------------------
FROM ${NODE_IMAGE} AS prod-deps
WORKDIR /app
ENV NODE_ENV=production
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force

# --- runtime -----------------------------------------------------------------------------------
FROM ${NODE_IMAGE} AS runtime
# tini as PID 1 forwards SIGTERM to node (graceful shutdown) and reaps zombies. Debian's package
# is used, not a download, so the build needs no network beyond the package mirrors. npm, npx,
# corepack and yarn are removed: the service never runs them and they only add CVEs.
# hadolint ignore=DL3008
RUN apt-get update \
  && apt-get install -y --no-install-recommends tini \
  && rm -rf /var/lib/apt/lists/* \
  && rm -rf /usr/local/lib/node_modules /opt/yarn-* \
    /usr/local/bin/npm /usr/local/bin/npx /usr/local/bin/corepack \
    /usr/local/bin/yarn /usr/local/bin/yarnpkg \
  && groupadd --system --gid 10001 tessera \
  && useradd --system --uid 10001 --gid 10001 --home-dir /nonexistent --no-create-home \
    --shell /usr/sbin/nologin tessera \
  && mkdir -p /var/lib/tessera \
  && chown 10001:10001 /var/lib/tessera \
  && chmod 0700 /var/lib/tessera

# DATA_DIR holds the embedded database and a development MASTER_KEY when no DATABASE_URL or
# MASTER_KEY is given; it and /tmp are the only places the process writes, so the root
# filesystem can be mounted read-only.
ENV NODE_ENV=production \
    HOST=0.0.0.0 \
    PORT=3000 \
    DATA_DIR=/var/lib/tessera

WORKDIR /app
# Owned by root and not writable by the service user: the code cannot be changed at run time.
COPY --from=prod-deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
COPY package.json ./

VOLUME ["/var/lib/tessera"]
USER 10001:10001
EXPOSE 3000

# Slim images have no curl: node's own fetch asks the liveness route on the configured port.
HEALTHCHECK --interval=30s --timeout=5s --start-period=60s --retries=3 \
  CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 3000) + '/health/live').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

ENTRYPOINT ["/usr/bin/tini", "--"]
# node directly, not `npm start`: its prestart would rebuild, and npm would sit between tini and
# node. The migration entry point is `node dist/apps/identity/src/migrate.js`.
CMD ["node", "dist/apps/identity/src/main.js"]
