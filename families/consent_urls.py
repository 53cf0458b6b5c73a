"""The consent pages (mounted at /consent/ in mediahub.urls); families.urls has the rest."""

from django.urls import path

from . import consent_views

app_name = "consent"

urlpatterns = [
    path("child/<int:student_pk>/", consent_views.guardian_consent, name="consent-child"),
    path("mine/", consent_views.adult_consent, name="consent-mine"),
]
