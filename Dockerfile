# syntax=docker/dockerfile:1
# Multi-stage: build the SPA with node, the virtualenv with uv, then a slim non-root runtime.

FROM node:20-bookworm-slim AS web
WORKDIR /src/web
COPY web/package.json web/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY web/ ./
RUN npm run build

FROM python:3.11-slim-bookworm AS python
RUN pip install --no-cache-dir uv==0.13.9
WORKDIR /srv/o3s
ENV UV_PROJECT_ENVIRONMENT=/srv/o3s/.venv UV_COMPILE_BYTECODE=1 UV_LINK_MODE=copy
COPY pyproject.toml uv.lock README.md ./
RUN uv sync --frozen --no-dev --no-install-project
COPY app/ app/
COPY domain/ domain/
COPY projections/ projections/
COPY read_api/ read_api/
COPY migrations/ migrations/
RUN uv sync --frozen --no-dev

FROM python:3.11-slim-bookworm AS runtime
RUN apt-get update && apt-get install -y --no-install-recommends git ca-certificates \
    && rm -rf /var/lib/apt/lists/* \
    && useradd --create-home --uid 10001 o3s
WORKDIR /srv/o3s
COPY --from=python --chown=o3s:o3s /srv/o3s /srv/o3s
COPY --from=web --chown=o3s:o3s /src/web/dist /srv/o3s/web/dist
USER o3s
ENV PATH=/srv/o3s/.venv/bin:$PATH O3S_HOST=0.0.0.0 O3S_PORT=9403 O3S_DATA_DIR=/home/o3s/.o3s O3S_CWD=/home/o3s/work
RUN mkdir -p /home/o3s/work
EXPOSE 9403
HEALTHCHECK --interval=10s --timeout=3s CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:9403/health')"
CMD ["o3s", "serve"]
