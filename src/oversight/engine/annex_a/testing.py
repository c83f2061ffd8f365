"""Tiny hand-made Annex A workbooks for tests (no real child data; openpyxl, not the generator).

``default_lists()`` is a small, fully consistent set of rows across all eleven lists, as at
:data:`AS_AT`, that loads with no problem at all. Tests change one value to trigger one rule::

    lists = default_lists()
    lists[7][0]["cpp_end"] = date(2023, 1, 1)      # end before start
    write_workbook(tmp_path / "a.xlsx", lists)

Values are written as given: ``date`` objects become date cells, strings starting with ``=``
become formulas, ``"#N/A"`` becomes an Excel error cell, ``None`` an empty cell.
"""

from __future__ import annotations

import copy
import csv
from datetime import date, datetime
from pathlib import Path
from typing import Any

from openpyxl import Workbook

from oversight.engine.annex_a.schema import get_schema

AS_AT = date(2024, 1, 31)

_C1 = {"child_id": "C1", "gender": "b) Female", "ethnicity": "a) WBRI", "date_of_birth": date(2015, 5, 1), "age": 8}
_C2 = {"child_id": "C2", "gender": "a) Male", "ethnicity": "k) APKN", "date_of_birth": date(2012, 3, 1), "age": 11}
_C3 = {"child_id": "C3", "gender": "a) Male", "ethnicity": "o) BAFR", "date_of_birth": date(2005, 6, 1), "age": 18}
_C4 = {"child_id": "C4", "gender": "b) Female", "ethnicity": "a) WBRI", "date_of_birth": date(2021, 2, 1), "age": 2}
_TEAM = {"allocated_team": "Duty and Assessment", "allocated_worker": "Ann Worker"}

_DEFAULTS: dict[int, list[dict[str, Any]]] = {
    1: [{**_C1, "contact_date": date(2023, 10, 2), "contact_source": "q) 6: Police"}],
    2: [{**_C1, "eh_assessment_start": date(2023, 8, 1), "eh_assessment_end": date(2023, 9, 1),
         "eh_organisation": "Early Help Team"}],
    3: [{**_C1, "referral_date": date(2023, 10, 3), "referral_source": "q) 6: Police", "referral_nfa": "b) No",
         "referrals_last_12m": 1, **_TEAM}],
    4: [{**_C1, "disability": "b) No", "assessment_start": date(2023, 10, 4), "child_seen": "a) Yes",
         "assessment_authorised": date(2023, 11, 20), "requires_support": "a) Yes", **_TEAM}],
    5: [{**_C1, "disability": "b) No", "s47_start": date(2023, 10, 5), "icpc_not_required": "b) No",
         "icpc_date": date(2023, 10, 20), "icpc_cp_plan": "a) Yes", "s47_last_12m": 1, "icpcs_last_12m": 1, **_TEAM}],
    6: [
        {**_C1, "disability": "b) No", "cin_start": date(2023, 10, 3), "primary_need": "N1 - Abuse or neglect",
         "last_seen": date(2024, 1, 10), "cin_closure": None, "closure_reason": None,
         "case_status": "b) Child Protection plan", **_TEAM},
        {**_C2, "disability": "b) No", "cin_start": date(2022, 4, 1), "primary_need": "N1 - Abuse or neglect",
         "last_seen": date(2024, 1, 10), "cin_closure": None, "closure_reason": None,
         "case_status": "a) Looked after child", **_TEAM},
    ],
    7: [{**_C1, "disability": "b) No", "cpp_start": date(2023, 10, 20), "initial_category": "a) Neglect",
         "latest_category": "a) Neglect", "last_visit": date(2024, 1, 15), "seen_alone": "a) Yes",
         "latest_review": date(2024, 1, 5), "cpp_end": None, "epo_last_6m": "b) No", "previous_cpps": 0, **_TEAM}],
    8: [{**_C2, "uasc": "b) No", "disability": "b) No", "cla_start": date(2022, 5, 1),
         "category_of_need": "N1 - Abuse or neglect", "subsequent_period": "b) No",
         "legal_status_start": date(2022, 5, 1), "legal_status": "C2: FCO", "latest_review": date(2023, 12, 1),
         "last_visit": date(2024, 1, 10), "permanence_plan": "f) Long-term fostering",
         "last_iro_contact": date(2023, 12, 1), "last_health_assessment": date(2023, 6, 1),
         "last_dental_check": date(2023, 7, 1), "placements_last_12m": 1, "cla_end": None, "reason_ceased": None,
         "placement_start": date(2022, 5, 1), "placement_type": "f) U6: Foster placement - not FFA",
         "placement_provider": "b) PR1: Own provision", "placement_postcode": "AB1 2CD", "placement_urn": "SC123456",
         "placement_location": "a) In", "placement_la": "Home Town", "missing_last_12m": 0, "absent_last_12m": 0,
         "rhi_offered": None, "rhi_accepted": None, **_TEAM}],
    9: [{**_C3, "uasc": "b) No", "disability": "b) No", "allocated_team": "Leaving Care",
         "allocated_worker": "Ann Worker", "personal_advisor": "Pat Adviser", "eligibility": "b) Former relevant child",
         "pathway_review": date(2023, 12, 1), "in_touch": "a) Yes", "latest_contact": date(2024, 1, 10),
         "accommodation": "U: Independent living", "accommodation_suitable": "a) Suitable",
         "activity": "F2: Full time in education other than higher"}],
    10: [{"child_id": "C4", "family_id": "F1", "gender": "b) Female", "ethnicity": "a) WBRI",
          "date_of_birth": date(2021, 2, 1), "age": 2, "disability": "b) No", "entered_care": date(2022, 1, 10),
          "adm_decision": date(2022, 6, 1), "placement_order": date(2022, 9, 1), "matched": date(2023, 3, 1),
          "placed_for_adoption": date(2023, 4, 1), "adoption_order": date(2023, 10, 1),
          "no_longer_placed_decision": None, "no_longer_placed_reason": None, "ffa_placement": None}],
    11: [{"adopter_id": "A1", "family_id": "F1", "gender": "a) Male", "ethnicity": "a) WBRI", "disability": "b) No",
          "fostering_for_adoption": "b) No", "enquiry_date": date(2022, 1, 5), "stage1_start": date(2022, 2, 1),
          "stage1_end": date(2022, 4, 1), "stage2_start": date(2022, 4, 15), "stage2_end": date(2022, 8, 1),
          "application_submitted": date(2022, 4, 15), "application_approved": date(2022, 9, 1),
          "matched": date(2023, 3, 1), "placed": date(2023, 4, 1), "children_placed": 1,
          "adoption_order": date(2023, 10, 1), "left_process": None, "leaving_reason": None}],
}


def default_lists(numbers: list[int] | None = None) -> dict[int, list[dict[str, Any]]]:
    """A fresh copy of the consistent default rows (all lists, or just ``numbers``)."""
    return {n: copy.deepcopy(rows) for n, rows in _DEFAULTS.items() if numbers is None or n in numbers}


def row(number: int, **changes: Any) -> dict[str, Any]:
    """The first default row of a list, with ``changes``."""
    return {**copy.deepcopy(_DEFAULTS[number][0]), **changes}


def _headers(number: int, version: str, overrides: dict[str, str] | None, drop: list[str] | None,
             extra: list[str] | None) -> list[tuple[str | None, str]]:
    spec = get_schema(version).list(number)
    out = [(c.key, (overrides or {}).get(c.key, c.header)) for c in spec.columns if c.key not in (drop or [])]
    return out + [(None, h) for h in extra or []]


def _get(r: dict[str, Any], key: str | None) -> Any:
    if key is None:
        return None
    if key == "sex" and "sex" not in r:
        return r.get("gender")
    return r.get(key)


def write_workbook(
    path: Path,
    lists: dict[int, list[dict[str, Any]]] | None = None,
    *,
    version: str = "2024",
    sheet_names: dict[int, str] | None = None,
    headers: dict[int, dict[str, str]] | None = None,
    drop_columns: dict[int, list[str]] | None = None,
    extra_columns: dict[int, list[str]] | None = None,
    title_rows: int = 0,
) -> Path:
    """Write an Annex A workbook; ``lists`` maps list number → rows keyed by canonical column."""
    lists = default_lists() if lists is None else lists
    wb = Workbook()
    wb.remove(wb.active)
    for number, rows in lists.items():
        ws = wb.create_sheet((sheet_names or {}).get(number, f"List {number}"))
        for _ in range(title_rows):
            ws.append([f"Annex A List {number} (extracted for testing)"])
        cols = _headers(number, version, (headers or {}).get(number), (drop_columns or {}).get(number),
                        (extra_columns or {}).get(number))
        ws.append([h for _k, h in cols])
        for r in rows:
            ws.append([_get(r, k) for k, _h in cols])
    path = Path(path)
    wb.save(path)
    return path


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.strftime("%d/%m/%Y %H:%M")
    if isinstance(value, date):
        return value.strftime("%d/%m/%Y")
    return str(value)


def write_csv_folder(
    folder: Path,
    lists: dict[int, list[dict[str, Any]]] | None = None,
    *,
    file_names: dict[int, str] | None = None,
    encoding: str = "utf-8",
) -> Path:
    """Write one CSV per list (``List 1.csv`` …) with dates as dd/mm/yyyy text."""
    lists = default_lists() if lists is None else lists
    folder = Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    for number, rows in lists.items():
        cols = _headers(number, "2024", None, None, None)
        name = (file_names or {}).get(number, f"List {number}.csv")
        with (folder / name).open("w", newline="", encoding=encoding) as fh:
            w = csv.writer(fh)
            w.writerow([h for _k, h in cols])
            for r in rows:
                w.writerow([_csv_value(r.get(k)) if k else "" for k, _h in cols])
    return folder
