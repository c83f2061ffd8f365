"""A programme's "People and roles" page: who may do what in it, and the forms to change that.

Administrators and programme managers (``plans.view_membership``) read it; granting, changing an
expiry date and revoking go through ``plans.memberships`` so the page, the command line and single
sign-on keep the same rules (a programme manager cannot hand out child-level access; an
inspector's access must end on a date). Every change is kept in the membership's history with
who made it. The page and its ``.json`` twin are built from the same rows.
"""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from . import memberships
from .models import Membership, Programme

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class GrantForm(forms.Form):
    username = forms.CharField(max_length=150, label="Username",
                               help_text="The person's account name, e.g. their council e-mail address.")
    role = forms.ChoiceField(choices=[], label="Role")
    expires_on = forms.DateField(required=False, widget=DATE, label="Access ends on (optional)",
                                 help_text="From this date the role grants nothing. Required for inspectors.")

    def __init__(self, *args, roles, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r.name, r.name) for r in roles]


class ExpiryForm(forms.Form):
    expires_on = forms.DateField(required=False, widget=DATE, label="Access ends on",
                                 help_text="Leave blank for no end date (not allowed for inspectors).")


def _allowed(request: HttpRequest, prog: Programme, perm: str) -> None:
    if not request.user.has_perm(perm, prog):
        raise PermissionDenied("Only the programme's administrators and programme manager can change its roles.")


def _context(request: HttpRequest, prog: Programme, form: GrantForm) -> dict:
    rows = memberships.rows(prog, request.user)
    return {"nav": "plan", "programme": prog, "form": form, "rows": rows,
            "can_grant": request.user.has_perm("plans.add_membership", prog),
            "live_count": sum(1 for r in rows if r.live)}


def roles(request: HttpRequest, slug: str, fmt: str = "html") -> HttpResponse:
    """Everyone's roles in the programme; POST grants one."""
    prog = get_object_or_404(Programme, slug=slug)
    _allowed(request, prog, "plans.view_membership")
    grantable = memberships.grantable_roles(request.user, prog)
    form = GrantForm(roles=grantable)
    if request.method == "POST":
        _allowed(request, prog, "plans.add_membership")
        form = GrantForm(request.POST, roles=grantable)
        if form.is_valid():
            d = form.cleaned_data
            try:
                user = memberships.user_named(d["username"])
                m = memberships.grant(user, memberships.role_named(d["role"]), prog, expires_on=d["expires_on"],
                                      granted_by=request.user)
            except memberships.MembershipError as exc:
                form.add_error(None, str(exc))
            else:
                messages.success(request, f"{m.user.get_username()} is now {m.role.name.lower()} in {prog.name}.")
                return redirect("plans:roles", prog.slug)
    ctx = _context(request, prog, form)
    if fmt == "json":
        return JsonResponse({"programme": prog.slug, "memberships": [r.as_dict() for r in ctx["rows"]],
                             "grantable_roles": [r.name for r in grantable]})
    return render(request, "plans/roles.html", ctx, status=400 if form.errors else 200)


def role_edit(request: HttpRequest, slug: str, pk: int) -> HttpResponse:
    """Change the date a membership ends, or revoke it."""
    prog = get_object_or_404(Programme, slug=slug)
    _allowed(request, prog, "plans.change_membership")
    membership = get_object_or_404(Membership.objects.select_related("user", "role"), pk=pk, programme=prog)
    if not memberships.may_grant(request.user, membership.role, prog):
        raise PermissionDenied("Only an administrator can change this role.")
    form = ExpiryForm(initial={"expires_on": membership.expires_on})
    back = reverse("plans:roles", args=[prog.slug])
    if request.method == "POST":
        if "revoke" in request.POST:
            _allowed(request, prog, "plans.delete_membership")
            memberships.revoke(membership, by=request.user)
            messages.success(request, f"{membership.user.get_username()} is no longer "
                                      f"{membership.role.name.lower()} in {prog.name}.")
            return redirect(back)
        form = ExpiryForm(request.POST)
        if form.is_valid():
            try:
                memberships.change_expiry(membership, form.cleaned_data["expires_on"], by=request.user)
            except memberships.MembershipError as exc:
                form.add_error("expires_on", str(exc))
            else:
                messages.success(request, "The date the role ends is saved.")
                return redirect(back)
    return render(request, "plans/role_edit.html", {
        "nav": "plan", "programme": prog, "membership": membership, "form": form, "cancel": back,
    }, status=400 if form.errors else 200)
