"""The log of child-level views becomes the audit log of every view, download and export.

``ChildDataAccess`` is renamed ``AuditEvent`` (its table and rows are kept: every old row is a
child-level view, and its actor is its user's name) and gains kind, actor, format, programme and
reason; ``ChildDataAccess`` stays as a proxy showing the child-level views. On PostgreSQL a
trigger refuses UPDATE and DELETE on the table, so the log is append-only even for code that
goes round the model (a restore unlocks it for its own transaction, see ``audit_maintenance``).
"""

import django.db.models.deletion
import oversight.accounts.models
from django.conf import settings
from django.db import migrations, models

TRIGGER_SQL = """
CREATE OR REPLACE FUNCTION oversight_audit_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF coalesce(current_setting('oversight.audit_unlock', true), '') = 'on' THEN
        IF TG_OP = 'DELETE' THEN
            RETURN OLD;
        END IF;
        RETURN NEW;
    END IF;
    -- no percent sign in this SQL: Django passes it through the driver's parameter parsing
    RAISE EXCEPTION USING MESSAGE = 'the audit log is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END
$$;
DROP TRIGGER IF EXISTS accounts_auditevent_append_only ON accounts_auditevent;
CREATE TRIGGER accounts_auditevent_append_only BEFORE UPDATE OR DELETE ON accounts_auditevent
    FOR EACH ROW EXECUTE FUNCTION oversight_audit_append_only();
"""

DROP_TRIGGER_SQL = """
DROP TRIGGER IF EXISTS accounts_auditevent_append_only ON accounts_auditevent;
DROP FUNCTION IF EXISTS oversight_audit_append_only();
"""


def name_the_actors(apps, schema_editor):
    """Old rows were all child-level views by a signed-in user: keep that user's name with the row."""
    AuditEvent = apps.get_model("accounts", "AuditEvent")
    User = apps.get_model(settings.AUTH_USER_MODEL)
    field = User.USERNAME_FIELD if hasattr(User, "USERNAME_FIELD") else "username"
    for user_id in AuditEvent.objects.filter(actor="").values_list("user_id", flat=True).distinct():
        name = User.objects.filter(pk=user_id).values_list(field, flat=True).first() or ""
        AuditEvent.objects.filter(actor="", user_id=user_id).update(actor=str(name)[:150])


def add_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(TRIGGER_SQL)


def drop_trigger(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(DROP_TRIGGER_SQL)


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0002_role_default_granted'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.RenameModel("ChildDataAccess", "AuditEvent"),
        migrations.AlterField(
            model_name='auditevent',
            name='user',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT,
                                    related_name='audit_events', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='actor',
            field=models.CharField(blank=True, db_index=True, help_text='the user name at the time, or "command line"',
                                   max_length=150),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='os_user',
            field=models.CharField(blank=True, help_text='the operating-system account of a command', max_length=150),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='kind',
            field=models.CharField(choices=[('child-view', 'Child-level rows viewed'), ('download', 'File downloaded'),
                                            ('export', 'Exported from the command line'),
                                            ('restore', 'Install restored from a backup')],
                                   db_index=True, default='child-view', max_length=20),
            preserve_default=False,
        ),
        migrations.AddField(
            model_name='auditevent',
            name='format',
            field=models.CharField(blank=True, help_text='html, csv, xlsx, docx, pdf, zip, json', max_length=20),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='programme',
            field=models.CharField(blank=True, db_index=True, help_text="the programme's slug, if known",
                                   max_length=100),
        ),
        migrations.AddField(
            model_name='auditevent',
            name='reason',
            field=models.CharField(blank=True, help_text='why, when the install asks for a reason', max_length=500),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='at',
            field=models.DateTimeField(db_index=True, default=oversight.accounts.models.now_to_the_millisecond,
                                       editable=False),
        ),
        migrations.AlterField(
            model_name='auditevent',
            name='path',
            field=models.CharField(blank=True, help_text='the address opened, or the file written', max_length=500),
        ),
        migrations.AlterModelOptions(
            name='auditevent',
            options={'default_permissions': ('view',), 'ordering': ['-at', '-pk'],
                     'permissions': [('view_child_data', 'Can see child-level rows behind the figures'),
                                     ('view_access_log', 'Can read the audit log (child-level views, downloads, exports)')]},
        ),
        migrations.CreateModel(
            name='ChildDataAccess',
            fields=[],
            options={'default_permissions': (), 'ordering': ['-at', '-pk'], 'proxy': True, 'indexes': [],
                     'constraints': []},
            bases=('accounts.auditevent',),
        ),
        migrations.RunPython(name_the_actors, migrations.RunPython.noop),
        migrations.RunPython(add_trigger, drop_trigger),
    ]
