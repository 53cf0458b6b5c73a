"""Donating: the donate form (→ STK Push), the waiting page and the status it polls, and the
callback Daraja posts. Thin: selectors decide what may be seen (else 404), services write."""

from __future__ import annotations

import json

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_POST

from core.http import client_ip, same_origin
from core.tasks import enqueue_on_commit

from . import selectors, services
from .forms import DonateForm
from .tasks import donation_confirm_task

# A donate form posted from another site's page: refused before anything is read or written.
ERROR_CROSS_SITE = _(
    "This donation did not come from the school's own page, so it was refused. "
    "Open the work on the school's site and donate from there."
)
CALLBACK_ACCEPTED = {"ResultCode": 0, "ResultDesc": "Accepted"}
CALLBACK_MALFORMED = {"ResultCode": 1, "ResultDesc": "Malformed callback"}


@csrf_exempt
def donate(request, pk):
    """The donate form and its post. The form sits on pages cached for visitors
    (core.pagecache), which carry no CSRF token or cookie: the post is CSRF-exempt and
    checked for coming from the school's own origin instead (docs/architecture.md, "Page
    cache"). A donation rides no session (the donor is anonymous), and the rate limits per
    address, phone and school stay."""
    if request.method == "POST" and not same_origin(request):
        return render(request, "donations/refused.html", {"message": ERROR_CROSS_SITE}, status=403)
    page = selectors.donatable_page_get(request=request, pk=pk)
    initial = {"custom_amount": request.GET.get("amount")}
    form = DonateForm(request.POST or None, initial=initial, auto_id="id_donate_%s")
    status = 200
    if request.method == "POST" and form.is_valid():
        address = client_ip(request)
        try:
            donation = services.donation_create(
                page=page, client_address=address, **form.donation_data()
            )
        except ValidationError as error:
            form.add_service_errors(error)
            status = 429 if getattr(error, "code", None) == "rate_limited" else 400
        else:
            services.donation_push(donation=donation)
            return redirect("donations:donation-detail", reference=donation.reference)
    elif request.method == "POST":
        status = 400
    value = next((b.value for b in page.body if b.block_type == "donate"), {})
    context = {"page": page, "form": form, "shown": True, "value": value}
    return render(request, "donations/donate.html", context, status=status)


@never_cache
@require_GET
def detail(request, reference):
    """The waiting page, which becomes the thank-you or the failure (static/js/donation.js)."""
    donation = selectors.donation_get(reference=reference)
    elapsed = (timezone.now() - donation.created_at).total_seconds()
    context = {
        "donation": donation,
        "outcome": selectors.donation_outcome(donation),
        "seconds_left": max(0, int(settings.DONATION_WAIT_SECONDS - elapsed)),
    }
    return render(request, "donations/donation_detail.html", context)


@never_cache
@require_GET
def status(request, reference):
    donation = services.donation_refresh(donation=selectors.donation_get(reference=reference))
    outcome = selectors.donation_outcome(donation)
    return JsonResponse(outcome.__dict__)


@csrf_exempt
@require_POST
def mpesa_callback(request, token):
    """Daraja's result for one donation. Unknown token or CheckoutRequestID: 404; not
    Daraja's JSON: 400; either way nothing changes. A success is confirmed by STK Query in
    a task once the callback is recorded, run by the worker (inline in tests): this answers
    at once, whatever Daraja does."""
    try:
        payload = json.loads(request.body)
    except ValueError:
        payload = None
    try:
        donation, confirm = services.donation_callback_record(token=token, payload=payload)
    except services.UnknownCallback:
        raise Http404("Unknown callback") from None
    except services.MalformedCallback:
        return JsonResponse(CALLBACK_MALFORMED, status=400)
    if confirm:
        enqueue_on_commit(donation_confirm_task, donation_id=donation.pk)
    return JsonResponse(CALLBACK_ACCEPTED)
