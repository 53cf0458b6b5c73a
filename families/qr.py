"""QR codes of the family slips, made on the server (segno) as inline SVG: nothing is
fetched from elsewhere, and a slip prints the same offline."""

import segno
from django.utils.safestring import SafeString, mark_safe


def qr_svg(text: str, *, scale: int = 4) -> SafeString:
    """An inline SVG QR code of `text` (medium error correction: a creased slip still reads).
    Safe: segno writes the SVG from the code's modules; `text` is not in it."""
    code = segno.make(text, error="m", micro=False)
    return mark_safe(code.svg_inline(scale=scale, border=2, svgclass="family-qr"))  # noqa: S308
