"""Benchmark the OIT link monitor: 2,000 addresses on local websites with latencies up to 2 s.

    .venv/bin/python bench/link_check.py            # writes bench/results/link-check.json

A separate process serves every address from an asyncio server listening on 127.0.0.2 …
127.0.0.(hosts+1) — one website per agency, each a distinct host for the per-host limit. Each
path answers after a latency drawn (seeded) uniformly from 0 to --max-latency seconds. The server
counts the requests it is answering at once per host, so the run proves the per-host limit from
the outside. The same addresses are checked three ways in one run, on the same machine:

- ``checker``: ``check_urls`` with its defaults (8 per host, 128 in all) — the figure;
- ``baseline_one_per_host``: one request at a time per website (what a loop over each agency's
  items does, websites in parallel);
- ``per_host_only``: 8 per host with no overall cap (total concurrency = hosts × 8).

Every verdict is compared with what the server meant to serve (pages with the year, PDFs, 404s,
redirect chains, redirects to the home page, pages of last year); a mismatch in the ``checker``
run fails the goal, in the other runs it is reported.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import multiprocessing as mp
import os
import platform
import random
import statistics
import sys
import time
from collections import Counter
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from common import cpu_model

from ita.oit.checker import DEFAULT_PER_HOST, DEFAULT_TOTAL_CONCURRENCY, check_urls

ROOT = Path(__file__).resolve().parents[1]
RESULT = ROOT / "bench" / "results" / "link-check.json"
YEAR = 2568
GOAL_SECONDS = 30.0

# What each address is, by share of the list (a typical OIT list is mostly pages and PDFs).
KINDS = [
    ("page", 0.60, "ok"),
    ("pdf", 0.20, "ok"),
    ("chain", 0.06, "ok"),  # two redirects, then a page
    ("missing", 0.05, "not_found"),
    ("home", 0.05, "soft_404"),  # redirect to the home page
    ("old", 0.04, "wrong_year"),  # a page of last year
]


def plan(n_urls: int, n_hosts: int, seed: int) -> list[tuple[str, str, str]]:
    """Return (host, path, expected verdict) for every address, spread evenly over the hosts."""
    rng = random.Random(seed)
    kinds = rng.choices([k for k, _, _ in KINDS], weights=[w for _, w, _ in KINDS], k=n_urls)
    expected = {k: v for k, _, v in KINDS}
    return [
        (f"127.0.0.{2 + i % n_hosts}", f"/ita/{kind}/{i}", expected[kind])
        for i, kind in enumerate(kinds)
    ]


def latency(seed: int, host: str, path: str, maximum: float) -> float:
    """Return the seeded latency of one path on one host (the same in every run)."""
    return random.Random(f"{seed}:{host}:{path}").uniform(0.0, maximum)


def requested_paths(path: str) -> list[str]:
    """Return every path a correct checker requests for one address (redirects included)."""
    kind = path.split("/")[2]
    if kind == "chain":
        return [path, f"{path}/1", f"{path}/end"]
    if kind == "home":
        return [path, "/"]
    return [path]


# --- the server (its own process) -------------------------------------------------------------


def _page(title: str, body: str) -> bytes:
    filler = "ข้อมูลข่าวสารของหน่วยงาน การดำเนินงาน และการให้บริการประชาชน " * 120
    return (
        f"<!doctype html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
        f"<nav>หน้าแรก | ข่าวประชาสัมพันธ์ | ITA</nav><h1>{title}</h1><p>{body}</p>"
        f"<p>{filler}</p></body></html>"
    ).encode()


def _pdf() -> bytes:
    import weasyprint

    font = (ROOT / "src" / "ita" / "static" / "fonts" / "Sarabun-Regular.ttf").as_uri()
    css = weasyprint.CSS(
        string=f"@font-face {{font-family: S; src: url({font})}} body {{font-family: S}}"
    )
    pages = "".join(
        f"<section style='page-break-after: always'><h1>รายงานผลการดำเนินงาน {n}</h1>"
        f"<p>ประจำปีงบประมาณ พ.ศ. {YEAR} " + "รายละเอียดการดำเนินงาน " * 80 + "</p></section>"
        for n in range(1, 6)
    )
    pdf: bytes = weasyprint.HTML(string=pages).write_pdf(stylesheets=[css])
    return pdf


def _answer(path: str, bodies: dict[str, bytes]) -> tuple[int, dict[str, str], bytes]:
    html = {"Content-Type": "text/html; charset=utf-8"}
    parts = path.split("/")
    if path == "/":
        return 200, html, bodies["home"]
    if len(parts) < 4:
        return 404, html, bodies["missing"]
    kind, number = parts[2], parts[3]
    if kind == "page" or (kind == "chain" and parts[-1] == "end"):
        return 200, html, bodies["page"]
    if kind == "pdf":
        return 200, {"Content-Type": "application/pdf"}, bodies["pdf"]
    if kind == "chain":
        step = 1 if len(parts) == 4 else int(parts[4]) + 1
        target = f"/ita/chain/{number}/{step}" if step < 2 else f"/ita/chain/{number}/end"
        return 302, {"Location": target}, b""
    if kind == "home":
        return 301, {"Location": "/"}, b""
    if kind == "old":
        return 200, html, bodies["old"]
    return 404, html, bodies["missing"]


def serve(hosts: list[str], seed: int, max_latency: float, pipe: Connection) -> None:
    asyncio.run(_serve(hosts, seed, max_latency, pipe))


async def _serve(hosts: list[str], seed: int, max_latency: float, pipe: Connection) -> None:
    bodies = {
        "home": _page("องค์การบริหารส่วนตำบลตัวอย่าง", f"ยินดีต้อนรับ ปี {YEAR}"),
        "page": _page("ข่าวประชาสัมพันธ์", f"ประกาศ ประจำปีงบประมาณ พ.ศ. {YEAR}"),
        "old": _page("แผนดำเนินงาน", "ประจำปีงบประมาณ พ.ศ. 2567"),
        "missing": _page("404 Not Found", "Not Found"),
        "pdf": _pdf(),
    }
    in_flight: Counter[str] = Counter()
    peak: Counter[str] = Counter()
    served = Counter[str]()

    async def handle(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        host = writer.get_extra_info("sockname")[0]
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                path = head.split(b" ", 2)[1].decode()
                if path.startswith("/__"):
                    reply = _stats_reply(path)
                    writer.write(reply)
                    await writer.drain()
                    continue
                in_flight[host] += 1
                peak[host] = max(peak[host], in_flight[host])
                try:
                    await asyncio.sleep(latency(seed, host, path, max_latency))
                    status, headers, body = _answer(path, bodies)
                    lines = [f"HTTP/1.1 {status} X", f"Content-Length: {len(body)}"]
                    lines += [f"{k}: {v}" for k, v in headers.items()]
                    writer.write(("\r\n".join(lines) + "\r\n\r\n").encode() + body)
                    await writer.drain()
                    served[host] += 1
                finally:
                    in_flight[host] -= 1
        except (asyncio.IncompleteReadError, ConnectionError, asyncio.LimitOverrunError):
            pass
        finally:
            writer.close()

    def _stats_reply(path: str) -> bytes:
        if path == "/__reset":
            peak.clear()
            served.clear()
        data = json.dumps({"peak": dict(peak), "served": sum(served.values())}).encode()
        return b"HTTP/1.1 200 OK\r\nContent-Length: %d\r\n\r\n%s" % (len(data), data)

    servers = [await asyncio.start_server(handle, host, 0, backlog=1024) for host in hosts]
    pipe.send([s.sockets[0].getsockname()[1] for s in servers])
    await asyncio.get_running_loop().run_in_executor(None, pipe.recv)  # until told to stop


# --- the client -------------------------------------------------------------------------------


async def _ask_server(host: str, port: int, path: str) -> dict[str, Any]:
    reader, writer = await asyncio.open_connection(host, port)
    writer.write(f"GET {path} HTTP/1.1\r\nHost: x\r\n\r\n".encode())
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    length = int(
        next(h for h in head.split(b"\r\n") if h.lower().startswith(b"content-length")).split(b":")[
            1
        ]
    )
    body = await reader.readexactly(length)
    writer.close()
    return json.loads(body)  # type: ignore[no-any-return]


def run(
    name: str, urls: list[str], expected: list[str], control: tuple[str, int], **options: Any
) -> dict[str, Any]:
    asyncio.run(_ask_server(*control, "/__reset"))
    started = time.perf_counter()
    # The websites are local (127.0.0.x): allowed here, refused by default.
    results = asyncio.run(check_urls(urls, fiscal_year=YEAR, private=True, **options))
    wall = time.perf_counter() - started
    stats = asyncio.run(_ask_server(*control, "/__stats"))
    wrong = [
        (r.url, r.verdict.value, e) for r, e in zip(results, expected, strict=True)
        if r.verdict.value != e
    ]  # fmt: skip
    figure = {
        "wall_seconds": round(wall, 2),
        "urls_per_second": round(len(urls) / wall, 1),
        "options": options,
        "max_concurrent_per_host_seen_by_server": max(stats["peak"].values()),
        "requests_served": stats["served"],
        "verdicts": dict(Counter(r.verdict.value for r in results)),
        "misclassified": len(wrong),
        "misclassified_examples": wrong[:5],
    }
    print(
        f"{name:<24} {wall:6.1f} s  {figure['urls_per_second']:6.1f} URL/s  "
        f"max per host {figure['max_concurrent_per_host_seen_by_server']}  "
        f"misclassified {len(wrong)}",
        flush=True,
    )
    return figure


def machine() -> str:
    model = cpu_model()
    system = f"{platform.system()} {platform.machine()}"
    return f"{system}, {os.cpu_count()} CPUs ({model}), Python {platform.python_version()}"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--urls", type=int, default=2000)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument("--max-latency", type=float, default=2.0)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--skip-baseline", action="store_true")
    parser.add_argument("--no-write", action="store_true", help="print only")
    args = parser.parse_args()

    load_at_start = [round(x, 2) for x in os.getloadavg()]
    hosts = [f"127.0.0.{2 + i}" for i in range(args.hosts)]
    planned = plan(args.urls, args.hosts, args.seed)
    ours, theirs = mp.Pipe()
    server = mp.get_context("fork").Process(
        target=serve, args=(hosts, args.seed, args.max_latency, theirs), daemon=True
    )
    server.start()
    ports = dict(zip(hosts, ours.recv(), strict=True))
    urls = [f"http://{h}:{ports[h]}{p}" for h, p, _ in planned]
    expected = [e for _, _, e in planned]
    control = (hosts[0], ports[hosts[0]])
    latencies = [
        latency(args.seed, h, q, args.max_latency)
        for h, p, _ in planned
        for q in requested_paths(p)
    ]
    print(
        f"{len(urls)} URLs ({len(latencies)} requests) on {len(hosts)} hosts, latency "
        f"0–{args.max_latency:g} s (mean {statistics.mean(latencies):.2f} s), seed {args.seed}",
        flush=True,
    )

    figures: dict[str, Any] = {}
    try:
        figures["checker"] = run("checker (defaults)", urls, expected, control)
        figures["per_host_only"] = run(
            "8 per host, no total cap", urls, expected, control,
            total_concurrency=DEFAULT_PER_HOST * len(hosts),
        )  # fmt: skip
        if not args.skip_baseline:
            figures["baseline_one_per_host"] = run(
                "baseline 1 per host", urls, expected, control, per_host=1
            )
    finally:
        ours.send("stop")
        server.join(timeout=5)
    figures["sum_of_latencies_seconds"] = round(sum(latencies), 1)  # one request at a time

    main_run = figures["checker"]
    ok = (
        main_run["wall_seconds"] < GOAL_SECONDS
        and main_run["max_concurrent_per_host_seen_by_server"] <= DEFAULT_PER_HOST
        and main_run["misclassified"] == 0
    )
    record = {
        "name": "link-check",
        "date": dt.date.today().isoformat(),
        "machine": machine(),
        "load_average_at_start": load_at_start,
        "command": " ".join([".venv/bin/python bench/link_check.py", *sys.argv[1:]]),
        "setup": {
            "urls": len(urls),
            "hosts": len(hosts),
            "max_latency_seconds": args.max_latency,
            "seed": args.seed,
            "kinds": {k: w for k, w, _ in KINDS},
            "defaults": {
                "per_host": DEFAULT_PER_HOST,
                "total_concurrency": DEFAULT_TOTAL_CONCURRENCY,
            },
        },
        "figures": figures,
        "goal": {
            "wall_seconds_below": GOAL_SECONDS,
            "max_concurrent_per_host": DEFAULT_PER_HOST,
            "met": ok,
        },
    }
    if not args.no_write:
        RESULT.parent.mkdir(parents=True, exist_ok=True)
        RESULT.write_text(json.dumps(record, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
        print(f"written {RESULT.relative_to(ROOT)}")
    print("goal met" if ok else "GOAL NOT MET")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
