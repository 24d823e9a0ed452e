"""The OIT link monitor against local websites: every verdict, redirects, TLS, PDFs and the CLI.

Nothing here touches the internet: the websites are ``http.server`` servers on 127.0.0.1 in
background threads, one of them behind a self-signed certificate made in the test.
"""

from __future__ import annotations

import asyncio
import base64
import datetime as dt
import io
import ipaddress
import json
import socket
import ssl
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx
import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from ita.cli import cli
from ita.oit import checker
from ita.oit.checker import LinkResult, Verdict, check_urls, parse_url, run_checks
from ita.oit.content import (
    mentions_fiscal_year,
    read_html,
    soft_404_rules,
    years_mentioned,
)
from ita.oit.history import Previous, compare, previous_from_json

YEAR = 2568
FONT = Path(__file__).resolve().parents[1] / "src" / "ita" / "static" / "fonts"
FONT_FILE = FONT / "Sarabun-Regular.ttf"
FAST = 2.0  # seconds: the time limit for tests whose pages answer at once
TEMPLATE = (
    "<html><head><meta charset='utf-8'><title>{title}</title></head><body>"
    "<nav>หน้าแรก | เกี่ยวกับเรา | ข่าวประชาสัมพันธ์ | ITA | ติดต่อเรา</nav>"
    "<h1>{heading}</h1><div>{body}</div><footer>องค์การบริหารส่วนตำบลตัวอย่าง</footer>"
    "</body></html>"
)


def page(title: str, body: str, heading: str = "") -> bytes:
    return TEMPLATE.format(title=title, heading=heading or title, body=body).encode()


# --- the local websites -----------------------------------------------------------------------


@dataclass
class Reply:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # before the status line
    drip: float = 0.0  # between the bytes of the body


Route = Callable[[BaseHTTPRequestHandler], Reply]


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 128  # the default 5 drops connections and costs a 1 s retry each

    def handle_error(self, request: Any, client_address: Any) -> None:
        pass  # a refused TLS handshake or a client that gave up is part of the test


class Site:
    """A website in a thread: ``routes`` maps a path (with its query) to a reply."""

    def __init__(self, routes: dict[str, Route], tls: ssl.SSLContext | None = None) -> None:
        self.routes = routes
        self.active = 0
        self.max_active = 0
        self.lock = threading.Lock()
        site = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                with site.lock:
                    site.active += 1
                    site.max_active = max(site.max_active, site.active)
                try:
                    route = site.routes.get(self.path)
                    reply = route(self) if route else Reply(404, page("Not Found", "no route"))
                    time.sleep(reply.delay)
                    self.send_response(reply.status)
                    headers = {"Content-Type": "text/html; charset=utf-8", **reply.headers}
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(reply.body)))
                    self.end_headers()
                    if reply.drip:
                        for byte in reply.body:
                            self.wfile.write(bytes([byte]))
                            self.wfile.flush()
                            time.sleep(reply.drip)
                    else:
                        self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the checker gave up first, as it should
                finally:
                    with site.lock:
                        site.active -= 1

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = _Server(("127.0.0.1", 0), Handler)
        if tls is not None:
            self.server.socket = tls.wrap_socket(self.server.socket, server_side=True)
        self.scheme = "https" if tls else "http"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def url(self, path: str) -> str:
        return f"{self.scheme}://127.0.0.1:{self.server.server_address[1]}{path}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def redirect(to: str, status: int = 302) -> Route:
    return lambda _h: Reply(status, b"", {"Location": to})


def fixed(reply: Reply) -> Route:
    return lambda _h: reply


def cookie_gate(handler: BaseHTTPRequestHandler) -> Reply:
    """Redirect to itself once to set a session cookie, as some CMSs do."""
    if "session=1" in (handler.headers.get("Cookie") or ""):
        return Reply(200, page("แผนดำเนินงาน", f"แผนดำเนินงาน ประจำปีงบประมาณ {YEAR}"))
    return Reply(302, b"", {"Location": "/cookie-gate", "Set-Cookie": "session=1; Path=/"})


# --- PDFs made in the test --------------------------------------------------------------------


def make_pdf(html: str) -> bytes:
    import weasyprint

    font = f"@font-face {{ font-family: S; src: url({FONT_FILE.as_uri()}) }}"
    css = weasyprint.CSS(string=font + " body { font-family: S }")
    pdf: bytes = weasyprint.HTML(string=html).write_pdf(stylesheets=[css])
    return pdf


def pdf_without_pages() -> bytes:
    """Return a valid PDF whose page tree is empty, written by hand."""
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [] /Count 0 >>",
    ]
    out = io.BytesIO()
    out.write(b"%PDF-1.4\n")
    offsets = []
    for number, obj in enumerate(objects, start=1):
        offsets.append(out.tell())
        out.write(b"%d 0 obj\n%s\nendobj\n" % (number, obj))
    xref = out.tell()
    out.write(b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1))
    for offset in offsets:
        out.write(b"%010d 00000 n \n" % offset)
    out.write(b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (3, xref))
    return out.getvalue()


def png_data_uri() -> str:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (60, 80), (120, 120, 120)).save(buffer, "PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode()


@pytest.fixture(scope="module")
def pdfs() -> dict[str, bytes]:
    return {
        "year": make_pdf(f"<h1>รายงานผลการดำเนินงาน</h1><p>ประจำปีงบประมาณ พ.ศ. {YEAR}</p>"),
        "thai_year": make_pdf("<h1>แผนปฏิบัติการป้องกันการทุจริต</h1><p>ปีงบประมาณ ๒๕๖๘</p>"),
        "last_year": make_pdf("<h1>รายงานผลการดำเนินงาน</h1><p>ประจำปีงบประมาณ พ.ศ. 2567</p>"),
        "scan": make_pdf(f'<img src="{png_data_uri()}">'),
        "blank": make_pdf("<p></p>"),
        "no_pages": pdf_without_pages(),
    }


# --- the websites used by the tests -----------------------------------------------------------

GOOD = page(
    f"ข่าวประชาสัมพันธ์ ปีงบประมาณ {YEAR}",
    f"ประกาศผลการจัดซื้อจัดจ้าง ประจำปีงบประมาณ พ.ศ. {YEAR} รายละเอียดตามเอกสารแนบ",
)
HOME = page("องค์การบริหารส่วนตำบลตัวอย่าง", f"ยินดีต้อนรับ ข่าวสาร กิจกรรม ปี {YEAR}")


@pytest.fixture(scope="module")
def site(pdfs: dict[str, bytes]) -> Iterator[Site]:
    pdf = {"Content-Type": "application/pdf"}
    routes: dict[str, Route] = {
        "/": fixed(Reply(200, HOME)),
        "/good": fixed(Reply(200, GOOD)),
        "/good-thai-digits": fixed(Reply(200, page("แผนดำเนินงาน", "ปีงบประมาณ พ.ศ. ๒๕๖๘"))),
        "/good-short-year": fixed(Reply(200, page("แผนดำเนินงาน", "สรุปผล ต.ค. 67 - ก.ย. 68"))),
        "/last-year-page": fixed(Reply(200, page("แผนดำเนินงาน", "ประจำปีงบประมาณ 2567"))),
        "/missing": fixed(Reply(404, page("404 Not Found", "Not Found"))),
        "/gone": fixed(Reply(410, b"gone")),
        "/forbidden": fixed(Reply(403, page("Forbidden", "Forbidden"))),
        "/error": fixed(Reply(500, page("Internal Server Error", "error"))),
        "/unavailable": fixed(Reply(503, b"")),
        "/slow": fixed(Reply(200, GOOD, delay=3.0)),
        "/slow-body": fixed(Reply(200, GOOD, drip=0.05)),
        "/chain/1": redirect("/chain/2", 301),
        "/chain/2": redirect("/chain/3", 302),
        "/chain/3": redirect("/good", 307),
        "/loop/a": redirect("/loop/b"),
        "/loop/b": redirect("/loop/a"),
        "/cookie-gate": cookie_gate,
        "/ita/o12-2568.pdf": redirect("/"),
        "/ita/moved": redirect("/index.php?option=com_content&id=12", 301),
        "/index.php?option=com_content&id=12": fixed(Reply(200, GOOD)),
        "/ita/meta-home": fixed(Reply(200, b'<meta http-equiv="refresh" content="0; url=/">')),
        "/ita/meta-good": fixed(Reply(200, b"<meta http-equiv='refresh' content='1;URL=/good'>")),
        "/ita/self-refresh": fixed(
            Reply(200, GOOD.replace(b"<head>", b'<head><meta http-equiv="refresh" content="300">'))
        ),
        "/soft/thai": fixed(Reply(200, page("ไม่พบหน้าที่คุณต้องการ", "กรุณาลองใหม่"))),
        "/soft/english": fixed(
            Reply(200, page("อบต.ตัวอย่าง", "Sorry.", heading="Error 404 - Page not found"))
        ),
        "/soft/body": fixed(
            Reply(200, page("อบต.ตัวอย่าง", "ขออภัย ไม่พบหน้าเว็บที่ท่านต้องการ", heading="ขออภัย"))
        ),
        "/soft/tis620": fixed(
            Reply(
                200,
                "<html><body><h2>ไม่พบหน้า</h2>ติดต่อผู้ดูแลระบบ</body></html>".encode("tis-620"),
                {"Content-Type": "text/html"},
            )
        ),
        "/address-404": fixed(Reply(200, page("ติดต่อเรา", f"เลขที่ 404 หมู่ 5 ปี {YEAR}"))),
        "/empty-body": fixed(Reply(200, b"")),
        "/empty-page": fixed(Reply(200, b"<html><head><title>ITA</title></head><body> </body>")),
        "/frame-only": fixed(Reply(200, b'<html><body><iframe src="/doc.pdf"></iframe></body>')),
        "/doc.pdf": fixed(Reply(200, pdfs["year"], pdf)),
        "/doc-thai.pdf": fixed(Reply(200, pdfs["thai_year"], pdf)),
        "/doc-2567.pdf": fixed(Reply(200, pdfs["last_year"], pdf)),
        "/scan.pdf": fixed(Reply(200, pdfs["scan"], pdf)),
        "/blank.pdf": fixed(Reply(200, pdfs["blank"], pdf)),
        "/no-pages.pdf": fixed(Reply(200, pdfs["no_pages"], pdf)),
        "/corrupt.pdf": fixed(Reply(200, b"%PDF-1.4\n1 0 obj << broken", pdf)),
        "/octet.pdf": fixed(Reply(200, pdfs["year"], {"Content-Type": "application/octet-stream"})),
        "/html-as.pdf": fixed(Reply(200, page("ไม่พบไฟล์", "ไม่พบไฟล์"), pdf)),
        "/report.docx": fixed(
            Reply(200, b"PK\x03\x04 docx bytes", {"Content-Type": "application/msword"})
        ),
        "/no-location": fixed(Reply(302, b"")),
        "/to-ftp": redirect("ftp://127.0.0.1/file.pdf"),
    }
    website = Site(routes)
    yield website
    website.close()


def check(site: Site, *paths: str, year: int | None = YEAR, **options: Any) -> list[LinkResult]:
    options.setdefault("timeout", FAST)
    return run_checks([site.url(p) for p in paths], fiscal_year=year, private=True, **options)


def one(site: Site, path: str, year: int | None = YEAR, **options: Any) -> LinkResult:
    return check(site, path, year=year, **options)[0]


# --- every verdict ----------------------------------------------------------------------------

VERDICTS = [
    ("/good", Verdict.OK, None),
    ("/good-thai-digits", Verdict.OK, None),
    ("/good-short-year", Verdict.OK, None),
    ("/doc.pdf", Verdict.OK, None),
    ("/doc-thai.pdf", Verdict.OK, None),
    ("/octet.pdf", Verdict.OK, None),
    ("/scan.pdf", Verdict.OK, "year_not_checked"),
    ("/report.docx", Verdict.OK, "year_not_checked"),
    ("/frame-only", Verdict.WRONG_YEAR, "year_missing"),
    ("/ita/moved", Verdict.OK, None),
    ("/ita/self-refresh", Verdict.OK, None),
    ("/address-404", Verdict.OK, None),
    ("/missing", Verdict.NOT_FOUND, "http_404"),
    ("/gone", Verdict.NOT_FOUND, "http_410"),
    ("/forbidden", Verdict.NOT_FOUND, "http_403"),
    ("/no-such-route", Verdict.NOT_FOUND, "http_404"),
    ("/error", Verdict.SERVER_ERROR, "http_500"),
    ("/unavailable", Verdict.SERVER_ERROR, "http_503"),
    ("/no-location", Verdict.SERVER_ERROR, "http_302"),
    ("/ita/o12-2568.pdf", Verdict.SOFT_404, "redirect_to_home"),
    ("/ita/meta-home", Verdict.SOFT_404, "redirect_to_home"),
    ("/soft/thai", Verdict.SOFT_404, "not_found_text"),
    ("/soft/english", Verdict.SOFT_404, "not_found_text"),
    ("/soft/body", Verdict.SOFT_404, "not_found_text"),
    ("/soft/tis620", Verdict.SOFT_404, "not_found_text"),
    ("/html-as.pdf", Verdict.SOFT_404, "not_found_text"),
    ("/empty-body", Verdict.EMPTY, "no_content"),
    ("/empty-page", Verdict.EMPTY, "no_visible_text"),
    ("/corrupt.pdf", Verdict.EMPTY, "pdf_unreadable"),
    ("/no-pages.pdf", Verdict.EMPTY, "pdf_unreadable"),
    ("/blank.pdf", Verdict.EMPTY, "pdf_blank"),
    ("/doc-2567.pdf", Verdict.WRONG_YEAR, "year_missing"),
    ("/last-year-page", Verdict.WRONG_YEAR, "year_missing"),
    ("/loop/a", Verdict.UNREACHABLE, "redirect_loop"),
    ("/to-ftp", Verdict.UNREACHABLE, "bad_redirect"),
]


def test_every_kind_of_page_gets_its_verdict(site: Site) -> None:
    paths = [path for path, _, _ in VERDICTS]
    results = check(site, *paths)
    got = [(p, r.verdict, r.reason) for p, r in zip(paths, results, strict=True)]
    assert got == VERDICTS


def test_a_page_that_only_frames_a_document_is_not_empty_but_has_no_year_to_show(
    site: Site,
) -> None:
    result = one(site, "/frame-only")
    assert result.verdict is Verdict.WRONG_YEAR
    assert one(site, "/frame-only", year=None).verdict is Verdict.OK


def test_without_a_year_the_year_is_not_checked(site: Site) -> None:
    results = check(site, "/doc-2567.pdf", "/last-year-page", "/scan.pdf", year=None)
    assert [(r.verdict, r.reason) for r in results] == [(Verdict.OK, None)] * 3


def test_wrong_year_names_the_years_it_found(site: Site) -> None:
    result = one(site, "/doc-2567.pdf")
    assert "2567" in result.detail
    assert f"fiscal year {YEAR} is not mentioned" in result.detail


def test_a_slow_page_times_out(site: Site) -> None:
    result = one(site, "/slow", timeout=0.3)
    assert (result.verdict, result.reason, result.http_status) == (Verdict.TIMEOUT, "timeout", None)
    assert "0.3" in result.detail


def test_a_page_that_answers_at_once_but_drips_its_body_times_out(site: Site) -> None:
    assert one(site, "/slow-body", timeout=0.5).verdict is Verdict.TIMEOUT


def test_a_redirect_chain_is_reported_in_order(site: Site) -> None:
    result = one(site, "/chain/1")
    assert result.verdict is Verdict.OK
    assert [(h.url, h.status) for h in result.redirects] == [
        (site.url("/chain/1"), 301),
        (site.url("/chain/2"), 302),
        (site.url("/chain/3"), 307),
    ]
    assert (result.final_url, result.http_status) == (site.url("/good"), 200)
    assert result.to_json()["redirects"][0] == {"url": site.url("/chain/1"), "status": 301}


def test_a_redirect_loop_is_unreachable_and_names_the_address(site: Site) -> None:
    result = one(site, "/loop/a")
    assert (result.verdict, result.reason) == (Verdict.UNREACHABLE, "redirect_loop")
    assert [h.url for h in result.redirects] == [site.url("/loop/a"), site.url("/loop/b")]
    assert site.url("/loop/a") in result.detail


def test_a_redirect_to_itself_that_sets_a_cookie_is_not_a_loop(site: Site) -> None:
    result = one(site, "/cookie-gate")
    assert result.verdict is Verdict.OK
    assert [h.status for h in result.redirects] == [302]


def test_a_redirect_to_the_home_page_is_a_soft_404_but_one_to_an_article_is_not(
    site: Site,
) -> None:
    home, article = check(site, "/ita/o12-2568.pdf", "/ita/moved")
    assert (home.verdict, home.final_url) == (Verdict.SOFT_404, site.url("/"))
    assert "home page" in home.detail
    assert article.verdict is Verdict.OK


def test_the_home_page_itself_is_not_a_soft_404(site: Site) -> None:
    assert one(site, "/").verdict is Verdict.OK


def test_a_meta_refresh_is_followed_and_reported_as_a_hop_with_status_200(site: Site) -> None:
    result = one(site, "/ita/meta-good")
    assert result.verdict is Verdict.OK
    assert [(h.url, h.status) for h in result.redirects] == [(site.url("/ita/meta-good"), 200)]
    assert result.final_url == site.url("/good")


def test_too_many_redirects_are_unreachable() -> None:
    routes: dict[str, Route] = {f"/r{i}": redirect(f"/r{i + 1}") for i in range(15)}
    website = Site(routes)
    try:
        result = run_checks([website.url("/r0")], timeout=FAST, private=True)[0]
    finally:
        website.close()
    assert (result.verdict, result.reason) == (Verdict.UNREACHABLE, "too_many_redirects")


def test_a_refused_connection_is_unreachable() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    result = run_checks([f"http://127.0.0.1:{port}/ita"], timeout=FAST, private=True)[0]
    assert (result.verdict, result.reason) == (Verdict.UNREACHABLE, "connect_error")
    assert result.http_status is None


@pytest.mark.parametrize(
    "text",
    ["www.example.go.th/ita", "ftp://example.go.th/a.pdf", "http://", "not a url", "http://[::1"],
)
def test_an_address_that_is_not_a_web_address_is_unreachable_not_a_crash(text: str) -> None:
    result = run_checks([text], timeout=FAST, private=True)[0]
    assert (result.url, result.verdict, result.reason) == (text, Verdict.UNREACHABLE, "invalid_url")
    assert " / " in result.detail


# --- TLS --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificate(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Return a self-signed certificate for 127.0.0.1 and its key, made with ``cryptography``."""
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = dt.datetime.now(dt.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(days=1))
        .not_valid_after(now + dt.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
            critical=False,
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder = tmp_path_factory.mktemp("tls")
    cert_file, key_file = folder / "cert.pem", folder / "key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file


@pytest.fixture(scope="module")
def tls_site(certificate: tuple[Path, Path]) -> Iterator[Site]:
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(*certificate)
    website = Site({"/good": fixed(Reply(200, GOOD))}, tls=context)
    yield website
    website.close()


def test_a_self_signed_certificate_is_a_tls_error(tls_site: Site) -> None:
    result = run_checks([tls_site.url("/good")], timeout=FAST, private=True)[0]
    assert (result.verdict, result.reason) == (Verdict.TLS_ERROR, "tls")
    assert "certificate" in result.detail.lower()


def test_the_same_https_site_is_ok_when_its_certificate_is_trusted(
    tls_site: Site, certificate: tuple[Path, Path]
) -> None:
    trusted = ssl.create_default_context(cafile=str(certificate[0]))
    result = run_checks([tls_site.url("/good")], timeout=FAST, verify=trusted, private=True)[0]
    assert result.verdict is Verdict.OK


# --- limits, order, hashes, progress ----------------------------------------------------------


def test_no_more_than_per_host_requests_reach_one_website_at_a_time() -> None:
    website = Site({f"/p{i}": fixed(Reply(200, GOOD, delay=0.1)) for i in range(12)})
    try:
        run_checks(
            [website.url(f"/p{i}") for i in range(12)], timeout=FAST, per_host=3, private=True
        )
    finally:
        website.close()
    assert website.max_active == 3


def test_results_keep_the_input_order_and_a_repeated_address_is_fetched_once(site: Site) -> None:
    urls = [site.url("/good"), site.url("/missing"), site.url("/good")]
    seen: list[str] = []
    results = run_checks(urls, timeout=FAST, progress=lambda r: seen.append(r.url), private=True)
    assert [r.url for r in results] == urls
    assert results[0] is results[2]
    assert sorted(seen) == sorted(urls)


def test_the_content_hash_is_the_sha256_of_the_body(site: Site) -> None:
    import hashlib

    result = one(site, "/good")
    assert result.content_sha256 == hashlib.sha256(GOOD).hexdigest()
    assert result.bytes_read == len(GOOD)
    assert result.content_type == "text/html; charset=utf-8"


def test_a_body_past_the_cap_is_cut_and_a_cut_pdf_is_not_judged(site: Site) -> None:
    html, pdf = check(site, "/good", "/doc.pdf", max_bytes=200)
    assert (html.bytes_read, html.truncated) == (200, True)
    assert (pdf.verdict, pdf.reason, pdf.truncated) == (Verdict.OK, "too_large", True)


def test_the_checker_imports_no_django() -> None:
    code = (
        "import sys, ita.oit.checker, ita.oit.history; "
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'django'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "[]"


def in_own_thread(function: Callable[[], Any]) -> Any:
    """Return ``function()`` run in a new thread: after the browser tests have started,
    Playwright's synchronous API leaves an event loop running in the main thread, where
    ``asyncio.run`` refuses to start another."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(function).result()


def test_check_urls_can_be_awaited_from_async_code(site: Site) -> None:
    import asyncio

    results = in_own_thread(
        lambda: asyncio.run(check_urls([site.url("/good")], timeout=FAST, private=True))
    )
    assert results[0].verdict is Verdict.OK


def test_run_checks_works_where_an_event_loop_is_already_running(site: Site) -> None:
    import asyncio

    async def blocking_caller() -> list[LinkResult]:
        return run_checks([site.url("/good")], timeout=FAST, private=True)

    assert in_own_thread(lambda: asyncio.run(blocking_caller()))[0].verdict is Verdict.OK


# --- rules on text ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("ปีงบประมาณ พ.ศ. 2568", True),
        ("ปีงบประมาณ พ.ศ. ๒๕๖๘", True),
        ("พ.ศ.2568", True),
        ("ประจำปี 2568/2569", True),
        ("ปีงบประมาณ 68", True),
        ("ปีงบประมาณ พ.ศ. ๖๘", True),
        ("ปีงบฯ 68", True),
        ("ปี 68", True),
        ("ต.ค. 67 - ก.ย. 68", True),
        ("กันยายน ๖๘", True),
        ("FY68", True),
        ("ประจำปีงบประมาณ พ.ศ. 2567", False),
        ("เลขที่ 68 หมู่ 2", False),
        ("โทร 025680000", False),
        ("25680", False),
        ("ปีงบประมาณ 680", False),
        ("", False),
    ],
)
def test_the_fiscal_year_rule(text: str, expected: bool) -> None:
    assert mentions_fiscal_year(text, YEAR) is expected


@given(st.text(alphabet="0123456789 ปีงบประมาณพ.ศ.ก.ย-", max_size=40))
def test_thai_digits_and_arabic_digits_give_the_same_year_answer(text: str) -> None:
    thai = text.translate(str.maketrans("0123456789", "๐๑๒๓๔๕๖๗๘๙"))
    assert mentions_fiscal_year(text, YEAR) == mentions_fiscal_year(thai, YEAR)


def test_years_mentioned_lists_full_years_newest_first() -> None:
    assert years_mentioned("แผน 2566 และ ๒๕๖๗ โทร 0225680000") == [2567, 2566]


@given(st.text(max_size=200))
def test_reading_any_html_never_fails(text: str) -> None:
    read_html(text)


@given(st.text(max_size=80))
def test_any_line_is_either_a_web_address_or_a_reason(text: str) -> None:
    parsed = parse_url(text)
    assert isinstance(parsed, str) or parsed.scheme in {"http", "https"}


def test_the_not_found_wording_comes_from_the_data_file() -> None:
    rules = soft_404_rules()
    assert "ไม่พบหน้า" in rules.title_or_heading
    assert "/index.php" in rules.home_paths


def test_hidden_script_text_is_not_visible_text() -> None:
    html = "<title>t</title><script>var s = 'ไม่พบหน้าที่คุณต้องการ';</script><p>เนื้อหา</p>"
    parsed = read_html(html)
    assert parsed.text == "เนื้อหา"


# --- history ----------------------------------------------------------------------------------


def test_an_address_that_was_ok_and_is_now_broken_is_newly_broken() -> None:
    now = LinkResult(url="u", verdict=Verdict.NOT_FOUND, detail="", content_sha256="b")
    assert compare(now, Previous(Verdict.OK, "a")).newly_broken
    assert not compare(now, Previous(Verdict.TIMEOUT, "a")).newly_broken
    assert not compare(now, None).newly_broken
    fixed_now = LinkResult(url="u", verdict=Verdict.OK, detail="", content_sha256="a")
    change = compare(fixed_now, Previous(Verdict.NOT_FOUND, "a"))
    assert (change.fixed, change.content_changed) == (True, False)


def test_a_previous_run_without_a_verdict_is_refused() -> None:
    with pytest.raises(ValueError, match="object 2"):
        previous_from_json([{"url": "a", "verdict": "ok"}, {"url": "b"}])


# --- the command ------------------------------------------------------------------------------

CONTRACT = {"url", "verdict", "http_status", "final_url", "redirects", "detail"}


def run_cli(*args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(args), input=stdin)
    return result.exit_code, result.stdout, result.stderr


def test_ita_oit_check_prints_the_json_contract(site: Site, tmp_path: Path) -> None:
    listing = tmp_path / "urls.txt"
    listing.write_text(
        "# OIT 2568\n\n"
        f"{site.url('/good')}\n"
        f"  {site.url('/missing')}  \n"
        f"{site.url('/chain/1')}\n"
        "www.no-scheme.go.th/ita\n",
        encoding="utf-8",
    )
    code, out, err = run_cli(
        "oit",
        "check",
        "--allow-private",
        "--urls",
        str(listing),
        "--year",
        "๒๕๖๘",
        "--timeout",
        "2",
        "--json",
    )
    assert code == 0, err
    data = json.loads(out)
    assert [(d["verdict"], d["http_status"]) for d in data] == [
        ("ok", 200),
        ("not_found", 404),
        ("ok", 200),
        ("unreachable", None),
    ]
    for obj in data:
        assert obj.keys() >= CONTRACT
        assert obj["verdict"] in {v.value for v in Verdict}
    assert data[1]["url"] == site.url("/missing")
    assert [h["status"] for h in data[2]["redirects"]] == [301, 302, 307]
    assert data[2]["final_url"] == site.url("/good")
    assert data[3]["redirects"] == []


def test_ita_oit_check_reads_stdin_and_prints_a_table(site: Site) -> None:
    code, out, _ = run_cli(
        "oit",
        "check",
        "--allow-private",
        "--urls",
        "-",
        stdin=f"{site.url('/good')}\n{site.url('/error')}\n",
    )
    assert code == 0
    assert "server_error" in out
    assert "HTTP 500" in out
    assert "สรุป / summary" in out


def test_ita_oit_check_flags_newly_broken_addresses(site: Site, tmp_path: Path) -> None:
    previous = tmp_path / "previous.json"
    previous.write_text(
        json.dumps([{"url": site.url("/missing"), "verdict": "ok", "content_sha256": "x"}]),
        encoding="utf-8",
    )
    code, out, _ = run_cli(
        "oit", "check", "--allow-private", "--urls", "-", "--previous", str(previous), "--json",
        stdin=f"{site.url('/missing')}\n{site.url('/good')}\n",
    )  # fmt: skip
    assert code == 0
    data = json.loads(out)
    assert [d["newly_broken"] for d in data] == [True, False]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--year", "ปีนี้"], "not a number"),
        (["--timeout", "0"], "--timeout"),
        (["--timeout", "abc"], "--timeout"),
        (["--per-host", "1.5"], "--per-host"),
    ],
)
def test_bad_options_exit_2_with_one_line(args: list[str], message: str) -> None:
    code, out, err = run_cli(
        "oit", "check", "--allow-private", "--urls", "-", *args, stdin="http://127.0.0.1/\n"
    )
    assert (code, out) == (2, "")
    assert message in err


def test_a_check_without_urls_exits_2() -> None:
    code, out, err = run_cli("oit", "check", "--json")
    assert (code, out) == (2, "")
    assert "--urls" in err


def test_a_list_that_is_not_utf8_exits_2() -> None:
    result = CliRunner().invoke(
        cli, ["oit", "check", "--allow-private", "--urls", "-"], input=b"\xff\xfe\x00h"
    )
    assert result.exit_code == 2


def test_the_installed_ita_command_checks_a_list(site: Site) -> None:
    ita = Path(sys.executable).with_name("ita")
    result = subprocess.run(
        [str(ita), "oit", "check", "--allow-private", "--urls", "-", "--year", "2568", "--timeout", "2", "--json"],
        input=f"{site.url('/doc.pdf')}\n{site.url('/ita/o12-2568.pdf')}\n",
        capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # no progress bar when stderr is not a terminal
    data = json.loads(result.stdout)
    assert [d["verdict"] for d in data] == ["ok", "soft_404"]
    assert data[1]["redirects"] == [{"url": site.url("/ita/o12-2568.pdf"), "status": 302}]


# --- the server's own network is not for checking -------------------------------------------


@pytest.mark.parametrize(
    "address",
    [
        "http://127.0.0.1:9/x",
        "http://localhost/x",
        "http://10.1.2.3/x",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/x",
        "http://[::ffff:127.0.0.1]/x",
    ],
)
def test_addresses_on_private_networks_are_refused_unfetched(address: str) -> None:
    result = run_checks([address], timeout=FAST)[0]
    assert (result.verdict, result.reason) == (Verdict.UNREACHABLE, "private_address")
    assert result.http_status is None and result.elapsed_ms == 0


def test_a_redirect_into_a_private_network_is_refused(site: Site) -> None:
    # The public side is played by the test website itself, allowed by name for this test only.
    inside = site.url("/good").replace("127.0.0.1", "127.0.0.2")
    site.routes["/jump"] = redirect(inside)

    async def attempt() -> LinkResult:
        run = checker._Run(httpx.create_ssl_context(), None, FAST, 2, 4, 1024 * 1024)
        original = run.is_public

        async def only_the_first_host(url: httpx.URL) -> bool:
            return url.host == "127.0.0.1" or await original(url)

        run.is_public = only_the_first_host  # type: ignore[method-assign]
        try:
            return await run.check(site.url("/jump"))
        finally:
            await run.close()

    result = in_own_thread(lambda: asyncio.run(attempt()))
    assert (result.verdict, result.reason) == (Verdict.UNREACHABLE, "private_address")
    assert [h.status for h in result.redirects] == [302]


def test_the_command_checks_private_addresses_only_when_asked(site: Site) -> None:
    code, out, _err = run_cli(
        "oit", "check", "--urls", "-", "--json", stdin=site.url("/good") + "\n"
    )
    assert code == 0 and json.loads(out)[0]["reason"] == "private_address"
    code, out, _err = run_cli(
        "oit", "check", "--allow-private", "--urls", "-", "--json", stdin=site.url("/good") + "\n"
    )
    assert code == 0 and json.loads(out)[0]["verdict"] == "ok"
