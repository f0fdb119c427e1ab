from django.apps import AppConfig


class OrganizationsConfig(AppConfig):
    name = "qiao.organizations"
    label = "organizations"
