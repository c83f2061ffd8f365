"""Council single sign-on, end to end against a real OpenID Connect provider started here.

The provider is django-oidc-provider, run as its own Django project (``oidc_provider/``) in a
subprocess on a free loopback port, playing the council's Entra ID: it has the council's people,
their app roles (``roles`` claim) and group object ids (``groups`` claim), a login page and a
consent page. A real HTTP client (a requests session, cookies and all) goes through the whole
authorization-code flow: Oversight → provider sign-in → consent → Oversight's callback, which
exchanges the code for tokens over HTTP and checks the signed ID token against the provider's keys.
"""

from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
from datetime import date
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

import pytest
import requests
from django.contrib.auth.models import Group, User

from oversight.accounts import oidc
from oversight.plans.models import Membership

PROVIDER_DIR = Path(__file__).resolve().parent / "oidc_provider"
CLIENT_ID, CLIENT_SECRET = "oversight-test-client", "a-test-secret-shared-with-the-provider"
TEAM_GROUP_ID = "5f3c8a9e-1d2b-4c7a-9e0f-2b6d8c1a4e77"  # an Entra security group's object id
PASSWORD = "council password 1"
PEOPLE = [
    {"username": "priya@council.example", "first_name": "Priya", "last_name": "Shah",
     "groups": ["role:Oversight.ProgrammeManager"]},
    {"username": "tara@council.example", "first_name": "Tara", "last_name": "Jones",
     "groups": [f"group:{TEAM_GROUP_ID}", "group:00000000-0000-0000-0000-000000000001"]},
    {"username": "nadia@council.example", "first_name": "Nadia", "last_name": "Khan",
     "groups": ["role:Payroll.Viewer"]},
]
ROLE_MAP = {"Oversight.ProgrammeManager": "Programme manager", TEAM_GROUP_ID: ["Team manager"]}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def provider(live_server, tmp_path_factory):
    """The council's identity provider, with Oversight registered at the live server's callback."""
    port = _free_port()
    setup = {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
             "redirect_uri": f"{live_server.url}/oidc/callback/",
             "users": [{**p, "password": PASSWORD, "email": p["username"]} for p in PEOPLE]}
    log = tmp_path_factory.mktemp("provider") / "provider.log"
    with log.open("w") as out:
        proc = subprocess.Popen([sys.executable, str(PROVIDER_DIR / "run.py"), str(port),
                                 str(log.parent / "provider.sqlite3"), json.dumps(setup)],
                                stdout=out, stderr=subprocess.STDOUT)
    issuer = f"http://127.0.0.1:{port}/openid"
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.skip(f"the test OpenID provider could not start: {log.read_text()[-2000:]}")
            try:
                if requests.get(f"{issuer}/.well-known/openid-configuration", timeout=2).ok:
                    break
            except requests.ConnectionError:
                pass
            if time.monotonic() > deadline:
                pytest.skip(f"the test OpenID provider did not answer in 60 s: {log.read_text()[-2000:]}")
            time.sleep(0.3)
        yield issuer
    finally:
        proc.terminate()
        proc.wait(timeout=10)


@pytest.fixture
def sso(provider, settings, transactional_db, roles):
    """Oversight with single sign-on switched on, as the environment variables would set it."""
    settings.OVERSIGHT_OIDC_ENABLED = True
    settings.OVERSIGHT_OIDC_ISSUER = provider
    settings.OIDC_RP_CLIENT_ID, settings.OIDC_RP_CLIENT_SECRET = CLIENT_ID, CLIENT_SECRET
    settings.OVERSIGHT_OIDC_ROLE_MAP = ROLE_MAP
    oidc._discovery_cache.clear()
    return provider


class _Forms(HTMLParser):
    """The forms of a page: action and the fields a browser would send (first submit button kept apart)."""

    def __init__(self):
        super().__init__()
        self.forms: list[dict] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form":
            self.forms.append({"action": a.get("action") or "", "fields": {}, "submits": {}})
        elif tag == "input" and self.forms and a.get("name"):
            kind = a.get("type", "text")
            bucket = "submits" if kind == "submit" else "fields"
            self.forms[-1][bucket][a["name"]] = a.get("value") or ""


def _forms(response: requests.Response) -> list[dict]:
    parser = _Forms()
    parser.feed(response.text)
    return parser.forms


def _sign_in_through_provider(live_url: str, username: str, consent: bool = True) -> tuple[requests.Session,
                                                                                           requests.Response]:
    """What a person does in a browser: click the button, sign in at the council, allow, land back."""
    browser = requests.Session()
    sign_in_page = browser.get(f"{live_url}/accounts/login/")
    assert "Sign in with your council account" in sign_in_page.text
    council = browser.get(f"{live_url}/oidc/authenticate/?next=/")
    assert "Sign in to your council account" in council.text, council.url
    (login_form,) = _forms(council)
    fields = {**login_form["fields"], "username": username, "password": PASSWORD}
    consent_page = browser.post(urljoin(council.url, login_form["action"]), data=fields,
                                headers={"Referer": council.url})
    assert "Request for Permission" in consent_page.text, consent_page.text[:500]
    (consent_form,) = _forms(consent_page)
    fields = dict(consent_form["fields"])
    if consent:
        fields["allow"] = consent_form["submits"]["allow"]
    landed = browser.post(urljoin(consent_page.url, consent_form["action"]), data=fields,
                          headers={"Referer": consent_page.url})
    return browser, landed


def _roles(user: User) -> set[str]:
    """The roles the person holds (council-wide here: no OVERSIGHT_OIDC_PROGRAMMES is configured)."""
    return set(user.memberships.values_list("role__name", flat=True))


def test_a_programme_manager_signs_in_with_their_council_account_and_gets_the_role_their_app_role_maps_to(
        sso, live_server, settings):
    settings.OVERSIGHT_TOTP_REQUIRED_ROLES = ["Programme manager"]  # local accounts only: Entra does the MFA
    _, landed = _sign_in_through_provider(live_server.url, "priya@council.example")
    assert landed.status_code == 200
    assert landed.url == f"{live_server.url}/"
    assert "Sign out priya@council.example" in landed.text
    priya = User.objects.get(username="priya@council.example")
    assert _roles(priya) == {"Programme manager"}
    assert (priya.email, priya.first_name, priya.last_name) == ("priya@council.example", "Priya", "Shah")
    assert not priya.has_usable_password()
    assert not priya.is_staff and not priya.is_superuser
    assert priya.has_perm("plans.import_plan") and not priya.has_perm("accounts.view_child_data")


def test_a_team_manager_is_given_their_role_by_an_entra_group_object_id(sso, live_server):
    _, landed = _sign_in_through_provider(live_server.url, "tara@council.example")
    assert landed.url == f"{live_server.url}/"
    assert _roles(User.objects.get(username="tara@council.example")) == {"Team manager"}


def test_roles_are_set_from_the_claims_on_every_sign_in_so_a_role_removed_at_the_council_is_gone(sso, live_server):
    priya = User.objects.create_user("priya@council.example")  # signed in before, no password
    for role in ("Board member", "Team manager"):  # given by sign-on last time
        Membership.objects.create(user=priya, role=Group.objects.get(name=role), via=Membership.Via.SSO)
    # granted by hand in Oversight: left alone
    Membership.objects.create(user=priya, role=Group.objects.get(name="Inspector"), expires_on=date(2099, 1, 1))
    _, landed = _sign_in_through_provider(live_server.url, "priya@council.example")
    assert landed.url == f"{live_server.url}/"
    assert _roles(User.objects.get(pk=priya.pk)) == {"Programme manager", "Inspector"}


def test_a_person_with_no_mapped_role_is_refused_and_no_account_is_made(sso, live_server):
    browser, landed = _sign_in_through_provider(live_server.url, "nadia@council.example")
    assert landed.status_code == 403 and landed.url == f"{live_server.url}/accounts/sso-refused/"
    assert "You could not be signed in with your council account" in landed.text
    assert not User.objects.filter(username="nadia@council.example").exists()
    home = browser.get(f"{live_server.url}/", allow_redirects=False)
    assert home.status_code == 302 and "/accounts/login/" in home.headers["Location"]


def test_a_person_whose_roles_were_all_removed_is_refused_and_loses_the_roles_they_had(sso, live_server):
    nadia = User.objects.create_user("nadia@council.example")
    Membership.objects.create(user=nadia, role=Group.objects.get(name="Programme manager"), via=Membership.Via.SSO)
    _, landed = _sign_in_through_provider(live_server.url, "nadia@council.example")
    assert landed.status_code == 403 and landed.url == f"{live_server.url}/accounts/sso-refused/"
    assert _roles(User.objects.get(pk=nadia.pk)) == set()


def test_refused_single_sign_ons_do_not_lock_out_the_rest_of_the_council(sso, live_server, settings):
    """Failed provider callbacks carry no username: django-axes must not pool them into one locked "account"."""
    for _ in range(settings.AXES_FAILURE_LIMIT + 1):
        assert _sign_in_through_provider(live_server.url, "nadia@council.example")[1].url.endswith("/sso-refused/")
    _, landed = _sign_in_through_provider(live_server.url, "priya@council.example")
    assert landed.url == f"{live_server.url}/"


def test_declining_consent_at_the_provider_signs_nobody_in(sso, live_server):
    browser, landed = _sign_in_through_provider(live_server.url, "priya@council.example", consent=False)
    assert landed.status_code == 403 and landed.url == f"{live_server.url}/accounts/sso-refused/"
    assert not User.objects.filter(username="priya@council.example").exists()


def test_single_sign_on_never_signs_into_a_local_account_that_has_a_password(sso, live_server):
    local = User.objects.create_user("priya@council.example", password="the laptop admin's password")
    local.is_superuser = True
    local.save()
    _, landed = _sign_in_through_provider(live_server.url, "priya@council.example")
    assert landed.status_code == 403 and landed.url == f"{live_server.url}/accounts/sso-refused/"
    assert _roles(User.objects.get(pk=local.pk)) == set()


def test_local_accounts_still_sign_in_with_a_password_beside_single_sign_on(sso, live_server, owen_action_owner):
    browser = requests.Session()
    page = browser.get(f"{live_server.url}/accounts/login/")
    (form,) = [f for f in _forms(page) if "password" in f["fields"] or f["action"].endswith("/accounts/login/")]
    landed = browser.post(f"{live_server.url}/accounts/login/",
                          data={**form["fields"], "username": "owen", "password": "correct horse battery staple"},
                          headers={"Referer": page.url})
    assert landed.url == f"{live_server.url}/"
    assert "Sign out owen" in landed.text


def test_endpoints_can_be_given_one_by_one_and_a_token_from_another_issuer_is_refused(sso, live_server, settings):
    found = requests.get(f"{sso}/.well-known/openid-configuration", timeout=10).json()
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = found["authorization_endpoint"]
    settings.OIDC_OP_TOKEN_ENDPOINT = found["token_endpoint"]
    settings.OIDC_OP_JWKS_ENDPOINT = found["jwks_uri"]
    settings.OIDC_OP_USER_ENDPOINT = found["userinfo_endpoint"]
    settings.OVERSIGHT_OIDC_ISSUER = "https://login.microsoftonline.com/another-tenant/v2.0"  # not who signed it
    _, landed = _sign_in_through_provider(live_server.url, "priya@council.example")
    assert landed.status_code == 403 and landed.url == f"{live_server.url}/accounts/sso-refused/"
    assert not User.objects.filter(username="priya@council.example").exists()
    settings.OVERSIGHT_OIDC_ISSUER = sso  # the right issuer: the same endpoints sign her in
    _, landed = _sign_in_through_provider(live_server.url, "priya@council.example")
    assert landed.url == f"{live_server.url}/"
