"""Logins that can be ended: one Login row per device, named with a secret in the session cookie.

The session and the remember-me cookie hold "<user>:<session version>:<login>:<secret>" (User.get_id);
the loader in models.py opens them only while the row lasts and the version matches. Logging out deletes
the row, so a copied cookie stops working; raising the version ends every login of the user at once.
"""
from __future__ import annotations

import datetime as dt
import secrets

from flask import current_app, session
from flask_login import current_user, login_user, logout_user
from sqlalchemy import delete

from shop.auth.models import Login, User
from shop.clock import now
from shop.extensions import begin_write, db


def _lifetime(remember: bool) -> dt.timedelta:
    seconds = current_app.config["REMEMBER_COOKIE_DURATION" if remember else "LOGIN_MAX_AGE"]
    return seconds if isinstance(seconds, dt.timedelta) else dt.timedelta(seconds=seconds)


def log_in(user: User, *, remember: bool = False) -> None:
    """Start a new login of this user on this device; with `remember`, a remember-me cookie of its own."""
    begin_write()
    started = now()
    # Logins that have run out (anyone's: some people never come back) are cleared as a new one starts.
    db.session.execute(delete(Login).where(Login.expires_at <= started))
    secret = secrets.token_urlsafe(32)
    login = Login(user_id=user.id, secret_hash=Login.hash_secret(secret), remember=remember,
                  created_at=started, expires_at=started + _lifetime(remember))
    db.session.add(login)
    user.last_login_at = started
    db.session.commit()
    user.login_key = (login.id, secret)
    login_user(user, remember=remember)


def log_out() -> None:
    """End this device's login: its row, the whole session (checkout details too) and the remember-me cookie."""
    key = current_user.login_key if current_user.is_authenticated else None
    if key is not None:
        begin_write()
        db.session.execute(delete(Login).where(Login.id == key[0]))
        db.session.commit()
    session.clear()
    logout_user()  # after clear(): it leaves the note that deletes the remember-me cookie


def _end_logins(user: User, keep: Login | None = None) -> None:
    """Raise the user's session version and delete their logins but `keep`; the caller commits."""
    user.session_version += 1
    others = delete(Login).where(Login.user_id == user.id)
    if keep is not None:
        others = others.where(Login.id != keep.id)
    db.session.execute(others)


def end_logins(user: User) -> None:
    """End every login of this user (sessions and remember-me cookies) in the caller's transaction."""
    _end_logins(user)


def log_out_other_devices(user: User) -> None:
    """End every other login of this user (sessions and remember-me cookies); this device stays logged in."""
    begin_write()
    this_login = db.session.get(Login, user.login_key[0]) if user.login_key else None
    _end_logins(user, keep=this_login)
    db.session.commit()
    if this_login is not None:
        # The session and the remember-me cookie carry the new version.
        login_user(user, remember=this_login.remember)


def log_out_everywhere(user: User, *, disable: bool = False) -> None:
    """End every login of this user, e.g. for a lost desk tablet; with `disable`, the account stops working too."""
    begin_write()
    _end_logins(user)
    if disable:
        user.is_active = False
    db.session.commit()
