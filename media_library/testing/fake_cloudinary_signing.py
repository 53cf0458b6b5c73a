"""Cloudinary's signatures, as the fake Cloudinary (fake_cloudinary.py) checks and makes them.

They are an implementation of our own, not borrowed from the SDK, so that a bug in the SDK's
signing cannot hide behind the same bug in the fake: the signed API request (string_to_sign,
then a digest with the secret, refused when stale), the URL signature of "authenticated"
assets, and the token of token-based authentication (`__cld_token__`: an HMAC-SHA256, with
the account's hex token key, of the token's fields and the URL's path, refused once expired).
`unsigned_url` is for tests' exact URL checks.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
import time

from .fake_cloudinary_assets import CloudinaryApiError

_SIGNED = re.compile(r"/authenticated/s--[A-Za-z0-9_-]{8}--/")
# Fields the Upload API leaves out of the string to sign (Cloudinary's documented list).
UNSIGNED_FIELDS = frozenset({"file", "signature", "api_key", "resource_type", "cloud_name"})
STALE_AFTER_SECONDS = 3600  # Cloudinary refuses signed requests older than an hour


def unsigned_url(url: str) -> str:
    """For tests' exact URL checks: the URL must be an authenticated, signed one; the
    signature (which depends on the secret) is taken out."""
    if not _SIGNED.search(url):
        raise AssertionError(f"Not a signed authenticated delivery URL: {url}")
    return _SIGNED.sub("/authenticated/", url)


def string_to_sign(fields: dict[str, str]) -> str:
    """Cloudinary's string to sign (signature version 2): every signed, non-empty field as
    `key=value`, sorted, joined with `&`, with `&` inside values escaped; list fields (`key[]`)
    joined with commas."""
    values: dict[str, list[str]] = {}
    for key, value in fields.items():
        name = key.removesuffix("[]")
        if name in UNSIGNED_FIELDS or not value:
            continue
        values.setdefault(name, []).extend(value if isinstance(value, list) else [value])
    pairs = [f"{key}={','.join(value)}".replace("&", "%26") for key, value in values.items()]
    return "&".join(sorted(pairs))


def request_signature_check(
    fields: dict[str, str],
    *,
    api_key: str,
    api_secret: str,
    algorithm: str,
    now: float | None = None,
    stale_after: int | None = STALE_AFTER_SECONDS,
) -> None:
    """A CloudinaryApiError, as Cloudinary answers it, unless `fields` are a request signed
    with `api_key`'s secret, and a fresh one (unless `stale_after` is None: a download URL
    lasts until its own `expires_at`)."""
    if fields.get("api_key") != api_key:
        raise CloudinaryApiError(401, f"Unknown API key {fields.get('api_key', '')}")
    if not fields.get("timestamp"):
        raise CloudinaryApiError(400, "Missing required parameter - timestamp")
    now = time.time() if now is None else now
    if stale_after is not None and abs(now - int(fields["timestamp"])) > stale_after:
        raise CloudinaryApiError(401, f"Stale request - reported time is {fields['timestamp']}")
    to_sign = string_to_sign(fields)
    expected = hashlib.new(algorithm, (to_sign + api_secret).encode()).hexdigest()
    if not secrets.compare_digest(expected, fields.get("signature", "")):
        signature = fields.get("signature", "")
        raise CloudinaryApiError(
            401, f"Invalid Signature {signature}. String to sign - '{to_sign}'."
        )


def url_signature(to_sign: str, api_secret: str) -> str:
    """The `s--XXXXXXXX--` component of a signed delivery URL for `to_sign` (the
    transformation and source)."""
    digest = hashlib.sha1((to_sign + api_secret).encode()).digest()  # noqa: S324
    return "s--" + base64.urlsafe_b64encode(digest)[:8].decode() + "--"


TOKEN_NAME = "__cld_token__"  # noqa: S105 (the query parameter's name)
# What token-based authentication escapes in the URL it signs (then in lower case).
_TOKEN_UNSAFE = re.compile(r"""[ "#%&'/:;<=>?@\[\\\]^`{|}~]""")


def token_escape(url: str) -> str:
    return _TOKEN_UNSAFE.sub(lambda match: f"%{ord(match.group()):02x}", url)


def auth_token_check(token: str, *, path: str, key: str, now: float) -> None:
    """A CloudinaryApiError (401) unless `token` (the `__cld_token__` value: `~`-separated
    `st=` and `exp=` fields and an `hmac=`) is signed with the hex `key` for `path`, has
    started and has not expired. Tokens for an ACL (a pattern of paths) are refused: the
    project signs each URL on its own, and a fake that let them through unchecked would
    accept what Cloudinary might not."""
    parts = token.split("~")
    fields = dict(part.partition("=")[::2] for part in parts)
    if "acl" in fields or "ip" in fields:
        raise CloudinaryApiError(401, "Only URL tokens are supported (fake Cloudinary)")
    signed = [part for part in parts if not part.startswith("hmac=")]
    signed.append(f"url={token_escape(path)}")
    try:
        expected = hmac.new(
            bytes.fromhex(key), "~".join(signed).encode(), hashlib.sha256
        ).hexdigest()
        expires, start = int(fields["exp"]), int(fields.get("st") or 0)
    except (KeyError, ValueError):
        raise CloudinaryApiError(401, "Malformed token") from None
    if not secrets.compare_digest(expected, fields.get("hmac", "")):
        raise CloudinaryApiError(401, "Invalid token")
    if now >= expires or now < start:
        raise CloudinaryApiError(401, "Token expired")
