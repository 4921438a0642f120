"""Product pictures drawn locally as small SVG illustrations: sector motif, sector colour, product name."""
from __future__ import annotations

import hashlib
import re
from xml.sax.saxutils import escape

from flask_babel import lazy_gettext as _l

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

#: Hand-drawn subjects, one simple drawing each in the same flat style: objects stand on y≈296 around x=300.
#: {w} near white, {l} light, {c} the sector colour, {d} dark; {p} prefixes the picture's own ids.
DRAWINGS = {
    "honey": (
        '<rect x="214" y="122" width="172" height="174" rx="26" fill="{w}"/>'
        '<path d="M222 168q20 14 39 0t39 0 39 0 39 0v100q0 18-18 18H240q-18 0-18-18z" fill="#e3a21a"/>'
        '<rect x="226" y="96" width="148" height="32" rx="9" fill="{d}"/>'
        '<path d="M224 112h152" stroke="{c}" stroke-width="5"/>'
        '<polygon points="300,196 328,212 328,244 300,260 272,244 272,212" fill="#f7d774"/>'
        '<polygon points="300,208 318,218 318,238 300,248 282,238 282,218" fill="#e3a21a"/>'
        '<path d="M392 100l56 130" stroke="#a8744a" stroke-width="8" stroke-linecap="round"/>'
        '<g fill="#c98a3a"><ellipse cx="454" cy="238" rx="20" ry="9" transform="rotate(24 454 238)"/>'
        '<ellipse cx="459" cy="252" rx="22" ry="9" transform="rotate(24 459 252)"/>'
        '<ellipse cx="464" cy="266" rx="18" ry="8" transform="rotate(24 464 266)"/></g>'
        '<path d="M466 276q-6 12-6 16a6 6 0 0 0 12 0q0-4-6-16z" fill="#e3a21a"/>'
    ),
    "fruit": (
        '<path d="M300 92c-10-26-34-36-58-30 10 24 32 34 58 30z" fill="{l}"/>'
        '<path d="M300 100v-24" stroke="{d}" stroke-width="6" stroke-linecap="round"/>'
        '<circle cx="300" cy="196" r="98" fill="{w}"/>'
        '<g fill="none" stroke="{l}" stroke-width="5">'
        '<path d="M232 150q34 22 68 0t68 0M214 196q43 22 86 0t86 0M228 244q36 22 72 0t72 0"/></g>'
        '<circle cx="432" cy="258" r="38" fill="{l}"/><circle cx="420" cy="246" r="9" fill="{w}"/>'
    ),
    "mushroom": (
        '<g fill="{w}"><rect x="228" y="170" width="40" height="126" rx="16"/><rect x="326" y="196" width="30" height="100" rx="12"/>'
        '<rect x="388" y="226" width="24" height="70" rx="10"/></g>'
        '<g fill="{l}"><path d="M170 178c0-70 56-106 78-106s78 36 78 106z"/><path d="M286 204c0-50 40-76 55-76s55 26 55 76z"/>'
        '<path d="M366 236c0-36 28-54 34-54s34 18 34 54z"/></g>'
        '<g fill="{w}" opacity=".7"><circle cx="222" cy="124" r="9"/><circle cx="262" cy="110" r="7"/><circle cx="334" cy="160" r="6"/></g>'
    ),
    "meat": (
        '<path d="M182 168c20-62 120-86 196-54 64 28 66 110 8 152-58 42-176 36-208-14-12-20-8-56 4-84z" fill="{l}"/>'
        '<path d="M204 176c18-46 104-64 166-40 50 20 52 84 6 116-48 32-140 28-166-10-10-16-12-42-6-66z" fill="#e58f86"/>'
        '<path d="M250 200q40-30 90-10M246 236q50-16 100 6" fill="none" stroke="#fbe1dc" stroke-width="8" stroke-linecap="round"/>'
        '<circle cx="324" cy="214" r="18" fill="{w}"/><circle cx="324" cy="214" r="8" fill="{l}"/>'
    ),
    "eggs": (
        '<path d="M160 238c20 60 260 60 280 0z" fill="{l}"/>'
        '<g fill="{w}"><ellipse cx="250" cy="196" rx="46" ry="60"/><ellipse cx="350" cy="196" rx="46" ry="60"/>'
        '<ellipse cx="300" cy="216" rx="46" ry="58"/></g>'
        '<g fill="{l}" opacity=".6"><circle cx="236" cy="172" r="6"/><circle cx="338" cy="168" r="5"/><circle cx="290" cy="200" r="5"/></g>'
        '<path d="M160 238q35-14 70 0t70 0 70 0 70 0" fill="none" stroke="{d}" stroke-width="6" stroke-linecap="round"/>'
        '<path d="M170 262q32-10 64 0t64 0 64 0 64 0" fill="none" stroke="{d}" stroke-width="4" opacity=".5"/>'
    ),
    "poultry": (
        '<path d="M214 266c-40-30-48-96 0-124 26-16 58-10 82 4 8-42 28-72 62-72 30 0 46 22 46 44 0 18-10 30-20 38 18 40 8 92-30 116-40 26-106 22-140-6z" fill="{w}"/>'
        '<path d="M346 62c6-16 20-18 24-6 8-12 22-8 20 6 12-2 16 12 6 20h-46z" fill="#d9452b"/>'
        '<path d="M404 110l28 10-28 10z" fill="#e8a52a"/><path d="M392 134c6 14 0 28-10 30-8-10-4-24 10-30z" fill="#d9452b"/>'
        '<circle cx="378" cy="104" r="6" fill="{d}"/>'
        '<path d="M200 150c-46-10-60 40-40 80 14-30 30-40 52-36z" fill="{l}"/>'
        '<path d="M238 206c30 30 80 34 110 4" fill="none" stroke="{l}" stroke-width="10" stroke-linecap="round"/>'
        '<path d="M270 290v10m50-10v10" stroke="#e8a52a" stroke-width="8" stroke-linecap="round"/>'
    ),
    "crab": (
        '<g fill="none" stroke="{w}" stroke-width="9" stroke-linecap="round">'
        '<path d="M232 236l-44 18-18 34M228 214l-52 0-26 22M368 236l44 18 18 34M372 214l52 0 26 22"/>'
        '<path d="M246 172l-30-44M354 172l30-44"/></g>'
        '<ellipse cx="300" cy="214" rx="84" ry="60" fill="#e0623a"/>'
        '<g fill="#e0623a"><path d="M192 134c-22-34 4-70 34-60l-10 30 24-14c8 30-20 54-48 44z"/>'
        '<path d="M408 134c22-34-4-70-34-60l10 30-24-14c-8 30 20 54 48 44z"/></g>'
        '<g fill="{w}"><circle cx="276" cy="166" r="10"/><circle cx="324" cy="166" r="10"/></g>'
        '<g fill="{d}"><circle cx="276" cy="166" r="5"/><circle cx="324" cy="166" r="5"/></g>'
        '<path d="M256 222q44 20 88 0" fill="none" stroke="#f4a37e" stroke-width="6" stroke-linecap="round"/>'
    ),
    "rice": (
        '<path d="M216 296c-24-60-20-124 12-158l-8-24h160l-8 24c32 34 36 98 12 158z" fill="{w}"/>'
        '<path d="M226 114c20 12 128 12 148 0" fill="none" stroke="{d}" stroke-width="8" stroke-linecap="round"/>'
        '<path d="M300 106c-20-30-10-50 0-62 10 12 20 32 0 62z" fill="{l}"/>'
        '<rect x="244" y="176" width="112" height="72" rx="8" fill="{l}"/>'
        '<g fill="{w}">' + "".join(
            f'<ellipse cx="{x}" cy="{y}" rx="7" ry="11" transform="rotate({r} {x} {y})"/>'
            for x, y, r in ((282, 202, -30), (300, 196, 0), (318, 202, 30), (290, 224, -20), (310, 224, 20))) +
        '</g><g fill="{l}"><ellipse cx="160" cy="286" rx="8" ry="5"/><ellipse cx="440" cy="284" rx="8" ry="5"/><ellipse cx="420" cy="292" rx="8" ry="5"/></g>'
    ),
    "instant": (
        '<path d="M240 90l120 90M262 76l116 100" stroke="{d}" stroke-width="7" stroke-linecap="round"/>'
        '<path d="M176 170h248c0 70-54 122-124 122s-124-52-124-122z" fill="{w}"/>'
        '<path d="M196 174q18-26 36 0t36 0 36 0 36 0 36 0 32 0" fill="none" stroke="#e8c26a" stroke-width="10" stroke-linecap="round"/>'
        '<circle cx="264" cy="166" r="16" fill="#f3d9a0"/><circle cx="264" cy="166" r="7" fill="#e8a52a"/>'
        '<path d="M190 222h220" stroke="{c}" stroke-width="6"/>'
    ),
    "rice_cake": (
        '<g transform="rotate(-8 300 196)">'
        '<rect x="200" y="96" width="200" height="200" rx="14" fill="#5c9a4a"/>'
        '<rect x="216" y="112" width="168" height="168" rx="8" fill="#7fb866"/>'
        '<path d="M266 96v200M334 96v200M200 162h200M200 230h200" stroke="#f5efd6" stroke-width="8"/></g>'
        '<path d="M300 104c-10-20 4-40 24-38" fill="none" stroke="#f5efd6" stroke-width="6" stroke-linecap="round"/>'
    ),
    "glass_noodles": (
        '<g fill="none" stroke="{w}" stroke-width="5" stroke-linecap="round">'
        + "".join(f'<path d="M{180 + i * 6} {110 + i * 16}q30-20 60 0t60 0 60 0 60 0"/>' for i in range(10)) +
        '</g><rect x="278" y="92" width="44" height="200" rx="8" fill="{d}"/>'
        '<rect x="284" y="170" width="32" height="44" rx="4" fill="{l}"/>'
    ),
    "basket": (
        '<g fill="{l}"><circle cx="248" cy="170" r="40"/><circle cx="316" cy="158" r="44"/><circle cx="368" cy="180" r="34"/></g>'
        '<g fill="{w}" opacity=".6"><circle cx="236" cy="156" r="9"/><circle cx="302" cy="142" r="10"/></g>'
        '<path d="M176 186h248l-24 104q-4 8-12 8H212q-8 0-12-8z" fill="{w}"/>'
        '<g stroke="{l}" stroke-width="6"><path d="M186 214h228M194 242h212M202 270h196"/>'
        '<path d="M236 186v110M300 186v112M364 186v110"/></g>'
    ),
    "squid_cake": (
        '<ellipse cx="300" cy="272" rx="160" ry="26" fill="{w}"/>'
        '<g fill="#d9a441"><ellipse cx="236" cy="236" rx="62" ry="30"/><ellipse cx="360" cy="240" rx="62" ry="30"/>'
        '<ellipse cx="298" cy="196" rx="62" ry="30"/></g>'
        '<g fill="#f0c978"><ellipse cx="236" cy="228" rx="50" ry="20"/><ellipse cx="360" cy="232" rx="50" ry="20"/>'
        '<ellipse cx="298" cy="188" rx="50" ry="20"/></g>'
        '<g fill="#b8802c"><circle cx="220" cy="226" r="4"/><circle cx="252" cy="232" r="3"/><circle cx="350" cy="228" r="4"/>'
        '<circle cx="378" cy="236" r="3"/><circle cx="286" cy="184" r="4"/><circle cx="314" cy="192" r="3"/></g>'
        '<path d="M420 120l40-40M430 140l50-20" stroke="{w}" stroke-width="6" stroke-linecap="round" opacity=".7"/>'
    ),
    "squid": (
        '<path d="M300 40c40 40 56 100 50 150H250c-6-50 10-110 50-150z" fill="{w}"/>'
        '<path d="M250 110l-40 30 44 10zM350 110l40 30-44 10z" fill="{l}"/>'
        '<g fill="none" stroke="{w}" stroke-width="10" stroke-linecap="round">'
        '<path d="M262 190q-10 40-40 60M280 190q-4 50-20 96M300 190v100M320 190q4 50 20 96M338 190q10 40 40 60"/></g>'
        '<g fill="{d}"><circle cx="280" cy="176" r="7"/><circle cx="320" cy="176" r="7"/></g>'
    ),
    "fish_sauce": (
        '<rect x="282" y="40" width="36" height="22" rx="4" fill="#c9342a"/>'
        '<path d="M286 60h28v56c0 14 34 22 34 50v114q0 16-16 16h-64q-16 0-16-16V166c0-28 34-36 34-50z" fill="{w}"/>'
        '<path d="M256 190h88v90q0 12-12 12h-64q-12 0-12-12z" fill="#a8561c"/>'
        '<rect x="262" y="204" width="76" height="52" rx="6" fill="{w}"/>'
        '<path d="M276 230c14-14 34-14 46 0-12 14-32 14-46 0zm46 0l12-10v20z" fill="{c}"/>'
        '<path d="M380 262h90q0 30-45 30t-45-30z" fill="{l}"/><path d="M392 264q33 10 66 0" fill="none" stroke="#a8561c" stroke-width="6"/>'
    ),
    "spice": (
        '<g transform="rotate(-18 280 200)"><rect x="170" y="170" width="220" height="30" rx="15" fill="#a5623a"/>'
        '<rect x="176" y="206" width="220" height="30" rx="15" fill="#8e5230"/><rect x="166" y="242" width="220" height="30" rx="15" fill="#a5623a"/>'
        '<path d="M196 176v20M196 212v20M190 248v20" stroke="#d99a6c" stroke-width="5"/></g>'
        '<g transform="translate(410 140)" fill="#7a3d1e">' + "".join(
            f'<ellipse cx="0" cy="-30" rx="12" ry="30" transform="rotate({a})"/>' for a in range(0, 360, 45)) +
        '<circle r="10" fill="#d99a6c"/></g>'
    ),
    "tea": (
        '<path d="M300 296c0-80-10-150-40-210" fill="none" stroke="{w}" stroke-width="8" stroke-linecap="round"/>'
        '<path d="M262 92c-10-30 4-52 20-58 10 24 4 48-20 58z" fill="{w}"/>'
        '<path d="M276 170c-60-6-96-46-98-98 56 0 96 40 98 98z" fill="{l}"/>'
        '<path d="M290 222c50-10 96-50 104-110-62 2-104 46-104 110z" fill="{w}"/>'
        '<path d="M276 168c-30-20-56-44-74-76M292 218c30-26 56-58 78-90" fill="none" stroke="{c}" stroke-width="4" opacity=".6"/>'
        '<path d="M160 240h110q0 54-55 54t-55-54z" fill="{w}"/><ellipse cx="215" cy="242" rx="50" ry="8" fill="{c}" opacity=".6"/>'
    ),
    "herbal_tea": (
        '<path d="M208 176c0-50 40-70 92-70s92 20 92 70v60c0 40-40 60-92 60s-92-20-92-60z" fill="{w}"/>'
        '<path d="M392 184c40-14 62 8 56 40-6 24-30 28-56 26" fill="none" stroke="{w}" stroke-width="14"/>'
        '<path d="M208 190c-40-20-60 0-62 30l44 16" fill="none" stroke="{w}" stroke-width="14" stroke-linecap="round"/>'
        '<ellipse cx="300" cy="104" rx="50" ry="10" fill="{l}"/><circle cx="300" cy="86" r="14" fill="{l}"/>'
        '<g transform="translate(300 210)" fill="#e8b828">' + "".join(
            f'<ellipse cx="0" cy="-24" rx="16" ry="24" transform="rotate({a})"/>' for a in range(0, 360, 72)) +
        '<circle r="10" fill="#f7e08a"/></g>'
    ),
    "coffee": (
        '<ellipse cx="300" cy="282" rx="140" ry="18" fill="{l}"/>'
        '<path d="M200 150h200v70c0 40-40 66-100 66s-100-26-100-66z" fill="{w}"/>'
        '<path d="M400 170c44-8 56 44 8 58" fill="none" stroke="{w}" stroke-width="14"/>'
        '<ellipse cx="300" cy="152" rx="96" ry="14" fill="#6b3e22"/>'
        '<g fill="none" stroke="{w}" stroke-width="6" stroke-linecap="round" opacity=".6">'
        '<path d="M270 126c-12-16 12-26 0-46M330 126c-12-16 12-26 0-46"/></g>'
        '<g fill="#6b3e22"><ellipse cx="166" cy="262" rx="16" ry="11" transform="rotate(-30 166 262)"/>'
        '<ellipse cx="438" cy="268" rx="16" ry="11" transform="rotate(25 438 268)"/></g>'
    ),
    "spirit": (
        '<path d="M276 92h48v26c0 10 80 24 80 96 0 52-46 82-104 82s-104-30-104-82c0-72 80-86 80-96z" fill="{w}"/>'
        '<path d="M272 70h56l-6 26h-44z" fill="#a8744a"/><path d="M268 92c16 14 48 14 64 0l10 18c-24 14-60 14-84 0z" fill="#c9342a"/>'
        '<path d="M214 200c40 16 132 16 172 0" fill="none" stroke="{l}" stroke-width="6"/>'
        '<rect x="264" y="206" width="72" height="60" rx="6" fill="#c9342a"/>'
        '<path d="M286 224h28M286 238h28M292 252h16" stroke="{w}" stroke-width="4"/>'
        '<path d="M420 254h52l-6 34q-2 8-10 8h-20q-8 0-10-8z" fill="{w}"/>'
    ),
    "wine": (
        '<rect x="246" y="74" width="108" height="24" rx="6" fill="{d}"/>'
        '<path d="M236 98h128q20 0 20 20v158q0 20-20 20H236q-20 0-20-20V118q0-20 20-20z" fill="{w}" opacity=".9"/>'
        '<path d="M224 150h152v126q0 12-12 12H236q-12 0-12-12z" fill="#8e2f4a" opacity=".85"/>'
        '<g fill="#5a1a2e">' + "".join(f'<circle cx="{x}" cy="{y}" r="13"/>' for x, y in (
            (252, 250), (282, 264), (314, 252), (344, 266), (266, 222), (330, 226), (298, 236))) +
        '</g><path d="M316 176c10-20 30-28 44-22" fill="none" stroke="#c98a5a" stroke-width="8" stroke-linecap="round"/>'
    ),
    "water": (
        '<rect x="272" y="40" width="56" height="30" rx="6" fill="{c}"/>'
        '<path d="M276 70h48l20 40v170q0 16-16 16h-56q-16 0-16-16V110z" fill="#d6eef8"/>'
        '<g fill="none" stroke="#9fd0e8" stroke-width="6"><path d="M256 140h88M256 176h88M256 250h88"/></g>'
        '<rect x="256" y="190" width="88" height="46" fill="{w}"/>'
        '<path d="M300 198q-12 16-12 22a12 12 0 0 0 24 0q0-6-12-22z" fill="#3a93c8"/>'
        '<g fill="#d6eef8"><path d="M400 150q-18 24-18 36a18 18 0 0 0 36 0q0-12-18-36z"/>'
        '<path d="M200 200q-14 18-14 28a14 14 0 0 0 28 0q0-10-14-28z"/></g>'
    ),
    "juice": (
        '<path d="M330 60l-30 120" stroke="{d}" stroke-width="8" stroke-linecap="round"/>'
        '<path d="M236 120h128l-14 164q-2 12-14 12h-72q-12 0-14-12z" fill="{w}"/>'
        '<path d="M244 170h112l-10 112q-2 8-10 8h-72q-8 0-10-8z" fill="#f2c84b"/>'
        '<g fill="{w}" opacity=".7"><circle cx="276" cy="214" r="6"/><circle cx="316" cy="244" r="5"/><circle cx="296" cy="264" r="4"/></g>'
        '<circle cx="372" cy="124" r="34" fill="#cfe36a"/><circle cx="372" cy="124" r="26" fill="#f1f7c8"/>'
        '<path d="M372 98v52M346 124h52M354 106l36 36M390 106l-36 36" stroke="#cfe36a" stroke-width="3"/>'
    ),
    "capsules": (
        '<rect x="220" y="82" width="120" height="34" rx="8" fill="{d}"/>'
        '<rect x="206" y="112" width="148" height="184" rx="20" fill="{w}"/>'
        '<rect x="206" y="160" width="148" height="84" fill="{l}"/>'
        '<path d="M280 176v52M254 202h52" stroke="{w}" stroke-width="14"/>'
        '<g transform="rotate(-30 420 250)"><rect x="380" y="234" width="80" height="32" rx="16" fill="{w}"/>'
        '<path d="M420 234h24a16 16 0 0 1 0 32h-24z" fill="#d9452b"/></g>'
        '<g transform="rotate(20 420 170)"><rect x="390" y="156" width="64" height="26" rx="13" fill="{w}"/>'
        '<path d="M422 156h19a13 13 0 0 1 0 26h-19z" fill="#e8a52a"/></g>'
    ),
    "soap": (
        '<rect x="196" y="196" width="220" height="100" rx="30" fill="{w}"/>'
        '<rect x="216" y="186" width="180" height="60" rx="24" fill="{l}"/>'
        '<path d="M272 212c0-10 6-12 12-12m28 0c6 0 12 2 12 12" fill="none" stroke="{w}" stroke-width="5"/>'
        '<g fill="none" stroke="{w}" stroke-width="4"><circle cx="236" cy="136" r="26"/><circle cx="296" cy="100" r="18"/>'
        '<circle cx="354" cy="140" r="32"/><circle cx="414" cy="96" r="14"/></g>'
        '<g fill="{w}" opacity=".8"><circle cx="228" cy="128" r="5"/><circle cx="344" cy="130" r="6"/></g>'
    ),
    "pearl": (
        '<path d="M166 232c0-90 64-150 134-150s134 60 134 150z" fill="{l}"/>'
        '<g fill="none" stroke="{w}" stroke-width="5" opacity=".8">'
        '<path d="M300 90v138M240 104l32 124M360 104l-32 124M196 150l64 80M404 150l-64 80"/></g>'
        '<path d="M166 232h268c-10 50-70 68-134 68s-124-18-134-68z" fill="{w}"/>'
        '<circle cx="300" cy="226" r="42" fill="url(#{p}p)"/>'
        '<ellipse cx="286" cy="210" rx="12" ry="8" fill="#fff" transform="rotate(-35 286 210)"/>'
    ),
    "textile": (
        '<path d="M250 120c0-50 100-50 100 0" fill="none" stroke="{d}" stroke-width="10"/>'
        '<path d="M206 120h188l16 160q2 16-14 16H204q-16 0-14-16z" fill="#b23a48"/>'
        '<g fill="none" stroke="#f2c84b" stroke-width="6">'
        '<path d="M204 160h192M200 250h200"/><path d="M210 204l22-22 22 22 22-22 22 22 22-22 22 22 22-22 22 22 22-22 22 22"/></g>'
        '<g fill="#2f4f9a">' + "".join(f'<polygon points="{x},218 {x + 10},230 {x},242 {x - 10},230"/>' for x in range(232, 380, 44)) +
        '</g><path d="M200 276h200" stroke="{w}" stroke-width="6" stroke-dasharray="6 8"/>'
    ),
    "bonsai": (
        '<path d="M216 246h168l-16 50H232z" fill="{d}"/><rect x="204" y="236" width="192" height="16" rx="6" fill="{c}"/>'
        '<path d="M300 240c-10-30 20-50 0-80s30-50 10-70" fill="none" stroke="#7a4a2a" stroke-width="16" stroke-linecap="round"/>'
        '<g fill="{w}"><ellipse cx="250" cy="150" rx="56" ry="26"/><ellipse cx="352" cy="108" rx="62" ry="28"/>'
        '<ellipse cx="300" cy="70" rx="40" ry="20"/></g>'
        '<g fill="{l}"><ellipse cx="256" cy="158" rx="40" ry="14"/><ellipse cx="356" cy="116" rx="44" ry="14"/></g>'
    ),
    "fish": (
        '<path d="M190 190c40-70 160-76 210-10-50 66-170 60-210 10z" fill="#f08a3c"/>'
        '<path d="M396 180l60-50-16 50 16 50z" fill="#f4a862"/>'
        '<path d="M280 126c20-30 60-32 80-12-30 0-50 6-60 20zM290 246c14 20 40 24 56 12-20-2-34-8-40-18z" fill="#f4a862"/>'
        '<circle cx="236" cy="178" r="10" fill="{w}"/><circle cx="236" cy="178" r="5" fill="{d}"/>'
        '<path d="M300 160q10 20 0 40M330 160q10 20 0 40" fill="none" stroke="#f9c79a" stroke-width="5"/>'
        '<g fill="none" stroke="{w}" stroke-width="4"><circle cx="190" cy="120" r="10"/><circle cx="170" cy="84" r="7"/></g>'
        '<path d="M160 286q35-14 70 0t70 0 70 0 70 0" fill="none" stroke="{w}" stroke-width="5" opacity=".6"/>'
    ),
}

#: The older sector drawings that still say what a set holds.
DRAWN_BY_FUNCTION = {"essential_oil": _herb, "craft": _craft, "flower": _flower, "tourism": _tourism}

#: What each of the 26 OCOP product sets (QĐ 148/QĐ-TTg) is drawn as: one subject per set, none shared.
SET_SUBJECTS = {
    1: "fruit", 2: "meat", 3: "rice", 4: "honey", 5: "instant", 6: "rice_cake", 7: "basket", 8: "squid_cake",
    9: "fish_sauce", 10: "spice", 11: "tea", 12: "herbal_tea", 13: "coffee", 14: "spirit", 15: "wine", 16: "water",
    17: "juice", 18: "capsules", 19: "soap", 20: "essential_oil", 21: "craft", 22: "textile", 23: "flower",
    24: "bonsai", 25: "fish", 26: "tourism",
}

#: Words in a product's Vietnamese name that name a better subject than its set does, tried in this order
#: ("Nấm đùi gà" is a mushroom, not a chicken; "Trứng vịt" eggs, not a duck; "Chả mực" squid cakes).
NAME_SUBJECTS = tuple((re.compile(rf"(?<!\w){word}(?!\w)"), subject) for word, subject in (
    ("ngọc trai", "pearl"), ("nấm", "mushroom"), ("trứng", "eggs"), ("chả", "squid_cake"), ("mực", "squid"),
    ("cua", "crab"), ("gà", "poultry"), ("vịt", "poultry"), ("miến", "glass_noodles"),
))

#: What the alt text says each drawing shows.
SUBJECT_LABELS = {
    "fruit": _l("fruit"), "mushroom": _l("mushrooms"), "meat": _l("meat"), "eggs": _l("eggs"),
    "poultry": _l("poultry"), "crab": _l("crab"), "rice": _l("rice"), "honey": _l("honey"),
    "instant": _l("instant noodles"), "rice_cake": _l("rice cake"), "glass_noodles": _l("glass noodles"),
    "basket": _l("fruit and nut products"), "squid_cake": _l("squid cakes"), "squid": _l("squid"),
    "fish_sauce": _l("fish sauce"), "spice": _l("spices"), "tea": _l("tea leaves"), "herbal_tea": _l("herbal tea"),
    "coffee": _l("coffee"), "spirit": _l("rice spirit"), "wine": _l("fruit or herbal wine"), "water": _l("bottled water"),
    "juice": _l("soft drink"), "capsules": _l("health products"), "soap": _l("herbal soap"),
    "essential_oil": _l("essential oil"), "craft": _l("handicraft"), "pearl": _l("pearl"), "textile": _l("woven bag"),
    "flower": _l("flowers"), "bonsai": _l("ornamental plant"), "fish": _l("ornamental fish"), "tourism": _l("Hạ Long landscape"),
}


def subject_of(set_no: int | None, name: str) -> str:
    """The drawing that tells this product apart: a word of its name, else its product set; "" for neither."""
    folded = nfc(name or "").lower()
    for word, subject in NAME_SUBJECTS:
        if word.search(folded):
            return subject
    return SET_SUBJECTS.get(set_no or 0, "")


def illustration_alt(product) -> str:
    """Alt text that says the picture is drawn, and what it shows: "Illustration: honey"."""
    subject = subject_of(product.category.set_no, product.name)
    if subject not in SUBJECT_LABELS:
        return str(_l("Illustration: %(subject)s", subject=product.t("name")))
    return str(_l("Illustration: %(subject)s", subject=SUBJECT_LABELS[subject]))


def _drawing(subject: str, sector: str, c: dict[str, str], v: int, pid: str) -> str:
    if subject in DRAWINGS:
        return DRAWINGS[subject].format(p=pid, **c)
    draw = DRAWN_BY_FUNCTION.get(subject) or MOTIFS.get(sector, _mark)
    return draw(c, v).replace("{p}", pid)


def product_svg(name: str, sector_code: str, colour: str, subtitle: str = "", seed: str = "", subject: str = "") -> str:
    """Return a standalone 600×450 SVG picture for a product: its subject (or sector motif), tinted background, name band."""
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
    motif = _drawing(subject, sector, c, h[23], pid)
    drawn = subject in DRAWINGS or subject in DRAWN_BY_FUNCTION
    if subject != "tourism" if drawn else sector in MOTIFS and sector != "VI":
        # Objects stand on a soft shadow, a little smaller than drawn; a landscape has none.
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
