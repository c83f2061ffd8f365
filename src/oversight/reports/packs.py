"""Building, rendering, approving and issuing board packs, and "changed since version N".

The state machine is draft → submitted → approved → issued; "changes requested" sends a
submitted (or approved) pack back to draft with a comment. Issuing renders every report in every
format once, stores the bytes with their SHA-256 and a JSON snapshot of every builder's output,
and from then on the pack and its files refuse to change.
"""

from __future__ import annotations

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


def render(report: Report, fmt: str) -> bytes:
    """The report in ``fmt``; a PDF already made from the very same report and renderer is reused.

    Renderers are pure (same read model → same bytes; the PDF's dates are the as-at, not the
    clock), so the cache is keyed by the report's JSON and the renderer's fingerprint and can
    never serve a stale figure. It lives under ``DATA_DIR/cache/reports``; deleting it is safe.
    """
    if fmt not in CACHED_FORMATS:
        return renderer(fmt).render(report)
    from django.conf import settings

    key = hashlib.sha256(json.dumps(to_json(report), sort_keys=True, ensure_ascii=False).encode()
                         + _renderer_fingerprint().encode()).hexdigest()
    folder = Path(settings.DATA_DIR) / "cache" / "reports"
    path = folder / f"{key}.{fmt}"
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


def _render_pdf(report: Report) -> bytes:
    return render(report, "pdf")


def _pdfs_in_parallel(reports: dict[str, Report]) -> dict[str, bytes]:
    """Every report's PDF, laid out on every core at once.

    WeasyPrint's layout is most of a pack's time and runs on one core; the reports are
    independent, so a process per core divides it. Only where ``fork`` exists (the children
    inherit the loaded renderer); elsewhere, or for a single report, in turn.
    """
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    workers = min(len(reports), os.cpu_count() or 1)
    if workers < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return {name: render(report, "pdf") for name, report in reports.items()}
    # The children never touch the database and leave through os._exit, so the parent's open
    # connection is neither used nor closed by them.
    with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
        results = dict(zip(reports, pool.map(_render_pdf, reports.values()), strict=True))
    return results


def render_all(programme: Programme, period: Period, reports: dict[str, Report],
               formats: Iterable[str] | None = None) -> list[tuple[str, str, str, bytes]]:
    """(report name, format, file name, bytes) for every report in every available format."""
    fmts = list(formats) if formats is not None else available_formats()
    pdfs = _pdfs_in_parallel(reports) if "pdf" in fmts and len(reports) > 1 else {}
    return [(name, fmt, filename(programme, period, name, fmt),
             pdfs[name] if fmt == "pdf" and name in pdfs else render(report, fmt))
            for name, report in reports.items() for fmt in fmts]


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
           "can_manage", "can_read", "changes_since", "create_pack", "edit_narrative", "issue", "pack_zip",
           "render", "request_changes", "submit"]
