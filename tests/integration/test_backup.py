"""`flask backup` copies a live database while the shop writes; `flask restore` brings it back whole."""
from __future__ import annotations

import os
import stat
import threading
import time

import pytest
from sqlalchemy import create_engine, func, insert, select, text

from shop import backup
from shop.extensions import db
from shop.notifications.models import OutboxMessage
from tests.conftest import build_app, fresh_database


def _counts(engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {table.name: conn.scalar(select(func.count()).select_from(table)) for table in db.metadata.sorted_tables}


class Writer(threading.Thread):
    """Commits one outbox row at a time on its own connection, as a busy shop would, and keeps their ids."""

    def __init__(self, url: str):
        super().__init__(daemon=True)
        self.engine = create_engine(url)
        self.ids: list[int] = []
        self.stop = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        try:
            with self.engine.connect() as conn:
                n = 0
                while not self.stop.is_set() and n < 20_000:
                    n += 1
                    new_id = conn.execute(insert(OutboxMessage.__table__).values(
                        kind="probe", recipient="khach@example.vn", language="vi", payload={},
                        dedupe_key=f"backup-probe-{n}", status="sent", attempts=0, last_error="")
                    ).inserted_primary_key[0]
                    conn.commit()
                    self.ids.append(new_id)
        except BaseException as error:  # reported by the test
            self.error = error
        finally:
            self.engine.dispose()


def test_a_backup_taken_during_writes_restores_into_a_new_database_whole(
        app, backend, tmp_path, make_order):
    make_order()
    make_order(delivery=True)
    db.session.commit()
    url = app.config["SQLALCHEMY_DATABASE_URI"]
    writer = Writer(url)
    writer.start()
    deadline = time.monotonic() + 30
    while len(writer.ids) < 50 and time.monotonic() < deadline and writer.error is None:
        time.sleep(0.02)
    before = len(writer.ids)
    result = app.test_cli_runner().invoke(args=["backup", "--to", str(tmp_path / "backups")])
    after = len(writer.ids)
    writer.stop.set()
    writer.join(30)
    assert writer.error is None, writer.error
    assert result.exit_code == 0, result.output
    path = result.output.strip().splitlines()[-1]
    assert os.path.dirname(path) == str(tmp_path / "backups")
    assert stat.S_IMODE(os.stat(path).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(tmp_path / "backups").st_mode) == 0o700
    assert after > before  # the shop really was writing while the copy was taken
    if backend == "sqlite":
        assert backup.integrity_problems(path) == []

    source_counts = _counts(db.engine)
    with fresh_database(backend, str(tmp_path)) as new_url:
        target = build_app(new_url)  # migrated, no rows: restore needs no --force
        with target.app_context():
            restored = target.test_cli_runner().invoke(args=["restore", path])
            assert restored.exit_code == 0, restored.output
            engine = db.engine
            if backend == "sqlite":
                assert backup.integrity_problems(make_url_path(new_url)) == []
            counts = _counts(engine)
            with engine.connect() as conn:
                probe_ids = sorted(conn.scalars(select(OutboxMessage.id).where(OutboxMessage.kind == "probe")))
            # Every other table is exactly as it was; the outbox holds a prefix of the writer's commits,
            # at least those committed before the backup began and none after it ended.
            for table, count in source_counts.items():
                if table != "outbox_message":
                    assert counts[table] == count, table
            assert counts["outbox_message"] - len(probe_ids) == source_counts["outbox_message"] - len(writer.ids)
            assert before <= len(probe_ids) <= after
            assert probe_ids == sorted(writer.ids[:len(probe_ids)])
            assert counts["order"] > 0 and counts["order_line"] > 0
            # The restored shop works: its books still balance.
            check = target.test_cli_runner().invoke(args=["ledger", "check"])
            assert check.exit_code == 0, check.output
            db.session.remove()  # as a stopped web worker would: no transaction left open on the tables

            # Now it holds rows: a second restore is refused and changes nothing, unless --force.
            again = target.test_cli_runner().invoke(args=["restore", path])
            assert again.exit_code != 0
            assert "not empty" in again.output and "--force" in again.output
            assert _counts(engine) == counts
            with engine.begin() as conn:
                conn.execute(text("DELETE FROM outbox_message WHERE kind = 'probe' AND id = :id"),
                             {"id": probe_ids[-1]})
            forced = target.test_cli_runner().invoke(args=["restore", "--force", path])
            assert forced.exit_code == 0, forced.output
            assert _counts(engine) == counts
            engine.dispose()


def make_url_path(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).database


def test_restore_refuses_a_file_that_is_not_a_backup_and_changes_nothing(app, tmp_path, make_order):
    make_order()
    db.session.commit()
    before = _counts(db.engine)
    junk = tmp_path / "notes.txt"
    junk.write_text("not a database")
    result = app.test_cli_runner().invoke(args=["restore", "--force", str(junk)])
    assert result.exit_code != 0
    assert "neither an SQLite backup nor a pg_dump" in result.output
    assert _counts(db.engine) == before


def test_a_backup_of_the_other_kind_of_database_is_refused(app, backend, tmp_path):
    other = tmp_path / ("x.pgdump" if backend == "sqlite" else "x.sqlite3")
    other.write_bytes(backup.PG_DUMP_MAGIC + b"\0" * 64 if backend == "sqlite" else backup.SQLITE_MAGIC + b"\0" * 84)
    result = app.test_cli_runner().invoke(args=["restore", "--force", str(other)])
    assert result.exit_code != 0
    assert "backup; the configured database is" in result.output


def test_a_backup_file_name_is_never_reused(app, tmp_path):
    first = app.test_cli_runner().invoke(args=["backup", "--to", str(tmp_path)])
    second = app.test_cli_runner().invoke(args=["backup", "--to", str(tmp_path)])
    assert first.exit_code == 0 and second.exit_code == 0, (first.output, second.output)
    assert first.output.strip() != second.output.strip()
    assert len(os.listdir(tmp_path)) == 2
