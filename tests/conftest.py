"""Shared fixtures: named users for each permission edge, as the roles define them."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User

from oversight.accounts.roles import ensure_roles


@pytest.fixture
def roles(db):
    return ensure_roles()


def _user(username: str, *groups: str) -> User:
    user = User.objects.create_user(username=username, password="correct horse battery staple")
    user.groups.set([Group.objects.get(name=g) for g in groups])
    return user


@pytest.fixture
def priya_programme_manager(roles) -> User:
    return _user("priya", "Programme manager")


@pytest.fixture
def owen_action_owner(roles) -> User:
    return _user("owen", "Action owner")


@pytest.fixture
def tara_team_manager(roles) -> User:
    return _user("tara", "Team manager")


@pytest.fixture
def bob_board_member(roles) -> User:
    return _user("bob", "Board member")
