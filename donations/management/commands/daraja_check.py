"""Checks Daraja credentials against the Daraja they point at (the sandbox, production or the
simulator): an OAuth token, and with --phone one STK Push followed by STK Query until the
phone's answer. No Donation is made: the push goes straight through the client, with a
callback URL whose token matches no donation, so the check leaves no row in any report and
counts against no donation limit. Its result is read with STK Query alone."""

from __future__ import annotations

import secrets
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_tenants.utils import schema_context

from donations import selectors, services
from donations.daraja import (
    Credentials,
    DarajaAuthFailed,
    DarajaClient,
    DarajaError,
    DarajaNotConfigured,
    DarajaUnavailable,
)
from donations.models import Status, mask_secret
from donations.phones import InvalidPhone, normalise_phone
from tenants.models import School

CHECK_DESCRIPTION = "Check"  # TransactionDesc (13 characters at most)


class Command(BaseCommand):
    help = (
        "Check the Daraja credentials (the platform's DARAJA_* settings, or a school's own "
        "with --school) with an OAuth token; with --phone, also send one M-Pesa prompt and "
        "wait for its answer. Makes no donation."
    )

    def add_arguments(self, parser):
        parser.add_argument("--school", help="Use this school's credentials (its slug).")
        parser.add_argument("--phone", help="Also send an M-Pesa prompt to this phone (07…).")
        parser.add_argument(
            "--amount", type=int, default=1, help="Shillings to ask for. Default 1."
        )
        parser.add_argument(
            "--wait",
            type=float,
            default=90,
            help="Seconds to wait for the phone's answer. Default 90.",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=5,
            help="Seconds between STK Query checks. Default 5.",
        )

    def handle(self, *args, **options):
        phone = None
        if options["phone"] is not None:
            try:
                phone = normalise_phone(options["phone"])
            except InvalidPhone as error:
                raise CommandError(str(error)) from None
        if options["amount"] < 1:
            raise CommandError("The amount is in whole shillings, 1 or more.")
        slug = options["school"]
        if not slug:
            source = "the platform's (DARAJA_* settings)"
            self._check(Credentials.platform(), source, settings.PLATFORM_NAME, options, phone)
            return
        school = School.objects.schools().filter(slug=slug).first()
        if school is None:
            raise CommandError(f"No school has the slug {slug!r}.")
        # The school's settings and its callback host live in its own schema.
        with schema_context(school.schema_name):
            own = selectors.donation_settings().uses_own_account
            source = (
                f"{school.name}'s own (Settings > Donations)"
                if own
                else f"the platform's (DARAJA_* settings): {school.name} has no account of its own"
            )
            reference = services.account_reference()
            self._check(selectors.school_credentials(), source, reference, options, phone)

    def _check(
        self, credentials: Credentials, source: str, reference: str, options, phone: str | None
    ) -> None:
        self.stdout.write(f"Credentials: {source}")
        self.stdout.write(f"Daraja: {credentials.base_url or '(not set)'}")
        self.stdout.write(f"Shortcode: {credentials.shortcode or '(not set)'}")
        self.stdout.write(f"Transaction type: {credentials.transaction_type}")
        key = mask_secret(credentials.consumer_key) if credentials.consumer_key else "(not set)"
        self.stdout.write(f"Consumer key: {key}")
        try:
            client = DarajaClient(credentials)
            client.access_token(fresh=True)
        except DarajaNotConfigured as error:
            raise CommandError(str(error)) from None
        except DarajaAuthFailed as error:
            raise CommandError(
                f"OAuth failed: Daraja refused the consumer key and secret. {error}"
            ) from None
        except DarajaUnavailable as error:
            raise CommandError(f"OAuth failed: Daraja could not be reached. {error}") from None
        except DarajaError as error:
            raise CommandError(f"OAuth failed: {error}") from None
        self.stdout.write("OAuth: succeeded, Daraja accepted the consumer key and secret.")
        if phone is not None:
            self._push(client, phone, reference[:12], options)

    def _push(self, client: DarajaClient, phone: str, reference: str, options) -> None:
        amount = options["amount"]
        # A token no donation has: should the callback come, the school answers 404 and
        # nothing changes; the result is read with STK Query.
        callback = services.callback_url_for(secrets.token_urlsafe(32))
        self.stdout.write(f"Callback URL: {callback} (not needed: the result is read by STK Query)")
        try:
            accepted = client.stk_push(
                amount=amount,
                phone=phone,
                callback_url=callback,
                account_reference=reference,
                description=CHECK_DESCRIPTION,
            )
        except DarajaError as error:
            raise CommandError(f"STK Push failed: {error}") from None
        self.stdout.write(
            f"STK Push: accepted, a prompt for KES {amount:,} went to {phone} "
            f"(CheckoutRequestID {accepted.checkout_request_id})."
        )
        self._wait(client, accepted.checkout_request_id, options)

    def _wait(self, client: DarajaClient, checkout_request_id: str, options) -> None:
        deadline = time.monotonic() + options["wait"]
        self.stdout.write(f"Waiting up to {options['wait']:g} seconds for the phone's answer…")
        while True:
            time.sleep(max(0.0, min(options["interval"], deadline - time.monotonic())))
            try:
                result = client.stk_query(checkout_request_id=checkout_request_id)
            except DarajaUnavailable as error:
                self.stdout.write(f"STK Query: no answer yet ({error}); asking again.")
                result = None
            except DarajaError as error:
                raise CommandError(f"STK Query failed: {error}") from None
            if result is not None and not result.processing:
                break
            if time.monotonic() >= deadline:
                raise CommandError(
                    f"No final answer within {options['wait']:g} seconds: the prompt may still "
                    "be on the phone. Try again with a longer --wait."
                )
        status = services.status_for(result.result_code)
        self.stdout.write(
            f"Result: {Status(status).label.lower()} (ResultCode {result.result_code}: "
            f"{result.result_description})"
        )
        if status != Status.PAID:
            told = selectors.RESULT_MESSAGES.get(result.result_code, selectors.MESSAGE_FAILED)
            raise CommandError(
                f"The payment did not go through ({Status(status).label.lower()}, ResultCode "
                f"{result.result_code}). A donor would be told: {told}"
            )
        self.stdout.write("The payment went through: Daraja works with these credentials.")
