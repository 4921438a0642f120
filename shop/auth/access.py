"""Who may open a page: decorators by role, and what an anonymous visitor is told."""
from __future__ import annotations

from collections.abc import Callable
from functools import wraps

from flask import abort
from flask_babel import lazy_gettext as _l
from flask_login import current_user

from shop.auth.models import Role
from shop.extensions import login_manager

login_manager.login_message = _l("Please log in to open this page.")
login_manager.login_message_category = "info"
# Flash the message as plain text in the visitor's language: the session cannot store a lazy string.
login_manager.localize_callback = str


def role_required(*roles: Role | str) -> Callable:
    """Let only logged-in users with one of these roles in; send others to log in, or answer 403."""
    allowed = {Role(r) for r in roles}

    def decorator(view: Callable) -> Callable:
        @wraps(view)
        def guarded(*args, **kwargs):
            if not current_user.is_authenticated:
                return login_manager.unauthorized()
            if current_user.role not in allowed:
                abort(403)
            return view(*args, **kwargs)

        return guarded

    return decorator


# Each workspace takes exactly its own role: an admin has no producer or sales point to act for.
admin_required = role_required(Role.ADMIN)
producer_required = role_required(Role.PRODUCER)
staff_required = role_required(Role.STAFF)
