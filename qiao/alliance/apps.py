from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AllianceConfig(AppConfig):
    name = "qiao.alliance"
    label = "alliance"
    verbose_name = _("Vocational Education Alliance")
