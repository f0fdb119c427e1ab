from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "qiao.api"
    label = "api"

    def ready(self) -> None:
        from qiao.api import schema  # noqa: F401  (registers the schema extensions)
