"""The checkout steps' forms: what each accepts, with messages in the customer's language."""
from __future__ import annotations

import datetime as dt

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, RadioField, SelectField, StringField, TelField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from shop import countries
from shop.auth import services as accounts
from shop.checkout import rules


def _strip(value):
    return value.strip() if isinstance(value, str) else value


def _email(_form, field):
    try:
        field.data = accounts.normalize_email(field.data)
    except accounts.AuthError as error:
        raise ValidationError(str(error)) from None


def _phone(_form, field):
    try:
        field.data = accounts.normalize_phone(field.data)
    except accounts.AuthError as error:
        raise ValidationError(str(error)) from None


class ContactForm(FlaskForm):
    name = StringField(_l("Full name"), filters=[_strip],
                       validators=[InputRequired(_l("Please enter your name.")), Length(max=120)])
    #: Optional: a phone is enough to order; with an address we e-mail the confirmation and the pickup code.
    email = EmailField(_l("Email (optional)"), filters=[_strip], validators=[Optional(), Length(max=254), _email])
    phone = TelField(_l("Mobile phone"), filters=[_strip],
                     validators=[InputRequired(_l("Please enter a phone number.")), _phone])
    #: Asked only when the cart holds alcohol; the view decides whether it is required (see validate_birth_date).
    #: A date picker sends 2008-12-05; typed by hand, 05/12/2008 (day first, as in Vietnam) is read too.
    birth_date = StringField(_l("Date of birth"), filters=[_strip], validators=[Length(max=20)])

    def __init__(self, *args, alcohol: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.alcohol = alcohol
        #: The date read from birth_date once validated; None without alcohol.
        self.born: dt.date | None = None

    def validate_birth_date(self, field):
        if not self.alcohol:
            return
        if not field.data:
            raise ValidationError(_l("Your cart holds alcohol: please give your date of birth. We do not sell alcohol to anyone under 18."))
        born = parse_birth_date(field.data)
        if born is None or not rules.plausible_birth_date(born):
            raise ValidationError(_l("Please enter your date of birth as day, month and year."))
        if not rules.may_buy_alcohol(born):
            raise ValidationError(_l("We do not sell alcohol to anyone under 18 (Law 44/2019/QH14). Please remove the alcoholic drinks from your cart."))
        self.born = born


def parse_birth_date(text: str) -> dt.date | None:
    """2008-12-05 or 5/12/2008 (also with - or .) → a date; anything else → None."""
    text = (text or "").strip()
    for pattern in ("%Y-%m-%d", "%d/%m/%Y", "%d-%m-%Y", "%d.%m.%Y"):
        try:
            return dt.datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


class DeliveryForm(FlaskForm):
    method = RadioField(_l("How do you want to receive your order?"),
                        choices=[SelectChoice("pickup", _l("Pick up at an OCOP sales point")),
                                 SelectChoice("delivery", _l("Delivery to an address"))],
                        validators=[InputRequired(_l("Please choose pickup or delivery."))])
    # No Optional(): it would stop the validate_* methods below, which decide what each method needs.
    sales_point = RadioField(_l("Sales point"), coerce=str, validate_choice=False)
    country = SelectField(_l("Country"), default=countries.VIETNAM, validate_choice=False)
    province = SelectField(_l("Province or city"), validate_choice=False)
    ward_code = SelectField(_l("Ward or commune in Quảng Ninh"), validate_choice=False)
    ward_name = StringField(_l("Ward or commune (other provinces)"), filters=[_strip], validators=[Length(max=120)])
    address_line = StringField(_l("House number and street, or hamlet"), filters=[_strip],
                               validators=[Length(max=255)])
    # An address abroad, in the fields most countries' posts know; the server reads the set matching the country.
    recipient_name = StringField(_l("Recipient's name"), filters=[_strip], validators=[Length(max=120)])
    abroad_line1 = StringField(_l("Address line 1"), filters=[_strip], validators=[Length(max=255)])
    abroad_line2 = StringField(_l("Address line 2 (optional)"), filters=[_strip], validators=[Length(max=255)])
    city = StringField(_l("City or town"), filters=[_strip], validators=[Length(max=120)])
    region = StringField(_l("State, province or region (optional)"), filters=[_strip], validators=[Length(max=120)])
    postal_code = StringField(_l("Postal code"), filters=[_strip], validators=[Length(max=20)])
    abroad_phone = TelField(_l("Recipient's phone"), filters=[_strip], validators=[Length(max=30)])

    @property
    def in_vietnam(self) -> bool:
        return self.method.data == "delivery" and self.country.data == countries.VIETNAM

    @property
    def abroad(self) -> bool:
        return self.method.data == "delivery" and self.country.data != countries.VIETNAM

    def validate_sales_point(self, field):
        if self.method.data == "pickup" and not (field.data or "").isdigit():
            raise ValidationError(_l("Please choose a sales point."))

    def validate_country(self, field):
        if self.abroad and rules.abroad_zone(field.data or "") is None:
            raise ValidationError(_l("Sorry, we do not send parcels to %(country)s. Please choose another country, "
                                     "or pick your order up at an OCOP sales point.",
                                     country=countries.country_name(field.data or "")))

    def validate_province(self, field):
        if self.in_vietnam and not field.data:
            raise ValidationError(_l("Please choose a province or city."))

    def validate_address_line(self, field):
        if self.in_vietnam and not field.data:
            raise ValidationError(_l("Please enter the street address."))

    def validate_recipient_name(self, field):
        if self.abroad and not field.data:
            raise ValidationError(_l("Please enter the recipient's name."))

    def validate_abroad_line1(self, field):
        if self.abroad and not field.data:
            raise ValidationError(_l("Please enter the street address."))

    def validate_city(self, field):
        if self.abroad and not field.data:
            raise ValidationError(_l("Please enter the city or town."))

    def validate_postal_code(self, field):
        if not self.abroad or (not field.data and not countries.needs_postal_code(self.country.data)):
            return
        if not field.data:
            raise ValidationError(_l("Please enter the postal code."))
        cleaned = countries.clean_postal_code(field.data)
        if cleaned is None:
            raise ValidationError(_l("This does not look like a postal code: use letters, digits, spaces or hyphens."))
        field.data = cleaned

    def validate_abroad_phone(self, field):
        if not self.abroad:
            return
        number = countries.international_phone(field.data, self.country.data or "")
        if number is None:
            raise ValidationError(_l(
                "Please enter the recipient's phone number with its country code, like %(example)s.",
                example=countries.example_phone(self.country.data or "")))
        field.data = number

    def validate_ward_name(self, field):
        if not self.in_vietnam:
            return
        if self.province.data == "22":
            if not self.ward_code.data:
                raise ValidationError(_l("Please choose the ward or commune."))
        elif not field.data:
            raise ValidationError(_l("Please enter the ward or commune."))


class DetailsForm(ContactForm, DeliveryForm):
    """Checkout's first step: who orders, where it goes, and the consent to process their data for it."""

    data_consent = BooleanField(_l("I agree that my name, phone, email and address are processed to fulfil this order (Decree 13/2023/NĐ-CP)."),
                                validators=[InputRequired(_l("Please agree to the processing of your personal data for this order."))])
    marketing_consent = BooleanField(_l("Send me news and offers from the OCOP Quảng Ninh shop (optional)."))

    def validate_recipient_name(self, field):
        if self.abroad and not field.data:
            field.data = self.name.data  # one form: the recipient abroad is the contact unless another is named
        super().validate_recipient_name(field)


class PlaceForm(FlaskForm):
    """Checkout's second step: how to pay, and the order placed at the total the customer saw."""

    method = RadioField(_l("Payment"), validate_choice=False, validators=[InputRequired(_l("Please choose how to pay."))])
    checkout_key = HiddenField(validators=[InputRequired()])
    expected_total = HiddenField(validators=[InputRequired()])
    note = TextAreaField(_l("Note for the producers (optional)"), filters=[_strip], validators=[Optional(), Length(max=500)])
