"""Backup and restore of a whole Oversight install: the database and the data folder, in one zip.

A backup holds everything a council would miss: users and roles, the plan with its history,
risks, targets, benchmarks, commentary, local measures, the audit log, stored datasets (the
Parquet files under ``DATA_DIR``) and issued board packs. It is written with Django's own
serialisers (natural keys for permissions and content types), so it restores into an empty
install on another machine, in another folder, or from SQLite into PostgreSQL.

Left out on purpose: sessions (everyone signs in again), sign-in throttling state (django-axes),
content types and permissions (``migrate`` recreates them; natural keys tie them back).
"""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import tempfile
import zipfile
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction

from oversight.accounts.models import audit_maintenance

FORMAT = "oversight-backup"
VERSION = 1
EXCLUDE = ["contenttypes", "auth.permission", "sessions", "axes"]


class BackupError(Exception):
    """A backup that cannot be written or restored, with a one-line reason."""


def _counts() -> dict[str, int]:
    out = {}
    for model in apps.get_models():
        label = model._meta.label_lower
        app = model._meta.app_label
        if app in {"contenttypes", "sessions", "axes"} or label == "auth.permission" or model._meta.proxy:
            continue
        out[label] = model._default_manager.count()
    return out


def _auto_through_models() -> list:
    """Many-to-many tables Django made itself: their row order is meaningful (an action's owners)."""
    out = []
    for model in apps.get_models():
        for f in model._meta.local_many_to_many:
            through = f.remote_field.through
            if through._meta.auto_created:
                out.append(through)
    return out


def _m2m_order() -> dict[str, list[list[int]]]:
    """Each auto-made many-to-many table's rows in the order they were added.

    The serialiser writes many-to-many values in the related model's ordering, which would turn
    "Head of Service, then Deputy Director" into alphabetical order; this puts it back.
    """
    out = {}
    for through in _auto_through_models():
        a, b = [f.attname for f in through._meta.fields if f.is_relation]
        out[through._meta.label] = [list(r) for r in through.objects.order_by("pk").values_list(a, b)]
    return out


def _restore_m2m_order(order: dict[str, list[list[int]]]) -> None:
    for through in _auto_through_models():
        rows = order.get(through._meta.label)
        if rows is None:
            continue
        a, b = [f.attname for f in through._meta.fields if f.is_relation]
        through.objects.all().delete()
        through.objects.bulk_create([through(**{a: x, b: y}) for x, y in rows])


def write_backup(target: Path) -> dict:
    """Write the backup zip to ``target``; returns its manifest."""
    data = io.StringIO()
    with transaction.atomic():  # one consistent picture of the database
        call_command("dumpdata", exclude=EXCLUDE, natural_foreign=True, indent=None, stdout=data,
                     verbosity=0)
        manifest = {
            "format": FORMAT, "version": VERSION, "created": dt.datetime.now(dt.UTC).isoformat(),
            "database": connection.vendor, "counts": _counts(),
        }
        m2m = _m2m_order()
    data_dir = Path(settings.DATA_DIR)
    files = sorted(p for p in data_dir.rglob("*") if p.is_file()) if data_dir.exists() else []
    manifest["files"] = len(files)
    tmp = target.with_name(target.name + ".partial")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("manifest.json", json.dumps(manifest, indent=2))
        zf.writestr("data.json", data.getvalue())
        zf.writestr("m2m_order.json", json.dumps(m2m))
        for f in files:
            zf.write(f, f"files/{f.relative_to(data_dir).as_posix()}")
    tmp.replace(target)  # never a half-written backup under the real name
    return manifest


def read_manifest(source: Path) -> dict:
    try:
        with zipfile.ZipFile(source) as zf:
            manifest = json.loads(zf.read("manifest.json"))
    except FileNotFoundError as exc:
        raise BackupError(f"{source}: no such file") from exc
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise BackupError(f"{source}: not an Oversight backup") from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source}: not an Oversight backup")
    if manifest.get("version", 0) > VERSION:
        raise BackupError(f"{source}: made by a newer Oversight (backup version {manifest['version']})")
    return manifest


def install_is_empty() -> bool:
    from django.contrib.auth import get_user_model

    from oversight.plans.models import Programme

    return not get_user_model().objects.exists() and not Programme.objects.exists()


def restore_backup(source: Path, *, force: bool = False) -> dict:
    """Restore ``source`` into this (empty) install: migrate, load the data, put back the files."""
    manifest = read_manifest(source)
    call_command("migrate", interactive=False, verbosity=0)
    if not force and not install_is_empty():
        raise BackupError("this install already has users or programmes; restore into an empty install "
                          "(or use --force to replace everything)")
    data_dir = Path(settings.DATA_DIR)
    with tempfile.TemporaryDirectory() as tmpdir, zipfile.ZipFile(source) as zf:
        fixture = Path(tmpdir) / "data.json"
        fixture.write_bytes(zf.read("data.json"))
        with transaction.atomic(), audit_maintenance():  # the one time the audit log may be cleared
            _clear_for_restore()
            call_command("loaddata", str(fixture), verbosity=0)
            if "m2m_order.json" in zf.namelist():
                _restore_m2m_order(json.loads(zf.read("m2m_order.json")))
        for name in zf.namelist():
            if not name.startswith("files/") or name.endswith("/"):
                continue
            rel = Path(name[len("files/"):])
            if rel.is_absolute() or ".." in rel.parts:
                raise BackupError(f"{source}: unsafe file name in backup: {name}")
            dest = data_dir / rel
            dest.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
            with zf.open(name) as src, open(dest, "wb") as out:
                shutil.copyfileobj(src, out)
            dest.chmod(0o600)
    return manifest


def _clear_for_restore() -> None:
    """Remove what ``migrate`` created (the default role groups) or what ``--force`` replaces."""
    for model in reversed(list(apps.get_models())):
        app = model._meta.app_label
        if app in {"contenttypes", "sessions"} or model._meta.label_lower == "auth.permission":
            continue
        if model._meta.proxy or not model._meta.managed:
            continue
        model._default_manager.all().delete()
