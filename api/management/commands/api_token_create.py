"""`manage.py api_token_create --school greenwood --user amina@greenwood.test --scope upload`:
a personal access token for operators and tests, printed once (only its hash is kept)."""

from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import schema_context

from api import services
from api.models import Scope
from tenants.models import School


class Command(BaseCommand):
    help = "Make a personal access token for a person of a school, and print it (once)."

    def add_arguments(self, parser):
        where = parser.add_mutually_exclusive_group(required=True)
        where.add_argument("--school", help="The school's slug (its address: <slug>.<domain>).")
        where.add_argument("--schema", help="The school's schema name.")
        parser.add_argument("--user", required=True, help="The person's email (or username).")
        parser.add_argument("--scope", default=Scope.READ, choices=Scope.values)
        parser.add_argument("--days", type=int, default=services.DAYS_DEFAULT)
        parser.add_argument("--name", default="Command line", help="What the token is for.")

    def handle(self, *args, **options):
        lookup = (
            {"slug": options["school"]} if options["school"] else {"schema_name": options["schema"]}
        )
        school = School.objects.schools().filter(**lookup).first()
        if school is None:
            raise CommandError("No such school.")
        # Tokens live in the school's schema: one school's token is nothing at another's.
        with schema_context(school.schema_name):
            login = options["user"]
            field = "email__iexact" if "@" in login else "username"
            user = get_user_model().objects.filter(**{field: login}, is_active=True).first()
            if user is None:
                raise CommandError(f"No active person {login} at {school.slug}.")
            try:
                row, token = services.token_create(
                    user=user, name=options["name"], scope=options["scope"], days=options["days"]
                )
            except ValidationError as error:
                raise CommandError("; ".join(error.messages)) from None
        expires = row.expires_at.date().isoformat()
        self.stderr.write(
            f"Token for {login} at {school.slug}, scope {row.scope}, until {expires}:"
        )
        self.stdout.write(token)
