"""A person's tokens, from their profile page (/accounts/tokens/...)."""

from django.urls import path

from . import views

app_name = "api"

urlpatterns = [
    path("new/", views.token_create, name="token-create"),
    path("<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
]
