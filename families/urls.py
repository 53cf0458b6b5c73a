from django.urls import path

from . import views

app_name = "families"

# Under /families/ (mediahub/urls.py): the address a slip's QR code holds.
urlpatterns = [
    path("join/", views.join, name="join"),
    path("account/", views.account, name="account"),
]
