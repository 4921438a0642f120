"""Odd input stops at the door: ids out of the database's range and control characters never reach a query.

PostgreSQL's INTEGER ends at 2³¹−1 and SQLite's at 2⁶³−1; psycopg refuses any text holding a NUL byte.
Either would turn a typo or a probe into a server error. Ids in URLs are range-checked by the `int`
converter (out of range is simply "not found"), ids in forms by `parse_id`, and every query argument,
form field, path and cookie with a control character is refused with a clear message.
"""
from __future__ import annotations

import re

from flask import Flask, request
from flask_babel import lazy_gettext as _l
from werkzeug.exceptions import BadRequest
from werkzeug.routing import IntegerConverter

#: The largest id any table may hold: PostgreSQL's INTEGER, the smaller of the two databases' limits.
MAX_ID = 2**31 - 1

# C0 controls and DEL, except tab, line feed and carriage return (a textarea sends those).
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")

_FORM_TYPES = frozenset({"application/x-www-form-urlencoded", "multipart/form-data"})


class IdConverter(IntegerConverter):
    """`<int:…>` in a URL: a positive id no larger than MAX_ID, else the route does not match (404)."""

    def __init__(self, map, fixed_digits=0, min=None, max=MAX_ID, signed=False):
        super().__init__(map, fixed_digits=fixed_digits, min=min, max=max, signed=signed)


class ControlCharacters(BadRequest):
    """A request with a NUL byte or another control character in its text."""

    explanation = _l("Your request contained an invisible control character (for example a NUL byte). "
                     "Please remove it and try again.")


def parse_id(value) -> int | None:
    """An id typed or posted as text, or None when it is not one the database could hold."""
    text = str(value or "").strip()
    if not (text.isascii() and text.isdigit()) or len(text) > 10:
        return None
    number = int(text)
    return number if 0 < number <= MAX_ID else None


def has_control_characters(text: str) -> bool:
    return bool(_CONTROL.search(text))


def refuse_control_characters() -> None:
    """Refuse a request whose path, query, headers, form or cookies hold a control character (400)."""
    texts = [request.path]
    texts += [item for pair in request.args.items(multi=True) for item in pair]
    texts += [item for pair in request.cookies.items(multi=True) for item in pair]
    # Header values (Host, X-Forwarded-*, Accept-Language, User-Agent…): HTTP allows no control character
    # in them but tab, yet a lenient server or proxy may pass one on to links, logs or stored login rows.
    texts += [value for _name, value in request.headers.items()]
    # Only form bodies are read here: a webhook's JSON body stays untouched for its signature check.
    if request.method == "POST" and request.mimetype in _FORM_TYPES:
        texts += [item for pair in request.form.items(multi=True) for item in pair]
        texts += [file.filename or "" for file in request.files.values()]
    if any(has_control_characters(text) for text in texts):
        raise ControlCharacters()


def init_app(app: Flask) -> None:
    """Range-check URL ids (before any blueprint adds its routes) and refuse control characters."""
    app.url_map.converters["int"] = IdConverter
    app.before_request(refuse_control_characters)
