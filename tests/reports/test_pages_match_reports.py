"""A figure on screen, in the page's ``.json`` twin and in the Word and Excel files is the same figure.

The tracker, programme overview and scorecard pages print the builders' own objects
(``plans.readmodel``, ``performance.document``); these tests read each page, its JSON and the
matching report's DOCX and XLSX back and compare the words. They also check that the three
pages read the database a bounded number of times, whatever the plan's size.
"""

from __future__ import annotations

import io
import re

import docx
import openpyxl
import pytest
from django.urls import reverse

from oversight.plans import readmodel
from oversight.reports.builders import build
from oversight.reports.render import docx as docx_render
from oversight.reports.render import xlsx as xlsx_render

from .conftest import JANUARY_2020

pytestmark = pytest.mark.django_db


def docx_rows(report) -> list[list[str]]:
    """Every table row of the Word file, as the officer would read it."""
    document = docx.Document(io.BytesIO(docx_render.render(report)))
    return [[c.text.strip() for c in row.cells] for t in document.tables for row in t.rows]


def xlsx_rows(report) -> list[list[object]]:
    book = openpyxl.load_workbook(io.BytesIO(xlsx_render.render(report)))
    return [[c for c in row] for ws in book.worksheets for row in ws.iter_rows(values_only=True)]


def row_starting(rows, first, second=None) -> list:
    found = [r for r in rows if r and str(r[0] or "").strip() == first and (second is None or r[1] == second)]
    assert found, f"no row starting {first!r}"
    return found[0]


def page_row(html: str, attribute: str, key: str) -> str:
    """The HTML of the table row the page marks ``data-<attribute>="<key>"``."""
    match = re.search(rf'<tr data-{attribute}="{re.escape(key)}">(.*?)</tr>', html, re.S)
    assert match, f"no row for {key}"
    return match.group(1)


# --------------------------------------------------------------------------- tracker
def test_the_tracker_page_its_json_and_the_tracker_report_show_action_3_1_3_alike(client, demo,
                                                                                   bob_board_member):
    client.force_login(bob_board_member)
    params = {"period": "2020-01-31"}
    data = client.get(reverse("plans:tracker_json", args=["demo"]), params).json()
    html = client.get(reverse("plans:tracker", args=["demo"]), params).content.decode()
    report = build("tracker", demo, JANUARY_2020)

    rows = [a for b in data["outstanding"] for r in b["recommendations"] for a in r["actions"]]
    action = next(a for a in rows if a["ref"] == "3.1.3")  # due Dec 2019, not started: overdue in January
    assert action["overdue"] is True
    on_page = page_row(html, "action", str(action["id"]))
    assert action["status_label"] in on_page and action["when_text"] in on_page and "Overdue" in on_page

    word = row_starting(docx_rows(report), "3.1.3")
    assert word[4].startswith(f"{action['when']} (overdue)")  # Word adds "(Red)": colour is never the only sign
    assert word[6] == action["status_label"]
    assert word[-4:] == [{"red": "Red", "amber": "Amber", "green": "Green", None: ""}[g] for g in action["rags"]]
    excel = row_starting(xlsx_rows(report), "3.1.3")
    assert excel[6] == action["status_label"] and excel[4].startswith(f"{action['when']} (overdue)")

    # the counts: page headings, JSON and the report's own tables
    assert data["n_outstanding"] == len(report.outstanding) and data["n_completed"] == len(report.completed)
    assert f"Outstanding actions ({len(report.outstanding)})" in html
    assert [a["ref"] for a in rows] == [r.number for r in report.outstanding]


# --------------------------------------------------------------------------- programme overview
def test_the_overview_its_json_and_the_highlight_report_print_the_same_budget_and_status(
        client, plan_factory, bob_board_member):
    prog = plan_factory("money", 2)  # budget £1,000, actual £400, forecast £1,100: variance £100; status amber
    client.force_login(bob_board_member)
    data = client.get(reverse("plans:programme_json", args=["money"]), {"period": "2020-01-31"}).json()
    html = client.get(reverse("plans:programme", args=["money"]), {"period": "2020-01-31"}).content.decode()
    report = build("highlight", prog, JANUARY_2020, compare=False)

    shown = data["budget_shown"][0]
    assert [shown[k]["text"] for k in ("budget", "actual", "forecast", "variance")] == [
        "£1,000", "£400", "£1,100", "£100"]
    assert data["budget"][0]["variance"] == "100.00"  # the raw figure, as the programme JSON writes money
    for k in ("budget", "actual", "forecast", "variance"):
        assert f'<td class="num">{shown[k]["text"]}</td>' in html
    word = row_starting(docx_rows(report), "Programme budget")
    assert word[1:5] == ["£1,000", "£400", "£1,100", "£100"]
    excel = row_starting(xlsx_rows(report), "Programme budget")
    assert excel[1:5] == [1000, 400, 1100, 100]

    # the overall status and each theme's overview RAG
    assert data["header"]["overall_status_label"] == "Amber" == report.header.overall_status_label
    assert row_starting(docx_rows(report), "Overall Status")[1] == "Amber"
    assert [t["overview"]["rag"] for t in data["themes"]] == [t.overview_rag for t in report.themes]


def test_the_overviews_counts_agree_with_the_tracker_at_the_same_period(client, demo, bob_board_member):
    client.force_login(bob_board_member)
    params = {"period": "2020-01-31"}
    overview = client.get(reverse("plans:programme_json", args=["demo"]), params).json()
    tracker = client.get(reverse("plans:tracker_json", args=["demo"]), params).json()
    rows = [a for part in ("outstanding", "completed") for b in tracker[part] for r in b["recommendations"]
            for a in r["actions"]]
    assert overview["totals"]["actions"] == len(rows)
    assert overview["totals"]["done"] == tracker["n_completed"]
    assert overview["totals"]["overdue"] == sum(a["overdue"] for a in rows)
    assert overview["totals"]["red"] == sum(a["rag"] == "red" for a in rows)
    assert overview["totals"]["no_date"] == sum(a["no_date_read"] for a in rows)


# --------------------------------------------------------------------------- scorecard
def test_the_scorecard_its_json_and_the_highlight_and_report_card_print_the_same_figures(client, demo,
                                                                                         bob_board_member):
    client.force_login(bob_board_member)
    params = {"programme": "demo", "period": "2020-01-31"}
    data = client.get(reverse("performance:scorecard_json"), params).json()
    html = client.get(reverse("performance:scorecard"), params).content.decode()
    lines = [i for g in data["themes"] for i in g["indicators"] if i["shown"]["current"]["text"] not in ("", "–")]
    assert lines, "the demo's local measures have January figures"
    line = lines[0]
    shown = line["shown"]
    on_page = page_row(html, "indicator", line["id"])
    assert f"<strong>{shown['current']['text']}</strong>" in on_page
    assert all(f'<td class="num">{m["text"]}</td>' in on_page for m in shown["months"])

    highlight = build("highlight", demo, JANUARY_2020, compare=False)
    word = row_starting(docx_rows(highlight), shown["ref"], line["name"])
    months = [m["text"] for m in shown["months"]]
    assert word[3] == shown["current"]["text"] and word[5:11] == months
    assert word[11] == shown["target_min"]["text"] and word[12] == shown["target_upper"]["text"]
    excel = row_starting(xlsx_rows(highlight), shown["ref"], line["name"])
    assert excel[3] == pytest.approx(shown["current"]["value"])

    card = build("report-card", demo, JANUARY_2020)
    card_row = next(r for r in docx_rows(card) if r[1] == line["name"])  # ref T<n> in card order
    assert card_row[6:12] == months and card_row[4] == shown["national"]["text"]


# --------------------------------------------------------------------------- bounded queries
def count_queries(fn) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        fn()
    return len(ctx.captured_queries)


def test_the_pages_builders_read_a_plan_twice_the_size_in_no_more_queries(plan_factory,
                                                                         django_assert_max_num_queries):
    from oversight.performance import document

    small, large = plan_factory("small", 2), plan_factory("large", 4)
    for name, fn in [("overview", lambda p: readmodel.overview(p, JANUARY_2020)),
                     ("tracker", lambda p: readmodel.tracker_report(p, JANUARY_2020)),
                     ("scorecard", lambda p: document.build(p, JANUARY_2020))]:
        count = count_queries(lambda fn=fn: fn(small))
        assert count <= 12, name
        with django_assert_max_num_queries(count):
            fn(large)


@pytest.mark.parametrize("url", ["plans:programme", "plans:programme_json", "plans:tracker", "plans:tracker_json"])
def test_a_plan_page_reads_a_plan_twice_the_size_in_no_more_queries(client, plan_factory, bob_board_member, url,
                                                                    django_assert_max_num_queries):
    plan_factory("small", 2)
    plan_factory("large", 4)
    client.force_login(bob_board_member)
    client.get(reverse(url, args=["small"]))  # sessions and permissions warmed alike
    count = count_queries(lambda: client.get(reverse(url, args=["small"])))
    with django_assert_max_num_queries(count):
        assert client.get(reverse(url, args=["large"])).status_code == 200


# --------------------------------------------------------------------------- printing
def right_edges(box, out: list[float]) -> list[float]:
    if type(box).__name__ in ("TableBox", "TableWrapperBox"):
        out.append(box.position_x + box.margin_width())
    for child in getattr(box, "children", None) or []:
        right_edges(child, out)
    return out


def test_the_three_pages_print_on_a4_landscape_without_cutting_a_column(client, demo, bob_board_member):
    """base.html links reports/print.css for print: A4 landscape, every table inside the page's width."""
    from pathlib import Path

    import weasyprint

    import oversight

    css = weasyprint.CSS(filename=str(Path(oversight.__file__).parent / "reports/static/reports/print.css"))
    client.force_login(bob_board_member)
    for url in [reverse("plans:tracker", args=["demo"]), reverse("plans:programme", args=["demo"]),
                reverse("performance:scorecard") + "?programme=demo"]:
        html = client.get(url).content.decode()
        assert 'href="/static/reports/print.css" media="print"' in html or "print.css" in html
        pages = weasyprint.HTML(string=html, base_url="http://testserver/").render(stylesheets=[css]).pages
        assert pages, url
        for page in pages:
            assert page.width > page.height, f"{url}: A4 landscape"  # 297 mm × 210 mm
            edges = right_edges(page._page_box, [])
            assert all(edge <= page.width - 30 for edge in edges), f"{url}: a table runs past the right margin"
