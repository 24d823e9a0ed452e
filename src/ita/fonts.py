"""The bundled Sarabun font (SIL Open Font License): where it is, and matplotlib's use of it.

Imports nothing heavy: matplotlib is loaded only when a chart is drawn.
"""

from __future__ import annotations

import base64
import functools
from pathlib import Path
from typing import Literal

FONT_DIR = Path(__file__).resolve().parent / "static" / "fonts"
FONT_FAMILY = "Sarabun"  # the family name inside the files, as matplotlib knows it


@functools.cache
def register_fonts() -> str:
    """Make the bundled Sarabun files known to matplotlib (once per process)."""
    from matplotlib import font_manager

    for path in sorted(FONT_DIR.glob("Sarabun-*.ttf")):
        font_manager.fontManager.addfont(str(path))
    return FONT_FAMILY


# The family name pages declare the bundled files under: our own, never the system's
# "TH Sarabun New", which Debian maps to a scaled Laksaman (STACK-NOTES §2).
PAGE_FAMILY = "ITA Sarabun"
FONT_FILES = {"normal": "Sarabun-Regular.ttf", "bold": "Sarabun-Bold.ttf"}
Fonts = Literal["embed", "file", "none"]


@functools.cache
def font_faces(fonts: Fonts = "file", family: str = PAGE_FAMILY) -> str:
    """Return the ``@font-face`` rules of the bundled font: embedded, as files, or none."""
    if fonts == "none":
        return ""
    rules = []
    for weight, name in FONT_FILES.items():
        path = FONT_DIR / name
        if fonts == "embed":
            data = base64.b64encode(path.read_bytes()).decode("ascii")
            src = f'url("data:font/ttf;base64,{data}") format("truetype")'
        else:
            src = f'url("{path.as_uri()}") format("truetype")'
        rules.append(
            f'@font-face {{ font-family: "{family}"; font-weight: {weight}; src: {src}; }}'
        )
    return "\n".join(rules)
