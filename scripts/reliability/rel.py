"""Shared helpers of the whole-system reliability harnesses (scripts/reliability/*).

Python 3.11 standard library only. Each harness builds (or is given) the release `mibio` binary,
makes a fresh database on the Postgres server, starts the binary on free loopback ports, drives it
over HTTP the way a browser or the dashboard does, and prints one PASS/FAIL line per claim.

Environment (every harness):
  DATABASE_URL      a Postgres URL whose server to use (its database name is ignored: each run
                    creates `mibio_rel_<name>_<pid>` and drops it at the end). Default:
                    postgres://postgres@127.0.0.1:5432/postgres if something answers there, else the
                    project-local cluster of scripts/lib/common.sh (started, and stopped again).
  RELIABILITY_MIBIO path to a `mibio` binary to test instead of building one
                    (`cargo build --release -p mibio --bin mibio`).
  KEEP_LOGS=1       keep the run's directory (server logs, mail) even when every claim passed.
"""

from __future__ import annotations

import email
import email.policy
import http.client
import json
import os
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "reliability-password-1"
MOBILE_UA = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)


def log(msg: str) -> None:
    print(f"==> {msg}", file=sys.stderr, flush=True)


def die(msg: str) -> None:
    print(f"error: {msg}", file=sys.stderr, flush=True)
    sys.exit(2)


# ----------------------------------------------------------------------------------- report --


class Report:
    """PASS/FAIL lines, one per claim; `finish()` exits non-zero when any claim failed."""

    def __init__(self, title: str) -> None:
        self.title = title
        self.failed: list[str] = []
        self.passed = 0

    def check(self, claim: str, ok: bool, detail: str = "") -> bool:
        tag = "PASS" if ok else "FAIL"
        line = f"{tag}  {claim}"
        if detail:
            line += f"  ({detail})"
        print(line, flush=True)
        if ok:
            self.passed += 1
        else:
            self.failed.append(claim)
        return ok

    def info(self, text: str) -> None:
        print(f"      {text}", flush=True)

    def finish(self) -> int:
        print(f"{self.title}: {self.passed} passed, {len(self.failed)} failed", flush=True)
        return 1 if self.failed else 0


# ------------------------------------------------------------------------------------- build --


def target_dir() -> Path:
    return Path(os.environ.get("CARGO_TARGET_DIR") or ROOT / "target")


def mibio_binary(build: bool = True) -> Path:
    given = os.environ.get("RELIABILITY_MIBIO")
    if given:
        path = Path(given)
        if not os.access(path, os.X_OK):
            die(f"RELIABILITY_MIBIO={given} is not an executable")
        return path
    if build:
        log("cargo build --release -p mibio --bin mibio")
        subprocess.run(["cargo", "build", "--release", "-p", "mibio", "--bin", "mibio"], cwd=ROOT, check=True)
    path = target_dir() / "release" / "mibio"
    if not path.exists():
        die(f"no release binary at {path} (build it, or set RELIABILITY_MIBIO)")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------------------------- postgres --


def _common_sh(snippet: str) -> str:
    script = f'source "{ROOT}/scripts/lib/common.sh"; {snippet}'
    return subprocess.run(["bash", "-c", script], check=True, capture_output=True, text=True).stdout.strip()


def psql_bin() -> str:
    return _common_sh("pg_tool psql")


def with_db(url: str, db: str) -> str:
    m = re.match(r"^(postgres(?:ql)?://[^/?]+)(/[^?]*)?(\?.*)?$", url)
    if not m:
        die(f"not a postgres URL: {url}")
    return f"{m.group(1)}/{db}{m.group(3) or ''}"


def host_port(url: str) -> tuple[str, int]:
    authority = url.split("://", 1)[1].split("/", 1)[0].rsplit("@", 1)[-1]
    host, _, port = authority.rpartition(":") if ":" in authority else (authority, "", "5432")
    return (host.replace("localhost", "127.0.0.1"), int(port or 5432))


class Postgres:
    """The server the harness uses, and the fresh database it makes there."""

    def __init__(self, name: str) -> None:
        self.psql = psql_bin()
        self.started_local = False
        if os.environ.get("DATABASE_URL"):
            self.admin = with_db(os.environ["DATABASE_URL"], "postgres")
        elif self._answers("postgres://postgres@127.0.0.1:5432/postgres"):
            self.admin = "postgres://postgres@127.0.0.1:5432/postgres"
        else:
            out = _common_sh("ensure_local_pg >&2; echo $MIBIO_PG_STARTED; local_pg_url postgres")
            started, self.admin = out.splitlines()[-2:]
            self.started_local = started == "1"
        self.name = f"mibio_rel_{name}_{os.getpid()}"
        self.run_admin(f'CREATE DATABASE "{self.name}"')
        self.url = with_db(self.admin, self.name)
        log(f"database {self.name} on {host_port(self.admin)[0]}:{host_port(self.admin)[1]}")

    def _answers(self, url: str) -> bool:
        try:
            subprocess.run([self.psql, url, "-XtAc", "SELECT 1"], check=True, capture_output=True, timeout=5)
            return True
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired):
            return False

    def run_admin(self, sql: str) -> None:
        subprocess.run([self.psql, self.admin, "-Xq", "-v", "ON_ERROR_STOP=1", "-c", sql], check=True,
                       capture_output=True)

    def rows(self, sql: str) -> list[list[str]]:
        """Runs `sql` on the harness's database; its rows as lists of text (NULL is '')."""
        out = subprocess.run([self.psql, self.url, "-XtA", "-F", "\x1f", "-v", "ON_ERROR_STOP=1", "-c", sql],
                             check=True, capture_output=True, text=True).stdout
        return [line.split("\x1f") for line in out.splitlines() if line]

    def value(self, sql: str) -> str:
        rows = self.rows(sql)
        return rows[0][0] if rows else ""

    def drop(self) -> None:
        try:
            self.run_admin(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
        except subprocess.CalledProcessError as e:
            log(f"could not drop {self.name}: {e.stderr.decode(errors='replace').strip()}")
        if self.started_local:
            _common_sh("stop_local_pg")


# ------------------------------------------------------------------------------------ server --


@dataclass
class Server:
    """One `mibio serve` process."""

    binary: Path
    db_url: str
    workdir: Path
    label: str = "mibio"
    port: int = 0
    public_url: str = ""
    env: dict[str, str] = field(default_factory=dict)
    proc: subprocess.Popen | None = None
    starts: int = 0

    def __post_init__(self) -> None:
        self.port = self.port or free_port()
        self.public_url = self.public_url or f"http://127.0.0.1:{self.port}"

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def pid(self) -> int:
        assert self.proc is not None
        return self.proc.pid

    def start(self, wait: float = 60.0, **extra: str) -> float:
        """Starts the process and waits for `/ready`; the seconds it took."""
        self.env.update(extra)
        self.starts += 1
        env = dict(os.environ)
        env.pop("DATABASE_URL", None)
        env.update({
            "DATABASE_URL": self.db_url,
            "LEPTOS_SITE_ADDR": f"127.0.0.1:{self.port}",
            "PUBLIC_URL": self.public_url,
            "LEPTOS_OUTPUT_NAME": "mibio",
            "LEPTOS_SITE_ROOT": str(ROOT / "target" / "site"),
            "LEPTOS_HASH_FILES": "false",
            "STORAGE_LOCAL_DIR": str(self.workdir / "media"),
            "RUST_LOG": "info",
            "LOG_FORMAT": "pretty",
            "NO_COLOR": "1",
        })
        env.update(self.env)
        logf = open(self.workdir / f"{self.label}-{self.starts}.log", "wb")
        started = time.monotonic()
        self.proc = subprocess.Popen([str(self.binary), "serve"], env=env, stdout=logf, stderr=subprocess.STDOUT,
                                     cwd=ROOT)
        deadline = started + wait
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                die(f"{self.label} exited with {self.proc.returncode} (log: {logf.name})")
            status, _, _ = quick_get(f"{self.base}/ready")
            if status == 200:
                return time.monotonic() - started
            time.sleep(0.1)
        die(f"{self.label} did not become ready in {wait:.0f} s (log: {logf.name})")
        return 0.0

    def log_path(self) -> Path:
        return self.workdir / f"{self.label}-{self.starts}.log"

    def kill9(self) -> None:
        assert self.proc is not None
        os.kill(self.proc.pid, signal.SIGKILL)
        self.proc.wait()

    def stop(self) -> None:
        if self.proc is None or self.proc.poll() is not None:
            return
        self.proc.send_signal(signal.SIGTERM)
        try:
            self.proc.wait(timeout=40)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()

    def status(self, field_name: str) -> int:
        """A `/proc/<pid>/status` figure in kB (VmRSS, VmHWM, …)."""
        with open(f"/proc/{self.pid}/status") as f:
            for line in f:
                if line.startswith(field_name + ":"):
                    return int(line.split()[1])
        return 0

    def metric(self, name: str) -> float:
        """The sum of a metric's samples in `/metrics` (all label sets whose line starts with `name`)."""
        _, _, body = quick_get(f"{self.base}/metrics")
        total = 0.0
        for line in body.decode(errors="replace").splitlines():
            if line.startswith(name) and not line.startswith("#"):
                try:
                    total += float(line.rsplit(" ", 1)[1])
                except ValueError:
                    pass
        return total


def quick_get(url: str, timeout: float = 5.0) -> tuple[int, dict[str, str], bytes]:
    """GET without cookies; status 0 when the connection failed."""
    parsed = urllib.parse.urlsplit(url)
    conn = http.client.HTTPConnection(parsed.hostname, parsed.port, timeout=timeout)
    try:
        conn.request("GET", parsed.path + (f"?{parsed.query}" if parsed.query else ""))
        resp = conn.getresponse()
        return resp.status, {k.lower(): v for k, v in resp.getheaders()}, resp.read()
    except (OSError, http.client.HTTPException):
        return 0, {}, b""
    finally:
        conn.close()


# -------------------------------------------------------------------------------------- http --


@dataclass
class Reply:
    status: int
    headers: dict[str, str]
    body: bytes
    elapsed: float
    error: str = ""

    def json(self):
        return json.loads(self.body or b"null")

    def text(self) -> str:
        return self.body.decode(errors="replace")


class Client:
    """A browser-ish HTTP client of one server: one kept-alive connection, its own cookies, and the
    site's `Origin` on mutating requests (the CSRF check of server/src/http/session.rs)."""

    def __init__(self, base: str, origin: str | None = None, timeout: float = 30.0,
                 cookies: dict[str, str] | None = None) -> None:
        self.base = base
        parsed = urllib.parse.urlsplit(base)
        self.host, self.port = parsed.hostname, parsed.port
        self.origin = origin or base
        self.timeout = timeout
        self.cookies: dict[str, str] = dict(cookies or {})
        self.conn: http.client.HTTPConnection | None = None

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None

    def request(self, method: str, path: str, body=None, headers: dict[str, str] | None = None,
                raw: bytes | None = None) -> Reply:
        hdrs = {"Accept": "application/json", "User-Agent": MOBILE_UA}
        data = raw
        if body is not None:
            data = json.dumps(body).encode()
            hdrs["Content-Type"] = "application/json"
        if method in ("POST", "PUT", "PATCH", "DELETE"):
            hdrs["Origin"] = self.origin
        if self.cookies:
            hdrs["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        hdrs.update(headers or {})
        started = time.monotonic()
        for attempt in (1, 2):
            if self.conn is None:
                self.conn = http.client.HTTPConnection(self.host, self.port, timeout=self.timeout)
            try:
                self.conn.request(method, path, body=data, headers=hdrs)
                resp = self.conn.getresponse()
                payload = resp.read()
                break
            except (OSError, http.client.HTTPException) as e:
                self.close()
                # A kept-alive connection the server closed meanwhile: one fresh try, but only when
                # nothing was answered (the request may not have reached the server).
                if attempt == 2 or not isinstance(e, (http.client.RemoteDisconnected, BrokenPipeError,
                                                      ConnectionResetError)) or time.monotonic() - started > 1:
                    return Reply(0, {}, b"", time.monotonic() - started, error=f"{type(e).__name__}: {e}")
        elapsed = time.monotonic() - started
        headers_out: dict[str, str] = {}
        for k, v in resp.getheaders():
            if k.lower() == "set-cookie":
                name, _, rest = v.partition("=")
                value = rest.split(";", 1)[0]
                if "max-age=0" in v.lower() or not value:
                    self.cookies.pop(name.strip(), None)
                else:
                    self.cookies[name.strip()] = value
            headers_out[k.lower()] = v
        if resp.getheader("connection", "").lower() == "close":
            self.close()
        return Reply(resp.status, headers_out, payload, elapsed)

    def get(self, path: str, **kw) -> Reply:
        return self.request("GET", path, **kw)

    def post(self, path: str, body=None, **kw) -> Reply:
        return self.request("POST", path, body=body, **kw)

    def patch(self, path: str, body=None, **kw) -> Reply:
        return self.request("PATCH", path, body=body, **kw)


def expect(reply: Reply, status: int, what: str):
    if reply.status != status:
        die(f"{what}: expected {status}, got {reply.status} {reply.error} {reply.text()[:400]}")
    return reply.json() if reply.body and reply.headers.get("content-type", "").startswith("application/json") else None


# -------------------------------------------------------------------------------------- mail --


def verification_token(raw: bytes) -> str | None:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    texts = []
    for part in msg.walk():
        if part.get_content_maintype() == "text":
            try:
                texts.append(part.get_content())
            except (LookupError, ValueError):
                texts.append(part.get_payload(decode=True).decode(errors="replace"))
    m = re.search(r"/verify-email\?token=([A-Za-z0-9_\-.~%]+)", "\n".join(texts))
    return urllib.parse.unquote(m.group(1)) if m else None


def recipients(raw: bytes) -> str:
    msg = email.message_from_bytes(raw, policy=email.policy.default)
    return str(msg.get("To", ""))


def await_token(mails, where: str, wait: float = 15.0) -> str:
    """The verification token of the newest of `mails()` that holds one, polled for up to `wait` s
    (mail is sent after the answer); stops the harness when none comes (`where` says which)."""
    deadline = time.monotonic() + wait
    while time.monotonic() < deadline:
        for raw in reversed(mails()):
            token = verification_token(raw)
            if token:
                return token
        time.sleep(0.1)
    die(f"no verification mail {where}")
    return ""


class FileMail:
    """The `.eml` files of `MAIL_TRANSPORT=file://DIR`."""

    def __init__(self, directory: Path) -> None:
        self.dir = directory
        self.dir.mkdir(parents=True, exist_ok=True)

    @property
    def transport(self) -> str:
        return f"file://{self.dir}"

    def messages(self) -> list[bytes]:
        return [p.read_bytes() for p in sorted(self.dir.glob("*.eml"), key=lambda p: p.stat().st_mtime)]

    def token_for(self, address: str, wait: float = 15.0) -> str:
        return await_token(lambda: [raw for raw in self.messages() if address in recipients(raw)],
                           f"to {address} in {self.dir}", wait)


# ---------------------------------------------------------------------------- the fixtures --


@dataclass
class Site:
    """A verified coach with an organization and a published page holding a lead-capture form."""

    owner: Client
    email: str
    page_id: str
    slug: str
    block_id: str


def sign_up_verified(base: str, origin: str, mail, address: str, name: str = "Coach") -> Client:
    """Signs `address` up through the API, follows the mailed verification link, signs in."""
    client = Client(base, origin)
    expect(client.post("/api/auth/sign-up/email", {"email": address, "password": PASSWORD, "name": name}), 201,
           "sign-up")
    token = mail.token_for(address)
    expect(client.get(f"/api/auth/verify-email?token={urllib.parse.quote(token)}"), 200, "verify-email")
    expect(client.post("/api/auth/sign-in/email", {"email": address, "password": PASSWORD}), 200, "sign-in")
    return client


def make_site(base: str, origin: str, mail, tag: str, slug: str | None = None) -> Site:
    """A coach `coach-<tag>@example.com`, organization `org-<tag>`, published page `<slug>` with a
    link and a lead-capture form (docs/http-api.md, "Links")."""
    address = f"coach-{tag}@example.com"
    owner = sign_up_verified(base, origin, mail, address, f"Coach {tag}")
    expect(owner.post("/api/v1/organizations", {"name": f"Org {tag}", "slug": f"org-{tag}"}), 201, "organization")
    slug = slug or f"coach-{tag}"
    page = expect(owner.post("/api/v1/links/pages", {"slug": slug, "title": f"Coach {tag}", "templateId": "wellness"}),
                  201, "page")
    page_id = page["id"]
    block = expect(owner.post(f"/api/v1/links/pages/{page_id}/blocks",
                              {"type": "LEAD_CAPTURE", "config": {"title": "Join my list", "buttonLabel": "Subscribe"}}),
                   201, "lead form")
    expect(owner.patch(f"/api/v1/links/pages/{page_id}", {"published": True}), 200, "publish")
    return Site(owner, address, page_id, slug, block["id"])


def beacon_body(slug: str) -> dict:
    return {"slug": slug, "referrer": "https://l.instagram.com/"}


# --------------------------------------------------------------------------------- run dirs --


class Run:
    """A harness run: its directory (logs, mail), its database, its servers; all cleaned up."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.dir = Path(tempfile.mkdtemp(prefix=f"mibio-rel-{name}-"))
        self.servers: list[Server] = []
        self.pg: Postgres | None = None
        self.cleanups: list = []
        log(f"run directory {self.dir} (server logs, mail)")

    def database(self) -> Postgres:
        self.pg = Postgres(self.name.replace("-", "_"))
        return self.pg

    def server(self, binary: Path, db_url: str, label: str = "mibio", **kw) -> Server:
        s = Server(binary, db_url, self.dir, label=label, **kw)
        self.servers.append(s)
        return s

    def close(self, ok: bool) -> None:
        for fn in reversed(self.cleanups):
            try:
                fn()
            except Exception as e:  # noqa: BLE001 — clean up the rest whatever happens
                log(f"clean-up: {e}")
        for s in self.servers:
            s.stop()
        if self.pg is not None:
            self.pg.drop()
        if ok and not os.environ.get("KEEP_LOGS"):
            shutil.rmtree(self.dir, ignore_errors=True)
        else:
            log(f"logs kept in {self.dir}")


def percentile(values: list[float], p: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    k = min(len(ordered) - 1, max(0, round(p / 100 * (len(ordered) - 1))))
    return ordered[k]


def raise_nofile(want: int = 65536) -> int:
    import resource
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    new = min(want, hard) if hard != resource.RLIM_INFINITY else want
    if soft < new:
        resource.setrlimit(resource.RLIMIT_NOFILE, (new, hard))
    return resource.getrlimit(resource.RLIMIT_NOFILE)[0]


class Stopwatch:
    def __init__(self) -> None:
        self.t0 = time.monotonic()

    def __call__(self) -> float:
        return time.monotonic() - self.t0


def thread(target, *args, name: str | None = None) -> threading.Thread:
    t = threading.Thread(target=target, args=args, daemon=True, name=name)
    t.start()
    return t


# ------------------------------------------------------------------------------ smtp capture --


class SmtpCapture:
    """A loopback SMTP server (no TLS, no auth) that keeps every message, for
    `MAIL_TRANSPORT=smtp://127.0.0.1:PORT`. While `stall` is set it holds its answer to the end of
    any message other than a verification mail for `stall_secs` (the host's SMTP client gives up
    after 10 s), so the `emails.send` job sending it stays `running`."""

    def __init__(self, stall_secs: float = 30.0) -> None:
        import asyncio

        self.port = free_port()
        self.stall = threading.Event()
        self.stall_secs = stall_secs
        self.lock = threading.Lock()
        self.messages: list[tuple[list[str], bytes]] = []
        self.stalled = 0
        self.loop = asyncio.new_event_loop()
        ready = threading.Event()

        async def main() -> None:
            self.server = await asyncio.start_server(self._session, "127.0.0.1", self.port)
            ready.set()
            await self.server.serve_forever()

        def run() -> None:
            asyncio.set_event_loop(self.loop)
            try:
                self.loop.run_until_complete(main())
            except BaseException:  # noqa: BLE001 — the loop is stopped at exit
                pass

        thread(run, name="smtp")
        ready.wait(10)

    @property
    def transport(self) -> str:
        return f"smtp://127.0.0.1:{self.port}"

    async def _session(self, reader, writer) -> None:
        import asyncio

        def say(line: str) -> None:
            writer.write(line.encode() + b"\r\n")

        try:
            say("220 capture ESMTP")
            rcpts: list[str] = []
            while True:
                line = await reader.readline()
                if not line:
                    break
                cmd = line.decode(errors="replace").strip()
                verb = cmd.split(" ", 1)[0].split(":", 1)[0].upper()
                if verb == "EHLO":
                    say("250-capture")
                    say("250-8BITMIME")
                    say("250 SMTPUTF8")
                elif verb == "HELO":
                    say("250 capture")
                elif verb == "MAIL":
                    rcpts = []
                    say("250 OK")
                elif verb == "RCPT":
                    rcpts.append(cmd.split(":", 1)[1].strip().strip("<>").split(">")[0])
                    say("250 OK")
                elif verb == "DATA":
                    say("354 go ahead")
                    await writer.drain()
                    lines = []
                    while True:
                        data_line = await reader.readline()
                        if not data_line or data_line == b".\r\n":
                            break
                        lines.append(data_line[1:] if data_line.startswith(b"..") else data_line)
                    raw = b"".join(lines)
                    if self.stall.is_set() and verification_token(raw) is None:
                        with self.lock:
                            self.stalled += 1
                        await asyncio.sleep(self.stall_secs)
                        break
                    with self.lock:
                        self.messages.append((list(rcpts), raw))
                    say("250 OK queued")
                elif verb in ("RSET", "NOOP"):
                    say("250 OK")
                elif verb == "QUIT":
                    say("221 bye")
                    await writer.drain()
                    break
                else:
                    say("502 not implemented")
                await writer.drain()
        except (OSError, IndexError):
            pass
        finally:
            try:
                writer.close()
            except OSError:
                pass

    def to(self, address: str) -> list[bytes]:
        with self.lock:
            return [raw for rcpts, raw in self.messages if address in rcpts]

    def token_for(self, address: str, wait: float = 15.0) -> str:
        return await_token(lambda: self.to(address), f"to {address} reached the SMTP capture", wait)


# ------------------------------------------------------------------------------------- proxy --


class Proxy:
    """A TCP forwarder from a loopback port to Postgres, run on its own thread, that the harness
    can cut the way a stopped database goes away, or silence the way a partitioned one does.

    - `up()`: listens and forwards.
    - `down()`: like `pg_ctl stop`: every forwarded connection is closed and new ones are refused.
    - `silent()`: connections stay open and new ones are accepted, but nothing is forwarded any
      more, either way (a database that stops answering); `up()` then closes them all.
    """

    def __init__(self, upstream: tuple[str, int]) -> None:
        import asyncio

        self.asyncio = asyncio
        self.upstream = upstream
        self.port = free_port()
        self.mode = "down"
        self.server = None
        self.writers: set = set()
        self.loop = asyncio.new_event_loop()
        started = threading.Event()

        def run() -> None:
            asyncio.set_event_loop(self.loop)
            started.set()
            self.loop.run_forever()

        thread(run, name="proxy")
        started.wait(5)
        self.up()

    def _call(self, coro):
        return self.asyncio.run_coroutine_threadsafe(coro, self.loop).result(10)

    async def _pipe(self, reader, writer) -> None:
        try:
            while True:
                data = await reader.read(65536)
                if not data:
                    break
                if self.mode != "up":
                    continue  # silent: swallowed
                writer.write(data)
                await writer.drain()
        except (OSError, self.asyncio.CancelledError):
            pass
        finally:
            try:
                writer.close()
            except (OSError, RuntimeError):
                pass

    async def _client(self, reader, writer) -> None:
        self.writers.add(writer)
        if self.mode != "up":
            return  # silent: accepted, never answered (closed by the next up())
        try:
            up_reader, up_writer = await self.asyncio.open_connection(*self.upstream)
        except OSError:
            writer.close()
            return
        self.writers.add(up_writer)
        await self.asyncio.gather(self._pipe(reader, up_writer), self._pipe(up_reader, writer))
        self.writers.discard(writer)
        self.writers.discard(up_writer)

    async def _close_all(self) -> None:
        for w in list(self.writers):
            try:
                w.transport.abort()
            except (OSError, RuntimeError, AttributeError):
                pass
        self.writers.clear()

    async def _up(self) -> None:
        await self._close_all()
        self.mode = "up"
        if self.server is None:
            self.server = await self.asyncio.start_server(self._client, "127.0.0.1", self.port, reuse_address=True)

    async def _down(self) -> None:
        self.mode = "down"
        if self.server is not None:
            self.server.close()
            self.server = None
        await self._close_all()

    async def _silent(self) -> None:
        self.mode = "silent"
        if self.server is None:
            self.server = await self.asyncio.start_server(self._client, "127.0.0.1", self.port, reuse_address=True)

    def up(self) -> None:
        self._call(self._up())

    def down(self) -> None:
        self._call(self._down())

    def silent(self) -> None:
        self._call(self._silent())

    def url_for(self, db_url: str) -> str:
        """`db_url` with its host and port replaced by the proxy's."""
        scheme, rest = db_url.split("://", 1)
        authority, _, tail = rest.partition("/")
        userinfo = authority.rsplit("@", 1)[0] + "@" if "@" in authority else ""
        return f"{scheme}://{userinfo}127.0.0.1:{self.port}/{tail}"


def migrate(binary: Path, db_url: str) -> None:
    """`mibio migrate`: applies the migrations and exits."""
    env = dict(os.environ, DATABASE_URL=db_url)
    subprocess.run([str(binary), "migrate"], env=env, check=True, capture_output=True, cwd=ROOT)
