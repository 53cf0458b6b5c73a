from django.core.management.base import BaseCommand

from media_library.tasks import media_describe_everywhere


class Command(BaseCommand):
    help = (
        "Make a poster for every locally stored video without one, and read the duration of "
        "every video and recording without one, in every school (idempotent: what has them "
        "is left alone). `manage.py scheduler` runs the same sweep (MEDIA_POSTERS_EVERY_SECONDS)."
    )

    def add_arguments(self, parser):
        parser.add_argument("--school", help="Only this school (its slug).")

    def handle(self, *args, **options):
        for slug, count in media_describe_everywhere(slug=options["school"]).items():
            self.stdout.write(f"{slug}: {count} video(s) and recording(s) looked at")
