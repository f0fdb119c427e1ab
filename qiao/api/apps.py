from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "qiao.api"
    label = "api"
