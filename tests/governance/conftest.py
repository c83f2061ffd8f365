"""The demo programme as at 31 January 2020 with the governance the seeds describe."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.governance.demo import load_demo_governance
from oversight.plans.demo import build_demo_programme


@pytest.fixture
def plan(roles):
    """The demo plan only (seed 001's themes, seed 000's tracker actions), as at 31 January 2020."""
    programme = build_demo_programme()
    if programme.current_as_at is None:
        programme.current_as_at = dt.date(2020, 1, 31)
        programme.save()
    return programme


@pytest.fixture
def demo(plan):
    """The demo plan with its boards, visits, work programme, projects and self-assessment."""
    load_demo_governance(plan)
    return plan
