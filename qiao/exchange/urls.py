from django.urls import path

from qiao.exchange import views

app_name = "exchange"

urlpatterns = [
    path("profiles/", views.search, name="search"),
    path("profiles/new/", views.profile_create, name="create"),
    path("profiles/mine/", views.my_profiles, name="mine"),
    path("profiles/<int:pk>/", views.profile_detail, name="profile"),
    path("profiles/<int:pk>/edit/", views.profile_edit, name="edit"),
    path(
        "profiles/<int:pk>/<slug:action>/",
        views.profile_action,
        name="action",
    ),
    path("review/", views.review_queue, name="review"),
    path("matches/", views.match_list, name="matches"),
    path("matches/<int:pk>/", views.match_detail, name="match"),
    path("matches/<int:pk>/status/", views.match_status, name="match-status"),
]
