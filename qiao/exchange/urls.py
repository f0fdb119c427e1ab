from django.urls import path

app_name = "exchange"
urlpatterns: list = []  # filled in by the app
