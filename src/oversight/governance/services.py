"""Writes that cross into the plan: a finding becomes a recommendation, an action arising a plan
action, each with its source set so that every action shows where it came from. Also the
projects' lifecycle (each move kept with its date and reason).

Governance reaches the plan through the plans models only; the plans app never imports this one.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.db.models import Max

from oversight.plans.models import Action, Person, Recommendation, Source, SourceKind, Theme

from .models import SOURCE_KIND, ActionArising, Finding, Meeting, Project, ProjectState, ProjectStateChange, Visit


def can_edit(user) -> bool:
    """Programme managers edit governance records; everyone signed in reads them."""
    return bool(user.is_authenticated and user.has_perm("governance.change_meeting"))


def _source(programme, label: str, kind: str, date: dt.date | None) -> Source:
    source, _ = Source.objects.get_or_create(programme=programme, label=label[:200],
                                             defaults={"kind": kind, "date": date})
    return source


def visit_source(visit: Visit) -> Source:
    """The plan's source for a visit ("Monitoring visit July 2017"), made once and kept on the visit."""
    if visit.source_id:
        return visit.source
    kind = SOURCE_KIND.get(visit.kind, SourceKind.INSPECTION)
    visit.source = _source(visit.programme, visit.source_label, kind, visit.letter_on or visit.start)
    visit.save(update_fields=["source"])
    return visit.source


def meeting_source(meeting: Meeting) -> Source:
    """The plan's source for a meeting: "Improvement board, 12 March 2020"."""
    return _source(meeting.board.programme, meeting.label, SourceKind.OTHER, meeting.date)


def _next_order(qs) -> int:
    return (qs.aggregate(m=Max("order"))["m"] or 0) + 1


@transaction.atomic
def finding_to_recommendation(finding: Finding, theme: Theme, *, ref: str = "", text: str = "") -> Recommendation:
    """Turn a finding into a plan recommendation under ``theme`` with the visit as its source."""
    if finding.recommendation_id:
        return finding.recommendation
    visit = finding.visit
    if theme.programme_id != visit.programme_id:
        raise ValueError("The theme belongs to another programme.")
    rec = Recommendation.objects.create(theme=theme, order=_next_order(theme.recommendations.all()), ref=ref,
                                        text=text or finding.text, source=visit_source(visit))
    finding.recommendation = rec
    finding.save(update_fields=["recommendation"])
    return rec


@transaction.atomic
def arising_to_action(item: ActionArising, theme: Theme) -> Action:
    """Turn an action arising into a plan action, under a recommendation that names the meeting.

    The meeting gets one recommendation per theme ("Actions arising: Improvement board, 12 March
    2020") whose source is the meeting, so the action shows where it came from.
    """
    if item.plan_action_id:
        return item.plan_action
    meeting = item.meeting
    if theme.programme_id != meeting.board.programme_id:
        raise ValueError("The theme belongs to another programme.")
    source = meeting_source(meeting)
    rec = Recommendation.objects.filter(theme=theme, source=source).first()
    if rec is None:
        rec = Recommendation.objects.create(theme=theme, order=_next_order(theme.recommendations.all()),
                                            text=f"Actions arising: {meeting.label}", source=source)
    n = rec.actions.count() + 1
    action = Action.objects.create(
        recommendation=rec, order=_next_order(rec.actions.all()), ref=f"{rec.ref}.{n}" if rec.ref else "",
        title=item.text, due=item.due, when_text=f"{item.due:%d/%m/%Y}" if item.due else "")
    if item.owner_id:
        action.owners.add(item.owner)
    elif item.owner_text:
        person = Person.objects.filter(programme=theme.programme, role=item.owner_text).first()
        if person:
            action.owners.add(person)
    item.plan_action = action
    item.save(update_fields=["plan_action"])
    return action


@transaction.atomic
def set_project_state(project: Project, state: str, *, on: dt.date | None, reason: str = "",
                      merged_into: Project | None = None) -> ProjectStateChange:
    """Move a project or work package through its lifecycle; the move is kept with its date and reason."""
    if state not in ProjectState.values:
        raise ValueError(f"unknown state {state!r}")
    if state == ProjectState.MERGED:
        if merged_into is None:
            raise ValueError("Say which project or work package it was merged into.")
        if merged_into.pk == project.pk or merged_into.programme_id != project.programme_id:
            raise ValueError("A project can only be merged into another of the same programme.")
    else:
        merged_into = None
    project.state, project.state_on, project.state_reason, project.merged_into = state, on, reason, merged_into
    project.version += 1
    project.save()
    return ProjectStateChange.objects.create(project=project, state=state, on=on, reason=reason,
                                             merged_into=merged_into)
