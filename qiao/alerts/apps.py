from typing import Any

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _on_profile_indexed(sender: Any, *, profile_id: int, **kwargs: Any) -> None:
    """Queue the immediate alerts of a newly indexed profile (the work runs in the worker)."""
    from qiao.alerts.tasks import send_immediate_alerts

    send_immediate_alerts.enqueue(profile_id)


class AlertsConfig(AppConfig):
    name = "qiao.alerts"
    verbose_name = _("Saved searches and alerts")

    def ready(self) -> None:
        from qiao.exchange.signals import profile_indexed

        profile_indexed.connect(_on_profile_indexed, dispatch_uid="alerts-immediate")
