from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllianceDashboardConfig(AppConfig):
    name = "qiao.alliance_dashboard"
    label = "alliance_dashboard"
    verbose_name = _("Alliance dashboard")
