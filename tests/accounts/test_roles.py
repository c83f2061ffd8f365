"""Roles are declared once; migrate adds what a release brings but never undoes an administrator."""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.core.management import call_command

from oversight.accounts import roles
from oversight.accounts.checks import role_permissions_exist


def test_every_permission_the_roles_name_exists():
    assert roles.unknown_role_permissions() == []
    assert role_permissions_exist(None) == []


def test_a_misspelt_permission_in_the_role_table_fails_the_start_up_check(monkeypatch):
    monkeypatch.setitem(roles.ROLES, "Board member", ["plans.view_programe"])
    errors = role_permissions_exist(None)
    assert [e.id for e in errors] == ["oversight.E001"]
    assert "Board member: plans.view_programe" in errors[0].msg


def test_migrate_does_not_give_back_a_permission_an_administrator_took_away(roles):
    managers = Group.objects.get(name="Programme manager")
    delete_theme = Permission.objects.get(codename="delete_theme")
    managers.permissions.remove(delete_theme)
    call_command("migrate", interactive=False, verbosity=0)
    assert not managers.permissions.filter(pk=delete_theme.pk).exists()


def test_migrate_keeps_a_permission_an_administrator_added(roles):
    board = Group.objects.get(name="Board member")
    view_action = Permission.objects.get(codename="view_action")
    board.permissions.add(view_action)
    call_command("migrate", interactive=False, verbosity=0)
    assert board.permissions.filter(pk=view_action.pk).exists()


def test_a_role_that_cannot_read_its_programme_fails_the_start_up_check(monkeypatch):
    from oversight.accounts.checks import every_role_reads_its_programme

    assert every_role_reads_its_programme(None) == []
    monkeypatch.setitem(roles.ROLES, "Board member", ["reports.view_issued_boardpack"])
    assert [e.id for e in every_role_reads_its_programme(None)] == ["oversight.E002"]
