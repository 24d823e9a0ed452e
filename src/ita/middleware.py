"""Request middleware of the whole site."""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.contrib.messages.middleware import MessageMiddleware as DjangoMessageMiddleware
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django_htmx.middleware import HtmxDetails


class HtmxHttpRequest(HttpRequest):
    """The request type of views: Django's, plus what django-htmx's middleware adds."""

    htmx: HtmxDetails


RESPONDENT_PREFIX = "/s/"  # the public survey pages (ita.surveys.urls.public_patterns)


class ThaiFirstLocaleMiddleware:
    """Activate the language the user chose (cookie), else Thai.

    Django's LocaleMiddleware would follow the browser's Accept-Language, which on many
    office computers says English; ITA Workbench speaks Thai unless asked otherwise.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
        supported = {code for code, _name in settings.LANGUAGES}
        language = chosen if chosen in supported else settings.LANGUAGE_CODE
        translation.activate(language)
        request.LANGUAGE_CODE = language
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", language)
        return response


class MessageMiddleware(DjangoMessageMiddleware):
    """Django's, except on the respondents' pages (``/s/``), which never show a message.

    Setting up the message storage on every request cost about 4 % of a survey answer's CPU
    (bench/intake.py); a page without storage simply has no messages to show.
    """

    def process_request(self, request: HttpRequest) -> None:
        if not request.path_info.startswith(RESPONDENT_PREFIX):
            super().process_request(request)


# Scripts and styles come from this site only (htmx is vendored; no inline script); inline
# styles are allowed because htmx adds its indicator style. Reports embed their fonts as data:.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "frame-ancestors 'none'",
        "form-action 'self'",
        "base-uri 'self'",
        "object-src 'none'",
    ]
)
PERMISSIONS_POLICY = "camera=(), microphone=(), geolocation=(), payment=(), usb=()"


class SecurityHeadersMiddleware:
    """Add the headers Django does not set itself: Content-Security-Policy, Permissions-Policy."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not request.path.startswith("/admin/"):  # Django's admin still uses inline scripts
            response.headers.setdefault("Content-Security-Policy", CONTENT_SECURITY_POLICY)
        response.headers.setdefault("Permissions-Policy", PERMISSIONS_POLICY)
        return response


TOO_LARGE_PAGE = """<!doctype html>
<html lang="th"><head><meta charset="utf-8"><title>ไฟล์ใหญ่เกินไป / Too large</title></head>
<body style="font-family: sans-serif; max-width: 40rem; margin: 2rem auto;">
<h1>ข้อมูลที่ส่งมาใหญ่เกินไป</h1>
<p>ระบบรับข้อมูลได้ไม่เกิน {limit} ต่อครั้ง ไม่มีสิ่งใดถูกบันทึก ลดขนาดไฟล์หรือส่งทีละไฟล์แล้วลองใหม่</p>
<p lang="en">The request is larger than {limit}; nothing was saved. Send smaller or fewer files.</p>
</body></html>"""


def _size_label(size: int) -> str:
    return f"{size / (1024 * 1024):g} MB" if size >= 1024 * 1024 else f"{size // 1024} KB"


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body is too large before any of it is read (413).

    Public addresses (survey forms, public OIT pages, login) take small forms only; the rest
    take at most ``MAX_REQUEST_BYTES`` (a few evidence files). Django's own limits then still
    apply to what is read.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        public = request.path.startswith(settings.PUBLIC_PATH_PREFIXES)
        limit = settings.MAX_PUBLIC_REQUEST_BYTES if public else settings.MAX_REQUEST_BYTES
        if declared > limit:
            page = TOO_LARGE_PAGE.format(limit=_size_label(limit))
            response = HttpResponse(page, status=413)
            response.headers["Connection"] = (
                "close"  # the unread body must not reach a next request
            )
            return response
        return self.get_response(request)
