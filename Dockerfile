# vendor-webhook-mock: mock webhook APIs of ConductorOne, Shodai and SuperOffice.
#
#   docker build -t vendor-webhook-mock .
#   docker run --rm -p 4010:4010 vendor-webhook-mock
#
# Your own fixtures instead of the bundled demo ones (/app/fixtures):
#   docker run --rm -p 4010:4010 -v "$PWD/my-fixtures:/fixtures:ro" -e FIXTURES=/fixtures vendor-webhook-mock
#
# Extra CLI flags go after the image name (they are appended to the entrypoint), e.g.
#   docker run --rm -p 4010:4010 vendor-webhook-mock --log-level debug
#
# Settings (env): PORT (4010), HOST (0.0.0.0), FIXTURES (/app/fixtures), PUBLIC_URL (the origin clients and
# receivers use to reach the mock: callback URLs, JWT issuer, JWKS URL; defaults to http://127.0.0.1:$PORT, so
# set it when publishing on another port or host, e.g. -p 8080:4010 -e PUBLIC_URL=http://localhost:8080),
# DELIVERY_TIMEOUT (ms), BODY_LIMIT (bytes), LOG_LEVEL, LOG_FORMAT (pretty or json; default: pretty with a
# terminal, `docker run -t`, json without).
#
# NODE_IMAGE can point at any Node >= 22.19 image with npm, e.g. --build-arg NODE_IMAGE=node:22-bookworm-slim.
#
# README.md, "Docker", has these and the docker compose and GitHub Actions examples; `npm run test:container`
# builds this file and runs them (test/container/).

ARG NODE_IMAGE=node:24-bookworm-slim

# ---- build: all dependencies, compile TypeScript to dist/ -------------------------------------------
FROM ${NODE_IMAGE} AS build
WORKDIR /app
COPY package.json package-lock.json ./
# --ignore-scripts: `prepare` would build before src/ is here (the build is the step below); the only
# dependency with an install script, esbuild, needs none on Linux (its binary is the optional @esbuild/* package)
RUN npm ci --ignore-scripts --no-audit --no-fund
COPY tsconfig*.json ./
# the build compiles the specs and the demo fixtures to JSON and bundles the command line (scripts/build.mjs)
COPY scripts ./scripts
COPY specs ./specs
COPY fixtures ./fixtures
COPY src ./src
RUN npm run build

# ---- runtime: production dependencies + compiled output, non-root ----------------------------------
FROM ${NODE_IMAGE} AS runtime
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
COPY specs ./specs
COPY fixtures ./fixtures
COPY inspector ./inspector

ENV HOST=0.0.0.0 \
    PORT=4010 \
    FIXTURES=/app/fixtures \
    NODE_ENV=production

# Files stay root-owned (read-only for the server); it runs as the image's unprivileged `node` user (uid 1000).
USER node
EXPOSE 4010

# No curl in slim images: node's own fetch does the probe. Docker runs the first probe one interval after the
# start, and compose's `service_healthy` and GitHub Actions' service containers wait for it: hence 5 s.
HEALTHCHECK --interval=5s --timeout=3s --start-period=10s --retries=3 \
    CMD ["node", "-e", "fetch('http://127.0.0.1:' + (process.env.PORT || 4010) + '/__admin/health').then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1))"]

# Exec form: node itself is PID 1, with no shell in between, so `docker stop` (SIGTERM) and Ctrl-C (SIGINT)
# reach it directly. PID 1 gets no default signal actions from the kernel, but that does not matter here:
# the server installs its own SIGTERM/SIGINT handlers, closes its listener and exits 0.
ENTRYPOINT ["node", "--max-semi-space-size=2", "/app/dist/cli.js"]
CMD []
