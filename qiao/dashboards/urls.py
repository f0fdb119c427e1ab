from django.urls import path

from qiao.dashboards import views

app_name = "dashboards"

urlpatterns = [
    path("dashboard/", views.dashboard, name="dashboard"),
    path("dashboard/csv/", views.dashboard_csv, name="csv"),
]
