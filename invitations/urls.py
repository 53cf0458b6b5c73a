from django.urls import path

from . import views

app_name = "invitations"

urlpatterns = [
    path("<str:token>/", views.invitation_accept_view, name="invitation-accept"),
]
