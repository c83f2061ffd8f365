"""Loading an Annex A file into a stored dataset, and its lifecycle: shared by the CLI, the worker and the pages.

A stored dataset is never live at once: its figures are computed as a *preview*, a programme
manager publishes it, and a publication can be withdrawn (the previous dataset's figures return).
"""

from __future__ import annotations

import re
import zipfile
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from oversight.config.uploads import file_limits, worker_dir
from oversight.engine.annex_a import AnnexARefused, LoadResult, write_dataset
from oversight.engine.annex_a.loader import RawWorkbook, read_raw_isolated
from oversight.engine.annex_a.model import problems_from_table
from oversight.engine.annex_a.validate import validate
from oversight.engine.pools.councils import Council, load_councils

from .models import Dataset, DatasetEvent, Upload
from .signals import dataset_stored

#: ``progress(stage, **counts)``: what a progress bar or page shows. Counts: current_list,
#: lists_read, lists_total, rows_read, checks_run.
Progress = Callable[..., None]
NO_TEAM = "(no team recorded)"
DATE_KEYS_NOT_EVENTS = {"date_of_birth"}  # a birth date says nothing about when the lists were extracted


def _quiet(stage: str, **counts: Any) -> None:
    """The default progress callback: nobody is watching."""


class LifecycleError(Exception):
    """A lifecycle step that is not allowed now (the message says why, for the page or the terminal)."""


# ------------------------------------------------------------------------------ files on disk
def datasets_root() -> Path:
    return Path(settings.DATA_DIR) / "datasets"


def relative_to_data(path: Path) -> str:
    """Stored paths are relative to DATA_DIR, so a backup restored to another folder still works."""
    path = Path(path).resolve()
    try:
        return str(path.relative_to(Path(settings.DATA_DIR).resolve()))
    except ValueError:
        return str(path)  # outside the data folder (an operator's choice): keep it absolute


def owner_only(folder: Path) -> None:
    """Child-level files are readable by the service's own user only: folders 0700, files 0600."""
    folder = Path(folder)
    for parent in (datasets_root(), folder):
        if parent.exists():
            parent.chmod(0o700)
    for f in folder.iterdir():
        f.chmod(0o700 if f.is_dir() else 0o600)


# ------------------------------------------------------------------------------ as-at evidence
@dataclass
class AsAtEvidence:
    """What the data says about its own date, to check the declared as-at against."""

    latest_event: date | None = None
    latest_event_where: str = ""
    extract_dates: dict[str, str] = field(default_factory=dict)

    def inferred(self) -> date | None:
        return self.latest_event


def _event_dates(raw: RawWorkbook) -> tuple[date | None, str]:
    """The latest event date that at least two cells share (one typo such as 2202 is not the as-at)."""
    counts: Counter[date] = Counter()
    where: dict[date, str] = {}
    for lst in raw.lists:
        for key, res in lst.results.items():
            if key in DATE_KEYS_NOT_EVENTS or not pa.types.is_date(res.values.type):
                continue
            values = pc.drop_null(res.values)
            if not len(values):
                continue
            vc = pc.value_counts(values)
            for item in vc.to_pylist():
                d = item["values"]
                counts[d] += item["counts"]
                if d not in where or where[d] > f"List {lst.spec.number}":
                    where[d] = f"List {lst.spec.number} ({lst.headers.get(key, key)})"
    if not counts:
        return None, ""
    shared = [d for d, n in counts.items() if n >= 2]
    best = max(shared) if shared else max(counts)
    return best, where[best]


_CORE_DATE = re.compile(r"<dcterms:(created|modified)[^>]*>(\d{4}-\d{2}-\d{2})", re.IGNORECASE)


def _workbook_dates(path: Path) -> dict[str, str]:
    """The dates an XLSX records about itself (created, last modified), read as text only."""
    if Path(path).is_dir() or Path(path).suffix.lower() not in (".xlsx", ".xlsm"):
        return {}
    try:
        with zipfile.ZipFile(path) as z:
            info = z.getinfo("docProps/core.xml")
            if info.file_size > 64_000:
                return {}
            text = z.read(info).decode("utf-8", "replace")
    except (KeyError, OSError, zipfile.BadZipFile, RuntimeError):
        return {}
    return {kind.lower(): day for kind, day in _CORE_DATE.findall(text)}


def as_at_evidence(raw: RawWorkbook, path: Path) -> AsAtEvidence:
    latest, where = _event_dates(raw)
    return AsAtEvidence(latest, where, _workbook_dates(path))


# ------------------------------------------------------------------------------ reading
def strict_refusal(result: LoadResult) -> AnnexARefused | None:
    """In strict mode any problem refuses the file; the reason names the first one.

    By its place and rule only: the message is kept in the upload log, which every signed-in
    user can read, so it must hold no cell value (a date of birth, a child's ID).
    """
    from oversight.engine.annex_a.report import rule_expected

    table = result.problem_table
    if not table.num_rows:
        return None
    errors = table.filter(pc.equal(table["severity"], "error"))
    first = problems_from_table((errors if errors.num_rows else table).slice(0, 1))[0]
    return AnnexARefused(
        f"{result.source_name}: refused in strict mode: {result.error_count} errors and {result.warning_count} "
        f"warnings (first: {first.location()}: rule {first.rule}: expected {rule_expected(first)})"
    )


def read_file(path: Path, schema_version: str | None = None, progress: Progress = _quiet) -> RawWorkbook:
    """Read every list (no validation yet); reports each list and the rows read so far."""
    progress("Reading the workbook", lists_total=11)
    raw = read_raw_isolated(Path(path), schema_version, limits=file_limits(), workdir=worker_dir())
    rows = 0
    for n, lst in enumerate(raw.lists, 1):
        rows += len(lst.rows)
        progress("Reading the workbook", current_list=f"List {lst.spec.number}: {lst.spec.title}",
                 lists_read=n, lists_total=len(raw.lists), rows_read=rows)
    return raw


def validate_raw(raw: RawWorkbook, as_at: date, strict: bool = False, progress: Progress = _quiet) -> LoadResult:
    progress("Checking every value", current_list="", checks_run=0)
    result = validate(raw, as_at)
    # Three passes per list (blank mandatory cells, dates, formats) and one across the lists.
    progress("Checking every value", checks_run=3 * len(raw.lists) + 1)
    if strict and (refusal := strict_refusal(result)):
        raise refusal
    return result


def check_file(path: Path, as_at: date, strict: bool = False, schema_version: str | None = None,
               progress: Progress = _quiet) -> LoadResult:
    """Read and validate without storing. Raises :class:`AnnexARefused` for structural problems."""
    return validate_raw(read_file(path, schema_version, progress), as_at, strict, progress)


def infer_as_at(path: Path, schema_version: str | None = None) -> tuple[date, str]:
    """The as-at a file's own data suggests, and a sentence saying where it came from.

    Never today's date: a check run months after the extract must not call its dates "in the future"
    nor hide dates that really are after the extract.
    """
    return infer_from_raw(read_raw_isolated(Path(path), schema_version, limits=file_limits(), workdir=worker_dir()),
                          Path(path))


def infer_from_raw(raw: RawWorkbook, path: Path) -> tuple[date, str]:
    """:func:`infer_as_at` for a file already read (so ``check`` reads it once)."""
    ev = as_at_evidence(raw, Path(path))
    if ev.latest_event is not None:
        return ev.latest_event, (f"As-at date not given: using {ev.latest_event:%d/%m/%Y}, the latest event date "
                                 f"in the lists ({ev.latest_event_where}). Give --as-at to set it.")
    for kind in ("modified", "created"):
        if kind in ev.extract_dates:
            day = date.fromisoformat(ev.extract_dates[kind])
            return day, (f"As-at date not given and the lists have no event dates: using {day:%d/%m/%Y}, the date "
                         f"the workbook was {kind}. Give --as-at to set it.")
    raise AnnexARefused(f"{Path(path).name}: no --as-at given and no date in the file to infer it from")


# ------------------------------------------------------------------------------ storing
def team_rule_counts(result_tables: dict[str, pa.Table] | dict[str, Path], problems: pa.Table) -> dict:
    """Problems per allocated team and rule: {team: {rule: count}} (counts only, no child data).

    An Arrow join, not a dictionary lookup per problem: 88,000 warnings at scale 10 took 0.9 s
    the per-row way, 0.07 s this way (docs/performance.md).
    """
    from oversight.engine.annex_a.teams import team_rule_counts as count_by_team

    return count_by_team(result_tables, problems, no_team=NO_TEAM)


def _row_teams(tables: dict[str, Any]) -> dict[str, dict[int, dict]]:
    """Per list with an allocated team: file row → {team, worker, child_id}."""
    out: dict[str, dict[int, dict]] = {}
    for name, t in tables.items():
        if isinstance(t, (str, Path)):
            names = pq.ParquetFile(t).schema_arrow.names
            if "allocated_team" not in names:
                continue
            t = pq.read_table(t, columns=[c for c in ("_row", "child_id", "allocated_team", "allocated_worker")
                                          if c in names])
        elif "allocated_team" not in t.column_names:
            continue
        d = t.to_pydict()
        workers = d.get("allocated_worker") or [None] * len(d["_row"])
        ids = d.get("child_id") or [None] * len(d["_row"])
        out[name] = {r: {"team": tm, "worker": w, "child_id": c}
                     for r, tm, w, c in zip(d["_row"], d["allocated_team"], workers, ids, strict=True)}
    return out


def install_council() -> Council | None:
    """The council named by ``OVERSIGHT_COUNCIL`` (None when unset; the start-up check refuses a bad name)."""
    text = getattr(settings, "OVERSIGHT_COUNCIL", "")
    return load_councils().find(text) if text else None


def load_dataset(path: Path, as_at: date, user=None, strict: bool = False, *, source_name: str | None = None,
                 schema_version: str | None = None, via: str = "cli", progress: Progress = _quiet) -> Dataset:
    """Validate ``path``, store it as a dataset (or find it already stored) and compute its preview figures.

    The returned ``Dataset`` has ``already_existed`` set. A refusal (structural, or any problem
    under ``strict``) is logged as a refused upload and re-raised as :class:`AnnexARefused`.
    A re-upload of a file whose figures failed computes them again (the repair).
    """
    name = source_name or Path(path).name
    council = install_council()
    try:
        raw = read_file(path, schema_version, progress)
        evidence = as_at_evidence(raw, Path(path))
        result = validate_raw(raw, as_at, strict, progress)
    except AnnexARefused as exc:
        Upload.objects.create(user=user, source_name=name[:255], as_at=as_at, outcome=Upload.Outcome.REFUSED,
                              message=str(exc)[:500], via=via)
        raise
    if source_name:
        result.source_name = source_name
    progress("Writing the lists to Parquet")
    info = write_dataset(result, datasets_root())
    owner_only(info.path)
    with transaction.atomic():
        ds = Dataset.objects.filter(dataset_id=info.id).first()
        already = ds is not None
        if ds is None:
            summary = info.manifest["data_quality"]
            ds = Dataset.objects.create(
                dataset_id=info.id, as_at=as_at, sha256=result.sha256, source_name=name[:255],
                schema_version=result.schema_version, path=relative_to_data(info.path), uploaded_by=user,
                la_code=council.la_code if council else "", la_name=council.name if council else "",
                row_counts=info.manifest["row_counts"], quality=summary,
                errors=summary["errors"], warnings=summary["warnings"],
                latest_event=evidence.latest_event, extract_dates=evidence.extract_dates,
                team_quality=team_rule_counts(result.tables, result.problem_table),
            )
            DatasetEvent.objects.create(dataset=ds, action=DatasetEvent.Action.STORED, by=user)
        Upload.objects.create(user=user, source_name=name[:255], as_at=as_at, dataset=ds, via=via,
                              outcome=Upload.Outcome.ALREADY if already else Upload.Outcome.STORED)
    if not already or ds.figures in (Dataset.Figures.FAILED, Dataset.Figures.PENDING):
        compute_figures(ds, user=user, progress=progress)
    ds.already_existed = already
    return ds


def compute_figures(ds: Dataset, user=None, progress: Progress = _quiet) -> Dataset:
    """Run the indicators for ``ds`` (listeners of ``dataset_stored`` do it); a failure is kept with its reason.

    A dataset whose figures failed is never published; it offers a retry instead.
    """
    progress("Computing the figures")
    Dataset.objects.filter(pk=ds.pk).update(figures=Dataset.Figures.RUNNING, figures_error="")
    try:
        with transaction.atomic():
            dataset_stored.send(sender=Dataset, dataset=ds)
    except Exception as exc:  # noqa: BLE001 - any failure of the run is shown, with a retry
        reason = f"{type(exc).__name__}: {exc}" if not str(exc).startswith(type(exc).__name__) else str(exc)
        ds.figures, ds.figures_error = Dataset.Figures.FAILED, reason[:2000]
        ds.save(update_fields=["figures", "figures_error"])
        DatasetEvent.objects.create(dataset=ds, action=DatasetEvent.Action.FIGURES_FAILED, by=user,
                                    reason=reason[:2000])
        return ds
    ds.figures, ds.figures_error = Dataset.Figures.READY, ""
    fields = ["figures", "figures_error"]
    if ds.status == Dataset.Status.STORED:
        ds.status = Dataset.Status.PREVIEW
        fields.append("status")
        DatasetEvent.objects.create(dataset=ds, action=DatasetEvent.Action.PREVIEW, by=user)
    ds.save(update_fields=fields)
    return ds


# ------------------------------------------------------------------------------ lifecycle
def can_publish(user) -> bool:
    return user is None or user.has_perm("datasets.publish_dataset")


@transaction.atomic
def publish(ds: Dataset, user=None, *, confirm_as_at: bool = False) -> Dataset:
    """Make ``ds`` the live dataset for its as-at; a published one for the same as-at is superseded.

    ``user`` None is the operator at the command line. An as-at more than a month from the
    data's latest event needs ``confirm_as_at`` (the page's checkbox, the CLI's option).
    """
    ds = Dataset.objects.select_for_update().get(pk=ds.pk)
    if not can_publish(user):
        raise LifecycleError("Only a programme manager can publish a dataset.")
    if ds.status == Dataset.Status.PUBLISHED:
        raise LifecycleError("This dataset is already published.")
    if ds.figures != Dataset.Figures.READY:
        raise LifecycleError("This dataset has no figures yet: compute them (retry) before publishing.")
    if ds.as_at_mismatch and not confirm_as_at:
        raise LifecycleError(
            f"The as-at date {ds.as_at:%d/%m/%Y} is {ds.as_at_gap_days} days from the latest event in the data "
            f"({ds.latest_event:%d/%m/%Y}); confirm the as-at date to publish.")
    now = timezone.now()
    for old in Dataset.objects.select_for_update().filter(as_at=ds.as_at, status=Dataset.Status.PUBLISHED):
        old.status, old.superseded_by = Dataset.Status.SUPERSEDED, ds
        old.save(update_fields=["status", "superseded_by"])
        DatasetEvent.objects.create(dataset=old, action=DatasetEvent.Action.SUPERSEDED, by=user, at=now,
                                    reason=f"{ds.source_name} published for the same as-at date")
    ds.status, ds.published_by, ds.published_at = Dataset.Status.PUBLISHED, user, now
    ds.withdrawn_by, ds.withdrawn_at, ds.withdrawn_reason, ds.superseded_by = None, None, "", None
    ds.as_at_confirmed_by = user if ds.as_at_mismatch else None
    ds.save()
    reason = (f"As-at date confirmed although the latest event is {ds.latest_event:%d/%m/%Y}"
              if ds.as_at_mismatch else "")
    DatasetEvent.objects.create(dataset=ds, action=DatasetEvent.Action.PUBLISHED, by=user, at=now, reason=reason)
    return ds


@transaction.atomic
def withdraw(ds: Dataset, user=None, *, reason: str) -> tuple[Dataset, Dataset | None]:
    """Take a published dataset off the scorecard; the one it superseded (if any) is live again.

    Returns the withdrawn dataset and the one restored. The reason is required: the history says why.
    """
    ds = Dataset.objects.select_for_update().get(pk=ds.pk)
    if not can_publish(user):
        raise LifecycleError("Only a programme manager can withdraw a dataset.")
    if ds.status != Dataset.Status.PUBLISHED:
        raise LifecycleError("Only a published dataset can be withdrawn.")
    reason = (reason or "").strip()
    if not reason:
        raise LifecycleError("Say why the dataset is withdrawn.")
    now = timezone.now()
    ds.status, ds.withdrawn_by, ds.withdrawn_at, ds.withdrawn_reason = Dataset.Status.WITHDRAWN, user, now, reason
    ds.save(update_fields=["status", "withdrawn_by", "withdrawn_at", "withdrawn_reason"])
    DatasetEvent.objects.create(dataset=ds, action=DatasetEvent.Action.WITHDRAWN, by=user, at=now, reason=reason)
    restored = (Dataset.objects.select_for_update()
                .filter(superseded_by=ds, status=Dataset.Status.SUPERSEDED).order_by("-published_at", "-pk").first())
    if restored is not None:
        restored.status, restored.superseded_by = Dataset.Status.PUBLISHED, None
        restored.save(update_fields=["status", "superseded_by"])
        DatasetEvent.objects.create(dataset=restored, action=DatasetEvent.Action.RESTORED, by=user, at=now,
                                    reason=f"{ds.source_name} was withdrawn: {reason}")
    return ds, restored


# ------------------------------------------------------------------------------ data quality by team
def ensure_team_quality(ds: Dataset) -> dict:
    """Counts per team and rule, computed from the stored files for datasets loaded before they were kept."""
    if ds.team_quality or not ds.errors + ds.warnings:
        return ds.team_quality
    from oversight.engine.annex_a import open_dataset

    info = open_dataset(ds.folder)
    ds.team_quality = team_rule_counts(dict(info.tables), pq.read_table(info.problems_path))
    ds.save(update_fields=["team_quality"])
    return ds.team_quality


def previous_dataset(ds: Dataset) -> Dataset | None:
    """The upload before this one (by as-at, then upload time), withdrawn ones left out."""
    earlier = (Dataset.objects.exclude(pk=ds.pk).exclude(status=Dataset.Status.WITHDRAWN)
               .filter(as_at__lte=ds.as_at).order_by("-as_at", "-uploaded_at"))
    return next((d for d in earlier if (d.as_at, d.uploaded_at) < (ds.as_at, ds.uploaded_at)), None)


@dataclass
class TeamRuleRow:
    team: str
    rule: str
    count: int
    previous: int | None
    change: int | None
    change_text: str


def team_rule_table(ds: Dataset) -> tuple[list[TeamRuleRow], Dataset | None]:
    """Counts per team and rule, with how they moved since the previous upload."""
    now = ensure_team_quality(ds)
    prev = previous_dataset(ds)
    before = ensure_team_quality(prev) if prev else {}
    rows = []
    for team in sorted(set(now) | set(before), key=str.lower):
        for rule in sorted(set(now.get(team, {})) | set(before.get(team, {}))):
            n = now.get(team, {}).get(rule, 0)
            p = before.get(team, {}).get(rule, 0) if prev else None
            change = None if p is None else n - p
            text = "" if change is None else ("no change" if change == 0 else f"{change:+d}")
            rows.append(TeamRuleRow(team, rule, n, p, change, text))
    return rows, prev


@dataclass
class WorklistItem:
    team: str
    worker: str
    child_id: str
    list_name: str
    sheet: str
    row: int | None
    field: str
    found: str
    expected: str
    rule: str
    severity: str

    def cells(self) -> list[Any]:
        return [self.team, self.worker, self.child_id, self.list_name, self.sheet, self.row, self.field,
                self.found, self.expected, self.rule, self.severity]


WORKLIST_HEADERS = ["Team", "Worker", "Child ID", "List", "Sheet", "Row", "Field", "What was found",
                    "What was expected", "Rule", "Severity"]


def worklist(ds: Dataset, teams: list[str]) -> list[WorklistItem]:
    """The records of ``teams`` to correct in the case system, in list and row order."""
    from oversight.engine.annex_a import get_schema, open_dataset

    info = open_dataset(ds.folder)
    lookup = _row_teams(dict(info.tables))
    wanted = set(teams)
    titles = {s.table: f"List {s.number}: {s.title}" for s in get_schema(ds.schema_version).lists}
    problems = pq.read_table(info.problems_path)
    problems = problems.filter(pc.is_in(problems["table"], pa.array(list(lookup), pa.string())))
    out = []
    for p in problems_from_table(problems):
        who = lookup.get(p.table or "", {}).get(p.row) if p.row is not None else None
        if who is None or (who["team"] or NO_TEAM) not in wanted:
            continue
        out.append(WorklistItem(who["team"] or NO_TEAM, who["worker"] or "", who["child_id"] or "(blank)",
                                titles.get(p.table or "", p.table or ""), p.sheet or "", p.row, p.column or "",
                                p.value, p.expected, p.rule, p.severity))
    return out


def teams_of(user) -> list[str]:
    return list(user.worklist_teams.values_list("team", flat=True)) if user.is_authenticated else []


def all_teams(ds: Dataset) -> list[str]:
    return sorted(ensure_team_quality(ds), key=str.lower)


def incoming_dir() -> Path:
    """Uploaded files waiting for the worker (owner-only; each removed once read)."""
    folder = Path(settings.DATA_DIR) / "incoming"
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o700)
    return folder
