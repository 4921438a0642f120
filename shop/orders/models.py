"""Orders, their lines, their parts (one parcel per producer and source), and the audit trail."""
from __future__ import annotations

import datetime as dt
import enum

from sqlalchemy import JSON, CheckConstraint, Date, DateTime, ForeignKey, String, func
from sqlalchemy.orm import Mapped, mapped_column, relationship, validates

from shop.errors import InvalidTransition  # noqa: F401  (raised by the moves below; importers find it here too)
from shop.extensions import db
from shop.text import fold


class DeliveryMethod(enum.StrEnum):
    PICKUP = "pickup"  #: collected by the customer at a sales point
    DELIVERY = "delivery"  #: carried to the customer's address


class Route(enum.StrEnum):
    VIA_POINT = "via_point"  #: the producer sends the parcel to the pickup sales point
    POINT_STOCK = "point_stock"  #: the pickup sales point hands out its own stock
    DELIVERY = "delivery"  #: the producer ships to the customer


class PartStatus(enum.StrEnum):
    NEW = "new"  #: placed; the producer (or the point) has not acted yet
    ACCEPTED = "accepted"  #: the producer confirmed it will fulfil the part
    PACKED = "packed"  #: the parcel is ready to leave the producer
    SENT_TO_POINT = "sent_to_point"  #: handed to the carrier towards the sales point
    AT_POINT = "at_point"  #: the sales point received the parcel
    READY = "ready"  #: waiting at the sales point for the customer
    COLLECTED = "collected"  #: handed to the customer
    SHIPPED = "shipped"  #: on its way to the customer's address
    DELIVERED = "delivered"  #: received at the address
    CANCELLED = "cancelled"  #: will not be fulfilled; its stock was released
    UNCLAIMED = "unclaimed"  #: ready too long without the customer; goods go back


S = PartStatus
#: The only moves a part may make, per route. Cancelling is allowed from any status before
#: the goods reach the customer; `ready` may also lapse to `unclaimed`.
TRANSITIONS: dict[Route, dict[PartStatus, set[PartStatus]]] = {
    # A parcel the point has in hand is received even if the producer did not click "sent".
    Route.VIA_POINT: {S.NEW: {S.ACCEPTED}, S.ACCEPTED: {S.PACKED, S.AT_POINT}, S.PACKED: {S.SENT_TO_POINT, S.AT_POINT},
                      S.SENT_TO_POINT: {S.AT_POINT}, S.AT_POINT: {S.READY}, S.READY: {S.COLLECTED, S.UNCLAIMED}},
    # The point's staff put the goods aside (at_point) until every parcel of the order is there.
    Route.POINT_STOCK: {S.NEW: {S.AT_POINT}, S.AT_POINT: {S.READY}, S.READY: {S.COLLECTED, S.UNCLAIMED}},
    Route.DELIVERY: {S.NEW: {S.ACCEPTED}, S.ACCEPTED: {S.PACKED}, S.PACKED: {S.SHIPPED}, S.SHIPPED: {S.DELIVERED}},
}
FINAL = {S.COLLECTED, S.DELIVERED, S.CANCELLED, S.UNCLAIMED}
#: Parts that will never reach the customer: their goods are not theirs to pay for.
GONE = frozenset({S.CANCELLED, S.UNCLAIMED})
#: Before these, a customer may still cancel: nothing has been packed or put aside.
CUSTOMER_CANCELLABLE = {S.NEW, S.ACCEPTED}
#: Parts a producer fulfils itself; parts served from a sales point's own stock are the point's work.
PRODUCER_ROUTES = (Route.VIA_POINT, Route.DELIVERY)
#: Before these, a producer may still reject its part.
PRODUCER_REJECTABLE = frozenset({S.NEW, S.ACCEPTED})
# The moves after sent_to_point (at_point, ready, collected) are the sales point's, not the producer's.
_PRODUCER_STEPS = frozenset({S.ACCEPTED, S.PACKED, S.SENT_TO_POINT, S.SHIPPED, S.DELIVERED})
_BEFORE_POINT = frozenset({S.NEW, S.ACCEPTED, S.PACKED, S.SENT_TO_POINT})
#: Once a producer's parcel reaches these, its units have left the producer's store (stock consumed).
_LEFT_PRODUCER = {S.SENT_TO_POINT, S.AT_POINT, S.READY, S.COLLECTED, S.UNCLAIMED, S.SHIPPED, S.DELIVERED}


def holds_allocation(route: Route, status: PartStatus) -> bool:
    """True while the part's units are still allocated at its source (not yet gone, not released)."""
    if status == S.CANCELLED:
        return False
    if route == Route.POINT_STOCK:
        # The point's goods stay on its shelf, set aside, until the customer takes them.
        return status not in (S.COLLECTED, S.UNCLAIMED)
    return status not in _LEFT_PRODUCER


def allowed_moves(route: Route, status: PartStatus) -> set[PartStatus]:
    moves = set(TRANSITIONS[route].get(status, set()))
    if status not in FINAL:
        moves.add(S.CANCELLED)
    return moves


class OrderStatus(enum.StrEnum):
    PENDING_PAYMENT = "pending_payment"  #: waiting for a bank transfer (or card) before anything moves
    CONFIRMED = "confirmed"  #: placed and payable on pickup/delivery, or paid; no part moved yet
    IN_PROGRESS = "in_progress"  #: at least one part is being prepared or is on its way
    READY_FOR_PICKUP = "ready_for_pickup"  #: every part waits at the sales point
    SHIPPED = "shipped"  #: every part is on its way to the address (or delivered)
    COMPLETED = "completed"  #: every part collected or delivered
    CANCELLED = "cancelled"  #: every part cancelled (or unclaimed)
    REFUNDED = "refunded"  #: cancelled and the money went back


def _in_language(vietnamese: str, others: dict | None) -> str:
    from shop.i18n import current_language

    return (others or {}).get(current_language()) or vietnamese


class OrderCounter(db.Model):
    """The last order number used in a month, so numbers stay short, readable and unique."""

    period: Mapped[str] = mapped_column(String(4), primary_key=True)  #: YYMM
    last_number: Mapped[int] = mapped_column(default=0)


class Order(db.Model):
    """What the customer bought, as it was at purchase: names, prices, producer, sales point."""

    __table_args__ = (
        CheckConstraint("total_vnd = subtotal_vnd + shipping_vnd", name="total_adds_up"),
        CheckConstraint("delivery_method <> 'pickup' OR sales_point_id IS NOT NULL", name="pickup_has_point"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(20), unique=True)  #: QN-YYMM-NNNN
    #: Secret for guests' order links; compared in constant time.
    access_token: Mapped[str] = mapped_column(String(64))
    #: Random key of one checkout attempt: the same checkout posted twice makes one order.
    checkout_key: Mapped[str] = mapped_column(String(64), unique=True)
    #: Shown at the sales point; unguessable, no look-alike characters.
    pickup_code: Mapped[str] = mapped_column(String(12), unique=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"), index=True)
    status: Mapped[OrderStatus] = mapped_column(String(20), default=OrderStatus.CONFIRMED, index=True)
    language: Mapped[str] = mapped_column(String(5), default="vi")

    contact_name: Mapped[str] = mapped_column(String(120))
    #: The contact's name folded (no marks, đ→d, lower case): the office finds "Nguyễn" by typing "nguyen".
    contact_name_folded: Mapped[str] = mapped_column(String(120), default="", server_default="", index=True)
    contact_email: Mapped[str] = mapped_column(String(254))
    contact_phone: Mapped[str] = mapped_column(String(20))

    delivery_method: Mapped[DeliveryMethod] = mapped_column(String(20))
    # Kept as they were at purchase, so a renamed or closed sales point does not rewrite history.
    sales_point_id: Mapped[int | None] = mapped_column(ForeignKey("sales_point.id"), index=True)
    sales_point_code: Mapped[str] = mapped_column(String(10), default="")
    sales_point_name: Mapped[str] = mapped_column(String(200), default="")
    #: The point's name in the other languages at purchase.
    sales_point_name_i18n: Mapped[dict | None] = mapped_column(JSON)
    sales_point_address: Mapped[str] = mapped_column(String(300), default="")
    # The delivery address as typed at checkout.
    recipient_name: Mapped[str] = mapped_column(String(120), default="")
    #: The number the carrier calls (E.164), when it differs from the contact's: given with an address abroad.
    recipient_phone: Mapped[str] = mapped_column(String(20), default="", server_default="")
    address_line: Mapped[str] = mapped_column(String(255), default="")
    ward_code: Mapped[str] = mapped_column(String(5), default="")
    ward_name: Mapped[str] = mapped_column(String(120), default="")
    province_code: Mapped[str] = mapped_column(String(2), default="")
    province_name: Mapped[str] = mapped_column(String(80), default="")
    #: ISO 3166 alpha-2 of the delivery address; "VN" for pickups and deliveries in Vietnam.
    country_code: Mapped[str] = mapped_column(String(2), default="VN", server_default="VN")
    # An address abroad, as its country writes it: free lines, city, region, postal code.
    address_line2: Mapped[str] = mapped_column(String(255), default="", server_default="")
    city: Mapped[str] = mapped_column(String(120), default="", server_default="")
    region: Mapped[str] = mapped_column(String(120), default="", server_default="")
    postal_code: Mapped[str] = mapped_column(String(20), default="", server_default="")

    subtotal_vnd: Mapped[int]
    shipping_vnd: Mapped[int] = mapped_column(default=0)
    total_vnd: Mapped[int]

    #: Decree 13/2023: consent to process personal data for this order, and optional marketing.
    data_consent_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True))
    #: The buyer's date of birth, asked only for an order with alcohol (18+, Law 44/2019); None otherwise.
    buyer_birth_date: Mapped[dt.date | None] = mapped_column(Date)
    marketing_consent: Mapped[bool] = mapped_column(default=False)
    note: Mapped[str] = mapped_column(String(500), default="")
    #: When the buyer's personal data was erased (privacy/erasure.py): the order stays for the accounts,
    #: its number, lines and money unchanged, with no name, phone, e-mail or address left.
    erased_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(), index=True)
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(),
                                                    onupdate=func.now())
    ready_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    #: Ready orders not collected by then become unclaimed (`flask pickups expire`).
    hold_until: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True), index=True)
    #: When the customer was reminded that the hold period ends soon (once per order).
    reminded_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    collected_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))

    lines: Mapped[list[OrderLine]] = relationship(back_populates="order", cascade="all, delete-orphan",
                                                  order_by="OrderLine.id")
    parts: Mapped[list[Fulfillment]] = relationship(back_populates="order", cascade="all, delete-orphan",
                                                    order_by="Fulfillment.id")
    payments: Mapped[list["Payment"]] = relationship(back_populates="order", cascade="all, delete-orphan",  # noqa: UP037
                                                     order_by="Payment.id")
    events: Mapped[list[OrderEvent]] = relationship(back_populates="order", cascade="all, delete-orphan",
                                                    order_by="OrderEvent.id")
    sales_point = relationship("SalesPoint")

    @validates("contact_name")
    def _fold_contact_name(self, _key: str, name: str) -> str:
        self.contact_name_folded = fold(name or "")[:120]
        return name

    @property
    def needs_id_check(self) -> bool:
        """An order with alcohol: whoever hands it over checks the buyer's ID (18 or older)."""
        return self.buyer_birth_date is not None

    @property
    def live_parts(self) -> list[Fulfillment]:
        """The parts still on their way to the customer or with them (not cancelled, not unclaimed)."""
        return [part for part in self.parts if part.status not in GONE]

    @property
    def gone_vnd(self) -> int:
        """What the goods of the cancelled and unclaimed parts cost."""
        return sum(line.line_total_vnd for part in self.parts if part.status in GONE for line in part.lines)

    @property
    def delivery_phone(self) -> str:
        """The number the carrier calls: the recipient's when one was given with the address, else the contact's."""
        return self.recipient_phone or self.contact_phone

    @property
    def sales_point_display_name(self) -> str:
        """The pickup point's name in the reader's language, as it was at purchase."""
        return _in_language(self.sales_point_name, self.sales_point_name_i18n)

    @property
    def payment(self):
        """The order's payment (one per order until card retries arrive)."""
        return self.payments[-1] if self.payments else None

    def part(self, part_id: int) -> Fulfillment | None:
        """This order's part with that id, or None."""
        return next((part for part in self.parts if part.id == part_id), None)

    @property
    def awaits_payment(self) -> bool:
        """Money must arrive before anything is prepared or put aside."""
        return self.status == OrderStatus.PENDING_PAYMENT

    @property
    def customer_may_cancel(self) -> bool:
        """The customer may still cancel: some part is live and none is packed or put aside yet."""
        live = [part for part in self.parts if part.status != PartStatus.CANCELLED]
        return bool(live) and all(part.status in CUSTOMER_CANCELLABLE for part in live)

    @property
    def is_ready_for_pickup(self) -> bool:
        return self.status == OrderStatus.READY_FOR_PICKUP


class Fulfillment(db.Model):
    """An order part: one producer's share of one order from one source, packed as one parcel."""

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id", ondelete="CASCADE"), index=True)
    producer_id: Mapped[int] = mapped_column(ForeignKey("producer.id"), index=True)
    producer_name: Mapped[str] = mapped_column(String(200))  #: as at purchase
    route: Mapped[Route] = mapped_column(String(20))
    source_location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    status: Mapped[PartStatus] = mapped_column(String(20), default=PartStatus.NEW, index=True)
    carrier: Mapped[str] = mapped_column(String(80), default="")
    tracking_number: Mapped[str] = mapped_column(String(80), default="")
    #: What the producer wrote when handing the parcel over (who carries it, how many boxes).
    handover_note: Mapped[str] = mapped_column(String(300), default="", server_default="")
    #: Why the part was cancelled or rejected, as written by whoever did it.
    cancel_reason: Mapped[str] = mapped_column(String(300), default="", server_default="")
    accepted_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    packed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    #: When the sales point received the parcel, or put the goods aside from its own stock.
    received_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    #: An unclaimed parcel given back to its producer by the sales point.
    returned_at: Mapped[dt.datetime | None] = mapped_column(DateTime(timezone=True))
    # What the parcel is worth, frozen at order time (orders/amounts.py has the rule): a cash-on-delivery
    # parcel collects exactly this, and the order's money is counted from its live parts.
    #: The part's goods at their purchase prices.
    goods_vnd: Mapped[int] = mapped_column(default=0, server_default="0")
    #: The share of the order's delivery fee this part carries.
    delivery_fee_vnd: Mapped[int] = mapped_column(default=0, server_default="0")
    #: Cash taken for this parcel on delivery (None until taken); the courier or producer holds it.
    collected_vnd: Mapped[int | None]
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now(),
                                                    onupdate=func.now())

    order: Mapped[Order] = relationship(back_populates="parts")
    lines: Mapped[list[OrderLine]] = relationship(back_populates="part", order_by="OrderLine.id")
    producer = relationship("Producer")

    @property
    def amount_vnd(self) -> int:
        """What this parcel is worth: its goods plus the delivery fee it carries."""
        return self.goods_vnd + self.delivery_fee_vnd

    @property
    def is_gone(self) -> bool:
        """Cancelled or unclaimed: its goods will never be the customer's."""
        return self.status in GONE

    @property
    def producer_may_reject(self) -> bool:
        """The producer may still refuse the part: once packed the goods exist, and only the office cancels."""
        return self.route in PRODUCER_ROUTES and self.status in PRODUCER_REJECTABLE

    @property
    def producer_moves(self) -> set[PartStatus]:
        """The next steps that are the producer's to take (the sales point takes the rest, and rejecting is apart)."""
        if self.route not in PRODUCER_ROUTES:
            return set()
        return allowed_moves(self.route, self.status) & _PRODUCER_STEPS

    @property
    def expected_at_point(self) -> bool:
        """A producer's parcel for the sales point that has not arrived there yet."""
        return self.route == Route.VIA_POINT and self.status in _BEFORE_POINT

    @property
    def awaits_return(self) -> bool:
        """An unclaimed producer parcel the sales point has not yet given back."""
        return self.status == PartStatus.UNCLAIMED and self.route == Route.VIA_POINT and self.returned_at is None

    def move_to(self, status: PartStatus) -> PartStatus:
        """Change status along the route's table; raise InvalidTransition otherwise."""
        if status not in allowed_moves(self.route, self.status):
            raise InvalidTransition(f"{self.route}: {self.status} → {status}")
        previous, self.status = self.status, status
        return previous


class OrderLine(db.Model):
    """One variant bought, with the names and price it had at purchase."""

    __table_args__ = (
        CheckConstraint("quantity > 0", name="quantity_positive"),
        CheckConstraint("line_total_vnd = unit_price_vnd * quantity", name="line_total_adds_up"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id", ondelete="CASCADE"), index=True)
    part_id: Mapped[int] = mapped_column(ForeignKey("fulfillment.id"), index=True)
    variant_id: Mapped[int | None] = mapped_column(ForeignKey("variant.id", ondelete="SET NULL"), index=True)
    #: Where the units were allocated, to release them exactly there.
    source_location_id: Mapped[int] = mapped_column(ForeignKey("location.id"))
    # The catalog may change after purchase; the order keeps what the customer saw and paid.
    product_slug: Mapped[str] = mapped_column(String(160))
    product_name: Mapped[str] = mapped_column(String(200))
    #: The product's name in the other languages at purchase: {"en": "...", "zh": "...", "ko": "..."}.
    product_name_i18n: Mapped[dict | None] = mapped_column(JSON)
    variant_label: Mapped[str] = mapped_column(String(120))
    #: The variant's label in the other languages at purchase: {"en": "Box 50 g", "zh": …, "ko": …}.
    variant_label_i18n: Mapped[dict | None] = mapped_column(JSON)
    sku: Mapped[str] = mapped_column(String(40))
    producer_id: Mapped[int] = mapped_column(ForeignKey("producer.id"))
    producer_name: Mapped[str] = mapped_column(String(200))
    unit_price_vnd: Mapped[int]
    quantity: Mapped[int]
    line_total_vnd: Mapped[int]
    weight_g: Mapped[int] = mapped_column(default=0)
    #: The shop's commission on this line in hundredths of a percent, frozen at sale: a rule the office
    #: changes later never changes what an order already sold owes its producer.
    commission_bps: Mapped[int] = mapped_column(default=0, server_default="0")

    order: Mapped[Order] = relationship(back_populates="lines")
    part: Mapped[Fulfillment] = relationship(back_populates="lines")

    @property
    def display_name(self) -> str:
        """The product's name in the reader's language, as it was at purchase."""
        return _in_language(self.product_name, self.product_name_i18n)

    @property
    def display_label(self) -> str:
        """The variant's label in the reader's language, as it was at purchase."""
        return _in_language(self.variant_label, self.variant_label_i18n)


class OrderEventKind(enum.StrEnum):
    """What a line of the order's timeline says happened; the values are stored and never change."""

    PLACED = "placed"  #: the customer placed the order
    PAYMENT_RECEIVED = "payment_received"  #: money arrived: a transfer recorded, a card paid, cash taken
    CARD_AMOUNT_MISMATCH = "card_amount_mismatch"  #: Stripe reported a payment that does not match the total
    LATE_PAYMENT = "late_payment"  #: a card payment arrived after the order was cancelled; refunded in full
    REFUNDED = "refunded"  #: money went back to the customer
    PART_STATUS = "part_status"  #: a part moved: the producer acted, or the point received the parcel
    PUT_ASIDE = "put_aside"  #: the sales point set goods of its own stock aside for the order
    READY = "ready"  #: every part waits at the sales point; the customer was told
    PICKUP_REMINDER = "pickup_reminder"  #: the customer was reminded that the hold ends soon
    COLLECTED = "collected"  #: the customer took the order at the sales point
    UNCLAIMED = "unclaimed"  #: not collected before the hold ended; the goods go back
    RETURNED_TO_PRODUCER = "returned_to_producer"  #: the sales point gave an unclaimed parcel back
    CANCELLED = "cancelled"  #: the whole order was cancelled; its data holds the CancelReason
    MESSAGE_RESENT = "message_resent"  #: the OCOP office sent one of the order's e-mails again
    POINT_CHANGED = "point_changed"  #: the OCOP office moved the pickup to another sales point


class OrderEvent(db.Model):
    """Who did what to an order and when: the timeline customers, producers, staff and admin read."""

    id: Mapped[int] = mapped_column(primary_key=True)
    order_id: Mapped[int] = mapped_column(ForeignKey("order.id", ondelete="CASCADE"), index=True)
    part_id: Mapped[int | None] = mapped_column(ForeignKey("fulfillment.id", ondelete="SET NULL"))
    kind: Mapped[OrderEventKind] = mapped_column(String(40))
    #: Values the timeline sentence needs (status, amount, reason…).
    data: Mapped[dict] = mapped_column(JSON, default=dict)
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("user.id", ondelete="SET NULL"))
    #: "customer", "system", or the acting user's e-mail, kept if the user is deleted.
    actor_label: Mapped[str] = mapped_column(String(254), default="system")
    created_at: Mapped[dt.datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())

    order: Mapped[Order] = relationship(back_populates="events")


