from django.urls import path

from qiao.events import views

app_name = "events"

urlpatterns = [
    path("", views.event_list, name="list"),
    path("new/", views.event_edit, name="create"),
    path("<int:pk>/", views.event_detail, name="detail"),
    path("<int:pk>/edit/", views.event_edit, name="edit"),
    path("<int:pk>/cancel/", views.event_cancel, name="cancel"),
    path("<int:pk>/agenda/<int:item>/", views.agenda_item_edit, name="agenda-item"),
    path(
        "<int:pk>/agenda/<int:item>/<slug:action>/",
        views.agenda_item_action,
        name="agenda-item-action",
    ),
    path("<int:pk>/speakers/<int:speaker>/", views.speaker_edit, name="speaker"),
    path("<int:pk>/speakers/<int:speaker>/remove/", views.speaker_remove, name="speaker-remove"),
    path("<int:pk>/register/", views.register, name="register"),
    path("<int:pk>/registrations/", views.manage, name="manage"),
    path("<int:pk>/meetings/", views.meetings, name="meetings"),
    path("registrations/<int:pk>/cancel/", views.cancel_registration, name="cancel-registration"),
    path(
        "registrations/<int:pk>/<slug:action>/",
        views.registration_action,
        name="registration-action",
    ),
    path("meetings/<int:pk>/<slug:action>/", views.meeting_action, name="meeting-action"),
]
