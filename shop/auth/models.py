"""People who use the shop: customers, producers' users, sales-point staff, the OCOP office."""
from __future__ import annotations

import datetime as dt
import enum

from flask import current_app
from flask_login import UserMixin
from sqlalchemy import CheckConstraint, DateTime, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship
from werkzeug.security import check_password_hash, generate_password_hash

from shop.extensions import db, login_manager


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

    addresses: Mapped[list[Address]] = relationship(back_populates="user", cascade="all, delete-orphan",
                                                    order_by="Address.id")

    def set_password(self, password: str) -> None:
        self.password_hash = generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])

    def check_password(self, password: str) -> bool:
        return bool(self.password_hash) and check_password_hash(self.password_hash, password)


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


@login_manager.user_loader
def load_user(user_id: str) -> User | None:
    user = db.session.get(User, int(user_id)) if user_id.isdigit() else None
    return user if user is not None and user.is_active else None
