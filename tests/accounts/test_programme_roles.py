"""Roles are held per programme: a person can manage one programme and only read another.

The users here hold real roles through real memberships (``plans.Membership``); pages are
requested through the whole middleware stack, so the programme gate and the backend are both
exercised as a browser meets them.
"""

from __future__ import annotations

import datetime as dt
import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, User
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from oversight.accounts import twofactor
from oversight.plans import memberships
from oversight.plans.models import Membership, Programme

TODAY = timezone.localdate()
PASSWORD = "correct horse battery staple"


@pytest.fixture
def two_programmes(roles):
    return (Programme.objects.create(slug="children", name="Children's Services Improvement"),
            Programme.objects.create(slug="youth", name="Youth Justice Improvement"))


def _person(username: str) -> User:
    return User.objects.create_user(username, password=PASSWORD)


def _fresh(user: User) -> User:
    return User.objects.get(pk=user.pk)


def test_a_programme_manager_of_one_programme_only_reads_nothing_of_another(client, two_programmes):
    children, youth = two_programmes
    mina = _person("mina")
    memberships.grant(mina, "Programme manager", children)
    client.force_login(mina)
    assert client.get(reverse("plans:settings", args=["children"])).status_code == 200
    assert client.get(reverse("plans:settings", args=["youth"])).status_code == 403
    assert client.get(reverse("plans:programme", args=["youth"])).status_code == 403


def test_one_person_can_manage_one_programme_and_only_read_another(client, two_programmes):
    children, youth = two_programmes
    mina = _person("mina")
    memberships.grant(mina, "Programme manager", children)
    memberships.grant(mina, "Board member", youth)
    client.force_login(mina)
    assert client.get(reverse("plans:programme", args=["youth"])).status_code == 200
    assert client.get(reverse("plans:settings", args=["youth"])).status_code == 403
    assert client.get(reverse("plans:settings", args=["children"])).status_code == 200
    mina = _fresh(mina)
    assert mina.has_perm("plans.change_programme", children) and not mina.has_perm("plans.change_programme", youth)
    assert mina.has_perm("reports.view_issued_boardpack", youth)


def test_outside_any_programme_a_permission_is_held_if_held_in_any_programme(two_programmes):
    children, _ = two_programmes
    mina = _person("mina")
    memberships.grant(mina, "Programme manager", children)
    mina = _fresh(mina)
    assert mina.has_perm("plans.change_programme")  # no request, no programme: "in any programme"
    assert not mina.has_perm("accounts.view_child_data")


def test_a_council_wide_role_holds_in_every_programme(two_programmes, tara_team_manager):
    children, youth = two_programmes
    assert tara_team_manager.has_perm("accounts.view_child_data", children)
    assert tara_team_manager.has_perm("accounts.view_child_data", youth)


def test_a_django_group_on_its_own_grants_nothing(two_programmes):
    children, _ = two_programmes
    gus = _person("gus")
    gus.groups.add(Group.objects.get(name="Programme manager"))
    gus = _fresh(gus)
    assert not gus.has_perm("plans.change_programme") and not gus.has_perm("plans.change_programme", children)


def test_an_inspector_must_be_given_an_end_date(two_programmes):
    children, _ = two_programmes
    ivy = _person("ivy")
    with pytest.raises(memberships.MembershipError, match="must end on a date"):
        memberships.grant(ivy, "Inspector", children)
    with pytest.raises(ValidationError):
        Membership.objects.create(user=ivy, programme=children, role=Group.objects.get(name="Inspector"))
    with pytest.raises(memberships.MembershipError, match="not in the future"):
        memberships.grant(ivy, "Inspector", children, expires_on=TODAY)
    m = memberships.grant(ivy, "Inspector", children, expires_on=TODAY + dt.timedelta(days=5))
    assert m.is_live() and _fresh(ivy).has_perm("reports.view_issued_boardpack", children)


def test_an_inspector_whose_access_ended_gets_403_everywhere_but_the_public_pages(client, two_programmes):
    children, _ = two_programmes
    ivy = _person("ivy")
    Membership.objects.create(user=ivy, programme=children, role=Group.objects.get(name="Inspector"),
                              expires_on=TODAY)  # ended this morning
    client.force_login(ivy)
    assert not _fresh(ivy).has_perm("plans.view_programme", children)
    for url in (reverse("plans:programme", args=["children"]), reverse("plans:home"), reverse("datasets:list"),
                reverse("performance:scorecard")):
        assert client.get(url).status_code == 403, url
    assert client.get(reverse("ops:accessibility")).status_code == 200
    assert client.post(reverse("logout")).status_code == 302  # they can still sign out


def test_the_home_page_lists_only_the_programmes_the_person_holds_a_role_in(client, two_programmes):
    children, _ = two_programmes
    mina = _person("mina")
    memberships.grant(mina, "Board member", children)
    client.force_login(mina)
    response = client.get(reverse("plans:home"))
    assert response.status_code == 302 and response["Location"] == children.get_absolute_url()


def test_permissions_are_read_once_per_person_not_once_per_question(two_programmes):
    children, youth = two_programmes
    mina = _person("mina")
    memberships.grant(mina, "Programme manager", children)
    memberships.grant(mina, "Board member", youth)
    mina = _fresh(mina)
    with CaptureQueriesContext(connection) as queries:
        for _ in range(20):
            mina.has_perm("plans.change_action", children)
            mina.has_perm("plans.change_action", youth)
            mina.has_perm("accounts.view_child_data")
    assert len(queries) <= 2  # the memberships with their roles' permissions; the user's own permissions


def test_the_old_council_wide_groups_become_council_wide_memberships(roles):
    migration = importlib.import_module("oversight.plans.migrations.0005_memberships_from_groups")
    tara = _person("tara")
    tara.groups.add(Group.objects.get(name="Team manager"))
    migration.forwards(apps, None)
    assert list(Membership.objects.filter(user=tara).values_list("programme", "role__name", "via")) == [
        (None, "Team manager", "migrated")]
    tara = _fresh(tara)
    assert not tara.groups.exists()
    assert tara.has_perm("accounts.view_child_data")


def test_two_factor_is_required_by_the_roles_held_in_any_programme(two_programmes, settings):
    children, _ = two_programmes
    settings.OVERSIGHT_TOTP_REQUIRED_ROLES = ["Analyst"]
    anil = _person("anil")
    assert not twofactor.required_for(anil)
    memberships.grant(anil, "Analyst", children, granted_by=None)
    assert twofactor.required_for(_fresh(anil))


# ------------------------------------------------------------------------------------------ who may grant what

def test_a_programme_manager_may_grant_read_and_plan_roles_but_not_child_level_access(two_programmes):
    children, youth = two_programmes
    mina = _person("mina")
    memberships.grant(mina, "Programme manager", children)
    mina = _fresh(mina)
    names = [r.name for r in memberships.grantable_roles(mina, children)]
    assert names == ["Programme manager", "Action owner", "Board member", "Inspector"]
    assert memberships.grantable_roles(mina, youth) == []
    with pytest.raises(memberships.MembershipError, match="needs an administrator"):
        memberships.grant(_person("anil"), "Analyst", children, granted_by=mina)


def test_an_administrator_may_grant_any_role_in_their_programme_but_not_council_wide(two_programmes):
    children, _ = two_programmes
    ada = _person("ada")
    memberships.grant(ada, "Administrator", children)
    ada = _fresh(ada)
    assert "Analyst" in [r.name for r in memberships.grantable_roles(ada, children)]
    assert memberships.grantable_roles(ada, None) == []


# ------------------------------------------------------------------------------------------ People and roles page

def test_a_programme_manager_gives_a_board_member_their_role_on_the_people_and_roles_page(client, two_programmes):
    children, _ = two_programmes
    mina, bob = _person("mina"), _person("bob")
    memberships.grant(mina, "Programme manager", children)
    client.force_login(mina)
    page = client.get(reverse("plans:roles", args=["children"]))
    assert page.status_code == 200 and b"Give someone a role" in page.content
    assert b'value="Analyst"' not in page.content  # child-level access is an administrator's to give
    response = client.post(reverse("plans:roles", args=["children"]), {"username": "bob", "role": "Board member"})
    assert response.status_code == 302
    m = Membership.objects.get(user=bob)
    assert (m.programme, m.role.name, m.granted_by, m.via) == (children, "Board member", mina, "app")
    data = client.get(reverse("plans:roles_json", args=["children"])).json()
    assert {(r["username"], r["role"]) for r in data["memberships"]} == {("mina", "Programme manager"),
                                                                          ("bob", "Board member")}


def test_the_page_refuses_an_inspector_without_an_end_date_and_says_why(client, two_programmes):
    children, _ = two_programmes
    mina = _person("mina")
    _person("ivy")
    memberships.grant(mina, "Programme manager", children)
    client.force_login(mina)
    response = client.post(reverse("plans:roles", args=["children"]), {"username": "ivy", "role": "Inspector"})
    assert response.status_code == 400
    assert b"access must end on a date" in response.content
    assert not Membership.objects.filter(user__username="ivy").exists()
    response = client.post(reverse("plans:roles", args=["children"]),
                           {"username": "ivy", "role": "Inspector", "expires_on": "2099-03-08"})
    assert Membership.objects.get(user__username="ivy").expires_on == dt.date(2099, 3, 8)


def test_a_programme_manager_cannot_give_themself_child_level_access_by_posting_it(client, two_programmes):
    children, _ = two_programmes
    mina = _person("mina")
    memberships.grant(mina, "Programme manager", children)
    client.force_login(mina)
    response = client.post(reverse("plans:roles", args=["children"]), {"username": "mina", "role": "Analyst"})
    assert response.status_code == 400
    assert not _fresh(mina).has_perm("accounts.view_child_data", children)


def test_an_administrator_ends_an_inspectors_access_early_and_then_revokes_it(client, two_programmes):
    children, _ = two_programmes
    ada, ivy = _person("ada"), _person("ivy")
    memberships.grant(ada, "Administrator", children)
    m = memberships.grant(ivy, "Inspector", children, expires_on=dt.date(2099, 1, 1))
    client.force_login(ada)
    url = reverse("plans:role_edit", args=["children", m.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"expires_on": (TODAY + dt.timedelta(days=1)).isoformat()}).status_code == 302
    assert Membership.objects.get(pk=m.pk).expires_on == TODAY + dt.timedelta(days=1)
    assert client.post(url, {"revoke": "1"}).status_code == 302
    assert not Membership.objects.filter(pk=m.pk).exists()
    assert Membership.history.filter(id=m.pk, history_type="-").get().history_user == ada  # who revoked it


def test_a_programme_manager_of_another_programme_cannot_see_or_change_this_ones_roles(client, two_programmes):
    children, youth = two_programmes
    mina, bob = _person("mina"), _person("bob")
    memberships.grant(mina, "Programme manager", youth)
    m = memberships.grant(bob, "Board member", children)
    client.force_login(mina)
    assert client.get(reverse("plans:roles", args=["children"])).status_code == 403
    assert client.post(reverse("plans:roles", args=["children"]),
                       {"username": "mina", "role": "Programme manager"}).status_code == 403
    assert client.post(reverse("plans:role_edit", args=["children", m.pk]), {"revoke": "1"}).status_code == 403
    assert not Membership.objects.filter(user=mina, programme=children).exists()
    # nor through their own programme's page, by naming this programme's membership
    assert client.post(reverse("plans:role_edit", args=["youth", m.pk]), {"revoke": "1"}).status_code == 404
    assert Membership.objects.filter(pk=m.pk).exists()
