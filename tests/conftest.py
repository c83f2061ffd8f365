"""Shared fixtures: named users for each permission edge, as the roles define them.

Roles are held per programme (``plans.Membership``). The named users here hold theirs
council-wide (no programme: every programme), so a test may make its programme before or after
them; tests about one programme against another grant memberships of their own (``grant``).
"""

from __future__ import annotations

import pytest
from django.contrib.auth.models import Group, User

from oversight.accounts.roles import ensure_roles


@pytest.fixture
def roles(db):
    return ensure_roles()


def grant(user: User, role: str, programme=None, **kwargs) -> User:
    """Give ``user`` the role (in ``programme``, or council-wide) and return a fresh instance (no stale cache)."""
    from oversight.plans.models import Membership

    Membership.objects.create(user=user, role=Group.objects.get(name=role), programme=programme, **kwargs)
    return User.objects.get(pk=user.pk)


def _user(username: str, *roles: str) -> User:
    user = User.objects.create_user(username=username, password="correct horse battery staple")
    for role in roles:
        user = grant(user, role)
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


@pytest.fixture
def ada_administrator(roles) -> User:
    return _user("ada", "Administrator")


@pytest.fixture
def anil_analyst(roles) -> User:
    return _user("anil", "Analyst")
