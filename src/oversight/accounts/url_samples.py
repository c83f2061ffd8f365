"""Every URL of the product, and sample arguments for each drawn from the demo programme.

The access matrix (``tests/accounts/test_url_matrix.py``) and the accessibility sweep
(``tests/e2e/test_accessibility_every_page.py``) both walk :func:`url_patterns`, so a view
added tomorrow is visited by both without anyone remembering to list it; a URL whose
arguments are not in :data:`SAMPLES` fails those tests with a message saying where to add it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.urls import URLPattern, URLResolver, get_resolver, reverse


@dataclass(frozen=True)
class Url:
    name: str  # "namespace:name"
    route: str  # the pattern as written, for messages
    default_kwargs: tuple[tuple[str, Any], ...]  # kwargs the pattern passes itself (e.g. fmt="json")
    converters: tuple[str, ...]  # the path arguments the caller must supply

    @property
    def is_admin(self) -> bool:
        return self.route.startswith("admin/")


def _walk(patterns, prefix: str = "", namespace: str | None = None) -> Iterator[Url]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            name = f"{namespace}:{p.name}" if namespace and p.name else (p.name or "")
            converters = tuple(p.pattern.converters) if hasattr(p.pattern, "converters") else ()
            if not converters and p.pattern.regex.groupindex:  # re_path: named groups
                converters = tuple(p.pattern.regex.groupindex)
            yield Url(name, prefix + str(p.pattern), tuple(sorted(p.default_args.items())),
                      tuple(c for c in converters if c not in p.default_args))


def url_patterns(*, include_admin: bool = False) -> list[Url]:
    """Every named URL pattern the resolver knows, at call time (so new views are included).

    The admin's own pages are left out (its index is kept: it is the door), as are static files.
    """
    out = []
    for url in _walk(get_resolver().url_patterns):
        if url.route.startswith(("static/", "media/")) or url.name.startswith("djdt:"):
            continue
        if url.is_admin and not include_admin and url.name != "admin:index":
            continue
        out.append(url)
    return out


def _demo_objects(slug: str) -> dict[str, Any]:
    """The objects the samples point at; looked up, never created (the caller builds the demo)."""
    from oversight.datasets.models import Dataset, LoadJob
    from oversight.governance import models as g
    from oversight.performance.models import IndicatorRun, LocalMeasure
    from oversight.plans.models import Action, BudgetLine, Membership, Person, Programme, Recommendation, Step, Theme
    from oversight.risks.models import Concern, Development, Risk

    prog = Programme.objects.get(slug=slug)
    action = Action.objects.filter(recommendation__theme__programme=prog, ref="1.6").first() or \
        Action.objects.filter(recommendation__theme__programme=prog).order_by("pk").first()
    dataset = Dataset.objects.filter(status=Dataset.Status.PUBLISHED).order_by("-as_at").first() or \
        Dataset.objects.order_by("-pk").first()
    from oversight.reports.models import BoardPack

    pack = BoardPack.objects.filter(programme=prog).order_by("-version").first()
    return {
        "prog": prog, "action": action, "dataset": dataset,
        "job": LoadJob.objects.order_by("-created_at").first(),
        "theme": Theme.objects.filter(programme=prog).order_by("order").first(),
        "rec": Recommendation.objects.filter(theme__programme=prog).order_by("pk").first(),
        "step": Step.objects.filter(action__recommendation__theme__programme=prog).order_by("pk").first(),
        "budget": BudgetLine.objects.filter(programme=prog).order_by("pk").first(),
        "person": Person.objects.filter(programme=prog).order_by("pk").first(),
        "membership": Membership.objects.filter(programme=prog, role__name="Board member").order_by("pk").first(),
        "risk": Risk.objects.filter(programme=prog).order_by("pk").first(),
        "concern": Concern.objects.filter(programme=prog).order_by("pk").first(),
        "development": Development.objects.filter(programme=prog).order_by("pk").first(),
        "measure": LocalMeasure.objects.filter(programme=prog).order_by("pk").first(),
        "board": g.Board.objects.filter(programme=prog).order_by("pk").first(),
        "meeting": g.Meeting.objects.filter(board__programme=prog).order_by("pk").first(),
        "visit": g.Visit.objects.filter(programme=prog).order_by("pk").first(),
        "finding": g.Finding.objects.filter(visit__programme=prog).order_by("pk").first(),
        "arising": g.ActionArising.objects.filter(meeting__board__programme=prog).order_by("pk").first(),
        "work_programme": g.WorkProgramme.objects.filter(programme=prog).order_by("pk").first(),
        "project": g.Project.objects.filter(programme=prog).order_by("pk").first(),
        "framework": g.Framework.objects.filter(programme=prog).order_by("pk").first(),
        "statutory_plan": g.StatutoryPlan.objects.filter(programme=prog).order_by("pk").first(),
        "pack": pack,
        "pack_file": pack.files.order_by("pk").first() if pack else None,
        "run": IndicatorRun.objects.filter(dataset=dataset).order_by("-pk").first() if dataset else None,
    }


def _pk(key: str) -> Callable[[dict], Any]:
    return lambda o: o[key].pk


S = "slug"
#: URL name → the path arguments to use, as a function of the demo objects (``slug`` is always "demo",
#: and a URL whose only argument is the slug needs no entry); "?" adds a query string.
SAMPLES: dict[str, dict[str, Callable[[dict], Any]]] = {
    # datasets
    "datasets:job": {"job_id": _pk("job")},
    "datasets:job_json": {"job_id": _pk("job")},
    **{f"datasets:{n}": {"dataset_id": lambda o: o["dataset"].dataset_id}
       for n in ("detail_json", "detail", "publish", "withdraw", "retry", "teams", "teams_json", "worklist",
                 "worklist_csv", "worklist_xlsx", "worklist_json", "report", "report_xlsx")},
    "datasets:rows": {"dataset_id": lambda o: o["dataset"].dataset_id, "table": lambda o: "cp"},
    # performance
    "performance:scorecard_download": {"fmt": lambda o: "xlsx"},
    "performance:indicator": {"indicator_id": lambda o: "cpp_open"},
    # the sample dataset is not the programme's period: name its run
    "performance:indicator_download": {"indicator_id": lambda o: "cpp_open", "fmt": lambda o: "csv",
                                       "?": lambda o: f"run={o['run'].pk}"},
    "performance:indicator_rows": {"indicator_id": lambda o: "cpp_open", "?": lambda o: f"run={o['run'].pk}"},
    "performance:commentary_add": {"indicator_id": lambda o: "cpp_open"},
    "performance:target_add": {"indicator_id": lambda o: "cpp_open"},
    **{f"performance:{n}": {S: None} for n in ("measures", "measures_json", "measure_add", "measures_import",
                                                 "scorecard_groups")},
    "performance:measure_values": {S: None, "code": lambda o: o["measure"].code},
    "performance:measure_edit": {S: None, "code": lambda o: o["measure"].code},
    # risks
    **{f"risks:{n}": {S: None} for n in ("register", "register_json", "risk_add", "bands", "concerns",
                                           "concerns_json", "concerns_add", "developments", "developments_json",
                                           "developments_add")},
    **{f"risks:{n}": {S: None, "pk": _pk("risk")} for n in ("risk", "risk_json", "risk_edit", "risk_rescore",
                                                              "risk_close")},
    "risks:concerns_edit": {S: None, "pk": _pk("concern")},
    "risks:developments_edit": {S: None, "pk": _pk("development")},
    # governance
    **{f"governance:{n}": {S: None} for n in ("home", "home_json", "projects", "projects_json",
                                                "framework_import")},
    "governance:board": {S: None, "pk": _pk("board")},
    "governance:board_json": {S: None, "pk": _pk("board")},
    "governance:meeting": {S: None, "pk": _pk("meeting")},
    "governance:meeting_json": {S: None, "pk": _pk("meeting")},
    "governance:visit": {S: None, "pk": _pk("visit")},
    "governance:visit_json": {S: None, "pk": _pk("visit")},
    **{f"governance:{n}": {S: None, "pk": _pk("work_programme")}
       for n in ("work_programme", "work_programme_json", "work_programme_xlsx")},
    "governance:project_state": {S: None, "pk": _pk("project")},
    "governance:framework": {S: None, "pk": _pk("framework")},
    "governance:framework_json": {S: None, "pk": _pk("framework")},
    "governance:finding_to_plan": {S: None, "pk": _pk("finding")},
    "governance:arising_to_plan": {S: None, "pk": _pk("arising")},
    "governance:add": {S: None, "kind": lambda o: "board"},
    "governance:add_to": {S: None, "kind": lambda o: "meeting", "parent": _pk("board")},
    "governance:edit": {S: None, "kind": lambda o: "board", "pk": _pk("board")},
    **{f"governance:{n}": {S: None, "pk": _pk("statutory_plan")}
       for n in ("statutory_plan", "statutory_plan_json", "statutory_plan_xlsx", "statutory_plan_import")},
    "governance:calendar": {S: None}, "governance:calendar_json": {S: None},
    "governance:calendar_rule": {S: None, "pk": _pk("board")},
    "governance:calendar_link": {S: None, "pk": _pk("meeting")},
    # reports
    **{f"reports:{n}": {S: None} for n in ("list", "list_json", "board_pack", "pack_new")},
    "reports:report": {S: None, "name": lambda o: "highlight"},
    "reports:download": {S: None, "name": lambda o: "highlight", "fmt": lambda o: "docx"},
    **{f"reports:{n}": {S: None, "version": lambda o: o["pack"].version}
       for n in ("pack", "pack_json", "pack_zip", "pack_edit")},
    "reports:pack_transition": {S: None, "version": lambda o: o["pack"].version, "action": lambda o: "submit"},
    "reports:pack_file": {S: None, "version": lambda o: o["pack"].version, "pk": _pk("pack_file")},
    # plans
    **{f"plans:{n}": {S: None} for n in ("programme", "programme_json", "tracker", "tracker_json", "status_edit",
                                           "budget_add", "settings", "plan_edit", "theme_add", "people",
                                           "person_add")},
    **{f"plans:{n}": {S: None, "pk": _pk("action")} for n in ("action", "action_json", "action_edit", "note_add",
                                                                "evidence_add", "plan_action_edit")},
    **{f"plans:{n}": {S: None, "pk": _pk("theme")} for n in ("theme", "theme_json", "overview_edit",
                                                               "theme_edit")},
    "plans:budget_edit": {S: None, "pk": _pk("budget")},
    "plans:recommendation_add": {S: None, "theme_pk": _pk("theme")},
    "plans:recommendation_edit": {S: None, "pk": _pk("rec")},
    "plans:plan_action_add": {S: None, "rec_pk": _pk("rec")},
    "plans:step_add": {S: None, "action_pk": _pk("action")},
    "plans:step_edit": {S: None, "pk": _pk("step")},
    "plans:move": {S: None, "kind": lambda o: "action", "pk": _pk("action")},
    "plans:person_edit": {S: None, "pk": _pk("person")},
    "plans:role_edit": {S: None, "pk": _pk("membership")},
}


class MissingSample(LookupError):
    pass


def sample_path(url: Url, objects: dict[str, Any], slug: str = "demo") -> str:
    """The path to request for ``url``, its arguments taken from :data:`SAMPLES`."""
    spec = SAMPLES.get(url.name, {})
    query = spec.get("?")
    if not url.converters:
        path = reverse(url.name, kwargs=dict(url.default_kwargs) or None)
        return f"{path}?{query(objects)}" if query else path
    spec = {k: v for k, v in spec.items() if k != "?"}
    if not spec and set(url.converters) == {S}:
        spec = {S: None}  # a programme's page: the demo programme
    if set(spec) != set(url.converters):
        raise MissingSample(
            f"URL {url.name!r} ({url.route}) takes {sorted(url.converters)} but SAMPLES in "
            f"src/oversight/accounts/url_samples.py gives {sorted(spec) if spec else 'nothing'}: add an entry "
            f"drawing them from the demo objects, and a rule for it in oversight/accounts/access.py.")
    kwargs = {k: (slug if f is None else f(objects)) for k, f in spec.items()}
    kwargs.update(dict(url.default_kwargs))
    path = reverse(url.name, kwargs=kwargs)
    return f"{path}?{query(objects)}" if query else path


def build_world(data_dir: Path, password: str = "correct horse battery staple") -> dict:
    """The demo programme and one of everything a URL can point at; returns users and sample objects.

    A user per identity of ``access.identities()`` (username: its name in lower case, dots for
    spaces), each holding its role through a membership: in the demo programme, in another
    programme ("another", a bare one), or expired (an inspector whose access ended today); and a
    superuser ("root"); the demo's risks, measures and governance; a tiny consistent Annex A
    dataset (published, as at 2024-01-31) with a finished upload job; an issued board pack; the
    roles that update their own actions linked as owners of the sample action; and the roles
    that read worklists (and the superuser) given a team. Call inside a test database.
    """
    import datetime as dt

    from django.contrib.auth.models import Group, User
    from django.utils import timezone

    from oversight.accounts.access import ANONYMOUS, ELSEWHERE, EXPIRED, HERE, SUPERUSER, identities
    from oversight.accounts.roles import ROLES, ensure_roles
    from oversight.datasets.models import Dataset, LoadJob
    from oversight.datasets.services import compute_figures, load_dataset, publish
    from oversight.engine.annex_a.testing import AS_AT, write_workbook
    from oversight.governance.demo import load_demo_governance
    from oversight.performance.demo import load_demo_measures
    from oversight.plans.demo import build_demo_programme
    from oversight.plans.models import Membership, Programme
    from oversight.plans.periods import current_period
    from oversight.reports import packs
    from oversight.risks.demo import load_demo_risks

    ensure_roles()
    programme = build_demo_programme()
    load_demo_risks(programme)
    load_demo_measures(programme)
    load_demo_governance(programme)

    another = Programme.objects.create(slug="another", name="Youth Justice Improvement Plan (another programme)")
    today = timezone.localdate()
    users: dict[str, User | None] = {ANONYMOUS: None}
    for who, (role, where) in identities().items():
        user = User.objects.create_user(who.lower().replace(" ", "."), password=password)
        expires = today + dt.timedelta(days=30) if role == "Inspector" else None
        Membership.objects.create(user=user, role=Group.objects.get(name=role),
                                  programme=another if where == ELSEWHERE else programme,
                                  expires_on=today if where == EXPIRED else expires)
        users[who] = user
    assert {w for w, (_, where) in identities().items() if where == HERE} == set(ROLES)
    users[SUPERUSER] = User.objects.create_superuser("root", password=password)

    workbook = write_workbook(data_dir / "annex_a.xlsx")
    dataset = load_dataset(workbook, AS_AT, user=users[SUPERUSER], via="test")
    if dataset.figures != Dataset.Figures.READY:
        dataset = compute_figures(dataset)
    publish(dataset, user=None, confirm_as_at=True)
    LoadJob.objects.create(user=users[SUPERUSER], source_name="annex_a.xlsx", as_at=AS_AT,
                           state=LoadJob.State.DONE, dataset=dataset)

    pack = packs.create_pack(programme, current_period(programme), users[SUPERUSER])
    packs.submit(pack, users[SUPERUSER])
    packs.approve(pack, users[SUPERUSER])
    packs.issue(pack, users[SUPERUSER], formats=["html"])

    from oversight.datasets.models import WorklistTeam
    from oversight.datasets.services import NO_TEAM, all_teams

    teams = all_teams(dataset)
    team = next((t for t in teams if t != NO_TEAM), teams[0] if teams else "Assessment team 1")
    for who in [r for r in ROLES if "datasets.view_team_worklist" in ROLES[r]] + [SUPERUSER]:
        WorklistTeam.objects.create(user=users[who], team=team)  # a worklist to read

    objects = _demo_objects("demo")
    owners = list(objects["action"].owners.all())
    for role, person in zip([r for r in ROLES if "plans.update_own_action" in ROLES[r]], owners, strict=False):
        person.user = users[role]
        person.save()
    return {"users": users, "objects": objects}


def demo_objects(slug: str = "demo") -> dict[str, Any]:
    return _demo_objects(slug)

