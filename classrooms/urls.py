from django.urls import path

from . import views

app_name = "classrooms"

# Under /accounts/ (mediahub/urls.py), beside signing in: where a student looks for them.
urlpatterns = [
    path("signup/", views.signup, name="signup"),
    path("join/", views.class_join, name="class-join"),
]
