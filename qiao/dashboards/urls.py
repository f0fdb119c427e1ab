from django.urls import path

from qiao.dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.<slug:fmt>", views.export, name="export"),
]
