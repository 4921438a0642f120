"""Producer screens for its products, pictures, stock and monthly sales report."""
from __future__ import annotations

import csv
import datetime as dt
import io

from flask import abort, current_app, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from shop.auth.access import producer_required
from shop.catalog import certificates, editing, media
from shop.catalog.models import Producer
from shop.clock import VIETNAM
from shop.extensions import db
from shop.fulfillment import reports
from shop.fulfillment.blueprint import bp
from shop.input_guard import parse_id
from shop.inventory import services as inventory
from shop.inventory.models import AdjustmentReason
from shop.orders.models import PartStatus


def _own_product_or_404(product_id: int):
    product = editing.own_product(current_user.producer_id, product_id)
    if product is None:
        abort(404)
    return product


def _edit(product):
    return redirect(url_for("producer.edit_product", product_id=product.id))


def reason_labels() -> dict[str, str]:
    return {
        AdjustmentReason.COUNT: _("Stock count"),
        AdjustmentReason.RECEIVED: _("Goods made or received"),
        AdjustmentReason.DAMAGED: _("Damaged, spoiled or expired"),
        AdjustmentReason.CORRECTION: _("Correction of a mistake"),
        AdjustmentReason.IMPORT: _("CSV import"),
    }


# ---- products --------------------------------------------------------------------------------

@bp.get("/products")
@producer_required
def products():
    items = editing.own_products(current_user.producer_id)
    return render_template("producer/products/index.html", products=items)


@bp.route("/products/new", methods=["GET", "POST"])
@producer_required
def new_product():
    form = request.form
    if request.method == "POST":
        try:
            certified_on = dt.date.fromisoformat(form.get("certified_on", ""))
        except ValueError:
            flash(_("Please enter the date of the OCOP certificate."), "error")
        else:
            try:
                stars = int(form.get("ocop_stars", "0"))
                category_id = int(form.get("category_id", "0"))
            except ValueError:
                stars, category_id = 0, 0
            try:
                product = editing.create_product(db.session.get(Producer, current_user.producer_id), editing.NewProduct(
                    name_vi=form.get("name_vi", ""), name_en=form.get("name_en", ""), category_id=category_id,
                    variant_label=form.get("variant_label", ""), sku=editing.parse_sku(form.get("sku")),
                    price_vnd=editing.parse_price(form.get("price_vnd")),
                    weight_g=editing.parse_weight(form.get("weight_g")),
                    ocop_stars=stars, certificate_no=form.get("certificate_no", ""), certified_on=certified_on,
                    texts=editing.Texts.read(form),
                ))
            except editing.ProductError as error:
                flash(str(error), "error")
            else:
                flash(_("The product is saved and waits for the OCOP office's review."), "success")
                return _edit(product)
    return render_template("producer/products/new.html", form=form, sets=editing.product_sets())


@bp.get("/products/<int:product_id>/edit")
@producer_required
def edit_product(product_id: int):
    product = _own_product_or_404(product_id)
    return render_template("producer/products/edit.html", product=product, state=product.status,
                           image_url=media.image_url, max_mb=current_app.config["MEDIA_MAX_UPLOAD_BYTES"] // 2**20,
                           max_total_mb=current_app.config["MAX_CONTENT_LENGTH"] // 2**20)


@bp.get("/products/<int:product_id>/certificates/<int:certificate_id>/scan")
@producer_required
def certificate_scan(product_id: int, certificate_id: int):
    product = _own_product_or_404(product_id)
    response = certificates.scan_response(next((c for c in product.certificates if c.id == certificate_id), None))
    if response is None:
        abort(404)
    return response


@bp.post("/products/<int:product_id>/texts")
@producer_required
def save_texts(product_id: int):
    product = _own_product_or_404(product_id)
    editing.update_texts(product, editing.Texts.read(request.form, [v.id for v in product.variants]), current_user)
    flash(_("Descriptions saved."), "success")
    return _edit(product)


@bp.post("/products/<int:product_id>/variants")
@producer_required
def save_variants(product_id: int):
    product = _own_product_or_404(product_id)
    form = request.form
    try:
        changes = [editing.VariantChange(
            variant_id=v.id, label=form.get(f"label-{v.id}", v.label),
            price_vnd=editing.parse_price(form.get(f"price-{v.id}", v.price_vnd)),
            weight_g=editing.parse_weight(form.get(f"weight-{v.id}", v.weight_g)),
            is_active=form.get(f"active-{v.id}") == "on",
        ) for v in product.variants]
        waiting = editing.update_variants(product, changes, current_user,
                                          live_percent=current_app.config["PRICE_CHANGE_LIVE_PERCENT"])
    except editing.ProductError as error:
        db.session.rollback()
        flash(str(error), "error")
    else:
        flash(_("Variants saved."), "success")
        if waiting:
            flash(_("New prices more than %(percent)s%% away from the current ones wait for the OCOP office: %(skus)s. "
                    "The shop sells at the current price until the office accepts them.",
                    percent=current_app.config["PRICE_CHANGE_LIVE_PERCENT"], skus=", ".join(v.sku for v in waiting)),
                  "error")
    return _edit(product)


@bp.post("/products/<int:product_id>/variants/new")
@producer_required
def add_variant(product_id: int):
    product = _own_product_or_404(product_id)
    form = request.form
    try:
        editing.add_variant(product, label=form.get("label", ""), sku=editing.parse_sku(form.get("sku")),
                            price_vnd=editing.parse_price(form.get("price_vnd")),
                            weight_g=editing.parse_weight(form.get("weight_g")), actor=current_user)
    except editing.ProductError as error:
        flash(str(error), "error")
    else:
        flash(_("Variant added."), "success")
    return _edit(product)


@bp.post("/products/<int:product_id>/submit")
@producer_required
def submit_product(product_id: int):
    product = _own_product_or_404(product_id)
    try:
        editing.submit_for_review(product)
    except editing.ProductError as error:
        flash(str(error), "error")
    else:
        flash(_("Sent to the OCOP office for review."), "success")
    return _edit(product)


@bp.post("/products/<int:product_id>/pictures")
@producer_required
def upload_picture(product_id: int):
    """Add one or several pictures; each is checked on its own, so one refused file keeps the others."""
    product = _own_product_or_404(product_id)
    uploads = [upload for upload in request.files.getlist("picture") if upload and upload.filename]
    if not uploads:
        flash(_("Please choose a picture to upload."), "error")
        return _edit(product)
    added = 0
    for upload in uploads:
        # Read one byte more than allowed: enough to know the file is too large, never more.
        data = upload.stream.read(current_app.config["MEDIA_MAX_UPLOAD_BYTES"] + 1)
        try:
            editing.add_picture(product, data, current_user.id)
        except (media.MediaError, editing.ProductError) as error:
            flash(str(error), "error")
        else:
            added += 1
    if added == 1:
        flash(_("Picture added."), "success")
    elif added:
        flash(_("%(num)d pictures added.", num=added), "success")
    return _edit(product)


@bp.post("/products/<int:product_id>/pictures/<int:image_id>")
@producer_required
def describe_picture(product_id: int, image_id: int):
    product = _own_product_or_404(product_id)
    try:
        found = editing.describe_picture(product, image_id, request.form.get("alt", ""), first="first" in request.form)
    except editing.ProductError as error:
        flash(str(error), "error")
        return _edit(product)
    if not found:
        abort(404)
    flash(_("Picture saved."), "success")
    return _edit(product)


@bp.post("/products/<int:product_id>/pictures/<int:image_id>/delete")
@producer_required
def delete_picture(product_id: int, image_id: int):
    product = _own_product_or_404(product_id)
    if not editing.delete_picture(product, image_id):
        abort(404)
    flash(_("Picture deleted."), "success")
    return _edit(product)


# ---- stock -----------------------------------------------------------------------------------

def _location_id() -> int:
    location_id = inventory.location_of_producer(current_user.producer_id)
    if location_id is None:
        abort(404)
    return location_id


@bp.get("/stock")
@producer_required
def stock():
    rows = editing.stock_rows(current_user.producer_id, _location_id())
    return render_template("producer/stock.html", rows=rows, reasons=reason_labels(),
                           max_rows=current_app.config["STOCK_CSV_MAX_ROWS"])


@bp.post("/stock")
@producer_required
def set_stock():
    location_id = _location_id()
    variant_id = parse_id(request.form.get("variant_id"))
    if variant_id is None:
        abort(404)
    variant = editing.own_variant(current_user.producer_id, variant_id)
    if variant is None:
        abort(404)
    reason = request.form.get("reason", "")
    if reason not in {r.value for r in AdjustmentReason} - {AdjustmentReason.IMPORT}:
        flash(_("Please choose why the quantity changes."), "error")
        return redirect(url_for("producer.stock"))
    try:
        quantity = inventory.parse_quantity(request.form.get("quantity"))
        inventory.set_on_hand(variant.id, location_id, quantity, reason=reason, note=request.form.get("note", ""),
                              user_id=current_user.id, sku=variant.sku)
    except inventory.StockError as error:
        flash(f"{variant.sku}: {error}" if isinstance(error, inventory.InvalidQuantity) else str(error), "error")
    else:
        flash(_("%(sku)s: on hand is now %(n)d.", sku=variant.sku, n=quantity), "success")
    return redirect(url_for("producer.stock") + f"#v{variant.id}")


@bp.post("/stock/import")
@producer_required
def import_stock():
    location_id = _location_id()
    upload = request.files.get("file")
    if upload is None or not upload.filename:
        flash(_("Please choose a CSV file to upload."), "error")
        return redirect(url_for("producer.stock"))
    data = upload.stream.read(current_app.config["MAX_CONTENT_LENGTH"] or 10 * 2**20)
    try:
        imported = inventory.import_stock_csv(data, location_id, editing.sku_lookup(current_user.producer_id),
                                              user_id=current_user.id)
    except inventory.StockImportRefused as refused:
        return render_template("producer/stock_import.html", imported=None, problems=refused.problems,
                               file_name=upload.filename), 422
    return render_template("producer/stock_import.html", imported=imported, problems=[], file_name=upload.filename)


# ---- monthly sales report --------------------------------------------------------------------

def _status_labels() -> dict[str, str]:
    return {
        PartStatus.NEW: _("New"), PartStatus.ACCEPTED: _("Accepted"), PartStatus.PACKED: _("Packed"),
        PartStatus.SENT_TO_POINT: _("Sent to the sales point"), PartStatus.AT_POINT: _("At the sales point"),
        PartStatus.READY: _("Ready for pickup"), PartStatus.COLLECTED: _("Collected"),
        PartStatus.SHIPPED: _("Shipped"), PartStatus.DELIVERED: _("Delivered"),
        PartStatus.CANCELLED: _("Cancelled"), PartStatus.UNCLAIMED: _("Not collected"),
    }


@bp.get("/report")
@producer_required
def report():
    month = reports.parse_month(request.args.get("month"))
    data = reports.monthly_report(current_user.producer_id, month)
    previous = (month - dt.timedelta(days=1)).replace(day=1)
    following = (month + dt.timedelta(days=32)).replace(day=1)
    return render_template("producer/report.html", report=data, month=month, previous=previous,
                           following=following, statuses=_status_labels())


@bp.get("/report.csv")
@producer_required
def report_csv():
    month = reports.parse_month(request.args.get("month"))
    data = reports.monthly_report(current_user.producer_id, month)
    labels = _status_labels()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([_("Order"), _("Part"), _("Placed (GMT+7)"), _("Status"), _("Units"), _("Revenue (VND)")])
    for row in data.rows:
        placed = row.placed_at if row.placed_at.tzinfo else row.placed_at.replace(tzinfo=dt.UTC)
        writer.writerow([row.order_number, row.part_id, placed.astimezone(VIETNAM).strftime("%Y-%m-%d %H:%M"),
                         labels.get(row.status, row.status), row.items,
                         0 if row.status == PartStatus.CANCELLED else row.revenue_vnd])
    writer.writerow([])
    writer.writerow([_("Total (without cancelled parts)"), data.parts, "", "", data.items, data.revenue_vnd])
    writer.writerow([_("Cancelled parts"), data.cancelled])
    # The byte-order mark lets Excel read the file as UTF-8, so Vietnamese names stay readable.
    response = make_response("\ufeff" + out.getvalue())
    response.mimetype = "text/csv"
    response.charset = "utf-8"
    response.headers["Content-Disposition"] = f'attachment; filename="ocop-sales-{month:%Y-%m}.csv"'
    return response
