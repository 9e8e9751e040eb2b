# shellcheck shell=bash
# A local S3-compatible server (moto, from PyPI) for the storage crate's S3 test.
# Source it, then:
#
#   start_s3    installs moto into a venv if missing, starts `moto_server` on a free port of
#               127.0.0.1 in the background, waits until it answers and exports
#               S3_TEST_ENDPOINT=http://127.0.0.1:<port>
#   stop_s3     stops the server start_s3 started (safe to call twice, or without a start)
#
#   source scripts/lib/s3.sh && start_s3 && trap stop_s3 EXIT
#   cargo test -p storage
#
# The venv lives in MIBIO_S3_VENV (default ~/.cache/mibio/venv); the server's log in
# MIBIO_S3_LOG (default ${TMPDIR:-/tmp}/mibio-moto-<port>.log). Defines functions and
# MIBIO_S3_PID; uses log/die/free_port from common.sh when that is sourced too.

MIBIO_S3_PID=""
MIBIO_S3_MOTO_SPEC='moto[server]>=5,<6'

_s3_log() {
  if declare -F log >/dev/null; then log "$@"; else printf '==> %s\n' "$*" >&2; fi
}

_s3_fail() {
  printf 'error: %s\n' "$*" >&2
  return 1
}

_s3_venv() { printf '%s\n' "${MIBIO_S3_VENV:-$HOME/.cache/mibio/venv}"; }

_s3_free_port() {
  if declare -F free_port >/dev/null; then
    free_port
  else
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
  fi
}

# Whether an HTTP GET of $1 answers 2xx (curl, else Python's urllib).
_s3_answers() {
  if command -v curl >/dev/null; then
    curl -fsS -o /dev/null --max-time 2 "$1" 2>/dev/null
  else
    python3 -c 'import sys, urllib.request; urllib.request.urlopen(sys.argv[1], timeout=2)' "$1" 2>/dev/null
  fi
}

# Installs moto into the venv unless its moto_server is already there.
ensure_moto() {
  local venv
  venv="$(_s3_venv)"
  [[ -x "$venv/bin/moto_server" ]] && return 0
  command -v python3 >/dev/null || _s3_fail "python3 is needed for the S3 test server (moto)" || return 1
  if [[ ! -x "$venv/bin/python" ]]; then
    _s3_log "creating the Python venv $venv"
    if ! python3 -m venv "$venv" 2>/dev/null; then
      # Debian's python3 needs python3-venv for this.
      if [[ $EUID -eq 0 ]] && command -v apt-get >/dev/null; then
        _s3_log "installing python3-venv"
        { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -q python3-venv >/dev/null; } ||
          _s3_fail "apt-get install python3-venv failed" || return 1
        rm -rf "$venv"
        python3 -m venv "$venv" || _s3_fail "python3 -m venv $venv failed" || return 1
      else
        _s3_fail "python3 -m venv $venv failed (install python3-venv)" || return 1
      fi
    fi
  fi
  _s3_log "installing $MIBIO_S3_MOTO_SPEC into $venv"
  "$venv/bin/python" -m pip install -q --disable-pip-version-check "$MIBIO_S3_MOTO_SPEC" ||
    _s3_fail "pip install $MIBIO_S3_MOTO_SPEC failed" || return 1
}

# Starts moto_server in the background and exports S3_TEST_ENDPOINT once it answers.
start_s3() {
  if [[ -n "$MIBIO_S3_PID" ]] && kill -0 "$MIBIO_S3_PID" 2>/dev/null; then
    return 0
  fi
  ensure_moto || return 1
  local venv port logf i
  venv="$(_s3_venv)"
  port="$(_s3_free_port)"
  logf="${MIBIO_S3_LOG:-${TMPDIR:-/tmp}/mibio-moto-$port.log}"
  _s3_log "starting moto (S3) on 127.0.0.1:$port (log: $logf)"
  "$venv/bin/moto_server" -H 127.0.0.1 -p "$port" >"$logf" 2>&1 &
  MIBIO_S3_PID=$!
  for ((i = 0; i < 150; i++)); do
    if ! kill -0 "$MIBIO_S3_PID" 2>/dev/null; then
      MIBIO_S3_PID=""
      tail -n 20 "$logf" >&2
      _s3_fail "moto_server exited (log: $logf)"
      return 1
    fi
    # A bucket listing answers 200 once the server is up.
    if _s3_answers "http://127.0.0.1:$port/"; then
      export S3_TEST_ENDPOINT="http://127.0.0.1:$port"
      return 0
    fi
    sleep 0.2
  done
  tail -n 20 "$logf" >&2
  stop_s3
  _s3_fail "moto_server on 127.0.0.1:$port did not answer within 30 s (log: $logf)"
}

# Stops the server start_s3 started, and forgets its endpoint.
stop_s3() {
  local pid=$MIBIO_S3_PID
  MIBIO_S3_PID=""
  unset S3_TEST_ENDPOINT
  [[ -n "$pid" ]] || return 0
  if kill -0 "$pid" 2>/dev/null; then
    kill -TERM "$pid" 2>/dev/null
    for _ in {1..50}; do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.1
    done
    kill -KILL "$pid" 2>/dev/null
  fi
  wait "$pid" 2>/dev/null
  return 0
}
