# syntax=docker/dockerfile:1
# mibio: multi-stage build. The builder installs its tools with the same
# scripts/setup the developers and CI use (registry packages only), then
# `cargo leptos build --release`; the runtime image holds the binary + site/.

FROM rust:1.95-bookworm AS builder
SHELL ["/bin/bash", "-euo", "pipefail", "-c"]
ENV DEBIAN_FRONTEND=noninteractive CARGO_TERM_COLOR=never
WORKDIR /src

# 1. Tools: wasm32 target, cargo-leptos, wasm-bindgen-cli (the Cargo.lock
#    version), node + npm's binaryen for wasm-opt. Cached until these inputs
#    change. No Postgres, Chromium, clippy/rustfmt/nextest in a release build.
COPY scripts/ scripts/
COPY Cargo.lock ./
COPY end2end/package.json end2end/package-lock.json end2end/
RUN bash scripts/setup --no-postgres --no-browser --no-test-tools

# 2. Build. LEPTOS_SITE_ROOT pins the site to target/site (cargo-leptos reads it).
COPY . .
RUN source scripts/lib/common.sh \
    && tools_path \
    && LEPTOS_SITE_ROOT=target/site cargo leptos build --release --precompress --split \
    && mkdir -p /out \
    && cp target/release/mibio /out/mibio \
    && cp -r target/site /out/site \
    && if [[ -f target/release/hash.txt ]]; then cp target/release/hash.txt /out/; fi

FROM debian:bookworm-slim AS runtime
RUN apt-get update \
    && apt-get install -y --no-install-recommends ca-certificates curl \
    && rm -rf /var/lib/apt/lists/* \
    && groupadd --system mibio \
    && useradd --system --gid mibio --home-dir /app --no-create-home --shell /usr/sbin/nologin mibio \
    && mkdir -p /var/lib/mibio/media \
    && chown -R mibio:mibio /var/lib/mibio

# The binary reads hash.txt (hashed asset names) from its own directory.
COPY --from=builder /out/ /app/
WORKDIR /app
USER mibio

ENV LEPTOS_SITE_ROOT=/app/site \
    LEPTOS_SITE_ADDR=0.0.0.0:3000 \
    LEPTOS_HASH_FILES=true \
    LEPTOS_ENV=PROD \
    STORAGE_LOCAL_DIR=/var/lib/mibio/media
# Uploaded pictures (STORAGE_PROVIDER=local, the default): keep them on a volume, or use s3.
VOLUME /var/lib/mibio
EXPOSE 3000
HEALTHCHECK --interval=30s --timeout=3s --start-period=20s --retries=3 \
    CMD curl -fsS "http://127.0.0.1:${LEPTOS_SITE_ADDR##*:}/health" >/dev/null || exit 1

# DATABASE_URL (and the rest of HTTP_API.md's configuration) come from the
# environment; `serve` applies pending migrations at start-up.
ENTRYPOINT ["/app/mibio"]
CMD ["serve"]
