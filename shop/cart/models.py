"""The cart, kept on the server and found by a cookie token (or by its owner once logged in)."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, CheckConstraint, DateTime, ForeignKey, String, UniqueConstraint, func
from sqlalchemy.orm import Mapped, mapped_column, relationship

from shop.extensions import db


class Cart(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    #: Random, URL-safe; the cookie holds it. Knowing it is owning the cart.
    token: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="CASCADE"), unique=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(),
                                                    onupdate=func.now())
    #: The checkout steps' answers (contact, delivery, payment) until the order is placed: kept here, on the
    #: server, never in the session cookie (a readable cookie would carry the phone and address around).
    checkout: Mapped[dict | None] = mapped_column(JSON)

    lines: Mapped[list[CartLine]] = relationship(back_populates="cart", cascade="all, delete-orphan",
                                                 order_by="CartLine.id")


class CartLine(db.Model):
    """How many of one variant; prices are never stored here, they are read again at checkout."""

    __table_args__ = (
        UniqueConstraint("cart_id", "variant_id", name="uq_cart_line_variant"),
        CheckConstraint("quantity > 0", name="quantity_positive"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cart_id: Mapped[int] = mapped_column(ForeignKey("cart.id", ondelete="CASCADE"), index=True)
    variant_id: Mapped[int] = mapped_column(ForeignKey("variant.id", ondelete="CASCADE"), index=True)
    quantity: Mapped[int]

    cart: Mapped[Cart] = relationship(back_populates="lines")
    variant = relationship("Variant")
