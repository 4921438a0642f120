"""The office manages people: find them by role, disable and enable, send a reset link, change role or place.

Every change lands in the audit log in the same transaction. The office never locks itself out: a change that
would leave no active office user is refused.
"""
from __future__ import annotations

import dataclasses

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select

from shop.audit import record_change
from shop.auth.models import Role, User
from shop.auth.services import AuthError, normalize_phone, queue_password_reset
from shop.auth.sessions import end_logins
from shop.catalog.models import Producer
from shop.errors import ShopError
from shop.extensions import begin_write, db
from shop.sales_points.models import SalesPoint
from shop.text import fold

#: People on one page of the list.
PAGE_SIZE = 30


class PersonError(ShopError):
    message = _l("This account could not be changed.")


class LastOffice(PersonError):
    message = _l("Refused: there would be no active OCOP office user left to run the shop.")


class NotChanged(PersonError):
    message = _l("Nothing to change: the account is already so.")


class AccountIsDisabled(PersonError):
    message = _l("This account is disabled: enable it before sending a reset link.")


class PlaceRequired(PersonError):
    message = _l("A producer user needs its producer, and a staff user its sales point.")


@dataclasses.dataclass(frozen=True)
class PeopleFilters:
    q: str = ""
    role: str = ""
    state: str = ""  #: "" every account, "active", "disabled"
    page: int = 1

    @classmethod
    def read(cls, args) -> PeopleFilters:
        role, state, page = ((args.get(k) or "").strip() for k in ("role", "state", "page"))
        return cls(q=(args.get("q") or "").strip()[:100], role=role if role in {r.value for r in Role} else "",
                   state=state if state in ("active", "disabled") else "",
                   page=min(int(page), 10_000) if page.isdigit() and int(page) > 0 else 1)

    def args(self, **changes) -> dict[str, str]:
        values = dataclasses.replace(self, **changes)
        pairs = {"q": values.q, "role": values.role, "state": values.state,
                 "page": values.page if values.page > 1 else None}
        return {k: str(v) for k, v in pairs.items() if v not in (None, "")}


def find_people(filters: PeopleFilters) -> tuple[list[User], int]:
    """One page of accounts matching a name, an e-mail or a phone, by role and state; and how many match."""
    query = select(User)
    if filters.q:
        # Names are matched without marks or đ (text.fold), as product search does: "duc" finds "Đức".
        conditions = [User.email.contains(filters.q.lower(), autoescape=True)]
        if fold(filters.q):
            conditions.append(User.name_folded.contains(fold(filters.q), autoescape=True))
        try:
            conditions.append(User.phone == normalize_phone(filters.q))
        except AuthError:
            pass
        query = query.where(or_(*conditions))
    if filters.role:
        query = query.where(User.role == filters.role)
    if filters.state:
        query = query.where(User.is_active.is_(filters.state == "active"))
    total = db.session.scalar(select(func.count()).select_from(query.with_only_columns(User.id).subquery())) or 0
    people = db.session.scalars(query.order_by(User.created_at.desc(), User.id.desc())
                                .limit(PAGE_SIZE).offset((filters.page - 1) * PAGE_SIZE)).all()
    return list(people), total


def place_of(user: User) -> dict:
    """The role and place of an account, as the audit log keeps them."""
    producer = db.session.get(Producer, user.producer_id) if user.producer_id else None
    point = db.session.get(SalesPoint, user.sales_point_id) if user.sales_point_id else None
    return {"role": str(user.role), "producer": producer.name if producer else "",
            "sales_point": point.code if point else ""}


def _locked(user_id: int) -> User:
    begin_write()
    user = db.session.scalar(select(User).where(User.id == user_id).with_for_update())
    if user is None:
        db.session.rollback()
        raise PersonError()
    return user


def _keep_an_office_user(user: User) -> None:
    """Refuse (rolling back) when `user` is the last active office user; every office row stays locked till commit."""
    others = db.session.scalars(select(User.id).where(User.role == Role.ADMIN, User.is_active.is_(True),
                                                      User.id != user.id).with_for_update()).all()
    if user.role == Role.ADMIN and user.is_active and not others:
        db.session.rollback()
        raise LastOffice()


def set_enabled(user_id: int, enabled: bool, actor, note: str = "") -> User:
    """Disable an account (every login of it ends at once) or enable it again."""
    user = _locked(user_id)
    if user.is_active == enabled:
        db.session.rollback()
        raise NotChanged()
    if not enabled:
        _keep_an_office_user(user)
        end_logins(user)
    user.is_active = enabled
    record_change(actor, "user.enabled" if enabled else "user.disabled", user, before={"is_active": not enabled},
                  after={"is_active": enabled}, note=(note or "").strip()[:300])
    db.session.commit()
    return user


def change_role(user_id: int, role: str, producer_id: int | None, sales_point_id: int | None, actor) -> User:
    """Give an account another role, producer or sales point; its logins end when the role changes."""
    if role not in {r.value for r in Role}:
        raise PlaceRequired()
    role = Role(role)
    producer_id = producer_id if role == Role.PRODUCER else None
    sales_point_id = sales_point_id if role == Role.STAFF else None
    if (role == Role.PRODUCER) != (producer_id is not None) or (role == Role.STAFF) != (sales_point_id is not None):
        raise PlaceRequired()
    user = _locked(user_id)
    if (producer_id is not None and db.session.get(Producer, producer_id) is None) or (
            sales_point_id is not None and db.session.get(SalesPoint, sales_point_id) is None):
        db.session.rollback()
        raise PlaceRequired()
    if (user.role, user.producer_id, user.sales_point_id) == (role, producer_id, sales_point_id):
        db.session.rollback()
        raise NotChanged()
    if role != Role.ADMIN:
        _keep_an_office_user(user)
    before = place_of(user)
    user.role, user.producer_id, user.sales_point_id = role, producer_id, sales_point_id
    # Another producer or point is another set of orders and stock: this account's open sessions end too.
    end_logins(user)
    db.session.flush()
    record_change(actor, "user.role.changed", user, before=before, after=place_of(user))
    db.session.commit()
    return user


def send_password_reset(user_id: int, actor) -> User:
    """E-mail the person a link to choose a new password (their current one keeps working until they do)."""
    user = _locked(user_id)
    if not user.is_active:
        db.session.rollback()
        raise AccountIsDisabled()
    queue_password_reset(user)
    record_change(actor, "user.password_reset.sent", user)
    db.session.commit()
    return user
