"""Account use cases: register, authenticate, reset a password, keep a profile and addresses.

Each public function that changes something commits once; views only parse and respond.
"""
from __future__ import annotations

import hashlib
import hmac
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from flask import current_app
from flask_babel import lazy_gettext as _l
from itsdangerous import BadSignature, URLSafeTimedSerializer
from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from shop.clock import now
from shop.auth.models import Address, Login, Role, User
from shop.catalog.models import Producer
from shop import places
from shop.extensions import begin_write, db
from shop.links import external_url, password_reset_url
from shop.auth import consents, messages
from shop.notifications.outbox import enqueue
from shop.places import QUANG_NINH_CODE, quang_ninh_wards

#: Shorter passwords are refused; length beats composition rules (NIST SP 800-63B).
MIN_PASSWORD_LENGTH = 10
#: Longer inputs are refused before hashing, so nobody makes the server hash megabytes.
MAX_PASSWORD_LENGTH = 200
LANGUAGES = ("vi", "en", "zh", "ko")


class AuthError(Exception):
    """An account action the shop refuses; str(error) is a message safe to show."""

    message = _l("This could not be done for your account.")

    def __init__(self, message=None, **values):
        text = str(message or self.message)
        super().__init__(text % values if values else text)


class EmailTaken(AuthError):
    message = _l("An account with this email address already exists. Log in, or reset your password.")


class InvalidEmail(AuthError):
    message = _l("Please enter a valid email address, like name@example.com.")


class InvalidPhone(AuthError):
    message = _l("Please enter a Vietnamese phone number, like 0912 345 678.")


class WeakPassword(AuthError):
    message = _l("Please choose a password of at least %(min)d characters.")


class ConsentRequired(AuthError):
    message = _l("We need your consent to process your personal data to open an account.")


class AccountDisabled(AuthError):
    message = _l("This account is disabled. Please contact the OCOP office.")


class ProducerPaused(AuthError):
    message = _l("The OCOP office has paused your producer, so its workspace is closed. Please contact the OCOP "
                 "office.")


class InvalidResetToken(AuthError):
    message = _l("This password-reset link is invalid, has expired or has already been used.")


class InvalidAddress(AuthError):
    message = _l("Please choose a ward or commune of Quảng Ninh from the list.")


class AddressNotFound(AuthError):
    message = _l("This address does not exist.")


class RoleMismatch(AuthError):
    message = _l("A producer user belongs to one producer and a staff user to one sales point; other roles to neither.")


# ---- normalising what people type --------------------------------------------------------------

def normalize_email(value: str) -> str:
    """Return the address as stored (validated, lower-case); raise InvalidEmail."""
    try:
        result = validate_email((value or "").strip(), check_deliverability=False)
    except EmailNotValidError:
        raise InvalidEmail() from None
    return result.normalized.lower()


def normalize_phone(value: str) -> str:
    """Return a Vietnamese phone number in E.164 (+84912345678); raise InvalidPhone."""
    try:
        number = phonenumbers.parse((value or "").strip(), "VN")
    except phonenumbers.NumberParseException:
        raise InvalidPhone() from None
    if not phonenumbers.is_valid_number(number):
        raise InvalidPhone()
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def national_phone(e164: str) -> str:
    """+84912345678 → 091 234 56 78, as Vietnamese customers write it; other numbers unchanged."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, "VN")
    except phonenumbers.NumberParseException:
        return e164
    if number.country_code != 84:
        return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.INTERNATIONAL)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def _check_password(password: str) -> None:
    if not MIN_PASSWORD_LENGTH <= len(password or "") <= MAX_PASSWORD_LENGTH:
        raise WeakPassword(min=MIN_PASSWORD_LENGTH)


def provinces() -> list[tuple[str, str]]:
    """The 34 provinces since July 2025 as (two-digit code, name), in the national list's order."""
    return [(p.code, p.name) for p in places.provinces().values()]


# ---- registering and logging in --------------------------------------------------------------

def register_customer(*, name: str, email: str, password: str, phone: str = "", language: str = "vi",
                      marketing_consent: bool = False, data_consent: bool = False) -> User | None:
    """Open a customer account and e-mail the address; raise an AuthError for input the form must fix.

    An address that already has an account gets an e-mail saying so, and nothing is created (None).
    Both ways cost one password hash and one queued e-mail, so neither the page nor its timing tells a
    stranger whether the address has an account; only its owner learns it, from the e-mail.
    """
    if not data_consent:
        raise ConsentRequired()
    email = normalize_email(email)
    phone = normalize_phone(phone) if phone else ""
    _check_password(password)
    begin_write()
    existing = db.session.scalar(select(User).where(User.email == email))
    if existing is not None:
        _tell_owner_of_registration(existing, password)
        return None
    user = User(email=email, name=name.strip(), phone=phone, role=Role.CUSTOMER,
                language=language if language in LANGUAGES else "vi", marketing_consent=bool(marketing_consent))
    user.set_password(password)
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:  # the same address registered twice at once: the first one won
        db.session.rollback()
        return None
    # Decree 13/2023: each purpose's answer, when, and under which privacy notice.
    consents.record(consents.Purpose.PERSONAL_DATA, True, consents.Source.REGISTRATION, email=email, user_id=user.id)
    consents.record(consents.Purpose.MARKETING_EMAIL, bool(marketing_consent), consents.Source.REGISTRATION,
                    email=email, user_id=user.id)
    enqueue(messages.registration(user, already_registered=False, login_url=external_url("auth.login"),
                                  reset_url=None, attempt="new"))
    db.session.commit()
    return user


def _tell_owner_of_registration(user: User, password: str) -> None:
    """E-mail an address's owner that someone tried to register with it (at most once an hour)."""
    generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])  # as long as a new account
    enqueue(messages.registration(user, already_registered=True, login_url=external_url("auth.login"),
                                  reset_url=external_url("auth.password_reset_request"),
                                  attempt=now().strftime("%Y%m%d%H")))
    db.session.commit()


@cache
def _dummy_hash() -> str:
    """A hash to check against when the address is unknown, so both answers take as long."""
    return generate_password_hash("not-a-real-password-but-the-same-cost",
                                  method=current_app.config["PASSWORD_HASH_METHOD"])


def authenticate(email: str, password: str) -> User | None:
    """The user these credentials open (sessions.log_in notes the login); None when they are wrong.

    Raises AccountDisabled only after a correct password, so a stranger learns nothing.
    """
    try:
        email = normalize_email(email)
    except InvalidEmail:
        email = (email or "").strip().lower()
    user = db.session.scalar(select(User).where(User.email == email)) if email else None
    if user is None:
        check_password_hash(_dummy_hash(), password or "")
        return None
    if not user.password_hash:
        # An invited account that has not chosen a password yet: as slow as a wrong password.
        check_password_hash(_dummy_hash(), password or "")
        return None
    if not user.check_password(password or ""):
        return None
    if not user.is_active:
        raise AccountDisabled()
    if not works_for_an_active_producer(user):
        raise ProducerPaused()
    return user


def works_for_an_active_producer(user: User) -> bool:
    """Not a producer's user, or one whose producer the office has not deactivated."""
    if user.role != Role.PRODUCER:
        return True
    return bool(db.session.scalar(select(Producer.is_active).where(Producer.id == user.producer_id)))


# ---- password reset --------------------------------------------------------------------------

def _serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(current_app.secret_key, salt="password-reset")


def _password_fingerprint(user: User) -> str:
    # Every new hash has a fresh salt, so any password change retires the links issued before it.
    return hashlib.sha256((user.password_hash or "").encode()).hexdigest()[:16]


def make_reset_token(user: User) -> str:
    """A signed, timed token that sets this user's password once."""
    return _serializer().dumps({"uid": user.id, "ph": _password_fingerprint(user)})


def user_for_reset_token(token: str) -> User:
    """The user a valid, unexpired, unused token belongs to; raise InvalidResetToken."""
    try:
        data = _serializer().loads(token, max_age=current_app.config["PASSWORD_RESET_MAX_AGE"])
    except BadSignature:  # includes SignatureExpired
        raise InvalidResetToken() from None
    if not isinstance(data, dict) or not isinstance(data.get("uid"), int) or not isinstance(data.get("ph"), str):
        raise InvalidResetToken()
    user = db.session.get(User, data["uid"])
    if user is None or not user.is_active or not hmac.compare_digest(data["ph"], _password_fingerprint(user)):
        raise InvalidResetToken()
    return user


def reset_link(user: User) -> str:
    return password_reset_url(make_reset_token(user))


def request_password_reset(email: str, make_url: Callable[[str], str]) -> None:
    """Queue a reset link for an active account; do nothing, visibly the same, otherwise."""
    try:
        email = normalize_email(email)
    except InvalidEmail:
        return
    user = db.session.scalar(select(User).where(User.email == email))
    if user is None or not user.is_active:
        return
    queue_password_reset(user, make_url)
    db.session.commit()


def queue_password_reset(user: User, make_url: Callable[[str], str] = password_reset_url) -> None:
    """Queue the e-mail with a fresh link to choose a new password; the caller commits."""
    token = make_reset_token(user)
    fingerprint = hashlib.sha256(token.encode()).hexdigest()[:16]
    enqueue(messages.password_reset(user, make_url(token), fingerprint))


def reset_password(token: str, new_password: str) -> User:
    """Set a new password with a reset token, which then stops working; raise InvalidResetToken."""
    _check_password(new_password)
    begin_write()
    try:
        user = user_for_reset_token(token)
    except InvalidResetToken:
        db.session.rollback()
        raise
    old_hash = user.password_hash
    new_hash = generate_password_hash(new_password)
    # Conditional on the old hash: two requests racing with one token change the password once.
    changed = db.session.execute(
        update(User).where(User.id == user.id, User.password_hash == old_hash)
        # A new session version ends every login: a stolen cookie dies with the old password.
        .values(password_hash=new_hash, session_version=User.session_version + 1)
        .execution_options(synchronize_session=False)
    ).rowcount
    if changed != 1:
        db.session.rollback()
        raise InvalidResetToken()
    db.session.execute(delete(Login).where(Login.user_id == user.id))
    db.session.commit()
    db.session.refresh(user)
    return user


# ---- profile and addresses ------------------------------------------------------------------

def update_profile(user: User, *, name: str, phone: str = "", language: str = "vi",
                   marketing_consent: bool = False) -> None:
    """Change the account's name, phone, preferred language and marketing consent."""
    user.name = name.strip()
    user.phone = normalize_phone(phone) if phone else ""
    user.language = language if language in LANGUAGES else user.language
    if user.marketing_consent != bool(marketing_consent):  # given or withdrawn: the change is recorded
        consents.record(consents.Purpose.MARKETING_EMAIL, bool(marketing_consent), consents.Source.ACCOUNT,
                        email=user.email, user_id=user.id)
    user.marketing_consent = bool(marketing_consent)
    db.session.commit()


@dataclass(frozen=True)
class AddressInput:
    """A saved address as typed: province code, and either a Quảng Ninh ward code or a ward name."""

    recipient_name: str
    phone: str
    province_code: str
    line: str
    ward_code: str = ""
    ward_name: str = ""
    is_default: bool = False


def own_address(user: User, address_id: int) -> Address | None:
    return db.session.scalar(select(Address).where(Address.id == address_id, Address.user_id == user.id))


def _make_default(user: User, address: Address) -> None:
    for other in user.addresses:
        other.is_default = other is address


def save_address(user: User, form_data: AddressInput | dict, address: Address | None = None) -> Address:
    """Add an address, or change one of the user's own; the first one becomes the default."""
    data = form_data if isinstance(form_data, AddressInput) else AddressInput(**form_data)
    if address is not None and address.user_id != user.id:
        raise AddressNotFound()
    province_name = dict(provinces()).get(data.province_code)
    if province_name is None:
        raise InvalidAddress(_l("Please choose a province."))
    if int(data.province_code) == QUANG_NINH_CODE:
        ward = quang_ninh_wards().get(data.ward_code or "")
        if ward is None:
            raise InvalidAddress()
        ward_code, ward_name = ward.code, ward.name
    else:
        ward_code, ward_name = "", data.ward_name.strip()
        if not ward_name:
            raise InvalidAddress(_l("Please enter the ward or commune."))
    if address is None:
        address = Address(user=user)
        db.session.add(address)
    address.recipient_name = data.recipient_name.strip()
    address.phone = normalize_phone(data.phone)
    address.province_code, address.province_name = data.province_code, province_name
    address.ward_code, address.ward_name = ward_code, ward_name
    address.line = data.line.strip()
    if data.is_default or not any(a.is_default for a in user.addresses if a is not address):
        _make_default(user, address)
    else:
        address.is_default = False
    db.session.commit()
    return address


def make_default_address(user: User, address_id: int) -> None:
    address = own_address(user, address_id)
    if address is None:
        raise AddressNotFound()
    _make_default(user, address)
    db.session.commit()


def delete_address(user: User, address_id: int) -> None:
    """Delete one of the user's own addresses; another one becomes the default if needed."""
    address = own_address(user, address_id)
    if address is None:
        raise AddressNotFound()
    was_default = address.is_default
    user.addresses.remove(address)
    if was_default and user.addresses:
        _make_default(user, user.addresses[0])
    db.session.commit()


# ---- accounts made by an operator -----------------------------------------------------------

def create_user(email: str, role: str, *, name: str = "", password: str | None = None,
                producer_id: int | None = None, sales_point_id: int | None = None) -> User:
    """Create an account of any role (the command line's job); raise an AuthError."""
    role = Role(role)
    email = normalize_email(email)
    if (role == Role.PRODUCER) != (producer_id is not None) or (role == Role.STAFF) != (sales_point_id is not None):
        raise RoleMismatch()
    if password is not None:
        _check_password(password)
    begin_write()
    if db.session.scalar(select(User.id).where(User.email == email)) is not None:
        db.session.rollback()
        raise EmailTaken()
    user = User(email=email, name=name.strip(), role=role, language="vi",
                producer_id=producer_id, sales_point_id=sales_point_id)
    if password:
        user.set_password(password)
    db.session.add(user)
    try:
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise EmailTaken() from None
    return user
