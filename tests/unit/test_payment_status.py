"""A payment moves only along PAYMENT_TRANSITIONS; its methods refuse every other move and change nothing."""
import shop.models  # noqa: F401  (every mapper known before a model is built)
import datetime as dt
import itertools
from types import SimpleNamespace

import pytest

from shop.orders.models import InvalidTransition
from shop.orders.payment import PAYMENT_TRANSITIONS, Payment, PaymentMethod, PaymentStatus as P

#: Written out here, not read from the table: the moves the shop's payments make.
LEGAL = {
    (P.PENDING, P.PAID),  # money recorded: transfer, cash, card
    (P.PENDING, P.FAILED),  # lapsed, cancelled, or a card attempt replaced
    (P.FAILED, P.PAID),  # Stripe took money for a page the shop had given up on (refunded whole)
    (P.PAID, P.REFUNDED),  # every đồng went back
}
AT = dt.datetime(2026, 12, 4, 9, 30, tzinfo=dt.UTC)


def _payment(status: P) -> Payment:
    return Payment(id=7, method=PaymentMethod.STRIPE_CARD, amount_vnd=300_000, status=status,
                   checkout_url="https://checkout.stripe.com/c/pay/cs_test_1")


def _move(payment: Payment, to: P) -> None:
    if to == P.PAID:
        payment.mark_paid(300_000, reference="cs_test_1", by=SimpleNamespace(id=3), at=AT)
    elif to == P.FAILED:
        payment.mark_failed()
    elif to == P.REFUNDED:
        payment.mark_refunded()
    else:
        pytest.fail(f"no method moves a payment to {to}")


def test_the_table_holds_exactly_the_legal_moves():
    assert {(here, there) for here, theirs in PAYMENT_TRANSITIONS.items() for there in theirs} == LEGAL
    assert set(PAYMENT_TRANSITIONS) == set(P)


@pytest.mark.parametrize(("here", "there"), [(a, b) for a, b in itertools.product(P, P) if b != P.PENDING])
def test_every_legal_move_is_made_and_every_other_is_refused(here, there):
    payment = _payment(here)
    if (here, there) in LEGAL:
        _move(payment, there)
        assert payment.status == there
    else:
        with pytest.raises(InvalidTransition):
            _move(payment, there)
        assert payment.status == here and payment.received_vnd is None


def test_nothing_goes_back_to_pending():
    assert all(P.PENDING not in moves for moves in PAYMENT_TRANSITIONS.values())


def test_marking_paid_records_who_when_and_what_and_closes_the_payment_page():
    payment = _payment(P.PENDING)
    payment.mark_paid(300_000, reference="x" * 200, by=SimpleNamespace(id=3), at=AT, tendered_vnd=500_000)
    assert (payment.received_vnd, payment.tendered_vnd, payment.recorded_by_id, payment.recorded_at) == \
        (300_000, 500_000, 3, AT)
    assert payment.provider_reference == "x" * 120 and payment.checkout_url == ""


def test_a_payment_is_refunded_only_once_everything_received_went_back():
    payment = _payment(P.PENDING)
    payment.mark_paid(300_000, at=AT)
    payment.record_refunded(100_000)
    assert (payment.status, payment.refunded_vnd) == (P.PAID, 100_000)
    payment.record_refunded(300_000)
    assert (payment.status, payment.refunded_vnd) == (P.REFUNDED, 300_000)
    payment.record_refunded(300_000)  # Stripe confirming the same refunds again changes nothing
    assert payment.status == P.REFUNDED


def test_an_unpaid_payment_is_never_refunded():
    payment = _payment(P.FAILED)
    payment.record_refunded(0)
    assert payment.status == P.FAILED
    with pytest.raises(InvalidTransition):
        payment.mark_refunded()


@pytest.mark.parametrize("here", [P.PAID, P.REFUNDED])
def test_the_conditional_write_refuses_an_illegal_move_before_touching_the_database(here):
    with pytest.raises(InvalidTransition):
        _payment(here).claim_paid(300_000, reference="cs_test_1")
