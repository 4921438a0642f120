"""Product pictures drawn locally as small SVG illustrations: sector motif, sector colour, product name."""
from __future__ import annotations

import hashlib
import re
from xml.sax.saxutils import escape

from shop.text import nfc

W, H = 600, 450
FONT = "Be Vietnam Pro, Noto Sans, DejaVu Sans, Arial, sans-serif"
DEFAULT_COLOUR = "#2f6f4f"
LINE_CHARS = 22
_HEX = re.compile(r"#?([0-9a-fA-F]{6}|[0-9a-fA-F]{3})")
# Characters XML 1.0 forbids even when escaped.
_XML_BAD = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def _rgb(colour: str) -> tuple[int, int, int]:
    """Parse '#2f6f4f' or '#2f4' into RGB, falling back to the default green."""
    m = _HEX.fullmatch((colour or "").strip())
    digits = m.group(1) if m else DEFAULT_COLOUR[1:]
    if len(digits) == 3:
        digits = "".join(c * 2 for c in digits)
    return int(digits[0:2], 16), int(digits[2:4], 16), int(digits[4:6], 16)


def _mix(rgb: tuple[int, int, int], other: tuple[int, int, int], t: float) -> str:
    """Blend rgb towards other by t (0–1) and return a hex colour."""
    return "#" + "".join(f"{round(a + (b - a) * t):02x}" for a, b in zip(rgb, other))


def _clean(text: str) -> str:
    """NFC, drop characters XML cannot carry, collapse whitespace."""
    return " ".join(_XML_BAD.sub("", nfc(text or "")).split())


def wrap_name(name: str, width: int = LINE_CHARS, lines: int = 2) -> list[str]:
    """Break a name on spaces into at most `lines` lines of about `width` characters, with an ellipsis if cut."""
    words = _clean(name).split()
    out: list[list[str]] = []
    while words and len(out) < lines:
        line = [words.pop(0)]
        while words and len(" ".join(line + words[:1])) <= width:
            line.append(words.pop(0))
        out.append(line)
    # Don't leave one syllable alone on the last line: "… Hạ Long giã / tay" → "… Hạ Long / giã tay".
    if not words and len(out) > 1 and len(out[-1]) == 1 and len(out[-2]) > 2:
        out[-1].insert(0, out[-2].pop())
    text = [" ".join(line) for line in out]
    if words or (text and len(text[-1]) > width):
        last = out[-1]
        while len(last) > 1 and len(" ".join(last)) + 1 > width:
            last.pop()
        text[-1] = " ".join(last)[: width - 1].rstrip(" ,.;:-–") + "…"
    return text


def _food(c: dict[str, str], v: int) -> str:
    """A steaming rice bowl with a patterned band and a rice stalk."""
    return (
        f'<g fill="none" stroke="{c["w"]}" stroke-width="6" stroke-linecap="round" opacity=".55">'
        '<path d="M262 112c-14-18 14-30 0-50"/><path d="M300 104c-14-20 14-34 0-56"/><path d="M338 112c-14-18 14-30 0-50"/></g>'
        f'<path d="M196 180c8-48 200-48 208 0z" fill="{c["w"]}"/>'
        f'<g fill="{c["l"]}"><ellipse cx="262" cy="160" rx="7" ry="3.5" transform="rotate(-20 262 160)"/>'
        '<ellipse cx="300" cy="150" rx="7" ry="3.5" transform="rotate(15 300 150)"/>'
        '<ellipse cx="338" cy="162" rx="7" ry="3.5" transform="rotate(-10 338 162)"/></g>'
        f'<path d="M176 178h248c0 64-52 110-124 110s-124-46-124-110z" fill="{c["w"]}"/>'
        f'<rect x="170" y="170" width="260" height="16" rx="8" fill="{c["l"]}"/>'
        f'<path d="M190 218q22 14 44 0t44 0 44 0 44 0 44 0" fill="none" stroke="{c["c"]}" stroke-width="5" stroke-linecap="round"/>'
        f'<rect x="262" y="282" width="76" height="14" rx="5" fill="{c["l"]}"/>'
        f'<g fill="{c["w"]}" transform="translate(30 0)"><path d="M440 296c4-60-4-120-30-170" fill="none" stroke="{c["w"]}" stroke-width="4" stroke-linecap="round"/>'
        '<ellipse cx="414" cy="134" rx="6" ry="13" transform="rotate(-30 414 134)"/>'
        '<ellipse cx="428" cy="160" rx="6" ry="13" transform="rotate(-24 428 160)"/>'
        '<ellipse cx="404" cy="160" rx="6" ry="13" transform="rotate(-40 404 160)"/>'
        '<ellipse cx="418" cy="188" rx="6" ry="13" transform="rotate(-34 418 188)"/></g>'
    )


def _drink(c: dict[str, str], v: int) -> str:
    """A labelled bottle beside a small cup with a falling drop."""
    return (
        f'<rect x="274" y="46" width="52" height="24" rx="5" fill="{c["d"]}"/>'
        f'<path d="M280 68h40v40c0 22 42 30 42 66v106q0 16-16 16h-92q-16 0-16-16V174c0-36 42-44 42-66z" fill="{c["w"]}"/>'
        f'<rect x="238" y="190" width="124" height="72" fill="{c["c"]}"/>'
        f'<polygon points="300,204 306,220 323,220 309,230 314,246 300,236 286,246 291,230 277,220 294,220" fill="{c["w"]}"/>'
        '<rect x="250" y="150" width="12" height="30" rx="6" fill="#fff" opacity=".7"/>'
        f'<path d="M388 236h84l-8 50q-2 10-12 10h-44q-10 0-12-10z" fill="{c["l"]}"/>'
        f'<path d="M472 246h8q12 0 12 12t-12 12h-10" fill="none" stroke="{c["l"]}" stroke-width="6"/>'
        f'<path d="M430 142q-22 30-22 46a22 22 0 0 0 44 0q0-16-22-46z" fill="{c["w"]}"/>'
    )


def _herb(c: dict[str, str], v: int) -> str:
    """A leafy sprig behind a dropper vial of essential oil."""
    leaves = "".join(
        f'<use href="#{{p}}f" transform="translate({x} {y}) rotate({r}) scale(1.1)"/>'
        for x, y, r in ((240, 249, -25), (237, 217, -150), (234, 186, -25), (231, 155, -150), (226, 123, -25), (212, 76, -100))
    )
    return (
        f'<path d="M250 296C230 226 240 146 212 76" fill="none" stroke="{c["l"]}" stroke-width="5" stroke-linecap="round"/>'
        f'<g fill="{c["l"]}">{leaves}</g>'
        f'<rect x="336" y="84" width="36" height="60" rx="18" fill="{c["d"]}"/>'
        f'<rect x="328" y="138" width="52" height="30" rx="4" fill="{c["c"]}"/>'
        f'<rect x="300" y="164" width="108" height="132" rx="22" fill="{c["w"]}"/>'
        f'<rect x="300" y="204" width="108" height="54" fill="{c["c"]}"/>'
        f'<use href="#{{p}}f" transform="translate(338 242) rotate(-28) scale(.8)" fill="{c["w"]}"/>'
        '<rect x="312" y="176" width="10" height="22" rx="5" fill="#fff" opacity=".7"/>'
        f'<path d="M440 176q-14 20-14 30a14 14 0 0 0 28 0q0-10-14-30z" fill="{c["w"]}" opacity=".85"/>'
    )


def _craft(c: dict[str, str], v: int) -> str:
    """A glazed vase with a wave band and two lustrous pearls."""
    return (
        f'<path d="M262 64h76v14c0 12-12 18-12 30 0 22 70 40 70 106 0 50-40 84-96 84s-96-34-96-84c0-66 70-84 70-106 0-12-12-18-12-30z" fill="{c["w"]}"/>'
        f'<rect x="256" y="58" width="88" height="12" rx="6" fill="{c["l"]}"/>'
        f'<path d="M212 196h176M210 240h180" stroke="{c["c"]}" stroke-width="4"/>'
        f'<path d="M216 218q21-16 42 0t42 0 42 0 42 0" fill="none" stroke="{c["c"]}" stroke-width="5" stroke-linecap="round"/>'
        f'<circle cx="428" cy="258" r="38" fill="url(#{{p}}p)"/><circle cx="484" cy="284" r="22" fill="url(#{{p}}p)"/>'
        '<ellipse cx="416" cy="244" rx="11" ry="7" fill="#fff" opacity=".9" transform="rotate(-35 416 244)"/>'
        '<ellipse cx="477" cy="276" rx="6" ry="4" fill="#fff" opacity=".9" transform="rotate(-35 477 276)"/>'
    )


def _flower(c: dict[str, str], v: int) -> str:
    """A many-petalled flower on a leafy stem."""
    turn = v % 30 - 15
    outer = "".join(f'<ellipse cx="0" cy="-50" rx="30" ry="50" transform="rotate({a + turn})"/>' for a in range(0, 360, 60))
    inner = "".join(f'<ellipse cx="0" cy="-32" rx="18" ry="32" transform="rotate({a + turn + 30})"/>' for a in range(0, 360, 60))
    return (
        f'<g fill="{c["l"]}"><use href="#{{p}}f" transform="translate(301 282) rotate(-36) scale(1.5)"/>'
        f'<use href="#{{p}}f" transform="translate(299 266) rotate(-144) scale(1.3)"/></g>'
        f'<path d="M300 296c-4-50-6-90 0-130" fill="none" stroke="{c["w"]}" stroke-width="7" stroke-linecap="round"/>'
        f'<g transform="translate(300 130) scale(.82)"><g fill="{c["w"]}">{outer}</g><g fill="{c["l"]}">{inner}</g>'
        f'<circle r="20" fill="{c["c"]}"/><circle r="8" fill="{c["w"]}" opacity=".8"/></g>'
    )


def _tourism(c: dict[str, str], v: int) -> str:
    """Hạ Long karsts rising from a calm sea under a low sun, with a junk's sails."""
    return (
        f'<circle cx="{200 + v % 80}" cy="104" r="40" fill="{c["w"]}" opacity=".8"/>'
        f'<path d="M0 272v-50c12-16 18-52 38-54 20-2 22 36 30 50 10-30 22-76 46-78 26-2 26 58 36 80 10-14 20-24 32-22 18 2 20 40 30 54 8-8 16-10 22-4 8 8 6 18 14 24h210c8-20 14-42 30-44 18-2 24 30 34 40 10-18 24-46 42-44 20 2 26 40 36 48v50z" fill="{c["l"]}" opacity=".7"/>'
        f'<path d="M316 272c6-36 8-90 24-118 12-22 38-26 50-8 12 18 4 56 14 76 8-14 20-24 34-20 20 6 20 42 30 70zM36 272c4-24 12-58 30-66 20-8 30 16 34 38 6-8 16-8 20 0l8 28zM530 272c4-30 14-70 34-76 20-6 30 26 36 40v36z" fill="{c["w"]}"/>'
        f'<rect y="270" width="600" height="180" fill="{c["d"]}" opacity=".5"/>'
        f'<path d="M330 284h110M360 296h60M50 284h60M540 284h40" stroke="{c["w"]}" stroke-width="3" stroke-linecap="round" opacity=".35"/>'
        f'<path d="M186 270h70l-10 12h-52z" fill="{c["d"]}"/>'
        f'<path d="M204 268c-4-18-4-40 4-58 12 16 16 38 12 58zM226 268c-2-14-2-30 4-44 10 12 12 28 10 44z" fill="{c["c"]}"/>'
    )


def _mark(c: dict[str, str], v: int) -> str:
    """An abstract star in a ring, for sectors without their own motif."""
    pts = "300,84 322,144 386,146 336,186 354,248 300,212 246,248 264,186 214,146 278,144"
    return (
        f'<circle cx="300" cy="170" r="118" fill="none" stroke="{c["w"]}" stroke-width="6" opacity=".6"/>'
        f'<circle cx="300" cy="170" r="96" fill="{c["w"]}" opacity=".18"/>'
        f'<polygon points="{pts}" fill="{c["w"]}"/>'
    )


MOTIFS = {"I": _food, "II": _drink, "III": _herb, "IV": _craft, "V": _flower, "VI": _tourism}


def product_svg(name: str, sector_code: str, colour: str, subtitle: str = "", seed: str = "") -> str:
    """Return a standalone 600×450 SVG picture for a product: sector motif, tinted background, name band."""
    name, subtitle = _clean(name), _clean(subtitle)
    rgb, white, black = _rgb(colour), (255, 255, 255), (0, 0, 0)
    light = (0.2126 * rgb[0] + 0.7152 * rgb[1] + 0.0722 * rgb[2]) / 255
    if light > 0.5:  # keep white artwork and text readable on pale or yellow sector colours
        k = 0.5 / light
        rgb = (int(rgb[0] * k), int(rgb[1] * k), int(rgb[2] * k))
    c = {
        "c": _mix(rgb, black, 0.05),
        "w": _mix(rgb, white, 0.94),
        "l": _mix(rgb, white, 0.72),
        "d": _mix(rgb, black, 0.38),
        "top": _mix(rgb, white, 0.52),
        "bot": _mix(rgb, white, 0.12),
        "band": _mix(rgb, black, 0.55),
    }
    h = hashlib.sha256(f"{seed}|{name}".encode()).digest()
    pid = "a" + h[:3].hex()

    circles = "".join(
        f'<circle cx="{h[4 + i] * W // 255}" cy="{h[8 + i] * 300 // 255}" r="{50 + h[12 + i] % 130}" opacity=".{7 + h[16 + i] % 7:02d}"/>'
        for i in range(3)
    )
    wy, wa = 60 + h[20] % 200, 14 + h[21] % 26
    waves = (
        f'<path d="M0 {wy}q150 {-wa} 300 0t300 0" opacity=".22"/>'
        f'<path d="M0 {wy + 18}q150 {-wa} 300 0t300 0" opacity=".12"/>'
    )
    x2, y2 = (("1", "1"), ("0", "1"), (".4", "1"), ("1", ".6"))[h[22] % 4]

    sector = (sector_code or "").strip().upper()
    motif = MOTIFS.get(sector, _mark)(c, h[23]).replace("{p}", pid)
    if sector in MOTIFS and sector != "VI":  # objects stand on a soft shadow, a little smaller than drawn
        shadow = f'<ellipse cx="300" cy="298" rx="150" ry="10" fill="{c["d"]}" opacity=".25"/>'
        motif = f'<g transform="translate(18 0) scale(.94)">{shadow}{motif}</g>'
    if h[24] % 2:  # mirror half of the pictures so neighbours in a grid differ
        motif = f'<g transform="matrix(-1 0 0 1 600 0)">{motif}</g>'

    lines = wrap_name(name) or ["OCOP Quảng Ninh"]
    sub = subtitle[:44] + ("…" if len(subtitle) > 44 else "")
    band_y = 304
    y = band_y + (H - band_y - len(lines) * 42 - (28 if sub else 0)) // 2 + 32
    texts = []
    for line in lines:
        texts.append(f'<text x="300" y="{y}" font-size="34" font-weight="600">{escape(line)}</text>')
        y += 42
    if sub:
        texts.append(f'<text x="300" y="{y - 8}" font-size="19" opacity=".82">{escape(sub)}</text>')

    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {W} {H}" width="{W}" height="{H}" role="img" aria-labelledby="{pid}t">'
        f'<title id="{pid}t">{escape(name or "OCOP Quảng Ninh")}</title>'
        f'<defs><linearGradient id="{pid}g" x2="{x2}" y2="{y2}"><stop offset="0" stop-color="{c["top"]}"/><stop offset="1" stop-color="{c["bot"]}"/></linearGradient>'
        f'<linearGradient id="{pid}b" x2="0" y2="1"><stop offset="0" stop-color="{c["band"]}" stop-opacity=".55"/><stop offset="1" stop-color="{c["band"]}" stop-opacity=".78"/></linearGradient>'
        f'<radialGradient id="{pid}p" cx=".38" cy=".35" r=".7"><stop offset="0" stop-color="#fff"/><stop offset=".7" stop-color="{c["w"]}"/><stop offset="1" stop-color="{c["l"]}"/></radialGradient>'
        f'<path id="{pid}f" d="M0 0c10-16 34-16 44 0-10 16-34 16-44 0z"/></defs>'
        f'<rect width="{W}" height="{H}" fill="url(#{pid}g)"/>'
        f'<g fill="#fff">{circles}</g><g fill="none" stroke="#fff" stroke-width="2">{waves}</g>'
        f'{motif}'
        f'<rect y="{band_y}" width="{W}" height="{H - band_y}" fill="url(#{pid}b)"/>'
        f'<g fill="#fbfaf6" font-family="{FONT}" text-anchor="middle">{"".join(texts)}</g>'
        "</svg>"
    )
