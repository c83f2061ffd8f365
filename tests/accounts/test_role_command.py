"""``oversight role``: the command line grants, lists and revokes roles per programme, by the same rules."""

from __future__ import annotations

import datetime as dt
import json
from io import StringIO

import pytest
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command

from oversight.plans.models import Membership, Programme


def _run(*args) -> str:
    out = StringIO()
    call_command("role", *args, stdout=out)
    return out.getvalue()


@pytest.fixture
def setting(roles):
    Programme.objects.create(slug="children", name="Children's Services Improvement")
    return User.objects.create_user("ivy@ofsted.example")


def test_an_inspector_is_granted_until_a_date_and_listed_then_revoked(setting):
    said = _run("grant", "ivy@ofsted.example", "Inspector", "--programme", "children", "--expires", "2099-03-08")
    assert said.strip() == "ivy@ofsted.example is Inspector in Children's Services Improvement until 08/03/2099."
    rows = json.loads(_run("list", "--json"))
    assert rows == [{"username": "ivy@ofsted.example", "role": "Inspector", "programme": "children",
                     "expires_on": "2099-03-08", "live": True, "via": "command"}]
    _run("revoke", "ivy@ofsted.example", "Inspector", "--programme", "children")
    assert not Membership.objects.exists()


def test_an_inspector_without_an_end_date_is_refused_with_exit_code_2(setting):
    with pytest.raises(CommandError, match="must end on a date") as err:
        _run("grant", "ivy@ofsted.example", "inspector", "--programme", "children")
    assert err.value.returncode == 2


def test_with_one_programme_it_is_the_default_and_all_programmes_means_council_wide(setting):
    _run("grant", "ivy@ofsted.example", "Board member")
    _run("grant", "ivy@ofsted.example", "Administrator", "--all-programmes")
    assert set(Membership.objects.values_list("programme__slug", "role__name")) == {
        ("children", "Board member"), (None, "Administrator")}
    listed = _run("list", "--user", "ivy@ofsted.example")
    assert "every programme" in listed and "children" in listed


def test_unknown_people_roles_and_programmes_are_named_in_the_refusal(setting):
    with pytest.raises(CommandError, match="Nobody has an account called 'nobody'"):
        _run("grant", "nobody", "Board member")
    with pytest.raises(CommandError, match="no role called 'Chief'"):
        _run("grant", "ivy@ofsted.example", "Chief")
    with pytest.raises(CommandError, match="No programme 'adults'"):
        _run("grant", "ivy@ofsted.example", "Board member", "--programme", "adults")


def test_a_grant_given_again_sets_the_new_end_date(setting):
    _run("grant", "ivy@ofsted.example", "Inspector", "--expires", "2099-03-08")
    _run("grant", "ivy@ofsted.example", "Inspector", "--expires", "2099-04-30")
    assert list(Membership.objects.values_list("expires_on", flat=True)) == [dt.date(2099, 4, 30)]
