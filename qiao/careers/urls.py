from django.urls import path

from qiao.careers import views

app_name = "careers"

urlpatterns = [
    path("", views.posting_list, name="postings"),
    path("postings/new/", views.posting_create, name="posting-create"),
    path("postings/mine/", views.my_postings, name="my-postings"),
    path("postings/<int:pk>/", views.posting_detail, name="posting"),
    path("postings/<int:pk>/edit/", views.posting_edit, name="posting-edit"),
    path("postings/<int:pk>/applicants/", views.board, name="board"),
    path("postings/<int:pk>/apply/", views.apply, name="apply"),
    path("postings/<int:pk>/<slug:action>/", views.posting_action, name="posting-action"),
    path("review/", views.review_queue, name="review"),
    path("profile/", views.my_profile, name="my-profile"),
    path("profile/recommended/", views.recommended, name="recommended"),
    path("profiles/", views.talent_search, name="talent-search"),
    path("profiles/<int:pk>/", views.profile_detail, name="profile"),
    path("profiles/<int:pk>/cv/", views.profile_cv, name="profile-cv"),
    path("applications/", views.my_applications, name="my-applications"),
    path("applications/<int:pk>/", views.application_detail, name="application"),
    path("applications/<int:pk>/status/", views.application_status, name="application-status"),
    path("my-data/", views.my_data, name="my-data"),
    path("my-data/export/", views.export_data, name="export"),
    path("my-data/delete/", views.delete_account, name="delete-account"),
]
