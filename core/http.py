"""What every view may need to know about a request."""

from django.conf import settings


def client_ip(request) -> str:
    """The address a request came from. Behind TRUSTED_PROXY_COUNT proxies, the address the
    first of them saw; never a value the client could simply choose."""
    count = settings.TRUSTED_PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count:
            return hops[-count]
    return request.META.get("REMOTE_ADDR", "")


def wants_json(request) -> bool:
    """A request from one of our scripts (fetch/XHR), which reads JSON, not a page."""
    return request.headers.get(
        "x-requested-with"
    ) == "XMLHttpRequest" or "application/json" in request.headers.get("accept", "")
