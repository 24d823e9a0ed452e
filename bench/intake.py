"""Benchmark survey intake: anonymous submissions over HTTP to `ita serve` on PostgreSQL.

    .venv/bin/python bench/intake.py            # writes bench/results/intake.json

The production set-up on this machine: ``ita serve`` (gunicorn, gthread workers, the access log
without survey requests) with ``ITA_ENV=production`` and PostgreSQL 15 on 127.0.0.1:5432, in a
database of its own (``ita_bench_intake``, dropped afterwards). The load generator runs in this
process on the same two cores: an asyncio HTTP/1.1 client with keep-alive connections that
behaves like a TLS proxy in front of the app (``X-Forwarded-Proto: https``, the client's address
in ``X-Forwarded-For`` — 5,000 addresses, each well under the per-address limit), with the form's
cookies, its CSRF token and a fresh submission key per form, answering the 51 fields of the
year's internal survey (the longest form).

Four measurements in one run, each on a campaign of its own:

- ``ceiling``: the thank-you page (no database) as fast as it goes — what the stack costs;
- ``intake_max``: submissions as fast as they go (closed loop);
- ``sustained``: submissions at ``--rate`` per second for ``--seconds`` (open loop: each
  request has a scheduled time and its latency counts from it, so a server that falls behind
  pays for the queue) — the goal's run, whose numbers are the recorded figures;
- ``at_capacity``: the same open loop at ``--capacity-share`` of ``intake_max``'s rate: what the
  machine sustains.

Every 50th request re-sends an earlier form (same key, other answers), as a browser retrying
after a lost answer does. Every request's answers differ (its number in the form's radix), so
afterwards each stored row is matched to the request it came from: every acknowledged form must
be stored exactly once; ``duplicates`` counts rows beyond one per submission key. When the
original and its re-send race, whichever arrives first is the one kept.
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import datetime as dt
import json
import math
import os
import platform
import re
import secrets
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
RESULT = ROOT / "bench" / "results" / "intake.json"
BIN = ROOT / ".venv" / "bin"
DATABASE = "ita_bench_intake"
PG = "postgres://postgres@127.0.0.1:5432"
YEAR = 2568
RESEND_EVERY = 50
DRAIN_SECONDS = 120.0  # after this, requests still unanswered count as errors
ADDRESSES = 5_000
GOAL = {"submissions_per_s": 1000, "p99_ms": 100, "seconds": 60}


# --- preparing the server -------------------------------------------------------------------


def psql(sql: str) -> None:
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-qAt", "-c", sql],
        check=True,
        capture_output=True,
    )


def empty_redis(url: str) -> None:
    import redis

    redis.Redis.from_url(url).flushdb()


def gunicorn_version() -> str:
    import gunicorn

    return str(gunicorn.__version__)


def http_parser() -> str:
    """Return the HTTP parser gunicorn uses here (GUNICORN_CMD_ARGS may choose Python's)."""
    from gunicorn.config import Config
    from gunicorn.http.message import _check_fast_parser

    config = Config()
    chosen = config.parser().parse_args(config.get_cmd_args_from_env()).http_parser
    if chosen:
        config.set("http_parser", chosen)
    return "C (gunicorn_h1c)" if _check_fast_parser(config) else "Python"


def environment(data_dir: Path, secret: str) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        ITA_ENV="production",
        ITA_SECRET_KEY=secret,
        ITA_ALLOWED_HOSTS="127.0.0.1",
        ITA_DATA_DIR=str(data_dir),
        DATABASE_URL=f"{PG}/{DATABASE}",
    )
    return env


def prepare(env: dict[str, str]) -> dict[str, Any]:
    """Migrate, load frameworks, collect static files, create two agencies' campaigns."""
    subprocess.run([BIN / "ita", "manage", "migrate", "-v", "0"], env=env, check=True)
    subprocess.run([BIN / "ita", "frameworks", "load"], env=env, check=True, capture_output=True)
    subprocess.run(
        [BIN / "ita", "manage", "collectstatic", "--noinput", "-v", "0"], env=env, check=True
    )
    os.environ.update(env)
    os.environ["DJANGO_SETTINGS_MODULE"] = "ita.settings"
    import django

    django.setup()
    from django.contrib.auth import get_user_model

    from ita.agencies.models import Agency, AgencyType
    from ita.assessments.services import framework_for_year
    from ita.surveys import services
    from ita.surveys.results import questionnaire_of

    root = get_user_model().objects.create_superuser("bench", password=secrets.token_hex(8))
    today = dt.date.today()
    sampling = framework_for_year(YEAR).schema.sampling
    assert sampling is not None
    tool = next(r.tool for r in sampling.rules if r.audience == "internal")
    campaigns = {}
    for name in ("probe", "run", "capacity"):
        agency = Agency.objects.create(
            name_th=f"อบต.ทดสอบความเร็ว {name}", agency_type=AgencyType.SAO, province="เชียงราย"
        )
        campaign = services.start_campaign(
            agency,
            YEAR,
            tool,
            opens_on=today - dt.timedelta(days=1),
            closes_on=today + dt.timedelta(days=30),
            user=root,
        )
        link = services.active_link(campaign)
        assert link is not None
        campaigns[name] = {"id": campaign.pk, "slug": link.slug}
    limits = questionnaire_of(campaign).limits
    return {"campaigns": campaigns, "limits": list(limits), "tool": tool}


def start_server(
    env: dict[str, str], port: int, workers: int, log: Path, threads: int | None = None
) -> subprocess.Popen[bytes]:
    command = [
        str(BIN / "ita"), "serve", "--host", "127.0.0.1", "--port", str(port),
        "--workers", str(workers),
    ]  # fmt: skip
    if threads is not None:
        # A variant: gunicorn with `ita serve`'s own arguments but another thread count.
        command = [
            str(BIN / "python"), "-m", "gunicorn", "ita.wsgi:application",
            "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--threads", str(threads),
            "--access-logfile", "-", "--graceful-timeout", "5",
            "--logger-class", "ita.surveys.accesslog.SurveyPrivateLogger",
        ]  # fmt: skip
    with socket.socket() as probe:  # refuse to measure someone else's server on this port
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise SystemExit(f"port {port} is in use; pick another with --port")
    server = subprocess.Popen(command, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit(f"the server did not start; see {log}")


# --- the load generator ---------------------------------------------------------------------


@dataclass
class Stats:
    latencies: list[float] = field(default_factory=list)  # seconds, from the scheduled time
    service: list[float] = field(default_factory=list)  # seconds, from the send
    statuses: collections.Counter[int] = field(default_factory=collections.Counter)
    acked: list[int] = field(default_factory=list)  # request numbers answered 303
    sent: int = 0
    errors: int = 0


class Connection(asyncio.Protocol):
    def __init__(self, generator: Generator) -> None:
        self.generator = generator
        self.buffer = bytearray()
        self.transport: asyncio.Transport | None = None
        self.current: tuple[int, float, float] | None = None  # number, scheduled, sent
        self.open = asyncio.get_running_loop().create_future()

    def connection_made(self, transport: asyncio.BaseTransport) -> None:
        self.transport = transport  # type: ignore[assignment]
        self.open.set_result(True)

    def send(self, number: int, scheduled: float, request: bytes) -> None:
        assert self.transport is not None
        self.current = (number, scheduled, time.monotonic())
        self.transport.write(request)

    def data_received(self, data: bytes) -> None:
        self.buffer += data
        end = self.buffer.find(b"\r\n\r\n")
        if end < 0:
            return
        head = bytes(self.buffer[:end]).lower()
        length = re.search(rb"content-length: *(\d+)", head)
        size = int(length.group(1)) if length else 0
        if len(self.buffer) < end + 4 + size:
            return
        del self.buffer[: end + 4 + size]
        status = int(head[9:12])
        current, self.current = self.current, None
        if current is None:  # an answer to nothing we asked: count it, keep going
            self.generator.unexpected.append(head.split(b"\r\n", 1)[0].decode())
            return
        self.generator.finished(self, current, status, b"connection: close" in head)
        if self.buffer:
            self.data_received(b"")

    def connection_lost(self, exc: Exception | None) -> None:
        self.generator.lost(self)


class Generator:
    def __init__(self, port: int, build: Any, connections: int) -> None:
        self.port = port
        self.build = build
        self.size = connections
        self.idle: collections.deque[Connection] = collections.deque()
        self.queue: collections.deque[tuple[int, float]] = collections.deque()
        self.busy = 0
        self.stats = Stats()
        self.closed_loop_until = 0.0
        self.next_number = 0
        self.unexpected: list[str] = []

    async def connect(self) -> None:
        loop = asyncio.get_running_loop()
        for _ in range(self.size - len(self.idle) - self.busy):
            _transport, conn = await loop.create_connection(
                lambda: Connection(self), "127.0.0.1", self.port
            )
            await conn.open
            self.idle.append(conn)

    def close(self) -> None:
        for conn in list(self.idle):
            if conn.transport is not None:
                conn.transport.close()
        self.idle.clear()

    def dispatch(self) -> None:
        while self.queue and self.idle:
            number, scheduled = self.queue.popleft()
            conn = self.idle.popleft()
            self.busy += 1
            self.stats.sent += 1
            conn.send(number, scheduled, self.build(number))

    def finished(
        self, conn: Connection, current: tuple[int, float, float], status: int, close: bool
    ) -> None:
        number, scheduled, sent = current
        now = time.monotonic()
        self.busy -= 1
        self.stats.latencies.append(now - scheduled)
        self.stats.service.append(now - sent)
        self.stats.statuses[status] += 1
        if status == 303:
            self.stats.acked.append(number)
        if close:
            asyncio.get_running_loop().create_task(self._replace(conn))
        else:
            self.idle.append(conn)
        if self.closed_loop_until and now < self.closed_loop_until:
            self.queue.append((self.next_number, now))
            self.next_number += 1
        self.dispatch()

    async def _replace(self, conn: Connection) -> None:
        if conn.transport is not None:
            conn.transport.close()
        await self.connect()
        self.dispatch()

    def lost(self, conn: Connection) -> None:
        if conn.current is not None:
            self.busy -= 1
            self.stats.errors += 1
            conn.current = None
        if conn in self.idle:
            self.idle.remove(conn)

    async def open_loop(self, rate: float, seconds: float, first: int = 0) -> Stats:
        """Schedule ``rate`` requests per second for ``seconds``; wait for every answer."""
        self.stats = Stats()
        total = int(rate * seconds)
        start = time.monotonic()
        scheduled = 0
        while scheduled < total:
            due = min(total, int((time.monotonic() - start) * rate) + 1)
            while scheduled < due:
                self.queue.append((first + scheduled, start + scheduled / rate))
                scheduled += 1
            self.dispatch()
            await asyncio.sleep(0.0005)
        deadline = time.monotonic() + DRAIN_SECONDS
        while (self.queue or self.busy) and time.monotonic() < deadline:
            self.dispatch()
            await asyncio.sleep(0.001)
        self.stats.errors += len(self.queue) + self.busy  # never answered
        return self.stats

    async def closed_loop(self, seconds: float, first: int) -> Stats:
        """Keep every connection busy for ``seconds``."""
        self.stats = Stats()
        self.next_number = first
        now = time.monotonic()
        self.closed_loop_until = now + seconds
        for _ in range(self.size):
            self.queue.append((self.next_number, now))
            self.next_number += 1
        self.dispatch()
        deadline = self.closed_loop_until + DRAIN_SECONDS
        while (time.monotonic() < self.closed_loop_until or self.busy) and (
            time.monotonic() < deadline
        ):
            await asyncio.sleep(0.005)
        self.stats.errors += self.busy
        self.closed_loop_until = 0.0
        self.queue.clear()
        return self.stats


# --- requests -------------------------------------------------------------------------------


def fetch_form(port: int, slug: str) -> dict[str, str]:
    """Open the form once like a browser: its cookies and CSRF token."""
    import http.client

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)  # a cold worker
    conn.request("GET", f"/s/{slug}/", headers={"X-Forwarded-Proto": "https"})
    response = conn.getresponse()
    body = response.read().decode()
    cookies = {}
    for header, value in response.getheaders():
        if header.lower() == "set-cookie":
            name, _, rest = value.partition("=")
            cookies[name] = rest.split(";", 1)[0]
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
    if response.status != 200 or token is None:
        raise SystemExit(f"could not open the form: {response.status}")
    cookies["_token"] = token.group(1)
    return cookies


def key_of(number: int) -> str:
    """Return the submission key of a request (a re-send repeats an earlier key)."""
    if number % RESEND_EVERY == RESEND_EVERY - 1 and number >= RESEND_EVERY:
        number -= RESEND_EVERY // 2
    return f"bench-{number:016d}"


def answers_of(number: int, limits: list[int]) -> list[int]:
    """Return the answers of a request: its number written in the form's mixed radix, so that
    every request's answers differ and a stored row tells which request it came from."""
    digits = []
    for limit in limits:
        number, digit = divmod(number, limit)
        digits.append(digit)
    return digits


def post_builder(port: int, slug: str, form: dict[str, str], limits: list[int]) -> Any:
    cookie = f"csrftoken={form['csrftoken']}; ita_survey={form['ita_survey']}"
    head = (
        f"POST /s/{slug}/ HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
        f"Origin: https://127.0.0.1:{port}\r\nX-Forwarded-Proto: https\r\n"
        f"Cookie: {cookie}\r\nContent-Type: application/x-www-form-urlencoded\r\n"
    )
    token = form["_token"]

    def build(number: int) -> bytes:
        fields = "&".join(f"a{c}={v}" for c, v in enumerate(answers_of(number, limits)))
        body = f"csrfmiddlewaretoken={token}&k={key_of(number)}&website=&{fields}".encode()
        address = number % ADDRESSES
        forwarded = f"10.{address // 65536}.{address // 256 % 256}.{address % 256}"
        return (
            f"{head}X-Forwarded-For: {forwarded}\r\nContent-Length: {len(body)}\r\n\r\n"
        ).encode() + body

    return build


def get_builder(port: int, path: str) -> Any:
    request = (
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nX-Forwarded-Proto: https\r\n\r\n"
    ).encode()
    return lambda _number: request


# --- measuring ------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[max(math.ceil(p / 100 * len(ordered)) - 1, 0)]  # nearest rank


def cpu_seconds() -> dict[str, float]:
    """Return CPU seconds used so far by gunicorn, PostgreSQL, this process, and everything."""
    tick = os.sysconf("SC_CLK_TCK")
    groups: dict[str, float] = collections.defaultdict(float)
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            stat = (proc / "stat").read_text()
            cmd = (proc / "cmdline").read_bytes().replace(b"\0", b" ").decode(errors="ignore")
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[1].split()
        used = (int(fields[11]) + int(fields[12])) / tick
        if "bin/postgres" in cmd:
            # The postmaster: its own time plus that of backends that have exited (a backend
            # ends when Django recycles its connection, CONN_MAX_AGE).
            used += (int(fields[13]) + int(fields[14])) / tick
        if int(proc.name) == os.getpid():
            groups["generator"] += used
        elif "gunicorn" in cmd and "ita.wsgi" in cmd:
            groups["gunicorn"] += used
        elif cmd.startswith("postgres") or "postgres:" in cmd or "bin/postgres" in cmd:
            groups["postgres"] += used
    with open("/proc/stat") as handle:
        parts = handle.readline().split()[1:]
    busy = sum(int(v) for i, v in enumerate(parts) if i not in (3, 4)) / tick
    groups["machine"] = busy
    return dict(groups)  # "postgres" is the whole server: other databases' work counts too


def cpu_share(before: dict[str, float], after: dict[str, float], wall: float) -> dict[str, float]:
    """Return cores used on average by each group, and by everything else on the machine."""
    used = {k: (after.get(k, 0) - before.get(k, 0)) / wall for k in after}
    ours = sum(v for k, v in used.items() if k != "machine")
    used["others"] = max(used["machine"] - ours, 0.0)
    return {k: round(v, 2) for k, v in used.items()}


def per_request(run: dict[str, Any]) -> dict[str, Any]:
    """Add the CPU milliseconds each answered request cost the server and the database."""
    rate = run["answered_per_s"]
    if rate:
        cores = run["cores"]
        run["cpu_ms_per_request"] = {
            k: round(cores.get(k, 0.0) * 1000 / rate, 2) for k in ("gunicorn", "postgres")
        }
    return run


def summary(stats: Stats, wall: float) -> dict[str, Any]:
    return {
        "requests": stats.sent,
        "answered_per_s": round(sum(stats.statuses.values()) / wall, 1),
        "statuses": dict(stats.statuses),
        "errors": stats.errors,
        "p50_ms": round(percentile(stats.latencies, 50) * 1000, 1),
        "p99_ms": round(percentile(stats.latencies, 99) * 1000, 1),
        "max_ms": round(max(stats.latencies, default=float("nan")) * 1000, 1),
        "service_p99_ms": round(percentile(stats.service, 99) * 1000, 1),
    }


async def measure(args: argparse.Namespace, setup: dict[str, Any]) -> dict[str, Any]:
    port, limits = args.port, setup["limits"]
    probe, run = setup["campaigns"]["probe"], setup["campaigns"]["run"]
    form = fetch_form(port, run["slug"])
    fetch_form(port, probe["slug"])
    await asyncio.sleep(6)  # the form must have been open for SURVEYS_MIN_SECONDS
    results: dict[str, Any] = {}

    ceiling = Generator(port, get_builder(port, f"/s/{run['slug']}/thanks/"), args.connections)
    await ceiling.connect()
    await ceiling.closed_loop(3, 0)  # warm up every worker thread
    before, t0 = cpu_seconds(), time.monotonic()
    stats = await ceiling.closed_loop(args.probe_seconds, 0)
    wall = time.monotonic() - t0
    results["ceiling"] = summary(stats, wall) | {"cores": cpu_share(before, cpu_seconds(), wall)}
    ceiling.close()

    probe_gen = Generator(port, post_builder(port, probe["slug"], form, limits), args.connections)
    await probe_gen.connect()
    await probe_gen.closed_loop(3, 10_000_000)
    before, t0 = cpu_seconds(), time.monotonic()
    stats = await probe_gen.closed_loop(args.probe_seconds, 20_000_000)
    wall = time.monotonic() - t0
    results["intake_max"] = summary(stats, wall) | {"cores": cpu_share(before, cpu_seconds(), wall)}
    probe_gen.close()

    gen = Generator(port, post_builder(port, run["slug"], form, limits), args.connections)
    await gen.connect()
    before, t0 = cpu_seconds(), time.monotonic()
    stats = await gen.open_loop(args.rate, args.seconds)
    wall = time.monotonic() - t0
    results["unexpected_answers"] = ceiling.unexpected + probe_gen.unexpected + gen.unexpected
    results["sustained"] = summary(stats, wall) | {
        "cores": cpu_share(before, cpu_seconds(), wall),
        "wall_seconds": round(wall, 2),
        "acknowledged_numbers": stats.acked,
    }
    gen.close()
    if args.capacity_share > 0:
        # What this machine sustains: the same open loop at a share of the measured maximum.
        rate = round(results["intake_max"]["answered_per_s"] * args.capacity_share)
        capacity = setup["campaigns"]["capacity"]
        cap_gen = Generator(
            port, post_builder(port, capacity["slug"], form, limits), args.connections
        )
        await cap_gen.connect()
        before, t0 = cpu_seconds(), time.monotonic()
        stats = await cap_gen.open_loop(rate, args.seconds)
        wall = time.monotonic() - t0
        results["at_capacity"] = summary(stats, wall) | {
            "rate": rate,
            "cores": cpu_share(before, cpu_seconds(), wall),
            "wall_seconds": round(wall, 2),
            "acknowledged_numbers": stats.acked,
        }
        cap_gen.close()
    return results


def verify(setup: dict[str, Any], name: str, acked: list[int], sent: int) -> dict[str, int]:
    """Read a measured campaign's rows back and match each to the request it came from."""
    from django.db import connection

    from ita.surveys.models import Response

    limits = setup["limits"]
    campaign = setup["campaigns"][name]["id"]
    rows = list(Response.objects.filter(campaign_id=campaign).values_list("answers", flat=True))
    connection.close()
    number_of = {bytes(answers_of(n, limits)): n for n in range(sent)}
    first: dict[str, int] = {}
    for n in range(sent):
        first.setdefault(key_of(n), n)
    per_key: collections.Counter[str] = collections.Counter()
    unknown = later_answers = 0
    for answers in rows:
        number = number_of.get(bytes(answers))
        if number is None:
            unknown += 1
            continue
        per_key[key_of(number)] += 1
        later_answers += number != first[key_of(number)]
    acked_keys = {key_of(n) for n in acked}
    return {
        "acknowledged_keys": len(acked_keys),
        "stored": len(rows),
        "lost": sum(1 for key in acked_keys if per_key[key] == 0),
        "duplicates": sum(c - 1 for c in per_key.values() if c > 1) + unknown,
        "stored_from_the_resent_copy": later_answers,
        "stored_not_acknowledged": sum(1 for key in per_key if key not in acked_keys),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rate", type=float, default=1000.0, help="submissions per second")
    parser.add_argument("--seconds", type=float, default=60.0, help="length of the sustained run")
    parser.add_argument("--probe-seconds", type=float, default=10.0)
    parser.add_argument("--connections", type=int, default=48)
    parser.add_argument("--workers", type=int, default=2, help="ita serve --workers")
    parser.add_argument(
        "--threads", type=int, default=None, help="variant: gunicorn directly, this many threads"
    )
    parser.add_argument("--port", type=int, default=18765)
    parser.add_argument(
        "--capacity-share",
        type=float,
        default=0.6,
        help="also run the open loop at this share of the measured maximum (0: skip)",
    )
    parser.add_argument(
        "--redis",
        metavar="URL",
        default=None,
        help="variant: the cache (rate limits) in this Redis database, emptied before and after "
        "(e.g. redis://127.0.0.1:6379/7)",
    )
    parser.add_argument("--no-write", action="store_true", help="do not write the result file")
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="ita-bench-intake-"))
    log = data_dir / "server.log"
    secret = secrets.token_urlsafe(50)
    env = environment(data_dir, secret)
    if args.redis:
        env["ITA_REDIS_URL"] = args.redis
        empty_redis(args.redis)
    load_before = os.getloadavg()
    psql(f"DROP DATABASE IF EXISTS {DATABASE}")
    psql(f"CREATE DATABASE {DATABASE}")
    server = None
    try:
        setup = prepare(env)
        server = start_server(env, args.port, args.workers, log, args.threads)
        results = asyncio.run(measure(args, setup))
        for run in results.values():
            if isinstance(run, dict):
                per_request(run)
        sustained = results["sustained"]
        acked = sustained.pop("acknowledged_numbers")
        checks = verify(setup, "run", acked, sustained["requests"])
        if "at_capacity" in results:
            capacity = results["at_capacity"]
            numbers = capacity.pop("acknowledged_numbers")
            capacity["checks"] = verify(setup, "capacity", numbers, capacity["requests"])
        access_lines = [line for line in log.read_text().splitlines() if '"POST /s/' in line]
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        from django.db import connections

        connections.close_all()
        psql(f"DROP DATABASE IF EXISTS {DATABASE}")
        shutil.rmtree(data_dir, ignore_errors=True)
        if args.redis:
            empty_redis(args.redis)

    rate = sustained["answered_per_s"]
    figures = {
        "submissions_per_s": rate,
        "p99_ms": sustained["p99_ms"],
        "sent": sustained["requests"],
        "acknowledged": sustained["statuses"].get(303, 0),
        "stored": checks["stored"],
        "duplicates": checks["duplicates"],
    }
    met = (
        rate >= GOAL["submissions_per_s"] * 0.99
        and sustained["p99_ms"] < GOAL["p99_ms"]
        and checks["lost"] == 0
        and checks["duplicates"] == 0
        and sustained["errors"] == 0
    )
    report = {
        "name": "intake",
        "date": dt.date.today().isoformat(),
        "machine": f"{platform.system()} {platform.machine()}, {os.cpu_count()} CPUs, "
        f"Python {platform.python_version()}",
        "load_average_at_start": [round(v, 2) for v in load_before],
        "command": "python bench/intake.py " + " ".join(sys.argv[1:]),
        "setup": {
            "server": f"ita serve --workers {args.workers} (gunicorn {gunicorn_version()} gthread, "
            f"4 threads each, HTTP parser: {http_parser()}), ITA_ENV=production, "
            "PostgreSQL 15 (synchronous_commit on), rate limits "
            + (f"in Redis ({args.redis})" if args.redis else "in each worker's memory"),
            "form": f"{setup['tool']} {YEAR}: {len(setup['limits'])} answer fields",
            "connections": args.connections,
            "client_addresses": ADDRESSES,
            "resend_every": RESEND_EVERY,
            "rate": args.rate,
            "seconds": args.seconds,
        },
        "goal": GOAL,
        "goal_met": met,
        "figures": figures,
        "checks": checks,
        "runs": results,
        "access_log_lines_for_survey_posts": len(access_lines),
    }
    text = json.dumps(report, ensure_ascii=False, indent=2)
    print(text)
    if not args.no_write:
        RESULT.write_text(text + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
