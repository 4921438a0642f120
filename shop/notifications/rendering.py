"""Turn an outbox message into an e-mail in its customer's language: plain text plus an HTML alternative."""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
import re
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import format_datetime
from functools import partial
from typing import Any, Callable

from babel.dates import format_date, format_time
from flask import current_app, render_template
from flask_babel import force_locale, get_locale, gettext as _

from shop.i18n import current_language
from shop.labels import payment_method_label
from shop.notifications.mailer import mail_domain, message_id
from shop.orders.reasons import PRODUCER_TOLD, CancelReason
from shop import qr
from shop.clock import VIETNAM



class RenderError(ValueError):
    """The message cannot be rendered: unknown kind or a payload that breaks its kind's contract."""


@dataclass(frozen=True)
class Kind:
    subject: Callable[[dict], str]
    #: Payload keys every message of this kind must carry (values may be None where the contract allows).
    required: tuple[str, ...]
    check: Callable[[dict], None] = lambda payload: None


def render(message) -> EmailMessage:
    """Build the e-mail for an outbox message (kind, recipient, language, payload, dedupe_key)."""
    kind = RENDERERS.get(message.kind)
    if kind is None:
        raise RenderError(f"no e-mail for message kind {message.kind!r}")
    if not isinstance(message.payload, dict):
        raise RenderError(f"{message.kind} payload must be a JSON object, got {type(message.payload).__name__}")
    payload = message.payload
    _require(message.kind, payload, kind.required)
    kind.check(payload)
    config = current_app.config
    language = message.language if message.language in config["LANGUAGES"] else config["BABEL_DEFAULT_LOCALE"]

    with force_locale(language):
        subject = kind.subject(payload)
        name = payload.get("customer_name", payload.get("name"))
        context = {"p": payload, "subject": subject, "lang": language, "config": config,
                   "greeting": _("Hello %(name)s,", name=name) if name else _("Hello,"),
                   "format_due": _format_due, "payment_label": payment_method_label}
        if message.kind == "order_cancelled":
            context["reason"] = cancellation_reason(payload["reason"])
        if message.kind == "part_cancelled":
            context["reason"] = part_cancellation_reason(payload["reason"])
        if message.kind in ("order_ready", "pickup_reminder"):
            context["pickup_code"] = _grouped(payload["pickup_code"])
        qr_png = None
        inline_qr = _inline_qr(message.kind, payload)
        if inline_qr is not None:
            cid_name, qr_content, qr_filename = inline_qr
            qr_png = base64.b64decode(qr.qr_png_data_uri(qr_content).partition(",")[2])
            context["qr_cid"] = _content_id(cid_name, message.dedupe_key, config["MAIL_FROM"])
        text = _tidy(render_template(f"notifications/{message.kind}.txt", **context))
        html = render_template(f"notifications/{message.kind}.html", **context)

    email = EmailMessage()
    email["Subject"] = subject
    email["From"] = config["MAIL_FROM"]
    email["To"] = message.recipient
    email["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    email["Message-ID"] = message_id(message.dedupe_key, config["MAIL_FROM"])
    # RFC 3834: tells out-of-office responders and mailing lists not to answer a machine.
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(text)
    email.add_alternative(html, subtype="html")
    # Set after the parts exist: making a message multipart moves its Content-* headers into the first part.
    email["Content-Language"] = language
    if qr_png is not None:
        # Attached and referenced by cid: — many mail clients block data: URIs in HTML.
        html_part = email.get_payload()[1]
        html_part.add_related(qr_png, "image", "png", cid=f"<{context['qr_cid']}>", disposition="inline",
                              filename=qr_filename)
    return email


def cancellation_reason(reason: str) -> str:
    """Say in one sentence why an order was cancelled, in the current language."""
    return CancelReason(reason).sentence


def part_cancellation_reason(reason: str) -> str:
    """Tell a producer in one sentence why a part it was to fulfil was cancelled."""
    sentence = CancelReason(reason).producer_sentence
    if sentence is None:
        raise KeyError(reason)
    return sentence


def _inline_qr(kind: str, payload: dict) -> tuple[str, str, str] | None:
    """The QR code an e-mail shows inline, if any: its content-id name, what it encodes, its file name."""
    if kind == "order_placed" and payload["payment_method"] == "vietqr_transfer":
        return "vietqr", payload["vietqr"]["payload"], f"VietQR-{payload['order_number']}.png"
    if kind in ("order_ready", "pickup_reminder"):
        # Exactly the code, nothing around it: the desk scans what it would otherwise type.
        return "pickup", payload["pickup_code"], f"Pickup-{payload['order_number']}.png"
    return None


def _grouped(code: str) -> str:
    """Write a code in groups of four, easier to read out at a counter: K7M2QX9P → K7M2 QX9P."""
    return " ".join(code[start:start + 4] for start in range(0, len(code), 4))


def _tidy(text: str) -> str:
    """Drop the blank lines template tags leave behind: one empty line at most between paragraphs."""
    lines = ["" if not line.strip() else line for line in text.strip().splitlines()]
    tidy: list[str] = []
    for line in lines:
        if line or (tidy and tidy[-1]):
            tidy.append(line)
    return "\n".join(tidy) + "\n"


def _require(kind: str, payload: dict, keys: tuple[str, ...]) -> None:
    missing = [key for key in keys if key not in payload]
    if missing:
        raise RenderError(f"{kind} payload lacks {', '.join(missing)}")


def _require_url(payload: dict, key: str) -> None:
    # The URL becomes an href: only web addresses, never javascript: or the like.
    if not str(payload[key]).startswith(("https://", "http://")):
        raise RenderError(f"{key} must be an http(s) URL, got {payload[key]!r}")


def _check_order_placed(payload: dict) -> None:
    _require_url(payload, "order_url")
    if payload["delivery_method"] not in ("pickup", "delivery"):
        raise RenderError(f"order_placed: unknown delivery_method {payload['delivery_method']!r}")
    if payload["delivery_method"] == "pickup":
        if not payload["sales_point"]:
            raise RenderError("order_placed: a pickup order needs its sales_point")
        _require("order_placed sales_point", payload["sales_point"], ("name", "address", "hours"))
    elif not payload["address"]:
        raise RenderError("order_placed: a delivery order needs its address")
    if not payload["lines"]:
        raise RenderError("order_placed: an order without lines")
    for line in payload["lines"]:
        _require("order_placed line", line, ("product_name", "variant_label", "quantity", "unit_price_vnd",
                                             "line_total_vnd", "producer_name"))
    _check_payment_method("order_placed", payload)
    if payload["payment_method"] == "vietqr_transfer":
        if not payload["vietqr"]:
            raise RenderError("order_placed: a VietQR transfer needs its vietqr instructions")
        _require("order_placed vietqr", payload["vietqr"], ("payload", "bank_name", "account_number",
                                                            "account_name", "amount_vnd", "note", "due_by"))
        _parse_time(payload["vietqr"]["due_by"])


def _check_payment_method(kind: str, payload: dict) -> None:
    if payload["payment_method"] not in ("cash_at_pickup", "cod", "vietqr_transfer", "stripe_card"):
        raise RenderError(f"{kind}: unknown payment_method {payload['payment_method']!r}")


def _check_refund_due(payload: dict) -> None:
    _require_url(payload, "admin_url")
    _check_payment_method("refund_due", payload)
    _check_amount("refund_due", payload, "amount_vnd")


def _check_payment_received(payload: dict) -> None:
    _require_url(payload, "order_url")
    _check_payment_method("payment_received", payload)


def _check_order_cancelled(payload: dict) -> None:
    _require_url(payload, "order_url")
    if payload["reason"] not in set(CancelReason):
        raise RenderError(f"order_cancelled: unknown reason {payload['reason']!r}")


def _check_payment_refunded(payload: dict) -> None:
    _require_url(payload, "order_url")
    _check_payment_method("payment_refunded", payload)
    _check_amount("payment_refunded", payload, "amount_vnd")
    if payload["reason"] not in ("whole", "cancelled_parts", "late_payment", "outside"):
        raise RenderError(f"payment_refunded: unknown reason {payload['reason']!r}")


def _check_password_reset(payload: dict) -> None:
    _require_url(payload, "reset_url")


def _check_user_invite(payload: dict) -> None:
    _require_url(payload, "set_password_url")


def _check_lines(kind: str, payload: dict) -> None:
    if not payload["lines"]:
        raise RenderError(f"{kind}: no lines")
    for line in payload["lines"]:
        _require(f"{kind} line", line, ("product_name", "variant_label", "quantity"))


def _check_part_new(payload: dict) -> None:
    _require_url(payload, "part_url")
    _check_lines("part_new", payload)


def _check_part_cancelled(payload: dict) -> None:
    _require_url(payload, "part_url")
    if payload["reason"] not in PRODUCER_TOLD:
        raise RenderError(f"part_cancelled: unknown reason {payload['reason']!r}")


def _check_part_rejected(payload: dict) -> None:
    _require_url(payload, "order_url")
    _check_lines("part_rejected", payload)


def _check_sales_point(kind: str, payload: dict, keys: tuple[str, ...]) -> None:
    point = payload["sales_point"]
    if not isinstance(point, dict):
        raise RenderError(f"{kind}: sales_point must be an object, got {point!r}")
    _require(f"{kind} sales_point", point, keys)
    # Lists once stored as JSON; tuples while the payload is still the object the service built.
    if "hours" in keys and not (isinstance(point["hours"], (list, tuple))
                                and all(isinstance(pair, (list, tuple)) and len(pair) == 2
                                        for pair in point["hours"])):
        raise RenderError(f"{kind}: sales_point hours must be [days, times] pairs, got {point['hours']!r}")


def _check_amount(kind: str, payload: dict, key: str) -> None:
    amount = payload[key]
    if isinstance(amount, bool) or not isinstance(amount, int) or amount < 0:
        raise RenderError(f"{kind}: {key} must be a whole number of đồng, 0 or more, got {amount!r}")


def _check_ready(kind: str, payload: dict) -> None:
    _require_url(payload, "order_url")
    code = payload["pickup_code"]
    if not isinstance(code, str) or not re.fullmatch(r"[A-Z0-9]{8}", code):
        raise RenderError(f"{kind}: pickup_code must be 8 capital letters or digits, got {code!r}")
    _check_sales_point(kind, payload, ("code", "name", "address", "phone", "hours"))
    _parse_time(payload["hold_until"])
    _check_lines(kind, payload)
    _check_amount(kind, payload, "cash_due_vnd")
    _check_payment_method(kind, payload)


def _check_order_unclaimed(payload: dict) -> None:
    _require_url(payload, "order_url")
    _check_sales_point("order_unclaimed", payload, ("code", "name", "address", "phone"))
    _check_amount("order_unclaimed", payload, "paid_vnd")
    if not isinstance(payload["for_office"], bool):
        raise RenderError(f"order_unclaimed: for_office must be true or false, got {payload['for_office']!r}")
    if payload["for_office"]:
        # The office's copy exists so that someone can call the customer.
        empty = [key for key in ("contact_name", "contact_phone", "contact_email") if not payload[key]]
        if empty:
            raise RenderError(f"order_unclaimed: the office copy needs {', '.join(empty)}")


def _check_part_unclaimed(payload: dict) -> None:
    _require_url(payload, "part_url")
    _check_sales_point("part_unclaimed", payload, ("code", "name", "address", "phone"))
    _check_lines("part_unclaimed", payload)


def _order_unclaimed_subject(payload: dict) -> str:
    if payload["for_office"]:
        return _("Unclaimed order %(number)s at %(point)s", number=payload["order_number"],
                 point=payload["sales_point"]["name"])
    return _("Order %(number)s was not collected in time", number=payload["order_number"])


def _order_placed_subject(payload: dict) -> str:
    if payload["payment_method"] == "vietqr_transfer":
        return _("Order %(number)s: please pay by bank transfer", number=payload["order_number"])
    return _("Thank you for your order %(number)s", number=payload["order_number"])


def _parse_time(value: Any) -> dt.datetime:
    try:
        moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
    except ValueError as error:
        raise RenderError(f"not an ISO date and time: {value!r}") from error
    # A time without a zone is UTC, as everything the shop stores.
    return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)


def _format_due(value: Any) -> str:
    """A deadline in Vietnam time, written the way the reader's language writes it."""
    # Payment deadlines are Vietnamese bank hours, so they are given in Vietnam time for every reader.
    moment = _parse_time(value).astimezone(VIETNAM)
    if current_language() == "vi":
        written = moment.strftime("%H:%M, %d/%m/%Y")
    else:
        locale = get_locale()
        day = format_date(moment.date(), "medium", locale=locale)
        written = f"{day}, {format_time(moment.time(), 'short', locale=locale)}"
    return f"{written} (GMT+7)"


def _content_id(name: str, dedupe_key: str, mail_from: str) -> str:
    # Derived like the Message-ID, so every attempt at one message builds the same e-mail.
    digest = hashlib.sha256(dedupe_key.encode("utf-8")).hexdigest()[:24]
    return f"{name}.{digest}@{mail_domain(mail_from)}"


#: What the customer needs to collect a ready order; the reminder carries the same.
READY_KEYS = ("order_number", "order_url", "customer_name", "pickup_code", "sales_point", "hold_until", "lines",
              "cash_due_vnd", "payment_method")

RENDERERS: dict[str, Kind] = {
    "order_placed": Kind(
        subject=_order_placed_subject,
        required=("order_number", "order_url", "customer_name", "delivery_method", "sales_point", "address",
                  "lines", "subtotal_vnd", "shipping_vnd", "total_vnd", "payment_method", "vietqr"),
        check=_check_order_placed,
    ),
    "refund_due": Kind(
        subject=lambda p: _("Refund due: the customer cancelled paid order %(number)s", number=p["order_number"]),
        required=("order_number", "admin_url", "amount_vnd", "payment_method", "contact_name", "contact_phone",
                  "contact_email", "reference"),
        check=_check_refund_due,
    ),
    "payment_received": Kind(
        subject=lambda p: _("Payment received for order %(number)s", number=p["order_number"]),
        required=("order_number", "order_url", "customer_name", "amount_vnd", "payment_method"),
        check=_check_payment_received,
    ),
    "payment_refunded": Kind(
        subject=lambda p: _("Refund for order %(number)s", number=p["order_number"]),
        required=("order_number", "order_url", "customer_name", "amount_vnd", "payment_method", "reason"),
        check=_check_payment_refunded,
    ),
    "order_cancelled": Kind(
        subject=lambda p: _("Order %(number)s has been cancelled", number=p["order_number"]),
        required=("order_number", "order_url", "customer_name", "reason", "refund_note"),
        check=_check_order_cancelled,
    ),
    "part_new": Kind(
        subject=lambda p: _("New order part #%(part)s (order %(number)s)", part=p["part_id"], number=p["order_number"]),
        required=("order_number", "part_id", "producer_name", "lines", "destination", "part_url"),
        check=_check_part_new,
    ),
    "part_cancelled": Kind(
        subject=lambda p: _("Order part #%(part)s cancelled (order %(number)s)", part=p["part_id"],
                            number=p["order_number"]),
        required=("order_number", "part_id", "producer_name", "reason", "part_url"),
        check=_check_part_cancelled,
    ),
    "part_rejected": Kind(
        subject=lambda p: _("Order %(number)s: some products cannot be supplied", number=p["order_number"]),
        required=("order_number", "order_url", "customer_name", "producer_name", "part_id", "reason", "lines",
                  "order_cancelled", "refund_vnd"),
        check=_check_part_rejected,
    ),
    "order_ready": Kind(
        subject=lambda p: _("Order %(number)s is ready for pickup at %(point)s", number=p["order_number"],
                            point=p["sales_point"]["name"]),
        required=READY_KEYS,
        check=partial(_check_ready, "order_ready"),
    ),
    "pickup_reminder": Kind(
        subject=lambda p: _("Reminder: order %(number)s waits for you at %(point)s until %(date)s",
                            number=p["order_number"], point=p["sales_point"]["name"],
                            date=_format_due(p["hold_until"])),
        required=READY_KEYS,
        check=partial(_check_ready, "pickup_reminder"),
    ),
    "order_unclaimed": Kind(
        subject=_order_unclaimed_subject,
        required=("order_number", "order_url", "customer_name", "sales_point", "paid_vnd", "for_office",
                  "contact_name", "contact_phone", "contact_email"),
        check=_check_order_unclaimed,
    ),
    "part_unclaimed": Kind(
        subject=lambda p: _("Parcel #%(part)s was not collected: please take it back from %(point)s",
                            part=p["part_id"], point=p["sales_point"]["name"]),
        required=("order_number", "part_id", "producer_name", "sales_point", "lines", "part_url"),
        check=_check_part_unclaimed,
    ),
    "password_reset": Kind(
        subject=lambda p: _("Reset your OCOP Quảng Ninh password"),
        required=("name", "reset_url", "expires_minutes"),
        check=_check_password_reset,
    ),
    "user_invite": Kind(
        subject=lambda p: _("You are invited to the OCOP Quảng Ninh shop"),
        required=("name", "role", "set_password_url", "expires_minutes"),
        check=_check_user_invite,
    ),
}
