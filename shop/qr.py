"""QR codes drawn for pages (SVG) and e-mails (PNG): VietQR payloads, pickup codes, parcel labels."""
from __future__ import annotations

import io


def _qr(payload: str) -> "segno.QRCode":  # noqa: F821
    # Level M survives a smudged screen or print; micro QR is not read by Vietnamese bank apps.
    import segno  # only pages and e-mails that show a code pay for loading it

    return segno.make(payload, error="m", micro=False)


def qr_svg(payload: str, *, scale: int = 5, title: str = "VietQR") -> str:
    """Render payload as an SVG element to inline in HTML."""
    buffer = io.BytesIO()
    # omitsize: a viewBox instead of fixed width/height, so CSS can scale the code to the screen.
    _qr(payload).save(buffer, kind="svg", scale=scale, border=2, xmldecl=False, svgns=True, title=title,
                      omitsize=True)
    svg = buffer.getvalue().decode("utf-8")
    # segno has no option for ARIA attributes; role="img" makes screen readers announce the <title>.
    return svg.replace("<svg", '<svg role="img"', 1)


def qr_png_data_uri(payload: str, scale: int = 5) -> str:
    """Render payload as a data:image/png;base64 URI, for e-mails that cannot show SVG."""
    return _qr(payload).png_data_uri(scale=scale, border=2)
