# syntax=docker/dockerfile:1
# faultmesh: one image for the proxy (sidecar), the control plane and the CLI.
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
# node:20-slim's `node` user, by number: Kubernetes' runAsNonRoot can only
# verify a numeric user.
USER 1000:1000
# 15000 proxy admin, 15001 proxy data plane, 15100 control plane.
EXPOSE 15000 15001 15100
# The V8 flags are the ones in dist/cli/main.js's shebang, which `node FILE`
# does not read: they are part of the proxy's measured latency (see README,
# Benchmark). Node runs as PID 1 and handles SIGTERM itself (drain, then exit).
ENTRYPOINT ["node", "--min-semi-space-size=8", "--max-semi-space-size=8", "--no-allocation-site-pretenuring", "dist/cli/main.js"]
