"""Reading a due date out of the officers' own words in the When? column."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from oversight.plans.when import find_dates, parse_due


@pytest.mark.parametrize(("text", "due"), [
    ("Sept - Nov 2017", dt.date(2017, 11, 30)),          # a range ends with its last month
    ("By end Sept 17", dt.date(2017, 9, 30)),
    ("Dec 2016", dt.date(2016, 12, 31)),                  # a month means its last day
    ("31 March 2017", dt.date(2017, 3, 31)),
    ("1st September 2017", dt.date(2017, 9, 1)),
    ("9.12.16", dt.date(2016, 12, 9)),
    ("11/04/17", dt.date(2017, 4, 11)),
    ("Mar2017", dt.date(2017, 3, 31)),
    ("Sept 17 Oct 17", dt.date(2017, 10, 31)),            # several dates: the latest
    ("Aug 2017\nSept 17", dt.date(2017, 9, 30)),
    ("Q3 2017/18", dt.date(2017, 12, 31)),                # financial quarters
    ("Q4 2017/18", dt.date(2018, 3, 31)),
    ("From Jan 2017 and ongoing By end Sept 17", dt.date(2017, 9, 30)),
    ("2017-03-31", dt.date(2017, 3, 31)),
])
def test_the_due_date_is_read_from_the_officers_words(text, due):
    assert parse_due(text) == due


@pytest.mark.parametrize("text", ["Phase 2", "Ongoing", "From Jan 2017 and ongoing", "", None, "C",
                                  "Monthly audits", "31/02/2017"])
def test_words_without_a_readable_date_have_no_due_date(text):
    assert parse_due(text) is None


def test_a_day_after_a_month_is_that_months_year_not_a_day_of_the_next_month():
    assert find_dates("Sept 17 Oct 17") == [dt.date(2017, 9, 30), dt.date(2017, 10, 31)]


def test_a_misspelt_month_is_no_date_rather_than_an_error():
    assert parse_due("Sepember 2017") is None


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_reading_a_due_date_never_fails_on_any_text(text):
    parse_due(text)


_WORDS = ["Jan", "January", "Feb", "Mar", "March", "Apr", "May", "Jun", "June", "Jul", "Aug", "Sept", "Sep",
          "September", "Oct", "Nov", "Dec", "December", "Q1", "Q4", "2017/18", "2016", "2017", "17", "'17", "1st",
          "31", "9.12.16", "31/03/2017", "00", "99", "from", "by", "end", "and", "ongoing", "onwards", "-", "–",
          "to", "Phase", "2", "(", ")", ".", "/", "0", "29", "30"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_WORDS), max_size=8), st.sampled_from([" ", "", "\n", " - "]))
def test_reading_a_due_date_never_fails_on_officer_like_text(words, sep):
    due = parse_due(sep.join(words))
    assert due is None or isinstance(due, dt.date)


def test_a_four_digit_year_is_read_as_written_so_a_slip_like_01_01_0001_is_year_1_not_2001():
    # Read as written, the importer then refuses it as "not a plausible date" naming its row.
    assert parse_due("01/01/0001") == dt.date(1, 1, 1)
    assert parse_due("31/03/0017") == dt.date(17, 3, 31)


def test_a_two_digit_year_is_this_centurys():
    assert parse_due("9.12.16") == dt.date(2016, 12, 9)
