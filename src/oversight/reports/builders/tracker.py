"""The improvement action tracker (seed 000): outstanding actions, then "Actions completed as at <date>".

Columns as the tracker has them: No, What?, Who?, How?, When?, Success measure, Current status,
Outcome (the dated progress notes up to the as-at), and a RAG per quarter. An action counts as
completed when it was completed on or before the as-at; one completed later is still
outstanding at that date.

The tracker reads only the plan, so it is built in ``plans.readmodel.tracker_report`` — the same
object the on-screen tracker and its ``.json`` twin print; this module adds the reports' footer.
"""

from __future__ import annotations

from oversight.plans.models import Programme
from oversight.plans.periods import Period
from oversight.plans.readmodel import PlanData, tracker_report, tracker_table
from oversight.reports.builders import common as c
from oversight.reports.data import TrackerReport

table = tracker_table  # the seed's columns (kept under the old name)


def build(programme: Programme, period: Period, *, for_publication: bool = False,
          data: PlanData | None = None) -> TrackerReport:
    return tracker_report(programme, period, data=data, for_publication=for_publication,
                          notice=c.publication_notice(for_publication))
