from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "qiao.accounts"
    label = "accounts"
