"""Checks and logging for child-level data, used by every view that shows rows."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest

from .models import ChildDataAccess

CHILD_DATA_PERMISSION = "accounts.view_child_data"


def can_see_child_data(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(CHILD_DATA_PERMISSION))


def log_child_data_access(request: HttpRequest, what: str, rows_shown: int | None = None) -> ChildDataAccess:
    """Refuse unless allowed, then record the view. Call before rendering any child-level row."""
    if not can_see_child_data(request.user):
        raise PermissionDenied("You do not have permission to see child-level data.")
    return ChildDataAccess.objects.create(
        user=request.user,
        what=what[:200],
        path=request.get_full_path()[:500],
        ip_address=request.META.get("REMOTE_ADDR") or None,
        rows_shown=rows_shown,
    )
