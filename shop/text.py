"""Vietnamese text: NFC at the boundary, folding for search, slugs, sort keys."""
from __future__ import annotations

import re
import unicodedata

_NON_WORD = re.compile(r"[^a-z0-9]+")
_WORD = re.compile(r"[^\W_]+")
_SPACES = re.compile(r"\s+")
#: Han, kana and Hangul: scripts whose words are not cut by spaces (Chinese never, Korean not inside
#: compounds such as 벌꿀), so they are searched by one- and two-character pieces instead of words.
_CJK = re.compile(r"[\u1100-\u11ff\u3040-\u30ff\u3130-\u318f\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff]+")


def nfc(text: str) -> str:
    """Return text in NFC, the one form we store and compare."""
    return unicodedata.normalize("NFC", text)


def unaccent(text: str) -> str:
    """Vietnamese without its marks, case kept: 'Đơn hàng đã sẵn sàng' → 'Don hang da san sang'."""
    decomposed = unicodedata.normalize("NFD", text)
    bare = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # đ/Đ have no canonical decomposition, so stripping marks alone leaves them.
    bare = bare.replace("đ", "d").replace("Đ", "D")
    # Recompose what NFD split apart without marks (Hangul syllables), so stored text stays compact.
    return unicodedata.normalize("NFC", bare)


def fold(text: str) -> str:
    """Fold for search: 'Miến dong Bình Liêu' (NFC or NFD) → 'mien dong binh lieu'."""
    return _SPACES.sub(" ", unaccent(text).casefold()).strip()


def search_terms(text: str) -> list[str]:
    """Folded words of a query, without punctuation, each to be found at the start of an indexed word.

    A run of Chinese or Korean characters asks for each pair of neighbours ('天然蜂蜜' → 天然, 然蜂,
    蜂蜜), or for the one character it is ('꿀'), the way CJK search engines cut text into bigrams.
    """
    return [piece for word in _WORD.findall(fold(text)) for piece in _pieces(word, unigrams=False)]


def search_document(*parts: str) -> str:
    """One line of folded words, single-spaced, to match queries word by word.

    Chinese and Korean runs are indexed as every character and every pair of neighbours, so a query
    finds '蜂蜜' inside '下龙湾天然蜂蜜' and '꿀' inside '천연꿀'.
    """
    pieces = (p for part in parts if part for w in _WORD.findall(fold(part)) for p in _pieces(w, unigrams=True))
    return " ".join(pieces)


def _pieces(word: str, unigrams: bool) -> list[str]:
    """A word as its non-CJK pieces and the characters and bigrams of its CJK runs."""
    if not _CJK.search(word):
        return [word]
    out: list[str] = []
    at = 0
    for run in _CJK.finditer(word):
        if run.start() > at:
            out.append(word[at:run.start()])
        chars = run.group()
        if unigrams or len(chars) == 1:
            out.extend(chars)
        out.extend(chars[i:i + 2] for i in range(len(chars) - 1))
        at = run.end()
    if at < len(word):
        out.append(word[at:])
    return out


def slugify(text: str) -> str:
    """'Chả mực Hạ Long' → 'cha-muc-ha-long'."""
    return _NON_WORD.sub("-", fold(text)).strip("-")


_BASE = "aăâbcdđeêfghijklmnoôơpqrstuưvwxyz"
_RANK = {c: i for i, c in enumerate(_BASE)}
_TONE = {"\u0300": 1, "\u0309": 2, "\u0303": 3, "\u0301": 4, "\u0323": 5}
_SHAPE = {
    ("a", "\u0306"): "ă", ("a", "\u0302"): "â", ("e", "\u0302"): "ê",
    ("o", "\u0302"): "ô", ("o", "\u031b"): "ơ", ("u", "\u031b"): "ư",
}


def sort_key(text: str) -> str:
    """Return digits whose plain ordering is Vietnamese alphabetical order (CLDR vi).

    Only digits, so every database collation (SQLite binary, PostgreSQL's locale) orders them alike.
    """
    primary, secondary = [], []
    for ch in nfc(text).lower():
        parts = unicodedata.normalize("NFD", ch)
        base, tone = parts[0], 0
        for mark in parts[1:]:
            if mark in _TONE:
                tone = _TONE[mark]
            elif (base, mark) in _SHAPE:
                base = _SHAPE[(base, mark)]
        if base.isspace():
            rank = 1
        elif base.isdigit():
            rank = 2 + int(base)
        elif base in _RANK:
            rank = 20 + _RANK[base]
        else:
            rank = 100 + min(ord(base), 899)
        primary.append(f"{rank:03d}")
        secondary.append(str(tone))
    # Letters decide first ("000" ends the word, so "ba" < "bao"); tones only break ties.
    return "".join(primary) + "000" + "".join(secondary)
