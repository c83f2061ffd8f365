"""Single sign-on's role map gives memberships: in the configured programmes, or one named, or council-wide."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.models import Group, User

from oversight.accounts import oidc
from oversight.plans.models import Membership, Programme

CLAIMS = {"roles": ["Oversight.Analyst", "Oversight.YouthBoard"]}


def _held(user) -> set[tuple[str | None, str, str]]:
    return set(Membership.objects.filter(user=user).values_list("programme__slug", "role__name", "via"))


def test_a_mapped_role_is_held_in_each_configured_programme_and_a_slug_names_one(roles, settings):
    Programme.objects.create(slug="children", name="Children")
    Programme.objects.create(slug="youth", name="Youth")
    settings.OVERSIGHT_OIDC_ROLE_MAP = {"Oversight.Analyst": "Analyst", "Oversight.YouthBoard": "youth:Board member"}
    settings.OVERSIGHT_OIDC_PROGRAMMES = ["children", "youth"]
    assert oidc.mapped_memberships(CLAIMS) == {("children", "Analyst"), ("youth", "Analyst"),
                                               ("youth", "Board member")}
    anil = User.objects.create_user("anil@council.example")
    oidc.CouncilOIDCBackend._set_memberships(anil, oidc.mapped_memberships(CLAIMS))
    assert _held(anil) == {("children", "Analyst", "sso"), ("youth", "Analyst", "sso"),
                           ("youth", "Board member", "sso")}


def test_with_no_programmes_configured_a_mapped_role_is_council_wide(roles, settings):
    settings.OVERSIGHT_OIDC_ROLE_MAP = {"Oversight.Analyst": "Analyst"}
    settings.OVERSIGHT_OIDC_PROGRAMMES = []
    assert oidc.mapped_memberships(CLAIMS) == {(None, "Analyst")}


def test_sign_on_takes_away_only_what_it_gave(roles, settings):
    children = Programme.objects.create(slug="children", name="Children")
    settings.OVERSIGHT_OIDC_PROGRAMMES = ["children"]
    anil = User.objects.create_user("anil@council.example")
    Membership.objects.create(user=anil, programme=children, role=Group.objects.get(name="Team manager"), via="sso")
    Membership.objects.create(user=anil, programme=children, role=Group.objects.get(name="Inspector"),
                              expires_on=dt.date(2099, 1, 1))  # granted in the app
    oidc.CouncilOIDCBackend._set_memberships(anil, {("children", "Analyst")})
    assert _held(anil) == {("children", "Analyst", "sso"), ("children", "Inspector", "app")}


def test_the_role_map_may_not_give_the_inspector_role_nor_a_misspelt_one(settings):
    settings.OVERSIGHT_OIDC_ROLE_MAP = {"Ofsted": "children:Inspector", "Typo": "children:Analist"}
    assert sorted(e.id for e in oidc.role_map_names_real_roles(None)) == ["oversight.E010", "oversight.E011"]


def test_the_sign_on_backend_grants_nothing_itself(roles):
    gus = User.objects.create_user("gus")
    gus.groups.add(Group.objects.get(name="Programme manager"))
    backend = oidc.CouncilOIDCBackend()
    assert not backend.has_perm(gus, "plans.change_programme") and backend.get_all_permissions(gus) == set()
