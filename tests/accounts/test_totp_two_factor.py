"""Optional TOTP two-factor for local accounts, with real codes computed here (pyotp, RFC 6238)."""

from __future__ import annotations

import base64
import re
import time

import pyotp
import pytest
from django_otp.plugins.otp_totp.models import TOTPDevice

PASSWORD = "correct horse battery staple"


def _sign_in(client, username):
    return client.post("/accounts/login/", {"username": username, "password": PASSWORD}, REMOTE_ADDR="10.1.1.1")


def _code(device: TOTPDevice, steps_ahead: int = 0) -> str:
    """What the person's phone shows. A code already used cannot be used again, so the next
    one (30 s on; the device accepts one step of drift) is taken when the current one was spent."""
    totp = pyotp.TOTP(base64.b32encode(device.bin_key).decode())
    return totp.at(time.time() + 30 * steps_ahead)


def _enrol(client, user) -> TOTPDevice:
    page = client.get("/accounts/two-factor/setup/")
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    done = client.post("/accounts/two-factor/setup/", {"code": _code(device)})
    assert done.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    return device


@pytest.mark.django_db
def test_a_person_who_has_not_enrolled_signs_in_with_their_password_alone(client, owen_action_owner):
    assert _sign_in(client, "owen").status_code == 302
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_enrolment_shows_a_qr_code_drawn_on_the_server_as_svg_with_no_script_and_a_strict_policy(
        client, owen_action_owner):
    _sign_in(client, "owen")
    page = client.get("/accounts/two-factor/setup/")
    html = page.content.decode()
    assert page.status_code == 200
    assert re.search(r"<svg[^>]*>.*<title>QR code to scan with your authenticator app</title>", html, re.S)
    assert "style=" not in html.split("<svg", 1)[1].split("</svg>", 1)[0]
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)  # only external scripts
    policy = page.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "unsafe-inline" not in policy
    # The key typed by hand (for a phone that cannot scan) is the device's own key.
    device = TOTPDevice.objects.get(user=owen_action_owner)
    key = base64.b32encode(device.bin_key).decode()
    shown = re.search(r"<code>([A-Z2-7 ]+)</code>", html).group(1).replace(" ", "")
    assert shown == key


@pytest.mark.django_db
def test_once_enrolled_a_person_must_give_a_code_after_the_password(client, settings, owen_action_owner):
    settings.OTP_TOTP_THROTTLE_FACTOR = 0  # a person retypes after a second or two; the test does at once
    _sign_in(client, "owen")
    device = _enrol(client, owen_action_owner)
    assert client.get("/").status_code == 200  # enrolling verified this session
    client.post("/accounts/logout/")

    assert _sign_in(client, "owen").status_code == 302
    held = client.get("/performance/")
    assert held.status_code == 302 and held.headers["Location"] == "/accounts/two-factor/?next=/performance/"
    assert client.get("/").status_code == 302  # nothing opens before the code
    wrong = client.post("/accounts/two-factor/", {"code": "000000" if _code(device, 1) != "000000" else "111111",
                                                  "next": "/performance/"})
    assert wrong.status_code == 400 and b"That code is not right" in wrong.content
    right = client.post("/accounts/two-factor/", {"code": _code(device, 1), "next": "/performance/"})
    assert right.status_code == 302 and right.headers["Location"] == "/performance/"
    assert client.get("/").status_code == 200


@pytest.mark.django_db
def test_a_code_cannot_be_used_twice(client, owen_action_owner):
    _sign_in(client, "owen")
    device = _enrol(client, owen_action_owner)
    used = _code(device)  # spent by the enrolment
    client.post("/accounts/logout/")
    _sign_in(client, "owen")
    again = client.post("/accounts/two-factor/", {"code": used})
    assert again.status_code == 400


@pytest.mark.django_db
def test_wrong_codes_are_slowed_down_so_that_six_digits_cannot_be_guessed(client, settings, owen_action_owner):
    settings.OTP_TOTP_THROTTLE_FACTOR = 600  # seconds, doubling per wrong code (1 s in use): no race with the clock
    _sign_in(client, "owen")
    device = _enrol(client, owen_action_owner)
    client.post("/accounts/logout/")
    _sign_in(client, "owen")
    for guess in ("123456", "234567", "345678"):
        if guess not in (_code(device, 0), _code(device, 1)):
            client.post("/accounts/two-factor/", {"code": guess})
    paused = client.post("/accounts/two-factor/", {"code": _code(device, 1)})
    assert paused.status_code == 400 and b"Too many wrong codes" in paused.content
    assert client.get("/").status_code == 302


@pytest.mark.django_db
def test_a_role_that_requires_two_factor_sends_its_members_to_enrol_before_anything_else(
        client, settings, priya_programme_manager, owen_action_owner):
    settings.OVERSIGHT_TOTP_REQUIRED_ROLES = ["Programme manager"]
    _sign_in(client, "priya")
    sent = client.get("/")
    assert sent.status_code == 302 and sent.headers["Location"] == "/accounts/two-factor/setup/?next=/"
    page = client.get("/accounts/two-factor/setup/")
    assert b"Your role must use two-factor sign-in" in page.content
    device = TOTPDevice.objects.get(user=priya_programme_manager, confirmed=False)
    client.post("/accounts/two-factor/setup/", {"code": _code(device)})
    assert client.get("/").status_code == 200
    # Required means it cannot be turned off either.
    refused = client.post("/accounts/two-factor/setup/", {"code": _code(device, 1)})
    assert refused.status_code == 200 and TOTPDevice.objects.filter(user=priya_programme_manager).exists()

    other = client.__class__()
    _sign_in(other, "owen")
    assert other.get("/").status_code == 200  # action owners are not required to


@pytest.mark.django_db
def test_a_person_can_turn_two_factor_off_only_with_a_current_code(client, owen_action_owner):
    _sign_in(client, "owen")
    device = _enrol(client, owen_action_owner)
    assert client.post("/accounts/two-factor/setup/", {"code": "99999"}).status_code == 400
    assert TOTPDevice.objects.filter(user=owen_action_owner).exists()
    assert client.post("/accounts/two-factor/setup/", {"code": _code(device, 1)}).status_code == 302
    assert not TOTPDevice.objects.filter(user=owen_action_owner).exists()


@pytest.mark.django_db
def test_the_code_page_does_not_send_a_person_on_to_another_site(client, owen_action_owner):
    _sign_in(client, "owen")
    device = _enrol(client, owen_action_owner)
    client.post("/accounts/logout/")
    _sign_in(client, "owen")
    done = client.post("/accounts/two-factor/", {"code": _code(device, 1), "next": "https://evil.example/"})
    assert done.status_code == 302 and done.headers["Location"] == "/"
