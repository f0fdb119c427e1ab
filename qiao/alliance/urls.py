from django.urls import path

from qiao.alliance import views

app_name = "alliance"

urlpatterns = [
    path("", views.directory, name="directory"),
    path("members/<int:organization_id>/", views.member_detail, name="member"),
    path("join/", views.apply, name="apply"),
    path("applications/<uuid:token>/", views.application_status, name="application-status"),
    path(
        "applications/<uuid:token>/documents/<int:document_id>/",
        views.applicant_document,
        name="applicant-document",
    ),
    path("review/", views.review_list, name="review"),
    path("review/<int:pk>/", views.review_detail, name="review-detail"),
    path(
        "review/<int:pk>/documents/<int:document_id>/",
        views.review_document,
        name="review-document",
    ),
    path("prospects/", views.prospects, name="prospects"),
    path("prospects/<int:pk>/stage/", views.prospect_stage, name="prospect-stage"),
]
