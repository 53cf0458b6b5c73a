from django.apps import AppConfig


class DemoConfig(AppConfig):
    """The demo (no models): two schools with people of every role, their classes, work and
    galleries, loaded by `manage.py seed_demo`."""

    name = "demo"
    verbose_name = "Demo"
