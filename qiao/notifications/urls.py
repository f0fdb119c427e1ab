from django.urls import path

from qiao.notifications import views

app_name = "notifications"

urlpatterns = [
    path("notifications/", views.notification_list, name="list"),
    path("notifications/<int:pk>/open/", views.notification_open, name="open"),
    path("notifications/read/", views.notification_mark_all_read, name="read-all"),
]
