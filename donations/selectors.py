"""Reads of donations: the school's settings and credentials, which pages take donations,
a donation's outcome as the visitor is told it, and the report's list."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q, QuerySet, Sum
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from psycopg import sql
from wagtail.models import Site

from accounts.permissions import is_student
from classrooms.models import Classroom
from families.consent import consent_allows
from families.models import Purpose
from media_library.models import MediaPage, Visibility
from media_library.selectors import media_page_get, public_sharing_allowed
from tenants.models import School

from .daraja import Credentials
from .models import Donation, DonationSettings, Status, TransactionType
from .permissions import can_view_all_donations, can_view_donations

MESSAGE_THANKS = _(
    "Your donation of KES {amount} has been received. It goes to the school's students."
)
MESSAGE_RECEIPT = _("M-Pesa receipt: {receipt}")
MESSAGE_RECEIPT_LATER = _("M-Pesa sends your receipt by SMS.")
MESSAGE_WAITING = _("Check your phone: enter your M-Pesa PIN to approve KES {amount}.")
MESSAGE_UNAVAILABLE = _(
    "M-Pesa could not be reached just now, so no prompt was sent and nothing was charged. "
    "Try again in a few minutes."
)
MESSAGE_FAILED = _("The payment did not go through and nothing was charged. You can try again.")
# What the visitor is told for the result codes people meet, in plain words.
RESULT_MESSAGES = {
    1: _(
        "Your M-Pesa balance was not enough for this donation. Nothing was charged. "
        "Top up, or give a smaller amount, and try again."
    ),
    1032: _("You cancelled the M-Pesa prompt on your phone. Nothing was charged."),
    2001: _(
        "The M-Pesa PIN entered was wrong. Nothing was charged. Try again, and enter your "
        "PIN carefully."
    ),
    1037: _("Your phone could not be reached. Make sure it is on and has network, then try again."),
    1019: _("The M-Pesa prompt expired before it was answered. Nothing was charged. Try again."),
    1001: _("Another M-Pesa payment is in progress on this phone. Wait a minute and try again."),
}
TITLE_PAID = _("Thank you!")
TITLE_WAITING = _("Waiting for M-Pesa")
TITLE_FAILED = _("The donation did not go through")


def _default_site() -> Site | None:
    return Site.objects.filter(is_default_site=True).first()


def donation_settings(request=None) -> DonationSettings:
    """The school's donation settings (each school's schema has its own Site)."""
    if request is not None:
        return DonationSettings.for_request(request)
    site = _default_site()
    return DonationSettings.for_site(site) if site else DonationSettings()


def donations_enabled(request=None) -> bool:
    """The platform allows donations, the school has them on, and it shares publicly."""
    return (
        settings.DONATIONS_ENABLED
        and donation_settings(request).enabled
        and public_sharing_allowed(request)
    )


def school_credentials(school_settings: DonationSettings | None = None) -> Credentials:
    """The school's own M-Pesa account when it has set one, else the platform's."""
    platform = Credentials.platform()
    own = school_settings or donation_settings()
    if not own.uses_own_account:
        return platform
    buy_goods = own.transaction_type == TransactionType.BUY_GOODS
    return Credentials(
        base_url=platform.base_url,
        consumer_key=own.consumer_key,
        consumer_secret=own.consumer_secret,
        shortcode=own.shortcode,
        passkey=own.passkey,
        transaction_type=own.transaction_type,
        party_b=own.till_number if buy_goods else "",
    )


def has_donate_block(page: MediaPage) -> bool:
    return any(block.block_type == "donate" for block in page.body)


ERROR_NO_DONATIONS_HERE = _("This work does not take donations. Thank you for thinking of it!")


def donation_consented(page) -> bool:
    """Whether the page's author may be shown with a donate block: a student only with their
    family's DONATIONS consent (families.consent), anyone else (a teacher's page) always."""
    owner = page.owner
    if owner is None:
        return False
    return not is_student(owner) or consent_allows(owner, Purpose.DONATIONS)


def donatable_page_get(*, request, pk) -> MediaPage:
    """A live public media page with a donate block, of a school taking donations; else 404."""
    page = media_page_get(user=request.user, pk=pk, request=request)
    if not (
        page.live
        and page.visibility == Visibility.PUBLIC
        and has_donate_block(page)
        and donations_enabled(request)
        and donation_consented(page)
    ):
        raise Http404("No donations here")
    return page


def donation_get(*, reference) -> Donation:
    """A donation by its waiting page's reference (only its donor has it), or 404."""
    try:
        return Donation.objects.select_related("page").get(reference=reference)
    except (Donation.DoesNotExist, ValueError):
        raise Http404("No such donation") from None


# --- The limits ------------------------------------------------------------------------------
def school_attempts_since(since: datetime) -> int:
    """Donation attempts (each one a prompt sent or tried) at the current school since then."""
    return Donation.objects.filter(created_at__gte=since).count()


def phone_prompts_since(*, phone: str, since: datetime) -> int:
    """Prompts sent (or tried) to this phone since then by every school of the platform: a
    phone is one person's, whichever school's page asked. One query over each school's
    donations table (schema names are checked when a school is made; quoted here anyway).
    Measured: ~12 ms with 50 schools, ~250 ms with 500; far beyond that, a ledger of prompts
    in the public schema would be cheaper."""
    schemas = School.objects.schools().values_list("schema_name", flat=True).order_by("pk")
    table = Donation._meta.db_table
    count = (
        "SELECT count(*) AS attempts FROM {} WHERE phone = %(phone)s AND created_at >= %(since)s"
    )
    per_school = [sql.SQL(count).format(sql.Identifier(schema, table)) for schema in schemas]
    if not per_school:
        return 0
    query = sql.SQL("SELECT coalesce(sum(attempts), 0) FROM ({}) AS per_school").format(
        sql.SQL(" UNION ALL ").join(per_school)
    )
    with connection.cursor() as cursor:
        cursor.execute(query.as_string(cursor.connection), {"phone": phone, "since": since})
        return int(cursor.fetchone()[0])


@dataclass(frozen=True)
class Outcome:
    status: str
    done: bool
    title: str
    message: str
    receipt: str = ""


def donation_outcome(donation: Donation) -> Outcome:
    """What the visitor is told about their donation, in plain words."""
    amount = f"{donation.amount:,}"
    if donation.status == Status.PAID:
        receipt = (
            MESSAGE_RECEIPT.format(receipt=donation.mpesa_receipt)
            if donation.mpesa_receipt
            else str(MESSAGE_RECEIPT_LATER)
        )
        return Outcome(
            donation.status, True, str(TITLE_PAID), MESSAGE_THANKS.format(amount=amount), receipt
        )
    if donation.is_open:
        return Outcome(
            donation.status, False, str(TITLE_WAITING), MESSAGE_WAITING.format(amount=amount)
        )
    if donation.result_code is None:
        message = MESSAGE_UNAVAILABLE
    else:
        message = RESULT_MESSAGES.get(donation.result_code, MESSAGE_FAILED)
    return Outcome(donation.status, True, str(TITLE_FAILED), str(message))


# --- The report ------------------------------------------------------------------------------
def donation_list(*, user) -> QuerySet[Donation]:
    """The donations `user` may see in the report: school admins all of them, teachers those
    to their classes' pages, anyone else none. Newest first."""
    donations = Donation.objects.select_related("page", "classroom")
    if can_view_all_donations(user):
        return donations
    if can_view_donations(user):
        return donations.filter(classroom__assignments__teacher=user)
    return donations.none()


def donation_totals(donations: QuerySet[Donation]) -> dict:
    return donations.aggregate(
        count=Count("pk"),
        paid_count=Count("pk", filter=Q(status=Status.PAID)),
        paid_total=Sum("amount", filter=Q(status=Status.PAID), default=0),
    )


def report_classrooms(*, user) -> QuerySet[Classroom]:
    classes = Classroom.objects.all()
    if can_view_all_donations(user):
        return classes
    return classes.filter(assignments__teacher=user)


def report_pages(*, user) -> QuerySet[MediaPage]:
    pages = MediaPage.objects.filter(donations__isnull=False).distinct().order_by("title")
    if can_view_all_donations(user):
        return pages
    return pages.filter(donations__classroom__assignments__teacher=user)
