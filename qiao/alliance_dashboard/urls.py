from django.urls import path

from qiao.alliance_dashboard import views

app_name = "alliance_dashboard"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("export.<slug:fmt>", views.export, name="export"),
]
