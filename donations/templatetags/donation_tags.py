from django import template

from ..forms import DonateForm
from ..selectors import donation_consented, donations_enabled

register = template.Library()


@register.inclusion_tag("donations/includes/donate_form.html", takes_context=True)
def donate_form(context, page, value=None):
    """The donate form for `page`, when the page and its school take donations, and its
    author's family consented to donations (nothing at all otherwise)."""
    request = context.get("request")
    shown = (
        request is not None
        and page is not None
        and getattr(page, "live", False)
        and getattr(page, "visibility", "") == "public"
        and donations_enabled(request)
        and donation_consented(page)
    )
    return {
        "shown": shown,
        "page": page,
        "value": value or {},
        "form": DonateForm(auto_id="id_donate_%s") if shown else None,
        "request": request,
    }
