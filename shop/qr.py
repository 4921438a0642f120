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


def qr_card_png(payload: str, lines: list[str], *, scale: int = 8) -> bytes:
    """A PNG of the code with a few lines of text under it, for a phone's gallery.

    A customer paying from the phone that shows the code cannot scan it: banking apps read a QR from
    a saved picture instead, and the lines (amount, transfer note) let them check it in the gallery.
    Text is drawn in Pillow's own font, so the lines should be plain ASCII (digits, order number).
    """
    from PIL import Image, ImageDraw, ImageFont  # only the "save the QR" download needs Pillow here

    code = Image.open(_png(payload, scale)).convert("L")
    font = ImageFont.load_default(size=max(18, scale * 3))
    line_height = font.size + font.size // 2
    width = max([code.width] + [int(font.getlength(line)) + 4 * scale for line in lines])
    card = Image.new("L", (width, code.height + line_height * len(lines) + 2 * scale), 255)
    card.paste(code, ((width - code.width) // 2, 0))
    draw = ImageDraw.Draw(card)
    for i, line in enumerate(lines):
        draw.text((width // 2, code.height + i * line_height), line, fill=0, font=font, anchor="ma")
    out = io.BytesIO()
    card.save(out, format="PNG", optimize=True)
    return out.getvalue()


def _png(payload: str, scale: int) -> io.BytesIO:
    buffer = io.BytesIO()
    _qr(payload).save(buffer, kind="png", scale=scale, border=4)
    buffer.seek(0)
    return buffer
