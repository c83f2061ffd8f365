"""The demo shows every part from the seeds; every governance page answers and has its JSON twin."""

from __future__ import annotations

import io
import re

import pytest
from django.core import mail
from django.core.management import call_command
from django.urls import reverse

from oversight.governance.demo import load_demo_governance
from oversight.governance.models import Board, Framework, Meeting, Project, StatutoryPlan, Visit, WorkProgramme

pytestmark = pytest.mark.django_db

#: Names printed in the seeds' papers that must never appear in the demo (people by role only).
SEED_NAMES = ["Dempsey", "Tomsett", "Burke", "Bailey", "Mongredien", "Parrott", "Coughlan", "Excell", "Haddock",
              "Oliver", "Amil", "Mills", "Knight", "Mitchell", "Bryant", "Coote", "Mason", "Hart", "Meehan",
              "Paterson"]


def test_the_demo_loads_twice_without_doubling(demo):
    line = load_demo_governance(demo)
    assert line.startswith("Governance loaded: 2 boards, 10 meetings, 7 inspections and visits")
    assert Board.objects.filter(programme=demo).count() == 2
    assert Project.objects.filter(programme=demo, parent=None).count() == 7


def test_every_page_answers_a_board_member_with_no_seed_names_and_a_json_twin(client, demo, bob_board_member):
    client.force_login(bob_board_member)
    board = Board.objects.get(programme=demo, kind="improvement_board")
    urls = [reverse("governance:home", args=["demo"]), board.get_absolute_url(),
            Meeting.objects.filter(board=board).first().get_absolute_url(),
            Visit.objects.get(programme=demo, title="Third monitoring visit").get_absolute_url(),
            WorkProgramme.objects.get(programme=demo).get_absolute_url(),
            reverse("governance:projects", args=["demo"]),
            Framework.objects.get(programme=demo).get_absolute_url(),
            reverse("governance:my_actions"), reverse("plans:programme", args=["demo"]),
            StatutoryPlan.objects.get(programme=demo).get_absolute_url()]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        text = response.content.decode()
        assert not [n for n in SEED_NAMES if re.search(rf"\b{n}\b", text)], url
        assert "<script>" not in text and "style=" not in text, url
    twins = ["governance:home_json", "governance:projects_json"]
    for name in twins:
        assert client.get(reverse(name, args=["demo"])).json()
    assert client.get(reverse("governance:home_json", args=["demo"])).json()["judgement_history"][0]["area"] == \
        "overall"


def test_an_anonymous_visitor_is_asked_to_sign_in(client, demo):
    for url in [reverse("governance:home", args=["demo"]), reverse("governance:my_actions_json")]:
        r = client.get(url)
        assert r.status_code == 302 and r["Location"].startswith(reverse("login"))


def test_the_programme_page_shows_the_trail_from_the_third_monitoring_visit(client, demo, bob_board_member):
    client.force_login(bob_board_member)
    page = client.get(reverse("plans:programme", args=["demo"])).content.decode()
    assert "From inspection to action" in page and "Third monitoring visit" in page


def test_remind_sends_the_demos_reminders(demo, priya_programme_manager):
    priya_programme_manager.email = "priya@example.org"
    priya_programme_manager.save()
    demo.people.filter(initials="HOS-MASH").update(user=priya_programme_manager)
    out = io.StringIO()
    call_command("remind", "--programme", "demo", stdout=out)
    assert "1 reminder(s) sent" in out.getvalue()
    assert any("Head of Service" in m.body or "Dear" in m.body for m in mail.outbox)
