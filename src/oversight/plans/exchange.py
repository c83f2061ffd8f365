"""Sections of the programme JSON that other apps own (risks, status reports, local measures …).

``oversight plan export --format json`` writes the plan and then every registered section
under its own key; importing that JSON gives each section back to its owner inside the same
transaction as the plan, so a bad value anywhere refuses the whole file. The plan app defines
the hook and never imports the apps that register with it: dependencies point one way.

An app registers in its ``AppConfig.ready``::

    exchange.register(exchange.Section("risks", export_risks, import_risks, order=50))

``export(programme) -> list`` returns plain JSON data; ``load(programme, items, filename)``
validates and writes, raising ``PlanImportError`` with the path of the bad value
(``risks[2].probability: expected a whole number 1–5, found 7``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

Exporter = Callable[[Any], list]
Loader = Callable[[Any, list, str], None]


@dataclass(frozen=True)
class Section:
    key: str
    export: Exporter
    load: Loader
    order: int = 100  # loaded in this order: sections others refer to come first


_SECTIONS: dict[str, Section] = {}


def register(section: Section) -> None:
    _SECTIONS[section.key] = section


def sections() -> list[Section]:
    return sorted(_SECTIONS.values(), key=lambda s: (s.order, s.key))


def section_keys() -> set[str]:
    return set(_SECTIONS)


def export_sections(programme) -> dict[str, list]:
    return {s.key: s.export(programme) for s in sections()}


def import_sections(programme, data: dict[str, Any], filename: str) -> None:
    """Hand each registered section of an imported JSON document to its owner (in a transaction)."""
    from oversight.plans.importers.draft import PlanImportError

    for s in sections():
        if s.key not in data or data[s.key] is None:
            continue
        items = data[s.key]
        if not isinstance(items, list):
            raise PlanImportError(f"{filename}: {s.key}: expected a list")
        s.load(programme, items, filename)
