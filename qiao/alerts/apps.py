from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AlertsConfig(AppConfig):
    name = "qiao.alerts"
    verbose_name = _("Saved searches and alerts")
