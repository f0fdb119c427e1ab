"""Before accounts had a student role, a candidate was "a signed-in user without an organisation
who is not staff". Give those who acted as candidates (a talent profile or an application) the
role, so nobody loses access when the permissions switch to it."""

from django.db import migrations
from django.db.models import Q


def forwards(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    User.objects.filter(
        Q(talent_profile__isnull=False) | Q(applications__isnull=False),
        role="representative",
        organization__isnull=True,
        is_staff=False,
        is_superuser=False,
    ).update(role="student")


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_student_role"),
        ("careers", "0001_initial"),
    ]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
