"""Fixtures for the reports: the demo programme (seed 001 as at January 2020) and small plans of any size."""

from __future__ import annotations

import datetime as dt

import pytest

from oversight.plans.models import (
    Action,
    BudgetLine,
    Person,
    Programme,
    ProgressNote,
    RagRating,
    Recommendation,
    Status,
    StatusReport,
    Step,
    Theme,
    ThemeOverview,
)
from oversight.plans.periods import Period

JANUARY_2020 = Period(dt.date(2020, 1, 31), "monthly", is_current=True)


@pytest.fixture
def january():
    return JANUARY_2020


@pytest.fixture
def demo(db, roles):
    """The demo programme with seed 001's status, risks, concerns, developments and local measures."""
    from oversight.performance.demo import load_demo_measures
    from oversight.plans.demo import build_demo_programme
    from oversight.risks.demo import load_demo_risks

    prog = build_demo_programme()
    load_demo_risks(prog)
    load_demo_measures(prog)
    return Programme.objects.get(pk=prog.pk)


def make_plan(slug: str, size: int, *, risks: bool = True) -> Programme:
    """A plan of ``size`` themes × 2 objectives × 3 actions, each with owners, steps, notes and RAGs."""
    prog = Programme.objects.create(slug=slug, name=f"Plan {slug}", current_as_at=dt.date(2020, 1, 31),
                                    period_start=dt.date(2019, 4, 1))
    sro = Person.objects.create(programme=prog, name="Director", initials="DCS")
    pm = Person.objects.create(programme=prog, name="Programme manager", initials="PM")
    prog.sro, prog.programme_manager = sro, pm
    prog.save()
    StatusReport.objects.create(programme=prog, period_end=dt.date(2020, 1, 31), rag="amber", narrative="Going.")
    BudgetLine.objects.create(programme=prog, period_end=dt.date(2020, 1, 31), budget=1000, actual=400, forecast=1100)
    for t in range(size):
        theme = Theme.objects.create(programme=prog, order=t, title=f"Theme {t}")
        ThemeOverview.objects.create(theme=theme, period_end=dt.date(2020, 1, 31), rag="green", narrative="Fine.")
        for r in range(2):
            rec = Recommendation.objects.create(theme=theme, order=r, ref=f"{t}.{r}", text=f"Objective {t}.{r}")
            for a in range(3):
                action = Action.objects.create(recommendation=rec, order=a, ref=f"{t}.{r}.{a}", title=f"Do {a}",
                                               status=Status.COMPLETED if a == 0 else Status.IN_PROGRESS,
                                               completed_on=dt.date(2019, 12, 1) if a == 0 else None,
                                               when_text="Dec 2019", due=dt.date(2019, 12, 31))
                action.owners.set([pm])
                Step.objects.create(action=action, order=0, text="First step")
                ProgressNote.objects.create(action=action, date=dt.date(2020, 1, 10), text=f"Note {a}")
                RagRating.objects.create(action=action, year=2019, quarter=3, rag="amber")
                RagRating.objects.create(action=action, year=2019, quarter=4, rag="green")
    if risks:
        from oversight.risks.models import Concern, Risk

        for i in range(size * 2):
            Risk.objects.create(programme=prog, ref=str(i + 1), kind="risk", description=f"If {i} then harm",
                                mitigation="Watch", raised_on=dt.date(2020, 1, 1), owner=sro,
                                probability=1 + i % 5, impact=1 + (i * 2) % 5)
            Concern.objects.create(programme=prog, ref=str(i + 1), description=f"Concern {i}", owner=pm,
                                   by_when_text="Ongoing", order=i)
    return prog


@pytest.fixture
def plan_factory(db):
    return make_plan
