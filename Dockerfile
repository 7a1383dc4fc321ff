# syntax=docker/dockerfile:1
# faultmesh: one image for the proxy (sidecar), the control plane, the
# Toxiproxy-compatible server and the CLI.
# The entrypoint is the CLI, so a container's args are faultmesh's command
# line: `proxy --control ...`, `control --store etcd://...` (see
# deploy/kubernetes/).

# Build: the TypeScript compiler and the rest of the devDependencies live here
# only.
FROM node:20-slim AS build
WORKDIR /app
# The lock file first, so the install layer is reused while only sources change.
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY tsconfig.json ./
COPY proxy ./proxy
COPY control ./control
COPY runner ./runner
COPY reports ./reports
COPY cli ./cli
COPY importers ./importers
COPY toxiproxy ./toxiproxy
COPY bench ./bench
COPY demo ./demo
RUN npm run build

# Runtime: production dependencies and the compiled JavaScript, nothing else.
FROM node:20-slim AS runtime
ENV NODE_ENV=production
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --no-audit --no-fund && npm cache clean --force
COPY --from=build /app/dist ./dist
# The dashboard's page (/ui): static files tsc does not copy into dist, read from the package beside it.
COPY --from=build /app/control/ui/assets ./control/ui/assets
# node:20-slim's `node` user, by number: Kubernetes' runAsNonRoot can only
# verify a numeric user.
USER 1000:1000
# 15000 proxy admin, 15001 proxy data plane, 15100 control plane, 8474 the
# Toxiproxy-compatible API (`toxiproxy --listen 0.0.0.0:8474 --token ...`; its
# proxies listen on the ports their clients choose, published as needed).
EXPOSE 15000 15001 15100 8474
# The V8 flags are the ones in dist/cli/main.js's shebang, which `node FILE`
# does not read: they are part of the proxy's measured latency (see README,
# Benchmark). Node runs as PID 1 and handles SIGTERM itself (drain, then exit).
ENTRYPOINT ["node", "--min-semi-space-size=8", "--max-semi-space-size=8", "--no-allocation-site-pretenuring", "dist/cli/main.js"]
