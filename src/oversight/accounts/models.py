"""Who may see child-level data, and the log of every time someone did.

Child-level rows (Annex A lists) are special-category personal data. Aggregates are not, so
permission is split: everyone who can log in sees aggregates; only holders of
``accounts.view_child_data`` see rows, and every such view writes a ``ChildDataAccess`` row.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models


class ChildDataAccess(models.Model):
    """One view or download of child-level data: who, when, what, and from where."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="child_data_accesses")
    at = models.DateTimeField(auto_now_add=True, db_index=True)
    what = models.CharField(max_length=200, help_text="e.g. 'indicator rows: cpp_open 2020-01 team A'")
    path = models.CharField(max_length=500, blank=True)
    ip_address = models.GenericIPAddressField(null=True, blank=True)
    rows_shown = models.PositiveIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["-at"]
        permissions = [
            ("view_child_data", "Can see child-level rows behind the figures"),
            ("view_access_log", "Can read the log of child-level data views"),
        ]

    def __str__(self) -> str:
        return f"{self.user} viewed {self.what} at {self.at:%Y-%m-%d %H:%M}"


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
