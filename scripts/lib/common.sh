# shellcheck shell=bash
# Helpers shared by scripts/setup, scripts/run and scripts/test.
# Source it; it defines functions and sets nothing else but ROOT and E2E_STAMP.

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"

repo_root() { printf '%s\n' "$ROOT"; }

log() { printf '==> %s\n' "$*" >&2; }

die() {
  printf 'error: %s\n' "$*" >&2
  exit 1
}

# Where cargo puts its output (the binary lives in $(target_dir)/<profile>/).
target_dir() { printf '%s\n' "${CARGO_TARGET_DIR:-$ROOT/target}"; }

# Put project-local tools first: wasm-opt (npm's binaryen, never Debian's) and
# cargo-installed binaries (cargo-leptos, wasm-bindgen). cargo-leptos looks on
# PATH before it tries to download anything, so this keeps builds offline.
tools_path() {
  PATH="$ROOT/end2end/node_modules/.bin:${CARGO_HOME:-$HOME/.cargo}/bin:$PATH"
  export PATH
}

# The version of the wasm-bindgen crate in Cargo.lock (empty if none).
lock_wasm_bindgen_version() {
  [[ -f "$ROOT/Cargo.lock" ]] || return 0
  awk '/^name = "wasm-bindgen"$/ { found = 1; next }
       found && /^version = / { gsub(/"/, "", $3); print $3; exit }
       /^\[\[package\]\]/ { found = 0 }' "$ROOT/Cargo.lock"
}

# Fingerprint of end2end's package files; setup stores it in node_modules once installed.
e2e_lock_sum() {
  cat "$ROOT/end2end/package.json" "$ROOT/end2end/package-lock.json" 2>/dev/null | sha256sum | cut -d' ' -f1
}
E2E_STAMP="$ROOT/end2end/node_modules/.mibio-lock.sha256"

# Cheap check: is anything scripts/setup installs missing?
needs_setup() {
  command -v cargo-leptos >/dev/null || return 0
  command -v wasm-bindgen >/dev/null || return 0
  command -v cargo-nextest >/dev/null || return 0
  [[ -f "$E2E_STAMP" && "$(cat "$E2E_STAMP")" == "$(e2e_lock_sum)" ]] || return 0
  if command -v rustup >/dev/null; then
    grep -qx wasm32-unknown-unknown <<<"$(rustup target list --installed 2>/dev/null)" || return 0
  fi
  local want
  want="$(lock_wasm_bindgen_version)"
  if [[ -n "$want" ]]; then
    [[ " $(wasm-bindgen --version 2>/dev/null) " == *" $want "* ]] || return 0
  fi
  return 1
}

# ---------------------------------------------------------------- Postgres --

# Newest Debian Postgres bin dir, e.g. /usr/lib/postgresql/15/bin.
pg_bin_dir() {
  local d best="" best_v=0 v
  for d in /usr/lib/postgresql/*/bin; do
    [[ -x "$d/initdb" ]] || continue
    v="${d#/usr/lib/postgresql/}"
    v="${v%/bin}"
    [[ "$v" =~ ^[0-9]+$ ]] || continue
    if ((v > best_v)); then best_v=$v best=$d; fi
  done
  [[ -n "$best" ]] || die "no Postgres binaries in /usr/lib/postgresql/*/bin (run scripts/setup, or set DATABASE_URL)"
  printf '%s\n' "$best"
}

# A client tool (psql, createdb...): Debian's bin dir first, then PATH.
pg_tool() {
  if compgen -G "/usr/lib/postgresql/*/bin/$1" >/dev/null; then
    printf '%s/%s\n' "$(pg_bin_dir)" "$1"
  else
    command -v "$1" || die "$1 not found (install postgresql-client)"
  fi
}

# The local cluster's port: MIBIO_PG_PORT, else the one recorded when the cluster last started
# (another checkout's cluster may hold the default), else 54329.
pg_port() {
  if [[ -n "${MIBIO_PG_PORT:-}" ]]; then
    printf '%s\n' "$MIBIO_PG_PORT"
  elif [[ -s "$(pg_base_dir)/pg-port" ]]; then
    cat "$(pg_base_dir)/pg-port"
  else
    printf '54329\n'
  fi
}

# Whether something listens on 127.0.0.1:$1.
port_in_use() { (: <"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

# OS user that owns the cluster: ourselves, or "postgres" when we are root
# (initdb and pg_ctl refuse to run as root).
pg_os_user() {
  if [[ $EUID -eq 0 ]]; then printf 'postgres\n'; else id -un; fi
}

# Run a Postgres server binary as the cluster's owner, from a directory it can read.
as_pg() {
  if [[ $EUID -eq 0 ]]; then
    (cd / && runuser -u postgres -- "$@")
  else
    (cd / && "$@")
  fi
}

# Base dir holding pg/ (data), pg-run/ (socket) and pg.log. Normally $ROOT/.data;
# MIBIO_PG_DIR overrides it. As root, when the postgres user cannot reach the
# checkout (e.g. it lives under /root), fall back to a per-checkout dir in /var/tmp.
pg_base_dir() {
  if [[ -n "${MIBIO_PG_DIR:-}" ]]; then
    printf '%s\n' "$MIBIO_PG_DIR"
    return
  fi
  if [[ $EUID -eq 0 ]] && id postgres >/dev/null 2>&1 &&
    ! runuser -u postgres -- test -x "$ROOT" 2>/dev/null; then
    printf '/var/tmp/mibio-pg-%s\n' "$(printf '%s' "$ROOT" | cksum | cut -d' ' -f1)"
    return
  fi
  printf '%s\n' "$ROOT/.data"
}

# Unix socket dir; a short one under /tmp if the path would be too long for a socket.
pg_sock_dir() {
  local d
  d="$(pg_base_dir)/pg-run"
  if ((${#d} > 90)); then
    d="/tmp/mibio-pg-run-$(printf '%s' "$d" | cksum | cut -d' ' -f1)"
  fi
  printf '%s\n' "$d"
}

# Bin dir matching an existing cluster's major version (else the newest).
pg_bin_for_data() {
  local data=$1 v
  if [[ -f "$data/PG_VERSION" ]]; then
    v="$(cat "$data/PG_VERSION")"
    [[ -x "/usr/lib/postgresql/$v/bin/pg_ctl" ]] ||
      die "$data was made by Postgres $v, whose binaries are missing; remove it or install postgresql-$v"
    printf '%s\n' "/usr/lib/postgresql/$v/bin"
  else
    pg_bin_dir
  fi
}

local_pg_url() {
  printf 'postgres://postgres@127.0.0.1:%s/%s\n' "$(pg_port)" "${1:-postgres}"
}

# Start (creating it if needed) the project-local cluster. Sets MIBIO_PG_STARTED=1
# when this call started it, 0 when it was already running.
# shellcheck disable=SC2034 # read by the scripts that source this file
ensure_local_pg() {
  MIBIO_PG_STARTED=0
  local base data sock logf port bin owner
  if [[ $EUID -eq 0 ]] && ! id postgres >/dev/null 2>&1; then
    log "creating system user postgres"
    useradd --system --user-group --home-dir /nonexistent --shell /usr/sbin/nologin postgres
  fi
  base="$(pg_base_dir)"
  data="$base/pg"
  sock="$(pg_sock_dir)"
  logf="$base/pg.log"
  port="$(pg_port)"
  owner="$(pg_os_user)"

  mkdir -p "$base" "$sock"
  # Keep .data out of git without touching the repo's .gitignore.
  [[ -f "$base/.gitignore" ]] || printf '*\n' >"$base/.gitignore"
  touch "$logf"
  if [[ $EUID -eq 0 ]]; then
    chown "$owner:" "$sock" "$logf"
    if [[ -d "$data" ]]; then chown -R "$owner:" "$data"; fi
  fi
  bin="$(pg_bin_for_data "$data")"

  if [[ -f "$data/PG_VERSION" ]] && as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    wait_pg_ready "$bin" "$port" "$logf"
    return 0
  fi

  if [[ ! -f "$data/PG_VERSION" ]]; then
    log "creating Postgres cluster in $data"
    mkdir -p "$data"
    chmod 700 "$data"
    if [[ $EUID -eq 0 ]]; then chown "$owner:" "$data"; fi
    local locale_opt=(--locale=C.UTF-8)
    grep -qix 'c\.utf-\?8' <<<"$(locale -a 2>/dev/null)" || locale_opt=(--no-locale)
    as_pg "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 "${locale_opt[@]}" >>"$logf" 2>&1 ||
      {
        tail -n 20 "$logf" >&2
        die "initdb failed (log: $logf)"
      }
    # Dev/test cluster: durability off for speed. Port and socket dir come from
    # the command line at each start, so MIBIO_PG_PORT can change.
    cat >>"$data/postgresql.conf" <<'EOF'

# mibio dev/test settings
listen_addresses = '127.0.0.1'
max_connections = 200
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
  fi

  # The default port may belong to another checkout's cluster: take a free one and remember it.
  if [[ -z "${MIBIO_PG_PORT:-}" ]] && port_in_use "$port"; then
    port="$(free_port)"
  fi
  [[ -n "${MIBIO_PG_PORT:-}" ]] || printf '%s\n' "$port" >"$base/pg-port"
  log "starting Postgres on 127.0.0.1:$port (log: $logf)"
  as_pg "$bin/pg_ctl" -D "$data" -l "$logf" -w -t 60 -o "-p $port -k '$sock'" start >/dev/null ||
    {
      tail -n 20 "$logf" >&2
      die "Postgres did not start (port $port busy? set MIBIO_PG_PORT)"
    }
  MIBIO_PG_STARTED=1
  wait_pg_ready "$bin" "$port" "$logf"
}

wait_pg_ready() {
  local bin=$1 port=$2 logf=$3 i
  for ((i = 0; i < 100; i++)); do
    "$bin/pg_isready" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres && return 0
    sleep 0.1
  done
  tail -n 20 "$logf" >&2
  die "Postgres on 127.0.0.1:$port is not ready"
}

stop_local_pg() {
  local data
  data="$(pg_base_dir)/pg"
  [[ -f "$data/PG_VERSION" ]] || return 0
  if as_pg "$(pg_bin_for_data "$data")/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    log "stopping Postgres ($data)"
    as_pg "$(pg_bin_for_data "$data")/pg_ctl" -D "$data" -m fast -w stop >/dev/null
  fi
}

# URL with its database name replaced: url_with_db postgres://u@h:1/x?y=z other
url_with_db() {
  local url=$1 db=$2
  [[ "$url" =~ ^(postgres(ql)?://[^/?]+)(/[^?]*)?(\?.*)?$ ]] || die "not a postgres URL: $url"
  printf '%s/%s%s\n' "${BASH_REMATCH[1]}" "$db" "${BASH_REMATCH[4]}"
}

# createdb NAME on the server of URL_ADMIN if it does not exist yet.
ensure_database() {
  local admin=$1 name=$2 psql
  psql="$(pg_tool psql)"
  if [[ -z "$("$psql" "$admin" -XtAc "SELECT 1 FROM pg_database WHERE datname = '$name'")" ]]; then
    log "creating database $name"
    "$psql" "$admin" -Xq -v ON_ERROR_STOP=1 -c "CREATE DATABASE \"$name\"" >/dev/null
  fi
}

drop_database() {
  local admin=$1 name=$2
  "$(pg_tool psql)" "$admin" -Xq -c "DROP DATABASE IF EXISTS \"$name\" WITH (FORCE)" >/dev/null
}

# ------------------------------------------------------------------- misc --

# Env for the server binary outside cargo-leptos: where the site is and
# whether asset names are hashed (mirrors hash-files in Cargo.toml).
export_site_env() {
  export LEPTOS_SITE_ROOT="${LEPTOS_SITE_ROOT:-target/site}"
  if [[ -z "${LEPTOS_HASH_FILES:-}" ]]; then
    if grep -Eq '^[[:space:]]*hash-files[[:space:]]*=[[:space:]]*true' "$ROOT/Cargo.toml" 2>/dev/null; then
      export LEPTOS_HASH_FILES=true
    else
      export LEPTOS_HASH_FILES=false
    fi
  fi
}

# A free TCP port on 127.0.0.1.
free_port() {
  if command -v python3 >/dev/null; then
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
    return
  fi
  local p
  while :; do
    p=$((20000 + RANDOM % 20000))
    (: <"/dev/tcp/127.0.0.1/$p") 2>/dev/null || {
      printf '%s\n' "$p"
      return
    }
  done
}
