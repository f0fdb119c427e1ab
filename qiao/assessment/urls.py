"""Mounted under /training/ beside qiao.training's own URLs."""

from django.urls import path

from qiao.assessment import views

app_name = "assessment"

urlpatterns = [
    path("cohorts/<int:pk>/assessment/", views.cohort_assessment, name="cohort"),
    path("cohorts/<int:pk>/quizzes/<int:quiz_pk>/start/", views.quiz_start, name="quiz-start"),
    path("quiz-attempts/<int:pk>/", views.quiz_attempt, name="attempt"),
    path("quiz-attempts/<int:pk>/reopen/", views.quiz_attempt_reopen, name="attempt-reopen"),
    path("modules/<int:module_pk>/quiz/", views.quiz_edit, name="quiz"),
    path("quizzes/<int:pk>/questions/new/", views.question_new, name="question-new"),
    path("questions/<int:pk>/", views.question_edit, name="question"),
    path("<int:pk>/completion-rules/", views.completion_rules, name="rules"),
    path("cohorts/<int:pk>/completion/", views.completion, name="completion"),
    path("cohorts/<int:pk>/certificates/issue/", views.certificates_issue, name="issue"),
    path("certificates/<int:pk>/pdf/", views.certificate_pdf, name="certificate-pdf"),
    path("certificates/<int:pk>/revoke/", views.certificate_revoke, name="revoke"),
    path("certificates/numbers/", views.certificate_numbers, name="numbers"),
    path("certificates/verify/", views.verify, name="verify"),
    path("certificates/verify/<str:number>/", views.verify_number, name="verify-number"),
]
