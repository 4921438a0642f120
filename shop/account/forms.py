"""Forms of the account pages: what each one accepts, with messages in the visitor's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, TelField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, EqualTo, Length, Optional, ValidationError

from shop.auth import services
from shop.places import QUANG_NINH_CODE, quang_ninh_wards
from shop.text import sort_key

QUANG_NINH = f"{QUANG_NINH_CODE:02d}"
LANGUAGES = {"vi": "Tiếng Việt", "en": "English", "zh": "中文", "ko": "한국어"}


def _strip(value):
    # Stripped before DataRequired looks, so a name of spaces counts as empty.
    return value.strip() if isinstance(value, str) else value


def valid_email(_form, field) -> None:
    """Check the address and keep it the way it is stored (lower-case)."""
    try:
        field.data = services.normalize_email(field.data)
    except services.AuthError as error:
        raise ValidationError(str(error)) from None


def valid_phone(_form, field) -> None:
    """Check a Vietnamese number and keep it in E.164."""
    if not field.data:
        return
    try:
        field.data = services.normalize_phone(field.data)
    except services.AuthError as error:
        raise ValidationError(str(error)) from None


_NEW_PASSWORD = [
    DataRequired(message=_l("Please choose a password.")),
    Length(min=services.MIN_PASSWORD_LENGTH, max=services.MAX_PASSWORD_LENGTH,
           message=_l("The password needs %(min)d to %(max)d characters.")),
]
_CONFIRM = [
    DataRequired(message=_l("Please type the password again.")),
    EqualTo("password", message=_l("The two passwords are not the same.")),
]


class RegisterForm(FlaskForm):
    name = StringField(_l("Full name"), filters=[_strip],
                       validators=[DataRequired(message=_l("Please enter your name.")),
                                   Length(max=120, message=_l("Please keep it under %(max)d characters."))])
    email = EmailField(_l("Email"), filters=[_strip],
                       validators=[DataRequired(message=_l("Please enter your email address.")),
                                   Length(max=254, message=_l("Please keep it under %(max)d characters.")),
                                   valid_email])
    phone = TelField(_l("Phone (optional)"), filters=[_strip], validators=[Optional(), valid_phone])
    password = PasswordField(_l("Password"), validators=_NEW_PASSWORD)
    confirm = PasswordField(_l("Repeat the password"), validators=_CONFIRM)
    marketing_consent = BooleanField(_l("Send me news and offers from Quảng Ninh's OCOP producers by email"))
    data_consent = BooleanField(
        _l("I agree that the shop processes my personal data (name, email, phone, addresses) to run my account "
           "and my orders, as Decree 13/2023/NĐ-CP requires"),
        validators=[DataRequired(message=services.ConsentRequired.message)],
    )


class LoginForm(FlaskForm):
    email = EmailField(_l("Email"), filters=[_strip],
                       validators=[DataRequired(message=_l("Please enter your email address."))])
    password = PasswordField(_l("Password"), validators=[DataRequired(message=_l("Please enter your password."))])
    remember = BooleanField(_l("Remember me on this device"))


class PasswordResetRequestForm(FlaskForm):
    email = EmailField(_l("Email"), filters=[_strip],
                       validators=[DataRequired(message=_l("Please enter your email address."))])


class PasswordResetForm(FlaskForm):
    password = PasswordField(_l("New password"), validators=_NEW_PASSWORD)
    confirm = PasswordField(_l("Repeat the new password"), validators=_CONFIRM)


class ProfileForm(FlaskForm):
    name = StringField(_l("Full name"), filters=[_strip],
                       validators=[DataRequired(message=_l("Please enter your name.")),
                                   Length(max=120, message=_l("Please keep it under %(max)d characters."))])
    phone = TelField(_l("Phone (optional)"), filters=[_strip], validators=[Optional(), valid_phone])
    language = SelectField(_l("Preferred language"), validate_choice=False,
                           choices=[SelectChoice(code, name) for code, name in LANGUAGES.items()])
    marketing_consent = BooleanField(_l("Send me news and offers from Quảng Ninh's OCOP producers by email"))

    def validate_language(self, field) -> None:
        if field.data not in LANGUAGES:
            raise ValidationError(_l("Please choose one of the languages."))


_WARD_GROUPS = {"phường": _l("Wards (phường)"), "xã": _l("Communes (xã)"), "đặc khu": _l("Special zones (đặc khu)")}


def ward_groups() -> list[tuple[str, list]]:
    """Quảng Ninh's 54 wards grouped by kind (wards, communes, special zones), each in Vietnamese order."""
    groups: dict[str, list] = {}
    for ward in sorted(quang_ninh_wards().values(), key=lambda w: sort_key(w.short_name)):
        groups.setdefault(ward.kind, []).append(ward)
    return [(str(_WARD_GROUPS.get(kind, kind)), wards) for kind, wards in groups.items()]


class AddressForm(FlaskForm):
    recipient_name = StringField(_l("Recipient's name"), filters=[_strip],
                                 validators=[DataRequired(message=_l("Please enter who receives the parcel.")),
                                             Length(max=120, message=_l("Please keep it under %(max)d characters."))])
    phone = TelField(_l("Recipient's phone"), filters=[_strip],
                     validators=[DataRequired(message=_l("The carrier needs a phone number to call.")), valid_phone])
    province_code = SelectField(_l("Province or city"), default=QUANG_NINH, validate_choice=False)
    ward_code = SelectField(_l("Ward or commune (Quảng Ninh)"), validate_choice=False, default="")
    ward_name = StringField(_l("Ward or commune (other provinces)"), filters=[_strip],
                            validators=[Length(max=120, message=_l("Please keep it under %(max)d characters."))])
    line = StringField(_l("House number, street, village or hamlet"), filters=[_strip],
                       validators=[DataRequired(message=_l("Please enter the street address.")),
                                   Length(max=255, message=_l("Please keep it under %(max)d characters."))])
    is_default = BooleanField(_l("Use as my default address"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.province_code.choices = [SelectChoice(code, name) for code, name in services.provinces()]
        self.ward_code.choices = [SelectChoice("", str(_l("— Choose (Quảng Ninh only) —")))] + [
            SelectChoice(w.code, w.name, optgroup=group) for group, wards in ward_groups() for w in wards]

    def validate_province_code(self, field) -> None:
        if field.data not in dict(services.provinces()):
            raise ValidationError(_l("Please choose a province."))

    def validate_ward_code(self, field) -> None:
        if self.province_code.data == QUANG_NINH and field.data not in quang_ninh_wards():
            raise ValidationError(services.InvalidAddress.message)

    def validate_ward_name(self, field) -> None:
        if self.province_code.data != QUANG_NINH and not field.data:
            raise ValidationError(_l("Please enter the ward or commune."))

    def to_input(self) -> services.AddressInput:
        in_quang_ninh = self.province_code.data == QUANG_NINH
        return services.AddressInput(
            recipient_name=self.recipient_name.data, phone=self.phone.data, province_code=self.province_code.data,
            line=self.line.data, ward_code=self.ward_code.data if in_quang_ninh else "",
            ward_name="" if in_quang_ninh else self.ward_name.data, is_default=self.is_default.data,
        )
