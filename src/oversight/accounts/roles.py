"""The roles people have in an improvement programme, as Django groups with least privilege.

Roles are data (groups), so a council can adjust what a role may do in the admin;
``ensure_roles`` gives each role the defaults below once, after every migrate, so that a fresh
install is usable at once and an administrator's changes are never reverted.

Who holds a role is *per programme*: a ``plans.Membership`` (user, programme, role, expiry).
Putting a user in a group directly grants nothing (``accounts.backends`` reads memberships
only). Every role can read its programme (``plans.view_programme``, which the programme gate in
``accounts.scope`` asks for); nothing else is implied.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission

# role name -> list of "app_label.codename" permissions
ROLES: dict[str, list[str]] = {
    # Keeps the plan and the data current and produces the board pack.
    "Programme manager": [
        "plans.add_programme", "plans.change_programme", "plans.view_programme",
        "plans.add_theme", "plans.change_theme", "plans.delete_theme",
        "plans.add_recommendation", "plans.change_recommendation", "plans.delete_recommendation",
        "plans.add_action", "plans.change_action", "plans.delete_action",
        "plans.add_progressnote", "plans.add_person", "plans.change_person",
        "plans.import_plan",
        "plans.add_step", "plans.change_step", "plans.add_source", "plans.change_source",
        "plans.add_statusreport", "plans.change_statusreport", "plans.add_themeoverview",
        "plans.change_themeoverview", "plans.add_budgetline", "plans.change_budgetline",
        "risks.add_risk", "risks.change_risk", "risks.add_concern", "risks.change_concern",
        "risks.add_development", "risks.change_development", "risks.add_riskbands", "risks.change_riskbands",
        "datasets.add_dataset", "datasets.view_dataset", "datasets.publish_dataset",
        "performance.change_target", "performance.add_target",
        "performance.add_benchmark", "performance.add_commentary", "performance.view_worker_breakdown",
        "performance.add_localmeasure", "performance.change_localmeasure", "performance.add_localmeasurevalue",
        "performance.change_localmeasurevalue", "performance.change_scorecardgroup",
        "reports.manage_boardpack", "reports.approve_boardpack", "reports.view_issued_boardpack",
        "reports.view_live_report",
        # Governance: boards and meetings, visits, work programme, projects, self-assessment.
        "governance.add_board", "governance.change_board", "governance.add_boardmember",
        "governance.change_boardmember", "governance.add_meeting", "governance.change_meeting",
        "governance.add_agendaitem", "governance.change_agendaitem", "governance.add_paper",
        "governance.change_paper", "governance.add_attendance", "governance.change_attendance",
        "governance.add_decision", "governance.change_decision", "governance.add_actionarising",
        "governance.change_actionarising", "governance.add_visit", "governance.change_visit",
        "governance.add_finding", "governance.change_finding", "governance.add_judgement",
        "governance.change_judgement", "governance.add_workprogramme", "governance.change_workprogramme",
        "governance.add_worktask", "governance.change_worktask", "governance.add_project",
        "governance.change_project", "governance.add_framework", "governance.change_framework",
        "governance.add_assessment", "governance.change_assessment", "governance.add_assessmententry",
        "governance.change_assessmententry",
        "governance.add_statutoryplan", "governance.change_statutoryplan",
    ],
    # Heads of service and team managers: update their own actions; see child-level data.
    "Action owner": ["plans.view_programme", "plans.add_progressnote", "plans.update_own_action"],
    # Analysts work on the child-level data behind the figures (worker breakdowns, worklists, rows).
    "Analyst": ["plans.view_programme", "accounts.view_child_data", "datasets.view_dataset",
                "datasets.view_team_worklist", "performance.view_worker_breakdown"],
    # Team managers: an action owner who is also an analyst of their own team's children (kept from the
    # first release, whose only child-level role it was).
    "Team manager": ["plans.view_programme", "plans.add_progressnote", "plans.update_own_action",
                     "accounts.view_child_data",
                     "datasets.view_dataset", "datasets.view_team_worklist", "performance.add_commentary",
                     "performance.view_worker_breakdown"],
    # Board members and councillors: read-only, aggregate only.
    "Board member": ["plans.view_programme", "reports.view_issued_boardpack"],
    # Inspectors (Ofsted, peer reviewers): as board members, and their membership must carry an expiry date.
    "Inspector": ["plans.view_programme", "reports.view_issued_boardpack"],
}
# Programme managers also decide who else works on their programme (within limits: see plans.memberships).
ROLES["Programme manager"] += ["plans.view_membership", "plans.add_membership", "plans.change_membership",
                               "plans.delete_membership"]
# Administrators run a programme's access: everything a programme manager may do, and grant any role (child-level
# access and administrator included) and read the access log. They do not see child-level rows themselves.
ROLES = {"Administrator": [*ROLES["Programme manager"], "plans.grant_any_role", "accounts.view_access_log"],
         **ROLES}

#: Roles that may be held only until a date (their membership must have ``expires_on``).
EXPIRING_ROLES = frozenset({"Inspector"})
#: Permissions only a holder of ``plans.grant_any_role`` may hand out (see ``plans.memberships.may_grant``).
GUARDED_PERMISSIONS = frozenset({"accounts.view_child_data", "plans.grant_any_role", "accounts.view_access_log"})


def declared_permissions() -> set[str]:
    """Every permission the installed models declare (defaults and Meta.permissions), no database."""
    from django.apps import apps

    out = set()
    for model in apps.get_models():
        meta = model._meta
        out |= {f"{meta.app_label}.{action}_{meta.model_name}" for action in meta.default_permissions}
        out |= {f"{meta.app_label}.{codename}" for codename, _ in meta.permissions}
    return out


def unknown_role_permissions() -> list[str]:
    """Permissions named in ``ROLES`` that no model declares: a typo would silently grant nothing."""
    known = declared_permissions()
    return [f"{role}: {p}" for role, perms in ROLES.items() for p in perms if p not in known]


def ensure_roles() -> dict[str, Group]:
    """Create the roles and give each the defaults it has not been given before.

    Runs after every ``migrate``. A default is granted once (``RoleDefaultGranted``): a
    permission an administrator removed from a role is not put back, and one they added stays.
    """
    from .models import RoleDefaultGranted

    groups = {}
    for name, perms in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        given = set(RoleDefaultGranted.objects.filter(group=group).values_list("permission", flat=True))
        for dotted in perms:
            if dotted in given:
                continue
            app_label, codename = dotted.split(".", 1)
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is None:  # its app is not migrated yet: granted on a later migrate
                continue
            group.permissions.add(perm)
            RoleDefaultGranted.objects.create(group=group, permission=dotted)
        groups[name] = group
    return groups
