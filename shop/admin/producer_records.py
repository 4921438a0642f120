"""The office keeps the producers' records: create, edit, contact people, bank account, deactivate, reactivate.

Only the office writes these; every change lands in the audit log in the same transaction. The bank account
is where the shop pays the producer, so its number is written to the log masked but for its last four digits.
"""
from __future__ import annotations

import dataclasses
import re

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import selectinload

from shop.audit import record_change
from shop.auth.models import User
from shop.auth.services import AuthError, normalize_email, normalize_phone
from shop.auth.sessions import end_logins
from shop.catalog.models import Producer, ProducerContact, ProducerKind, Product
from shop.errors import ShopError
from shop.extensions import begin_write, db
from shop.inventory.models import Location, LocationKind
from shop.admin.queries import WITH_PRODUCER
from shop.orders.models import PRODUCER_ROUTES, Fulfillment
from shop.payments.vietqr import BANKS
from shop.places import quang_ninh_wards
from shop.text import fold, slugify

#: Producers on one page of the office's list.
PAGE_SIZE = 30
#: Contact people one producer record may hold.
MAX_CONTACTS = 5

# A Vietnamese tax code (mã số thuế): 10 digits, a branch's 10-3, or a person's 12-digit ID number.
_TAX_CODE = re.compile(r"[0-9]{10}(-[0-9]{3})?|[0-9]{12}")
_ACCOUNT = re.compile(r"[0-9A-Z]{4,19}")
_HOLDER = re.compile(r"[A-Z0-9 .,&()-]{2,70}")


class ProducerError(ShopError):
    message = _l("This producer could not be saved.")


class NameRequired(ProducerError):
    message = _l("Please give the producer's name.")


class BadKind(ProducerError):
    message = _l("Please choose the kind of producer: cooperative, household business or company.")


class BadWard(ProducerError):
    message = _l("Please choose the ward or commune of Quảng Ninh where the producer works.")


class BadTaxCode(ProducerError):
    message = _l("A tax code has 10 digits (a branch adds -001) or, for a household, the 12 digits of an ID card.")


class BadPhone(ProducerError):
    message = _l("This phone number is not a Vietnamese number: %(phone)s")


class BadEmail(ProducerError):
    message = _l("This e-mail address is not valid: %(email)s")


class BankIncomplete(ProducerError):
    message = _l("A bank account needs the bank, the account number and the holder's name; leave all three empty for none.")


class BadBank(ProducerError):
    message = _l("Please choose the bank from the list.")


class BadAccountNumber(ProducerError):
    message = _l("An account number has 4 to 19 letters or digits.")


class BadAccountHolder(ProducerError):
    message = _l("Please write the account holder's name as the bank prints it, e.g. HTX MIEN DONG BINH LIEU.")


class ContactNameRequired(ProducerError):
    message = _l("Each contact person needs a name; clear the whole row to remove one.")


class NotChanged(ProducerError):
    message = _l("Nothing to change: the producer is already so.")


@dataclasses.dataclass(frozen=True)
class Contact:
    name: str
    title: str = ""
    phone: str = ""
    email: str = ""

    def label(self) -> str:
        """One line for the audit log."""
        return " · ".join(part for part in (self.name, self.title, self.phone, self.email) if part)


@dataclasses.dataclass(frozen=True)
class ProducerInput:
    """What the office typed into the producer form, cleaned and checked."""

    name: str
    kind: str
    ward_code: str
    address: str = ""
    phone: str = ""
    email: str = ""
    tax_code: str = ""
    story: str = ""
    bank_bin: str = ""
    bank_account: str = ""
    bank_account_name: str = ""
    contacts: tuple[Contact, ...] = ()

    @classmethod
    def read(cls, form) -> ProducerInput:
        """Read and check the form; raise a ProducerError naming the first thing wrong."""
        def text(key: str, limit: int) -> str:
            return " ".join((form.get(key) or "").split())[:limit]

        name = text("name", 200)
        if not name:
            raise NameRequired()
        kind = text("kind", 20)
        if kind not in {k.value for k in ProducerKind}:
            raise BadKind()
        ward_code = text("ward_code", 5)
        if ward_code not in quang_ninh_wards():
            raise BadWard()
        tax_code = text("tax_code", 20).replace(" ", "")
        if tax_code and not _TAX_CODE.fullmatch(tax_code):
            raise BadTaxCode()
        contacts = []
        for i in range(MAX_CONTACTS):
            row = {f: text(f"contact-{i}-{f}", 200) for f in ("name", "title", "phone", "email")}
            if not any(row.values()):
                continue
            if not row["name"]:
                raise ContactNameRequired()
            contacts.append(Contact(name=row["name"][:120], title=row["title"][:120], phone=_phone(row["phone"]),
                                    email=_email(row["email"])))
        return cls(name=name, kind=kind, ward_code=ward_code, address=text("address", 300),
                   phone=_phone(text("phone", 40)), email=_email(text("email", 200)), tax_code=tax_code,
                   story=(form.get("story") or "").strip()[:5000], contacts=tuple(contacts),
                   **_bank(text("bank_bin", 6), text("bank_account", 40), text("bank_account_name", 120)))


def _phone(value: str) -> str:
    if not value:
        return ""
    try:
        return normalize_phone(value)
    except AuthError:
        raise BadPhone(phone=value) from None


def _email(value: str) -> str:
    if not value:
        return ""
    try:
        return normalize_email(value)[:200]
    except AuthError:
        raise BadEmail(email=value) from None


def _bank(bin_: str, account: str, holder: str) -> dict[str, str]:
    account = re.sub(r"[\s.-]", "", account).upper()
    # Banks print the holder in capitals without marks: "Hộ Mạnh Hải" is "HO MANH HAI".
    holder = fold(holder).upper()
    if not (bin_ or account or holder):
        return {}
    if not (bin_ and account and holder):
        raise BankIncomplete()
    if bin_ not in BANKS:
        raise BadBank()
    if not _ACCOUNT.fullmatch(account):
        raise BadAccountNumber()
    if not _HOLDER.fullmatch(holder):
        raise BadAccountHolder()
    return {"bank_bin": bin_, "bank_account": account, "bank_account_name": holder}


def masked(account: str) -> str:
    """An account number as the audit log and the list show it: only the last four digits."""
    return f"••••{account[-4:]}" if account else ""


# ---- reads ---------------------------------------------------------------------------------------

@dataclasses.dataclass(frozen=True)
class ProducerFilters:
    q: str = ""
    ward: str = ""
    state: str = ""  #: "" active and inactive, "active", "inactive"
    page: int = 1

    @classmethod
    def read(cls, args) -> ProducerFilters:
        ward = (args.get("ward") or "").strip()
        state = (args.get("state") or "").strip()
        page = (args.get("page") or "").strip()
        return cls(q=(args.get("q") or "").strip()[:100], ward=ward if ward in quang_ninh_wards() else "",
                   state=state if state in ("active", "inactive") else "",
                   page=min(int(page), 10_000) if page.isdigit() and int(page) > 0 else 1)

    def args(self, **changes) -> dict[str, str]:
        values = dataclasses.replace(self, **changes)
        pairs = {"q": values.q, "ward": values.ward, "state": values.state,
                 "page": values.page if values.page > 1 else None}
        return {k: str(v) for k, v in pairs.items() if v not in (None, "")}


def find_producers(filters: ProducerFilters) -> tuple[list[Producer], int]:
    """One page of producers matching a name (with or without marks), a tax code or a ward; and how many."""
    query = select(Producer)
    if filters.q:
        folded = fold(filters.q)
        wards = [code for code, w in quang_ninh_wards().items() if folded and folded in fold(w.name)]
        conditions = [Producer.tax_code.like(f"{filters.q.replace(' ', '')}%")]
        if folded:
            conditions.append(Producer.name_folded.contains(folded, autoescape=True))
        if wards:
            conditions.append(Producer.ward_code.in_(wards))
        query = query.where(or_(*conditions))
    if filters.ward:
        query = query.where(Producer.ward_code == filters.ward)
    if filters.state:
        query = query.where(Producer.is_active.is_(filters.state == "active"))
    total = db.session.scalar(select(func.count()).select_from(query.with_only_columns(Producer.id).subquery()))
    producers = db.session.scalars(query.order_by(Producer.name_sort, Producer.id)
                                   .limit(PAGE_SIZE).offset((filters.page - 1) * PAGE_SIZE)).all()
    return list(producers), total or 0


def producer_in_full(producer_id: int) -> Producer | None:
    return db.session.scalar(select(Producer).where(Producer.id == producer_id)
                             .options(selectinload(Producer.contacts)))


def open_parts_count(producer_id: int) -> int:
    """Parts of this producer not yet sent on: what the office must see to when it deactivates the producer."""
    return db.session.scalar(select(func.count(Fulfillment.id)).where(
        Fulfillment.producer_id == producer_id, Fulfillment.status.in_(WITH_PRODUCER),
        Fulfillment.route.in_(PRODUCER_ROUTES))) or 0


# ---- writes --------------------------------------------------------------------------------------

_PLAIN_FIELDS = ("name", "kind", "ward_code", "address", "phone", "email", "tax_code", "story")
_BANK_FIELDS = ("bank_bin", "bank_account", "bank_account_name")


def _bank_view(values: dict) -> dict:
    return {**values, "bank_account": masked(values.get("bank_account", ""))}


def _unique_slug(name: str) -> str:
    base = slugify(name)[:110] or "producer"
    taken = set(db.session.scalars(select(Producer.slug).where(Producer.slug.like(f"{base}%"))))
    slug, n = base, 2
    while slug in taken:
        slug, n = f"{base}-{n}", n + 1
    return slug


def _apply(producer: Producer, data: ProducerInput, actor, action: str) -> None:
    """Write the form into the record and the changes into the audit log under `action`; flush only."""
    before = {f: getattr(producer, f) or "" for f in _PLAIN_FIELDS + _BANK_FIELDS}
    before["contacts"] = [c.label() for c in (Contact(x.name, x.title, x.phone, x.email) for x in producer.contacts)]
    after = {f: getattr(data, f) for f in _PLAIN_FIELDS + _BANK_FIELDS}
    after["contacts"] = [c.label() for c in data.contacts]
    for field in _PLAIN_FIELDS + _BANK_FIELDS:
        setattr(producer, field, after[field])
    producer.refresh_sort_key()
    if before["name"] != after["name"]:
        _refresh_products(producer)
    if before["contacts"] != after["contacts"]:
        producer.contacts.clear()
        producer.contacts.extend(ProducerContact(**dataclasses.asdict(c)) for c in data.contacts)
    db.session.flush()
    plain = [f for f in _PLAIN_FIELDS + ("contacts",) if before[f] != after[f]]
    if plain:
        record_change(actor, action, producer, before={f: before[f] for f in plain},
                      after={f: after[f] for f in plain})
    bank = [f for f in _BANK_FIELDS if before[f] != after[f]]
    if bank:
        record_change(actor, "producer.bank_account.changed", producer, before=_bank_view({f: before[f] for f in bank}),
                      after=_bank_view({f: after[f] for f in bank}))


def _refresh_products(producer: Producer) -> None:
    """Its products' stored search text names the producer: search finds them by the new name, not the old."""
    products = db.session.scalars(select(Product).where(Product.producer_id == producer.id)
                                  .options(selectinload(Product.variants), selectinload(Product.category)))
    for product in products:
        product.refresh_derived()


def create_producer(data: ProducerInput, actor) -> Producer:
    """Add a producer with its own stock location; it shows in the shop once a product of it is published."""
    begin_write()
    producer = Producer(slug=_unique_slug(data.name), name=data.name, kind=data.kind, ward_code=data.ward_code)
    db.session.add(producer)
    db.session.add(Location(kind=LocationKind.PRODUCER, producer=producer))
    _apply(producer, data, actor, "producer.created")
    db.session.commit()
    return producer


def _locked(producer_id: int) -> Producer:
    begin_write()
    producer = db.session.scalar(select(Producer).where(Producer.id == producer_id).with_for_update())
    if producer is None:
        db.session.rollback()
        raise ProducerError()
    return producer


def update_producer(producer_id: int, data: ProducerInput, actor) -> Producer:
    """Change a producer's record; the slug of its public page stays, so links keep working."""
    producer = _locked(producer_id)
    _apply(producer, data, actor, "producer.changed")
    db.session.commit()
    return producer


def set_producer_active(producer_id: int, active: bool, actor, note: str = "") -> tuple[Producer, int]:
    """Deactivate (its products leave the shop at once) or reactivate a producer; return it and its open parts."""
    producer = _locked(producer_id)
    if producer.is_active == active:
        db.session.rollback()
        raise NotChanged()
    producer.is_active = active
    if not active:  # its users' open logins end now; signing in is refused until it is active again
        for user in db.session.scalars(select(User).where(User.producer_id == producer.id)):
            end_logins(user)
    open_parts = open_parts_count(producer.id)
    record_change(actor, "producer.reactivated" if active else "producer.deactivated", producer,
                  before={"is_active": not active}, after={"is_active": active},
                  note=(note or "").strip()[:300])
    db.session.commit()
    return producer, open_parts


def bank_choices() -> list[tuple[str, str]]:
    return sorted(BANKS.items(), key=lambda item: item[1].casefold())

