"""Absolute links for e-mails, labels, Stripe and the command line: the one home of every URL a service writes.

Services build links here and never import the web layer. PUBLIC_URL wins over the request's Host header,
which a client controls: a link sent to someone must never point at a host an attacker chose.
"""
from __future__ import annotations

from flask import current_app, has_request_context, url_for

_FALLBACK_BASE = "http://127.0.0.1:5000"


def external_url(endpoint: str, **values) -> str:
    """An absolute URL, in a request or not (CLI commands, workers)."""
    base = current_app.config.get("PUBLIC_URL")
    if has_request_context():
        if base:
            return base.rstrip("/") + url_for(endpoint, **values)
        return url_for(endpoint, _external=True, **values)
    path = current_app.url_map.bind("localhost").build(endpoint, values)
    return (base or _FALLBACK_BASE).rstrip("/") + path


def order_url(order) -> str:
    """The customer's order page, with the token that opens it without an account."""
    return external_url("orders.show", number=order.number, t=order.access_token)


def review_url(order) -> str:
    """Where the customer rates an order's products: an account's order asks its owner to log in, a guest's
    carries the token."""
    if order.user_id is not None:
        return external_url("reviews.order", number=order.number)
    return external_url("reviews.order", number=order.number, t=order.access_token)


def order_lookup_url(order) -> str:
    """Where a guest finds the order again with its number and their phone (no token in it)."""
    return external_url("orders.lookup", number=order.number)


def part_url(part) -> str:
    """The producer's page of one order part."""
    return external_url("producer.part", part_id=part.id)


def stripe_return_url(order) -> str:
    return external_url("payments.stripe_return", order=order.number, t=order.access_token)


def stripe_cancel_url(order) -> str:
    return external_url("payments.stripe_cancel", order=order.number, t=order.access_token)


def admin_url(endpoint: str, **values) -> str:
    """A page of the office's back office (for e-mails to the office)."""
    return external_url(endpoint, **values)


def password_reset_url(token: str) -> str:
    return external_url("auth.password_reset", token=token)
