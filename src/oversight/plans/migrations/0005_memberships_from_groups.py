"""People who held a role as a Django group (council-wide, before roles were per programme) keep it.

Each member of a role group becomes a council-wide membership (no programme: every programme,
exactly the access they had) and leaves the group, whose members no longer grant anything.
"""

from django.db import migrations

OLD_ROLES = ["Programme manager", "Action owner", "Team manager", "Board member"]


def forwards(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Membership = apps.get_model("plans", "Membership")
    for group in Group.objects.filter(name__in=OLD_ROLES):
        for user in group.user_set.all():
            Membership.objects.get_or_create(user=user, programme=None, role=group, defaults={"via": "migrated"})
        group.user_set.clear()


def backwards(apps, schema_editor):
    Membership = apps.get_model("plans", "Membership")
    for m in Membership.objects.filter(programme=None, via="migrated").select_related("role", "user"):
        m.role.user_set.add(m.user)


class Migration(migrations.Migration):
    dependencies = [
        ("plans", "0004_membership"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(forwards, backwards)]
