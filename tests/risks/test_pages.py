"""The register, a risk, the heat map and the lists as people use them; only the programme manager edits."""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser

import pytest
from django.urls import reverse

from oversight.plans.periods import current_period
from oversight.risks.models import Concern, Development, Risk
from oversight.risks.queries import heatmap, register

pytestmark = pytest.mark.django_db
SVG = "{http://www.w3.org/2000/svg}"


def test_every_register_page_asks_an_anonymous_visitor_to_sign_in(client, demo):
    risk = Risk.objects.get(programme=demo, ref="1")
    for url in [reverse("risks:register", args=["demo"]), reverse("risks:register_json", args=["demo"]),
                risk.get_absolute_url(), reverse("risks:concerns", args=["demo"]),
                reverse("risks:developments_json", args=["demo"])]:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_a_board_member_reads_the_register_and_its_json_twin(client, demo, bob_board_member):
    client.force_login(bob_board_member)
    page = client.get(reverse("risks:register", args=["demo"]))
    assert page.status_code == 200
    assert "If the service response is inadequate" in page.content.decode()
    assert "Add a risk or issue" not in page.content.decode()
    data = client.get(reverse("risks:register_json", args=["demo"])).json()
    assert [(r["ref"], r["score"], r["band"]) for r in data["open"]] == [
        ("1", 20, "red"), ("2", 16, "red"), ("3", 16, "red"), ("4", 15, "red"), ("5", 25, "red"),
        ("6", 12, "amber"), ("7", 12, "amber"), ("8", 12, "amber")]
    assert data["by_band"] == {"red": 5, "amber": 3, "green": 0}


def test_the_register_filters_by_band_kind_and_status(client, demo, bob_board_member):
    client.force_login(bob_board_member)
    url = reverse("risks:register_json", args=["demo"])
    assert [r["ref"] for r in client.get(url, {"band": "amber"}).json()["open"]] == ["6", "7", "8"]
    assert client.get(url, {"kind": "issue"}).json()["open"] == []
    assert client.get(url, {"status": "closed"}).json()["open"] == []


class _Cells(HTMLParser):
    """The heat-map table's cells: (probability, impact) → the number shown."""

    def __init__(self) -> None:
        super().__init__()
        self.cells: dict[tuple[int, int], int] = {}
        self._at: tuple[int, int] | None = None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "td" and "data-probability" in a:
            self._at = (int(a["data-probability"]), int(a["data-impact"]))

    def handle_data(self, data):
        if self._at and data.strip():
            self.cells[self._at] = int(data.strip())
            self._at = None


def test_the_heat_map_picture_and_its_table_show_the_registers_numbers(client, demo, bob_board_member):
    client.force_login(bob_board_member)
    html = client.get(reverse("risks:register", args=["demo"])).content.decode()
    risks = register(demo, current_period(demo))
    expected = {(p, i): sum(1 for r in risks if (r.probability, r.impact) == (p, i))
                for p in range(1, 6) for i in range(1, 6)}
    assert expected[(4, 4)] == 2 and expected[(3, 4)] == 3 and expected[(5, 5)] == 1
    svg = ET.fromstring(re.search(r"<svg[^>]*class=\"heatmap\".*?</svg>", html, re.S).group(0))
    assert svg.get("role") == "img"
    assert svg.find(f"{SVG}title").text == "Risk heat map: probability × impact"
    assert "8 open risks or issues" in svg.find(f"{SVG}desc").text
    drawn = {(int(g.get("data-probability")), int(g.get("data-impact"))): int(g.find(f"{SVG}text").text)
             for g in svg.iter(f"{SVG}g")}
    table = _Cells()
    table.feed(html)
    assert drawn == expected
    assert table.cells == expected
    assert heatmap(risks)[5 - 5][5 - 1] == 1  # impact 5, probability 5: risk 5


def test_the_heat_map_colours_cells_by_the_programmes_bands(client, demo, priya_programme_manager):
    client.force_login(priya_programme_manager)
    response = client.post(reverse("risks:bands", args=["demo"]), {"red_from": "20", "amber_from": "12"})
    assert response.status_code == 302
    html = client.get(reverse("risks:register", args=["demo"])).content.decode()
    assert 'data-probability="4" data-impact="4" data-band="amber"' in html
    assert 'data-probability="4" data-impact="5" data-band="red"' in html
    data = client.get(reverse("risks:register_json", args=["demo"])).json()
    assert data["by_band"] == {"red": 2, "amber": 6, "green": 0}


def test_a_risk_page_shows_history_indicators_and_linked_actions(client, demo, bob_board_member):
    client.force_login(bob_board_member)
    risk = Risk.objects.get(programme=demo, ref="1")
    page = client.get(risk.get_absolute_url())
    assert page.status_code == 200
    body = page.content.decode()
    assert "Score history" in body and "Key risk indicators" in body
    data = client.get(reverse("risks:risk_json", args=["demo", risk.pk])).json()
    assert data["history"][0]["score"] == 20
    assert [i["id"] for i in data["indicators"]] == ["cp_visit_10wd_pct", "assessments_45wd_pct"]
    assert {a["ref"] for a in data["actions"]} == {"2.6.1", "2.6.2", "4.1.1"}


def test_priya_may_add_re_score_and_close_a_risk(client, demo, priya_programme_manager):
    client.force_login(priya_programme_manager)
    assert client.get(reverse("risks:risk_add", args=["demo"])).status_code == 200
    response = client.post(reverse("risks:risk_add", args=["demo"]), {
        "ref": "9", "kind": "issue", "description": "If agency staff leave at once, then caseloads rise.",
        "raised_text": "February 2020", "probability": "3", "impact": "3"})
    assert response.status_code == 302
    risk = Risk.objects.get(programme=demo, ref="9")
    assert (risk.score, risk.raised_on.isoformat()) == (9, "2020-02-01")
    url = reverse("risks:risk_rescore", args=["demo", risk.pk])
    assert client.post(url, {"version": risk.version, "probability": "4", "impact": "3",
                             "assessed_on": "2020-03-01", "note": "Two leavers"}).status_code == 302
    risk.refresh_from_db()
    assert risk.score == 12 and risk.assessments.count() == 2
    close = reverse("risks:risk_close", args=["demo", risk.pk])
    page = client.post(close, {"version": risk.version, "closed_on": "2020-04-01", "closed_reason": ""})
    assert page.status_code == 200 and "There is a problem" in page.content.decode()
    assert client.post(close, {"version": risk.version, "closed_on": "2020-04-01",
                               "closed_reason": "Cover arranged"}).status_code == 302
    risk.refresh_from_db()
    assert risk.status == "closed"


def test_a_stale_form_is_refused_with_an_error_summary(client, demo, priya_programme_manager):
    client.force_login(priya_programme_manager)
    risk = Risk.objects.get(programme=demo, ref="1")
    stale = risk.version
    url = reverse("risks:risk_rescore", args=["demo", risk.pk])
    assert client.post(url, {"version": stale, "probability": "3", "impact": "5", "assessed_on": "2020-02-28",
                             "note": "first"}).status_code == 302
    page = client.post(url, {"version": stale, "probability": "2", "impact": "2", "assessed_on": "2020-02-28",
                             "note": "second"})
    assert page.status_code == 200
    assert "Someone else changed this" in page.content.decode()
    risk.refresh_from_db()
    assert risk.score == 15


def test_bob_may_not_edit_anything(client, demo, bob_board_member):
    client.force_login(bob_board_member)
    risk = Risk.objects.get(programme=demo, ref="1")
    concern = Concern.objects.filter(programme=demo).first()
    for url in [reverse("risks:risk_add", args=["demo"]), reverse("risks:risk_edit", args=["demo", risk.pk]),
                reverse("risks:risk_rescore", args=["demo", risk.pk]),
                reverse("risks:risk_close", args=["demo", risk.pk]),
                reverse("risks:bands", args=["demo"]), reverse("risks:concerns_add", args=["demo"]),
                reverse("risks:concerns_edit", args=["demo", concern.pk])]:
        assert client.get(url).status_code == 403, url
        assert client.post(url, {"version": 1, "probability": "1", "impact": "1"}).status_code == 403, url
    risk.refresh_from_db()
    assert risk.score == 20


def test_concerns_and_developments_list_with_by_when_read_and_can_be_edited(client, demo, priya_programme_manager):
    client.force_login(priya_programme_manager)
    data = client.get(reverse("risks:concerns_json", args=["demo"])).json()
    assert [(c["by_when_text"], c["by_when"], c["no_date_read"]) for c in data["concerns"]][3] == (
        "Cabinet Reports - March 2020", "2020-03-31", False)
    assert data["concerns"][0]["no_date_read"] is True
    page = client.get(reverse("risks:developments", args=["demo"]))
    assert "Social Work Model" in page.content.decode()
    dev = Development.objects.filter(programme=demo, ref="4").get()
    url = reverse("risks:developments_edit", args=["demo", dev.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"version": dev.version, "ref": "4", "description": dev.description,
                                 "owner": str(dev.owner_id), "by_when_text": "June 2021", "status": "open"})
    assert response.status_code == 302
    dev.refresh_from_db()
    assert dev.by_when.isoformat() == "2021-06-30"
    assert dev.history.count() == 2


def test_the_programme_page_links_to_the_registers(client, demo, bob_board_member):
    client.force_login(bob_board_member)
    body = client.get(reverse("plans:programme", args=["demo"])).content.decode()
    assert reverse("risks:register", args=["demo"]) in body
    assert reverse("risks:concerns", args=["demo"]) in body
    assert reverse("risks:developments", args=["demo"]) in body


def test_the_register_does_not_swallow_other_plan_pages(client, demo, bob_board_member):
    client.force_login(bob_board_member)
    assert client.get(reverse("plans:tracker", args=["demo"])).status_code == 200


def test_priya_changes_a_risks_details_links_and_target_without_touching_its_score(client, demo,
                                                                                     priya_programme_manager):
    client.force_login(priya_programme_manager)
    risk = Risk.objects.get(programme=demo, ref="8")
    action = demo.themes.get(order=1).recommendations.get(ref="1.1").actions.get(ref="1.1.3")
    url = reverse("risks:risk_edit", args=["demo", risk.pk])
    form = {"version": risk.version, "ref": "8", "kind": "risk", "description": risk.description,
            "mitigation": "Partners attend every Improvement Board", "raised_text": "January 2020",
            "owner": str(risk.owner_id), "review_on": "2020-04-30", "target_probability": "2",
            "target_impact": "4", "indicators": ["cla_review_timely_pct"], "actions": [str(action.pk)],
            "probability": "1", "impact": "1"}  # not fields of this form: a change of score is a re-score
    assert client.post(url, form).status_code == 302
    risk.refresh_from_db()
    assert (risk.score, risk.target_score, risk.review_on.isoformat()) == (12, 8, "2020-04-30")
    assert risk.indicators == ["cla_review_timely_pct"]
    assert list(risk.actions.values_list("ref", flat=True)) == ["1.1.3"]
    taken = client.post(url, {**form, "version": risk.version, "ref": "1"})
    assert taken.status_code == 200 and "Ref 1 is already used" in taken.content.decode()
