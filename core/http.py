"""What every view may need to know about a request."""

from urllib.parse import urlsplit

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


def same_origin(request) -> bool:
    """Whether a POST comes from a page of this host, by what the browser says of it: the
    Origin header; without one, Sec-Fetch-Site; without that, the Referer's origin. Every
    browser sends Origin on a cross-site POST (an opaque one as "null", refused here), so a
    request with none of the three is not a browser's cross-site post: it is allowed (a
    forged form needs a victim's browser; a script can send any header anyway)."""
    own = f"{request.scheme}://{request.get_host()}"
    origin = request.headers.get("origin")
    if origin is not None:
        return origin == own
    fetch_site = request.headers.get("sec-fetch-site")
    if fetch_site is not None:
        return fetch_site == "same-origin"
    referer = request.headers.get("referer")
    if referer is not None:
        parts = urlsplit(referer)
        return f"{parts.scheme}://{parts.netloc}" == own
    return True
