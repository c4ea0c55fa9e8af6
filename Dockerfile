# Vetted: one image for `serve`, `worker` and the one-off commands (docs/operations.md, "Containers").
# Build: docker build -t vetted .    Run: docker run … vetted serve

# ---- build: every dependency, then the web client and the server ----
FROM node:20-slim AS build
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY . .
RUN npm run build

# ---- dependencies of the running service only ----
FROM node:20-slim AS deps
WORKDIR /app
COPY package.json package-lock.json ./
RUN npm ci --omit=dev --ignore-scripts --no-audit --no-fund && npm cache clean --force

# ---- the image that runs ----
FROM node:20-slim
ENV NODE_ENV=production HOST=0.0.0.0 PORT=3000 DATA_DIR=/var/lib/vetted
WORKDIR /app
# A user of its own, without a shell or a home to write to; the data folder is its only writable place.
RUN groupadd --system vetted && useradd --system --gid vetted --no-create-home --shell /usr/sbin/nologin vetted \
  && mkdir -p /var/lib/vetted && chown vetted:vetted /var/lib/vetted
COPY --from=deps /app/node_modules ./node_modules
COPY --from=build /app/dist ./dist
# The migrations are applied at start from their SQL files.
COPY --from=build /app/src/server/db/migrations ./src/server/db/migrations
COPY package.json ./
USER vetted
EXPOSE 3000
# Ready, not merely alive: /readyz answers 503 while the process drains on SIGTERM.
HEALTHCHECK --interval=30s --timeout=5s CMD ["node", "-e", "fetch('http://127.0.0.1:'+(process.env.PORT||3000)+'/readyz').then(r=>process.exit(r.ok?0:1),()=>process.exit(1))"]
ENTRYPOINT ["node", "dist/server/main.js"]
CMD ["serve"]
