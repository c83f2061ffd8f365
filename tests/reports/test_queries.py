"""Each builder reads the database a fixed number of times, whatever the plan's size."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from oversight.reports.builders import NAMES, build


def queries_for(name, prog, period) -> int:
    with CaptureQueriesContext(connection) as ctx:
        build(name, prog, period)
    return len(ctx.captured_queries)


@pytest.mark.parametrize("name", NAMES)
def test_a_builder_makes_as_many_queries_for_a_plan_three_times_larger(plan_factory, january, name,
                                                                       django_assert_max_num_queries):
    small = plan_factory("small", 2)
    large = plan_factory("large", 6)
    count = queries_for(name, small, january)
    with django_assert_max_num_queries(count):
        build(name, large, january)
    assert count <= 40
