"""Log in, register, log out, reset a password; the customer's account pages."""
from __future__ import annotations

from urllib.parse import quote, urlencode, urlsplit

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import force_locale, gettext as _, to_user_timezone
from flask_login import current_user, login_required
from sqlalchemy import select
from werkzeug.exceptions import HTTPException

from shop.auth import access  # noqa: F401  (sets the prompt that login_required flashes)
from shop.auth import services, sessions, throttle
from shop.account.forms import (QUANG_NINH, AddressForm, LoginForm, PasswordResetForm,
                             PasswordResetRequestForm, ProfileForm, RegisterForm)
from shop.auth.models import Role
from shop.cart.services import merge_guest_cart
from shop.extensions import db, limiter
from shop.i18n import current_language
from shop.links import password_reset_url
from shop.orders.models import Order

bp = Blueprint("auth", __name__)

#: Where each role works; used after login only when that workspace is mounted.
WORKSPACES = {Role.STAFF: "/desk", Role.PRODUCER: "/producer", Role.ADMIN: "/admin"}

@bp.context_processor
def _helpers():
    return {"national_phone": services.national_phone}


# ---- where to go next -------------------------------------------------------------------------

def safe_next(target: str | None) -> str | None:
    """The `next` address if it stays on this site (a path), else None: no open redirects."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return None
    # Browsers read "\" as "/" and drop tabs and newlines, so "/\evil.example" would leave the site.
    if "\\" in target or any(ord(c) < 32 or ord(c) == 127 for c in target):
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc else None


def _workspace_url(user) -> str | None:
    """The URL of the user's workspace (/desk, /producer, /admin) when the app serves it."""
    path = WORKSPACES.get(user.role)
    if path is None:
        return None
    adapter = current_app.url_map.bind("localhost")
    for candidate in (path, path + "/"):
        try:
            endpoint, values = adapter.match(candidate, method="GET")
        except HTTPException:  # includes the redirect from /admin to /admin/
            continue
        if endpoint in current_app.view_functions:
            return url_for(endpoint, **values)
    return None


def _after_login(user) -> str:
    return safe_next(request.args.get("next")) or _workspace_url(user) or url_for("auth.account")


def _start_session(user, remember: bool = False) -> None:
    sessions.log_in(user, remember=remember)
    merge_guest_cart(request.cookies.get(current_app.config["CART_COOKIE"]), user)


# ---- register, log in, log out ----------------------------------------------------------------

def _limit(key: str):
    return lambda: current_app.config[key]


@bp.get("/register")
def register():
    if current_user.is_authenticated:
        return redirect(url_for("auth.account"))
    return render_template("auth/register.html", form=RegisterForm(), next=safe_next(request.args.get("next")))


@bp.post("/register")
@limiter.limit(_limit("REGISTER_RATE_LIMIT"))
def submit_registration():
    form = RegisterForm()
    if form.validate_on_submit():
        try:
            services.register_customer(
                name=form.name.data, email=form.email.data, password=form.password.data, phone=form.phone.data,
                language=current_language(), marketing_consent=form.marketing_consent.data,
                data_consent=form.data_consent.data,
            )
        except services.AuthError as error:
            form.form_errors.append(str(error))
        else:
            # The same answer whether the address was new or already had an account: the e-mail tells which.
            flash(_("Thank you. We have sent an e-mail to %(email)s: log in with your e-mail address and password.",
                    email=services.normalize_email(form.email.data)), "success")
            return redirect(url_for("auth.login", next=safe_next(request.args.get("next"))))
    return render_template("auth/register.html", form=form, next=safe_next(request.args.get("next")))


@bp.get("/login")
def login():
    if current_user.is_authenticated:
        return redirect(_after_login(current_user))
    return render_template("auth/login.html", form=LoginForm(), next=safe_next(request.args.get("next")))


@bp.post("/login")
def submit_login():
    form = LoginForm()
    error, status = None, 200
    if form.validate_on_submit():
        email, ip = form.email.data, request.remote_addr or ""
        wait = throttle.wait_seconds(email, ip)
        if wait:
            # Checked before the password: while locked, even the right one is not tried from here.
            error, status = _("Too many wrong passwords. Please try again in %(seconds)d seconds.",
                              seconds=wait), 429
        else:
            try:
                user = services.authenticate(email, form.password.data)
            except services.AuthError as refused:
                error = str(refused)
            else:
                if user is not None:
                    throttle.succeeded(email, ip)
                    _start_session(user, remember=form.remember.data)
                    flash(_("You are logged in."), "success")
                    return redirect(_after_login(user))
                throttle.failed(email, ip)
                # One answer for an unknown address and a wrong password: nobody learns who has an account.
                error = _("Email or password is incorrect.")
    page = render_template("auth/login.html", form=form, error=error, next=safe_next(request.args.get("next")))
    return page, status


@bp.post("/logout")
def logout():
    sessions.log_out()
    flash(_("You are logged out."), "info")
    return redirect(url_for("catalog.home"))


@bp.post("/account/logout-other-devices")
@login_required
def logout_other_devices():
    sessions.log_out_other_devices(current_user)
    flash(_("Your other devices are logged out. This one stays logged in."), "success")
    return redirect(url_for("auth.account") + "#devices")


# ---- password reset ---------------------------------------------------------------------------

def _no_referrer(response):
    # The token is in the path: keep it out of Referer headers and shared caches.
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.get("/account/password-reset")
def password_reset_request():
    return render_template("auth/password_reset_request.html", form=PasswordResetRequestForm())


@bp.post("/account/password-reset")
@limiter.limit(_limit("RESET_RATE_LIMIT"))
def submit_password_reset_request():
    form = PasswordResetRequestForm()
    if form.validate_on_submit():
        services.request_password_reset(
            form.email.data, password_reset_url)
        # The same answer whether or not the address has an account.
        flash(_("If an account exists for %(email)s, we have sent it a link to choose a new password. "
                "The link works for %(minutes)d minutes.", email=form.email.data,
                minutes=current_app.config["PASSWORD_RESET_MAX_AGE"] // 60), "info")
        return redirect(url_for("auth.password_reset_request"))
    return render_template("auth/password_reset_request.html", form=form)


def _invalid_token_page():
    return _no_referrer(current_app.make_response(
        (render_template("auth/password_reset_invalid.html", message=str(services.InvalidResetToken.message)), 400)))


@bp.get("/account/password-reset/<token>")
def password_reset(token: str):
    try:
        user = services.user_for_reset_token(token)
    except services.InvalidResetToken:
        return _invalid_token_page()
    return _no_referrer(current_app.make_response(
        render_template("auth/password_reset.html", form=PasswordResetForm(), token=token, user=user)))


@bp.post("/account/password-reset/<token>")
@limiter.limit(_limit("RESET_RATE_LIMIT"))
def submit_password_reset(token: str):
    form = PasswordResetForm()
    if form.validate_on_submit():
        try:
            services.reset_password(token, form.password.data)
        except services.InvalidResetToken:
            return _invalid_token_page()
        flash(_("Your password is changed. Log in with the new one."), "success")
        return redirect(url_for("auth.login"))
    try:
        user = services.user_for_reset_token(token)
    except services.InvalidResetToken:
        return _invalid_token_page()
    return _no_referrer(current_app.make_response(
        render_template("auth/password_reset.html", form=form, token=token, user=user)))


# ---- the account --------------------------------------------------------------------------------

def _order_url(order: Order) -> str:
    if "orders.show" in current_app.view_functions:
        return url_for("orders.show", number=order.number, t=order.access_token)
    return f"/orders/{quote(order.number)}?{urlencode({'t': order.access_token})}"


def _order_rows() -> list[dict]:
    orders = db.session.scalars(
        select(Order).where(Order.user_id == current_user.id).order_by(Order.created_at.desc(), Order.id.desc())
        .limit(100)
    )
    return [{"number": o.number, "url": _order_url(o), "placed_on": to_user_timezone(o.created_at).date(),
             "status": str(o.status), "total_vnd": o.total_vnd} for o in orders]


def _account_page(profile: ProfileForm):
    return render_template("auth/account.html", profile=profile, addresses=current_user.addresses,
                           orders=_order_rows())


@bp.get("/account")
@login_required
def account():
    profile = ProfileForm(obj=current_user)
    profile.phone.data = services.national_phone(current_user.phone)
    return _account_page(profile)


@bp.post("/account")
@login_required
def save_profile():
    profile = ProfileForm()
    if not profile.validate_on_submit():
        return _account_page(profile)
    previous_language = current_user.language
    services.update_profile(current_user, name=profile.name.data, phone=profile.phone.data,
                            language=profile.language.data, marketing_consent=profile.marketing_consent.data)
    if current_user.language != previous_language:
        # Show the account in the language just chosen (?lang= is remembered in a cookie).
        with force_locale(current_user.language):
            message = _("Your details are saved.")
        flash(message, "success")
        return redirect(url_for("auth.account", lang=current_user.language))
    flash(_("Your details are saved."), "success")
    return redirect(url_for("auth.account"))


def _own_address_or_404(address_id: int):
    address = services.own_address(current_user, address_id)
    if address is None:
        abort(404)
    return address


def _address_page(form: AddressForm, address=None):
    return render_template("auth/address_form.html", form=form, address=address)


@bp.get("/account/addresses/new")
@login_required
def new_address():
    form = AddressForm(recipient_name=current_user.name, phone=services.national_phone(current_user.phone))
    return _address_page(form)


@bp.post("/account/addresses/new")
@login_required
def add_address():
    form = AddressForm()
    if form.validate_on_submit():
        try:
            services.save_address(current_user, form.to_input())
        except services.AuthError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("The address is saved."), "success")
            return redirect(url_for("auth.account") + "#addresses")
    return _address_page(form)


@bp.get("/account/addresses/<int:address_id>/edit")
@login_required
def edit_address(address_id: int):
    address = _own_address_or_404(address_id)
    form = AddressForm(obj=address)
    form.phone.data = services.national_phone(address.phone)
    if address.province_code == QUANG_NINH:
        form.ward_name.data = ""
    return _address_page(form, address)


@bp.post("/account/addresses/<int:address_id>/edit")
@login_required
def update_address(address_id: int):
    address = _own_address_or_404(address_id)
    form = AddressForm()
    if form.validate_on_submit():
        try:
            services.save_address(current_user, form.to_input(), address)
        except services.AuthError as error:
            form.form_errors.append(str(error))
        else:
            flash(_("The address is saved."), "success")
            return redirect(url_for("auth.account") + "#addresses")
    return _address_page(form, address)


@bp.post("/account/addresses/<int:address_id>/delete")
@login_required
def delete_address(address_id: int):
    try:
        services.delete_address(current_user, address_id)
    except services.AddressNotFound:
        abort(404)
    flash(_("The address is deleted."), "info")
    return redirect(url_for("auth.account") + "#addresses")


@bp.post("/account/addresses/<int:address_id>/default")
@login_required
def make_default_address(address_id: int):
    try:
        services.make_default_address(current_user, address_id)
    except services.AddressNotFound:
        abort(404)
    flash(_("This is now your default address."), "success")
    return redirect(url_for("auth.account") + "#addresses")
