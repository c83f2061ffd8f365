"""The demo programme with seed 001's registers, and small helpers for the register tests."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.plans.demo import build_demo_programme
from oversight.risks.demo import load_demo_risks


@pytest.fixture
def demo(roles):
    """The demo programme as the board saw it: as at 31 January 2020, with seed 001's registers."""
    programme = build_demo_programme()
    if hasattr(programme, "current_as_at") and programme.current_as_at is None:
        programme.current_as_at = dt.date(2020, 1, 31)
        programme.save()
    load_demo_risks(programme)
    return programme
