"""The e-mails about an account: a password reset link, an invitation to choose one."""
from __future__ import annotations

from dataclasses import dataclass

from flask import current_app
from flask_babel import gettext as _

from shop.auth.models import User
from shop.notifications.messages import Envelope, InvalidMessage, Message, require_text, require_url


@dataclass(frozen=True, kw_only=True)
class PasswordReset(Message, kind="password_reset"):
    name: str | None
    reset_url: str
    expires_minutes: int

    def __post_init__(self) -> None:
        require_url(self.reset_url, "reset_url")
        _require_minutes(self.expires_minutes)

    def subject(self) -> str:
        return _("Reset your OCOP Quảng Ninh password")


@dataclass(frozen=True, kw_only=True)
class UserInvite(Message, kind="user_invite"):
    name: str | None
    #: The role's name in the invitee's language.
    role: str
    set_password_url: str
    expires_minutes: int

    def __post_init__(self) -> None:
        require_text(self.role, "user_invite role")
        require_url(self.set_password_url, "set_password_url")
        _require_minutes(self.expires_minutes)

    def subject(self) -> str:
        return _("You are invited to the OCOP Quảng Ninh shop")


@dataclass(frozen=True, kw_only=True)
class Registration(Message, kind="registration"):
    """The answer to a registration, sent to the address: a new account, or one it already had.

    The page answers the same either way, so only the owner of the address learns which.
    """
    name: str | None
    already_registered: bool
    login_url: str
    #: Only for an address that already had an account (the owner may have forgotten the password).
    reset_url: str | None = None

    def __post_init__(self) -> None:
        require_url(self.login_url, "login_url")
        if self.already_registered:
            require_url(self.reset_url, "reset_url")

    def subject(self) -> str:
        return _("Your OCOP Quảng Ninh account")


def _require_minutes(value) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        raise InvalidMessage(f"expires_minutes must be a whole number of minutes, 1 or more, got {value!r}")


def _link_minutes() -> int:
    return max(1, current_app.config["PASSWORD_RESET_MAX_AGE"] // 60)


def password_reset(user: User, reset_url: str, fingerprint: str) -> Envelope:
    """The reset link for one token; fingerprint tells tokens apart, so each request is sent once."""
    return Envelope(PasswordReset(name=user.name, reset_url=reset_url, expires_minutes=_link_minutes()),
                    user.email, user.language, f"password_reset:{user.id}:{fingerprint}")


def user_invite(user: User, role_label: str, set_password_url: str) -> Envelope:
    return Envelope(UserInvite(name=user.name, role=role_label, set_password_url=set_password_url,
                               expires_minutes=_link_minutes()),
                    user.email, user.language, f"user_invite:{user.id}")


def registration(user: User, already_registered: bool, login_url: str, reset_url: str | None, attempt: str) -> Envelope:
    """What the owner of an address reads after a registration with it; attempt tells the sends apart."""
    return Envelope(Registration(name=user.name, already_registered=already_registered, login_url=login_url,
                                 reset_url=reset_url),
                    user.email, user.language, f"registration:{user.id}:{attempt}")
