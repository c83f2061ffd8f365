"""Charts for documents: the page's server-side SVG, rasterised to PNG for Word.

Why PNG: Word's support for SVG is patchy (older Word, LibreOffice and mobile viewers show a
blank box), and python-docx inserts raster pictures only. The page and the PDF keep the SVG
itself (WeasyPrint draws it as vectors); the DOCX gets the same picture as a PNG at print
resolution, with the chart's own text alternative as the picture's alternative text.

Also here: the RAG colours every document renderer shares, so a red cell is the same red in Word,
Excel and the SVG charts (GOV.UK Design System tag colours: dark text on a light fill, which
keeps its contrast when printed in black and white).
"""

from __future__ import annotations

import re
from typing import Final

#: rag → (fill, text colour), hex without "#"
RAG_COLOURS: Final[dict[str, tuple[str, str]]] = {
    "red": ("F6D7D2", "942514"),
    "amber": ("FCD6C3", "6E3619"),
    "green": ("CCE2D8", "005A30"),
}
RAG_WORDS: Final[dict[str, str]] = {"red": "Red", "amber": "Amber", "green": "Green"}

_SVG_OPEN = re.compile(r"<svg\b[^>]*>", re.S)


class ChartError(ValueError):
    """The SVG could not be drawn (malformed markup); the message says why."""


def _prepared(svg: str) -> str:
    """Make a page's inline SVG stand-alone: a namespace, and a size when it only has a viewBox."""
    m = _SVG_OPEN.search(svg)
    if m is None:
        raise ChartError("no <svg> element in the chart")
    tag = m.group(0)
    new = tag
    if "xmlns=" not in tag:
        new = new.replace("<svg", '<svg xmlns="http://www.w3.org/2000/svg"', 1)
    if " width=" not in tag:
        vb = re.search(r'viewBox="\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)\s*"', tag)
        if vb:
            new = new.replace("<svg", f'<svg width="{vb.group(1)}" height="{vb.group(2)}"', 1)
    return svg[: m.start()] + new + svg[m.end():]


def svg_to_png(svg: str, *, width: int = 1200) -> bytes:
    """The chart as a PNG ``width`` pixels wide (height to scale), on a white background.

    1200 px across a 16 cm picture is 190 dpi: sharp when printed, small enough for e-mail.
    """
    import cairosvg

    try:
        png = cairosvg.svg2png(bytestring=_prepared(svg).encode("utf-8"), output_width=width,
                               background_color="white")
    except Exception as e:  # cairosvg raises several parser errors; one message for the caller
        raise ChartError(f"the chart could not be drawn: {e}") from e
    if not isinstance(png, bytes):  # pragma: no cover - svg2png returns bytes when no write_to is given
        raise ChartError("the chart could not be drawn")
    return png


def png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels, read from the PNG header."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ChartError("not a PNG")
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")
