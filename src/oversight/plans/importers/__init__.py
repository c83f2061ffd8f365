"""Importing an improvement plan from the council's own Word, Excel or JSON file.

``import_plan(path, programme_slug, ...)`` reads the whole file into a draft (see ``draft``),
validates it and only then writes it in one transaction (see ``build``): a bad file is refused
with one line naming the file, sheet or table, row and column, and the database is untouched.

``build_programme(draft)`` is the second half on its own, for code that builds a draft itself
(the demo loader).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from oversight.plans.importers import guard
from oversight.plans.importers.build import PlanConflict, build_programme
from oversight.plans.importers.draft import DraftProgramme, PlanImportError, check_slug
from oversight.plans.importers.text import normalise_source_label

SUFFIXES = {".xlsx": "xlsx", ".xlsm": "xlsx", ".docx": "docx", ".json": "json"}


@dataclass
class ImportReport:
    """What an import did (or, for a dry run, would do), for the command to print."""

    programme: str
    created: bool
    counts: dict[str, int]
    warnings: list[str] = field(default_factory=list)
    dry_run: bool = False

    def summary(self) -> str:
        c = self.counts
        verb = "would import" if self.dry_run else "imported"
        return (f"{verb} into programme {self.programme!r}{' (new)' if self.created else ''}: "
                f"{c['themes']} themes, {c['recommendations']} recommendations, {c['actions']} actions, "
                f"{c['steps']} steps, {c['notes']} progress notes, {c['people']} people")


def read_plan(path: Path | str, *, today: dt.date | None = None, default_source: str | None = None,
              sheet: str | None = None) -> DraftProgramme:
    """The plan in ``path`` as a draft, without touching the database.

    ``sheet`` reads only that sheet of a workbook (and its Key sheet): see ``xlsx``.
    """
    path = Path(path)
    today = today or dt.date.today()
    kind = SUFFIXES.get(path.suffix.casefold())
    if not path.exists():
        raise PlanImportError(f"{path}: no such file")
    if path.is_dir():
        raise PlanImportError(f"{path}: is a folder, not a file")
    if kind is None:
        if path.suffix.casefold() in {".xls", ".doc"}:
            raise PlanImportError(f"{path.name}: old {path.suffix} files cannot be read; save it as "
                                  f"{path.suffix}x from Excel or Word and import that")
        raise PlanImportError(f"{path.name}: expected an .xlsx, .docx or .json file")
    if not guard.inside():  # hostile files: limits checked, then read in a worker process
        return guard.read_guarded(path, today=today, default_source=default_source, sheet=sheet)
    if kind == "xlsx":
        from oversight.plans.importers.xlsx import read_xlsx

        return read_xlsx(path, today=today, default_source=default_source, sheet=sheet)
    if sheet is not None:
        raise PlanImportError(f"{path.name}: --sheet chooses a sheet of an Excel workbook; this is a "
                              f"{path.suffix} file")
    if kind == "docx":
        from oversight.plans.importers.docx import read_docx

        return read_docx(path, today=today, default_source=default_source)
    from oversight.plans.importers.json import read_json

    draft = read_json(path)
    if default_source:
        label = normalise_source_label(default_source)
        if label.casefold() not in {s.label.casefold() for s in draft.sources}:
            draft.source(label)
        for t in draft.themes:
            for r in t.recommendations:
                r.source = r.source or label
    return draft


def import_plan(path: Path | str, programme_slug: str, *, name: str | None = None, source: str | None = None,
                replace: bool = False, merge: bool = False, dry_run: bool = False,
                today: dt.date | None = None, sheet: str | None = None) -> ImportReport:
    """Import the plan in ``path`` into programme ``programme_slug``; all or nothing.

    Raises :class:`PlanImportError` (bad file) or :class:`PlanConflict` (the programme already has
    a plan and neither ``replace`` nor ``merge`` was given); in both cases nothing is written.
    """
    from django.utils import timezone

    from oversight.plans.models import Programme

    check_slug(programme_slug)  # before any work: a bad slug would break every page linking to it
    path = Path(path)
    draft = read_plan(path, today=today or timezone.localdate(), default_source=source, sheet=sheet)
    draft.slug = programme_slug
    if name:
        draft.name = name
    existing = Programme.objects.filter(slug=programme_slug).first()
    if dry_run:
        draft.validate(path.name)
        if existing is not None and existing.themes.exists() and not (replace or merge):
            raise PlanConflict(f"programme {programme_slug!r} already has a plan; use --replace or --merge")
    else:
        build_programme(draft, replace=replace, merge=merge, filename=path.name)
    return ImportReport(programme=programme_slug, created=existing is None, counts=draft.counts(),
                        warnings=list(draft.warnings), dry_run=dry_run)


__all__ = ["DraftProgramme", "ImportReport", "PlanConflict", "PlanImportError", "build_programme", "import_plan",
           "read_plan"]
