"""Names of the third-party apps the admin shows, in the reader's language.

knox, axes and django_tasks_db name their apps in English only; INSTALLED_APPS uses these
configs instead. Their models' names are marked for translation upstream (axes,
django_tasks_db) but have no Chinese catalog, so the msgids are listed here for makemessages
and translated in qiao/locale like ours. knox names nothing: its token model is shown through
the proxy qiao.accounts.models.ApiToken.
"""

from __future__ import annotations

from axes.apps import AppConfig as AxesAppConfig
from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop
from django_tasks_db.apps import TasksAppConfig


class KnoxConfig(AppConfig):
    name = "knox"
    verbose_name = _("API tokens")


class AxesConfig(AxesAppConfig):  # type: ignore[misc]  # axes is untyped
    verbose_name = _("Sign-in attempts")


class TasksDatabaseConfig(TasksAppConfig):
    verbose_name = _("Background tasks")  # type: ignore[assignment]  # a lazy str, as Django allows


UPSTREAM_MODEL_NAMES = [
    gettext_noop("access attempt"),
    gettext_noop("access attempts"),
    gettext_noop("access failure"),
    gettext_noop("access failures"),
    gettext_noop("access log"),
    gettext_noop("access logs"),
    gettext_noop("access attempt expiration"),
    gettext_noop("access attempt expirations"),
    gettext_noop("Task Result"),
    gettext_noop("Task Results"),
]
