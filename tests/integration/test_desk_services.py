"""The sales-point desk's use cases against the database: receive, put aside, hand over, expire, remind, stock."""
from __future__ import annotations

import datetime as dt
import threading

import pytest
from sqlalchemy import func, select

from shop.auth.models import User
from shop.clock import aware, now, today
from shop.desk import errors, handover, hold, receiving, reports
from shop.orders import codes, pickup
from shop.desk import stock as point_stock
from shop.extensions import db
from shop.fulfillment import services as producer
from shop.inventory import services as inventory
from shop.notifications.models import OutboxMessage
from shop.orders.models import Fulfillment, Order, OrderEvent, OrderStatus, PartStatus, Route
from shop.payments.errors import CashMissing, CashTooLittle
from shop.orders.payment import PaymentMethod, PaymentStatus
from tests.readback import fresh_order, messages_of, stock_of


@pytest.fixture
def desk(two_producers_and_two_points):
    return two_producers_and_two_points


@pytest.fixture
def two_parcels(order_with_two_parcels_for_point):
    return order_with_two_parcels_for_point


def _part(order: Order, producer_) -> int:
    return next(p.id for p in order.parts if p.producer_id == producer_.id)


def _send(part_id: int, user) -> None:
    producer.accept_part(part_id, user)
    producer.mark_packed(part_id, user)
    producer.mark_sent_to_point(part_id, user, "Xe khách Bình Liêu, 1 thùng")


def _events(order_id: int, kind: str | None = None) -> list[OrderEvent]:
    query = select(OrderEvent).where(OrderEvent.order_id == order_id).order_by(OrderEvent.id)
    if kind:
        query = query.where(OrderEvent.kind == kind)
    return list(db.session.scalars(query))


def _ready(desk, order: Order) -> Order:
    """Send and receive every parcel of the order at its point."""
    for part in list(order.parts):
        user = desk.user_a if part.producer_id == desk.a.id else desk.user_b
        _send(part.id, user)
        receiving.receive_parcel(order.sales_point_id, f"OCOP-PART:{part.id}", desk.staff_p)
    order = fresh_order(order.id)
    assert order.status == OrderStatus.READY_FOR_PICKUP
    return order


# ---- codes ----------------------------------------------------------------------------------------

@pytest.mark.parametrize("typed, expected", [
    ("OCOP-PART:123", 123), ("ocop-part 123", 123), (" OCOP-PART-7 ", 7), ("#45", 45), ("45", 45),
    ("", None), ("abc", None), ("OCOP-PART:", None), ("12 34", None), ("1234567890", None), ("-3", None),
    ("'; DROP TABLE fulfillment; --", None),
])
def test_the_parcel_label_is_read_however_it_was_scanned_or_typed(typed, expected):
    assert codes.parse_part_code(typed) == expected


@pytest.mark.parametrize("typed, expected", [
    ("ABCD2345", "ABCD2345"), ("abcd 2345", "ABCD2345"), (" ab-cd-23-45 ", "ABCD2345"), ("", ""),
    ("ABCD234O", ""),  # a look-alike letter is never part of a code
    ("A" * 13, ""),
])
def test_a_pickup_code_ignores_case_spaces_and_dashes(typed, expected):
    assert codes.normalize_code(typed) == expected


def test_only_the_last_three_digits_of_the_phone_are_shown():
    assert handover.masked_phone("+84 912 345 678") == "•••• ••• 678"
    assert "912" not in handover.masked_phone("+84912345678")
    assert handover.masked_phone("") == "•••"


# ---- receiving parcels -----------------------------------------------------------------------------

def test_the_first_parcel_leaves_the_order_waiting_and_the_last_makes_it_ready(app, desk, two_parcels):
    order = two_parcels
    noodles_part, squid_part = _part(order, desk.a), _part(order, desk.b)
    _send(noodles_part, desk.user_a)
    _send(squid_part, desk.user_b)

    first = receiving.receive_parcel(desk.p.id, f"OCOP-PART:{noodles_part}", desk.staff_p)
    assert not first.order_ready
    assert [p.id for p in first.missing] == [squid_part]
    assert fresh_order(order.id).status == OrderStatus.IN_PROGRESS
    assert messages_of("order_ready") == []

    second = receiving.receive_parcel(desk.p.id, str(squid_part), desk.staff_p)
    assert second.order_ready and second.missing == []
    order = fresh_order(order.id)
    assert order.status == OrderStatus.READY_FOR_PICKUP
    assert {p.status for p in order.parts} == {PartStatus.READY}
    hold = aware(order.hold_until) - now()
    assert dt.timedelta(days=7) - dt.timedelta(minutes=5) < hold <= dt.timedelta(days=7)
    [ready] = messages_of("order_ready")
    assert (ready.recipient, ready.language) == ("lan@example.vn", "en")
    assert ready.payload["pickup_code"] == order.pickup_code
    assert ready.payload["cash_due_vnd"] == 450_000
    assert dt.datetime.fromisoformat(ready.payload["hold_until"]) == aware(order.hold_until)
    assert ready.payload["sales_point"]["code"] == "HL07"
    # The producers' units left their stores when sent: on hand down, nothing allocated any more.
    assert stock_of(desk.noodles, desk.a) == (8, 0)
    assert stock_of(desk.squid, desk.b) == (9, 0)


def test_a_parcel_in_hand_is_received_even_if_the_producer_did_not_click_sent(app, desk, two_parcels):
    part = _part(two_parcels, desk.a)
    producer.accept_part(part, desk.user_a)

    receiving.receive_parcel(desk.p.id, f"#{part}", desk.staff_p)

    assert db.session.get(Fulfillment, part).status == PartStatus.AT_POINT
    assert stock_of(desk.noodles, desk.a) == (8, 0)


def test_a_parcel_scanned_at_the_wrong_point_is_refused_naming_the_right_point(app, desk, two_parcels):
    part = _part(two_parcels, desk.a)
    _send(part, desk.user_a)

    with pytest.raises(errors.ParcelForOtherPoint) as refused:
        receiving.receive_parcel(desk.q.id, f"OCOP-PART:{part}", desk.staff_q)

    assert "HL07" in str(refused.value) and "Điểm OCOP Bãi Cháy" in str(refused.value)
    db.session.rollback()
    assert db.session.get(Fulfillment, part).status == PartStatus.SENT_TO_POINT
    assert _events(two_parcels.id, "part_status")[-1].data["status"] == "sent_to_point"


def test_receiving_refuses_what_is_not_an_expected_parcel_and_changes_nothing(app, desk, two_parcels, make_order):
    delivery = make_order((desk.noodles, 1), delivery=True)
    new_part = _part(two_parcels, desk.a)
    before = stock_of(desk.noodles, desk.a)

    for scanned in ("", "hello", "OCOP-PART:", "999999", f"OCOP-PART:{delivery.parts[0].id}"):
        with pytest.raises(errors.ParcelNotFound):
            receiving.receive_parcel(desk.p.id, scanned, desk.staff_p)
    with pytest.raises(errors.ParcelNotExpected) as refused:
        receiving.receive_parcel(desk.p.id, str(new_part), desk.staff_p)
    assert f"#{new_part}" in str(refused.value)

    assert {p.status for p in fresh_order(two_parcels.id).parts} == {PartStatus.NEW}
    assert fresh_order(delivery.id).parts[0].status == PartStatus.NEW
    assert stock_of(desk.noodles, desk.a) == before


def test_a_parcel_received_twice_is_refused_the_second_time(app, desk, two_parcels):
    part = _part(two_parcels, desk.a)
    _send(part, desk.user_a)
    receiving.receive_parcel(desk.p.id, str(part), desk.staff_p)

    with pytest.raises(errors.ParcelNotExpected):
        receiving.receive_parcel(desk.p.id, str(part), desk.staff_p)
    assert len([e for e in _events(two_parcels.id, "part_status") if e.data["status"] == "at_point"]) == 1


def test_rejecting_the_last_missing_parcel_makes_the_rest_ready_and_cheaper(app, desk, two_parcels):
    noodles_part, squid_part = _part(two_parcels, desk.a), _part(two_parcels, desk.b)
    _send(noodles_part, desk.user_a)
    receiving.receive_parcel(desk.p.id, str(noodles_part), desk.staff_p)

    producer.reject_part(squid_part, desk.user_b, "Hết hàng")

    order = fresh_order(two_parcels.id)
    assert order.status == OrderStatus.READY_FOR_PICKUP
    assert pickup.cash_due_at_pickup(order) == 200_000
    [ready] = messages_of("order_ready")
    assert ready.payload["cash_due_vnd"] == 200_000
    assert [line["product_name"] for line in ready.payload["lines"]] == ["Miến dong Bình Liêu"]


# ---- handing over ----------------------------------------------------------------------------------

def test_handing_over_takes_the_cash_gives_change_and_completes_the_order(app, desk, two_parcels):
    order = _ready(desk, two_parcels)
    typed = " ".join(order.pickup_code.lower()[i:i + 2] for i in range(0, len(order.pickup_code), 2))

    done = handover.hand_over(desk.p.id, typed, desk.staff_p, identity_checked=True, tendered_vnd=500_000)

    assert (done.due_vnd, done.tendered_vnd, done.change_vnd) == (450_000, 500_000, 50_000)
    order = fresh_order(order.id)
    assert order.status == OrderStatus.COMPLETED and order.collected_at is not None
    assert {p.status for p in order.parts} == {PartStatus.COLLECTED}
    payment = order.payment
    assert (payment.status, payment.received_vnd, payment.tendered_vnd) == (PaymentStatus.PAID, 450_000, 500_000)
    assert payment.recorded_by_id == desk.staff_p.id
    [paid] = _events(order.id, "payment_received")
    assert paid.data["change_vnd"] == 50_000 and paid.actor_label == "thu@diem-hl07.vn"
    assert len(_events(order.id, "collected")) == 1


@pytest.mark.parametrize("identity, tendered, refusal", [
    (False, 500_000, errors.IdentityNotChecked),
    (True, None, CashMissing),
    (True, 449_999, CashTooLittle),
])
def test_a_handover_without_identity_or_enough_cash_changes_nothing(app, desk, two_parcels, identity, tendered,
                                                                    refusal):
    order = _ready(desk, two_parcels)

    with pytest.raises(refusal):
        handover.hand_over(desk.p.id, order.pickup_code, desk.staff_p, identity_checked=identity,
                           tendered_vnd=tendered)

    order = fresh_order(order.id)
    assert order.status == OrderStatus.READY_FOR_PICKUP
    assert order.payment.status == PaymentStatus.PENDING and order.payment.received_vnd is None
    assert _events(order.id, "collected") == []


def test_the_exact_cash_is_enough(app, desk, two_parcels):
    order = _ready(desk, two_parcels)
    done = handover.hand_over(desk.p.id, order.pickup_code, desk.staff_p, identity_checked=True,
                              tendered_vnd=450_000)
    assert done.change_vnd == 0
    assert fresh_order(order.id).payment.status == PaymentStatus.PAID


def test_an_order_is_handed_over_once(app, desk, two_parcels):
    order = _ready(desk, two_parcels)
    handover.hand_over(desk.p.id, order.pickup_code, desk.staff_p, identity_checked=True, tendered_vnd=450_000)

    with pytest.raises(errors.NotReady):
        handover.hand_over(desk.p.id, order.pickup_code, desk.staff_p, identity_checked=True, tendered_vnd=450_000)
    assert len(_events(order.id, "payment_received")) == 1


def test_a_code_of_another_point_is_not_found(app, desk, two_parcels):
    order = _ready(desk, two_parcels)

    assert handover.find_for_pickup(desk.q.id, order.pickup_code) is None
    with pytest.raises(errors.CodeNotFound):
        handover.hand_over(desk.q.id, order.pickup_code, desk.staff_q, identity_checked=True, tendered_vnd=10**6)
    assert fresh_order(order.id).status == OrderStatus.READY_FOR_PICKUP


def test_an_order_not_ready_yet_is_found_but_not_handed_over(app, desk, two_parcels):
    assert handover.find_for_pickup(desk.p.id, two_parcels.pickup_code).id == two_parcels.id
    with pytest.raises(errors.NotReady):
        handover.hand_over(desk.p.id, two_parcels.pickup_code, desk.staff_p, identity_checked=True,
                           tendered_vnd=10**6)
    assert fresh_order(two_parcels.id).status == OrderStatus.CONFIRMED


def test_two_desks_handing_over_the_same_order_at_once_collect_it_once(app, desk, two_parcels):
    order = _ready(desk, two_parcels)
    colleague = desk.colleague_p
    db.session.commit()
    code, point_id, staff_ids = order.pickup_code, desk.p.id, [desk.staff_p.id, colleague.id]
    barrier, outcomes = threading.Barrier(2), []

    def hand_over(staff_id):
        with app.test_request_context():
            me = db.session.get(User, staff_id)
            barrier.wait()
            try:
                handover.hand_over(point_id, code, me, identity_checked=True, tendered_vnd=500_000)
                outcomes.append("handed over")
            except errors.NotReady:
                outcomes.append("refused")
            finally:
                db.session.remove()

    threads = [threading.Thread(target=hand_over, args=(staff_id,)) for staff_id in staff_ids]
    for t in threads:
        t.start()
    for t in threads:
        t.join()

    assert sorted(outcomes) == ["handed over", "refused"]
    order = fresh_order(order.id)
    assert order.status == OrderStatus.COMPLETED and order.payment.received_vnd == 450_000
    assert len(_events(order.id, "payment_received")) == 1 and len(_events(order.id, "collected")) == 1


# ---- the point's own stock -------------------------------------------------------------------------

@pytest.fixture
def shelf_order(desk, make_order, put_stock):
    """P holds 5 packs of noodles; an order at P takes 2 of them."""
    put_stock(desk.noodles, desk.p, 5)
    db.session.commit()
    return make_order((desk.noodles, 2), point=desk.p)


def test_goods_the_point_holds_are_put_aside_then_handed_over_from_itsstock_of(app, desk, shelf_order):
    [part] = shelf_order.parts
    assert part.route == Route.POINT_STOCK
    assert stock_of(desk.noodles, desk.p) == (5, 2)
    assert [p.id for p in reports.dashboard(desk.p.id)["to_prepare"]] == [part.id]
    assert messages_of("part_new") == []  # the producer has nothing to do

    put = receiving.put_aside(desk.p.id, part.id, desk.staff_p)

    assert put.order_ready
    order = fresh_order(shelf_order.id)
    assert order.status == OrderStatus.READY_FOR_PICKUP
    assert len(messages_of("order_ready")) == 1
    assert stock_of(desk.noodles, desk.p) == (5, 2)  # still on the shelf, set aside

    handover.hand_over(desk.p.id, order.pickup_code, desk.staff_p, identity_checked=True, tendered_vnd=200_000)
    assert stock_of(desk.noodles, desk.p) == (3, 0)
    assert stock_of(desk.noodles, desk.a) == (10, 0)


def test_goods_cannot_be_put_aside_twice_or_by_another_point(app, desk, shelf_order):
    part = shelf_order.parts[0].id
    with pytest.raises(errors.PartNotHere):
        receiving.put_aside(desk.q.id, part, desk.staff_q)
    assert db.session.get(Fulfillment, part).status == PartStatus.NEW

    receiving.put_aside(desk.p.id, part, desk.staff_p)
    with pytest.raises(errors.CannotPutAside):
        receiving.put_aside(desk.p.id, part, desk.staff_p)
    assert len(_events(shelf_order.id, "put_aside")) == 1


def test_an_unpaid_transfer_order_is_not_put_aside(app, desk, make_order, put_stock):
    put_stock(desk.noodles, desk.p, 5)
    db.session.commit()
    order = make_order((desk.noodles, 1), point=desk.p, payment=PaymentMethod.VIETQR_TRANSFER)

    with pytest.raises(errors.AwaitingPayment):
        receiving.put_aside(desk.p.id, order.parts[0].id, desk.staff_p)
    assert fresh_order(order.id).parts[0].status == PartStatus.NEW


def test_own_goods_put_aside_wait_for_the_producers_parcel(app, desk, make_order, put_stock):
    put_stock(desk.noodles, desk.p, 5)
    db.session.commit()
    order = make_order((desk.noodles, 1), (desk.squid, 1), point=desk.p)
    shelf = next(p for p in order.parts if p.route == Route.POINT_STOCK)
    parcel = next(p for p in order.parts if p.route == Route.VIA_POINT)

    assert not receiving.put_aside(desk.p.id, shelf.id, desk.staff_p).order_ready
    assert [o.id for o in reports.dashboard(desk.p.id)["waiting"]] == [order.id]
    assert messages_of("order_ready") == []

    _send(parcel.id, desk.user_b)
    assert [p.id for p in reports.dashboard(desk.p.id)["on_the_way"]] == [parcel.id]
    assert receiving.receive_parcel(desk.p.id, str(parcel.id), desk.staff_p).order_ready
    assert fresh_order(order.id).status == OrderStatus.READY_FOR_PICKUP


def test_staff_cannot_count_fewer_units_than_are_set_aside(app, desk, shelf_order):
    with pytest.raises(inventory.BelowAllocated):
        point_stock.adjust(desk.p.id, desk.noodles, "count", 1, "", desk.staff_p)
    with pytest.raises(inventory.BelowAllocated):
        point_stock.adjust(desk.p.id, desk.noodles, "damaged", 4, "rơi vỡ", desk.staff_p)
    with pytest.raises(inventory.NotEnoughOnHand):
        point_stock.adjust(desk.p.id, desk.noodles, "damaged", 6, "", desk.staff_p)
    assert stock_of(desk.noodles, desk.p) == (5, 2)
    assert point_stock.recent_adjustments(desk.p.id) == []

    assert point_stock.adjust(desk.p.id, desk.noodles, "damaged", 3, "rơi vỡ", desk.staff_p) == 2
    assert point_stock.adjust(desk.p.id, desk.noodles, "receive", 10, "HTX giao", desk.staff_p) == 12
    assert point_stock.adjust(desk.p.id, desk.noodles, "count", 7, "kiểm kê", desk.staff_p) == 7
    assert stock_of(desk.noodles, desk.p) == (7, 2)
    assert [a.delta for a in point_stock.recent_adjustments(desk.p.id)] == [-5, 10, -3]
    assert [r.free for r in point_stock.rows(desk.p.id)] == [5]
    assert point_stock.rows(desk.q.id) == []


def test_receiving_goods_of_a_new_product_creates_the_points_stock_row(app, desk):
    variant = point_stock.variant_by_sku(f" {desk.squid.sku.lower()} ")
    assert variant.id == desk.squid.id
    assert point_stock.adjust(desk.q.id, variant, "receive", 4, "ký gửi", desk.staff_q) == 4
    assert stock_of(desk.squid, desk.q) == (4, 0)
    assert point_stock.variant_by_sku("NO-SUCH-SKU") is None


# ---- the hold period ------------------------------------------------------------------------------

def test_an_order_not_collected_in_time_becomes_unclaimed(app, desk, make_order, put_stock):
    put_stock(desk.noodles, desk.p, 5)
    db.session.commit()
    order = make_order((desk.noodles, 2), (desk.squid, 1), point=desk.p, language="en")
    shelf = next(p for p in order.parts if p.route == Route.POINT_STOCK).id
    parcel = next(p for p in order.parts if p.route == Route.VIA_POINT).id
    receiving.put_aside(desk.p.id, shelf, desk.staff_p)
    _send(parcel, desk.user_b)
    receiving.receive_parcel(desk.p.id, str(parcel), desk.staff_p)
    assert stock_of(desk.noodles, desk.p) == (5, 2)

    assert hold.expire_pickups(at=now() + dt.timedelta(days=6)) == []
    assert hold.expire_pickups(at=now() + dt.timedelta(days=8)) == [order.number]

    order = fresh_order(order.id)
    assert order.status == OrderStatus.CANCELLED
    assert {p.status for p in order.parts} == {PartStatus.UNCLAIMED}
    assert order.payment.status == PaymentStatus.FAILED
    assert stock_of(desk.noodles, desk.p) == (5, 0)  # back in the point's free stock
    assert stock_of(desk.squid, desk.b) == (9, 0)  # the parcel is at the point, not back at the producer yet
    unclaimed = messages_of("order_unclaimed")
    assert sorted((m.recipient, m.language) for m in unclaimed) == [
        ("khach@example.vn", "en"), (app.config["OPERATOR_EMAIL"], "vi")]
    [to_producer] = messages_of("part_unclaimed")
    assert (to_producer.recipient, to_producer.payload["part_id"]) == ("binh@manhhai.vn", parcel)
    assert [p.id for p in reports.dashboard(desk.p.id)["returns"]] == [parcel]
    assert _events(order.id, "unclaimed")

    assert hold.expire_pickups(at=now() + dt.timedelta(days=30)) == []
    assert len(messages_of("order_unclaimed")) == 2 and len(messages_of("part_unclaimed")) == 1


def test_an_unclaimed_parcel_is_given_back_once(app, desk, two_parcels):
    order = _ready(desk, two_parcels)
    hold.expire_pickups(at=now() + dt.timedelta(days=8))
    parcel = _part(order, desk.a)

    with pytest.raises(errors.PartNotHere):
        hold.mark_returned(desk.q.id, parcel, desk.staff_q)
    hold.mark_returned(desk.p.id, parcel, desk.staff_p)
    with pytest.raises(errors.NotUnclaimed):
        hold.mark_returned(desk.p.id, parcel, desk.staff_p)

    assert len(_events(order.id, "returned_to_producer")) == 1
    assert [p.id for p in reports.dashboard(desk.p.id)["returns"]] == [_part(order, desk.b)]


def test_a_parcel_that_was_collected_cannot_be_marked_returned(app, desk, two_parcels):
    order = _ready(desk, two_parcels)
    handover.hand_over(desk.p.id, order.pickup_code, desk.staff_p, identity_checked=True, tendered_vnd=450_000)
    with pytest.raises(errors.NotUnclaimed):
        hold.mark_returned(desk.p.id, _part(order, desk.a), desk.staff_p)


def test_an_order_handed_over_is_never_expired(app, desk, two_parcels):
    order = _ready(desk, two_parcels)
    handover.hand_over(desk.p.id, order.pickup_code, desk.staff_p, identity_checked=True, tendered_vnd=450_000)

    assert hold.expire_pickups(at=now() + dt.timedelta(days=30)) == []
    order = fresh_order(order.id)
    assert order.status == OrderStatus.COMPLETED and order.payment.status == PaymentStatus.PAID
    assert messages_of("order_unclaimed") == [] and messages_of("part_unclaimed") == []


def test_customers_are_reminded_once_the_day_before_the_hold_ends(app, desk, two_parcels):
    order = _ready(desk, two_parcels)
    hold_until = aware(order.hold_until)

    assert hold.send_reminders(at=hold_until - dt.timedelta(days=3)) == []
    assert hold.send_reminders(at=hold_until - dt.timedelta(days=1)) == [order.number]
    assert hold.send_reminders(at=hold_until - dt.timedelta(hours=2)) == []

    [reminder] = messages_of("pickup_reminder")
    assert (reminder.recipient, reminder.language) == ("lan@example.vn", "en")
    assert reminder.payload["pickup_code"] == order.pickup_code
    assert fresh_order(order.id).status == OrderStatus.READY_FOR_PICKUP


def test_the_cron_commands_report_what_they_did(app, desk, two_parcels):
    order = _ready(desk, two_parcels)
    order.hold_until = now() - dt.timedelta(minutes=1)
    db.session.commit()
    runner = app.test_cli_runner()

    result = runner.invoke(args=["pickups", "expire"])

    assert result.exit_code == 0 and f"Unclaimed: 1 ({order.number})" in result.output
    assert "Unclaimed: 0." in runner.invoke(args=["pickups", "expire"]).output
    assert "Reminded: 0." in runner.invoke(args=["pickups", "remind"]).output


def test_the_cron_commands_run_as_of_the_moment_given_with_now(app, desk, two_parcels):
    order = _ready(desk, two_parcels)
    hold_until = aware(order.hold_until)
    runner = app.test_cli_runner()

    def as_of(command, moment):
        result = runner.invoke(args=["pickups", command, "--now", moment.isoformat()])
        assert result.exit_code == 0, result.output
        return result.output

    assert "Reminded: 0." in as_of("remind", hold_until - dt.timedelta(days=3))
    assert f"Reminded: 1 ({order.number})" in as_of("remind", hold_until - dt.timedelta(days=1))
    assert "Unclaimed: 0." in as_of("expire", hold_until - dt.timedelta(minutes=1))
    assert f"Unclaimed: 1 ({order.number})" in as_of("expire", hold_until + dt.timedelta(minutes=1))
    assert {p.status for p in fresh_order(order.id).parts} == {PartStatus.UNCLAIMED}


def test_a_time_without_a_zone_is_read_as_vietnam_time(app, desk, two_parcels):
    order = _ready(desk, two_parcels)
    in_vietnam = aware(order.hold_until).astimezone(dt.timezone(dt.timedelta(hours=7)))
    just_before = (in_vietnam - dt.timedelta(minutes=30)).replace(tzinfo=None)
    runner = app.test_cli_runner()

    # Read as UTC, half an hour before the hold's end in Vietnam would be seven hours after it.
    assert "Unclaimed: 0." in runner.invoke(args=["pickups", "expire", "--now", just_before.isoformat()]).output
    assert fresh_order(order.id).status == OrderStatus.READY_FOR_PICKUP


def test_a_bad_now_is_refused_before_anything_happens(app, desk, two_parcels):
    order = _ready(desk, two_parcels)
    order.hold_until = now() - dt.timedelta(minutes=1)
    db.session.commit()

    result = app.test_cli_runner().invoke(args=["pickups", "expire", "--now", "24/12/2026 9h"])

    assert result.exit_code == 2
    assert "'24/12/2026 9h' is not an ISO 8601 time" in result.output
    assert fresh_order(order.id).status == OrderStatus.READY_FOR_PICKUP


# ---- lists and cash ------------------------------------------------------------------------------

def test_the_dashboard_shows_only_this_points_orders(app, desk, two_parcels, make_order):
    other = make_order((desk.noodles, 1), point=desk.q)
    part = _part(two_parcels, desk.a)
    _send(part, desk.user_a)
    _send(other.parts[0].id, desk.user_a)

    at_p, at_q = reports.dashboard(desk.p.id), reports.dashboard(desk.q.id)
    assert [p.id for p in at_p["on_the_way"]] == [part]
    assert [p.id for p in at_q["on_the_way"]] == [other.parts[0].id]
    assert [o.id for o in at_p["waiting"] + at_p["ready"]] == [] and at_q["to_prepare"] == []
    assert handover.order_at_point(desk.q.id, two_parcels.number) is None


def test_a_parcel_is_late_some_days_after_the_order(app, desk, two_parcels):
    part = two_parcels.parts[0]
    placed = aware(two_parcels.created_at)
    assert not reports.is_late(part, two_parcels, at=placed + dt.timedelta(days=3))
    assert reports.is_late(part, two_parcels, at=placed + dt.timedelta(days=5))


def test_the_cash_report_counts_each_staff_members_takings(app, desk, two_parcels, make_order):
    colleague = desk.colleague_p
    db.session.commit()
    first = _ready(desk, two_parcels)
    second = _ready(desk, make_order((desk.noodles, 1), point=desk.p))
    handover.hand_over(desk.p.id, first.pickup_code, desk.staff_p, identity_checked=True, tendered_vnd=500_000)
    handover.hand_over(desk.p.id, second.pickup_code, colleague, identity_checked=True, tendered_vnd=100_000)
    day = today()

    report = reports.cash_report(desk.p.id, day)
    assert report.total_vnd == 550_000
    assert report.by_staff == {"Phạm Thu": (1, 450_000), "Đỗ Mai": (1, 100_000)}
    assert [r.order_number for r in reports.cash_report(desk.p.id, day, staff_id=colleague.id).rows] == [
        second.number]
    assert reports.cash_report(desk.q.id, day).rows == []
    assert reports.cash_report(desk.p.id, day - dt.timedelta(days=1)).rows == []
    assert reports.dashboard(desk.p.id)["cash_today_vnd"] == 550_000
    assert db.session.scalar(select(func.count()).select_from(OrderEvent).where(
        OrderEvent.kind == "collected")) == 2


def test_every_message_the_desk_queues_renders_as_an_email(app, desk, make_order, put_stock):
    from shop.notifications.rendering import render

    put_stock(desk.noodles, desk.p, 5)
    db.session.commit()
    order = make_order((desk.noodles, 2), (desk.squid, 1), point=desk.p, language="en")
    receiving.put_aside(desk.p.id, next(p.id for p in order.parts if p.route == Route.POINT_STOCK), desk.staff_p)
    parcel = next(p.id for p in order.parts if p.route == Route.VIA_POINT)
    _send(parcel, desk.user_b)
    receiving.receive_parcel(desk.p.id, str(parcel), desk.staff_p)
    order = fresh_order(order.id)
    hold.send_reminders(at=aware(order.hold_until) - dt.timedelta(days=1))
    hold.expire_pickups(at=aware(order.hold_until) + dt.timedelta(minutes=1))

    kinds = ("order_ready", "pickup_reminder", "order_unclaimed", "part_unclaimed")
    messages = list(db.session.scalars(select(OutboxMessage).where(OutboxMessage.kind.in_(kinds))
                                       .order_by(OutboxMessage.id)))
    assert sorted(m.kind for m in messages) == ["order_ready", "order_unclaimed", "order_unclaimed",
                                                "part_unclaimed", "pickup_reminder"]
    code = f"{order.pickup_code[:4]} {order.pickup_code[4:]}"
    for message in messages:
        mail = render(message)
        text = mail.get_body(("plain",)).get_content()
        assert mail["To"] == message.recipient
        assert order.number in mail["Subject"] + text
        if message.kind in ("order_ready", "pickup_reminder"):
            assert code in text  # in two groups of four, easy to read out at the counter
            assert "450,000" in text  # the cash to bring


def test_an_order_handed_over_while_the_expiry_runs_is_not_expired(app, desk, two_parcels, monkeypatch):
    order = _ready(desk, two_parcels)
    listed = hold._ready_orders_ids(OrderStatus.READY_FOR_PICKUP == Order.status)
    assert listed == [order.id]
    # The expiry listed the order, then staff handed it over before the expiry took its lock.
    handover.hand_over(desk.p.id, order.pickup_code, desk.staff_p, identity_checked=True, tendered_vnd=450_000)
    monkeypatch.setattr(hold, "_ready_orders_ids", lambda condition: listed)

    assert hold.expire_pickups(at=now() + dt.timedelta(days=8)) == []
    assert hold.send_reminders(at=aware(order.hold_until) - dt.timedelta(days=1)) == []
    order = fresh_order(order.id)
    assert order.status == OrderStatus.COMPLETED and order.payment.status == PaymentStatus.PAID
    assert messages_of("order_unclaimed") == [] and messages_of("pickup_reminder") == []
