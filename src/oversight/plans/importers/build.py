"""Writing a validated draft plan to the database, all or nothing.

What happens when the programme already has a plan is the officer's explicit choice:

* neither ``replace`` nor ``merge``: refused (:class:`PlanConflict`), nothing written;
* ``replace``: the programme's themes (with their recommendations, actions, steps, notes and
  RAG ratings) and sources are deleted and the draft written in their place. People are
  kept when they are linked to a login (their role and initials are updated from the file);
  people not linked to a login and not in the file are removed;
* ``merge``: the file adds to the plan. Themes are matched by title, recommendations by
  number (or text when unnumbered) within their theme, actions by number (or title) within
  their recommendation. Anything not matched is added at the end. A matched action keeps its
  fields as they are (status, dates and wording change through the app, with its history);
  only its new owners, steps (by text) and progress notes (by date and text) are added.
"""

from __future__ import annotations

from django.db import transaction
from django.utils.text import slugify

from oversight.plans.importers import text as tx
from oversight.plans.importers.draft import DraftAction, DraftProgramme, PlanImportError, check_slug
from oversight.plans.models import (
    Action,
    Person,
    Programme,
    ProgressNote,
    RagRating,
    Recommendation,
    Source,
    Step,
    Theme,
)


class PlanConflict(PlanImportError):
    """The programme already has a plan and neither replace nor merge was asked for."""


def _people(programme: Programme, draft: DraftProgramme, overwrite: bool) -> dict[str, Person]:
    existing = {p.name.casefold(): p for p in programme.people.all()}
    out: dict[str, Person] = {}
    for dp in draft.people:
        p = existing.get(dp.name.casefold())
        if p is None:
            p = Person.objects.create(programme=programme, name=dp.name, role=dp.role, initials=dp.initials)
            existing[p.name.casefold()] = p
        else:
            role = dp.role if overwrite else (p.role or dp.role)
            initials = dp.initials if overwrite else (p.initials or dp.initials)
            if (role, initials) != (p.role, p.initials):
                p.role, p.initials = role, initials
                p.save()
        out[dp.name.casefold()] = p
    for key, p in existing.items():
        out.setdefault(key, p)
    return out


def _sources(programme: Programme, draft: DraftProgramme) -> dict[str, Source]:
    existing = {s.label.casefold(): s for s in programme.sources.all()}
    for ds in draft.sources:
        s = existing.get(ds.label.casefold())
        if s is None:
            existing[ds.label.casefold()] = Source.objects.create(programme=programme, label=ds.label,
                                                                  kind=ds.kind, date=ds.date)
        elif s.date is None and ds.date is not None:
            s.date = ds.date
            s.save()
    return existing


def _add_action(rec: Recommendation, da: DraftAction, order: int, people: dict[str, Person]) -> Action:
    action = Action.objects.create(
        recommendation=rec, order=order, ref=da.ref, title=da.title, when_text=da.when_text, due=da.due,
        success_measure=da.success_measure, status=da.status, completed_on=da.completed_on,
        service_area=da.service_area, resources=da.resources, cost=da.cost, funding_source=da.funding_source,
        additional_revenue=da.additional_revenue,
    )
    for name in da.owners:  # one at a time: the through rows keep the order the officer wrote
        action.owners.add(people[name.casefold()])
    for i, s in enumerate(da.steps, start=1):
        Step.objects.create(action=action, order=i, text=s.text, when_text=s.when_text, due=s.due, status=s.status)
    _add_notes(action, da)
    for g in da.rags:
        RagRating.objects.create(action=action, year=g.year, quarter=g.quarter, rag=g.rag)
    _add_evidence(action, da)
    return action


def _add_evidence(action: Action, da: DraftAction) -> None:
    from oversight.performance.models import EvidenceLink

    for indicator in da.indicators:
        EvidenceLink.objects.get_or_create(action=action, indicator=indicator)


def _add_notes(action: Action, da: DraftAction, skip: set[tuple] | None = None) -> int:
    added = 0
    for n in da.notes:
        if skip is not None and (n.date, n.text.strip()) in skip:
            continue
        ProgressNote.objects.create(action=action, date=n.date, text=n.text, author_name=n.author_name,
                                    status_from=n.status_from, status_to=n.status_to, rag=n.rag)
        added += 1
    return added


def _merge_action(action: Action, da: DraftAction, people: dict[str, Person]) -> None:
    have = set(action.owners.values_list("pk", flat=True))
    for name in da.owners:
        p = people[name.casefold()]
        if p.pk not in have:
            action.owners.add(p)
            have.add(p.pk)
    steps = {tx.norm_key(s) for s in action.steps.values_list("text", flat=True)}
    order = action.steps.count()
    for s in da.steps:
        if tx.norm_key(s.text) not in steps:
            order += 1
            Step.objects.create(action=action, order=order, text=s.text, when_text=s.when_text, due=s.due,
                                status=s.status)
            steps.add(tx.norm_key(s.text))
    seen = {(d, t.strip()) for d, t in action.notes.values_list("date", "text")}
    _add_notes(action, da, skip=seen)
    _add_evidence(action, da)


def _same_recommendation(rec: Recommendation, dr) -> bool:
    return rec.ref == dr.ref if dr.ref else tx.norm_key(rec.text) == tx.norm_key(dr.text)


def _same_action(action: Action, da: DraftAction) -> bool:
    return action.ref == da.ref if da.ref else tx.norm_key(action.title) == tx.norm_key(da.title)


def _write(programme: Programme, draft: DraftProgramme, merge: bool, people: dict[str, Person],
           sources: dict[str, Source]) -> None:
    themes = {tx.norm_key(t.title): t for t in programme.themes.all()} if merge else {}
    theme_order = max([t.order for t in themes.values()], default=0)
    for dt_ in draft.themes:
        theme = themes.get(tx.norm_key(dt_.title))
        if theme is None:
            theme_order += 1
            theme = Theme.objects.create(programme=programme, order=theme_order, title=dt_.title,
                                         overview=dt_.overview)
            themes[tx.norm_key(theme.title)] = theme
        recs = list(theme.recommendations.all()) if merge else []
        rec_order = max([r.order for r in recs], default=0)
        for dr in dt_.recommendations:
            rec = next((r for r in recs if _same_recommendation(r, dr)), None)
            if rec is None:
                rec_order += 1
                rec = Recommendation.objects.create(
                    theme=theme, order=rec_order, ref=dr.ref, text=dr.text,
                    source=sources[dr.source.casefold()] if dr.source else None)
                recs.append(rec)
            actions = list(rec.actions.all()) if merge else []
            act_order = max([a.order for a in actions], default=0)
            for da in dr.actions:
                match = next((a for a in actions if _same_action(a, da)), None)
                if match is not None:
                    _merge_action(match, da, people)
                    continue
                act_order += 1
                actions.append(_add_action(rec, da, act_order, people))


def build_programme(draft: DraftProgramme, *, replace: bool = False, merge: bool = False,
                    filename: str = "plan") -> Programme:
    """Write ``draft`` as the programme ``draft.slug``, creating it if new; atomic.

    ``draft.name`` names a new programme (or renames an existing one when given); without
    one, a new programme is named after its slug.
    """
    if replace and merge:
        raise PlanImportError("choose either replace or merge, not both")
    slug = draft.slug or slugify(draft.name)
    if not slug:
        raise PlanImportError("the programme needs a slug")
    check_slug(slug)
    draft.validate(filename)
    with transaction.atomic():
        programme = Programme.objects.filter(slug=slug).first()
        if programme is None:
            programme = Programme.objects.create(slug=slug, name=draft.name or slug.replace("-", " ").capitalize())
        elif programme.themes.exists():
            if not (replace or merge):
                n = programme.themes.count()
                raise PlanConflict(
                    f"programme {slug!r} already has a plan ({n} theme{'s' if n != 1 else ''}); nothing was "
                    f"imported. Use --replace to replace it with this file or --merge to add this file to it")
            if replace:
                programme.themes.all().delete()
                programme.sources.all().delete()
                keep = {p.name.casefold() for p in draft.people}
                for p in programme.people.filter(user__isnull=True):
                    if p.name.casefold() not in keep:
                        p.delete()
        people = _people(programme, draft, overwrite=not merge)
        sources = _sources(programme, draft)
        _write(programme, draft, merge, people, sources)
        if draft.extra:
            from oversight.plans import exchange

            exchange.import_sections(programme, draft.extra, filename)
        changed = False
        if draft.name and draft.name != programme.name:
            programme.name, changed = draft.name, True
        if draft.reporting_cycle and draft.reporting_cycle != programme.reporting_cycle:
            programme.reporting_cycle, changed = draft.reporting_cycle, True
        for attr in ("period_start", "period_end", "current_as_at"):
            value = getattr(draft, attr)
            if value is not None and value != getattr(programme, attr):
                setattr(programme, attr, value)
                changed = True
        if draft.aim and draft.aim != programme.aim:
            programme.aim, changed = draft.aim, True
        for attr in ("sro", "programme_manager"):
            name = getattr(draft, attr)
            if name and getattr(programme, f"{attr}_id") != people[name.casefold()].pk:
                setattr(programme, attr, people[name.casefold()])
                changed = True
        if changed:
            programme.save()
    return programme
