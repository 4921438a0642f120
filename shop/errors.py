"""The root of every refusal the shop explains to its user."""
from __future__ import annotations

from flask_babel import lazy_gettext as _l


class ShopError(Exception):
    """A refusal whose str() is safe to show, in the visitor's language; each feature subclasses it.

    Subclasses set `message` (lazily translated, with %(name)s placeholders filled from keywords).
    """

    message = _l("This could not be done.")

    def __init__(self, message=None, **values):
        text = str(message or self.message)
        super().__init__(text % values if values else text)


class InvalidTransition(Exception):
    """A status was asked to move where its transition table does not allow from where it is."""
