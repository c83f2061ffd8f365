"""HTML for a report: the body shown on the site's pages, and a standalone document for downloads.

The page (``reports/report.html``) includes :func:`body`; the download and the PDF use
:func:`render`, a whole HTML document whose print stylesheet lays it on A4 (landscape where the
seed is landscape). Both come from the same templates over the same read model.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from oversight.reports.data import Chart, Paragraph, Report, Table

CSS = Path(__file__).resolve().parent.parent / "static" / "reports" / "reports.css"


@lru_cache(maxsize=1)
def stylesheet() -> str:
    return CSS.read_text(encoding="utf-8")


def body(report: Report) -> SafeString:
    """The report's content (title, meta, sections) as HTML for a page of the site."""
    return mark_safe(render_to_string("reports/_report_body.html", {"report": report}))  # noqa: S308


def render(report: Report, *, inline_css: bool = True) -> bytes:
    """A standalone HTML document (its stylesheet embedded, so the file prints the same anywhere)."""
    html = render_to_string("reports/document.html", {
        "report": report, "body": body(report), "css": mark_safe(stylesheet()) if inline_css else "",  # noqa: S308
        "page": "a4-landscape" if report.landscape else "a4-portrait",
    })
    return html.encode("utf-8")


__all__ = ["Chart", "Paragraph", "Table", "body", "render", "stylesheet"]
