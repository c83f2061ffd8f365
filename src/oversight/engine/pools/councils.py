"""English local authorities with children's services: code, name, region, statistical neighbours.

The table ships with Oversight (``data/councils.csv``; its header says where every column
came from: the DfE children's services statistical neighbour lists, Open Government
Licence). A pool needs it to know which council a file belongs to, which region a council
is in and which councils are its ten statistical neighbours, so that benchmarks can be
computed from the pooled data (``indicators.py``).

A council is named by its DfE three-digit LA code (``202``), its ONS code (``E09000007``) or
its name (``Camden``, any case, "&" for "and"). Newer neighbour lists (the DfE revises its
model) can be laid over the shipped ones with :func:`read_neighbours_file`, which reads the
layout of the DfE tool's "all neighbours" sheet saved as CSV.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from functools import lru_cache
from pathlib import Path

DATA_FILE = Path(__file__).with_name("data") / "councils.csv"
_CODE = re.compile(r"^\d{3}$")
_ONS = re.compile(r"^E(06|08|09|10)\d{6}$", re.IGNORECASE)


class CouncilError(ValueError):
    """A council that cannot be found, or a neighbours file that cannot be read."""


@dataclass(frozen=True)
class Council:
    la_code: str  # DfE three-digit code, e.g. "202"
    name: str
    region: str  # ONS region, e.g. "London"
    ons_code: str
    status: str  # "current" or "former"
    neighbours: tuple[str, ...]  # DfE codes of its statistical neighbours (10; empty when unknown)

    def as_json(self) -> dict:
        return {"la_code": self.la_code, "name": self.name, "region": self.region, "ons_code": self.ons_code,
                "status": self.status, "neighbours": list(self.neighbours)}


def _key(name: str) -> str:
    """Names compared loosely: case, punctuation, "&"/"and", "City of" and "Borough" ignored."""
    text = name.lower().replace("&", " and ")
    text = re.sub(r"\b(city of|borough|council|county|the)\b", " ", text)
    return re.sub(r"[^a-z0-9]+", "", text)


def _read(text: str) -> dict[str, Council]:
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    out: dict[str, Council] = {}
    for row in csv.DictReader(lines):
        code = row["la_code"].strip()
        out[code] = Council(code, row["name"].strip(), row["region"].strip(), row["ons_code"].strip(),
                            row.get("status", "current").strip() or "current",
                            tuple(row["neighbours"].split()))
    return out


class Councils(Mapping[str, Council]):
    """The table, keyed by LA code, with look-up by code, ONS code or name."""

    def __init__(self, by_code: Mapping[str, Council]):
        self._by_code = dict(by_code)
        self._by_key: dict[str, str] = {}
        for c in self._by_code.values():
            for k in (c.ons_code.upper(), _key(c.name)):
                if c.status == "current" or k not in self._by_key:
                    self._by_key[k] = c.la_code

    def __getitem__(self, code: str) -> Council:
        return self._by_code[code]

    def __iter__(self):
        return iter(self._by_code)

    def __len__(self) -> int:
        return len(self._by_code)

    def current(self) -> list[Council]:
        return [c for c in self._by_code.values() if c.status == "current"]

    def find(self, text: str) -> Council | None:
        """The council named by ``text`` (LA code, ONS code or name), or None."""
        t = text.strip()
        if _CODE.match(t):
            return self._by_code.get(t)
        code = self._by_key.get(t.upper()) if _ONS.match(t) else self._by_key.get(_key(t))
        return self._by_code.get(code) if code else None

    def get_council(self, text: str) -> Council:
        found = self.find(text)
        if found is None:
            raise CouncilError(f"{text!r} is not an English local authority with children's services "
                               "(give its three-digit DfE code, its ONS code or its name)")
        return found

    def from_filename(self, name: str) -> Council | None:
        """The council a pool file is named after: a leading DfE code (``202_camden.xlsx``,
        ``202.xlsx``), an ONS code anywhere (``E09000007 extract.xlsx``) or the whole stem as a
        name (``Camden.xlsx``, ``Kingston upon Thames.xlsx``)."""
        stem = Path(name).stem if Path(name).suffix.lower() in (".xlsx", ".xlsm", ".csv") else Path(name).name
        m = re.match(r"^(\d{3})(?!\d)", stem)
        if m:
            return self._by_code.get(m.group(1))
        m = re.search(r"(?<![A-Za-z0-9])(E(?:06|08|09|10)\d{6})(?!\d)", stem, re.IGNORECASE)
        if m:
            return self.find(m.group(1))
        return self.find(stem)

    def with_neighbours(self, neighbours: Mapping[str, Iterable[str]]) -> Councils:
        """A copy with the given councils' neighbour lists replaced (e.g. from the DfE tool)."""
        out = dict(self._by_code)
        for code, ns in neighbours.items():
            if code in out:
                out[code] = replace(out[code], neighbours=tuple(ns))
        return Councils(out)


@lru_cache(maxsize=1)
def _shipped() -> Councils:
    return Councils(_read(DATA_FILE.read_text(encoding="utf-8")))


def load_councils(neighbours_file: str | Path | None = None) -> Councils:
    """The shipped table; with ``neighbours_file`` (written by ``oversight councils
    load-neighbours``), its lists replace the shipped ones."""
    table = _shipped()
    if neighbours_file and Path(neighbours_file).exists():
        table = table.with_neighbours(read_neighbours_file(neighbours_file, table))
    return table


def read_neighbours_file(path: str | Path, table: Councils | None = None) -> dict[str, tuple[str, ...]]:
    """Neighbour lists from a CSV: the DfE tool's layout (a row per LA: its LA code or name in the
    first columns, then "SN1" … "SN10" — codes or names) or this table's own (``la_code`` and a
    ``neighbours`` column of codes separated by spaces). Every name must resolve to a council."""
    table = table or _shipped()
    raw = Path(path).read_bytes()
    text = raw.decode("utf-8-sig", errors="replace")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    rows = list(csv.reader(io.StringIO("\n".join(lines))))
    head_at = next((i for i, r in enumerate(rows)
                    if any(re.fullmatch(r"\s*(sn\s*1|neighbours)\s*", c, re.I) for c in r)), None)
    if head_at is None:
        raise CouncilError(f"{Path(path).name}: no header with 'SN1' … 'SN10' (the DfE tool's layout) "
                           "or 'neighbours' found")
    head = [c.strip().lower().replace(" ", "") for c in rows[head_at]]
    sn_cols = [i for i, c in enumerate(head) if re.fullmatch(r"sn\d{1,2}", c)]
    nb_col = head.index("neighbours") if "neighbours" in head else None
    key_cols = [i for i, c in enumerate(head) if c in ("la_code", "lacode", "lanumber", "la", "code", "laname",
                                                       "name", "localauthority", "la_name")]
    out: dict[str, tuple[str, ...]] = {}
    for n, row in enumerate(rows[head_at + 1:], start=head_at + 2):
        cells = [c.strip() for c in row]
        if not any(cells):
            continue
        council = next((table.find(cells[i]) for i in key_cols if i < len(cells) and cells[i]), None)
        if council is None and cells:
            council = table.find(cells[0])
        if council is None:
            raise CouncilError(f"{Path(path).name}: line {n}: no council named in {cells[:2]}")
        names = ([cells[i] for i in sn_cols if i < len(cells) and cells[i]] if sn_cols
                 else (cells[nb_col].split() if nb_col is not None and nb_col < len(cells) else []))
        found = []
        for name in names:
            nb = table.find(name)
            if nb is None:
                raise CouncilError(f"{Path(path).name}: line {n}: {name!r} is not a council")
            found.append(nb.la_code)
        out[council.la_code] = tuple(found)
    if not out:
        raise CouncilError(f"{Path(path).name}: no neighbour lists in it")
    return out


def write_neighbours_file(neighbours: Mapping[str, Iterable[str]], path: str | Path, source: str) -> None:
    """Save loaded neighbour lists in this table's layout, with where they came from."""
    buf = io.StringIO()
    buf.write(f"# Statistical neighbours loaded from {source}\n")
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(["la_code", "neighbours"])
    for code in sorted(neighbours):
        w.writerow([code, " ".join(neighbours[code])])
    Path(path).parent.mkdir(parents=True, exist_ok=True)
    Path(path).write_text(buf.getvalue(), encoding="utf-8")
