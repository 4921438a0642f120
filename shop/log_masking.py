"""Secrets never reach a log line: order tokens, pickup codes and password-reset tokens are masked.

An access log writes each request's path and query string, and those hold secrets: `?t=` opens a guest's
order page, the reset link's last path segment sets a password. Masking happens where every record is
made (a log-record factory), so werkzeug's and gunicorn's access logs, the app's own logger and any
library's are all covered, whichever handler writes them.
"""
from __future__ import annotations

import logging
import re

MASK = "***"

#: Query parameters whose values open something: the order token (t), pickup codes, reset or invite tokens.
_SECRET_PARAMS = re.compile(r"(?P<key>(?:[?&]|&amp;|\b)(?:t|token|code|pickup_code|access_token|key)=)[^&\s\"']+",
                            re.IGNORECASE)
#: Path segments that are tokens: /account/password-reset/<token>.
_SECRET_PATHS = re.compile(r"(?P<key>/password-reset/)[^/?\s\"']+")


def mask(text: str) -> str:
    """The text with every secret query value and token path segment replaced by ***."""
    text = _SECRET_PARAMS.sub(lambda m: m["key"] + MASK, text)
    return _SECRET_PATHS.sub(lambda m: m["key"] + MASK, text)


_installed = False


def install() -> None:
    """Mask every log record made in this process from now on (once per process)."""
    global _installed
    if _installed:
        return
    _installed = True
    make_record = logging.getLogRecordFactory()

    def masked_record(*args, **kwargs) -> logging.LogRecord:
        record = make_record(*args, **kwargs)
        try:
            message = record.getMessage()
        except Exception:  # a record whose arguments do not fit its format: logging reports it later
            return record
        masked = mask(message)
        if masked != message:
            record.msg, record.args = masked, None
        return record

    logging.setLogRecordFactory(masked_record)
