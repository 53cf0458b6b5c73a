from django.urls import path

from . import views

app_name = "tenants"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("register/", views.school_register, name="school-register"),
]
