import django.db.models.deletion
from django.db import migrations, models
from django.db.backends.base.schema import BaseDatabaseSchemaEditor
from django.db.migrations.state import StateApps


def link_steps(apps: StateApps, schema_editor: BaseDatabaseSchemaEditor) -> None:
    """Earlier step events stored only the English label: link them to their step."""
    checklist_item = apps.get_model("deals", "ChecklistItem")
    deal_event = apps.get_model("deals", "DealEvent")
    for item in checklist_item.objects.all():
        for field in ("old_value", "new_value"):
            deal_event.objects.filter(kind="step", step=None, **{field: item.label_en}).update(
                step=item
            )


class Migration(migrations.Migration):
    dependencies = [
        ("deals", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="dealevent",
            name="step",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.SET_NULL,
                related_name="+",
                to="deals.checklistitem",
            ),
        ),
        migrations.RunPython(link_steps, migrations.RunPython.noop),
    ]
