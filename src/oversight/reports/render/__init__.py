"""Renderers: ``render(report) -> bytes`` for html, docx, xlsx and pdf; they only read :mod:`oversight.reports.data`."""
