import pytest
from flask_babel import force_locale

from shop import create_app
from shop.orders.timeline import event_label
from shop.orders.models import OrderEvent
from shop.orders.reasons import CancelReason


@pytest.fixture(scope="module")
def ctx():
    app = create_app({"TESTING": True, "ENV": "testing", "SQLALCHEMY_DATABASE_URI": "sqlite://"})
    with app.app_context():
        yield app


@pytest.mark.parametrize(("reason", "stored"), [
    (CancelReason.CUSTOMER, "customer"),
    (CancelReason.UNPAID_TRANSFER, "unpaid_transfer"),
    (CancelReason.UNPAID_CARD, "unpaid_card"),
    (CancelReason.PRODUCER, "producer"),
    (CancelReason.ADMIN, "admin"),
    (CancelReason.UNCLAIMED, "unclaimed"),
])
def test_stored_reason_codes_still_read_as_their_reason(reason, stored):
    assert CancelReason(stored) is reason


@pytest.mark.parametrize("reason", list(CancelReason))
@pytest.mark.parametrize("language", ["vi", "zh", "ko"])
def test_every_reason_has_a_translated_sentence_and_timeline_line(ctx, reason, language):
    with force_locale("en"):
        english = (reason.sentence, reason.label)
    with force_locale(language):
        translated = (reason.sentence, reason.label)
    assert all(english) and translated[0] != english[0] and translated[1] != english[1]


@pytest.mark.parametrize(("reason", "told"), [
    (CancelReason.CUSTOMER, "The customer cancelled the order."),
    (CancelReason.UNPAID_TRANSFER, "The customer's bank transfer did not arrive in time."),
    (CancelReason.UNPAID_CARD, "The customer's card payment was not completed."),
    (CancelReason.ADMIN, "The OCOP office cancelled the order."),
    (CancelReason.PRODUCER, None),
    (CancelReason.UNCLAIMED, None),
])
def test_a_producer_is_told_why_its_part_was_cancelled_unless_it_learns_otherwise(ctx, reason, told):
    with force_locale("en"):
        assert reason.producer_sentence == told


def test_the_timeline_names_the_reason_and_falls_back_for_an_unknown_code(ctx):
    with force_locale("en"):
        assert event_label(OrderEvent(kind="cancelled", data={"reason": "unpaid_card"})) == \
            "Cancelled: the card payment was not completed"
        assert event_label(OrderEvent(kind="cancelled", data={"reason": "weather"})) == "Cancelled"
