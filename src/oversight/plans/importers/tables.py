"""Turning the rows of a plan table (from Excel or Word) into a draft plan.

Both file readers hand over the same thing: rows of cells, in reading order, each with its
place in the file. This module finds the header, skips page furniture and repeated headers,
and reads each row by its shape, as an officer would:

Tracker layout (seed 000)
    * ``1 | CHILDREN IN NEED…`` (a title in capitals, nothing else) or ``Theme 1 | …`` → a theme;
    * ``1 | Ensure that assessments are timely…`` (number and text only) → a recommendation;
    * ``1.6 | Consistent application…`` with Who?/How?/… → an action; an action with the same
      number and title seen again (the "completed as at" part repeats 1.6) continues that action;
    * a row with empty NOS and What? → more of the action above: owners, steps (with that row's
      status), When?, success measures and notes;
    * "Actions Completed As At 1st September 2017" → actions after it that are done get that
      completion date.

Action-plan layout (seed 002)
    * a row with a Rec No or Recommendation → a recommendation with one action whose steps are
      the Action bullets; Progress/Outcome/Measure is kept as the success measure; Resources
      gives resources, cost, funding source and (if any text in it is bold) additional revenue;
    * a row with neither → more of the row above (later time scales and lead people);
    * a row with one cell of text → the theme for the recommendations that follow;
    * a KEY table (initials | name | role) → the people that initials stand for.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from oversight.plans.importers import text as tx
from oversight.plans.importers.draft import (
    DraftAction,
    DraftNote,
    DraftProgramme,
    DraftRecommendation,
    DraftStep,
    DraftTheme,
    PlanImportError,
)
from oversight.plans.importers.layouts import (
    ACTION_PLAN,
    LAYOUTS,
    TRACKER,
    Header,
    find_header,
    match_key_header,
    match_layout,
)
from oversight.plans.models import DONE_STATUSES, Status

UNDATED_AUTHOR = "imported (undated)"
DEFAULT_THEME = "Improvement plan"
_THEME_REF = re.compile(r"^theme\s*\d*$", re.I)
_REC_REF = re.compile(r"^rec(?:ommendation)?\.?\s+(\S.*)$", re.I)
_REF_LIKE = re.compile(r"^[A-Za-z]{0,3}\s?\d+(?:[.\-]\d+)*[a-z]?\.?$")


@dataclass
class Cell:
    text: str
    bold: bool = False


@dataclass
class RawRow:
    """One table row (or, in Word, one paragraph between tables) in reading order."""

    cells: list[Cell]
    where: str
    paragraph: bool = False
    table: int | None = None  # which Word table; a new table may continue the last header

    def texts(self) -> list[str]:
        return [c.text for c in self.cells]

    def filled(self) -> list[int]:
        return [i for i, c in enumerate(self.cells) if c.text.strip()]


@dataclass
class _Scratch:
    """What an action collects over its rows before it can be finished."""

    layout: str
    owner_texts: list[tuple[str, str]] = field(default_factory=list)  # (cell text, where)
    when_lines: list[str] = field(default_factory=list)
    resources_bold: bool = False
    rec: DraftRecommendation | None = None


def _at(texts: list[str], i: int) -> str:
    return texts[i] if 0 <= i < len(texts) else ""


class PlanReader:
    """Reads row streams (one per sheet or document) into one :class:`DraftProgramme`."""

    def __init__(self, filename: str, *, today: dt.date, default_source: str | None = None) -> None:
        self.filename = filename
        self.today = today
        self.default_source = tx.normalise_source_label(default_source) if default_source else None
        self.draft = DraftProgramme()
        self.key: list[tuple[str, str, str, str]] = []  # initials, name, role, where
        self.found_table = False
        self.near_miss: tuple[Header, RawRow] | None = None
        self.undated = 0
        self._scratch: dict[int, _Scratch] = {}
        self._reset_position()
        self.completed_date: dt.date | None = None

    def _reset_position(self) -> None:
        self.theme: DraftTheme | None = None
        self.rec: DraftRecommendation | None = None
        self.action: DraftAction | None = None
        self.pending_theme: tuple[str, str] | None = None

    # ------------------------------------------------------------------------------------------
    def fail(self, where: str, message: str) -> None:
        raise PlanImportError(f"{self.filename}: {where}: {message}" if where else f"{self.filename}: {message}")

    def warn(self, where: str, message: str) -> None:
        self.draft.warnings.append(f"{where}: {message}" if where else message)

    # ------------------------------------------------------------------------------------------
    def read_key_rows(self, rows: list[RawRow]) -> None:
        """A KEY table or sheet: initials | name | role (a header row of those words is optional)."""
        cols = {"initials": 0, "name": 1, "role": 2}
        for row in rows:
            texts = [tx.one_line(t) for t in row.texts()]
            if not any(texts):
                continue
            hdr = match_key_header(texts)
            if hdr:
                cols = {"role": -1, **hdr}
                continue
            if len([t for t in texts if t]) == 1 and re.fullmatch(r"key:?", texts[row.filled()[0]], re.I):
                continue

            initials, name, role = (_at(texts, cols.get(f, -1)) for f in ("initials", "name", "role"))
            if name or initials:
                self.key.append((initials, name or initials, role, row.where))

    # ------------------------------------------------------------------------------------------
    def feed(self, rows: list[RawRow]) -> None:
        """One sheet, or one Word document's tables and paragraphs, in order."""
        header: Header | None = None
        last_table: int | None = None
        key_mode = False
        skipped_table: int | None = None
        for row in rows:
            texts = [tx.clean(t) for t in row.texts()]
            filled = [i for i, t in enumerate(texts) if t]
            if not filled:
                continue
            if row.table is not None and row.table != last_table:
                last_table = row.table
                if header and len(row.cells) != header.ncols:
                    header = None
                key_mode = False
            single = texts[filled[0]] if len(filled) == 1 else None

            if single is not None and self._heading(single, row, header):
                key_mode = bool(re.fullmatch(r"key:?", tx.one_line(single), re.I))
                continue
            if row.paragraph:
                continue
            found = find_header([tx.one_line(t) for t in texts])
            if found:
                found.where = row.where
                if found.missing():
                    self.near_miss = self.near_miss or (found, row)
                    continue
                header = found
                self.found_table = True
                key_mode = False
                if header.layout is TRACKER:
                    self.pending_theme = None
                continue
            if key_mode and len(filled) >= 2 and tx.looks_like_initials(tx.one_line(texts[filled[0]])):
                self.key.append((tx.one_line(texts[filled[0]]), tx.one_line(texts[filled[1]]),
                                 tx.one_line(texts[filled[2]]) if len(filled) > 2 else "", row.where))
                continue
            if header is None:
                if self.found_table and row.table is not None and row.table != skipped_table:
                    skipped_table = row.table
                    self.warn(row.where, "this table has no header row and not the columns of the table "
                                         "before it; it is left out")
                continue
            if header.layout is TRACKER:
                self._tracker_row(header, row, texts)
            else:
                self._action_plan_row(header, row, texts)

    def _heading(self, single: str, row: RawRow, header: Header | None) -> bool:
        """Rows of one cell that are not plan content: page furniture, section headings, KEY."""
        line = tx.one_line(single)
        if tx.is_furniture(line):
            return True
        done = tx.completed_as_at(line)
        if done:
            self.completed_date = done
            return True
        if re.fullmatch(r"key:?", line, re.I):
            return True
        if header is None or row.paragraph:
            # A short line before a table may name the theme of the action plan that follows.
            plan_layout = header is None or header.layout is ACTION_PLAN
            if plan_layout and len(line) <= 150 and not tx.safe_dates(line) and not _REF_LIKE.match(line):
                self.pending_theme = (line, row.where)
            return True
        if header.layout is ACTION_PLAN:
            col = row.filled()[0]
            heading_cols = {header.columns.get("ref"), header.columns.get("recommendation")}
            if (col in heading_cols and len(line.split()) <= 10 and not line.endswith(".")
                    and not _REF_LIKE.match(line)):
                self.pending_theme = (line, row.where)
                self.rec = None
                self.action = None
                return True
        return False

    # ------------------------------------------------------------------------------------------
    # shared building blocks
    def _theme(self, title: str, where: str) -> DraftTheme:
        key = tx.norm_key(title)
        for t in self.draft.themes:
            if tx.norm_key(t.title) == key:
                self.theme = t
                return t
        t = DraftTheme(title=title, where=where)
        self.draft.themes.append(t)
        self.theme = t
        return t

    def _current_theme(self, where: str) -> DraftTheme:
        if self.pending_theme:
            title, twhere = self.pending_theme
            self.pending_theme = None
            return self._theme(title, twhere)
        return self.theme or self._theme(DEFAULT_THEME, where)

    def _recommendation(self, ref: str, text: str, where: str) -> DraftRecommendation:
        key = tx.norm_key(text)
        for t in self.draft.themes:
            for r in t.recommendations:
                if tx.norm_key(r.text) == key and (not ref or not r.ref or r.ref == ref):
                    self.theme, self.rec, self.action = t, r, None
                    r.ref = r.ref or ref
                    return r
        theme = self._current_theme(where)
        r = DraftRecommendation(text=text, ref=ref, where=where)
        theme.recommendations.append(r)
        self.rec, self.action = r, None
        return r

    def _rec_for_action(self, ref: str, where: str) -> DraftRecommendation:
        prefix = ref.rsplit(".", 1)[0] if "." in ref else ""
        # In the "completed as at" part, actions follow no recommendation row of their own:
        # 1.3 belongs to recommendation 1 wherever it was. Elsewhere the row above decides.
        jump = self.rec is None or self.completed_date is not None
        if prefix and jump and not (self.rec and self.rec.ref == prefix):
            for t in self.draft.themes:
                for r in t.recommendations:
                    if r.ref == prefix:
                        self.theme, self.rec = t, r
                        return r
        if self.rec:
            return self.rec
        theme = self._current_theme(where)
        text = f"Recommendation {prefix}" if prefix else "Actions"
        self.warn(where, f"action {ref} comes before any recommendation row; it is put under "
                         f"a recommendation called {text!r}".replace("action  ", "an action "))
        r = DraftRecommendation(text=text, ref=prefix, where=where)
        theme.recommendations.append(r)
        self.rec = r
        return r

    def _status(self, text: str, where: str, column: str) -> tx.StatusReading:
        reading = tx.parse_status(text)
        if reading.status is None:
            self.warn(where, f"status {tx.one_line(text)!r} in column {column!r} is not one the plan knows; "
                             f"read as 'Not started'")
            return tx.StatusReading(Status.NOT_STARTED.value, None)
        return reading

    def _notes(self, action: DraftAction, text: str, where: str, continuing: bool = False) -> None:
        for i, frag in enumerate(tx.split_notes(text)):
            if i == 0 and continuing and action.notes and frag.text[:1].islower():
                last = action.notes[-1]  # a note cut by a page break runs on in the next row
                last.text = f"{last.text} {frag.text}"
                if frag.date:
                    if last.author_name == UNDATED_AUTHOR:
                        last.author_name = frag.author
                        self.undated -= 1
                    last.date = frag.date
                continue
            date = frag.date or (action.notes[-1].date if action.notes else None)
            author = frag.author
            if date is None:
                date, author = self.today, author or UNDATED_AUTHOR
                self.undated += 1
            action.notes.append(DraftNote(date=date, text=frag.text, author_name=author, where=where))

    def _steps(self, action: DraftAction, how: str, continuing: bool, where: str) -> list[DraftStep]:
        carried, texts = tx.split_steps(how, continuing=continuing)
        if carried:
            if action.steps:
                action.steps[-1].text = f"{action.steps[-1].text} {carried}"
            else:
                texts.insert(0, carried)
        steps = [DraftStep(text=t, where=where) for t in texts]
        action.steps.extend(steps)
        return steps

    @staticmethod
    def _give_whens(steps: list[DraftStep], when: str, whole_if_mismatch: bool) -> bool:
        wl = tx.lines(when)
        if steps and len(wl) == len(steps) and (len(steps) >= 2 or whole_if_mismatch):
            for s, w in zip(steps, wl, strict=True):
                s.when_text, s.due = w, tx.due_from(w)
            return True
        if steps and wl and whole_if_mismatch:
            for s in steps:
                s.when_text, s.due = tx.clean(when), tx.due_from(when)
            return True
        return False

    # ------------------------------------------------------------------------------------------
    # tracker layout
    def _tracker_row(self, header: Header, row: RawRow, texts: list[str]) -> None:
        def col(f: str) -> str:
            i = header.columns.get(f)
            return texts[i] if i is not None and i < len(texts) else ""

        ref = tx.strip_page_marks(col("ref"))
        title = col("title")
        detail = any(col(f) for f in ("owners", "how", "when", "success", "status", "outcome"))
        rec_ref = _REC_REF.match(ref)
        if rec_ref and title and not detail:  # "Rec 2.1": a numbered recommendation, not an action
            self._recommendation(rec_ref.group(1), tx.clean(title), row.where)
            return
        filled = [i for i, t in enumerate(texts) if t]
        merged_heading = len(filled) == 1 and filled[0] == header.columns.get("ref") and not _REF_LIKE.match(ref)
        if not title and not detail and merged_heading:
            title, ref = ref, ""  # one merged cell across the row: a heading
        if not title and not detail:
            return  # "Page 54" alone, or a number that lost its row
        if not detail:
            if _THEME_REF.match(ref) or (tx.is_upper_title(title) and "." not in ref):
                self._theme(tx.one_line(title), row.where)
                self.rec = self.action = None
            elif "." in ref:
                self._new_tracker_action(header, row, ref, title, col)
            else:
                self._recommendation(ref, tx.clean(title), row.where)
            return
        if ref or title:
            self._new_tracker_action(header, row, ref, title, col)
        elif self.action is None:
            self.warn(row.where, "a row with no NOS or What? comes before any action; it is left out")
        else:
            self._tracker_more(header, row, self.action, col, continuing=True)

    def _new_tracker_action(self, header: Header, row: RawRow, ref: str, title: str, col) -> None:
        rec = self._rec_for_action(ref, row.where)
        title = tx.clean(title)
        if ref:
            for a in rec.actions:
                if a.ref == ref and tx.norm_key(a.title) == tx.norm_key(title):
                    self.action = a  # seen again, e.g. in the "completed as at" part
                    self._tracker_more(header, row, a, col, continuing=False)
                    self._stamp_completed(a)
                    return
        a = DraftAction(title=title, ref=ref, where=row.where)
        rec.actions.append(a)
        self._scratch[id(a)] = _Scratch(layout="tracker", rec=rec)
        self.action = a
        sc = self._scratch[id(a)]
        if col("owners"):
            sc.owner_texts.append((col("owners"), row.where))
        steps = self._steps(a, col("how"), continuing=False, where=row.where)
        a.when_text = tx.clean(col("when"))
        a.due = tx.due_from(a.when_text)
        self._give_whens(steps, a.when_text, whole_if_mismatch=False)
        a.success_measure = tx.clean(col("success"))
        reading = self._status(col("status"), row.where, header.names.get("status", "Current Status"))
        a.status = reading.status or Status.NOT_STARTED.value
        a.completed_on = reading.date
        self._stamp_completed(a)
        self._notes(a, col("outcome"), row.where)

    def _stamp_completed(self, a: DraftAction) -> None:
        if self.completed_date and a.status in DONE_STATUSES and a.completed_on is None:
            a.completed_on = self.completed_date

    def _tracker_more(self, header: Header, row: RawRow, a: DraftAction, col, continuing: bool) -> None:
        sc = self._scratch[id(a)]
        if col("owners"):
            sc.owner_texts.append((col("owners"), row.where))
        steps = self._steps(a, col("how"), continuing=continuing, where=row.where)
        status_text = col("status")
        if steps and status_text:
            reading = self._status(status_text, row.where, header.names.get("status", "Current Status"))
            for s in steps:
                s.status = reading.status or ""
        when = tx.clean(col("when"))
        if when and not self._give_whens(steps, when, whole_if_mismatch=True):
            a.when_text = f"{a.when_text}\n{when}".strip()
            a.due = tx.due_from(a.when_text)
        success = tx.clean(col("success"))
        if success:
            glue = " " if continuing and success[:1].islower() else "\n"
            a.success_measure = f"{a.success_measure}{glue}{success}".strip()
        self._notes(a, col("outcome"), row.where, continuing=continuing)

    # ------------------------------------------------------------------------------------------
    # action-plan layout
    def _action_plan_row(self, header: Header, row: RawRow, texts: list[str]) -> None:
        def col(f: str) -> str:
            i = header.columns.get(f)
            return texts[i] if i is not None and i < len(texts) else ""

        def bold(f: str) -> bool:
            i = header.columns.get(f)
            return bool(i is not None and i < len(row.cells) and row.cells[i].bold)

        ref = tx.strip_page_marks(col("ref"))
        rec_text = tx.clean(col("recommendation"))
        if ref or (rec_text and (self.action is None or not rec_text[:1].islower())):
            rec = self._recommendation(ref, rec_text or f"Recommendation {ref}", row.where)
            a = DraftAction(title=tx.one_line(rec.text), ref=ref, where=row.where)
            rec.actions.append(a)
            self._scratch[id(a)] = _Scratch(layout="action_plan", rec=rec)
            self.action = a
            continuing = False
        elif self.action is None:
            return
        else:
            a = self.action
            continuing = True
            if rec_text:  # the recommendation's text ran on past a page break
                rec = self._scratch[id(a)].rec
                if rec is not None:
                    joined = f"{rec.text} {tx.one_line(rec_text)}"
                    if a.title == tx.one_line(rec.text):
                        a.title = tx.one_line(joined)
                    rec.text = joined
        sc = self._scratch[id(a)]
        if col("owners"):
            sc.owner_texts.append((col("owners"), row.where))
        self._steps(a, col("action"), continuing=continuing, where=row.where)
        sc.when_lines.extend(tx.lines(col("when")))
        area = tx.one_line(col("service_area"))
        if area and area not in a.service_area:
            a.service_area = f"{a.service_area} {area}".strip()
        progress = tx.split_steps(col("progress"), continuing=continuing)
        progress_lines = ([progress[0]] if progress[0] else []) + progress[1]
        if progress_lines:
            a.success_measure = "\n".join(filter(None, [a.success_measure, *progress_lines]))
        resources = tx.split_steps(col("resources"), continuing=continuing)
        res_lines = ([resources[0]] if resources[0] else []) + resources[1]
        if res_lines:
            a.resources = "\n".join(filter(None, [a.resources, *res_lines]))
            sc.resources_bold = sc.resources_bold or bold("resources")

    # ------------------------------------------------------------------------------------------
    def finish(self) -> DraftProgramme:
        """Resolve owners and sources once the whole file (and its KEY) has been read."""
        d = self.draft
        by_initials: dict[str, tuple[str, str, str]] = {}
        for initials, name, role, where in self.key:
            d.person(name, role=role, initials=initials, where=where)
            if initials:
                by_initials[initials.upper()] = (name, role, initials)
        key_names = {p.name.casefold() for p in d.people}
        initials_set = set(by_initials)
        for a in d.actions():
            sc = self._scratch.get(id(a))
            if sc is None:
                continue
            for cell, where in sc.owner_texts:
                for piece in tx.split_owners(cell, keep=key_names, initials=initials_set):
                    self._owner(a, piece, where, by_initials)
            if sc.layout == "action_plan":
                a.when_text = "\n".join(sc.when_lines)
                a.due = tx.due_from(a.when_text)
                self._give_whens(a.steps, a.when_text, whole_if_mismatch=False)
                if len(a.steps) == 1 and len(sc.when_lines) == 1:
                    a.steps[0].when_text, a.steps[0].due = a.when_text, a.due
                a.cost, a.funding_source = tx.parse_money(a.resources)
                a.additional_revenue = sc.resources_bold
        for t in d.themes:
            for r in t.recommendations:
                self._source_for(r)
        if self.undated:
            d.warnings.append(f"{self.undated} progress note(s) had no date: dated {self.today:%d/%m/%Y} "
                              f"(the import date) and marked {UNDATED_AUTHOR!r}")
        return d

    def _owner(self, a: DraftAction, piece: str, where: str, by_initials: dict[str, tuple[str, str, str]]) -> None:
        d = self.draft
        named = next((p for p in d.people if p.name.casefold() == piece.casefold()), None)
        if named is not None:
            if named.name.casefold() not in (o.casefold() for o in a.owners):
                a.owners.append(named.name)
            return
        found = by_initials.get(piece.upper()) if tx.looks_like_initials(piece) else None
        if found is None and by_initials:
            first, _, rest = piece.partition(" ")
            if first.upper() in by_initials and tx.looks_like_initials(first) and rest:
                found = by_initials[first.upper()]
                self.warn(where, f"{rest!r} after the initials {first} is not an owner and is left out")
        if found:
            name = d.person(found[0], role=found[1], initials=found[2]).name
        elif by_initials and tx.looks_like_initials(piece):
            self.warn(where, f"initials {piece} are not in the KEY table; the owner is recorded as {piece!r}")
            name = d.person(piece, initials=piece, where=where).name
        else:
            name = d.person(piece, role=piece if tx.looks_like_role(piece) else "", where=where).name
        if name.casefold() not in (o.casefold() for o in a.owners):
            a.owners.append(name)

    def _source_for(self, r: DraftRecommendation) -> None:
        if r.source:
            return
        texts = [r.text] + [t for a in r.actions for t in [a.title, *(s.text for s in a.steps)]]
        for text in texts:
            tags = tx.source_tags(text)
            if tags:
                label, date = tags[0]
                r.source = self.draft.source(label, date=date, where=r.where).label
                return
        if self.default_source:
            r.source = self.draft.source(self.default_source).label


def check_found(reader: PlanReader, what: str) -> None:
    """A file with no plan table at all is refused, saying what was looked for."""
    if not reader.found_table and reader.near_miss:
        hdr, row = reader.near_miss
        names = ", ".join(hdr.layout.display[f] for f in hdr.missing())
        reader.fail(row.where, f"the header row has no {names} column; the {hdr.layout.label} layout needs "
                               f"{hdr.layout.describe_required()}")
    if not reader.found_table:
        wanted = "; or ".join(f"{lay.label}: {lay.describe_required()}" for lay in LAYOUTS)
        reader.fail("", f"no improvement-plan table found in any {what}: expected a header row with {wanted}")


__all__ = ["Cell", "RawRow", "PlanReader", "check_found", "match_layout"]
