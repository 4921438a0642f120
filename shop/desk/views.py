"""The sales-point desk under /desk: staff see and act for their own point only."""
from __future__ import annotations

import datetime as dt

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _, lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import select

from shop.auth.access import staff_required
from shop.auth.models import Role, User
from shop.clock import VIETNAM, now, today
from shop.desk import counter as counter_sales
from shop.desk import errors, handover, hold, receiving, reports, stock
from shop.desk.models import CounterMethod
from shop.extensions import db, limiter
from shop.input_guard import parse_id
from shop.inventory import services as inventory
from shop.orders.codes import normalize_code
from shop.orders.models import OrderEvent, Route
from shop.orders.pickup import cash_due_at_pickup
from shop.payments.errors import CashError
from shop.money import format_vnd, parse_vnd

bp = Blueprint("desk", __name__, url_prefix="/desk")

#: The desk's menu: (endpoint, label).
DESK_MENU = (("desk.dashboard", _l("Today")), ("desk.receive", _l("Receive parcels")),
             ("desk.pickup", _l("Hand over")), ("desk.counter", _l("Counter sale")),
             ("desk.stock_page", _l("Point stock")), ("desk.cash", _l("Cash report")),
             ("desk.closeout", _l("Close the till")))


@bp.context_processor
def desk_menu() -> dict:
    point = reports.point_of(current_user) if current_user.is_authenticated and current_user.sales_point_id else None
    return {"desk_menu": DESK_MENU, "point": point}


@bp.after_request
def _private(response):
    # Customers' names and phones: never kept by a browser cache or a proxy.
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _point_id() -> int:
    return current_user.sales_point_id


# ---- the day's work -----------------------------------------------------------------------------

@bp.get("/")
@staff_required
def dashboard():
    lists = reports.dashboard(_point_id())
    return render_template("desk/dashboard.html", lists=lists, now=now(), amount_due=cash_due_at_pickup,
                           is_late=reports.is_late, hold_left=hold.hold_left)


@bp.get("/orders/<number>")
@staff_required
def order(number: str):
    """One order of this point: its parts (which producers are late), what is due, its timeline."""
    found = handover.order_at_point(_point_id(), number)
    if found is None:
        abort(404)
    events = db.session.scalars(select(OrderEvent).where(OrderEvent.order_id == found.id).order_by(OrderEvent.id)).all()
    return render_template("desk/order.html", order=found, events=events, now=now(),
                           due=cash_due_at_pickup(found), is_late=reports.is_late, hold_left=hold.hold_left)


# ---- receiving ----------------------------------------------------------------------------------

@bp.get("/receive")
@staff_required
def receive():
    lists = reports.incoming(_point_id())
    return render_template("desk/receive.html", on_the_way=lists["on_the_way"], waiting=lists["waiting"],
                           is_late=reports.is_late, now=now())


@bp.post("/receive")
@staff_required
def submit_receive():
    scanned = request.form.get("code", "")
    try:
        received = receiving.receive_parcel(_point_id(), scanned, current_user)
    except errors.DeskError as error:
        flash(str(error), "error")
        return redirect(url_for("desk.receive"))
    order = received.order
    if received.order_ready:
        flash(_("Parcel #%(part)s received. Order %(number)s is complete and ready: the customer has been told.",
                part=received.part.id, number=order.number), "success")
    else:
        missing = ", ".join(_("%(producer)s (to put aside from this point's stock)", producer=p.producer_name)
                            if p.route == Route.POINT_STOCK else p.producer_name for p in received.missing)
        flash(_("Parcel #%(part)s received for order %(number)s. Still missing: %(missing)s.",
                part=received.part.id, number=order.number, missing=missing), "success")
    return redirect(url_for("desk.receive"))


@bp.post("/parts/<int:part_id>/put-aside")
@staff_required
def put_aside(part_id: int):
    try:
        received = receiving.put_aside(_point_id(), part_id, current_user)
    except errors.PartNotHere:
        abort(404)
    except errors.DeskError as error:
        flash(str(error), "error")
        return redirect(url_for("desk.dashboard"))
    if received.order_ready:
        flash(_("Goods put aside. Order %(number)s is complete and ready: the customer has been told.",
                number=received.order.number), "success")
    else:
        flash(_("Goods put aside for order %(number)s; it still waits for other parcels.",
                number=received.order.number), "success")
    return redirect(url_for("desk.dashboard") + "#to-prepare")


@bp.post("/parts/<int:part_id>/returned")
@staff_required
def returned(part_id: int):
    try:
        part = hold.mark_returned(_point_id(), part_id, current_user)
    except errors.PartNotHere:
        abort(404)
    except errors.DeskError as error:
        flash(str(error), "error")
    else:
        flash(_("Parcel #%(part)s is marked as given back to %(producer)s.", part=part.id,
                producer=part.producer_name), "success")
    return redirect(url_for("desk.dashboard") + "#returns")


# ---- handing over -------------------------------------------------------------------------------
# Wrong codes count against the staff member and against the point: guessing is slow whoever tries.

def _user_key() -> str:
    return f"desk-code-user:{getattr(current_user, 'id', None) or request.remote_addr}"


def _point_key() -> str:
    return f"desk-code-point:{getattr(current_user, 'sales_point_id', None) or request.remote_addr}"


def _wrong_code(response) -> bool:
    return response.status_code == 404


# Shared limits: the look-up form and the hand-over form draw on the same two budgets.
_point_budget = limiter.shared_limit(lambda: current_app.config["PICKUP_CODE_POINT_RATE_LIMIT"],
                                     scope="desk-code-point", key_func=_point_key, deduct_when=_wrong_code)
_user_budget = limiter.shared_limit(lambda: current_app.config["PICKUP_CODE_USER_RATE_LIMIT"],
                                    scope="desk-code-user", key_func=_user_key, deduct_when=_wrong_code)


def _code_limits(view):
    return _user_budget(_point_budget(view))


@bp.get("/pickup")
@staff_required
def pickup():
    return render_template("desk/pickup.html", code="")


def _handover_page(order, code: str, error: str | None = None, tendered: str = "", status: int = 200):
    return render_template("desk/handover.html", order=order, code=code, error=error, tendered=tendered,
                           due=cash_due_at_pickup(order), phone=handover.masked_phone(order.contact_phone)), status


def _not_found(code: str):
    # Same answer for a code that does not exist and one of another point: nothing is revealed.
    return render_template("desk/pickup.html", code=code, error=str(errors.CodeNotFound())), 404


@bp.post("/pickup")
@staff_required
@_code_limits
def find_pickup():
    code = request.form.get("code", "")
    order = handover.find_for_pickup(_point_id(), code)
    if order is None:
        return _not_found(code)
    return _handover_page(order, normalize_code(code))


@bp.post("/pickup/confirm")
@staff_required
@_code_limits
def confirm_pickup():
    code = request.form.get("code", "")
    tendered_text = request.form.get("tendered", "").strip()
    tendered = parse_vnd(tendered_text)
    try:
        # Unreadable cash is no cash: hand_over asks for it again if any is due.
        done = handover.hand_over(_point_id(), code, current_user, identity_checked=bool(request.form.get("identity")),
                                  tendered_vnd=tendered)
    except errors.CodeNotFound:
        return _not_found(code)
    except (errors.DeskError, CashError) as error:
        order = handover.find_for_pickup(_point_id(), code)
        if order is None:
            return _not_found(code)
        return _handover_page(order, normalize_code(code), str(error), tendered_text, 422)
    if done.due_vnd:
        flash(_("Order %(number)s handed over. Cash received %(tendered)s: give back %(change)s in change.",
                number=done.order.number, tendered=format_vnd(done.tendered_vnd), change=format_vnd(done.change_vnd)),
              "success")
    else:
        flash(_("Order %(number)s handed over. Nothing was due.", number=done.order.number), "success")
    return redirect(url_for("desk.order", number=done.order.number))


# ---- the point's own stock ----------------------------------------------------------------------

@bp.get("/stock")
@staff_required
def stock_page():
    return render_template("desk/stock.html", rows=stock.rows(_point_id()),
                           adjustments=stock.recent_adjustments(_point_id()), modes=stock.MODES)


def _adjust(variant, back: str):
    mode = request.form.get("mode", "")
    if mode not in stock.MODES:
        flash(_("Please choose what happened to the goods."), "error")
        return redirect(back)
    try:
        number = inventory.parse_quantity(request.form.get("quantity"))
        if stock.MODES[mode][1] and number == 0:
            raise inventory.InvalidQuantity()
        after = stock.adjust(_point_id(), variant, mode, number, request.form.get("note", ""), current_user)
    except inventory.StockError as error:
        flash(f"{variant.sku}: {error}" if isinstance(error, inventory.InvalidQuantity) else str(error), "error")
    else:
        flash(_("%(sku)s: on hand is now %(n)d.", sku=variant.sku, n=after), "success")
    return redirect(back)


@bp.post("/stock")
@staff_required
def adjust_stock():
    variant_id = parse_id(request.form.get("variant_id"))
    if variant_id is None:
        abort(404)
    variant = stock.held_variant(_point_id(), variant_id)
    if variant is None:
        abort(404)
    return _adjust(variant, url_for("desk.stock_page") + f"#v{variant_id}")


@bp.post("/stock/add")
@staff_required
def add_stock():
    """Goods of a product the point has not held yet (consigned by a producer), found by SKU."""
    sku = request.form.get("sku", "").strip()
    variant = stock.variant_by_sku(sku)
    if variant is None:
        flash(_("Unknown SKU %(sku)s.", sku=sku[:40]), "error")
        return redirect(url_for("desk.stock_page"))
    if request.form.get("mode") != "receive":
        abort(400)
    return _adjust(variant, url_for("desk.stock_page") + f"#v{variant.id}")


# ---- cash ---------------------------------------------------------------------------------------

@bp.get("/cash")
@staff_required
def cash():
    """The day's cash, row by row and per staff member; printable. ?day=YYYY-MM-DD, ?staff=<user id>."""
    day = today()
    if request.args.get("day"):
        try:
            day = dt.date.fromisoformat(request.args["day"])
        except ValueError:
            flash(_("Please give the day as YYYY-MM-DD."), "error")
        if not dt.date(2000, 1, 1) <= day <= today():
            flash(_("There is no cash report for that day: here is today's."), "error")
            day = today()
    colleagues = db.session.scalars(
        select(User).where(User.sales_point_id == _point_id(), User.role == Role.STAFF).order_by(User.name)
    ).all()
    chosen = next((u for u in colleagues if u.id == request.args.get("staff", type=int)), None)
    report = reports.cash_report(_point_id(), day, staff_id=chosen.id if chosen else None)
    return render_template("desk/cash.html", report=report, colleagues=colleagues, chosen=chosen,
                           previous=day - dt.timedelta(days=1), following=day + dt.timedelta(days=1),
                           is_today=day == today(), printed_at=now().astimezone(VIETNAM))


# ---- selling at the counter ---------------------------------------------------------------------

def _counter_form(reference: str, quantities: dict[int, int], method: str = "cash", tendered: str = "",
                  status: int = 200):
    rows = [row for row in stock.rows(_point_id()) if row.free > 0 or row.variant.id in quantities]
    return render_template("desk/counter.html", rows=rows, reference=reference, quantities=quantities,
                           method=method, tendered=tendered), status


@bp.get("/counter")
@staff_required
def counter():
    """The point's free stock with a quantity box each, the payment method, and the cash handed over."""
    return _counter_form(counter_sales.new_reference(reports.point_of(current_user).code), {})


@bp.post("/counter")
@staff_required
def sell():
    """Cash: record the sale. VietQR: show the code first; staff confirm once the transfer is in."""
    point = reports.point_of(current_user)
    method = request.form.get("method", "")
    reference = request.form.get("reference", "")
    typed_tendered = request.form.get("tendered", "").strip()
    quantities: dict[int, int] = {}
    try:
        quantities = counter_sales.parse_items(request.form)
        if not counter_sales.valid_reference(point.code, reference):
            raise counter_sales.BadReference()
        if method == CounterMethod.VIETQR and not request.form.get("received"):
            lines = counter_sales.price(_point_id(), quantities)
            total = counter_sales.total_vnd(lines)
            return render_template("desk/counter_qr.html", lines=lines, total=total, quantities=quantities,
                                   reference=reference, qr=counter_sales.qr_for(reference, total))
        tendered = parse_vnd(typed_tendered) if typed_tendered else None
        if typed_tendered and tendered is None:
            raise counter_sales.BadTendered()
        expected = parse_vnd(request.form.get("expected_total")) if method == CounterMethod.VIETQR else None
        sale = counter_sales.record_counter_sale(_point_id(), point.code, current_user, quantities, method, reference,
                                                 tendered_vnd=tendered, expected_total_vnd=expected)
    except (counter_sales.CounterError, inventory.StockError) as error:
        flash(str(error), "error")
        if isinstance(error, counter_sales.BadReference):
            reference = counter_sales.new_reference(point.code)
        return _counter_form(reference, quantities, method if method in ("cash", "vietqr") else "cash",
                             typed_tendered[:20], status=400)
    return redirect(url_for("desk.receipt", sale_id=sale.id))


@bp.get("/counter/<int:sale_id>")
@staff_required
def receipt(sale_id: int):
    """A printable receipt of one of this point's counter sales."""
    sale = counter_sales.sale_at(_point_id(), sale_id)
    if sale is None:
        abort(404)
    return render_template("desk/receipt.html", sale=sale, may_void=counter_sales.may_void(sale), reason="")


@bp.post("/counter/<int:sale_id>/void")
@staff_required
def void_sale(sale_id: int):
    """Undo a cash sale of today (stock back, till and books reversed), with a reason."""
    sale = counter_sales.sale_at(_point_id(), sale_id)
    if sale is None:
        abort(404)
    reason = request.form.get("reason", "")
    try:
        counter_sales.void_sale(_point_id(), sale.id, current_user, reason)
    except (counter_sales.CounterError, inventory.StockError) as error:
        flash(str(error), "error")
        sale = counter_sales.sale_at(_point_id(), sale_id)
        return render_template("desk/receipt.html", sale=sale, may_void=counter_sales.may_void(sale),
                               reason=reason[:300]), 400
    flash(_("The sale is void: %(amount)s to give back to the customer, the goods are back on the shelf.",
            amount=format_vnd(sale.total_vnd)), "success")
    return redirect(url_for("desk.receipt", sale_id=sale.id))


# ---- closing the till ---------------------------------------------------------------------------

@bp.get("/closeout")
@staff_required
def closeout():
    return render_template("desk/closeout.html", expected=counter_sales.expected_cash_vnd(_point_id()),
                           closeouts=counter_sales.recent_closeouts(_point_id()), counted="", reason="")


@bp.post("/closeout")
@staff_required
def submit_closeout():
    """Counted cash vs the books; the difference with a reason; everything counted goes to the office."""
    typed = request.form.get("counted", "")
    try:
        done = counter_sales.close_out(_point_id(), current_user, parse_vnd(typed), request.form.get("reason", ""),
                                       expected_vnd=parse_vnd(request.form.get("expected")) or 0)
    except counter_sales.CounterError as error:
        flash(str(error), "error")
        return render_template("desk/closeout.html", expected=counter_sales.expected_cash_vnd(_point_id()),
                               closeouts=counter_sales.recent_closeouts(_point_id()), counted=typed[:20],
                               reason=request.form.get("reason", "")[:500]), 400
    flash(_("%(amount)s handed over to the office.", amount=format_vnd(done.counted_vnd)), "success")
    return redirect(url_for("desk.closeout"))
