"""Turn an outbox message into an e-mail in its reader's language: plain text plus an HTML alternative."""
from __future__ import annotations

import base64
import datetime as dt
import hashlib
from email.message import EmailMessage
from email.utils import format_datetime
from typing import Any

from flask import current_app, render_template
from flask_babel import force_locale, gettext as _

from shop import formats, qr
from shop.labels import payment_method_label
from shop.notifications.channels import ZALO_LANGUAGE, Channel, sms_body
from shop.notifications.mailer import mail_domain, message_id
from shop.notifications.messages import load, parse_time
from shop.notifications.texting import Text


def render(outbox_message) -> EmailMessage:
    """Build the e-mail for an outbox message (kind, recipient, language, payload, dedupe_key).

    Raises InvalidMessage when the stored payload no longer fits its kind.
    """
    message = load(outbox_message.kind, outbox_message.payload)
    config = current_app.config
    language = (outbox_message.language if outbox_message.language in config["LANGUAGES"]
                else config["BABEL_DEFAULT_LOCALE"])
    dedupe_key = outbox_message.dedupe_key

    with force_locale(language):
        subject = message.subject()
        name = message.greeting_name
        context = {"p": message, "subject": subject, "lang": language, "config": config,
                   "greeting": _("Hello %(name)s,", name=name) if name else _("Hello,"),
                   "format_due": format_due, "payment_label": payment_method_label, **message.context()}
        qr_png = None
        inline_qr = message.inline_qr()
        if inline_qr is not None:
            cid_name, qr_content, qr_filename = inline_qr
            qr_png = base64.b64decode(qr.qr_png_data_uri(qr_content).partition(",")[2])
            context["qr_cid"] = _content_id(cid_name, dedupe_key, config["MAIL_FROM"])
        text = _tidy(render_template(f"notifications/{message.kind}.txt", **context))
        html = render_template(f"notifications/{message.kind}.html", **context)

    email = EmailMessage()
    email["Subject"] = subject
    email["From"] = config["MAIL_FROM"]
    email["To"] = outbox_message.recipient
    email["Date"] = format_datetime(dt.datetime.now(dt.UTC))
    email["Message-ID"] = message_id(dedupe_key, config["MAIL_FROM"])
    # RFC 3834: tells out-of-office responders and mailing lists not to answer a machine.
    email["Auto-Submitted"] = "auto-generated"
    email.set_content(text)
    email.add_alternative(html, subtype="html")
    # Set after the parts exist: making a message multipart moves its Content-* headers into the first part.
    email["Content-Language"] = language
    if qr_png is not None:
        # Attached and referenced by cid: — many mail clients block data: URIs in HTML.
        html_part = email.get_payload()[1]
        html_part.add_related(qr_png, "image", "png", cid=f"<{context['qr_cid']}>", disposition="inline",
                              filename=qr_filename)
    return email


def render_text(outbox_message, reference: str) -> Text:
    """Build the SMS, or the Zalo template's parameters, for an outbox row of a text channel."""
    message = load(outbox_message.kind, outbox_message.payload)
    config = current_app.config
    if outbox_message.channel == Channel.ZALO:
        with force_locale(ZALO_LANGUAGE):
            params = message.zalo_params()
        return Text(phone=outbox_message.recipient, reference=reference, params=params,
                    template_id=str(config["ZALO_TEMPLATES"][outbox_message.kind]))
    language = (outbox_message.language if outbox_message.language in config["LANGUAGES"]
                else config["BABEL_DEFAULT_LOCALE"])
    with force_locale(language):
        body, unicode = sms_body(message.text(), config["SMS_UNICODE"])
    return Text(phone=outbox_message.recipient, reference=reference, body=body, unicode=unicode)


def format_due(value: Any) -> str:
    """A deadline stored in a message (ISO text), in Vietnam time, written the way the reader's language writes it."""
    # Payment and pickup deadlines are Vietnamese business hours, so they are given in Vietnam time for every reader.
    return formats.format_due(parse_time(value))


def grouped(code: str) -> str:
    """Write a code in groups of four, easier to read out at a counter: K7M2QX9P → K7M2 QX9P."""
    return " ".join(code[start:start + 4] for start in range(0, len(code), 4))


def _tidy(text: str) -> str:
    """Drop the blank lines template tags leave behind: one empty line at most between paragraphs."""
    lines = ["" if not line.strip() else line for line in text.strip().splitlines()]
    tidy: list[str] = []
    for line in lines:
        if line or (tidy and tidy[-1]):
            tidy.append(line)
    return "\n".join(tidy) + "\n"


def _content_id(name: str, dedupe_key: str, mail_from: str) -> str:
    # Derived like the Message-ID, so every attempt at one message builds the same e-mail.
    digest = hashlib.sha256(dedupe_key.encode("utf-8")).hexdigest()[:24]
    return f"{name}.{digest}@{mail_domain(mail_from)}"

