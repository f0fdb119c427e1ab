from django.urls import path

from qiao.deals import views

app_name = "deals"

urlpatterns = [
    path("interests/new/<int:profile_pk>/", views.interest_create, name="interest-create"),
    path("interests/pass/<int:profile_pk>/", views.pass_create, name="pass"),
    path("interests/", views.interest_list, name="interests"),
    path("interests/<int:pk>/", views.interest_detail, name="interest"),
    path("deals/", views.board, name="board"),
    path("deals/<int:pk>/", views.deal_detail, name="deal"),
    path("deals/<int:pk>/move/", views.deal_move, name="move"),
    path("deals/<int:pk>/steps/<int:item_pk>/", views.deal_step, name="step"),
    path("deals/<int:pk>/deadline/", views.deal_deadline, name="deadline"),
    path("deals/<int:pk>/agreement/", views.deal_agreement, name="agreement"),
    path("deals/<int:pk>/notes/", views.deal_note, name="note"),
    path("deals/<int:pk>/documents/", views.deal_document, name="document"),
    path("deals/<int:pk>/documents/<int:doc_pk>/", views.document_download, name="download"),
]
