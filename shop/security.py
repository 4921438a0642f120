"""Security headers on every response, and Secure cookies in production.

A few lines of our own rather than Flask-Talisman: the shop needs one fixed policy (no inline script,
no framing, no Referer leaving the site), a rule for which pages are personal, and nothing else; a
dependency that rewrites cookies and redirects would be more to audit than this module.
"""
from __future__ import annotations

import os
from urllib.parse import urlsplit

from flask import Flask, current_app, request
from flask_login import current_user

#: Scripts only from our own files (no inline script, no eval); inline style attributes stay allowed,
#: as they cannot run code. Images may be data: URIs (QR codes). No plugins, no <base> tricks, no framing.
#: Forms post only to the shop, and to Stripe's payment page when card payments are on: browsers apply
#: form-action to the redirect that answers a form too, and "Pay by card" posts to us, then 303s to Stripe.
CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'",
    "script-src 'self'",
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data:",
    "object-src 'none'",
    "base-uri 'none'",
    "frame-ancestors 'none'",
    "form-action 'self'",
])


def content_security_policy(config) -> str:
    """The policy above, opened only as far as this shop's settings need: Stripe's payment page as a
    form target when card payments are on, and the ministry's badge picture when it is an https:// one."""
    policy = CONTENT_SECURITY_POLICY
    badge = str(config.get("MOIT_BADGE_IMAGE") or "")
    if badge.startswith("https://"):
        policy = policy.replace("img-src 'self' data:", f"img-src 'self' data: {_origin(badge)}")
    if config.get("STRIPE_SECRET_KEY"):
        origins = " ".join(_origin(url) for url in config.get("STRIPE_CHECKOUT_ORIGINS", ()))
        policy = policy.replace("form-action 'self'", f"form-action 'self' {origins}".rstrip())
    return policy


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}"

#: Pages of one person or one workplace: never kept by a browser cache or a proxy.
PERSONAL_BLUEPRINTS = frozenset({"auth", "account_privacy", "cart", "checkout", "orders", "payments", "producer", "desk", "admin"})

#: One year; only ever sent in production, where the shop is served over https.
HSTS = "max-age=31536000"


#: Files the shop writes (the SQLite database, uploads, backups, compiled catalogs, e-mail files) are readable
#: by the shop's own user only: 0600 for files, 0700 for directories.
PRIVATE_UMASK = 0o077


def keep_files_private(instance_path: str) -> None:
    """Every file and directory this process creates from now on is its user's only; so is the instance folder."""
    os.umask(PRIVATE_UMASK)
    if os.path.isdir(instance_path) and os.stat(instance_path).st_uid == os.getuid():
        os.chmod(instance_path, 0o700)


def init_app(app: Flask) -> None:
    """Send the security headers, and mark the login cookies Secure in production."""
    if app.config.get("ENV") == "production":
        app.config["SESSION_COOKIE_SECURE"] = True
        app.config["REMEMBER_COOKIE_SECURE"] = True
    app.after_request(add_security_headers)


def cookie_secure() -> bool:
    """Whether a cookie the shop sets is Secure: always in production (served over https, where init_app
    marks the login cookies Secure), and whenever this request itself came over https."""
    return bool(current_app.config.get("SESSION_COOKIE_SECURE")) or request.is_secure


def add_security_headers(response):
    """Set the site-wide headers, and no-store on personal pages."""
    headers = response.headers
    headers.setdefault("Content-Security-Policy", content_security_policy(current_app.config))
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("X-Content-Type-Options", "nosniff")
    # Order pages carry their access token in the URL: it must never leave in a Referer to another site.
    # A page that asks for no-referrer keeps its stricter choice.
    headers.setdefault("Referrer-Policy", "same-origin")
    if current_app.config.get("ENV") == "production":
        headers.setdefault("Strict-Transport-Security", HSTS)
    if is_personal(response):
        headers["Cache-Control"] = "private, no-store"
    return response


def is_personal(response) -> bool:
    """A page that shows one person's data: a personal blueprint's, or any page seen while logged in."""
    if request.blueprint in PERSONAL_BLUEPRINTS:
        return True
    # The header of every page names the logged-in user; public files (pictures, CSS) stay cacheable.
    return response.mimetype == "text/html" and current_user.is_authenticated
