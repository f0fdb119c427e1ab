from django.urls import path

from qiao.resources import views

app_name = "resources"

urlpatterns = [
    path("", views.library, name="library"),
    path("new/", views.publish, name="publish"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/edit/", views.edit, name="edit"),
    path("<int:pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/restore/", views.restore, name="restore"),
    path("<int:pk>/versions/", views.add_version, name="add-version"),
    path("<int:pk>/versions/<int:number>/download/", views.download, name="download"),
    path("<int:pk>/co-authors/", views.invite, name="invite"),
    path("invitations/<int:pk>/<slug:answer>/", views.respond, name="respond"),
]
