"""Check the addresses of OIT evidence the way an assessor would open them, many at a time.

``check_urls`` fetches every address with httpx (one client per website): at most ``per_host``
requests at a time to one website (scheme, host and port) and ``total_concurrency`` in all,
redirects followed one by one so the chain can be reported, a time limit per request, and at
most ``max_bytes`` of each body read. Each address gets one verdict; the order in which the
rules apply is documented in docs/oit.md and in ``Verdict``.

Addresses on the checker's own side of the network (loopback, private, link-local, reserved:
anything not globally routable) are refused unless ``private=True``: the web application checks
addresses that its users type, and must not become a way to probe the server's own network.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import importlib.util
import ipaddress
import socket
import ssl
import sys
import time
from collections.abc import AsyncIterator, Callable, Iterable, Sequence
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from enum import StrEnum
from functools import partial
from http.cookiejar import CookieJar, DefaultCookiePolicy
from typing import Any, TypeVar

import httpx

from ita.oit.content import (
    HtmlPage,
    PdfReport,
    decode_html,
    fiscal_year_in_folded,
    fold,
    is_empty_page,
    is_home,
    mentions_fiscal_year,
    not_found_phrase,
    read_html,
    read_pdf,
    sniff_kind,
    visible_length,
    years_in_folded,
)

DEFAULT_TIMEOUT = 15.0  # seconds per request (one hop of a redirect chain)
DEFAULT_PER_HOST = 8  # not-domain: concurrent requests to one website
DEFAULT_TOTAL_CONCURRENCY = 128  # concurrent requests in all
DEFAULT_MAX_BYTES = 5 * 1024 * 1024  # body bytes read per address; the rest is not fetched
MAX_REDIRECTS = 10  # not-domain: hops before giving up, as browsers do (they allow 20)
_REDIRECT_BODY_CAP = 64 * 1024

# httpcore asks ``import sniffio`` on every request; anyio 4.16 no longer installs sniffio, and a
# failed import searches sys.path each time (a third of the checker's CPU in bench/). Recording
# the absence makes the failure instant; httpcore then assumes asyncio, which is what runs here.
if importlib.util.find_spec("sniffio") is None:
    sys.modules.setdefault("sniffio", None)  # type: ignore[arg-type]
USER_AGENT = "Mozilla/5.0 (compatible; ITA-Workbench-LinkCheck/0.1; +https://github.com/)"
_HEADERS = {
    "User-Agent": USER_AGENT,
    "Accept": "text/html,application/xhtml+xml,application/pdf;q=0.9,*/*;q=0.8",
    "Accept-Language": "th,en;q=0.8",
}


class Verdict(StrEnum):
    """What an assessor would find at an address; listed in the order the rules are applied."""

    UNREACHABLE = "unreachable"  # not a web address, no connection, broken redirects
    TLS_ERROR = "tls_error"  # the HTTPS certificate or handshake is refused
    TIMEOUT = "timeout"  # no complete answer within the time limit
    NOT_FOUND = "not_found"  # HTTP 4xx
    SERVER_ERROR = "server_error"  # HTTP 5xx, or an answer that is neither a page nor a redirect
    SOFT_404 = "soft_404"  # a "not found" page served with 200, or a redirect to the home page
    EMPTY = "empty"  # nothing to see: no body, no visible text, a PDF that does not open
    WRONG_YEAR = "wrong_year"  # the fiscal year is not mentioned
    OK = "ok"


@dataclass(frozen=True)
class Hop:
    """One answer that sent the checker elsewhere: the address asked and the status it gave.

    Status 200 means an HTML ``<meta http-equiv="refresh">`` redirect.
    """

    url: str
    status: int


@dataclass(frozen=True)
class LinkResult:
    """The verdict on one address, with what was seen; ``to_json`` gives the documented object."""

    url: str
    verdict: Verdict
    detail: str  # Thai / English
    reason: str | None = None  # a finer code, e.g. "redirect_to_home", "pdf_unreadable"
    http_status: int | None = None
    final_url: str | None = None
    redirects: tuple[Hop, ...] = ()
    content_type: str | None = None
    bytes_read: int = 0
    truncated: bool = False  # the body was longer than the cap; only its start was read
    content_sha256: str | None = None
    elapsed_ms: int = 0
    checked_at: dt.datetime = field(default_factory=lambda: dt.datetime.now(dt.UTC))

    @property
    def broken(self) -> bool:
        return self.verdict is not Verdict.OK

    def to_json(self) -> dict[str, Any]:
        return {
            "url": self.url,
            "verdict": self.verdict.value,
            "http_status": self.http_status,
            "final_url": self.final_url,
            "redirects": [{"url": h.url, "status": h.status} for h in self.redirects],
            "detail": self.detail,
            "reason": self.reason,
            "content_type": self.content_type,
            "bytes": self.bytes_read,
            "truncated": self.truncated,
            "content_sha256": self.content_sha256,
            "elapsed_ms": self.elapsed_ms,
            "checked_at": self.checked_at.isoformat(timespec="seconds"),
        }


Progress = Callable[[LinkResult], None]
_T = TypeVar("_T")


async def check_urls(
    urls: Sequence[str],
    *,
    fiscal_year: int | None = None,
    timeout: float = DEFAULT_TIMEOUT,
    per_host: int = DEFAULT_PER_HOST,
    total_concurrency: int = DEFAULT_TOTAL_CONCURRENCY,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Progress | None = None,
    verify: ssl.SSLContext | bool = True,
    private: bool = False,
) -> list[LinkResult]:
    """Return one result per address, in the order given (a repeated address is fetched once).

    ``fiscal_year`` (Buddhist era) turns on the year check; ``timeout`` is in seconds per
    request; ``progress`` is called with each result as it is ready; ``private`` allows
    addresses that are not globally routable (for a checker on an intranet, and tests). Never
    raises for what a website does: every failure becomes a verdict.
    """
    if per_host < 1 or total_concurrency < 1 or timeout <= 0 or max_bytes < 1:
        raise ValueError("per_host, total_concurrency, timeout and max_bytes must be positive")
    positions: dict[str, list[int]] = {}
    for index, url in enumerate(urls):
        positions.setdefault(url.strip(), []).append(index)
    results: list[LinkResult | None] = [None] * len(urls)
    run = _Run(
        httpx.create_ssl_context(verify=verify),
        fiscal_year,
        timeout,
        per_host,
        total_concurrency,
        max_bytes,
        private,
    )

    async def one(url: str) -> None:
        result = await run.check(url)
        for index in positions[url]:
            results[index] = result
            if progress is not None:
                progress(result)

    try:
        await asyncio.gather(*(one(url) for url in positions))
    finally:
        await run.close()
    return [r for r in results if r is not None]


def run_checks(urls: Sequence[str], **options: Any) -> list[LinkResult]:
    """Return ``check_urls(urls, **options)`` from synchronous code (CLI, background jobs).

    When this thread already runs an event loop (code driven by Playwright's synchronous API,
    a notebook), the checks get a thread and an event loop of their own.
    """
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(check_urls(urls, **options))
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="oit-checks") as pool:
        return pool.submit(lambda: asyncio.run(check_urls(urls, **options))).result()


def _globally_routable(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])  # drop an IPv6 zone ("fe80::1%eth0")
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def host_key(url: httpx.URL) -> str:
    """Return the website an address belongs to for the per-host limit: scheme, host and port."""
    port = url.port or (443 if url.scheme == "https" else 80)  # not-domain: default ports
    return f"{url.scheme}://{url.host}:{port}"


def parse_url(text: str) -> httpx.URL | str:
    """Return ``text`` as an absolute http(s) URL, or a Thai/English reason why it is not one."""
    text = text.strip()
    try:
        url = httpx.URL(text)
    except (httpx.InvalidURL, ValueError, TypeError) as exc:
        return f"ไม่ใช่ที่อยู่เว็บที่ถูกต้อง / not a valid web address ({exc})"
    if url.scheme not in {"http", "https"}:
        return (
            "ที่อยู่ต้องขึ้นต้นด้วย http:// หรือ https:// / the address must start with http:// or https://"
        )
    if not url.host:
        return "ที่อยู่ไม่มีชื่อเว็บไซต์ / the address has no host name"
    return url


# --- one run ----------------------------------------------------------------------------------


@dataclass
class _Fetched:
    url: httpx.URL
    status: int
    headers: httpx.Headers
    body: bytes
    truncated: bool
    elapsed: float


@dataclass
class _Failure:
    verdict: Verdict
    reason: str
    detail: str
    elapsed: float


@dataclass(frozen=True)
class _Judgement:
    verdict: Verdict
    reason: str | None
    detail: str


@dataclass
class _Website:
    """One website's client (its own small connection pool) and its request slots."""

    client: httpx.AsyncClient
    slots: asyncio.Semaphore
    users: int = 0  # fetches waiting for a slot or running


class _Run:
    """The shared state of one ``check_urls`` call.

    Each website gets its own ``httpx.AsyncClient`` with a pool of ``per_host`` connections,
    closed as soon as no fetch needs it: httpcore's pool scans every connection for every
    request, so one pool of hundreds of connections costs more CPU than the checking itself.
    """

    def __init__(
        self,
        ssl_context: ssl.SSLContext,
        fiscal_year: int | None,
        timeout: float,
        per_host: int,
        total_concurrency: int,
        max_bytes: int,
        private: bool = False,
    ) -> None:
        self.ssl_context = ssl_context
        self.private = private
        self.public_hosts: dict[str, bool] = {}
        self.fiscal_year = fiscal_year
        self.timeout = timeout
        self.per_host = per_host
        self.max_bytes = max_bytes
        self.overall = asyncio.Semaphore(total_concurrency)
        self.websites: dict[str, _Website] = {}
        # Parsing pages and PDFs is CPU work: off the event loop, so that a 5 MB page does not
        # stall every transfer, and in ONE thread, so that the loop keeps half of the GIL; with
        # several parsing threads it got a fraction and under load requests timed out.
        self.analysis = ThreadPoolExecutor(max_workers=1, thread_name_prefix="oit-analysis")

    async def analyse(self, function: Callable[..., _T], *args: Any) -> _T:
        """Return ``function(*args)`` computed in the analysis thread."""
        return await asyncio.get_running_loop().run_in_executor(self.analysis, function, *args)

    def _new_client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(
            headers=_HEADERS,
            timeout=httpx.Timeout(self.timeout),
            limits=httpx.Limits(
                max_connections=self.per_host,
                max_keepalive_connections=self.per_host,
                keepalive_expiry=5.0,
            ),
            verify=self.ssl_context,
            follow_redirects=False,
            # Each address keeps its own cookies (see _Check); the client's jar accepts none, so
            # one check never changes what another sees.
            cookies=CookieJar(policy=DefaultCookiePolicy(allowed_domains=[])),
        )

    @asynccontextmanager
    async def website(self, url: httpx.URL) -> AsyncIterator[_Website]:
        key = host_key(url)
        site = self.websites.get(key)
        if site is None:
            site = self.websites[key] = _Website(
                self._new_client(), asyncio.Semaphore(self.per_host)
            )
        site.users += 1
        try:
            yield site
        finally:
            site.users -= 1
            if site.users == 0 and self.websites.get(key) is site:
                del self.websites[key]
                await site.client.aclose()

    async def close(self) -> None:
        sites, self.websites = list(self.websites.values()), {}
        for site in sites:
            await site.client.aclose()
        self.analysis.shutdown(wait=False, cancel_futures=True)

    async def check(self, text: str) -> LinkResult:
        checked_at = dt.datetime.now(dt.UTC)
        parsed = parse_url(text)
        if isinstance(parsed, str):
            return LinkResult(
                url=text,
                verdict=Verdict.UNREACHABLE,
                reason="invalid_url",
                detail=parsed,
                checked_at=checked_at,
            )
        try:
            return await _Check(self, text, parsed, checked_at).run()
        except Exception as exc:  # a bug must cost one address, not the whole run
            return LinkResult(
                url=text,
                verdict=Verdict.UNREACHABLE,
                reason="checker_error",
                detail=f"ตรวจไม่สำเร็จ / the checker failed: {type(exc).__name__}: {exc}",
                checked_at=checked_at,
            )

    async def is_public(self, url: httpx.URL) -> bool:
        """Return whether every address the host resolves to is globally routable.

        Asked at each hop, so a redirect cannot lead inside either; one lookup per host and run.
        A name that does not resolve passes here and fails as unreachable when fetched.
        """
        if self.private:
            return True
        host = url.host
        if host not in self.public_hosts:
            try:
                infos = await asyncio.get_running_loop().getaddrinfo(
                    host, url.port or 0, type=socket.SOCK_STREAM
                )
            except OSError:
                return True
            self.public_hosts[host] = bool(infos) and all(
                _globally_routable(str(info[4][0])) for info in infos
            )
        return self.public_hosts[host]

    async def fetch(self, url: httpx.URL, jar: httpx.Cookies) -> _Fetched | _Failure:
        """Return one GET of ``url`` (body read up to the cap), or why it failed.

        The website's slot is taken before the overall one, so requests waiting for a busy
        website never hold slots that other websites could use.
        """
        if not await self.is_public(url):
            return _Failure(
                Verdict.UNREACHABLE,
                "private_address",
                f"ระบบไม่ตรวจลิงก์ที่ชี้ไปยังเครือข่ายภายใน ({url.host}) / "
                f"{url.host} is on a private network; not checked",
                0.0,
            )
        async with self.website(url) as site, site.slots, self.overall:
            started = time.perf_counter()
            try:
                async with asyncio.timeout(self.timeout):
                    request = site.client.build_request("GET", url)
                    jar.set_cookie_header(request)
                    response = await site.client.send(request, stream=True)
                    try:
                        jar.extract_cookies(response)
                        cap = _REDIRECT_BODY_CAP if response.is_redirect else self.max_bytes
                        body, truncated = await _read_capped(response, cap)
                    finally:
                        await response.aclose()
            except (TimeoutError, httpx.TimeoutException):
                return _Failure(
                    Verdict.TIMEOUT,
                    "timeout",
                    f"ไม่ตอบภายใน {self.timeout:g} วินาที / "
                    f"no complete answer within {self.timeout:g} s",
                    time.perf_counter() - started,
                )
            except httpx.HTTPError as exc:
                return _transport_failure(exc, time.perf_counter() - started)
            return _Fetched(
                url=url,
                status=response.status_code,
                headers=response.headers,
                body=body,
                truncated=truncated,
                elapsed=time.perf_counter() - started,
            )


async def _read_capped(response: httpx.Response, cap: int) -> tuple[bytes, bool]:
    chunks: list[bytes] = []
    size = 0
    async for chunk in response.aiter_bytes():
        chunks.append(chunk)
        size += len(chunk)
        if size >= cap:
            body = b"".join(chunks)
            return body[:cap], len(body) > cap or not response.is_stream_consumed
    return b"".join(chunks), False


def _tls_error(exc: BaseException) -> ssl.SSLError | None:
    seen: set[int] = set()
    current: BaseException | None = exc
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        if isinstance(current, ssl.SSLError):
            return current
        for arg in current.args:
            if isinstance(arg, ssl.SSLError):
                return arg
        current = current.__cause__ or current.__context__
    return None


def _transport_failure(exc: httpx.HTTPError, elapsed: float) -> _Failure:
    tls = _tls_error(exc)
    if tls is not None or "CERTIFICATE_VERIFY_FAILED" in str(exc):
        why = getattr(tls, "verify_message", None) or getattr(tls, "reason", None) or str(exc)
        return _Failure(
            Verdict.TLS_ERROR,
            "tls",
            f"ใบรับรองความปลอดภัย (HTTPS) ใช้ไม่ได้ / TLS error: {why}",
            elapsed,
        )
    if isinstance(exc, httpx.ConnectError):
        return _Failure(
            Verdict.UNREACHABLE,
            "connect_error",
            f"เชื่อมต่อเว็บไซต์ไม่ได้ / cannot connect: {exc or type(exc).__name__}",
            elapsed,
        )
    return _Failure(
        Verdict.UNREACHABLE,
        "protocol_error",
        f"เว็บไซต์ตอบไม่ครบหรือผิดรูปแบบ / broken answer: {exc or type(exc).__name__}",
        elapsed,
    )


# --- one address ------------------------------------------------------------------------------


class _Check:
    """Follow one address through its redirects, then judge what it ends on."""

    def __init__(self, run: _Run, text: str, url: httpx.URL, checked_at: dt.datetime) -> None:
        self.run_ = run
        self.text = text
        self.start = url
        self.checked_at = checked_at
        self.hops: list[Hop] = []
        self.elapsed = 0.0
        # Cookies set along the chain are sent back, as a browser would: some sites redirect to
        # themselves once to set a session cookie.
        self.jar = httpx.Cookies()

    def result(self, judgement: _Judgement, fetched: _Fetched | None = None) -> LinkResult:
        body = fetched.body if fetched else b""
        return LinkResult(
            url=self.text,
            verdict=judgement.verdict,
            reason=judgement.reason,
            detail=judgement.detail,
            http_status=fetched.status if fetched else None,
            final_url=str(fetched.url) if fetched else None,
            redirects=tuple(self.hops),
            content_type=fetched.headers.get("content-type") if fetched else None,
            bytes_read=len(body),
            truncated=fetched.truncated if fetched else False,
            content_sha256=hashlib.sha256(body).hexdigest() if fetched else None,
            elapsed_ms=round(self.elapsed * 1000),
            checked_at=self.checked_at,
        )

    def broken_chain(self, reason: str, detail: str) -> LinkResult:
        return self.result(_Judgement(Verdict.UNREACHABLE, reason, detail))

    async def run(self) -> LinkResult:
        url = self.start
        seen: set[tuple[str, tuple[tuple[str, str], ...]]] = set()
        while True:
            # A loop is the same address asked again with the same cookies: nothing can change.
            key = (str(url), tuple(sorted(self.jar.items())))
            if key in seen:
                return self.broken_chain(
                    "redirect_loop",
                    f"เปลี่ยนทางวนซ้ำที่ {url} / redirect loop at {url}",
                )
            seen.add(key)
            if len(self.hops) > MAX_REDIRECTS:
                return self.broken_chain(
                    "too_many_redirects",
                    f"เปลี่ยนทางเกิน {MAX_REDIRECTS} ครั้ง / more than {MAX_REDIRECTS} redirects",
                )
            fetched = await self.run_.fetch(url, self.jar)
            self.elapsed += fetched.elapsed
            if isinstance(fetched, _Failure):
                judgement = _Judgement(fetched.verdict, fetched.reason, fetched.detail)
                return self.result(judgement)
            target: str | None = None
            page: HtmlPage | None = None
            if fetched.status in _REDIRECT_STATUSES and "location" in fetched.headers:
                target = fetched.headers["location"]
            elif (
                200 <= fetched.status < 300
                and sniff_kind(fetched.body, fetched.headers.get("content-type")) == "html"
            ):
                page = await self.run_.analyse(_read_page, fetched)
                if page.refresh_url:
                    target = page.refresh_url
            if target is None:
                return self.result(await self.judge(fetched, page), fetched)
            try:
                following = url.join(target.strip())
            except (httpx.InvalidURL, ValueError) as exc:
                self.hops.append(Hop(str(url), fetched.status))
                return self.broken_chain(
                    "bad_redirect",
                    f"เปลี่ยนทางไปยังที่อยู่ที่ไม่ถูกต้อง / redirect to an invalid address: {exc}",
                )
            if page is not None and following == url:
                # A page that refreshes itself is a page, not a redirect.
                return self.result(await self.judge(fetched, page), fetched)
            self.hops.append(Hop(str(url), fetched.status))
            if following.scheme not in {"http", "https"} or not following.host:
                return self.broken_chain(
                    "bad_redirect",
                    f"เปลี่ยนทางไปยัง {following} ซึ่งไม่ใช่หน้าเว็บ / "
                    f"redirect to {following}, which is not a web page",
                )
            url = following

    async def judge(self, fetched: _Fetched, page: HtmlPage | None) -> _Judgement:
        status = fetched.status
        if 400 <= status < 500:
            what = "ไม่พบหน้าเว็บ / page not found" if status in {404, 410} else (
                "เข้าถึงไม่ได้ / access refused"
            )  # fmt: skip
            return _Judgement(Verdict.NOT_FOUND, f"http_{status}", f"{what} (HTTP {status})")
        if status >= 500:
            return _Judgement(
                Verdict.SERVER_ERROR,
                f"http_{status}",
                f"เว็บไซต์ขัดข้อง / server error (HTTP {status})",
            )
        if not 200 <= status < 300:
            return _Judgement(
                Verdict.SERVER_ERROR,
                f"http_{status}",
                f"เว็บไซต์ตอบสถานะที่ไม่ใช่หน้าเว็บ / unexpected answer (HTTP {status})",
            )
        if (
            self.hops
            and is_home(fetched.url.path, fetched.url.query.decode())
            and not is_home(self.start.path, self.start.query.decode())
        ):
            return _Judgement(
                Verdict.SOFT_404,
                "redirect_to_home",
                f"ถูกเปลี่ยนทางไปหน้าแรก {fetched.url} แทนเอกสาร / "
                f"redirected to the home page {fetched.url} instead of the document",
            )
        return await self.run_.analyse(judge_content, fetched, page, self.run_.fiscal_year)


_REDIRECT_STATUSES = {301, 302, 303, 307, 308}


def _read_page(fetched: _Fetched) -> HtmlPage:
    return read_html(decode_html(fetched.body, fetched.headers.get("content-type")))


def judge_content(fetched: _Fetched, page: HtmlPage | None, fiscal_year: int | None) -> _Judgement:
    """Return the verdict on a 2xx body: soft-404 wording, then emptiness, then the year."""
    content_type = fetched.headers.get("content-type")
    if not fetched.body.strip():
        return _Judgement(Verdict.EMPTY, "no_content", "ไม่มีเนื้อหา / the answer is empty")
    kind = sniff_kind(fetched.body, content_type)
    if kind == "html":
        page = page or _read_page(fetched)
        return _judge_html(page, fiscal_year)
    if kind == "pdf":
        if fetched.truncated:
            return _ok(
                "too_large",
                "ไฟล์ใหญ่เกินกว่าจะตรวจเนื้อหา / the file is larger than the reading limit; "
                f"only its first {len(fetched.body) // (1024 * 1024)} MB were fetched and the "
                "content was not checked",
            )
        enough = (
            None if fiscal_year is None else partial(mentions_fiscal_year, fiscal_year=fiscal_year)
        )
        return _judge_pdf(read_pdf(fetched.body, enough), fiscal_year)
    note = None if fiscal_year is None else (
        "ไม่ได้ตรวจปีงบประมาณในไฟล์ประเภทนี้ / the year is not checked in this kind of file"
    )  # fmt: skip
    return _ok("year_not_checked" if note else None, note)


def _ok(reason: str | None, note: str | None) -> _Judgement:
    detail = "ใช้ได้ / ok" + (f" — {note}" if note else "")
    return _Judgement(Verdict.OK, reason, detail)


def _judge_html(page: HtmlPage, fiscal_year: int | None) -> _Judgement:
    phrase = not_found_phrase(page)
    if phrase is not None:
        return _Judgement(
            Verdict.SOFT_404,
            "not_found_text",
            f"หน้าเว็บแจ้งว่าไม่พบ ('{phrase}') แม้ตอบ HTTP 200 / "
            f"the page says not found ('{phrase}') although served with HTTP 200",
        )
    if is_empty_page(page):
        chars = visible_length(page.text)
        return _Judgement(
            Verdict.EMPTY,
            "no_visible_text",
            f"หน้าเว็บไม่มีเนื้อหา ({chars} ตัวอักษร) / the page shows almost nothing ({chars} characters)",
        )
    return _judge_year(f"{fold(page.title)} {page.folded}", fiscal_year)


def _judge_pdf(report: PdfReport, fiscal_year: int | None) -> _Judgement:
    # PDFium (the engine of Chrome's PDF viewer) refuses a PDF without pages, so such a file is
    # "unreadable" here as it is for an assessor; a PDF whose pages hold nothing is "blank".
    if not report.opened:
        return _Judgement(
            Verdict.EMPTY,
            "pdf_unreadable",
            f"เปิดไฟล์ PDF ไม่ได้ / the PDF does not open ({report.error})",
        )
    if not report.text and not report.has_objects:
        return _Judgement(
            Verdict.EMPTY, "pdf_blank", "PDF มีแต่หน้าว่าง / the PDF has only blank pages"
        )
    if not report.text:
        note = None if fiscal_year is None else (
            "PDF ไม่มีข้อความ (อาจเป็นภาพสแกน) จึงไม่ได้ตรวจปีงบประมาณ / "
            "the PDF has no text (a scan?), so the year was not checked"
        )  # fmt: skip
        return _ok("year_not_checked" if note else None, note)
    return _judge_year(fold(report.text), fiscal_year)


def _judge_year(folded: str, fiscal_year: int | None) -> _Judgement:
    if fiscal_year is None or fiscal_year_in_folded(folded, fiscal_year):
        return _ok(None, None)
    found = years_in_folded(folded)
    seen = ", ".join(str(y) for y in found)
    return _Judgement(
        Verdict.WRONG_YEAR,
        "year_missing",
        f"ไม่พบปีงบประมาณ {fiscal_year} ในเนื้อหา"
        + (f" (พบ {seen})" if found else "")
        + f" / the fiscal year {fiscal_year} is not mentioned"
        + (f" (found {seen})" if found else ""),
    )


def broken(results: Iterable[LinkResult]) -> list[LinkResult]:
    """Return the results whose verdict is not ``ok``."""
    return [r for r in results if r.broken]
