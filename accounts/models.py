from django.conf import settings
from django.contrib.auth.models import AbstractUser, UserManager
from django.db import models
from django.db.models.functions import Lower


class User(AbstractUser):
    """A person in one school (each school's schema has its own users; platform operators
    are users of the public schema). Logs in with their username or their email."""

    email = models.EmailField("email address")
    display_name = models.CharField(
        max_length=150, blank=True, help_text="How the person is shown to others."
    )
    # Set when a school admin deactivates the account, cleared when they reactivate it
    # (accounts.services.user_activity_track, users_active_set): the date data retention
    # counts from (privacy.retention). Empty for an account deactivated before it existed.
    left_at = models.DateTimeField(
        "left the school",
        null=True,
        blank=True,
        editable=False,
        help_text="When the account was deactivated; empty while it is active.",
    )

    # The person's own choice from the menu's language switch (core.languages): their pages
    # and emails. Blank: the language cookie, then the school's default.
    language = models.CharField(
        max_length=10,
        choices=settings.LANGUAGES,
        blank=True,
        help_text="Pages and emails in this language; blank: the school's default language.",
    )

    objects = UserManager()

    REQUIRED_FIELDS = ["email"]

    class Meta(AbstractUser.Meta):
        swappable = "AUTH_USER_MODEL"
        constraints = [
            models.UniqueConstraint(
                Lower("email"),
                name="accounts_user_email_ci_unique",
                violation_error_message="A user with this email address already exists.",
            ),
        ]

    def __str__(self):
        return self.get_full_name() or self.get_username()

    def get_full_name(self) -> str:
        return self.display_name or super().get_full_name()

    def get_short_name(self) -> str:
        return self.first_name or self.display_name or self.get_username()

    def clean(self):
        super().clean()
        self.email = self.__class__.objects.normalize_email(self.email).lower()
