"""Building, rendering, approving and issuing board packs, and "changed since version N".

The state machine is draft → submitted → approved → issued; "changes requested" sends a
submitted (or approved) pack back to draft with a comment. Issuing renders every report in every
format once, stores the bytes with their SHA-256 and a JSON snapshot of every builder's output,
and from then on the pack and its files refuse to change.
"""

from __future__ import annotations

import gc
import hashlib
import io
import json
import os
import zipfile
from collections.abc import Iterable
from functools import lru_cache
from importlib import import_module
from pathlib import Path
from typing import Any

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from oversight.plans.models import Programme
from oversight.plans.periods import Period, period_end
from oversight.reports.builders import NAMES, TITLES, build
from oversight.reports.data import ChangeItem, HighlightReport, Report, to_json

from .models import BoardPack, IssuedFile, PackEvent, PackState

FORMATS = ("html", "docx", "xlsx", "pdf")
CONTENT_TYPES = {
    "html": "text/html; charset=utf-8",
    "json": "application/json",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
    "zip": "application/zip",
}
ZIP_TIME = (2020, 1, 1, 0, 0, 0)  # fixed member times: the same pack zips to the same bytes


class PackError(Exception):
    """A transition that is not allowed from the pack's state, or by this person."""


# --------------------------------------------------------------------------- permissions
def can_manage(user: Any) -> bool:
    return bool(user and user.is_authenticated and user.has_perm("reports.manage_boardpack"))


def can_approve(user: Any, programme: Programme) -> bool:
    """The SRO (the person linked to the programme's SRO) or a programme manager approves."""
    if not (user and user.is_authenticated):
        return False
    if user.has_perm("reports.approve_boardpack"):
        return True
    sro = programme.sro
    return bool(sro and sro.user_id and sro.user_id == user.pk)


def can_read_live(user: Any, programme: Programme) -> bool:
    """Live reports (any period, figures as they stand, not yet issued): for those who prepare or
    approve packs. Board members, councillors and inspectors read issued packs only."""
    if not (user and user.is_authenticated):
        return False
    return (user.has_perm("reports.view_live_report", programme) or can_manage(user)
            or can_approve(user, programme))


def can_read(user: Any, pack: BoardPack) -> bool:
    """Managers read every pack; board members read issued packs only."""
    if can_manage(user) or can_approve(user, pack.programme):
        return True
    return pack.is_issued and bool(user and user.has_perm("reports.view_issued_boardpack"))


# --------------------------------------------------------------------------- building and rendering
def renderer(fmt: str):
    """The renderer module for a format (imported lazily: HTML works without the others)."""
    if fmt not in FORMATS:
        raise KeyError(fmt)
    return import_module(f"oversight.reports.render.{fmt}")


CACHED_FORMATS = ("pdf",)  # the slow one (WeasyPrint lays out every page); the others take well under a second


@lru_cache(maxsize=1)
def _renderer_fingerprint() -> str:
    """A hash of the code and styles that turn a report into a PDF: a change to any of them misses the cache."""
    base = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted([*base.glob("render/*.py"), *base.glob("templates/reports/*.html"),
                        *base.glob("static/reports/*.css"), Path(__file__)]):
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:16]


def _cache_key(report: Report) -> str:
    return hashlib.sha256(json.dumps(to_json(report), sort_keys=True, ensure_ascii=False).encode()
                          + _renderer_fingerprint().encode()).hexdigest()


def render(report: Report, fmt: str) -> bytes:
    """The report in ``fmt``; a PDF already made from the very same report and renderer is reused.

    Renderers are pure (same read model → same bytes; the PDF's dates are the as-at, not the
    clock), so the cache is keyed by the report's JSON and the renderer's fingerprint and can
    never serve a stale figure. It lives under ``DATA_DIR/cache/reports``; deleting it is safe.
    """
    if fmt not in CACHED_FORMATS:
        return renderer(fmt).render(report)
    from django.conf import settings

    folder = Path(settings.DATA_DIR) / "cache" / "reports"
    path = folder / f"{_cache_key(report)}.{fmt}"
    if path.exists():
        return path.read_bytes()
    content = renderer(fmt).render(report)
    try:
        folder.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(content)
        os.replace(tmp, path)
    except OSError:
        pass  # a read-only data directory only costs speed
    return content


def available_formats() -> list[str]:
    out = []
    for fmt in FORMATS:
        try:
            renderer(fmt)
        except ImportError:
            continue
        out.append(fmt)
    return out


def build_all(programme: Programme, period: Period, *, pack: BoardPack | None = None,
              for_publication: bool = False) -> dict[str, Report]:
    out: dict[str, Report] = {}
    for name in NAMES:
        kwargs = {"pack": pack} if name == "committee" else {}
        out[name] = build(name, programme, period, for_publication=for_publication, **kwargs)
    return out


def filename(programme: Programme, period: Period | Any, name: str, fmt: str) -> str:
    as_at = period.as_at if hasattr(period, "as_at") else period
    return f"{programme.slug}-{name}-{as_at:%Y-%m}.{fmt}"


#: Rough CPU seconds of one file, per format: (a file, a table cell, a character, a chart), fitted
#: to the demo pack (WeasyPrint lays out and shapes every cell and word; the others only write them).
_COST = {"pdf": (0.08, 8e-4, 3.3e-5, 0.1), "docx": (0.03, 1.2e-4, 1e-6, 0.09),
         "xlsx": (0.01, 1.6e-4, 1e-6, 0.0), "html": (0.002, 3e-5, 0.0, 0.0)}


def _weight(report: Report, fmt: str) -> float:
    """About how long ``report`` takes to render in ``fmt`` (for sharing files out between cores)."""
    cells = chars = charts = 0

    def walk(sections: Iterable[Any]) -> None:
        nonlocal cells, chars, charts
        for section in sections:
            for block in section.blocks:
                table = getattr(block, "table", None)
                charts += table is not None
                rows = getattr(table or block, "rows", None)
                if rows is None:
                    chars += len(getattr(block, "text", "") or "")
                    continue
                for row in rows:
                    cells += len(row)
                    chars += sum(len(cell.text) for cell in row)
            walk(section.sections)

    walk(report.sections)
    base, per_cell, per_char, per_chart = _COST.get(fmt, _COST["docx"])
    return base + per_cell * cells + per_char * chars + per_chart * charts


def _render_jobs(jobs: list[tuple[Report, str]]) -> list[bytes]:
    return [render(report, fmt) for report, fmt in jobs]


def _cached_pdf(report: Report) -> bytes | None:
    from django.conf import settings

    path = Path(settings.DATA_DIR) / "cache" / "reports" / f"{_cache_key(report)}.pdf"
    try:
        return path.read_bytes()
    except OSError:
        return None


#: Below this much work (seconds, by ``_weight``) a second process costs more than it saves.
PARALLEL_FROM = 0.6


def render_files(reports: dict[str, Report], formats: Iterable[str]) -> dict[tuple[str, str], bytes]:
    """Every report in every format, shared out between the machine's cores.

    WeasyPrint's layout is most of a pack's time and runs on one core; the files are
    independent, so they are dealt out, slowest first, into one batch per core of about equal
    work (``_weight``): this process renders one batch while forked children render the others
    (they inherit the loaded renderers, fonts and parsed stylesheets, and each batch is one task,
    so there is one fork per extra core and nothing to wait for at the end). Only where ``fork``
    exists and there is enough work; otherwise in turn. PDFs already in the content cache are
    read, not rendered.
    """
    import multiprocessing

    fmts = list(formats)
    for fmt in fmts:
        renderer(fmt)  # imported before forking, once, not in every child
    out: dict[tuple[str, str], bytes] = {}
    jobs: list[tuple[float, str, str]] = []
    for name, report in reports.items():
        for fmt in fmts:
            cached = _cached_pdf(report) if fmt in CACHED_FORMATS else None
            if cached is not None:
                out[name, fmt] = cached
            else:
                jobs.append((_weight(report, fmt), name, fmt))
    jobs.sort(reverse=True)
    total = sum(w for w, _n, _f in jobs)
    cores = min(len(jobs), os.cpu_count() or 1)
    if cores < 2 or total < PARALLEL_FROM or "fork" not in multiprocessing.get_all_start_methods():
        out.update({(name, fmt): render(reports[name], fmt) for _w, name, fmt in jobs})
        return out
    batches: list[list[tuple[str, str]]] = [[] for _ in range(cores)]
    loads = [0.0] * cores
    for w, name, fmt in jobs:  # longest first, each to the least loaded batch
        i = loads.index(min(loads))
        batches[i].append((name, fmt))
        loads[i] += w
    if "pdf" in fmts:
        renderer("pdf").prepare()  # fonts and stylesheets, parsed once here and inherited
    from concurrent.futures import ProcessPoolExecutor

    mine, theirs = batches[0], [b for b in batches[1:] if b]
    # The children never touch the database and leave through os._exit, so the parent's open
    # connection is neither used nor closed by them.
    # gc.freeze: the children's garbage collector leaves the inherited objects alone instead of
    # touching (and so copying) every page of them.
    gc.freeze()
    try:
        pool = ProcessPoolExecutor(max_workers=len(theirs), mp_context=multiprocessing.get_context("fork"))
        futures = [(batch, pool.submit(_render_jobs, [(reports[n], f) for n, f in batch])) for batch in theirs]
    finally:
        gc.unfreeze()
    with pool:
        out.update({(n, f): render(reports[n], f) for n, f in mine})
        for batch, future in futures:
            out.update(zip(batch, future.result(), strict=True))
    return out


def render_all(programme: Programme, period: Period, reports: dict[str, Report],
               formats: Iterable[str] | None = None) -> list[tuple[str, str, str, bytes]]:
    """(report name, format, file name, bytes) for every report in every available format."""
    fmts = list(formats) if formats is not None else available_formats()
    files = render_files(reports, fmts)
    return [(name, fmt, filename(programme, period, name, fmt), files[name, fmt])
            for name in reports for fmt in fmts]


def zip_files(files: Iterable[tuple[str, bytes]]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, content in files:
            info = zipfile.ZipInfo(name, date_time=ZIP_TIME)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, content)
    return buf.getvalue()


def pack_zip(programme: Programme, period: Period, formats: Iterable[str] | None = None,
             pack: BoardPack | None = None) -> bytes:
    """Every report in every format, one zip (the "Board pack" button and ``oversight report pack``)."""
    reports = build_all(programme, period, pack=pack)
    files = render_all(programme, period, reports, formats)
    return zip_files((fn, content) for _n, _f, fn, content in files)


def period_of(pack: BoardPack) -> Period:
    cycle = pack.programme.reporting_cycle or "monthly"
    return Period(period_end(pack.period_end, cycle), cycle)


# --------------------------------------------------------------------------- the state machine
def _event(pack: BoardPack, action: str, user: Any, comment: str = "") -> None:
    PackEvent.objects.create(pack=pack, action=action, by=user if user and user.is_authenticated else None,
                             comment=comment)


@transaction.atomic
def create_pack(programme: Programme, period: Period, user: Any, title: str = "") -> BoardPack:
    """A new draft, numbered after the last version; narrative carried over from the last pack."""
    if not can_manage(user):
        raise PackError("Only a programme manager can start a board pack.")
    last = BoardPack.objects.filter(programme=programme).order_by("-version").first()
    number = (BoardPack.objects.filter(programme=programme).aggregate(m=Max("version"))["m"] or 0) + 1
    pack = BoardPack(programme=programme, period_end=period.as_at, version=number,
                     title=title or f"{programme.name}: board pack {period.label}", created_by=user)
    if last is not None:
        for f in BoardPack.NARRATIVE_FIELDS:
            if f != "meeting_date":
                setattr(pack, f, getattr(last, f))
    if not pack.report_title:
        pack.report_title = f"{programme.name}: progress report {period.label}"
    pack.save()
    _event(pack, PackEvent.CREATED, user)
    return pack


def edit_narrative(pack: BoardPack, user: Any, **fields: Any) -> BoardPack:
    if not can_manage(user):
        raise PackError("Only a programme manager can edit the pack.")
    if pack.state != PackState.DRAFT:
        raise PackError("The narrative can be edited only while the pack is a draft.")
    for k, v in fields.items():
        if k not in BoardPack.NARRATIVE_FIELDS and k != "title":
            raise PackError(f"{k} is not a narrative field")
        setattr(pack, k, v)
    pack.save()
    _event(pack, PackEvent.EDITED, user)
    return pack


def submit(pack: BoardPack, user: Any) -> BoardPack:
    if not can_manage(user):
        raise PackError("Only a programme manager can submit the pack.")
    if pack.state != PackState.DRAFT:
        raise PackError("Only a draft can be submitted for approval.")
    pack.state, pack.submitted_by, pack.submitted_at, pack.comment = PackState.SUBMITTED, user, timezone.now(), ""
    pack.save()
    _event(pack, PackEvent.SUBMITTED, user)
    return pack


def request_changes(pack: BoardPack, user: Any, comment: str) -> BoardPack:
    if not can_approve(user, pack.programme):
        raise PackError("Only the SRO or a programme manager can ask for changes.")
    if pack.state not in (PackState.SUBMITTED, PackState.APPROVED):
        raise PackError("Changes can be requested only for a submitted or approved pack.")
    if not comment.strip():
        raise PackError("Say what needs to change.")
    pack.state, pack.comment = PackState.DRAFT, comment.strip()
    pack.approved_by = pack.approved_at = None
    pack.save()
    _event(pack, PackEvent.CHANGES_REQUESTED, user, comment.strip())
    return pack


def approve(pack: BoardPack, user: Any) -> BoardPack:
    if not can_approve(user, pack.programme):
        raise PackError("Only the SRO or a programme manager can approve the pack.")
    if pack.state != PackState.SUBMITTED:
        raise PackError("Only a submitted pack can be approved.")
    pack.state, pack.approved_by, pack.approved_at = PackState.APPROVED, user, timezone.now()
    pack.save()
    _event(pack, PackEvent.APPROVED, user)
    return pack


@transaction.atomic
def issue(pack: BoardPack, user: Any, formats: Iterable[str] | None = None) -> BoardPack:
    """Render and store every file and the snapshot; from now on the pack never changes."""
    if not can_manage(user):
        raise PackError("Only a programme manager can issue the pack.")
    if pack.state != PackState.APPROVED:
        raise PackError("Only an approved pack can be issued.")
    period = period_of(pack)
    reports = build_all(pack.programme, period, pack=pack)
    for name, fmt, fn, content in render_all(pack.programme, period, reports, formats):
        IssuedFile.objects.create(pack=pack, name=name, format=fmt, filename=fn, content=content,
                                  sha256=hashlib.sha256(content).hexdigest(), size=len(content))
    pack.snapshot = {name: to_json(r) for name, r in reports.items()}
    pack.state, pack.issued_by, pack.issued_at = PackState.ISSUED, user, timezone.now()
    pack._issuing = True  # type: ignore[attr-defined]
    pack.save()
    pack._issuing = False  # type: ignore[attr-defined]
    _event(pack, PackEvent.ISSUED, user)
    return pack


def issued_zip(pack: BoardPack) -> bytes:
    return zip_files((f.filename, bytes(f.content)) for f in pack.files.all())


# --------------------------------------------------------------------------- changed since version N
def facts(highlight: dict) -> dict[str, dict]:
    """What "changed since" compares, read from a highlight report's JSON (live or snapshot)."""
    actions: dict[str, dict] = {}
    recs: dict[str, str] = {}
    measures: dict[str, dict] = {}
    for t in highlight.get("themes", []):
        for o in t.get("objectives", []):
            recs[o["objective"][:200]] = o["objective"]
            for a in o.get("actions", []):
                rags = [r for r in a.get("rags", []) if r]
                actions[a["ref"] or a["title"][:80]] = {"status": a["status"], "rag": rags[-1] if rags else "",
                                                        "title": a["title"]}
        for g in t.get("kpi_groups", []):
            for r in g.get("rows", []):
                measures[r["indicator"]] = {"rag": r["rag"], "name": r["name"]}
    risks = {r["ref"]: {"score": r["score"], "status": r["status"], "description": r["description"]}
             for r in highlight.get("risks", [])}
    return {"actions": actions, "risks": risks, "measures": measures, "recommendations": recs}


def changes_between(old: dict[str, dict], new: dict[str, dict]) -> list[ChangeItem]:
    from oversight.plans.models import Status

    labels = dict(Status.choices)
    out: list[ChangeItem] = []
    for ref, a in new["actions"].items():
        b = old["actions"].get(ref)
        if b is None:
            out.append(ChangeItem("action", ref, f"New action: {a['title'][:120]}"))
            continue
        moved = []
        if a["status"] != b["status"]:
            moved.append(f"Status: {labels.get(b['status'], b['status'])} → {labels.get(a['status'], a['status'])}")
        if a["rag"] != b["rag"]:
            moved.append(f"RAG: {(b['rag'] or 'not rated').capitalize()} → {(a['rag'] or 'not rated').capitalize()}")
        if moved:
            out.append(ChangeItem("action", ref, "; ".join(moved)))
    for ref, r in new["risks"].items():
        b = old["risks"].get(ref)
        if b is None:
            out.append(ChangeItem("risk", ref, f"New risk, scored {r['score']}: {r['description'][:120]}"))
        elif r["score"] != b["score"]:
            out.append(ChangeItem("risk", ref, f"Re-scored {b['score']} → {r['score']}"))
    for ref in old["risks"]:
        if ref not in new["risks"]:
            out.append(ChangeItem("risk", ref, "Closed"))
    for ind, m in new["measures"].items():
        b = old["measures"].get(ind)
        if b is None:
            continue
        if (b["rag"] == "green") != (m["rag"] == "green") and m["rag"] and b["rag"]:
            what = "now meets its target" if m["rag"] == "green" else "no longer meets its target"
            out.append(ChangeItem("measure", ind, f"{m['name']} {what}"))
    for key, text in new["recommendations"].items():
        if key not in old["recommendations"]:
            out.append(ChangeItem("recommendation", "", f"New recommendation: {text[:160]}"))
    return out


def last_issued(programme: Programme, before: Period | None = None) -> BoardPack | None:
    qs = BoardPack.objects.filter(programme=programme, state=PackState.ISSUED)
    if before is not None:
        qs = qs.filter(period_end__lte=before.as_at)
    return qs.order_by("-version").first()


def changes_for_highlight(programme: Programme, period: Period,
                          report: HighlightReport) -> tuple[list[ChangeItem], str]:
    """Changes from the last issued pack (on or before the period) to this report; ([], "") if none issued."""
    pack = last_issued(programme, period)
    if pack is None or not pack.snapshot or "highlight" not in pack.snapshot:
        return [], ""
    return changes_between(facts(pack.snapshot["highlight"]), facts(to_json(report))), f"Version {pack.version}"


def changes_since(pack: BoardPack) -> tuple[list[ChangeItem], str]:
    """For a pack page: the current figures against the last issued pack before this one."""
    period = period_of(pack)
    previous = (BoardPack.objects.filter(programme=pack.programme, state=PackState.ISSUED, version__lt=pack.version)
                .order_by("-version").first())
    if previous is None or not previous.snapshot:
        return [], ""
    if pack.is_issued and pack.snapshot:
        current = pack.snapshot["highlight"]
    else:
        current = to_json(build("highlight", pack.programme, period, compare=False))
    return (changes_between(facts(previous.snapshot["highlight"]), facts(current)),
            f"Version {previous.version}")


__all__ = ["CONTENT_TYPES", "FORMATS", "NAMES", "TITLES", "PackError", "approve", "build_all", "can_approve",
           "can_manage", "can_read", "can_read_live", "changes_since", "create_pack", "edit_narrative", "issue",
           "pack_zip", "render", "render_files", "request_changes", "submit"]
