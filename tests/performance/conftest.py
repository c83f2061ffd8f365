"""A small stored dataset whose figures are worked by hand, computed and stored as a run."""

from __future__ import annotations

import json

import pytest

from oversight.datasets.models import Dataset
from oversight.engine.indicators.testing import d, write_tables
from oversight.performance import services

AS_AT = d("2020-01-31")

# Assessments authorised in January 2020: Team 1 has one in 45 working days and one in 46;
# Team 2 one in time. Overall 2 of 3 = 66.7%. December: one late (Team 2) = 0.0%.
ASSESSMENTS = [
    {"child_id": "CHILD-A1", "assessment_start": d("2019-11-26"), "assessment_authorised": d("2020-01-31"),
     "child_seen": "Yes", "allocated_team": "Assessment Team 1", "allocated_worker": "Ann Worker"},
    {"child_id": "CHILD-A2", "assessment_start": d("2019-11-25"), "assessment_authorised": d("2020-01-31"),
     "child_seen": "No", "allocated_team": "Assessment Team 1", "allocated_worker": "Ann Worker"},
    {"child_id": "CHILD-A3", "assessment_start": d("2020-01-06"), "assessment_authorised": d("2020-01-10"),
     "child_seen": "Yes", "allocated_team": "Assessment Team 2", "allocated_worker": "Bo Worker"},
    {"child_id": "CHILD-A4", "assessment_start": d("2019-09-02"), "assessment_authorised": d("2019-12-20"),
     "child_seen": "Yes", "allocated_team": "Assessment Team 2", "allocated_worker": "Bo Worker"},
    {"child_id": "CHILD-A5", "assessment_start": None, "assessment_authorised": d("2020-01-20"),
     "child_seen": "Yes", "allocated_team": "Assessment Team 2", "allocated_worker": "Bo Worker",
     "_invalid": ["assessment_start"]},
]


def make_dataset(root) -> Dataset:
    """Write Parquet tables and a manifest like the loader's, and register the dataset."""
    folder = root / "2020-01-31-test"
    paths = write_tables(folder, {"assessments": ASSESSMENTS})
    manifest = {"id": "2020-01-31-test", "as_at": AS_AT.isoformat(), "source_name": "test.xlsx",
                "tables": {name: {"file": p.name, "rows": len(ASSESSMENTS)} for name, p in paths.items()}}
    (folder / "manifest.json").write_text(json.dumps(manifest))
    # Published, so its figures are live (only published datasets feed the scorecard).
    extra = {"status": "published"} if hasattr(Dataset, "Status") else {}
    return Dataset.objects.create(dataset_id="2020-01-31-test", as_at=AS_AT, sha256="0" * 64,
                                  source_name="test.xlsx", schema_version="2024", path=str(folder), **extra)


@pytest.fixture
def dataset(db, tmp_path) -> Dataset:
    return make_dataset(tmp_path)


@pytest.fixture
def run(dataset):
    return services.compute_and_store(dataset)


@pytest.fixture
def programme(db):
    """A programme reporting monthly, whose current period is seed 001's January 2020."""
    from oversight.plans.models import Programme, Theme

    prog = Programme.objects.create(slug="torbay", name="Children's services improvement",
                                    current_as_at=d("2020-01-31"))
    for n, title in enumerate(["Leadership, management and governance", "A robust model of social work practice",
                               "A sufficient and skilled workforce"], start=1):
        Theme.objects.create(programme=prog, order=n, title=title)
    return prog


@pytest.fixture
def lac_missing(programme):
    """Seed 001: "Number of LAC who went missing from care during the year", Aug–Dec 2019."""
    from oversight.performance.models import LocalMeasure

    m = LocalMeasure.objects.create(programme=programme, code="lac-missing", name="Number of LAC who went "
                                    "missing from care during the year", unit="count", polarity="lower",
                                    period_type="ytd", source="Local report")
    for month, value in zip(["2019-08", "2019-09", "2019-10", "2019-11", "2019-12"], [7, 5, 5, 9, 15], strict=True):
        m.values.create(month=d(f"{month}-01"), value=value)
    return m


@pytest.fixture
def rhi(programme):
    """A rate: return home interviews within 72 hours, out of children returning (percent, higher is better)."""
    from oversight.performance.models import LocalMeasure

    return LocalMeasure.objects.create(programme=programme, code="rhi-72h", ref="2.4.1",
                                       name="Return home interviews within 72 hours (%)", unit="percent",
                                       polarity="higher", period_type="month", source="Missing team")
