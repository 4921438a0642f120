"""Languages: compiled catalogues, which one a request uses, and translated fields on records."""
from __future__ import annotations

import os

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po
from flask import Flask, current_app, has_request_context, request
from flask_babel import get_locale
from sqlalchemy import JSON
from sqlalchemy.ext.mutable import MutableDict
from sqlalchemy.orm import Mapped, mapped_column

from shop.security import cookie_secure


def compile_catalogues(source: str, target: str) -> list[str]:
    """Compile each <lang>/LC_MESSAGES/messages.po of source whose .mo in target is missing or older; return them.

    `pip install -e .` leaves the catalogues uncompiled, and gettext then silently shows English.
    Cheap when fresh: two stats per language.
    """
    compiled = []
    for language in sorted(os.listdir(source)):
        po = os.path.join(source, language, "LC_MESSAGES", "messages.po")
        mo = os.path.join(target, language, "LC_MESSAGES", "messages.mo")
        if not os.path.isfile(po) or (os.path.isfile(mo) and os.path.getmtime(mo) >= os.path.getmtime(po)):
            continue
        with open(po, "rb") as f:
            catalog = read_po(f, locale=language)
        os.makedirs(os.path.dirname(mo), exist_ok=True)
        # Workers starting together may compile at once: each writes its own file, then swaps it in whole.
        partial = f"{mo}.{os.getpid()}.partial"
        with open(partial, "wb") as f:
            write_mo(f, catalog)
        os.replace(partial, mo)
        compiled.append(language)
    return compiled


def compile_translations(app: Flask) -> None:
    """Compile the shipped catalogues at start when they are missing or stale (beside them, or in instance/)."""
    source = os.path.join(app.root_path, "translations")
    target = source if os.access(source, os.W_OK) else os.path.join(app.instance_path, "translations")
    compile_catalogues(source, target)
    app.config.setdefault("BABEL_TRANSLATION_DIRECTORIES", target)


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
    """Keep a ?lang= choice made on a page in a cookie for a year.

    Only pages set it: a drawing asked for in a language (catalog.product_image) is publicly cacheable, and a
    cache must never hand one visitor's cookie to the next.
    """
    chosen = request.args.get("lang")
    if response.mimetype != "text/html":
        return response
    if chosen in current_app.config["LANGUAGES"] and request.cookies.get(current_app.config["LANGUAGE_COOKIE"]) != chosen:
        response.set_cookie(current_app.config["LANGUAGE_COOKIE"], chosen, max_age=365 * 24 * 3600, samesite="Lax",
                            secure=cookie_secure())
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
