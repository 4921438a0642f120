"""The audit log keeps who changed what, only what changed, and can't be rewritten afterwards."""
import datetime as dt

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DatabaseError

from shop.audit import AuditEntry, record_change
from shop.auth.models import Role
from shop.extensions import db


def test_an_entry_names_the_actor_the_target_and_only_the_changed_fields(make_user, make_producer):
    office = make_user(email="office@example.vn", role=Role.ADMIN, name="Trần Văn Hùng")
    producer = make_producer(name="HTX Miến dong Bình Liêu")

    record_change(office, "producer.edited", producer,
                  before={"phone": "0203 111", "name": producer.name, "founded": dt.date(2010, 5, 1)},
                  after={"phone": "0203 999", "name": producer.name, "founded": dt.date(2010, 5, 1)})
    db.session.commit()

    entry = db.session.scalars(db.select(AuditEntry)).one()
    assert entry.actor_id == office.id
    assert entry.actor_label == "Trần Văn Hùng <office@example.vn>"
    assert (entry.target_kind, entry.target_id, entry.target_label) == ("producer", str(producer.id),
                                                                         "HTX Miến dong Bình Liêu")
    assert (entry.before, entry.after) == ({"phone": "0203 111"}, {"phone": "0203 999"})
    assert entry.at is not None


def test_a_command_run_without_a_user_is_the_system(make_producer):
    producer = make_producer()
    record_change(None, "producer.deactivated", producer, note="certificate lapsed")
    db.session.commit()

    entry = db.session.scalars(db.select(AuditEntry)).one()
    assert (entry.actor_id, entry.actor_label, entry.note) == (None, "system", "certificate lapsed")


def test_an_entry_cannot_be_edited_or_removed(make_producer):
    record_change(None, "producer.deactivated", make_producer())
    db.session.commit()

    for statement in ("UPDATE audit_entry SET note = 'nothing happened'", "DELETE FROM audit_entry"):
        with pytest.raises(DatabaseError):
            db.session.execute(text(statement))
            db.session.flush()
        db.session.rollback()
    assert db.session.scalars(db.select(AuditEntry.note)).one() == ""
