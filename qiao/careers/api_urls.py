from django.urls import path

from qiao.careers import api

urlpatterns = [
    path("postings/", api.PostingListView.as_view(), name="careers-postings"),
    path("postings/<int:pk>/", api.PostingDetailView.as_view(), name="careers-posting"),
    path(
        "postings/<int:pk>/candidates/",
        api.PostingCandidatesView.as_view(),
        name="careers-candidates",
    ),
    path("recommended/", api.RecommendedView.as_view(), name="careers-recommended"),
    path("applications/", api.ApplicationListView.as_view(), name="careers-applications"),
    path(
        "applications/<int:pk>/status/",
        api.ApplicationStatusView.as_view(),
        name="careers-application-status",
    ),
]
