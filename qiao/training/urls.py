from django.urls import path

from qiao.training import views

app_name = "training"

urlpatterns = [
    path("", views.programme_list, name="list"),
    path("<int:pk>/", views.programme_detail, name="programme"),
    path("cohorts/<int:pk>/", views.cohort_detail, name="cohort"),
    path("cohorts/<int:pk>/apply/", views.apply, name="apply"),
    path("cohorts/<int:pk>/applications/", views.applications, name="applications"),
    path("cohorts/<int:pk>/sessions/new/", views.session_new, name="session-new"),
    path("applications/<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("applications/<int:pk>/<slug:status>/", views.decide, name="decide"),
    path("sessions/<int:pk>/", views.session_detail, name="session"),
    path("sessions/<int:pk>/attendance/", views.attendance, name="attendance"),
    path("calendar.ics", views.calendar, name="calendar"),
    path("time-zone/", views.set_time_zone, name="time-zone"),
    path("cases/", views.case_list, name="cases"),
    path("cohorts/<int:pk>/progress/", views.cohort_progress, name="progress"),
    path("numbers/", views.numbers, name="numbers"),
    path("assignments/<int:pk>/", views.assignment_detail, name="assignment"),
    path("assignments/<int:pk>/start/", views.attempt_start, name="attempt-start"),
    path(
        "assignments/<int:pk>/leaderboard/",
        views.leaderboard_visibility,
        name="leaderboard-visibility",
    ),
    path("attempts/<int:pk>/", views.attempt_detail, name="attempt"),
    path("attempts/<int:pk>/<slug:action>/", views.attempt_action, name="attempt-action"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("cases/<int:pk>/publish/", views.case_publish, name="case-publish"),
    path("cases/from-deal/<int:deal_pk>/", views.deal_case, name="deal-case"),
    path("cases/new/", views.case_new, name="case-new"),
    path("cases/<int:pk>/edit/", views.case_edit, name="case-edit"),
    path("cases/<int:pk>/text/<slug:language>/", views.case_text_edit, name="case-text"),
    path("cohorts/<int:pk>/assignments/new/", views.assignment_new, name="assignment-new"),
    path("assignments/<int:pk>/edit/", views.assignment_edit, name="assignment-edit"),
    path("assignments/<int:pk>/offers/new/", views.offer_new, name="offer-new"),
    path("offers/<int:pk>/", views.offer_edit, name="offer-edit"),
    path("offers/<int:pk>/<slug:action>/", views.offer_action, name="offer-action"),
    path("sessions/<int:pk>/materials/", views.material_add, name="material-add"),
    path("materials/<int:pk>/", views.material_download, name="material"),
    path("materials/<int:pk>/remove/", views.material_remove, name="material-remove"),
]
