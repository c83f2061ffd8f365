"""``--messy``: make a clean synthetic workbook look like a real council export.

Two kinds of mess, kept apart on purpose:

* **Tolerable variation** the loader must accept without complaint (it happens in every
  council): dates as ``dd/mm/yyyy`` text, ISO text or bare Excel serial numbers; picklist values
  without their ``a)`` prefix (``Yes``, ``U6``); header spellings that differ in case, spacing,
  non-breaking spaces, a stray ``)`` or a known variant (``Date of Referral``, ``Age``);
  fractional ages; child ids stored as numbers; non-breaking spaces in workers' names.
* **Planted problems** the loader must report, a handful per list so indicators stay
  meaningful: an unparseable date, a code outside the picklist, ``#N/A``, a date after the
  as-at date, an end before its start, a duplicated row. Each is logged (sheet, row, column,
  kind, value) so tests and the loader's author can check every one is caught.

The data underneath are the clean data: the same seed gives the same children with and without
``--messy``; only their spelling changes, plus the planted problems and the duplicates.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import asdict, dataclass

from oversight.engine.annex_a.schema import ListSpec, SchemaVersion
from oversight.engine.synth.dates import excel_serial, fractional_age

PLANTED_KINDS = ("bad_date", "bad_code", "na", "future_date", "end_before_start", "duplicate")

# (start, end) column pairs where an end before its start is a contradiction.
END_PAIRS = {
    2: ("eh_assessment_start", "eh_assessment_end"),
    4: ("assessment_start", "assessment_authorised"),
    5: ("s47_start", "icpc_date"),
    6: ("cin_start", "cin_closure"),
    7: ("cpp_start", "cpp_end"),
    8: ("cla_start", "cla_end"),
    10: ("entered_care", "placed_for_adoption"),
    11: ("stage1_start", "stage1_end"),
}
# Values seen in real exports that are not on the picklist.
BAD_CODES = {
    "primary_need": "PSRMEM - Support with memory and cognition",
    "gender": "Unknown gender",
    "ethnicity": "White - English",
    "placement_type": "U7: Foster placement - other",
    "legal_status": "C3: Interim supervision order",
    "contact_source": "Social media",
    "referral_source": "Self referral (online)",
    "case_status": "f) Pending",
    "in_touch": "Maybe",
    "accommodation": "Q: Hotel",
    "activity": "NEET",
}
BAD_DATES = ("31/02/{y}", "TBC", "N/K", "{y}-13-05", "00/00/0000", "12.31.{y}")
DATE_STYLES = ("date", "dmy", "iso", "serial")


@dataclass(frozen=True)
class Planted:
    """One planted problem: where it is and what it is."""

    sheet: str
    row: int  # Excel row number (header = 1)
    column: str  # the header text as written
    key: str  # canonical column name
    kind: str
    value: str

    def as_dict(self) -> dict:
        return asdict(self)


def _bare(code: str, text: str) -> str:
    """The value without its letter prefix: the DfE code when there is one (``U6``), else the text
    after the prefix (``Yes``). That is exactly the canonical code of ``docs/annex-a-tables.md``."""
    return code


class Messiness:
    """Decides, deterministically from the seed, how each list is made messy."""

    def __init__(self, seed: int, as_at: dt.date, schema: SchemaVersion, counts: dict[int, int]) -> None:
        self.rng = random.Random(f"oversight-synth:{seed}:messy")
        self.as_at = as_at
        self.log: list[Planted] = []
        rng = self.rng
        numbers = [s.number for s in schema.lists]
        self.fractional_age = set(rng.sample([n for n in numbers if n != 11], 3))
        self.numeric_ids = set(rng.sample([n for n in numbers if n != 11], 2))
        self.nbsp_names = set(rng.sample([3, 4, 5, 6, 7, 8, 9], 2))
        self.date_style: dict[tuple[int, str], str] = {}
        self.code_style: dict[tuple[int, str], str] = {}
        self.header_text: dict[int, list[str]] = {}
        self.plan: dict[int, dict[int, list[str]]] = {}
        self.pending: dict[int, list[str]] = {}
        self.ordinal: dict[int, int] = {}
        for spec in schema.lists:
            for c in spec.columns:
                if c.type == "date":
                    self.date_style[(spec.number, c.key)] = rng.choices(DATE_STYLES, weights=(50, 25, 10, 15))[0]
                elif c.type == "code":
                    self.code_style[(spec.number, c.key)] = "bare" if rng.random() < 0.3 else "text"
            self.header_text[spec.number] = self._headers(spec)
            n = counts.get(spec.number, 0)
            kinds = [k for k in PLANTED_KINDS if k != "end_before_start" or spec.number in END_PAIRS]
            k = min(len(kinds), max(1, n // 8)) if n else 0
            chosen = rng.sample(kinds, k)
            rows = sorted(rng.sample(range(n), k)) if k else []
            self.plan[spec.number] = {}
            for r, kind in zip(rows, chosen, strict=True):
                self.plan[spec.number].setdefault(r, []).append(kind)
            self.pending[spec.number] = []
            self.ordinal[spec.number] = 0

    # ------------------------------------------------------------------ headers
    def _headers(self, spec: ListSpec) -> list[str]:
        rng = self.rng
        out = [c.header for c in spec.columns]
        forced = {}
        if spec.number == 3:
            forced["referral_date"] = "Date of Referral"
        if spec.number == 8:
            forced["uasc"] = spec.column("uasc").header + ")"
        for i, c in enumerate(spec.columns):
            if c.key in forced:
                out[i] = forced[c.key]
        if spec.number in self.fractional_age:
            i = [c.key for c in spec.columns].index("age")
            out[i] = "Age"
        free = [i for i, c in enumerate(spec.columns) if c.key not in forced and c.key != "age"]
        for i in rng.sample(free, min(3, len(free))):
            h, col = out[i], spec.columns[i]
            how = rng.choice(("variant", "case", "stray", "spaces", "nbsp"))
            if how == "variant" and col.variants:
                out[i] = rng.choice(col.variants)
            elif how in ("case", "variant"):
                out[i] = h.upper() if rng.random() < 0.3 else h.lower()
            elif how == "stray":
                out[i] = h + ")"
            elif how == "spaces":
                out[i] = " " + h.replace(" ", "  ", 1) + " "
            else:
                out[i] = h.replace(" ", "\u00a0", 1)
        return out

    def headers(self, spec: ListSpec) -> list[str]:
        return self.header_text[spec.number]

    # ------------------------------------------------------------------ cells
    def _date(self, n: int, key: str, d: dt.date) -> object:
        style = self.date_style[(n, key)]
        if self.rng.random() < 0.03:
            style = self.rng.choice(DATE_STYLES)
        if style == "dmy":
            return d.strftime("%d/%m/%Y")
        if style == "iso":
            return d.isoformat()
        if style == "serial":
            return excel_serial(d)
        return d

    def _code(self, n: int, key: str, code: str, text: str) -> str:
        style = self.code_style[(n, key)]
        if self.rng.random() < 0.03:
            style = "bare" if style == "text" else "text"
        return _bare(code, text) if style == "bare" else text

    def transform(self, spec: ListSpec, row: dict, cells: list[object], excel_row: int) -> list[list[object]]:
        """The row(s) to write for one clean row: restyled, perhaps with a planted problem."""
        n = spec.number
        out = list(cells)
        for i, col in enumerate(spec.columns):
            v = out[i]
            if v is None:
                continue
            if col.type == "date" and isinstance(v, dt.date):
                out[i] = self._date(n, col.key, v)
            elif col.type == "code":
                code = row.get(col.key) if col.key != "sex" else row.get("sex", row.get("gender"))
                out[i] = self._code(n, col.key, str(code), str(v))
            elif col.key == "age" and n in self.fractional_age and row.get("date_of_birth"):
                out[i] = fractional_age(row["date_of_birth"], self.as_at)
            elif col.key == "child_id" and n in self.numeric_ids and str(v).isdigit():
                out[i] = int(str(v))
            elif col.key in ("allocated_worker", "personal_advisor") and n in self.nbsp_names:
                out[i] = str(v).replace(" ", "\u00a0")
        ordinal = self.ordinal[n]
        self.ordinal[n] = ordinal + 1
        self.pending[n].extend(self.plan[n].get(ordinal, ()))
        duplicate = False
        left = []
        for kind in self.pending[n]:
            if kind == "duplicate":
                duplicate = True
                self._log(spec, excel_row + 1, 0, kind, f"(copy of row {excel_row})")
            elif not self._plant(spec, row, out, kind, excel_row):
                left.append(kind)
        self.pending[n] = left
        return [out, list(out)] if duplicate else [out]

    # ------------------------------------------------------------------ planted problems
    def _log(self, spec: ListSpec, excel_row: int, i: int, kind: str, value: object) -> None:
        self.log.append(Planted(f"List {spec.number}", excel_row, self.header_text[spec.number][i],
                                spec.columns[i].key, kind, str(value)))

    def _plant(self, spec: ListSpec, row: dict, out: list[object], kind: str, excel_row: int) -> bool:
        rng = self.rng
        cols = spec.columns
        filled = [i for i, c in enumerate(cols) if out[i] is not None]
        if kind == "end_before_start":
            s_key, e_key = END_PAIRS[spec.number]
            start = row.get(s_key)
            if start is None or not isinstance(start, dt.date):
                return False
            i = [c.key for c in cols].index(e_key)
            out[i] = start - dt.timedelta(days=rng.randint(1, 60))
        elif kind in ("bad_date", "future_date"):
            dates = [i for i in filled if cols[i].type == "date"]
            if not dates:
                return False
            i = rng.choice(dates)
            if kind == "bad_date":
                out[i] = rng.choice(BAD_DATES).format(y=self.as_at.year)
            else:
                out[i] = self.as_at + dt.timedelta(days=rng.randint(3, 90))
        elif kind == "bad_code":
            codes = [i for i in filled if cols[i].type == "code"]
            if not codes:
                return False
            i = rng.choice(codes)
            out[i] = BAD_CODES.get(cols[i].key, "z) Not on the list")
        elif kind == "na":
            choices = [i for i in filled if cols[i].key not in ("child_id", "adopter_id")]
            if not choices:
                return False
            i = rng.choice(choices)
            out[i] = "#N/A"
        else:
            return False
        self._log(spec, excel_row, i, kind, out[i])
        return True
