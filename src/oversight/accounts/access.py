"""Who may open which page: one declared rule per URL name, read against the roles in ``roles.ROLES``.

This is the table the access matrix (``tests/accounts/test_url_matrix.py``) checks every URL
against, for every role, anonymous and a superuser. It is declared here rather than in a test
so that views can consult it as they move to it; for now each view still makes its own check
and the matrix proves the two agree. A rule names the permission a page needs, so the expected
answer for a role follows from the permissions ``ROLES`` gives it: change a role there and the
matrix follows; add a URL without a rule here and its cases fail and say so.

Roles are held per programme (``plans.Membership``), so who is asked about is an *identity*
(:data:`IDENTITIES`): a role held in the sample programme, the same role held in another
programme only, or a role whose membership has expired. What an identity holds depends on the
URL: on a programme's page (a URL with a ``slug``, or ``?programme=``) only its roles in that
programme count; on a page tied to no programme (``/data/``, ``/performance/``), its roles in any
programme (``accounts.backends``).

Expected answers to a GET:

* anonymous: 302 to the sign-in page, except public pages (sign-in, accessibility statement,
  health check, the single sign-on endpoints);
* someone holding no live role where the page is (``plans.view_programme``, which every role
  has, is the programme gate of ``accounts.scope``): 403, except public and personal pages
  (sign-out, two-factor) and the admin's own door;
* a POST-only URL (a form's target, not a page): 405 for everyone signed in;
* a signed-in role holding the rule's permission (any one of ``perms``), or owning the sample
  action where ``owner`` is set: ``ok`` (200 unless the page redirects);
* everyone else signed in: 403.

And to a POST: on a URL where something can be changed (``needs``/``post``, not ``view``), anyone
without the permission gets 403 (or 405) and anonymous the sign-in page, never a save.
"""

from __future__ import annotations

from dataclasses import dataclass

ANONYMOUS = "anonymous"
SUPERUSER = "superuser"
SIGNED_IN = "signed in"  # personal pages: anyone signed in, role or not (no programme gate)
PUBLIC = "public"
READ_PROGRAMME = "plans.view_programme"  # every role has it: reading a programme's pages
STAFF = "staff"  # the Django admin: staff only, which no role makes anyone (the superuser is)
OWN_ACTION = "plans.update_own_action"
CHILD = "accounts.view_child_data"


@dataclass(frozen=True)
class Rule:
    """What opening a URL needs: PUBLIC, SIGNED_IN, or any one of ``perms``."""

    perms: tuple[str, ...]
    post_only: bool = False  # a form target: GET is 405 for everyone signed in
    owner: bool = False  # also the owners of the action (roles with plans.update_own_action)
    ok: int = 200  # what a permitted GET answers
    ok_all: int | None = None  # what it answers someone who reads every programme (superuser), if different
    anonymous: int = 302  # what an anonymous GET answers (302 to sign-in unless public)
    denied: int = 403  # what a signed-in person without the permission gets
    write: bool = False  # something can be changed here: a POST by someone not allowed must be refused

    @property
    def is_public(self) -> bool:
        return PUBLIC in self.perms


def public(ok: int = 200) -> Rule:
    return Rule((PUBLIC,), ok=ok, anonymous=ok)


READ = Rule((READ_PROGRAMME,))  # any role in the programme (on a page of no programme: in any programme)


def needs(*perms: str, post_only: bool = False, owner: bool = False, ok: int = 200) -> Rule:
    """A form page (or form target) that changes something."""
    return Rule(perms, post_only=post_only, owner=owner, ok=ok, write=True)


def view(*perms: str, ok: int = 200) -> Rule:
    """A page only some roles may read, with nothing to change behind it."""
    return Rule(perms, ok=ok)


def post(*perms: str, owner: bool = False) -> Rule:
    return needs(*perms, post_only=True, owner=owner)


RULES: dict[str, Rule] = {
    # ------------------------------------------------------------------ signing in, public pages
    "login": public(),
    "logout": Rule((SIGNED_IN,), post_only=True, anonymous=302),  # Django 5: POST only
    "oidc_authentication_init": public(404),  # single sign-on is off unless configured
    "oidc_authentication_callback": public(404),
    "sso_refused": public(403),  # the page saying sign-on was refused answers 403 itself
    "twofactor:verify": Rule((SIGNED_IN,), ok=302),  # nothing enrolled to verify: sent on to set-up
    "twofactor:setup": Rule((SIGNED_IN,)),
    "ops:accessibility": public(),
    "ops:healthz": public(),
    "admin:index": Rule((STAFF,), denied=302),  # the admin sends everyone else to its own sign-in
    # the audit log (read-only, administrators) and the reason form asked before child-level rows
    **{f"audit:{n}": view("accounts.view_access_log") for n in ("log", "log_json", "log_csv")},
    "audit:reason": needs(CHILD),
    # ------------------------------------------------------------------ the plan
    "plans:home": Rule((READ_PROGRAMME,), ok=302, ok_all=200),  # goes to the person's only programme, else lists
    "plans:programme": READ, "plans:programme_json": READ,
    "plans:tracker": READ, "plans:tracker_json": READ,
    "plans:action": READ, "plans:action_json": READ,
    "plans:theme": READ, "plans:theme_json": READ,
    "plans:action_edit": needs("plans.change_action", owner=True),
    "plans:note_add": post("plans.change_action", owner=True),
    "plans:evidence_add": post("plans.change_action"),
    "plans:overview_edit": needs("plans.change_themeoverview"),
    "plans:status_edit": needs("plans.change_statusreport"),
    "plans:budget_add": needs("plans.add_budgetline"),
    "plans:budget_edit": needs("plans.change_budgetline"),
    "plans:settings": needs("plans.change_programme"),
    "plans:plan_edit": needs("plans.change_theme"),
    "plans:theme_add": needs("plans.add_theme"),
    "plans:theme_edit": needs("plans.change_theme"),
    "plans:recommendation_add": needs("plans.add_recommendation"),
    "plans:recommendation_edit": needs("plans.change_recommendation"),
    "plans:plan_action_add": needs("plans.add_action"),
    "plans:plan_action_edit": needs("plans.change_action"),
    "plans:step_add": needs("plans.add_step"),
    "plans:step_edit": needs("plans.change_step"),
    "plans:move": post("plans.change_action"),
    "plans:people": READ,
    "plans:person_add": needs("plans.add_person"),
    "plans:person_edit": needs("plans.change_person"),
    "plans:roles": needs("plans.view_membership"),  # People and roles: the grant form posts here (add_membership)
    "plans:roles_json": view("plans.view_membership"),
    "plans:role_edit": needs("plans.change_membership"),  # the sample is the board member's membership
    # ------------------------------------------------------------------ risks, concerns, developments
    "risks:register": READ, "risks:register_json": READ, "risks:risk": READ, "risks:risk_json": READ,
    "risks:bands": needs("risks.change_riskbands"),  # the bands' edit form
    "risks:risk_add": needs("risks.add_risk"),
    "risks:risk_edit": needs("risks.change_risk"),
    "risks:risk_rescore": needs("risks.change_risk"),
    "risks:risk_close": needs("risks.change_risk"),
    "risks:concerns": READ, "risks:concerns_json": READ,
    "risks:concerns_add": needs("risks.add_concern"),
    "risks:concerns_edit": needs("risks.change_concern"),
    "risks:developments": READ, "risks:developments_json": READ,
    "risks:developments_add": needs("risks.add_development"),
    "risks:developments_edit": needs("risks.change_development"),
    # ------------------------------------------------------------------ governance
    **{f"governance:{n}": READ for n in (
        "home", "home_json", "board", "board_json", "meeting", "meeting_json", "visit", "visit_json",
        "work_programme", "work_programme_json", "work_programme_xlsx", "projects", "projects_json",
        "framework", "framework_json", "my_actions", "my_actions_json")},
    "governance:project_state": needs("governance.change_project"),
    "governance:framework_import": needs("governance.add_framework"),
    "governance:finding_to_plan": post("plans.add_recommendation"),
    "governance:arising_to_plan": post("plans.add_action"),
    "governance:add": needs("governance.add_board"),
    "governance:add_to": needs("governance.add_meeting"),
    "governance:edit": needs("governance.change_board"),
    "governance:statutory_plan": READ, "governance:statutory_plan_json": READ, "governance:statutory_plan_xlsx": READ,
    "governance:statutory_plan_new": needs("governance.add_statutoryplan"),
    "governance:statutory_plan_import": needs("governance.change_statutoryplan"),
    "governance:calendar": READ, "governance:calendar_json": READ,  # the reporting calendar (helper A)
    "governance:calendar_rule": needs("governance.change_board"),
    "governance:calendar_link": post("governance.change_meeting"),
    # ------------------------------------------------------------------ reports and board packs
    "reports:list": READ, "reports:list_json": READ,
    # live reports (any period, not yet issued): for those who prepare or approve packs; the board reads issued packs
    **{f"reports:{n}": view("reports.view_live_report", "reports.manage_boardpack", "reports.approve_boardpack")
       for n in ("report", "download", "board_pack")},
    "reports:pack_new": post("reports.manage_boardpack"),
    # the sample pack is issued: board members read issued packs
    **{f"reports:{n}": view("reports.manage_boardpack", "reports.approve_boardpack", "reports.view_issued_boardpack")
       for n in ("pack", "pack_json", "pack_zip", "pack_file")},
    "reports:pack_edit": post("reports.manage_boardpack"),
    "reports:pack_transition": post("reports.manage_boardpack"),
    # ------------------------------------------------------------------ performance
    "performance:scorecard": READ, "performance:scorecard_json": READ, "performance:scorecard_download": READ,
    "performance:indicator": READ, "performance:indicator_download": READ,
    "performance:indicator_rows": view(CHILD),
    "performance:commentary_add": post("performance.add_commentary"),
    "performance:target_add": post("performance.add_target"),
    "performance:team": READ, "performance:team_json": READ,  # by team; by worker needs view_worker_breakdown
    "performance:measures": READ, "performance:measures_json": READ,
    "performance:measure_add": needs("performance.add_localmeasure"),
    "performance:measures_import": needs("performance.add_localmeasurevalue"),
    "performance:measure_values": needs("performance.add_localmeasurevalue"),
    "performance:measure_edit": needs("performance.change_localmeasure"),
    "performance:scorecard_groups": needs("performance.change_scorecardgroup"),
    # ------------------------------------------------------------------ data (Annex A datasets)
    # The Data pages are aggregate (counts, rules, where a problem is — never a child's value for
    # those without child-level access), read by everyone signed in as the board reads the scorecard.
    "datasets:list": READ,
    "datasets:uploads": READ,
    "datasets:upload": needs("datasets.add_dataset"),
    # the sample job is another person's and finished: its page goes on to the dataset
    "datasets:job": view("datasets.add_dataset", ok=302), "datasets:job_json": view("datasets.add_dataset"),
    "datasets:detail": READ, "datasets:detail_json": READ,
    "datasets:report": READ, "datasets:report_xlsx": READ,
    "datasets:publish": post("datasets.publish_dataset"),
    "datasets:withdraw": post("datasets.publish_dataset"),
    "datasets:retry": post("datasets.publish_dataset"),
    "datasets:teams": READ, "datasets:teams_json": READ,
    **{f"datasets:{n}": view("datasets.view_team_worklist")
       for n in ("worklist", "worklist_csv", "worklist_xlsx", "worklist_json")},
    "datasets:rows": view(CHILD),
}


class NoRule(LookupError):
    pass


def rule_for(name: str) -> Rule:
    try:
        return RULES[name]
    except KeyError:
        raise NoRule(f"URL {name!r} has no access rule: declare who may open it in RULES in "
                     f"src/oversight/accounts/access.py (and its sample arguments in url_samples.py).") from None


HERE, ELSEWHERE, EXPIRED = "here", "elsewhere", "expired"
OTHER_PROGRAMME_MANAGER = "programme manager of another programme"
EXPIRED_INSPECTOR = "expired inspector"


def identities() -> dict[str, tuple[str, str]]:
    """Everyone the matrix signs in as, but anonymous and the superuser: name → (role, where it is held).

    One per role of ``ROLES`` held in the sample programme (named as the role), a programme manager
    of another programme only, and an inspector whose access ended (expired membership).
    """
    from .roles import ROLES

    return {**{role: (role, HERE) for role in ROLES},
            OTHER_PROGRAMME_MANAGER: ("Programme manager", ELSEWHERE),
            EXPIRED_INSPECTOR: ("Inspector", EXPIRED)}


def permissions_of(who: str, scoped: bool = True) -> set[str] | None:
    """What ``who`` holds on a page (``scoped``: of the sample programme; else of no programme).

    None means all (superuser); empty for anonymous, for an expired membership, and for a role held
    in another programme when the page is this programme's.
    """
    from .roles import ROLES

    if who == SUPERUSER:
        return None
    if who == ANONYMOUS:
        return set()
    role, where = identities()[who]
    if where == EXPIRED or (where == ELSEWHERE and scoped):
        return set()
    return set(ROLES[role])


def passes_gate(rule: Rule, who: str, scoped: bool = True) -> bool:
    """Whether ``who`` gets past the programme gate of ``accounts.scope`` (before any view runs)."""
    if rule.is_public or who == ANONYMOUS or SIGNED_IN in rule.perms or STAFF in rule.perms:
        return True
    perms = permissions_of(who, scoped)
    return perms is None or READ_PROGRAMME in perms


def may(rule: Rule, who: str, scoped: bool = True) -> bool:
    """Whether ``who`` passes ``rule`` (the sample action is owned by every role that may update its own)."""
    if rule.is_public:
        return True
    if who == ANONYMOUS:
        return False
    perms = permissions_of(who, scoped)
    if perms is None or SIGNED_IN in rule.perms:
        return True
    if STAFF in rule.perms:
        return False
    if not passes_gate(rule, who, scoped):
        return False
    owns = rule.owner and OWN_ACTION in perms and identities()[who][1] == HERE
    return bool(perms & set(rule.perms)) or owns


def expected_status(rule: Rule, who: str, scoped: bool = True) -> int:
    """The status a GET by ``who`` must answer (``scoped``: the URL is the sample programme's)."""
    if who == ANONYMOUS:
        return rule.anonymous
    if not passes_gate(rule, who, scoped):
        return 403
    if rule.post_only:
        return 405
    if not may(rule, who, scoped):
        return rule.denied
    if who == SUPERUSER and rule.ok_all is not None:
        return rule.ok_all
    return rule.ok


def is_write(rule: Rule) -> bool:
    """URLs behind which something can be changed: a POST by someone not allowed must be refused."""
    return rule.write
