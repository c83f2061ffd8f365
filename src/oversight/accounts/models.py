"""Who may see child-level data, and the audit log of every view, download and export.

Child-level rows (Annex A lists) are special-category personal data. Aggregates are not, so
permission is split: everyone who can log in sees aggregates; only holders of
``accounts.view_child_data`` see rows. Every view of rows, every file downloaded and every
export from the command line writes an ``AuditEvent``; the log is append-only (the model
refuses updates and deletes, and on PostgreSQL a trigger refuses them too), so that it can be
trusted as the record of who saw what.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Iterator

from django.conf import settings
from django.db import connection, models

#: Set only by :func:`audit_maintenance` (a whole-install restore): the one time the log may be cleared.
_MAINTENANCE = contextvars.ContextVar("oversight_audit_maintenance", default=False)


class AuditLogIsAppendOnly(Exception):
    """Someone tried to change or delete an audit event: nobody may, not even an administrator."""


@contextlib.contextmanager
def audit_maintenance() -> Iterator[None]:
    """Allow the log to be cleared, for ``oversight restore --force`` only (it puts back the backup's log).

    Must be used inside a transaction: on PostgreSQL the trigger is unlocked with ``SET LOCAL``,
    which lasts until the transaction ends, and is locked again on the way out.
    """
    token = _MAINTENANCE.set(True)
    vendor = connection.vendor
    try:
        if vendor == "postgresql":
            with connection.cursor() as cur:
                cur.execute("SELECT set_config('oversight.audit_unlock', 'on', true)")
        yield
    finally:
        _MAINTENANCE.reset(token)
        if vendor == "postgresql" and connection.in_atomic_block and not connection.needs_rollback:
            with connection.cursor() as cur:
                cur.execute("SELECT set_config('oversight.audit_unlock', 'off', true)")


def now_to_the_millisecond():
    """Events are stamped to the millisecond: what a backup (Django's JSON) keeps, so a restore is exact."""
    from django.utils import timezone

    now = timezone.now()
    return now.replace(microsecond=now.microsecond // 1000 * 1000)


class AuditQuerySet(models.QuerySet):
    """Reads as usual; ``update`` and ``delete`` refuse, so no code path can rewrite the log."""

    def update(self, **kwargs):
        raise AuditLogIsAppendOnly("The audit log cannot be changed.")

    def delete(self):
        if not _MAINTENANCE.get():
            raise AuditLogIsAppendOnly("The audit log cannot be deleted.")
        return super().delete()

    delete.queryset_only = True  # type: ignore[attr-defined]


class AuditEvent(models.Model):
    """One view of child-level rows, one file downloaded, or one export: who, when, what, how many rows."""

    class Kind(models.TextChoices):
        CHILD_VIEW = "child-view", "Child-level rows viewed"
        DOWNLOAD = "download", "File downloaded"
        EXPORT = "export", "Exported from the command line"
        RESTORE = "restore", "Install restored from a backup"

    COMMAND_LINE = "command line"

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                             related_name="audit_events")
    actor = models.CharField(max_length=150, blank=True, db_index=True,
                             help_text='the user name at the time, or "command line"')
    os_user = models.CharField(max_length=150, blank=True, help_text="the operating-system account of a command")
    at = models.DateTimeField(default=now_to_the_millisecond, editable=False, db_index=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, db_index=True)
    what = models.CharField(max_length=200, help_text="e.g. 'indicator rows: cpp_open 2020-01 team A'")
    path = models.CharField(max_length=500, blank=True, help_text="the address opened, or the file written")
    format = models.CharField(max_length=20, blank=True, help_text="html, csv, xlsx, docx, pdf, zip, json")
    programme = models.CharField(max_length=100, blank=True, db_index=True, help_text="the programme's slug, if known")
    reason = models.CharField(max_length=500, blank=True, help_text="why, when the install asks for a reason")
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    rows_shown = models.PositiveIntegerField(null=True, blank=True)

    objects = AuditQuerySet.as_manager()

    class Meta:
        ordering = ["-at", "-pk"]
        default_permissions = ("view",)  # nobody adds, changes or deletes events by hand
        permissions = [
            ("view_child_data", "Can see child-level rows behind the figures"),
            ("view_access_log", "Can read the audit log (child-level views, downloads, exports)"),
        ]

    def __str__(self) -> str:
        return f"{self.who} – {self.get_kind_display().lower()}: {self.what} at {self.at:%Y-%m-%d %H:%M}"

    def save(self, *args, **kwargs) -> None:
        if not self._state.adding:
            raise AuditLogIsAppendOnly("An audit event cannot be changed once written.")
        if not self.actor and self.user_id:
            self.actor = self.user.get_username()[:150]
        kwargs.pop("force_update", None)
        kwargs["force_insert"] = True
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AuditLogIsAppendOnly("An audit event cannot be deleted.")

    @property
    def who(self) -> str:
        if self.actor == self.COMMAND_LINE and self.os_user:
            return f"command line ({self.os_user})"
        return self.actor or (self.user.get_username() if self.user_id else "")

    @property
    def rows(self) -> int | None:
        return self.rows_shown


class ChildDataAccessManager(models.Manager.from_queryset(AuditQuerySet)):  # type: ignore[misc]
    def get_queryset(self):
        return super().get_queryset().filter(kind=AuditEvent.Kind.CHILD_VIEW)


class ChildDataAccess(AuditEvent):
    """The child-level views in the audit log (the name the views and tests have always used)."""

    objects = ChildDataAccessManager()

    class Meta:
        proxy = True
        default_permissions = ()
        ordering = ["-at", "-pk"]

    def save(self, *args, **kwargs) -> None:
        if self._state.adding and not self.kind:
            self.kind = AuditEvent.Kind.CHILD_VIEW
        super().save(*args, **kwargs)


class RoleDefaultGranted(models.Model):
    """A default permission Oversight has given a role once; never given again after that.

    ``migrate`` adds the permissions a new release brings to each role, but an administrator's
    choices stand: a default they removed is not put back, a permission they added is kept.
    """

    group = models.ForeignKey("auth.Group", on_delete=models.CASCADE, related_name="+")
    permission = models.CharField(max_length=200, help_text='"app_label.codename"')
    granted_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["group", "permission"], name="role_default_granted_once")]

    def __str__(self) -> str:
        return f"{self.group}: {self.permission}"
