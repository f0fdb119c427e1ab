from django.urls import path

from qiao.alerts import views

app_name = "alerts"

urlpatterns = [
    path("alerts/", views.saved_search_list, name="list"),
    path("alerts/new/", views.saved_search_create, name="create"),
    path("alerts/<int:pk>/settings/", views.saved_search_settings, name="settings"),
    path("alerts/<int:pk>/delete/", views.saved_search_delete, name="delete"),
    path("alerts/unsubscribe/<str:token>/", views.unsubscribe, name="unsubscribe"),
]
