"""One row per office action, written in the same transaction as the action and never changed."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import JSON, DateTime, String, func
from sqlalchemy.orm import Mapped, mapped_column

from shop.extensions import db


class AuditEntry(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), index=True)
    # No foreign key on purpose: the entry outlives the account (an erased or merged user keeps
    # their past actions), and the table is append-only, so a SET NULL could not run anyway.
    actor_id: Mapped[int | None] = mapped_column(index=True)
    #: Who acted, as they were named then ("system" for a command run without a user).
    actor_label: Mapped[str] = mapped_column(String(254), default="")
    #: What was done, dotted, e.g. "producer.bank_account.changed", "product.approved".
    action: Mapped[str] = mapped_column(String(80), index=True)
    #: The changed record: its kind ("producer", "order", …), its id and a readable label.
    target_kind: Mapped[str] = mapped_column(String(40), index=True)
    target_id: Mapped[str] = mapped_column(String(40), default="")
    target_label: Mapped[str] = mapped_column(String(200), default="")
    #: Only the fields that changed, as plain JSON values; empty for an action without fields.
    before: Mapped[dict] = mapped_column(JSON, default=dict)
    after: Mapped[dict] = mapped_column(JSON, default=dict)
    note: Mapped[str] = mapped_column(String(500), default="")
