from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "qiao.exchange"
    label = "exchange"
