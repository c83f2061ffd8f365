"""Load and check the indicator catalogue (``catalogue.yaml``): indicators are data.

Adding an indicator is adding an entry to the YAML and a hand-worked test. This module turns
the YAML into typed ``Indicator`` objects, substitutes the council's settings (``params``)
and shared SQL fragments, and refuses a catalogue whose entries are incomplete or
inconsistent, naming the entry and the problem, so a broken catalogue fails at load time
rather than half-way through a run.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml

CATALOGUE_PATH = Path(__file__).with_name("catalogue.yaml")
PERIOD_TYPES = ("flow", "snapshot", "extract")
POLARITIES = ("high", "low", "none")
UNITS = ("count", "percent", "days")
_PLACEHOLDER = re.compile(r"\{([a-z_][a-z0-9_]*)\}")


class CatalogueError(ValueError):
    """The catalogue (or a council's overrides) cannot be used; the message says where and why."""


@dataclass(frozen=True)
class Indicator:
    id: str
    name: str
    theme: str
    table: str
    period_type: str
    polarity: str
    unit: str
    cohort: str
    numerator: str | None
    needs: tuple[str, ...]
    distinct: str | None = None
    definition: str = ""
    source: str = ""

    @property
    def lists(self) -> tuple[str, ...]:
        return (self.table,)


@dataclass(frozen=True)
class TableInfo:
    name: str
    team: str | None
    worker: str | None


@dataclass(frozen=True)
class Catalogue:
    version: int
    themes: dict[str, str]
    tables: dict[str, TableInfo]
    params: dict[str, Any]
    indicators: tuple[Indicator, ...]
    by_id: dict[str, Indicator] = field(repr=False)

    def __iter__(self):
        return iter(self.indicators)

    def __len__(self) -> int:
        return len(self.indicators)

    def __getitem__(self, indicator_id: str) -> Indicator:
        try:
            return self.by_id[indicator_id]
        except KeyError:
            raise CatalogueError(f"no indicator with id {indicator_id!r}") from None

    def ids(self) -> list[str]:
        return [i.id for i in self.indicators]


def _expand(text: str, values: Mapping[str, Any], where: str, depth: int = 0) -> str:
    """Substitute ``{name}`` from settings and fragments (fragments may use settings)."""
    if depth > 5:
        raise CatalogueError(f"{where}: placeholders nest too deeply")

    def sub(m: re.Match) -> str:
        key = m.group(1)
        if key not in values:
            raise CatalogueError(f"{where}: unknown placeholder {{{key}}}")
        return str(values[key])

    out = _PLACEHOLDER.sub(sub, text)
    return _expand(out, values, where, depth + 1) if _PLACEHOLDER.search(out) else out


def _require(entry: Mapping, key: str, where: str) -> Any:
    if entry.get(key) in (None, ""):
        raise CatalogueError(f"{where}: missing {key!r}")
    return entry[key]


def parse_catalogue(data: Mapping, params: Mapping[str, Any] | None = None) -> Catalogue:
    """Validate a catalogue mapping; ``params`` overrides the defaults it declares."""
    if not isinstance(data, Mapping):
        raise CatalogueError("catalogue: expected a mapping at the top level")
    defaults = dict(data.get("params") or {})
    unknown = set(params or {}) - set(defaults)
    if unknown:
        raise CatalogueError(f"catalogue: unknown setting(s) {', '.join(sorted(unknown))}; "
                             f"known: {', '.join(sorted(defaults))}")
    settings = {**defaults, **(params or {})}
    fragments = dict(data.get("fragments") or {})
    values = {**settings, **fragments}
    themes = dict(_require(data, "themes", "catalogue"))
    tables = {name: TableInfo(name, (t or {}).get("team"), (t or {}).get("worker"))
              for name, t in dict(_require(data, "tables", "catalogue")).items()}

    indicators: list[Indicator] = []
    seen: set[str] = set()
    for n, e in enumerate(_require(data, "indicators", "catalogue"), start=1):
        where = f"catalogue entry {n} ({e.get('id', '?')})"
        iid = _require(e, "id", where)
        if iid in seen:
            raise CatalogueError(f"{where}: duplicate id")
        seen.add(iid)
        for key, allowed in (("period_type", PERIOD_TYPES), ("polarity", POLARITIES), ("unit", UNITS)):
            if _require(e, key, where) not in allowed:
                raise CatalogueError(f"{where}: {key} {e[key]!r} is not one of {', '.join(allowed)}")
        if _require(e, "theme", where) not in themes:
            raise CatalogueError(f"{where}: theme {e['theme']!r} is not declared under themes")
        if _require(e, "table", where) not in tables:
            raise CatalogueError(f"{where}: table {e['table']!r} is not declared under tables")
        numerator = e.get("numerator")
        if e["unit"] == "count" and numerator:
            raise CatalogueError(f"{where}: a count has a cohort only, not a numerator")
        if e["unit"] != "count" and not numerator:
            raise CatalogueError(f"{where}: a {e['unit']} indicator needs a numerator")
        needs = tuple(_require(e, "needs", where))
        indicators.append(Indicator(
            id=iid, name=_require(e, "name", where), theme=e["theme"], table=e["table"],
            period_type=e["period_type"], polarity=e["polarity"], unit=e["unit"],
            cohort=" ".join(_expand(str(_require(e, "cohort", where)), values, where).split()),
            numerator=" ".join(_expand(str(numerator), values, where).split()) if numerator else None,
            needs=needs, distinct=e.get("distinct"),
            definition=" ".join(str(e.get("definition", "")).split()),
            source=" ".join(str(e.get("source", "")).split()),
        ))
    return Catalogue(version=int(data.get("version", 1)), themes=themes, tables=tables,
                     params=settings, indicators=tuple(indicators), by_id={i.id: i for i in indicators})


@lru_cache(maxsize=1)
def _raw() -> dict:
    return yaml.safe_load(CATALOGUE_PATH.read_text(encoding="utf-8"))


def load_catalogue(params: Mapping[str, Any] | None = None) -> Catalogue:
    """The packaged catalogue, with any council settings applied."""
    if not params:
        return _default()
    return parse_catalogue(_raw(), params)


@lru_cache(maxsize=1)
def _default() -> Catalogue:
    return parse_catalogue(_raw())
