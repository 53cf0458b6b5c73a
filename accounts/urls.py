from django.urls import path

app_name = "accounts"

urlpatterns: list = [
    path("", lambda request: None, name="login"),  # placeholder, replaced by the views
]
