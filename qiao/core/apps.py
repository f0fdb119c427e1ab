from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "qiao.core"
    label = "core"
