"""The roles people have in an improvement programme, as Django groups with least privilege.

Roles are data (groups), so a council can adjust them in the admin; ``ensure_roles`` puts
back the defaults after every migrate so that a fresh install is usable at once.
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
        "datasets.add_dataset", "datasets.view_dataset",
        "performance.change_target", "performance.add_target",
        "performance.add_benchmark", "performance.add_commentary", "performance.view_worker_breakdown",
    ],
    # Heads of service and team managers: update their own actions; see child-level data.
    "Action owner": ["plans.add_progressnote", "plans.update_own_action"],
    "Team manager": ["plans.add_progressnote", "plans.update_own_action", "accounts.view_child_data",
                     "datasets.view_dataset", "performance.add_commentary",
                     "performance.view_worker_breakdown"],
    # Board members, councillors, inspectors: read-only, aggregate only.
    "Board member": [],
}


def ensure_roles() -> dict[str, Group]:
    groups = {}
    for name, perms in ROLES.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for dotted in perms:
            app_label, codename = dotted.split(".", 1)
            perm = Permission.objects.filter(content_type__app_label=app_label, codename=codename).first()
            if perm is not None:  # an app not yet migrated simply contributes nothing yet
                wanted.append(perm)
        group.permissions.set(wanted)
        groups[name] = group
    return groups
