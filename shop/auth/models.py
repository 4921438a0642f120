"""People who use the shop: customers, producers' users, sales-point staff, the OCOP office."""
from __future__ import annotations

import datetime as dt
import enum
import hashlib
import hmac
import re

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String, event, func, inspect
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates
from werkzeug.security import check_password_hash, generate_password_hash

from shop.clock import aware, now
from shop.extensions import db, login_manager
from shop.text import fold


class Role(enum.StrEnum):
    CUSTOMER = "customer"  #: buys; sees only their own orders
    PRODUCER = "producer"  #: works for one producer; sees only its parts, products and stock
    STAFF = "staff"  #: works at one sales point; sees only that point
    ADMIN = "admin"  #: the provincial OCOP office


class User(UserMixin, db.Model):
    """An account. Guests buy without one; their orders are reached by a secret token."""

    __table_args__ = (
        CheckConstraint("role <> 'producer' OR producer_id IS NOT NULL", name="producer_user_has_producer"),
        CheckConstraint("role <> 'staff' OR sales_point_id IS NOT NULL", name="staff_user_has_sales_point"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    #: Stored lower-case, so "An@Example.vn" and "an@example.vn" are one account.
    email: Mapped[str] = mapped_column(String(254), unique=True)
    password_hash: Mapped[str] = mapped_column(String(255), default="")
    name: Mapped[str] = mapped_column(String(120), default="")
    #: The name without marks, lower-case (text.fold): the office finds "Nguyễn Thị Lan" by typing "nguyen thi lan".
    name_folded: Mapped[str] = mapped_column(String(120), default="", server_default="", index=True)
    #: E.164, e.g. +84912345678.
    phone: Mapped[str] = mapped_column(String(20), default="")
    language: Mapped[str] = mapped_column(String(5), default="vi")
    role: Mapped[Role] = mapped_column(String(20), default=Role.CUSTOMER)
    producer_id: Mapped[int | None] = mapped_column(ForeignKey("producer.id"), index=True)
    sales_point_id: Mapped[int | None] = mapped_column(ForeignKey("sales_point.id"), index=True)
    is_active: Mapped[bool] = mapped_column(default=True)
    marketing_consent: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    last_login_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    #: Part of every login's id: raising it ends every session and remember-me cookie at once. It rises by
    #: itself when the password, the role or the active flag changes (see _end_sessions_on_change).
    session_version: Mapped[int] = mapped_column(default=1, server_default="1")

    addresses: Mapped[list[Address]] = relationship(back_populates="user", cascade="all, delete-orphan",
                                                    order_by="Address.id")

    @validates("name")
    def _fold_name(self, _key: str, name: str) -> str:
        self.name_folded = fold(name or "")[:120]
        return name

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)

    #: The login this object was loaded for or logged in with, as (Login.id, secret); never stored.
    login_key = None

    def get_id(self) -> str:
        """What the session and the remember-me cookie hold: user, session version, login and its secret."""
        if self.login_key is None:
            return f"{self.id}:{self.session_version}"  # opens nothing: the loader needs a login
        login_id, secret = self.login_key
        return f"{self.id}:{self.session_version}:{login_id}:{secret}"


class Address(db.Model):
    """A saved delivery address, in Vietnam's two-level form (province, then ward or commune)."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    recipient_name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(20))
    province_code: Mapped[str] = mapped_column(String(2))
    province_name: Mapped[str] = mapped_column(String(80))
    #: Five-digit code when the ward is chosen from the list (Quảng Ninh); empty otherwise.
    ward_code: Mapped[str] = mapped_column(String(5), default="")
    ward_name: Mapped[str] = mapped_column(String(120))
    line: Mapped[str] = mapped_column(String(255))
    is_default: Mapped[bool] = mapped_column(default=False)

    user: Mapped[User] = relationship(back_populates="addresses")

    def one_line(self) -> str:
        return ", ".join(p for p in (self.line, self.ward_name, self.province_name) if p)


class Login(db.Model):
    """One login on one device: its session and its remember-me cookie end when this row goes or expires."""

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), index=True)
    #: SHA-256 of the secret the cookies hold: a copy of the database opens no session.
    secret_hash: Mapped[str] = mapped_column(String(64))
    #: "Remember me" was ticked: the remember-me cookie may bring the session back until expires_at.
    remember: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    #: Checked on every request, whatever the cookie says about its own age.
    expires_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), index=True)

    user: Mapped[User] = relationship()

    @staticmethod
    def hash_secret(secret: str) -> str:
        return hashlib.sha256(secret.encode()).hexdigest()

    def opens_with(self, secret: str) -> bool:
        return hmac.compare_digest(self.secret_hash, self.hash_secret(secret)) and aware(self.expires_at) > now()


#: "<user id>:<session version>:<login id>:<secret>", each id at most 18 digits (fits every database's integer).
_LOGIN_ID = re.compile(r"(\d{1,18}):(\d{1,18}):(\d{1,18}):([A-Za-z0-9_-]{20,100})")


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    """The user a session or remember-me cookie stands for, while its login lasts; else None."""
    match = _LOGIN_ID.fullmatch(user_id or "")
    if match is None:
        return None
    uid, version, login_id, secret = int(match[1]), int(match[2]), int(match[3]), match[4]
    login = db.session.get(Login, login_id)
    if login is None or login.user_id != uid or not login.opens_with(secret):
        return None
    user = login.user
    if not user.is_active or user.session_version != version:
        return None
    user.login_key = (login.id, secret)
    return user


@event.listens_for(User.password_hash, "set", active_history=True)
@event.listens_for(User.role, "set", active_history=True)
@event.listens_for(User.is_active, "set", active_history=True)
def _end_sessions_on_change(user: User, value, old, _initiator) -> None:
    """A new password, another role or a disabled account ends every session of a stored user."""
    if inspect(user).persistent and value != old and user.session_version is not None:
        user.session_version += 1
