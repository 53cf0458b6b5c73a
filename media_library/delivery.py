"""Links to files on Cloudinary, built locally by the SDK (no HTTP call): permanent for files
of public work, expiring for every other file.

Students' files are `authenticated` assets: Cloudinary delivers them only through links signed
with the API secret. A signed delivery URL works forever, for anyone who has it, so it is kept
for files everyone may see anyway:

- a file that a live public work shows, in a school that shares publicly
  (selectors.assets_shown_publicly decides), gets a permanent signed delivery URL, which the
  CDN and browsers cache;
- every other file gets a link that stops working MEDIA_PRIVATE_URL_TTL_SECONDS after it is
  handed out (by a page that applied the visibility rules), so a copied link does not outlive
  the right to see the work:
  - with CLOUDINARY_AUTH_TOKEN_KEY (Cloudinary's token-based authentication): a delivery URL
    with an `__cld_token__` signed for its own path and expiry, through the CDN,
    transformations (renditions, video posters) included;
  - otherwise: a private download URL, which Cloudinary's API signs with the public_id, the
    format and the expiry. It delivers the original only: a rendition is then the original,
    scaled by the browser, and a video has no poster.

Expiring links are rounded down to a tenth of their lifetime, so that a page shown again
within minutes links the same files, which the browser has cached.
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlencode

import cloudinary.utils
from django.conf import settings

# Students' files are uploaded as "authenticated" assets (media_library.storage).
DELIVERY_TYPE = "authenticated"
EXPIRY_STEPS = 10  # an expiring link stays the same for a tenth of its lifetime
# What the SDK needs only for API calls, not to build (and sign) a delivery URL.
API_ONLY_OPTIONS = ("api_key", "upload_prefix")


def link_expiry(*, now: float | None = None) -> int:
    """When a link handed out `now` stops working (UNIX time): at most
    MEDIA_PRIVATE_URL_TTL_SECONDS later, the same for a tenth of that."""
    ttl = settings.MEDIA_PRIVATE_URL_TTL_SECONDS
    step = max(ttl // EXPIRY_STEPS, 1)
    now = time.time() if now is None else now
    return int(now + ttl) // step * step


def permanent_url(
    public_id: str, *, resource_type: str, format: str | None, options: dict, **transformation
) -> str:
    """A signed delivery URL (`s--...--`): it never expires. For files of public work only."""
    return _delivery_url(
        public_id,
        resource_type=resource_type,
        format=format,
        options=options,
        auth_token=False,  # a token in the SDK's global config must not replace the signature
        **transformation,
    )


def token_url(
    public_id: str,
    *,
    resource_type: str,
    format: str | None,
    options: dict,
    key: str,
    expires_at: int,
    **transformation,
) -> str:
    """A delivery URL with a token for its own path (transformation included) that expires
    at `expires_at` (Cloudinary's token-based authentication, with the account's token key)."""
    return _delivery_url(
        public_id,
        resource_type=resource_type,
        format=format,
        options=options,
        auth_token={"key": key, "expiration": expires_at},
        **transformation,
    )


def private_download_url(
    public_id: str, *, resource_type: str, format: str | None, options: dict, expires_at: int
) -> str:
    """A private download URL of the original that expires at `expires_at`. As the SDK's
    cloudinary.utils.private_download_url, but signed with a timestamp that is the same
    for as long as the expiry is (the SDK's is the current second), so that a page shown
    twice links the same file, which the browser has cached."""
    params = {
        "timestamp": expires_at - settings.MEDIA_PRIVATE_URL_TTL_SECONDS,
        "public_id": public_id,
        "format": format,
        "type": DELIVERY_TYPE,
        "expires_at": expires_at,
    }
    signed = cloudinary.utils.sign_request(params, options)
    endpoint = cloudinary.utils.cloudinary_api_url(
        "download", **{**options, "resource_type": resource_type}
    )
    return f"{endpoint}?{urlencode(signed)}"


def _delivery_url(
    public_id: str,
    *,
    resource_type: str,
    format: str | None,
    options: dict,
    auth_token: Any,
    **transformation,
) -> str:
    url, _ = cloudinary.utils.cloudinary_url(
        public_id,
        **{
            **{key: value for key, value in options.items() if key not in API_ONLY_OPTIONS},
            "resource_type": resource_type,
            "type": DELIVERY_TYPE,
            "sign_url": True,
            "auth_token": auth_token,
            "format": format,
            "secure": True,
            **transformation,
        },
    )
    return url
