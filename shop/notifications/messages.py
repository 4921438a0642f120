"""What an e-mail says, typed: each kind is a frozen dataclass, checked when it is built.

Each feature defines its own kinds beside the aggregate they read (`orders/messages.py`,
`payments/messages.py`, `auth/messages.py`) as subclasses of `Message`; subclassing registers the
kind, so `KINDS` is derived from the classes and never kept by hand. A message is checked in
`__post_init__`, so a bad one fails in the use case that builds it, inside its transaction. The outbox
stores `to_payload()` as JSON; the sender calls `load()` to build the same message again and render it.
"""
from __future__ import annotations

import dataclasses
import datetime as dt
import types
import typing
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, ClassVar


class InvalidMessage(ValueError):
    """A message breaks its kind's contract: a missing field, a link that is not absolute, a negative amount…"""


#: Every kind of message, by the name the outbox stores; filled as the kinds are defined.
KINDS: dict[str, type[Message]] = {}


@dataclass(frozen=True, kw_only=True)
class Message:
    """One e-mail's content. Subclasses name their kind: `class OrderPlaced(Message, kind="order_placed")`."""

    #: The outbox's name for the kind, and the name of its templates (templates/notifications/<kind>.*).
    kind: ClassVar[str]

    def __init_subclass__(cls, kind: str | None = None, **kwargs) -> None:
        super().__init_subclass__(**kwargs)
        if kind is None:
            return
        if kind in KINDS and KINDS[kind].__qualname__ != cls.__qualname__:
            raise TypeError(f"message kind {kind!r} is defined twice")
        cls.kind = kind
        KINDS[kind] = cls

    def subject(self) -> str:
        """The subject line, in the current locale."""
        raise NotImplementedError

    @property
    def greeting_name(self) -> str | None:
        """Whom the e-mail greets by name, if anyone: the customer, or the producer's user."""
        return getattr(self, "customer_name", getattr(self, "name", None))

    def context(self) -> dict[str, Any]:
        """Values the templates need beyond the message's fields (sentences, formatted codes), in the current locale."""
        return {}

    def inline_qr(self) -> tuple[str, str, str] | None:
        """The QR code the e-mail shows inline, if any: its content-id name, what it encodes, its file name."""
        return None

    #: Whether the customer's phone also gets this kind as a text (SMS or Zalo; notifications/channels.py).
    texted: ClassVar[bool] = False

    def text(self) -> str:
        """The SMS, in the current locale: short, the facts needed at the counter, no token outside the order link."""
        raise NotImplementedError

    def zalo_params(self) -> dict[str, str]:
        """The parameters of the kind's Zalo ZNS template (its fields, as text)."""
        raise NotImplementedError

    def to_payload(self) -> dict:
        """The JSON the outbox stores."""
        return dataclasses.asdict(self)


@dataclass(frozen=True)
class Envelope:
    """A message on its way to one address, in the reader's language, queued once per dedupe key."""

    message: Message
    recipient: str
    language: str
    #: The same event never queues two messages (e.g. "order_placed:QN-2612-0001").
    dedupe_key: str
    #: The customer's phone as given; a kind that is texted also goes there (outbox.enqueue).
    phone: str | None = None


def load(kind: str, payload: Any) -> Message:
    """Build the message the outbox stored as JSON; raise InvalidMessage if it no longer fits its kind.

    Tolerant of rows written by older code: keys the kind no longer has are ignored, fields added since
    take their defaults.
    """
    cls = KINDS.get(kind)
    if cls is None:
        raise InvalidMessage(f"unknown message kind {kind!r}")
    return _build(cls, payload, kind)


# ---- checks every kind uses --------------------------------------------------------------------

def require_url(value: Any, name: str) -> None:
    """An absolute web address: it becomes an href, so never javascript: or a path without its host."""
    if not isinstance(value, str) or not value.startswith(("https://", "http://")):
        raise InvalidMessage(f"{name} must be an absolute http(s) URL, got {value!r}")


def require_amount(value: Any, name: str) -> None:
    """A whole number of đồng, 0 or more."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise InvalidMessage(f"{name} must be a whole number of đồng, 0 or more, got {value!r}")


def require_one_of(value: Any, allowed: Iterable[str], name: str) -> None:
    allowed = tuple(str(choice) for choice in allowed)
    if value not in allowed:
        raise InvalidMessage(f"{name}: unknown value {value!r} (expected one of {', '.join(allowed)})")


def require_text(value: Any, name: str) -> None:
    if not isinstance(value, str) or not value:
        raise InvalidMessage(f"{name} must be some text, got {value!r}")


def require_bool(value: Any, name: str) -> None:
    if not isinstance(value, bool):
        raise InvalidMessage(f"{name} must be true or false, got {value!r}")


def require_lines(lines: Any, name: str = "lines") -> None:
    if not lines:
        raise InvalidMessage(f"{name}: a message about products needs at least one line")


def parse_time(value: Any) -> dt.datetime:
    """A moment written in ISO 8601; one without a zone is UTC, as everything the shop stores."""
    try:
        moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    except ValueError as error:
        raise InvalidMessage(f"not an ISO date and time: {value!r}") from error
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


# ---- pieces several kinds carry ------------------------------------------------------------------

@dataclass(frozen=True, kw_only=True)
class Line:
    """A product line as a message lists it."""

    product_name: str
    variant_label: str
    quantity: int
    sku: str | None = None

    def __post_init__(self) -> None:
        require_text(self.product_name, "line product_name")
        if isinstance(self.quantity, bool) or not isinstance(self.quantity, int) or self.quantity < 1:
            raise InvalidMessage(f"line quantity must be a whole number, 1 or more, got {self.quantity!r}")


@dataclass(frozen=True, kw_only=True)
class SalesPoint:
    """Where the customer collects an order; the ready e-mails give its phone and opening hours too."""

    code: str
    name: str
    address: str
    phone: str | None = None
    #: (days, times) pairs such as ("Mo-Fr", "08:00-17:30").
    hours: tuple[tuple[str, str], ...] | None = None

    def __post_init__(self) -> None:
        require_text(self.name, "sales_point name")

    def require(self, kind: str, *keys: str) -> None:
        """Check this point carries what the kind's e-mail shows."""
        empty = [key for key in keys if getattr(self, key) is None]
        if empty:
            raise InvalidMessage(f"{kind}: sales_point lacks {', '.join(empty)}")


# ---- from JSON back to dataclasses ---------------------------------------------------------------

def _build(cls: type, data: Any, where: str):
    if not isinstance(data, dict):
        raise InvalidMessage(f"{where} must be a JSON object, got {type(data).__name__}")
    hints = typing.get_type_hints(cls)
    values = {}
    missing = []
    for field in dataclasses.fields(cls):
        if not field.init:
            continue
        if field.name in data:
            values[field.name] = _convert(hints[field.name], data[field.name], f"{where} {field.name}")
        elif field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING:
            missing.append(field.name)
    if missing:
        raise InvalidMessage(f"{where} lacks {', '.join(missing)}")
    return cls(**values)


def _convert(hint: Any, value: Any, where: str) -> Any:
    if value is None:
        return None
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        # X | None: convert as X.
        options = [arg for arg in typing.get_args(hint) if arg is not type(None)]
        return _convert(options[0], value, where) if len(options) == 1 else value
    if dataclasses.is_dataclass(hint):
        return _build(hint, value, where)
    if origin is tuple:
        if not isinstance(value, (list, tuple)):
            raise InvalidMessage(f"{where} must be a list, got {value!r}")
        args = typing.get_args(hint)
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_convert(args[0], item, where) for item in value)
        if len(value) != len(args):
            raise InvalidMessage(f"{where} must hold {len(args)} values, got {value!r}")
        return tuple(_convert(arg, item, where) for arg, item in zip(args, value))
    return value
