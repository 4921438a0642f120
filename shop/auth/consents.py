"""Consents under Decree 13/2023/ND-CP: one row per purpose, each time a person says yes or no.

A row keeps who (account and/or order, and the e-mail given), for what purpose, the answer, when, where
(registration, checkout, account page) and under which version of the privacy notice (PRIVACY_NOTICE_VERSION).
Rows are only added: the latest row of a purpose is the person's current answer, the earlier ones are the
proof of what held when.
"""
from __future__ import annotations

import datetime as dt
import enum

from flask import current_app
from sqlalchemy import DateTime, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from shop.clock import now
from shop.extensions import db


class Purpose(enum.StrEnum):
    PERSONAL_DATA = "personal_data"  #: name, phone, e-mail, address processed to run the account and fulfil orders
    MARKETING_EMAIL = "marketing_email"  #: news and offers by e-mail (optional)
    MARKETING_SMS = "marketing_sms"  #: news and offers by SMS (optional; not asked until SMS are sent)


class Source(enum.StrEnum):
    REGISTRATION = "registration"  #: the registration form
    CHECKOUT = "checkout"  #: the review step of checkout, for that order
    ACCOUNT = "account"  #: changed later on the account page


class Consent(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    order_id: Mapped[int | None] = mapped_column(ForeignKey("order.id", ondelete="SET NULL"), index=True)
    #: The address the person gave (blanked when their data is erased; the row stays as proof of the answer).
    email: Mapped[str] = mapped_column(String(254), default="", index=True)
    purpose: Mapped[Purpose] = mapped_column(String(30))
    granted: Mapped[bool]
    source: Mapped[Source] = mapped_column(String(20))
    #: PRIVACY_NOTICE_VERSION at the time: which text the person read.
    notice_version: Mapped[str] = mapped_column(String(20))
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))


def record(purpose: Purpose, granted: bool, source: Source, *, email: str, user_id: int | None = None,
           order_id: int | None = None, at: dt.datetime | None = None) -> Consent:
    """Add one answer to the session (the caller's use case commits)."""
    consent = Consent(purpose=purpose, granted=bool(granted), source=source, email=email, user_id=user_id,
                      order_id=order_id, notice_version=current_app.config["PRIVACY_NOTICE_VERSION"],
                      recorded_at=at or now())
    db.session.add(consent)
    return consent
