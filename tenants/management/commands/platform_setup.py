from django.core.management.base import BaseCommand

from tenants.services import platform_setup


class Command(BaseCommand):
    help = (
        "Create the platform's own rows if missing: the public tenant on PLATFORM_DOMAIN and "
        "the template schema new schools are cloned from. Safe to run repeatedly."
    )

    def handle(self, *args, **options):
        result = platform_setup()
        self.stdout.write(
            "Platform site: "
            + ("created" if result.public_created else "already set up")
            + "; template schema: "
            + ("created" if result.template_created else "already set up")
            + "."
        )
