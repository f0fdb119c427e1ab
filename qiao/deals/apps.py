from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DealsConfig(AppConfig):
    name = "qiao.deals"
    verbose_name = _("Introductions and deals")
