import getpass

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tenants.services import school_create
from tenants.urls_helpers import school_url


class Command(BaseCommand):
    help = "Create a school (schema, domain, Wagtail site and its first school admin)."

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="The school's name.")
        parser.add_argument("--slug", required=True, help="Its address: <slug>.<platform domain>.")
        parser.add_argument("--admin-email", required=True, help="The first school admin's email.")
        parser.add_argument(
            "--admin-password",
            help="The first school admin's password (asked for when omitted).",
        )
        parser.add_argument("--contact-email", default="", help="Defaults to the admin's email.")

    def handle(self, *args, **options):
        password = options["admin_password"]
        if password is None:
            password = getpass.getpass("Password for the school admin: ")
        try:
            school = school_create(
                name=options["name"],
                slug=options["slug"],
                admin_email=options["admin_email"],
                admin_password=password,
                contact_email=options["contact_email"],
            )
        except ValidationError as exc:
            lines = [
                f"{field}: {message}"
                for field, messages in exc.message_dict.items()
                for message in messages
            ]
            raise CommandError("The school was not created.\n" + "\n".join(lines)) from exc
        self.stdout.write(
            self.style.SUCCESS(
                f"Created {school.name} at {school_url(school)} "
                f"(admin: {school_url(school, '/admin/')})"
            )
        )
