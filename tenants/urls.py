from django.urls import path

from . import views

app_name = "tenants"

urlpatterns = [
    path("", views.landing, name="landing"),
    path("register/", views.school_register, name="school-register"),
    path("register/sent/", views.school_register_sent, name="school-register-sent"),
    path(
        "register/confirm/<str:token>/",
        views.school_register_confirm,
        name="school-register-confirm",
    ),
]
