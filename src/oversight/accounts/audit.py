"""The audit log: child-level views, every file downloaded, every export from the command line.

Three ways in, one log (``AuditEvent``):

* views that show child-level rows call :func:`log_child_data_access` before rendering them (it
  refuses without ``accounts.view_child_data`` and, when the install asks for a reason, sends
  the person to a short form first);
* every file a signed-in person downloads is logged by :class:`AuditMiddleware`, declared once
  in settings, so a download view written tomorrow is covered without anyone remembering it; a
  view may say how many rows the file holds with :func:`mark_download`;
* commands that write data out (``plan export``, ``report``, ``backup`` …) call
  :func:`log_command`, whose actor is "command line" and the operating-system account.
"""

from __future__ import annotations

import datetime as dt
import getpass
import re
import sys
from urllib.parse import urlencode, urlsplit

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import DatabaseError
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.urls import reverse
from django.utils import timezone

from .models import AuditEvent, ChildDataAccess

CHILD_DATA_PERMISSION = "accounts.view_child_data"
LOG_PERMISSION = "accounts.view_access_log"

#: A view may tell the middleware how many rows a file holds with this header; it never leaves the server.
ROWS_HEADER = "X-Oversight-Audit-Rows"
#: Responses of these types are files, whatever their Content-Disposition says.
FILE_TYPES = {
    "text/csv": "csv",
    "application/pdf": "pdf",
    "application/zip": "zip",
    "application/x-zip-compressed": "zip",
    "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": "xlsx",
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
    "application/vnd.ms-excel": "xls",
    "application/octet-stream": "",
}
#: How long a reason given for child-level data stands for the same page (its other pages and months).
REASON_MINUTES = 30
_SESSION_KEY = "oversight_audit_reasons"
_FILENAME = re.compile(r"""filename\*?=(?:UTF-8'')?"?([^";]+)"?""", re.IGNORECASE)


class ReasonRequired(Exception):
    """The install asks why before child-level rows are shown, and no reason has been given yet."""


def can_see_child_data(user) -> bool:
    return bool(user and user.is_authenticated and user.has_perm(CHILD_DATA_PERMISSION))


def asks_for_reason() -> bool:
    return bool(getattr(settings, "OVERSIGHT_ASK_REASON_FOR_CHILD_DATA", False))


def _address(request: HttpRequest) -> str | None:
    return request.META.get("REMOTE_ADDR") or None


def _programme(request: HttpRequest) -> str:
    """The programme the request is about: the URL's ``slug``, else ``?programme=``, else unknown."""
    match = getattr(request, "resolver_match", None)
    slug = (match.kwargs.get("slug") if match else None) or request.GET.get("programme") or ""
    return str(slug)[:100]


def reason_for(request: HttpRequest) -> str:
    """The reason this person gave for this page (any query) within the last REASON_MINUTES, or ''."""
    session = getattr(request, "session", None)
    if session is None:
        return ""
    given = session.get(_SESSION_KEY, {}).get(request.path)
    if not given:
        return ""
    at = dt.datetime.fromisoformat(given["at"])
    if timezone.now() - at > dt.timedelta(minutes=REASON_MINUTES):
        return ""
    return given["reason"]


def remember_reason(request: HttpRequest, path: str, reason: str) -> None:
    reasons = {p: r for p, r in request.session.get(_SESSION_KEY, {}).items()
               if timezone.now() - dt.datetime.fromisoformat(r["at"]) <= dt.timedelta(minutes=REASON_MINUTES)}
    reasons[path] = {"reason": reason[:500], "at": timezone.now().isoformat()}
    request.session[_SESSION_KEY] = reasons


def log_child_data_access(request: HttpRequest, what: str, rows_shown: int | None = None) -> ChildDataAccess:
    """Refuse unless allowed, ask why if the install wants a reason, then record the view.

    Call before rendering any child-level row (or writing it into a file).
    """
    if not can_see_child_data(request.user):
        raise PermissionDenied("You do not have permission to see child-level data.")
    reason = reason_for(request)
    if asks_for_reason() and not reason:
        raise ReasonRequired(what)
    event = ChildDataAccess.objects.create(
        user=request.user,
        actor=request.user.get_username()[:150],
        kind=AuditEvent.Kind.CHILD_VIEW,
        what=what[:200],
        path=request.get_full_path()[:500],
        format=_format_of(request),
        programme=_programme(request),
        reason=reason,
        ip_address=_address(request),
        rows_shown=rows_shown,
    )
    request.audit_rows = rows_shown  # a file made from these rows says how many without being told again
    return event


def _format_of(request: HttpRequest) -> str:
    match = getattr(request, "resolver_match", None)
    fmt = (match.kwargs.get("fmt") if match else None) or request.GET.get("format") or ""
    if not fmt and request.path.endswith(".json"):
        fmt = "json"
    return str(fmt or "html")[:20]


def mark_download(response: HttpResponse, *, rows: int | None = None, what: str | None = None) -> HttpResponse:
    """Tell the audit middleware what a file holds (how many rows; a better label than its file name)."""
    if rows is not None:
        response.audit_rows = rows  # type: ignore[attr-defined]
    if what:
        response.audit_what = what  # type: ignore[attr-defined]
    return response


def _filename(response: HttpResponse) -> str:
    found = _FILENAME.search(response.get("Content-Disposition", ""))
    return found.group(1).strip() if found else ""


def is_file(response: HttpResponse) -> bool:
    """A download: sent as an attachment, or of a file type (spreadsheets, documents, PDFs, zips, CSV)."""
    if response.get("Content-Disposition", "").lower().startswith("attachment"):
        return True
    return response.get("Content-Type", "").split(";")[0].strip().lower() in FILE_TYPES


def log_download(request: HttpRequest, response: HttpResponse, rows: int | None = None) -> AuditEvent:
    name = _filename(response)
    fmt = name.rsplit(".", 1)[-1].lower() if "." in name else \
        FILE_TYPES.get(response.get("Content-Type", "").split(";")[0].strip().lower(), "")
    what = getattr(response, "audit_what", None) or name or request.path
    match = getattr(request, "resolver_match", None)
    if match and match.view_name and not getattr(response, "audit_what", None):
        what = f"{what} ({match.view_name})"
    if rows is None:
        rows = getattr(response, "audit_rows", None)
    if rows is None:
        rows = getattr(request, "audit_rows", None)
    return AuditEvent.objects.create(
        user=request.user, actor=request.user.get_username()[:150], kind=AuditEvent.Kind.DOWNLOAD,
        what=what[:200], path=request.get_full_path()[:500], format=fmt[:20], programme=_programme(request),
        reason=reason_for(request), ip_address=_address(request), rows_shown=rows,
    )


def log_command(what: str, *, kind: str = AuditEvent.Kind.EXPORT, path: str = "", fmt: str = "",
                rows: int | None = None, programme: str = "") -> AuditEvent | None:
    """Record an export (or a restore) made at the command line: actor "command line" and the OS account.

    A command that cannot reach the log (a database not set up yet) still does its work and says
    so on standard error: whoever runs commands on the server can read the database anyway.
    """
    try:
        os_user = getpass.getuser()
    except (KeyError, OSError):  # no name for this uid (a container)
        os_user = ""
    try:
        return AuditEvent.objects.create(
            actor=AuditEvent.COMMAND_LINE, os_user=os_user[:150], kind=kind, what=what[:200], path=str(path)[:500],
            format=fmt[:20], programme=(programme or "")[:100], rows_shown=rows,
        )
    except DatabaseError as exc:
        sys.stderr.write(f"warning: the audit log could not be written ({exc})\n")
        return None


class AuditMiddleware:
    """Logs every file a signed-in person downloads, and asks for a reason where the install wants one.

    Declared once in ``MIDDLEWARE``: a download view needs nothing more to be logged. The
    internal rows header (:data:`ROWS_HEADER`) is taken off every response before it leaves.
    """

    def __init__(self, get_response) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        rows_header = None
        if ROWS_HEADER in response:
            rows_header = response[ROWS_HEADER]
            del response[ROWS_HEADER]
        if 200 <= response.status_code < 300 and request.method != "HEAD" and is_file(response):
            user = getattr(request, "user", None)
            if user is not None and user.is_authenticated:
                rows = int(rows_header) if rows_header and rows_header.isdigit() else None
                log_download(request, response, rows)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if not isinstance(exception, ReasonRequired):
            return None
        form = reverse("audit:reason") + "?" + urlencode({"next": request.get_full_path()})
        if request.path.endswith(".json") or request.GET.get("format") == "json":
            return JsonResponse({"error": "Give a reason before seeing child-level data.", "reason_form": form},
                                status=403)
        return HttpResponseRedirect(form)


def safe_next(request: HttpRequest, target: str | None) -> str:
    """Only a path on this site, never another host (the form's ``next`` is typed by anyone)."""
    from django.utils.http import url_has_allowed_host_and_scheme

    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                  require_https=request.is_secure()):
        parts = urlsplit(target)
        if not parts.netloc:
            return target
    return reverse("plans:home")
