"""The student front end, at the top of a school's site (mediahub/urls.py includes it before
Wagtail's page tree). /media/ is MEDIA_URL, so a work's own pages live under /work/."""

from django.urls import path

from . import direct_views, views

app_name = "media_library"

urlpatterns = [
    path("dashboard/", views.dashboard, name="media-list"),
    path("my-children/", views.children, name="children"),
    path("my-media/", views.my_media, name="media-list-own"),
    path("upload/", views.upload, name="media-upload"),
    path("upload/direct/", direct_views.direct_upload_sign, name="direct-upload-sign"),
    path(
        "upload/direct/<int:pk>/complete/",
        direct_views.direct_upload_complete,
        name="direct-upload-complete",
    ),
    path("work/<int:pk>/", views.detail, name="media-detail"),
    path("work/<int:pk>/edit/", views.edit, name="media-edit"),
    path("work/<int:pk>/delete/", views.delete, name="media-delete"),
    path("review/", views.review_list, name="review-list"),
    path("review/<int:pk>/", views.review_detail, name="review-detail"),
]
