"""Write an audit entry inside the caller's transaction."""
from __future__ import annotations

import datetime as dt
import enum
import re
from decimal import Decimal
from typing import Any

from shop.audit.models import AuditEntry
from shop.extensions import db

_KIND = re.compile(r"(?<!^)(?=[A-Z])")


def record_change(actor: Any, action: str, target: Any, *, before: dict | None = None,
                  after: dict | None = None, note: str = "") -> AuditEntry:
    """Add one audit entry for `actor` doing `action` to `target`; the caller's use case commits it.

    `actor` is a user (anything with `id` and `email`), or None for a command run by the system.
    Only the fields whose values differ between `before` and `after` are kept, so an entry reads as
    "what changed"; a field present on one side only is kept as it is.
    """
    before, after = _plain(before or {}), _plain(after or {})
    if before and after:
        changed = {key for key in before.keys() | after.keys() if before.get(key) != after.get(key)}
        before = {key: value for key, value in before.items() if key in changed}
        after = {key: value for key, value in after.items() if key in changed}
    entry = AuditEntry(
        actor_id=getattr(actor, "id", None),
        actor_label=_actor_label(actor),
        action=action,
        target_kind=_KIND.sub("_", type(target).__name__).lower(),
        target_id=str(getattr(target, "id", "") or ""),
        target_label=_target_label(target)[:200],
        before=before, after=after, note=note[:500],
    )
    db.session.add(entry)
    return entry


def _actor_label(actor: Any) -> str:
    if actor is None:
        return "system"
    name, email = getattr(actor, "name", "") or "", getattr(actor, "email", "") or ""
    return f"{name} <{email}>" if name and email else (email or name or f"#{getattr(actor, 'id', '?')}")


def _target_label(target: Any) -> str:
    for attribute in ("number", "name", "email", "code", "label"):
        value = getattr(target, attribute, None)
        if isinstance(value, str) and value:
            return value
    return f"#{getattr(target, 'id', '')}"


def _plain(values: dict) -> dict:
    return {str(key): _plain_value(value) for key, value in values.items()}


def _plain_value(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, (dt.date, dt.datetime, dt.time)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (list, tuple, set)):
        return [_plain_value(item) for item in value]
    if isinstance(value, dict):
        return _plain(value)
    return value
