from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="notification-list"),
    path("read/", views.notifications_read, name="notification-read-all"),
    path("<int:pk>/", views.notification_open, name="notification-open"),
]
