"""Reading a due date out of the officer's own words in the "When?" column.

Officers write "Sept - Nov 2017", "By end Sept 17", "Dec 2016", "31 March 2017", "9.12.16",
"Phase 2" or "From Jan 2017 and ongoing". We keep their words and add a date where one can be
read: a range or a month means the end of its last month; several dates mean the latest;
"from … ongoing" has a start but no due date; words alone ("Phase 2", "Ongoing") have none.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re

MONTHS = {
    "jan": 1, "january": 1, "feb": 2, "february": 2, "mar": 3, "march": 3, "apr": 4, "april": 4,
    "may": 5, "jun": 6, "june": 6, "jul": 7, "july": 7, "aug": 8, "august": 8,
    "sep": 9, "sept": 9, "september": 9, "oct": 10, "october": 10, "nov": 11, "november": 11,
    "dec": 12, "december": 12,
}
_MONTH = r"(jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?|tember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)"
_YEAR = r"((?:19|20)\d\d|'?\d\d)(?![\d.])"

# 31 March 2017, 1st September 2017, 16th March
_DAY_MONTH_YEAR = re.compile(rf"\b(\d{{1,2}})(?:st|nd|rd|th)?\s+{_MONTH}\.?,?\s+{_YEAR}", re.I)
# 9.12.16, 31/03/2017, 13/12/12
_NUMERIC = re.compile(r"(?<![\d.])(\d{1,2})[./](\d{1,2})[./](\d{4}|\d{2})(?![\d.])")
# ISO 2017-03-31
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")
# Sept 2017, Sept 17, Nov '17
_MONTH_YEAR = re.compile(rf"\b{_MONTH}\.?,?\s*{_YEAR}", re.I)
# Sept - Nov 2017 (first month takes the year of the last)
_MONTH_RANGE = re.compile(rf"\b{_MONTH}\s*(?:-|–|—|to)\s*{_MONTH}\.?\s*{_YEAR}", re.I)
# Q3 2017/18
_QUARTER = re.compile(r"\bQ([1-4])\s*(20\d\d)\s*/\s*(\d\d)\b", re.I)
_ONGOING_FROM = re.compile(r"\b(from|starting)\b.*\b(ongoing|onwards)\b", re.I)
_FROM_ONLY = re.compile(r"\b(from|starting|commencing)\b", re.I)
_END_WORDS = re.compile(r"\b(by|to|until|till|end)\b|[-–—]", re.I)


def _year(text: str) -> int:
    """A two-digit year is this century's ("Sept 17"); four digits are read as written."""
    text = text.lstrip("'")
    value = int(text)
    return value + 2000 if len(text) <= 2 else value


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _safe_date(year: int, month: int, day: int) -> dt.date | None:
    try:
        return dt.date(year, month, day)
    except ValueError:
        return None


def find_dates(text: str) -> list[dt.date]:
    """Every date that can be read in ``text``, months standing for their last day."""
    found: list[dt.date] = []
    consumed = text
    for m in _DAY_MONTH_YEAR.finditer(text):
        before = text[: m.start()]
        if re.search(rf"{_MONTH}\.?\s*$", before, re.I):
            continue  # "Sept 17 Oct 17": 17 is Sept's year, not a day of October
        if re.search(r"\b(phase|stage|step|version|v|q|wave|part)\s*$", before, re.I):
            continue  # "Phase 2 Mar 2017": 2 names the phase; the month stands alone
        d = _safe_date(_year(m.group(3)), MONTHS[m.group(2).lower()], int(m.group(1)))
        if d:
            found.append(d)
        consumed = consumed.replace(m.group(0), " ")
    for m in _ISO.finditer(consumed):
        d = _safe_date(int(m.group(1)), int(m.group(2)), int(m.group(3)))
        if d:
            found.append(d)
        consumed = consumed.replace(m.group(0), " ")
    for m in _NUMERIC.finditer(consumed):
        d = _safe_date(_year(m.group(3)), int(m.group(2)), int(m.group(1)))
        if d:
            found.append(d)
        consumed = consumed.replace(m.group(0), " ")
    for m in _QUARTER.finditer(consumed):
        q, start = int(m.group(1)), int(m.group(2))
        month = {1: 6, 2: 9, 3: 12, 4: 3}[q]
        found.append(_month_end(start + (1 if q == 4 else 0), month))
        consumed = consumed.replace(m.group(0), " ")
    for m in _MONTH_RANGE.finditer(consumed):
        found.append(_month_end(_year(m.group(3)), MONTHS[m.group(2).lower()]))
        consumed = consumed.replace(m.group(0), " ")
    for m in _MONTH_YEAR.finditer(consumed):
        found.append(_month_end(_year(m.group(2)), MONTHS[m.group(1).lower()]))
    return found


def parse_due(text: str | None) -> dt.date | None:
    """The due date an officer meant by ``text``, or None when no date can be read."""
    if not text:
        return None
    if _ONGOING_FROM.search(text) and not re.search(r"\bby\b", text, re.I):
        return None
    if _FROM_ONLY.search(text) and not _END_WORDS.search(text):
        return None  # "Quarterly from Jan 2020": a start, not a deadline
    dates = find_dates(text)
    return max(dates) if dates else None
