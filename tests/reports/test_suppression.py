"""Small-number suppression, worked by hand: what a published report may and may not show."""

from __future__ import annotations

from itertools import product

from oversight.reports import suppression as sup
from oversight.reports.suppression import MARKER


def test_counts_of_one_to_four_are_replaced_by_the_marker_and_zero_and_five_are_shown():
    assert [sup.count(n, below=5) for n in (0, 1, 2, 3, 4, 5, 17)] == [0, MARKER, MARKER, MARKER, MARKER, 5, 17]
    assert sup.count(None, below=5) is None


def test_the_threshold_comes_from_the_setting(settings):
    settings.OVERSIGHT_SUPPRESS_BELOW = 10
    assert sup.count(7) == MARKER
    assert sup.count(10) == 10
    assert "1 to 9" in sup.footnote()
    settings.OVERSIGHT_SUPPRESS_BELOW = 5
    assert sup.count(7) == 7
    assert "1 to 4" in sup.footnote()


def test_a_percentage_of_three_children_is_hidden_but_a_percentage_of_thirty_is_shown():
    # 2 of 3 children visited (66.7%) tells a reader about one child; 30 of 50 (60%) does not.
    assert sup.rate(66.7, 2, 3, below=5) == MARKER
    assert sup.rate(60.0, 30, 50, below=5) == 60.0
    # a large denominator does not save a numerator of 3: "3 of 200 missing" is still 3 children
    assert sup.rate(1.5, 3, 200, below=5) == MARKER
    # none of 40 is fine: nobody is identified
    assert sup.rate(0.0, 0, 40, below=5) == 0.0


def test_an_average_over_four_cases_is_hidden():
    # seed 001: "Average length of pre-proceedings (calendar days) 93" — over 4 cases it goes
    assert sup.average(93, 4, below=5) == MARKER
    assert sup.average(93, 12, below=5) == 93


def test_a_figure_is_judged_by_its_unit():
    assert sup.figure(3, "count", below=5) == MARKER
    assert sup.figure(15.8, "percent", 3, 19, below=5) == MARKER
    assert sup.figure(16.0, "percent", 8, 50, below=5) == 16.0
    assert sup.figure(160.7, "days", 1607, 10, below=5) == 160.7
    assert sup.figure(160.7, "days", 482, 3, below=5) == MARKER
    assert sup.series([15.8, 60.0, None], "percent", [3, 30, None], [19, 50, None], below=5) == [MARKER, 60.0, None]


def test_without_published_totals_only_the_small_counts_go():
    t = sup.table([[3, 10], [8, 6]], below=5)
    assert t.cells == [[MARKER, 10], [8, 6]]
    assert (t.primary, t.secondary) == (1, 0)
    assert t.row_totals is None and t.column_totals is None


def test_one_hidden_cell_in_a_row_with_a_total_takes_the_next_smallest_with_it():
    # Team A: 3 under 5s, 10 aged 5-10, total 13. Hiding only the 3 leaves 13 - 10 = 3 in plain view.
    t = sup.table([[3, 10, 12]], row_totals=[25], below=5)
    assert t.cells == [[MARKER, MARKER, 12]]
    assert t.row_totals == [25]
    assert (t.primary, t.secondary) == (1, 1)


def test_secondary_suppression_runs_across_rows_and_columns_until_nothing_can_be_worked_back():
    #              under 5  5-10  11+  | total
    #   Team A        3      10    12  |  25
    #   Team B        8       6    20  |  34
    #   total        11      16    32  |  59
    # Primary: A/under 5 (3). Row A then hides its smallest other figure, A/5-10 (10).
    # Column "under 5" hides one figure (A's 3): it takes B/under 5 (8) with it.
    # Column "5-10" hides one figure (A's 10): it takes B/5-10 (6) with it.
    # Row B now hides two; every line hides 0 or 2: done.
    t = sup.table([[3, 10, 12], [8, 6, 20]], row_totals=[25, 34], column_totals=[11, 16, 32], grand_total=59,
                  below=5)
    assert t.cells == [[MARKER, MARKER, 12], [MARKER, MARKER, 20]]
    assert t.row_totals == [25, 34]
    assert t.column_totals == [11, 16, 32]
    assert t.grand_total == 59
    assert (t.primary, t.secondary) == (1, 3)
    # and, as a reader with the totals would: more than one table fits what is shown
    fits = [(a, b, c, d) for a, b, c, d in product(range(60), repeat=4)
            if a + b == 13 and c + d == 14 and a + c == 11 and b + d == 16]
    assert len(fits) > 1 and (3, 10, 8, 6) in fits


def test_a_small_total_is_hidden_like_any_other_small_count():
    t = sup.table([[1, 2], [0, 9]], row_totals=[3, 9], below=5)
    assert t.cells == [[MARKER, MARKER], [0, 9]]
    assert t.row_totals == [MARKER, 9]


def test_a_single_column_with_a_total_hides_the_other_cell_rather_than_the_total():
    t = sup.table([[3], [9]], column_totals=[12], below=5)
    assert t.cells == [[MARKER], [MARKER]]
    assert t.column_totals == [12]


def test_zero_is_hidden_only_when_nothing_else_can_be():
    t = sup.table([[3, 0, 10]], row_totals=[13], below=5)
    assert t.cells == [[MARKER, 0, MARKER]]
    t = sup.table([[3, 0, 6]], row_totals=[9], below=5)  # the 6 goes, not the zero
    assert t.cells == [[MARKER, 0, MARKER]]
    t = sup.table([[3, 0]], row_totals=[3], below=5)  # the total is small itself: two hidden, the zero stays
    assert t.cells == [[MARKER, 0]] and t.row_totals == [MARKER]


def test_the_footnote_names_the_marker():
    assert sup.footnote(5).startswith("[c] ")
    assert "1 to 4" in sup.footnote(5)


def test_a_report_table_with_a_total_row_is_suppressed_cell_by_cell():
    from oversight.reports.data import Cell, Column, Table

    def n(v: int) -> Cell:
        return Cell(str(v), value=v, kind="count")

    t = Table("missing", "Children missing by team", (Column("team", "Team"), Column("n", "Missing", numeric=True)),
              rows=((Cell("Team A"), n(3)), (Cell("Team B"), n(9)), (Cell("Team C"), n(14)), (Cell("Total"), n(26))),
              total_row=3)
    out = sup.apply_to_table(t, below=5)
    assert [r[1].text for r in out.rows] == [MARKER, MARKER, "14", "26"]  # 3, then the next smallest, 9
    assert out.rows[0][1].suppressed and out.rows[0][1].value is None
    assert out.rows[0][0].text == "Team A"
    assert sup.apply_to_table(out, below=5) == out  # nothing left to give away
