"""Donations by M-Pesa Express (Daraja STK Push) to a school, made on a public media page, and
the school's own donation settings."""

from __future__ import annotations

import secrets
import uuid

from django.db import models
from wagtail.admin.panels import FieldPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting


def _callback_token() -> str:
    return secrets.token_urlsafe(32)


class Status(models.TextChoices):
    INITIATED = "initiated", "Initiated"  # saved, the push not (yet) accepted by Daraja
    PENDING = "pending", "Pending"  # the prompt is on the phone
    PAID = "paid", "Paid"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"
    EXPIRED = "expired", "Expired"


OPEN_STATUSES = (Status.INITIATED, Status.PENDING)


class Donation(models.Model):
    """One donation attempt: one STK Push, and what became of it."""

    page = models.ForeignKey(
        "media_library.MediaPage",
        null=True,
        on_delete=models.SET_NULL,  # the money was given: the record outlives the page
        related_name="donations",
    )
    # Copied when made, so the report can filter and scope by class after a page goes.
    page_title = models.CharField(max_length=255)
    classroom = models.ForeignKey(
        "classrooms.Classroom", null=True, on_delete=models.SET_NULL, related_name="donations"
    )
    amount = models.PositiveIntegerField(help_text="Whole Kenyan shillings.")
    phone = models.CharField(max_length=12, help_text="2547XXXXXXXX or 2541XXXXXXXX.")
    donor_name = models.CharField(max_length=100, blank=True)
    message = models.CharField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.INITIATED)
    result_code = models.IntegerField(null=True, blank=True)
    result_description = models.CharField(max_length=255, blank=True)
    shortcode = models.CharField(max_length=10)
    merchant_request_id = models.CharField(max_length=64, blank=True)
    checkout_request_id = models.CharField(max_length=64, null=True, blank=True, unique=True)
    mpesa_receipt = models.CharField(max_length=20, null=True, blank=True, unique=True)
    transaction_date = models.CharField(max_length=14, blank=True)  # Daraja's YYYYMMDDHHmmss
    # The waiting page's address (not guessable, so nobody reads another's donation) and the
    # secret in the callback URL (only Daraja learns it: callbacks are not signed).
    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    callback_token = models.CharField(
        max_length=64, default=_callback_token, unique=True, editable=False
    )
    # A keyed hash of the visitor's address, for the rate limit; never the address itself.
    client_key = models.CharField(max_length=64, blank=True, db_index=True)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    updated_at = models.DateTimeField(auto_now=True)
    pushed_at = models.DateTimeField(null=True, blank=True)
    callback_received_at = models.DateTimeField(null=True, blank=True)
    last_queried_at = models.DateTimeField(null=True, blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["phone", "created_at"])]
        constraints = [
            models.CheckConstraint(
                name="donation_amount_positive", condition=models.Q(amount__gt=0)
            ),
            models.CheckConstraint(
                name="donation_paid_has_checkout",
                condition=~models.Q(status="paid") | models.Q(checkout_request_id__isnull=False),
            ),
        ]

    def __str__(self):
        return f"KES {self.amount} to “{self.page_title}” ({self.get_status_display()})"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES

    @property
    def masked_phone(self) -> str:
        return f"{self.phone[:5]}•••{self.phone[-3:]}" if self.phone else ""


def mask_secret(value: str) -> str:
    """What the admin shows of a stored secret: that it is set, and its last four characters."""
    if not value:
        return ""
    return "•" * 8 + value[-4:] if len(value) > 8 else "•" * 8


class TransactionType(models.TextChoices):
    PAYBILL = "CustomerPayBillOnline", "Paybill"
    BUY_GOODS = "CustomerBuyGoodsOnline", "Buy goods (till)"


@register_setting(icon="pick")
class DonationSettings(BaseSiteSetting):
    """The school's donations (Settings > Donations): on or off, and optionally its own
    M-Pesa paybill or till and Daraja app instead of the platform's."""

    enabled = models.BooleanField(
        "accept donations",
        default=False,
        help_text="On: public media pages with a donate block show the donate form.",
    )
    shortcode = models.CharField(
        "own shortcode",
        max_length=10,
        blank=True,
        help_text="Your paybill, or your till's store number. Empty: the platform's account "
        "receives donations, and the fields below are not used.",
    )
    transaction_type = models.CharField(
        max_length=32, choices=TransactionType.choices, default=TransactionType.PAYBILL
    )
    till_number = models.CharField(
        max_length=10, blank=True, help_text="Buy goods only: the till number that is paid."
    )
    passkey = models.CharField(max_length=128, blank=True)
    consumer_key = models.CharField(max_length=128, blank=True)
    consumer_secret = models.CharField(max_length=128, blank=True)
    account_reference = models.CharField(
        max_length=12,
        blank=True,
        help_text="Shown to donors on the M-Pesa prompt (12 characters at most). "
        "Empty: the school's short name.",
    )

    panels = [
        FieldPanel("enabled"),
        FieldPanel("account_reference"),
        MultiFieldPanel(
            [
                FieldPanel("shortcode"),
                FieldPanel("transaction_type"),
                FieldPanel("till_number"),
                FieldPanel("passkey"),
                FieldPanel("consumer_key"),
                FieldPanel("consumer_secret"),
            ],
            heading="Your own M-Pesa account (optional)",
        ),
    ]

    # base_form_class (donations.forms.DonationSettingsForm) is set in DonationsConfig.ready:
    # that form needs this model's module first.

    class Meta:
        verbose_name = "donations"

    @property
    def uses_own_account(self) -> bool:
        return bool(self.shortcode)
