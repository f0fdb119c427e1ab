from django.urls import path

from qiao.careers import api

urlpatterns = [
    path("postings/", api.PostingListView.as_view(), name="careers-postings"),
    path("postings/<id:pk>/", api.PostingDetailView.as_view(), name="careers-posting"),
    path(
        "postings/<id:pk>/candidates/",
        api.PostingCandidatesView.as_view(),
        name="careers-candidates",
    ),
    path("recommended/", api.RecommendedView.as_view(), name="careers-recommended"),
    path("applications/", api.ApplicationListView.as_view(), name="careers-applications"),
    path(
        "applications/<id:pk>/status/",
        api.ApplicationStatusView.as_view(),
        name="careers-application-status",
    ),
]
