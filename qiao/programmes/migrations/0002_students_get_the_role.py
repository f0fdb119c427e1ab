"""Before accounts had a student role, any signed-in user could apply to a programme. Give those
who did (without an organisation, not staff) the role, so they keep following their
applications when the permissions switch to it."""

from django.db import migrations


def forwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    User.objects.filter(
        programme_applications__isnull=False,
        role="representative",
        organization__isnull=True,
        is_staff=False,
        is_superuser=False,
    ).update(role="student")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_student_role"),
        ("programmes", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
