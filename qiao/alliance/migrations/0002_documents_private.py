"""Membership documents move from the public media root to QIAO_PRIVATE_MEDIA_ROOT."""

import shutil
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import migrations, models

import qiao.alliance.models
import qiao.core.storage


def _move(apps: Any, source: Path, target: Path) -> None:
    ApplicationDocument = apps.get_model("alliance", "ApplicationDocument")
    for name in ApplicationDocument.objects.values_list("file", flat=True).iterator():
        old, new = source / name, target / name
        if old.is_file() and not new.exists():
            new.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(old, new)


def to_private(apps: Any, schema_editor: Any) -> None:
    _move(apps, Path(settings.MEDIA_ROOT), Path(settings.QIAO_PRIVATE_MEDIA_ROOT))


def to_public(apps: Any, schema_editor: Any) -> None:
    _move(apps, Path(settings.QIAO_PRIVATE_MEDIA_ROOT), Path(settings.MEDIA_ROOT))


class Migration(migrations.Migration):
    dependencies = [
        ("alliance", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="applicationdocument",
            name="file",
            field=models.FileField(
                max_length=255,
                storage=qiao.core.storage.private_storage,
                upload_to=qiao.alliance.models._document_path,
                verbose_name="file",
            ),
        ),
        migrations.RunPython(to_private, to_public, elidable=True),
    ]
