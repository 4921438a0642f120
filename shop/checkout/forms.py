"""The checkout steps' forms: what each accepts, with messages in the customer's language."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l
from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, RadioField, SelectField, StringField, TelField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional, ValidationError

from shop.auth import services as accounts


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
    email = EmailField(_l("Email"), filters=[_strip],
                       validators=[InputRequired(_l("Please enter your email address.")), Length(max=254), _email])
    phone = TelField(_l("Mobile phone"), filters=[_strip],
                     validators=[InputRequired(_l("Please enter a phone number.")), _phone])


class DeliveryForm(FlaskForm):
    method = RadioField(_l("How do you want to receive your order?"),
                        choices=[("pickup", _l("Pick up at an OCOP sales point")), ("delivery", _l("Delivery to an address"))],
                        validators=[InputRequired(_l("Please choose pickup or delivery."))])
    # No Optional(): it would stop the validate_* methods below, which decide what each method needs.
    sales_point = RadioField(_l("Sales point"), coerce=str, validate_choice=False)
    province = SelectField(_l("Province or city"), validate_choice=False)
    ward_code = SelectField(_l("Ward or commune in Quảng Ninh"), validate_choice=False)
    ward_name = StringField(_l("Ward or commune (other provinces)"), filters=[_strip], validators=[Length(max=120)])
    address_line = StringField(_l("House number and street, or hamlet"), filters=[_strip],
                               validators=[Length(max=255)])

    def validate_sales_point(self, field):
        if self.method.data == "pickup" and not (field.data or "").isdigit():
            raise ValidationError(_l("Please choose a sales point."))

    def validate_province(self, field):
        if self.method.data == "delivery" and not field.data:
            raise ValidationError(_l("Please choose a province or city."))

    def validate_address_line(self, field):
        if self.method.data == "delivery" and not field.data:
            raise ValidationError(_l("Please enter the street address."))

    def validate_ward_name(self, field):
        if self.method.data != "delivery":
            return
        if self.province.data == "22":
            if not self.ward_code.data:
                raise ValidationError(_l("Please choose the ward or commune."))
        elif not field.data:
            raise ValidationError(_l("Please enter the ward or commune."))


class PaymentForm(FlaskForm):
    method = RadioField(_l("Payment"), validate_choice=True, validators=[InputRequired(_l("Please choose how to pay."))])


class PlaceForm(FlaskForm):
    checkout_key = HiddenField(validators=[InputRequired()])
    expected_total = HiddenField(validators=[InputRequired()])
    note = TextAreaField(_l("Note for the producers (optional)"), filters=[_strip], validators=[Optional(), Length(max=500)])
    data_consent = BooleanField(_l("I agree that my name, phone, email and address are processed to fulfil this order (Decree 13/2023/NĐ-CP)."),
                                validators=[InputRequired(_l("Please agree to the processing of your personal data for this order."))])
    marketing_consent = BooleanField(_l("Send me news and offers from the OCOP Quảng Ninh shop (optional)."))
