"""Where a text goes: an SMS provider (`SMS_PROVIDER`) and a Zalo ZNS provider (`ZALO_PROVIDER`), by configuration.

| setting          | values                                   |
|------------------|------------------------------------------|
| `SMS_PROVIDER`   | none (no SMS), `fake`, `log`, `esms`, `speedsms` |
| `ZALO_PROVIDER`  | none (no Zalo), `fake`, `log`, `zns`     |

`fake` keeps every text in memory (`fake_texts(app)`) and fails on request: the tests' provider. `log` writes
each text to the log and to instance/outbox/<id>-<kind>.<channel>.txt, for development. `esms`, `speedsms` and
`zns` speak the providers' documented HTTP APIs (eSMS.vn SendMultipleMessage_V4, SpeedSMS /sms/send, Zalo
Notification Service /message/template); their base URL is a setting so a test can point it at 127.0.0.1.
A provider raises `Undeliverable` when retrying cannot help (a number that is not a mobile, no Zalo account),
any other exception to be retried with the outbox's backoff.
"""
from __future__ import annotations

import base64
import json
import logging
import os
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from typing import Protocol

from flask import Flask

from shop.notifications.mailer import PermanentFailure

log = logging.getLogger(__name__)


class Undeliverable(PermanentFailure):
    """The provider refused this text for good; for Zalo, the SMS takes over."""


@dataclass(frozen=True)
class Text:
    """One text on its way: to a phone in E.164; an SMS has a body, a Zalo text a template and its parameters."""

    phone: str
    reference: str  #: the outbox's "<id>-<kind>", also the provider's request id (a retry reuses it)
    body: str = ""
    unicode: bool = False
    template_id: str = ""
    params: dict = field(default_factory=dict)


class TextProvider(Protocol):
    def send(self, text: Text) -> None:
        """Hand the text over; raise Undeliverable for a permanent refusal, anything else to retry."""


class FakeTexts:
    """In memory: `sent` holds what was accepted; `failures` are raised, one per attempt, before any is accepted."""

    def __init__(self, channel: str) -> None:
        self.channel = channel
        self.sent: list[Text] = []
        self.failures: list[Exception] = []

    def send(self, text: Text) -> None:
        if self.failures:
            raise self.failures.pop(0)
        self.sent.append(text)

    def __repr__(self) -> str:
        return f"FakeTexts({self.channel!r})"


class LogTexts:
    """Development: each text to the log and to a file beside the .eml files."""

    def __init__(self, channel: str, directory: str) -> None:
        self.channel, self.directory = channel, directory

    def send(self, text: Text) -> None:
        shown = text.body or f"ZNS {text.template_id} {json.dumps(text.params, ensure_ascii=False)}"
        log.info("%s to %s: %s", self.channel, text.phone, shown)
        os.makedirs(self.directory, exist_ok=True)
        with open(os.path.join(self.directory, f"{text.reference}.{self.channel}.txt"), "w", encoding="utf-8") as f:
            f.write(f"To: {text.phone}\n\n{shown}\n")


def _post_json(url: str, body: dict, timeout: float, headers: dict | None = None) -> dict:
    request = urllib.request.Request(url, data=json.dumps(body).encode("utf-8"), method="POST",
                                     headers={"Content-Type": "application/json", **(headers or {})})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 - a configured https URL
            return json.loads(response.read().decode("utf-8") or "{}")
    except urllib.error.HTTPError as error:
        if 400 <= error.code < 500 and error.code not in (408, 429):
            raise Undeliverable(f"HTTP {error.code} from {url}") from error
        raise


class EsmsTexts:
    """eSMS.vn: SendMultipleMessage_V4_post_json; CodeResult 100 is accepted."""

    #: CodeResult values that say the number itself cannot receive (invalid or blocked number).
    REFUSED_NUMBER = {"789", "146"}

    def __init__(self, api_key: str, secret_key: str, brandname: str, base: str | None, timeout: float) -> None:
        self.api_key, self.secret_key, self.brandname, self.timeout = api_key, secret_key, brandname, timeout
        self.url = (base or "https://rest.esms.vn").rstrip("/") + "/MainService.svc/json/SendMultipleMessage_V4_post_json/"

    def send(self, text: Text) -> None:
        answer = _post_json(self.url, {
            "ApiKey": self.api_key, "SecretKey": self.secret_key, "Brandname": self.brandname, "SmsType": "2",
            "Phone": text.phone.lstrip("+"), "Content": text.body, "IsUnicode": "1" if text.unicode else "0",
            "RequestId": text.reference,
        }, self.timeout)
        code = str(answer.get("CodeResult", ""))
        if code == "100":
            return
        message = f"eSMS CodeResult {code}: {answer.get('ErrorMessage', '')}"
        raise Undeliverable(message) if code in self.REFUSED_NUMBER else RuntimeError(message)


class SpeedSmsTexts:
    """SpeedSMS: POST /index.php/sms/send with the access token as the basic-auth user; status "success"."""

    def __init__(self, access_token: str, sender: str, base: str | None, timeout: float) -> None:
        self.sender, self.timeout = sender, timeout
        self.url = (base or "https://api.speedsms.vn").rstrip("/") + "/index.php/sms/send"
        self.auth = "Basic " + base64.b64encode(f"{access_token}:x".encode()).decode()

    def send(self, text: Text) -> None:
        answer = _post_json(self.url, {"to": [text.phone.lstrip("+")], "content": text.body,
                                       "sms_type": 2 if self.sender else 4, "sender": self.sender},
                            self.timeout, {"Authorization": self.auth})
        if answer.get("status") != "success":
            raise RuntimeError(f"SpeedSMS {answer.get('code')}: {answer.get('message', '')}")


class ZnsTexts:
    """Zalo Notification Service: POST /message/template; error 0 is accepted."""

    #: Errors about the receiver, not the request: no Zalo account, blocked, not reachable by ZNS.
    REFUSED_RECEIVER = {-108, -118, -119, -139, -141}

    def __init__(self, access_token: str, base: str | None, timeout: float) -> None:
        self.access_token, self.timeout = access_token, timeout
        self.url = (base or "https://business.openapi.zalo.me").rstrip("/") + "/message/template"

    def send(self, text: Text) -> None:
        answer = _post_json(self.url, {"phone": text.phone.lstrip("+"), "template_id": text.template_id,
                                       "template_data": text.params, "tracking_id": text.reference},
                            self.timeout, {"access_token": self.access_token})
        error = int(answer.get("error", -1))
        if error == 0:
            return
        message = f"Zalo ZNS error {error}: {answer.get('message', '')}"
        raise Undeliverable(message) if error in self.REFUSED_RECEIVER else RuntimeError(message)


SMS_PROVIDERS = ("fake", "log", "esms", "speedsms")
ZALO_PROVIDERS = ("fake", "log", "zns")


def provider(app: Flask, channel: str) -> TextProvider:
    """The configured provider of a channel ("sms" or "zalo"), built once per application."""
    providers = app.extensions.setdefault("text_providers", {})
    if channel not in providers:
        providers[channel] = _build(app, channel)
    return providers[channel]


def fake_texts(app: Flask, channel: str) -> FakeTexts:
    """The in-memory provider the tests read (SMS_PROVIDER or ZALO_PROVIDER = "fake")."""
    found = provider(app, channel)
    assert isinstance(found, FakeTexts), f"{channel} provider is {found!r}, not fake"
    return found


def _build(app: Flask, channel: str) -> TextProvider:
    config = app.config
    name = config.get("SMS_PROVIDER" if channel == "sms" else "ZALO_PROVIDER")
    timeout = float(config.get("TEXT_TIMEOUT", 10))
    if name == "fake":
        return FakeTexts(channel)
    if name == "log":
        return LogTexts(channel, os.path.join(app.instance_path, "outbox"))
    if channel == "sms" and name == "esms":
        return EsmsTexts(config["SMS_API_KEY"], config["SMS_SECRET_KEY"], config["SMS_SENDER"],
                         config.get("SMS_API_BASE"), timeout)
    if channel == "sms" and name == "speedsms":
        return SpeedSmsTexts(config["SMS_API_KEY"], config["SMS_SENDER"] or "", config.get("SMS_API_BASE"), timeout)
    if channel == "zalo" and name == "zns":
        return ZnsTexts(config["ZALO_ACCESS_TOKEN"], config.get("ZALO_API_BASE"), timeout)
    raise RuntimeError(f"unknown {channel} provider {name!r}")
