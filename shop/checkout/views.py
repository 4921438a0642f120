"""Checkout in two steps that work without JavaScript: who and where → pay and confirm (place)."""
from __future__ import annotations

import datetime as dt
import json
import secrets

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from wtforms.fields.choices import SelectChoice

from shop import formats, labels
from shop.cart.services import goods_totals, save_checkout
from shop.cart.views import current_cart
from shop.checkout import rules, services
from shop.checkout.forms import DeliveryForm, DetailsForm, PlaceForm
from shop.countries import VIETNAM, country_choices, needs_postal_code
from shop.errors import ShopError
from shop.extensions import db, locks_late
from shop.i18n import current_language
from shop.orders.models import DeliveryMethod, Order, OrderStatus
from shop.payments.card_attempts import start_card_payment
from shop.payments.errors import NotAwaitingCard
from shop.orders.payment import PaymentMethod
from shop.payments.services import methods_for
from shop.money import format_vnd
from shop.places import delivery_fee, provinces, quang_ninh_wards
from shop.sales_points.models import SalesPoint

bp = Blueprint("checkout", __name__, url_prefix="/checkout")
STEPS = ("details", "confirm")


def _state(cart) -> dict:
    """The answers of the steps so far, kept on the cart row (never in the session cookie)."""
    return dict(cart.checkout or {}) if cart is not None else {}


def _save(cart, **values) -> None:
    save_checkout(cart, values)


def _lines():
    cart = current_cart()
    return (cart, cart.lines) if cart else (None, [])


def _details_missing(state: dict, alcohol: bool = False) -> bool:
    """The first step is still to answer: contact, birth date for alcohol, pickup or address, consent."""
    if not state.get("name") or not state.get("phone") or (alcohol and not state.get("birth_date")):
        return True
    if not state.get("delivery") or not state.get("data_consent"):
        return True
    country = _country(state)
    return country != VIETNAM and rules.abroad_zone(country) is None  # the zones changed since: choose again


def _country(state: dict) -> str:
    """Where the order goes: pickups stay in Vietnam, though the form keeps the address last typed."""
    return (state.get("country") or VIETNAM) if state.get("delivery") == "delivery" else VIETNAM


def _data(state: dict, form: PlaceForm | None = None, payment: PaymentMethod | None = None) -> services.CheckoutData:
    country = _country(state)
    # Abroad, the carrier calls the recipient's number given with the address; the contact keeps theirs.
    recipient_phone = (state.get("recipient_phone") or "") if country != VIETNAM else ""
    return services.CheckoutData(
        name=state["name"], email=state.get("email") or "", phone=state["phone"], recipient_phone=recipient_phone,
        language=current_language(), delivery=DeliveryMethod(state["delivery"]),
        payment=payment or PaymentMethod(state.get("payment") or PaymentMethod.CASH_AT_PICKUP),
        sales_point_id=state.get("sales_point_id"), country_code=country,
        recipient_name=state.get("recipient_name", ""), province_code=state.get("province", ""),
        ward_code=state.get("ward_code", ""), ward_name=state.get("ward_name", ""),
        address_line=state.get("address_line", ""), address_line2=state.get("address_line2", ""),
        city=state.get("city", ""), region=state.get("region", ""), postal_code=state.get("postal_code", ""),
        data_consent=bool(state.get("data_consent")), marketing_consent=bool(state.get("marketing_consent")),
        note=(form.note.data or "") if form else "",
        birth_date=dt.date.fromisoformat(state["birth_date"]) if state.get("birth_date") else None,
    )


def _render(step: str, **context):
    return render_template(f"checkout/{step}.html", steps=STEPS, step=step, **context), 200, \
        {"Cache-Control": "private, no-store"}


@bp.route("", methods=["GET", "POST"])
@locks_late
def details():
    """Step 1: name, phone (e-mail optional), pickup point or address, and the consent."""
    cart, lines = _lines()
    if not lines:
        flash(_("Your cart is empty."), "error")
        return redirect(url_for("cart.show"))
    state = _state(cart)
    alcohol = rules.cart_has_alcohol(lines)
    options = rules.pickup_options({line.variant_id: line.quantity for line in lines})
    form = DetailsForm(data=_details_defaults(state) if request.method == "GET" else None, alcohol=alcohol)
    abroad = country_choices(rules.abroad_countries())
    form.sales_point.choices = [SelectChoice(str(o.point.id), o.point.name) for o in options]
    form.country.choices = [SelectChoice(code, name) for code, name in abroad]
    form.province.choices = [SelectChoice(p.code, p.name) for p in provinces().values()]
    form.ward_code.choices = [SelectChoice("", "—")] + [SelectChoice(w.code, w.name) for w in quang_ninh_wards().values()]
    cold = [line.variant.product.name for line in lines if line.variant.product.cold_chain]
    valid = form.validate_on_submit()
    answers: dict = {}
    if request.method == "POST" and not any(f.errors for f in (form.name, form.phone, form.email, form.birth_date)):
        # The contact is kept even when the address is refused: back from the cart, it is still filled in.
        answers = dict(name=form.name.data, email=form.email.data or "", phone=form.phone.data,
                       birth_date=form.born.isoformat() if form.born else "", data_consent=False)
    where = _delivery_answers(form, options, lines, cold) if valid else None
    if where is not None:
        # One write, at the end: the step's answers in one short transaction (SQLite's lock held for one UPDATE).
        _save(cart, **{**answers, **where, "data_consent": True,
                       "marketing_consent": bool(form.marketing_consent.data)})
        return redirect(url_for("checkout.confirm"))
    fees = _fees_by_province(lines)
    page = _render("details", form=form, alcohol=alcohol, options=options, cold=cold, fees=fees,
                   fees_json=json.dumps(fees, ensure_ascii=False),
                   not_abroad=rules.abroad_refusals(lines),
                   no_postal_code=[name for code, name in abroad if not needs_postal_code(code)])
    if answers:
        _save(cart, **answers)  # after rendering: the page reads the points and lines loaded before this commit
    return page


def _fees_by_province(lines) -> dict[str, str]:
    """Province code → "Delivery to <province>: <fee>", from the rule place_order charges (the step shows the chosen one)."""
    subtotal, weight = goods_totals(lines)
    return {code: _("Delivery to %(province)s: %(fee)s", province=province.name,
                    fee=format_vnd(fee) if (fee := delivery_fee(code, weight, subtotal)) else _("Free"))
            for code, province in provinces().items()}


def _details_defaults(state: dict) -> dict:
    """The first step as last saved (or from the account); the province the cart's fee was shown for."""
    return {
        "name": state.get("name") or getattr(current_user, "name", ""),
        "email": state.get("email") or getattr(current_user, "email", ""),
        "phone": state.get("phone") or getattr(current_user, "phone", ""),
        "birth_date": state.get("birth_date", ""),
        "data_consent": bool(state.get("data_consent")),
        "marketing_consent": bool(state.get("marketing_consent")),
        **_delivery_defaults(state),
    }


def _delivery_defaults(state: dict) -> dict:
    """The delivery form as last saved; the recipient abroad defaults to the contact."""
    contact_phone = state.get("phone", "")
    country = state.get("country") or VIETNAM
    return {
        "method": state.get("delivery") or "pickup",
        "sales_point": str(state.get("sales_point_id") or ""),
        "country": country,
        "province": state.get("province") or state.get("fee_province") or rules.QUANG_NINH, "ward_code": state.get("ward_code", ""),
        "ward_name": state.get("ward_name", ""),
        "address_line": state.get("address_line", "") if country == VIETNAM else "",
        "recipient_name": state.get("recipient_name") or state.get("name", ""),
        "abroad_line1": state.get("address_line", "") if country != VIETNAM else "",
        "abroad_line2": state.get("address_line2", ""),
        "city": state.get("city", ""), "region": state.get("region", ""), "postal_code": state.get("postal_code", ""),
        # A Vietnamese number would be misread in the other country's format: offer only a foreign one.
        "abroad_phone": state.get("recipient_phone") or ("" if contact_phone.startswith("+84") else contact_phone),
    }


def _delivery_answers(form: DeliveryForm, options, lines, cold: list[str]) -> dict | None:
    """The valid delivery choice to keep on the cart, or None with the reason put on the form."""
    if form.method.data == "pickup":
        return _pickup_answers(form, options)
    if form.country.data == VIETNAM:
        return _vietnam_answers(form, cold)
    return _abroad_answers(form, lines)


def _pickup_answers(form: DeliveryForm, options) -> dict | None:
    if form.sales_point.data in {str(o.point.id) for o in options if o.closed_until is not None}:
        until = next(o.closed_until for o in options if str(o.point.id) == form.sales_point.data)
        form.sales_point.errors = [_("This sales point is closed until %(until)s. Please choose another one.",
                                     until=formats.format_day(until))]
        return None
    if form.sales_point.data not in {str(o.point.id) for o in options}:
        form.sales_point.errors = [_("This sales point cannot hand over your order. Please choose another one.")]
        return None
    return dict(delivery="pickup", sales_point_id=int(form.sales_point.data))


_NO_ADDRESS_ABROAD = {"recipient_name": "", "address_line2": "", "city": "", "region": "", "postal_code": "",
                      "recipient_phone": ""}


def _vietnam_answers(form: DeliveryForm, cold: list[str]) -> dict | None:
    province = form.province.data
    if province not in provinces():
        form.province.errors = [_("Please choose a province or city.")]
        return None
    if cold and not rules.may_deliver_cold_chain_to(province):
        form.province.errors = [_("“%(name)s” must stay chilled: choose pickup, or delivery inside Quảng Ninh.",
                                  name=cold[0])]
        return None
    ward_code = form.ward_code.data if province == rules.QUANG_NINH else ""
    if province == rules.QUANG_NINH and ward_code not in quang_ninh_wards():
        form.ward_name.errors = [_("Please choose the ward or commune.")]
        return None
    ward_name = quang_ninh_wards()[ward_code].name if ward_code else form.ward_name.data
    return dict(delivery="delivery", sales_point_id=None, country=VIETNAM, province=province, ward_code=ward_code,
                ward_name=ward_name, address_line=form.address_line.data, **_NO_ADDRESS_ABROAD)


def _abroad_answers(form: DeliveryForm, lines) -> dict | None:
    refusals = rules.abroad_refusals(lines)
    if refusals:
        form.country.errors = [str(services.CannotShipAbroad(items="; ".join(refusals)))]
        return None
    return dict(delivery="delivery", sales_point_id=None, country=form.country.data, province="", ward_code="",
                ward_name="", recipient_name=form.recipient_name.data, address_line=form.abroad_line1.data,
                address_line2=form.abroad_line2.data, city=form.city.data, region=form.region.data,
                postal_code=form.postal_code.data, recipient_phone=form.abroad_phone.data)


@bp.get("/confirm")
def confirm():
    """Step 2: how to pay, the goods, the fee and the total, and "Place order"."""
    cart, lines = _lines()
    state = _state(cart)
    alcohol = rules.cart_has_alcohol(lines)
    if not lines or _details_missing(state, alcohol):
        return redirect(url_for("checkout.details"))
    delivery, country = DeliveryMethod(state["delivery"]), _country(state)
    methods = rules.payment_methods(delivery, country, alcohol)
    # Methods the delivery choice offers that alcohol does not allow: named, with the reason.
    withheld = [labels.PAYMENT_METHODS[m] for m in methods_for(delivery, country) if m not in methods]
    default = state.get("payment") if state.get("payment") in methods else (methods[0].value if methods else "")
    data = _data(state)
    prices = services.quote(lines, data)
    # A fresh key per page: posting this form twice (double click, two tabs) makes one order.
    form = PlaceForm(data={"method": default, "checkout_key": secrets.token_urlsafe(24),
                           "expected_total": prices.total_vnd})
    form.method.choices = [SelectChoice(m.value, labels.PAYMENT_METHODS[m]) for m in methods]
    first_day = rules.first_pickup_day_at(state.get("sales_point_id"),
                                          {line.variant_id: line.quantity for line in lines}) \
        if data.delivery == DeliveryMethod.PICKUP else None
    return _render("confirm", form=form, lines=lines, data=data, prices=prices, state=state, point=_point(state),
                   first_day=first_day, withheld=withheld, alcohol=alcohol)


# The four steps of before: their addresses lead to the step that now asks the same.
@bp.route("/delivery", methods=["GET", "POST"])
def delivery():
    return redirect(url_for("checkout.details", _anchor="where"), code=303)


@bp.route("/payment", methods=["GET", "POST"])
def payment():
    return redirect(url_for("checkout.confirm"), code=303)


@bp.get("/review")
def review():
    return redirect(url_for("checkout.confirm"), code=303)


def _point(state):
    return db.session.get(SalesPoint, state["sales_point_id"]) if state.get("sales_point_id") else None


@bp.post("/place")
@locks_late
def place():
    cart, lines = _lines()
    state = _state(cart)
    form = PlaceForm()
    method = _payment_method(form.method.data)
    if _details_missing(state, rules.cart_has_alcohol(lines)) or not form.validate_on_submit() or method is None:
        existing = services.existing_order(form.checkout_key.data or "") if form.checkout_key.data else None
        if existing is not None:  # the same form posted again after success
            return _after_placing(existing)
        if _details_missing(state, rules.cart_has_alcohol(lines)):
            return redirect(url_for("checkout.details"))
        for errors in form.errors.values():
            for error in errors:
                flash(error, "error")
        if method is None and not form.method.errors:
            flash(_("Please choose how to pay."), "error")
        return redirect(url_for("checkout.confirm"))
    try:
        expected = int(form.expected_total.data)
    except ValueError:
        expected = -1
    try:
        order = services.place_order(cart.id if cart else 0, _data(state, form, method), form.checkout_key.data, expected,
                                     user=current_user)
    except services.CheckoutError as error:
        if cart is not None:
            _save(cart, payment=method.value)  # shown again chosen on the page the customer goes back to
        flash(str(error), "error")
        return redirect(url_for("checkout.confirm") if cart and lines else url_for("cart.show"))
    if method != PaymentMethod.STRIPE_CARD:  # nothing to pay first: the order page (number and token kept loaded)
        return redirect(url_for("orders.show", number=order.number, t=order.access_token))
    return _after_placing(order)


def _payment_method(value: str | None) -> PaymentMethod | None:
    try:
        return PaymentMethod(value or "")
    except ValueError:
        return None


def _after_placing(order: Order):
    """The order page; for a card order still unpaid, Stripe's payment page (or the order page saying why not)."""
    if order.payment.method == PaymentMethod.STRIPE_CARD and order.status == OrderStatus.PENDING_PAYMENT:
        try:
            return redirect(start_card_payment(order.id), code=303)
        except NotAwaitingCard:
            pass  # paid or cancelled meanwhile: the order page says which
        except ShopError as error:  # Stripe unreachable: the order stays, to pay again or cancel
            flash(str(error), "error")
    return redirect(url_for("orders.show", number=order.number, t=order.access_token))
