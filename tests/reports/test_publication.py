"""A report marked for publication hides small numbers and what is built on them; the internal one shows them."""

from __future__ import annotations

import datetime as dt

from oversight.performance.models import LocalMeasure, LocalMeasureValue
from oversight.reports.builders import build
from oversight.reports.data import iter_tables


def with_measure(prog):
    m = LocalMeasure.objects.create(programme=prog, code="visits", ref="9.1", name="Visits on time",
                                    unit="percent", polarity="higher", period_type="snapshot")
    LocalMeasureValue.objects.create(measure=m, month=dt.date(2020, 1, 1), numerator=3, denominator=4, value=75.0)
    LocalMeasureValue.objects.create(measure=m, month=dt.date(2019, 12, 1), numerator=30, denominator=40,
                                     value=75.0)
    return m


def cells_named(report, name):
    for table in iter_tables(report):
        for row in table.rows:
            if any(c.text == name for c in row):
                return row
    raise AssertionError(f"{name} not in the report")


def test_a_percentage_of_3_children_is_suppressed_for_publication_only(plan_factory, january):
    prog = plan_factory("pub", 1, risks=False)
    with_measure(prog)
    internal = cells_named(build("highlight", prog, january), "Visits on time")
    published = cells_named(build("highlight", prog, january, for_publication=True), "Visits on time")
    assert "75.0%" in [c.text for c in internal]
    texts = [c.text for c in published]
    assert "[c]" in texts
    jan = [c for c in published if c.suppressed]
    assert jan and all(c.value is None for c in jan)  # the number is gone, not just hidden
    assert "75.0%" in texts  # December rests on 30 of 40: shown


def test_a_report_for_publication_says_why_figures_are_missing(plan_factory, january):
    prog = plan_factory("pub2", 1, risks=False)
    with_measure(prog)
    report = build("report-card", prog, january, for_publication=True)
    assert report.for_publication and "[c]" in report.notice
    row = next(r for g in report.groups for r in g.rows if r.description == "Visits on time")
    assert row.numerator.text == "[c]" and row.denominator.text == "[c]"
