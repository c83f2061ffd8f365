"""Every URL × every role (and anonymous, and a superuser) answers as ``accounts/access.py`` declares.

The URLs come from the resolver when the tests are collected, so a view added tomorrow is in
the matrix at once; if it has no rule, or its path arguments have no sample, its cases fail
and say where to add them. The users hold the real roles of ``accounts.roles.ROLES`` (groups
made by ``ensure_roles``) through real memberships, not hand-made permission sets: one per role
in the sample programme, a programme manager of another programme (nothing on this programme's
pages) and an inspector whose access has expired (nothing anywhere but public pages). The world
is built once per module: the demo programme with its risks, measures and governance, a tiny consistent Annex A dataset
(published), an issued board pack, and the action owner and team manager linked as owners of
the sample action (so "update your own action" is exercised).
"""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from django.db import transaction
from django.test import Client, override_settings

from oversight.accounts.access import (
    ANONYMOUS,
    RULES,
    SUPERUSER,
    expected_status,
    identities,
    is_write,
    may,
    rule_for,
)
from oversight.accounts.roles import declared_permissions
from oversight.accounts.url_samples import MissingSample, build_world, sample_path, url_patterns

URLS = url_patterns()
WHO = [*identities(), ANONYMOUS, SUPERUSER]
LOGIN_PAGES = ("/accounts/login/", "/admin/login/")  # the admin keeps its own sign-in page
IMMEDIATE = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

#: Access bugs the matrix finds are fixed, not hidden; while one is open it is listed here as a
#: strict xfail: (url name, who, method) → why. Fixed so far:
#: the figures form answered GET to people who may not enter figures, and a board member's POST to a
#: pack transition was refused with a 302 instead of a 403.
KNOWN_BUGS: dict[tuple[str, str, str], str] = {}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    """Built once in a transaction that is rolled back when the module ends; each test nests in it."""
    with (tempfile.TemporaryDirectory() as tmp, override_settings(DATA_DIR=Path(tmp), TASKS=IMMEDIATE),
          django_db_blocker.unblock(), transaction.atomic()):
        yield build_world(Path(tmp))
        transaction.set_rollback(True)


def _client(world, who: str) -> Client:
    client = Client(raise_request_exception=False)
    if world["users"][who] is not None:
        client.force_login(world["users"][who])
    return client


def _scoped(url) -> bool:
    """Whether the URL is a page of the sample programme (its slug) or of no programme (roles anywhere count)."""
    return "slug" in url.converters


def _path(world, url) -> str:
    try:
        return sample_path(url, world["objects"])
    except MissingSample as exc:
        pytest.fail(str(exc))


CASES = [pytest.param(url, who, id=f"{url.name}|{who}") for url in URLS for who in WHO]


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "who"), CASES)
def test_every_url_answers_each_role_as_declared(world, url, who, request):
    rule = rule_for(url.name)  # fails with a message if the URL has no rule
    path = _path(world, url)
    if (url.name, who, "GET") in KNOWN_BUGS:
        request.applymarker(pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[(url.name, who, "GET")]))
    response = _client(world, who).get(path)
    assert response.status_code != 500, f"GET {path} as {who}: server error"
    want = expected_status(rule, who, _scoped(url))
    assert response.status_code == want, f"GET {path} as {who}: {response.status_code}, declared {want}"
    if want == 302 and who == ANONYMOUS:
        assert response["Location"].startswith(LOGIN_PAGES), response["Location"]


def _post_cases():
    out = []
    for url in URLS:
        rule = RULES.get(url.name)
        if rule is None or not is_write(rule):
            continue  # a URL without a rule already fails above
        out += [pytest.param(url, who, id=f"{url.name}|{who}") for who in WHO if not may(rule, who, _scoped(url))]
    return out


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "who"), _post_cases())
def test_a_post_to_a_write_url_by_someone_not_allowed_is_refused(world, url, who, request):
    """403 for a signed-in role without the permission (405 would do for a page that takes no POST),
    the sign-in page for anonymous: never a 200 or a redirect that means it was saved."""
    path = _path(world, url)
    if (url.name, who, "POST") in KNOWN_BUGS:
        request.applymarker(pytest.mark.xfail(strict=True, reason=KNOWN_BUGS[(url.name, who, "POST")]))
    response = _client(world, who).post(path, {"text": "Written by someone not allowed", "version": 1})
    assert response.status_code != 500, f"POST {path} as {who}: server error"
    if who == ANONYMOUS:
        assert response.status_code == 302 and response["Location"].startswith(LOGIN_PAGES), (
            f"POST {path} as anonymous: {response.status_code} {response.get('Location', '')}")
    else:
        assert response.status_code in (403, 405), f"POST {path} as {who}: {response.status_code}"


def test_every_permission_the_access_rules_name_is_declared_by_a_model():
    """A misspelt permission in a rule would silently refuse everyone (or, negated, allow everyone)."""
    known = declared_permissions()
    named = {p for rule in RULES.values() for p in rule.perms if "." in p}
    assert sorted(named - known) == []


def test_no_rule_is_left_for_a_url_that_no_longer_exists():
    names = {url.name for url in URLS}
    assert sorted(set(RULES) - names) == []
