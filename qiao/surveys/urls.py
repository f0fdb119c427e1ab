from django.urls import path

from qiao.surveys import views

app_name = "surveys"

urlpatterns = [
    path("surveys/", views.questionnaire_list, name="list"),
    path("surveys/<int:pk>/", views.questionnaire_detail, name="detail"),
    path("surveys/<int:pk>/send/", views.questionnaire_send, name="send"),
    path("surveys/<int:pk>/new-version/", views.questionnaire_new_version, name="new-version"),
    path("surveys/<int:pk>/export.xlsx", views.questionnaire_export, name="export"),
    path("surveys/responses/<int:pk>/", views.response_detail, name="response"),
    path("surveys/responses/<int:pk>/request/", views.response_convert, name="convert"),
    path("surveys/responses/<int:pk>/files/<int:file_pk>/", views.response_file, name="file"),
    path("survey/<str:token>/", views.answer, name="answer"),
]
