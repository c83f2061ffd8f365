"""One builder per report: ``build(programme, period, *, for_publication=False) -> data.Report``.

Builders read the database a bounded number of times (whatever the plan's size), format every
figure and return the frozen read model of :mod:`oversight.reports.data`; renderers only print it.
"""

from __future__ import annotations

from importlib import import_module
from typing import Any

from oversight.reports.data import Report

NAMES = ("highlight", "report-card", "tracker", "committee", "risks")
TITLES = {
    "highlight": "Highlight report",
    "report-card": "Report card",
    "tracker": "Improvement action tracker",
    "committee": "Committee cover report",
    "risks": "Risk register",
}
_MODULES = {"highlight": "highlight", "report-card": "report_card", "tracker": "tracker",
            "committee": "committee", "risks": "risks"}


def build(name: str, programme: Any, period: Any, *, for_publication: bool = False, **kwargs: Any) -> Report:
    """Build report ``name`` (one of :data:`NAMES`); KeyError for an unknown name."""
    module = import_module(f"oversight.reports.builders.{_MODULES[name]}")
    return module.build(programme, period, for_publication=for_publication, **kwargs)
