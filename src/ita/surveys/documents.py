"""QR codes (segno) and the two printed documents of a campaign: the A4 poster and code slips.

The PDFs are drawn by WeasyPrint from small templates, with the bundled Sarabun files declared
under a family name of our own (STACK-NOTES §2: never rely on a system font named TH Sarabun).
"""

from __future__ import annotations

import base64
import io
from typing import Any

import segno
from django.template.loader import render_to_string

from ita.fonts import FONT_DIR, PAGE_FAMILY, font_faces


def qr_code(url: str) -> segno.QRCode:
    # Error correction M survives a crease or a smudge on a printed poster.
    return segno.make(url, error="m", micro=False)


QR_SCALE = 10  # not-domain: pixels per QR module


def qr_png(url: str, scale: int = QR_SCALE) -> bytes:
    out = io.BytesIO()
    qr_code(url).save(out, kind="png", scale=scale, border=4)
    return out.getvalue()


def qr_svg(url: str, scale: int = QR_SCALE) -> bytes:
    out = io.BytesIO()
    qr_code(url).save(out, kind="svg", scale=scale, border=4, xmldecl=False, svgns=True)
    return out.getvalue()


def qr_data_uri(url: str) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(qr_svg(url)).decode("ascii")


def _pdf(template: str, context: dict[str, Any]) -> bytes:
    import weasyprint  # imported here: it takes most of a second to load

    html = render_to_string(
        template, {**context, "font_faces": font_faces("file"), "font_family": PAGE_FAMILY}
    )
    pdf: bytes = weasyprint.HTML(string=html, base_url=str(FONT_DIR)).write_pdf()
    return pdf


def poster_pdf(context: dict[str, Any]) -> bytes:
    """Return the A4 poster: who is asked, the QR code, the address, the dates, anonymity."""
    return _pdf("surveys/poster.html", {**context, "qr": qr_data_uri(context["url"])})


def slips_pdf(context: dict[str, Any], codes: list[str]) -> bytes:
    """Return the code slips to cut and hand out, one code on each."""
    return _pdf(
        "surveys/slips.html",
        {**context, "qr": qr_data_uri(context["url"]), "codes": codes},
    )
