"""The programme a request is about, and the gate that keeps people out of programmes not theirs.

``ProgrammeScopeMiddleware`` reads the programme from the URL (the ``slug`` argument every
``plan/<slug>/…`` page has) or from ``?programme=<slug>`` (the performance pages), and keeps it
in a context variable for the length of the request; ``accounts.backends`` answers
``user.has_perm(perm)`` for that programme. Pages tied to no programme (the Data pages,
``/performance/`` without ``?programme=``) are answered by "in any programme".

The same middleware is the gate: a signed-in person must be able to read the programme
(``plans.view_programme``, which every role has) to open any of its pages — or, on a page tied to
no programme, some programme. So a person with no live role (an inspector whose access has
expired, a programme manager of another programme on this one's pages) gets 403 everywhere but
the public pages and their own sign-out and two-factor pages. The Django admin keeps its own
rules (staff only).
"""

from __future__ import annotations

import contextvars
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse

READ_PROGRAMME = "plans.view_programme"
#: Pages about the person, not a programme: open to anyone signed in, role or not.
PERSONAL = frozenset({"logout", "twofactor:verify", "twofactor:setup"})


@dataclass(frozen=True)
class Where:
    """A programme named by slug (from a URL) or by primary key (from an object)."""

    slug: str | None = None
    pk: int | None = None


_current: contextvars.ContextVar[Where | None] = contextvars.ContextVar("oversight_programme", default=None)


def current() -> Where | None:
    """The programme of the request being handled, or None (no request, or a page of no programme)."""
    return _current.get()


def narrow_to(programme):
    """From now on in this request, answer permissions for ``programme`` (a page that chose one itself,
    e.g. ``/performance/`` without ``?programme=`` showing the person's first programme). Returns it."""
    if programme is not None:
        _current.set(Where(slug=programme.slug, pk=programme.pk))
    return programme


def programme_of(request: HttpRequest, view_kwargs: dict) -> Where | None:
    slug = view_kwargs.get("slug") or request.GET.get("programme")
    return Where(slug=str(slug)) if slug else None


class ProgrammeScopeMiddleware:
    """Sets the request's programme for permission checks, and refuses people with no role in it."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        token = _current.set(None)
        try:
            return self.get_response(request)
        finally:
            _current.reset(token)

    def process_view(self, request: HttpRequest, view_func, view_args, view_kwargs):
        _current.set(programme_of(request, view_kwargs))
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or user.is_superuser:
            return None
        if getattr(view_func, "login_required", True) is False:  # a public page (login_not_required)
            return None
        match = request.resolver_match
        name = match.view_name if match else ""
        if name in PERSONAL or (match and "admin" in match.namespaces):
            return None
        if not user.has_perm(READ_PROGRAMME):
            where = _current.get()
            if where is not None and where.slug and not _exists(where.slug):
                return None  # no such programme: the page answers its own 404 (slugs are not secret)
            raise PermissionDenied("You have no role in this programme. Ask its programme manager for one.")
        return None


def _exists(slug: str) -> bool:
    from oversight.plans.models import Programme

    return Programme.objects.filter(slug=slug).exists()
