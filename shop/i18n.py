"""Languages: which one a request uses, and translated fields on records."""
from __future__ import annotations

from flask import current_app, has_request_context, request
from flask_babel import get_locale
from sqlalchemy import JSON
from sqlalchemy.ext.mutable import MutableDict
from sqlalchemy.orm import Mapped, mapped_column


def select_locale() -> str:
    """?lang= first, then the remembered cookie, then the browser's wish among ours, else vi."""
    languages = current_app.config["LANGUAGES"]
    if not has_request_context():  # CLI commands and workers: the default, or a forced locale
        return current_app.config["BABEL_DEFAULT_LOCALE"]
    for candidate in (request.args.get("lang"), request.cookies.get(current_app.config["LANGUAGE_COOKIE"])):
        if candidate in languages:
            return candidate
    return request.accept_languages.best_match(languages) or current_app.config["BABEL_DEFAULT_LOCALE"]


def remember_language(response):
    """Keep a ?lang= choice in a cookie for a year."""
    chosen = request.args.get("lang")
    if chosen in current_app.config["LANGUAGES"] and request.cookies.get(current_app.config["LANGUAGE_COOKIE"]) != chosen:
        response.set_cookie(current_app.config["LANGUAGE_COOKIE"], chosen, max_age=365 * 24 * 3600, samesite="Lax")
    return response


def current_language() -> str:
    return str(get_locale() or current_app.config["BABEL_DEFAULT_LOCALE"])


class Translated:
    """A record whose Vietnamese text lives in columns and whose other languages live in `i18n`.

    i18n = {"en": {"name": "Binh Lieu glass noodles", "summary": "..."}, "zh": {...}, "ko": {...}}
    """

    i18n: Mapped[dict] = mapped_column(MutableDict.as_mutable(JSON), default=dict)

    def t(self, field: str) -> str:
        """The field in the current language, falling back to Vietnamese."""
        lang = current_language()
        if lang != "vi":
            value = (self.i18n or {}).get(lang, {}).get(field)
            if value:
                return value
        return getattr(self, field) or ""

    def has_translation(self, field: str) -> bool:
        lang = current_language()
        return lang == "vi" or bool((self.i18n or {}).get(lang, {}).get(field))
