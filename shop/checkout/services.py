"""place_order: one transaction that turns a cart into an order, or changes nothing."""
from __future__ import annotations

import datetime as dt
import secrets
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import joinedload
from sqlalchemy.orm.attributes import set_committed_value

from shop.clock import now
from shop.auth import consents
from shop.cart.models import Cart, CartLine
from shop.cart.services import goods_totals
from shop.catalog.models import Product, Variant
from shop.checkout import rules
from shop.countries import VIETNAM, country_name, needs_postal_code
from shop.errors import ShopError
from shop.extensions import begin_write, db
from shop.labels import PAYMENT_METHODS
from shop.ledger.commission import rates_for
from shop.formats import format_day
from shop.inventory.services import Allocation, Holdings, NotEnoughStock, allocate, holdings
from shop.money import format_vnd
from shop.notifications.outbox import enqueue
from shop.orders import messages as order_messages, part_messages
from shop.orders.models import DeliveryMethod, Fulfillment, Order, OrderCounter, OrderLine, PartStatus, Route
from shop.orders.codes import new_pickup_code
from shop.orders.amounts import freeze_part_amounts
from shop.orders.lifecycle import placed
from shop.orders.payment import Payment, PaymentMethod
from shop.payments.services import card_due_by, methods_for, transfer_due_by, transfer_instructions
from shop.places import delivery_fee, provinces, quang_ninh_wards
from shop.sales_points.models import PickupMode, SalesPoint

ATTEMPTS = 3


class CheckoutError(ShopError):
    """Checkout cannot go on; str(error) is a message safe to show the customer, in their language."""

    message = _l("Your order could not be placed.")


class EmptyCart(CheckoutError):
    message = _l("Your cart is empty.")


class OutOfStock(CheckoutError):
    message = _l("Sorry, “%(name)s” is sold out or fewer units are left than you asked for. Nothing was ordered; please change the quantity.")


class NotSoldOnline(CheckoutError):
    message = _l("“%(name)s” cannot be bought online.")


class PickupUnavailable(CheckoutError):
    message = _l("This sales point cannot hand over your order. Please choose another one.")


class PointClosed(CheckoutError):
    message = _l("This sales point is closed until %(until)s. Please choose another one.")


class ColdChainTooFar(CheckoutError):
    message = _l("“%(name)s” must stay chilled: choose pickup, or delivery inside Quảng Ninh.")


class BadAddress(CheckoutError):
    message = _l("Please give a complete delivery address.")


class CannotShipAbroad(CheckoutError):
    message = _l("These items cannot be sent abroad: %(items)s. Pick them up at an OCOP sales point instead, "
                 "or remove them from your cart to send the rest abroad.")


class NoShippingToCountry(CheckoutError):
    message = _l("Sorry, we do not send parcels to %(country)s. Please choose another country, "
                 "or pick your order up at an OCOP sales point.")


class MethodNotAllowed(CheckoutError):
    message = _l("This payment method is not available for this delivery choice.")


class BirthDateMissing(CheckoutError):
    message = _l("Your cart holds alcohol: please give your date of birth. We do not sell alcohol to anyone under 18.")


class TooYoungForAlcohol(CheckoutError):
    message = _l("We do not sell alcohol to anyone under 18 (Law 44/2019/QH14). Please remove the alcoholic drinks from your cart.")


class AlcoholPaymentNotAllowed(CheckoutError):
    message = _l("Orders with alcohol are paid by %(methods)s, so that the buyer is identified. Please choose one of them.")


class ConsentMissing(CheckoutError):
    message = _l("Please agree to the processing of your personal data for this order.")


class PricesChanged(CheckoutError):
    message = _l("Prices or fees changed since you reviewed your order (new total %(total)s). Please review it again.")


class Busy(CheckoutError):
    message = _l("The shop is very busy right now. Nothing was ordered; please try again in a moment.")


@dataclass
class CheckoutData:
    """What the customer chose in the checkout steps; ids and choices only, never prices."""

    name: str
    email: str
    phone: str  #: E.164
    language: str
    delivery: DeliveryMethod
    payment: PaymentMethod
    sales_point_id: int | None = None
    #: ISO 3166 alpha-2 of the delivery address.
    country_code: str = VIETNAM
    #: Empty: the contact's name.
    recipient_name: str = ""
    #: E.164; empty: the contact's phone. Abroad, the number the carrier at the destination calls.
    recipient_phone: str = ""
    province_code: str = ""  #: Vietnam only, like the ward
    ward_code: str = ""
    ward_name: str = ""
    address_line: str = ""
    # Abroad only: the address as its country writes it.
    address_line2: str = ""
    city: str = ""
    region: str = ""
    postal_code: str = ""
    data_consent: bool = False
    marketing_consent: bool = False
    note: str = ""
    #: Asked only when the cart holds alcohol (18+).
    birth_date: dt.date | None = None

    @property
    def is_abroad(self) -> bool:
        return self.delivery == DeliveryMethod.DELIVERY and self.country_code != VIETNAM

    @property
    def province_name(self) -> str:
        province = provinces().get(self.province_code)
        return province.name if province else ""


@dataclass
class Quote:
    """The server's prices for a cart and a delivery choice."""

    subtotal_vnd: int
    shipping_vnd: int
    weight_g: int

    @property
    def total_vnd(self) -> int:
        return self.subtotal_vnd + self.shipping_vnd


def load_cart_lines(cart_id: int) -> list[CartLine]:
    return list(db.session.scalars(
        select(CartLine).where(CartLine.cart_id == cart_id).order_by(CartLine.id)
        .options(joinedload(CartLine.variant).joinedload(Variant.product).options(
            joinedload(Product.producer), joinedload(Product.category)))
    ))


def quote(lines: list[CartLine], data: CheckoutData) -> Quote:
    """Subtotal from today's prices, weight, and the delivery fee."""
    subtotal, weight = goods_totals(lines)
    shipping = 0
    if data.is_abroad:
        shipping = rules.abroad_fee(data.country_code, weight)
    elif data.delivery == DeliveryMethod.DELIVERY and data.province_code:
        shipping = delivery_fee(data.province_code, weight, subtotal)
    return Quote(subtotal_vnd=subtotal, shipping_vnd=shipping, weight_g=weight)


def check_rules(lines: list[CartLine], data: CheckoutData) -> SalesPoint | None:
    """Every rule of DESIGN.md that does not need stock; return the pickup point if any."""
    if not lines:
        raise EmptyCart()
    for line in lines:
        product = line.variant.product
        if not line.variant.is_active or not product.can_buy_online:
            raise NotSoldOnline(name=product.name)
    if not data.data_consent:
        raise ConsentMissing()
    alcohol = rules.cart_has_alcohol(lines)
    if alcohol:
        _check_alcohol_buyer(data)
    if data.payment not in rules.payment_methods(data.delivery, data.country_code, alcohol):
        if alcohol and data.payment in methods_for(data.delivery, data.country_code):
            raise AlcoholPaymentNotAllowed(methods=alcohol_methods_text(data.delivery, data.country_code))
        raise MethodNotAllowed()
    if data.delivery == DeliveryMethod.PICKUP:
        point = db.session.get(SalesPoint, data.sales_point_id) if data.sales_point_id else None
        if point is None or not point.is_active or point.pickup_mode == PickupMode.OFF:
            raise PickupUnavailable()
        until = rules.closed_until(point)
        if until is not None:
            raise PointClosed(until=format_day(until))
        return point
    if data.is_abroad:
        _check_abroad(lines, data)
    else:
        _check_vietnam(lines, data)
    return None


def _check_alcohol_buyer(data: CheckoutData) -> None:
    """Law 44/2019: alcohol only for buyers of 18 or more, on today's date in Vietnam."""
    if data.birth_date is None:
        raise BirthDateMissing()
    if not rules.may_buy_alcohol(data.birth_date):
        raise TooYoungForAlcohol()


def alcohol_methods_text(delivery: DeliveryMethod, country_code: str) -> str:
    """The payment methods an order with alcohol may use for this delivery choice, in the reader's language."""
    return ", ".join(str(PAYMENT_METHODS[m]) for m in rules.payment_methods(delivery, country_code, alcohol=True))


def _check_vietnam(lines: list[CartLine], data: CheckoutData) -> None:
    if data.province_code not in provinces() or not data.address_line.strip() or not data.ward_name.strip():
        raise BadAddress()
    if data.province_code == rules.QUANG_NINH and data.ward_code not in quang_ninh_wards():
        raise BadAddress()
    for line in lines:
        if line.variant.product.cold_chain and not rules.may_deliver_cold_chain_to(data.province_code):
            raise ColdChainTooFar(name=line.variant.product.name)


def _check_abroad(lines: list[CartLine], data: CheckoutData) -> None:
    """A country some zone ships to, a complete address, and only products allowed abroad."""
    if rules.abroad_zone(data.country_code) is None:
        raise NoShippingToCountry(country=country_name(data.country_code))
    if not data.address_line.strip() or not data.city.strip() \
            or (needs_postal_code(data.country_code) and not data.postal_code.strip()):
        raise BadAddress()
    refusals = rules.abroad_refusals(lines)
    if refusals:
        raise CannotShipAbroad(items="; ".join(refusals))


def _plan(lines: list[CartLine], point: SalesPoint | None, held: Holdings,
          not_from_point: frozenset[int] = frozenset()) -> dict[CartLine, tuple[int, Route]]:
    """Where each line's units come from: the pickup point's own stock first, else the producer."""
    plan = {}
    for line in lines:
        if point is not None and line.variant_id not in not_from_point \
                and held.point_location is not None and held.free_at(held.point_location, line.variant_id) >= line.quantity:
            plan[line] = (held.point_location, Route.POINT_STOCK)
        elif point is not None and point.pickup_mode == PickupMode.OWN_STOCK:
            raise PickupUnavailable()
        else:
            route = Route.VIA_POINT if point is not None else Route.DELIVERY
            plan[line] = (held.producer_locations.get(line.variant.product.producer_id), route)
    return plan


def _next_number(placed_at: dt.datetime) -> str:
    """QN-YYMM-NNNN, from a per-month counter row that concurrent checkouts take in turn."""
    period = (placed_at + dt.timedelta(hours=7)).strftime("%y%m")
    dialect_insert = pg_insert if db.session.get_bind().dialect.name == "postgresql" else sqlite_insert
    # One statement: the month's first order makes the row, every later one counts up on it (the row lock orders them).
    insert = dialect_insert(OrderCounter).values(period=period, last_number=1)
    number = db.session.execute(
        insert.on_conflict_do_update(index_elements=[OrderCounter.period],
                                     set_={"last_number": OrderCounter.last_number + 1})
        .returning(OrderCounter.last_number)
    ).scalar_one()
    return f"QN-{period}-{number:04d}"


def existing_order(checkout_key: str) -> Order | None:
    return db.session.scalar(select(Order).where(Order.checkout_key == checkout_key))


def place_order(cart_id: int, data: CheckoutData, checkout_key: str, expected_total_vnd: int | None,
                user=None) -> Order:
    """Turn the cart into an order in ONE transaction; the same checkout key always gives one order.

    The key is looked up only when placing fails (its unique index refuses a second order; the cart a first
    order emptied is refused as empty): the order placed with it is the answer then.
    """
    not_from_point: frozenset[int] = frozenset()
    for attempt in range(ATTEMPTS):
        try:
            return _place_once(cart_id, data, checkout_key, expected_total_vnd, user, not_from_point)
        except CheckoutError:
            db.session.rollback()
            order = existing_order(checkout_key)
            if order is not None:
                return order
            raise
        except _PointRanShort as short:
            # Another order took the point's last units between reading and allocating:
            # the producer can still send them (the point receives parcels).
            not_from_point |= {short.variant_id}
            if attempt == ATTEMPTS - 1:
                raise Busy()
        except IntegrityError:
            db.session.rollback()
            # A parallel submission of the same checkout won the race: answer with its order.
            order = existing_order(checkout_key)
            if order is not None:
                return order
            if attempt == ATTEMPTS - 1:
                raise Busy()
        except OperationalError:
            # PostgreSQL deadlock victim or SQLite still locked after the busy timeout: start over.
            db.session.rollback()
            if attempt == ATTEMPTS - 1:
                raise Busy()
    raise Busy()


class _PointRanShort(Exception):
    def __init__(self, variant_id: int):
        super().__init__(variant_id)
        self.variant_id = variant_id


def _place_once(cart_id, data, checkout_key, expected_total_vnd, user, not_from_point=frozenset()) -> Order:
    begin_write()
    lines = load_cart_lines(cart_id)
    point = check_rules(lines, data)
    prices = quote(lines, data)
    if expected_total_vnd is not None and expected_total_vnd != prices.total_vnd:
        db.session.rollback()
        raise PricesChanged(total=format_vnd(prices.total_vnd))
    held = holdings({line.variant_id for line in lines}, {line.variant.product.producer_id for line in lines},
                    point.id if point is not None else None)
    plan = _plan(lines, point, held, not_from_point)
    try:
        allocate([Allocation(line.variant_id, location, line.quantity) for line, (location, _) in plan.items()],
                 held.stock_ids())
    except NotEnoughStock as short:
        db.session.rollback()
        route = next((r for l, (_, r) in plan.items() if l.variant_id == short.allocation.variant_id), None)
        if route == Route.POINT_STOCK and point.pickup_mode == PickupMode.ANY_STOCK:
            raise _PointRanShort(short.allocation.variant_id) from None
        name = next(l.variant.product.name for l in lines if l.variant_id == short.allocation.variant_id)
        raise OutOfStock(name=name) from None

    placed_at = now()
    order = Order(
        number=_next_number(placed_at), access_token=secrets.token_urlsafe(24), checkout_key=checkout_key,
        pickup_code=new_pickup_code(), user_id=user.id if user is not None and user.is_authenticated else None,
        language=data.language, contact_name=data.name, contact_email=data.email, contact_phone=data.phone,
        delivery_method=data.delivery, subtotal_vnd=prices.subtotal_vnd, shipping_vnd=prices.shipping_vnd,
        total_vnd=prices.total_vnd, data_consent_at=placed_at, marketing_consent=data.marketing_consent,
        note=data.note[:500], buyer_birth_date=data.birth_date if rules.cart_has_alcohol(lines) else None,
    )
    if point is not None:
        # Kept as it was at purchase: a renamed or moved point does not rewrite this order.
        order.sales_point_id, order.sales_point_code = point.id, point.code
        order.sales_point_name, order.sales_point_address = point.name, point.address
        order.sales_point_name_i18n = _in_other_languages(point, "name")
    else:
        _snapshot_address(order, data)

    rates = rates_for({line.variant.product for line in plan})
    parts: dict[tuple[int, int], Fulfillment] = {}
    for line, (location, route) in plan.items():
        product = line.variant.product
        key = (product.producer_id, location)
        if key not in parts:
            parts[key] = Fulfillment(producer_id=product.producer_id, producer_name=product.producer.name,
                                     route=route, source_location_id=location, status=PartStatus.NEW)
            order.parts.append(parts[key])
        # What the customer saw and paid, kept whatever the catalog becomes.
        order.lines.append(OrderLine(
            part=parts[key], variant_id=line.variant_id, source_location_id=location,
            product_slug=product.slug, product_name=product.name, product_name_i18n=_in_other_languages(product, "name"),
            variant_label=line.variant.label, variant_label_i18n=_in_other_languages(line.variant, "label"),
            sku=line.variant.sku, producer_id=product.producer_id, producer_name=product.producer.name,
            unit_price_vnd=line.variant.price_vnd, quantity=line.quantity,
            line_total_vnd=line.variant.price_vnd * line.quantity, weight_g=line.variant.weight_g,
            commission_bps=rates[product.id],
        ))
    # What each parcel is worth, frozen now: a COD parcel collects its own amount, never the whole order's.
    freeze_part_amounts(order, list(parts.values()))
    payment = Payment(method=data.payment, amount_vnd=prices.total_vnd)
    if data.payment == PaymentMethod.VIETQR_TRANSFER:
        payment.due_by = transfer_due_by(placed_at)
    elif data.payment == PaymentMethod.STRIPE_CARD:
        payment.due_by = card_due_by(placed_at)  # the Stripe page lapses then; unpaid, the stock goes back
    order.payments.append(payment)
    db.session.add(order)
    db.session.flush()
    placed(order, user if user is not None and user.is_authenticated else "customer",
           total_vnd=prices.total_vnd, payment=str(data.payment))
    transfer = (transfer_instructions(order.number, order.total_vnd)
                if data.payment == PaymentMethod.VIETQR_TRANSFER else None)
    enqueue(order_messages.order_placed(order, transfer), fresh=True)
    # Each producer's users hear of their own part only; parts served from a point's stock are the point's work.
    for part in order.parts:
        if part.route != Route.POINT_STOCK:
            enqueue(part_messages.part_new(order, part), fresh=True)
    _record_consents(order, data, user)
    db.session.execute(CartLine.__table__.delete().where(CartLine.cart_id == cart_id))
    # The checkout's contact and address were kept on the cart between the steps; the order has them now.
    db.session.execute(Cart.__table__.update().where(Cart.id == cart_id).values(checkout=None))
    # Kept loaded through the commit: the redirect to the order page needs no SELECT.
    kept = {name: getattr(order, name) for name in ("id", "number", "access_token", "status")}
    db.session.commit()
    for name, value in kept.items():
        set_committed_value(order, name, value)
    return order


def _record_consents(order: Order, data: CheckoutData, user) -> None:
    """Decree 13/2023: the order's consent to process the buyer's data, and the marketing answer, with the notice version."""
    user_id = user.id if user is not None and user.is_authenticated else None
    for purpose, granted in ((consents.Purpose.PERSONAL_DATA, True),
                             (consents.Purpose.MARKETING_EMAIL, data.marketing_consent)):
        consents.record(purpose, granted, consents.Source.CHECKOUT, email=data.email, user_id=user_id,
                        order_id=order.id, at=order.data_consent_at)


def _snapshot_address(order: Order, data: CheckoutData) -> None:
    """Copy the delivery address onto the order: as typed, it is where the parcel goes whatever changes later."""
    order.recipient_name = (data.recipient_name or data.name).strip()
    order.recipient_phone = data.recipient_phone if data.recipient_phone != data.phone else ""
    order.country_code, order.address_line = data.country_code, data.address_line.strip()
    if data.is_abroad:
        order.address_line2, order.city = data.address_line2.strip(), data.city.strip()
        order.region, order.postal_code = data.region.strip(), data.postal_code.strip()
        return
    order.province_code, order.province_name = data.province_code, provinces()[data.province_code].name
    order.ward_code, order.ward_name = data.ward_code, data.ward_name.strip()


def _in_other_languages(record, field: str) -> dict:
    """{"en": …, "zh": …, "ko": …} of a translated record's field, as the order keeps it."""
    return {lang: fields[field] for lang, fields in (record.i18n or {}).items() if fields.get(field)}
