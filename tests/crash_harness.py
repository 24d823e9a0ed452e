"""Crash safety of intake: SIGKILL the production server while people send answers and results.

    python -m tests.crash_harness [--kills 4] [--browsers 6] [--editors 2] [--seed 1] [--json]

The server runs as in production (``ITA_ENV=production``, gunicorn with two workers and four
threads each) on a fresh database: a new database beside ``DATABASE_URL`` when it names a
PostgreSQL server, else SQLite in a temporary folder. While simulated phones send survey forms
and editors save results, the whole server (master and workers) is killed with SIGKILL at random
moments and started again. A client whose request dies with the server sends the same request
again once the server is back, as a person pressing the button again would.

Then the database is read back and held to the promise of docs/security.md:

* every survey form acknowledged (303 to the thank-you page) is stored, exactly once, with the
  answers sent; no row exists that was not sent (a duplicate or a half-written one);
* each editor's saves appear as snapshots exactly once each and in the order sent, and the
  stored scores, total and audit log agree with the last snapshot (nothing half-saved).

Prints the figures (as JSON with ``--json``) and exits 1 when any check fails.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import secrets
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import httpx

YEAR = 2568
PASSWORD = "crash-harness-password"
CSRF_INPUT = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
KEY_INPUT = re.compile(r'name="k" value="([^"]+)"')
MIN_SECONDS = 5  # settings.SURVEYS_MIN_SECONDS: a form sent sooner is refused as a robot's
PATIENCE = 120.0  # seconds a client keeps retrying one request before the run is declared failed


# --- the server ---------------------------------------------------------------------------


class Server:
    """gunicorn as ``ita serve`` runs it in production, in its own process group."""

    def __init__(self, env: dict[str, str], port: int, log: Path) -> None:
        self.env, self.port, self.log = env, port, log
        self.process: subprocess.Popen[bytes] | None = None
        self.starts = 0
        self.start_seconds: list[float] = []

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def start(self) -> None:
        argv = [
            sys.executable, "-m", "gunicorn", "ita.wsgi:application",
            "--bind", f"127.0.0.1:{self.port}", "--workers", "2", "--threads", "4",
            "--graceful-timeout", "5",
        ]  # fmt: skip
        with self.log.open("ab") as log:
            self.process = subprocess.Popen(
                argv, env=self.env, stdout=log, stderr=log, start_new_session=True
            )
        self.starts += 1
        began = time.monotonic()
        deadline = began + 180  # a loaded machine can take a minute to start the workers
        while time.monotonic() < deadline:
            try:
                answer = httpx.get(self.base + "/accounts/login/", headers=PROXY_HEADERS, timeout=2)
                if answer.status_code == 200:
                    self.start_seconds.append(round(time.monotonic() - began, 2))
                    return
            except httpx.TransportError:
                pass
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        raise RuntimeError(f"the server did not start; see {self.log}")

    def kill(self) -> None:
        """SIGKILL the master and every worker at once: no cleanup, no finishing requests."""
        assert self.process is not None
        os.killpg(self.process.pid, signal.SIGKILL)
        self.process.wait()

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            self.process.wait(timeout=30)


# The server believes it is behind a TLS proxy on this machine (as in production).
PROXY_HEADERS = {"X-Forwarded-Proto": "https"}


class Browser:
    """One person's browser: its cookies (sent over plain HTTP despite Secure), its address."""

    def __init__(self, server: Server, address: str) -> None:
        self.server = server
        self.http = httpx.Client(timeout=15, follow_redirects=False)
        self.cookies: dict[str, str] = {}
        origin = f"https://127.0.0.1:{server.port}"
        self.headers = {**PROXY_HEADERS, "X-Forwarded-For": address, "Origin": origin}
        self.retries = 0
        self.resent = False  # whether the last request had to be sent more than once

    def request(self, method: str, path: str, data: dict[str, str] | None = None) -> httpx.Response:
        """Send a request until the server answers it; a request lost in a crash is sent again."""
        deadline = time.monotonic() + PATIENCE
        self.resent = False
        while True:
            headers = dict(self.headers, Referer=self.headers["Origin"] + path)
            if self.cookies:
                headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            try:
                response = self.http.request(
                    method, self.server.base + path, data=data, headers=headers
                )
            except httpx.TransportError:
                response = None
            if response is not None and response.status_code < 500:
                self._keep_cookies(response)
                return response
            if time.monotonic() > deadline:
                raise RuntimeError(f"{method} {path}: no answer for {PATIENCE:.0f} s")
            self.retries += 1
            self.resent = True
            time.sleep(0.2)

    def _keep_cookies(self, response: httpx.Response) -> None:
        for header in response.headers.get_list("set-cookie"):
            jar: SimpleCookie = SimpleCookie()
            jar.load(header)
            for name, morsel in jar.items():
                if morsel["max-age"] == "0" or not morsel.value:
                    self.cookies.pop(name, None)
                else:
                    self.cookies[name] = morsel.value


def _find(pattern: re.Pattern[str], page: str) -> str:
    found = pattern.search(page)
    if found is None:
        raise RuntimeError(f"expected {pattern.pattern} in the page")
    return found.group(1)


# --- the people ---------------------------------------------------------------------------


@dataclass
class Log:
    forms: list[dict[str, Any]] = field(default_factory=list)  # key, answers, acknowledged
    saves: dict[str, list[float]] = field(default_factory=dict)  # agency id → values acked
    retries: int = 0
    saves_sent_again: int = 0
    failures: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)


def phone(
    server: Server, setup: dict[str, Any], n: int, log: Log, more: Callable[[], bool]
) -> None:
    """A respondent's phone: opens the link, waits as a person would, sends form after form."""
    rng = random.Random(n)  # noqa: S311 - answers to send, not secrets
    browser = Browser(server, f"198.51.100.{n + 1}")
    path = f"/s/{setup['slug']}/"
    browser.request("GET", path)  # the first look sets the form's cookie
    time.sleep(MIN_SECONDS + 0.5)
    while more():
        page = browser.request("GET", path).text
        key = _find(KEY_INPUT, page)
        answers = [rng.randrange(limit) for limit in setup["limits"]]
        data = {f"a{i}": str(v) for i, v in enumerate(answers)}
        data.update(csrfmiddlewaretoken=_find(CSRF_INPUT, page), k=key)
        entry = {"key": key, "answers": answers, "acknowledged": False}
        with log.lock:
            log.forms.append(entry)
        answer = browser.request("POST", path, data)
        entry["sent_again"] = browser.resent  # the server died with it: stored or not, unknown
        location = answer.headers.get("location", "")
        if answer.status_code == 303 and location.endswith("/thanks/"):
            entry["acknowledged"] = True
        else:
            with log.lock:
                log.failures.append(f"form {key}: {answer.status_code} {location}")
    with log.lock:
        log.retries += browser.retries


def editor(
    server: Server, setup: dict[str, Any], n: int, log: Log, more: Callable[[], bool]
) -> None:
    """An editor who saves the ten indicator scores again and again, a new value each time."""
    agency = setup["agencies"][n]
    browser = Browser(server, f"192.0.2.{n + 1}")
    login = browser.request("GET", "/accounts/login/").text
    answer = browser.request(
        "POST",
        "/accounts/login/",
        {
            "username": setup["editors"][n],
            "password": PASSWORD,
            "csrfmiddlewaretoken": _find(CSRF_INPUT, login),
        },
    )
    if answer.status_code != 302:
        with log.lock:
            log.failures.append(f"editor {n} could not log in: {answer.status_code}")
        return
    path = f"/agencies/{agency}/{YEAR}/results/indicators/"
    acked: list[float] = []
    step = 0
    while more() and step < 600:
        value = round(20 + step * 0.13, 2)
        step += 1
        page = browser.request("GET", path).text
        data = {f"indicator-{i}": f"{60 + i:.2f}" for i in range(2, 11)}
        data.update({"indicator-1": f"{value:.2f}", "csrfmiddlewaretoken": _find(CSRF_INPUT, page)})
        answer = browser.request("POST", path, data)
        if browser.resent:
            with log.lock:
                log.saves_sent_again += 1
        if answer.status_code == 302:
            acked.append(value)
        else:
            with log.lock:
                log.failures.append(f"editor {n} save {value}: {answer.status_code}")
    with log.lock:
        log.saves[str(agency)] = acked
        log.retries += browser.retries


# --- inside the server's settings: set up, then verify ------------------------------------


def _django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "ita.settings")
    import django

    django.setup()


def child_setup(editors: int) -> dict[str, Any]:
    """Migrate, load frameworks, collect static files; an agency per editor and one survey."""
    _django()
    import datetime as dt

    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.utils import timezone

    from ita.agencies.models import Agency, AgencyType, Membership, Role
    from ita.assessments.services import start_assessment
    from ita.cli.common import prepare_database
    from ita.surveys import services
    from ita.surveys.results import questionnaire_of

    prepare_database()
    call_command("collectstatic", interactive=False, verbosity=0)
    user_model = get_user_model()
    root = user_model.objects.create_superuser(username="crash-root", password=PASSWORD)
    agencies, names = [], []
    for n in range(max(editors, 1)):
        agency = Agency.objects.create(
            name_th=f"องค์การบริหารส่วนตำบลทดสอบ {n + 1}", agency_type=AgencyType.SAO, province="น่าน"
        )
        start_assessment(agency, YEAR, root)
        name = f"crash-editor-{n + 1}"
        user = user_model.objects.create_user(username=name, password=PASSWORD)
        Membership.objects.create(user=user, agency=agency, role=Role.EDITOR)
        agencies.append(agency.pk)
        names.append(name)
    today = timezone.localdate()
    campaign = services.start_campaign(
        Agency.objects.get(pk=agencies[0]),
        YEAR,
        "IIT",
        opens_on=today - dt.timedelta(days=1),
        closes_on=today + dt.timedelta(days=30),
        user=root,
        population=500,
    )
    link = services.active_link(campaign)
    assert link is not None
    return {
        "slug": link.slug,
        "campaign": campaign.pk,
        "limits": list(questionnaire_of(campaign).limits),
        "agencies": agencies,
        "editors": names,
    }


def child_verify(setup: dict[str, Any], log: dict[str, Any]) -> dict[str, Any]:
    _django()
    from ita.assessments.models import Assessment, Snapshot
    from ita.audit.models import AuditEvent
    from ita.surveys.intake import submission_id
    from ita.surveys.models import Response

    rows = {r.id: bytes(r.answers) for r in Response.objects.filter(campaign_id=setup["campaign"])}
    sent = {submission_id(setup["campaign"], f["key"]): f for f in log["forms"]}
    acked = [f for f in log["forms"] if f["acknowledged"]]
    lost = [f["key"] for f in acked if submission_id(setup["campaign"], f["key"]) not in rows]
    wrong = [str(i) for i, a in rows.items() if i in sent and a != bytes(sent[i]["answers"])]
    unexpected = [str(i) for i in rows if i not in sent]
    problems = [f"acknowledged but not stored: {k}" for k in lost]
    problems += [f"stored answers differ from those sent: {i}" for i in wrong]
    problems += [f"stored but never sent (a duplicate or a stray row): {i}" for i in unexpected]

    saves_sent = saves_stored = 0
    for agency, values in log["saves"].items():
        assessment = Assessment.objects.get(agency_id=int(agency), fiscal_year=YEAR)
        snapshots = list(Snapshot.objects.filter(assessment=assessment).order_by("pk"))
        stored = [round(float(s.inputs["indicators"]["1"]), 2) for s in snapshots]
        saves_sent += len(values)
        saves_stored += len(stored)
        if stored != values:
            problems.append(f"agency {agency}: saves sent {values} but snapshots hold {stored}")
        events = AuditEvent.objects.filter(agency_id=int(agency), action="results.saved").count()
        if events != len(snapshots):
            problems.append(f"agency {agency}: {events} audit events for {len(snapshots)} saves")
        if snapshots:
            last = snapshots[-1]
            scores = {
                str(s.number): round(float(s.score), 2) for s in assessment.indicator_scores.all()
            }
            if scores != {k: round(float(v), 2) for k, v in last.inputs["indicators"].items()}:
                problems.append(f"agency {agency}: stored scores differ from the last snapshot")
            total = last.outputs["total"]
            if total is not None and round(float(assessment.total or 0), 2) != round(total, 2):
                problems.append(f"agency {agency}: total differs from the last snapshot")
    return {
        "forms_sent": len(log["forms"]),
        "forms_acknowledged": len(acked),
        "forms_sent_again": sum(bool(f.get("sent_again")) for f in log["forms"]),
        "forms_stored": len(rows),
        "forms_duplicates": len(unexpected),
        "forms_lost": len(lost),
        "forms_altered": len(wrong),
        "saves_acknowledged": saves_sent,
        "saves_stored": saves_stored,
        "problems": problems,
    }


# --- the run ------------------------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _child(env: dict[str, str], *args: str, stdin: str = "") -> dict[str, Any]:
    done = subprocess.run(
        [sys.executable, "-m", "tests.crash_harness", *args],
        env=env,
        input=stdin,
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise RuntimeError(f"crash_harness {args[0]} failed:\n{done.stderr}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


class Database:
    """A fresh database for the run: on DATABASE_URL's PostgreSQL server, else SQLite."""

    def __init__(self, url: str | None) -> None:
        self.url = url if url and url.startswith(("postgres://", "postgresql://")) else None
        self.name = f"ita_crash_{os.getpid()}_{secrets.token_hex(3)}"

    def __enter__(self) -> str | None:
        if self.url is None:
            return None
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{self.name}"')
        parts = urlsplit(self.url)
        return urlunsplit(parts._replace(path="/" + self.name))

    def __exit__(self, *exc: object) -> None:
        if self.url is None:
            return
        import psycopg

        with psycopg.connect(self.url, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def run(kills: int, browsers: int, editors: int, seed: int) -> dict[str, Any]:
    rng = random.Random(seed)  # noqa: S311 - moments to kill, not secrets
    with (
        tempfile.TemporaryDirectory(prefix="ita-crash-") as tmp,
        Database(os.environ.get("DATABASE_URL")) as database_url,
    ):
        env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith(("ITA_", "DATABASE_URL", "DJANGO_"))
        }
        env.update(
            ITA_ENV="production",
            ITA_SECRET_KEY=secrets.token_urlsafe(40),
            ITA_ALLOWED_HOSTS="127.0.0.1",
            ITA_DATA_DIR=tmp,
            DJANGO_SETTINGS_MODULE="ita.settings",
            PYTHONPATH=str(Path(__file__).resolve().parents[1]),
        )
        if database_url:
            env["DATABASE_URL"] = database_url
        started = time.monotonic()
        setup = _child(env, "_setup", str(editors))
        server = Server(env, _free_port(), Path(tmp) / "server.log")
        log = Log()
        killing = threading.Event()
        killing.set()

        def more() -> bool:
            return killing.is_set()

        server.start()
        people = [
            threading.Thread(target=phone, args=(server, setup, n, log, more))
            for n in range(browsers)
        ] + [
            threading.Thread(target=editor, args=(server, setup, n, log, more))
            for n in range(editors)
        ]
        for person in people:
            person.start()
        time.sleep(MIN_SECONDS + 1)  # the phones wait before their first form
        kill_times = []
        try:
            for _ in range(kills):
                time.sleep(rng.uniform(0.3, 2.5))
                kill_times.append(round(time.monotonic() - started, 2))
                server.kill()
                time.sleep(rng.uniform(0.0, 0.5))
                server.start()
            time.sleep(1.0)  # a last stretch of traffic with the server up
        finally:
            killing.clear()
            for person in people:
                person.join(timeout=PATIENCE + 30)
            server.stop()
        figures = _child(
            env,
            "_verify",
            stdin=json.dumps(
                {"setup": setup, "log": {"forms": log.forms, "saves": log.saves}},
            ),
        )
    figures["problems"] = log.failures + figures["problems"]
    figures.update(
        database="postgresql" if database_url else "sqlite",
        kills=kills,
        kill_times_s=kill_times,
        server_starts=server.starts,
        server_start_s=server.start_seconds,
        saves_sent_again=log.saves_sent_again,
        retries=log.retries,
        seconds=round(time.monotonic() - started, 1),
    )
    return figures


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args and args[0] == "_setup":
        print(json.dumps(child_setup(int(args[1]))))
        return 0
    if args and args[0] == "_verify":
        given = json.load(sys.stdin)
        print(json.dumps(child_verify(given["setup"], given["log"])))
        return 0
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--kills", type=int, default=4)
    parser.add_argument("--browsers", type=int, default=6)
    parser.add_argument("--editors", type=int, default=2)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--json", action="store_true")
    options = parser.parse_args(args)
    figures = run(options.kills, options.browsers, options.editors, options.seed)
    if options.json:
        print(json.dumps(figures, ensure_ascii=False))
    else:
        for key, value in figures.items():
            print(f"{key}: {value}")
    return 1 if figures["problems"] else 0


if __name__ == "__main__":
    sys.exit(main())
