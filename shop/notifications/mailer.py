"""Where a rendered e-mail goes: a mail server (SMTP) or, without one, a folder of .eml files."""
from __future__ import annotations

import hashlib
import os
import smtplib
import socket
import ssl
import tempfile
from email.message import EmailMessage
from email.utils import parseaddr
from typing import Protocol

from flask import Flask

SECURITIES = ("none", "starttls", "ssl")


class Transport(Protocol):
    def send(self, email: EmailMessage, name: str) -> None:
        """Deliver email; name ("<outbox id>-<kind>") identifies it where a file is written."""


class PermanentFailure(Exception):
    """The mail server refused the message for good (e.g. no such mailbox); retrying cannot help."""


def mail_domain(mail_from: str) -> str:
    """The domain of the sender's address: 'OCOP <no-reply@shop.example>' → 'shop.example'."""
    return parseaddr(mail_from)[1].rpartition("@")[2] or "localhost"


def message_id(dedupe_key: str, mail_from: str) -> str:
    """The Message-ID of the e-mail for one outbox row: the same on every attempt."""
    # A crash between sending and marking sent makes the next attempt send again; a stable
    # Message-ID lets mail servers and clients recognise that second copy as the same e-mail.
    digest = hashlib.sha256(dedupe_key.encode("utf-8")).hexdigest()[:40]
    return f"<outbox.{digest}@{mail_domain(mail_from)}>"


class FileTransport:
    """Write each e-mail to <directory>/<name>.eml, for development and machines without a mail server."""

    def __init__(self, directory: str) -> None:
        self.directory = directory
        os.makedirs(directory, exist_ok=True)

    def send(self, email: EmailMessage, name: str) -> None:
        # Written beside its final name and renamed, so a reader never sees half an e-mail
        # and a resend replaces the earlier copy.
        fd, partial = tempfile.mkstemp(dir=self.directory, prefix=".", suffix=".part")
        try:
            with os.fdopen(fd, "wb") as file:
                file.write(email.as_bytes())
            os.replace(partial, os.path.join(self.directory, f"{name}.eml"))
        except BaseException:
            if os.path.exists(partial):
                os.unlink(partial)
            raise

    def __repr__(self) -> str:
        return f"FileTransport({self.directory!r})"


class SmtpTransport:
    """Send each e-mail over its own SMTP connection."""

    def __init__(self, host: str, port: int = 587, username: str | None = None, password: str | None = None,
                 security: str = "starttls", timeout: float = 10) -> None:
        if security not in SECURITIES:
            raise ValueError(f"MAIL_SMTP_SECURITY must be one of {', '.join(SECURITIES)}, not {security!r}")
        self.host, self.port, self.timeout = host, int(port), float(timeout)
        self.username, self.password, self.security = username, password, security
        # Named in every EHLO; looked up once, not once per e-mail.
        self.local_hostname = socket.getfqdn()

    def send(self, email: EmailMessage, name: str) -> None:
        context = ssl.create_default_context()
        if self.security == "ssl":
            connection = smtplib.SMTP_SSL(self.host, self.port, self.local_hostname, timeout=self.timeout,
                                          context=context)
        else:
            connection = smtplib.SMTP(self.host, self.port, self.local_hostname, timeout=self.timeout)
        with connection:
            if self.security == "starttls":
                # starttls() raises when the server does not offer it: never fall back to plain text.
                connection.starttls(context=context)
            if self.username:
                connection.login(self.username, self.password or "")
            try:
                connection.send_message(email)
            except smtplib.SMTPRecipientsRefused as error:
                codes = [code for code, _ in error.recipients.values()]
                if codes and all(500 <= code < 600 for code in codes):
                    raise PermanentFailure(f"recipient refused: {error.recipients}") from error
                raise

    def __repr__(self) -> str:
        return f"SmtpTransport({self.host!r}, {self.port}, security={self.security!r})"


def transport_from_config(app: Flask) -> Transport:
    """The SMTP transport when MAIL_SMTP_HOST is set, otherwise .eml files in instance/outbox/."""
    config = app.config
    if not config.get("MAIL_SMTP_HOST"):
        return FileTransport(os.path.join(app.instance_path, "outbox"))
    return SmtpTransport(
        config["MAIL_SMTP_HOST"], config["MAIL_SMTP_PORT"], config.get("MAIL_SMTP_USERNAME"),
        config.get("MAIL_SMTP_PASSWORD"), config["MAIL_SMTP_SECURITY"], config["MAIL_TIMEOUT"],
    )
