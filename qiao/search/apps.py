from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "qiao.search"
    label = "search"

    def ready(self) -> None:
        # Registers every collection (qiao/search/collections/__init__.py).
        from qiao.search import collections  # noqa: F401
