"""Extension objects, created unbound and initialised in create_app."""
from __future__ import annotations

import os

from flask_babel import Babel
from flask_compress import Compress
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from flask_login import LoginManager
from flask_sqlalchemy import SQLAlchemy
from flask_wtf import CSRFProtect
from sqlalchemy import MetaData, event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import DeclarativeBase


class Base(DeclarativeBase):
    # Stable constraint names, so Alembic can alter and drop them on every backend.
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


db = SQLAlchemy(model_class=Base)
csrf = CSRFProtect()
login_manager = LoginManager()
babel = Babel()
limiter = Limiter(key_func=get_remote_address)
compress = Compress()


@event.listens_for(Engine, "connect")
def _tune_sqlite(dbapi_connection, _record) -> None:
    if not type(dbapi_connection).__module__.startswith("sqlite3"):
        return
    # Let SQLAlchemy emit BEGIN itself (see _begin_sqlite) instead of pysqlite's late, implicit one.
    dbapi_connection.isolation_level = None
    cursor = dbapi_connection.cursor()
    # WAL lets readers run while one worker writes; busy_timeout makes writers queue instead of failing.
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=10000")
    cursor.close()


@event.listens_for(Engine, "begin")
def _begin_sqlite(conn) -> None:
    if conn.dialect.name != "sqlite":
        return
    # A transaction that reads and then writes must take the write lock up front on SQLite:
    # upgrading a read lock later fails at once with "database is locked" (no busy wait).
    immediate = conn.get_execution_options().get("sqlite_begin_immediate")
    conn.exec_driver_sql("BEGIN IMMEDIATE" if immediate else "BEGIN")


def _writes_take_the_lock() -> None:
    """On SQLite, every POST is a use case that writes: take the write lock when it starts.

    Otherwise its first read opens a deferred transaction whose later write fails at once with
    "database is locked" whenever another worker wrote meanwhile (measured: 500s under load).
    """
    from flask import current_app, request

    if request.method == "GET" or request.method == "HEAD" or db.engine.dialect.name != "sqlite":
        return
    if getattr(current_app.view_functions.get(request.endpoint), "locks_late", False):
        return
    begin_write()


def locks_late(view):
    """Mark a POST view whose use cases call begin_write() themselves, just before they write.

    Its reads then run beside other workers' writes, and SQLite's one write lock is held for the write
    alone, not through form parsing, validation and the reads before it.
    """
    view.locks_late = True
    return view


def begin_write() -> None:
    """Start the session's next transaction as a writer: one use case, one commit after this."""
    if db.session().in_transaction():
        db.session.commit()
    db.session.connection(execution_options={"sqlite_begin_immediate": True})


def forget_connections(app) -> None:
    """In a freshly forked worker: drop the database connections inherited from the master, leaving them open.

    Closing them would end the master's sessions; using them would mix two processes' traffic on one socket.
    Redis clients (caches, rate limits) notice a new process id and reconnect by themselves.
    Any other app (bench/floor_app.py) is left alone.
    """
    if app.extensions.get("sqlalchemy") is not db:
        return
    with app.app_context():
        for engine in db.engines.values():
            engine.dispose(close=False)


def init_app(app) -> None:
    """Bind every extension to the app."""
    from shop.i18n import remember_language, select_locale

    db.init_app(app)
    csrf.init_app(app)
    login_manager.init_app(app)
    login_manager.login_view = "auth.login"
    babel.init_app(app, locale_selector=select_locale,
                   default_translation_directories=os.path.join(app.root_path, "translations"))
    limiter.init_app(app)
    compress.init_app(app)
    app.before_request(_writes_take_the_lock)
    app.after_request(remember_language)
