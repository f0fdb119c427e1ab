from django.urls import path

from qiao.governance import views

app_name = "governance"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("charter/<int:version>/", views.charter_version, name="charter"),
    path("charter/new/", views.charter_add, name="charter-add"),
    path("council/appoint/", views.council_appoint, name="appoint"),
    path("experts/new/", views.expert_add, name="expert-add"),
    path("<slug:kind>/<int:pk>/end/", views.term_end, name="term-end"),
    path("<slug:kind>/<int:pk>/correct/", views.correct, name="correct"),
    path("meetings/new/", views.meeting_add, name="meeting-add"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/minutes/", views.minutes_add, name="minutes-add"),
    path("meetings/<int:pk>/decisions/", views.decision_add, name="decision-add"),
]
