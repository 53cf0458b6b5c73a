"""Donations on a school's site (mediahub/urls.py includes these before Wagtail's pages)."""

from django.urls import path

from . import views

app_name = "donations"

urlpatterns = [
    path("donate/<int:pk>/", views.donate, name="donation-create"),
    path("donations/<uuid:reference>/", views.detail, name="donation-detail"),
    path("donations/<uuid:reference>/status/", views.status, name="donation-status"),
    path("donations/callback/<str:token>/", views.mpesa_callback, name="donation-callback"),
]
