"""Settings: defaults → instance/config.py → SHOP_* environment → test config."""
from __future__ import annotations

import os

from flask import Flask

#: The development secret; a production config that still uses it refuses to start.
DEV_SECRET_KEY = "dev-only-not-secret"


class Defaults:
    #: development | production | testing; production turns on the safety checks below.
    ENV = "development"
    SECRET_KEY = DEV_SECRET_KEY
    DEBUG = False
    #: None means instance/shop.sqlite3.
    SQLALCHEMY_DATABASE_URI: str | None = None
    SQLALCHEMY_ENGINE_OPTIONS: dict = {}
    SQLALCHEMY_RECORD_QUERIES = False
    BABEL_DEFAULT_LOCALE = "vi"
    BABEL_DEFAULT_TIMEZONE = "Asia/Ho_Chi_Minh"
    LANGUAGES = ["vi", "en", "zh", "ko"]
    #: Cookie that remembers the language chosen with ?lang=.
    LANGUAGE_COOKIE = "lang"
    PRODUCTS_PER_PAGE = 24
    #: Rate-limit counters: memory:// on one machine, redis://… with several hosts.
    RATELIMIT_STORAGE_URI = "memory://"
    RATELIMIT_HEADERS_ENABLED = True
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    SESSION_COOKIE_SECURE = False
    #: Shown in the footer and on policy pages (Decree 52/2013 as amended).
    OPERATOR_NAME = "Trung tâm Xúc tiến thương mại OCOP Quảng Ninh (demo)"
    OPERATOR_ADDRESS = "Đường Trần Quốc Nghiễn, Phường Hạ Long, Tỉnh Quảng Ninh"
    OPERATOR_PHONE = "0203 3 000 000"
    OPERATOR_EMAIL = "lienhe@ocop-quangninh.example"
    OPERATOR_TAX_CODE = "5700000000"
    #: Absolute origin used in sitemap.xml and canonical links when behind a proxy.
    PUBLIC_URL: str | None = None
    #: Max-age of the generated product artwork, in seconds.
    ARTWORK_MAX_AGE = 7 * 24 * 3600


class UnsafeConfig(RuntimeError):
    """The production configuration would run with a known secret or the debugger."""


def load_config(app: Flask, test_config: dict | None = None) -> None:
    """Fill app.config in order and refuse an unsafe production setup."""
    app.config.from_object(Defaults)
    app.config.from_pyfile("config.py", silent=True)
    app.config.from_prefixed_env("SHOP")
    if test_config:
        app.config.update(test_config)
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        os.makedirs(app.instance_path, exist_ok=True)
        path = os.path.join(app.instance_path, "shop.sqlite3")
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{path}"
    check_production_safety(app.config)


def check_production_safety(config) -> None:
    """Raise UnsafeConfig when production would run with the dev secret or debug on."""
    if config.get("ENV") != "production":
        return
    problems = []
    if not config.get("SECRET_KEY") or config["SECRET_KEY"] == DEV_SECRET_KEY or len(config["SECRET_KEY"]) < 32:
        problems.append("SHOP_SECRET_KEY must be set to a random value of at least 32 characters")
    if config.get("DEBUG"):
        problems.append("SHOP_DEBUG must be off")
    if problems:
        raise UnsafeConfig("Refusing to start in production: " + "; ".join(problems))
