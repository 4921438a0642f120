"""Backups that restore: `flask backup` and `flask restore`.

SQLite is copied with SQLite's online backup API (`sqlite3.Connection.backup`): one read transaction, so
the copy is the database as it was at one instant, while the shop goes on writing (WAL mode). PostgreSQL
is dumped with `pg_dump -Fc` and restored with `pg_restore --clean`, in one transaction. The client is
the one matching the server's major version when `/usr/lib/postgresql/<major>/bin` has it (pg_dump
refuses a newer server). Files are created 0600, their folder 0700: a backup holds every customer's data.
"""
from __future__ import annotations

import datetime as dt
import glob
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Callable

from sqlalchemy import inspect, text
from sqlalchemy.engine import Connection, make_url

SQLITE_MAGIC = b"SQLite format 3\x00"
PG_DUMP_MAGIC = b"PGDMP"
#: How long pg_restore waits for a table another connection is using before it gives up.
RESTORE_LOCK_TIMEOUT = "30s"


class BackupError(Exception):
    """A backup or restore that cannot be done, in words an operator can act on."""


def backup(url: str, directory: str, *, now: dt.datetime | None = None) -> str:
    """Write a backup of the database at `url` into `directory`; return the file's path."""
    now = now or dt.datetime.now(dt.timezone.utc)
    parsed = make_url(url)
    os.makedirs(directory, mode=0o700, exist_ok=True)
    stamp = now.strftime("%Y%m%dT%H%M%SZ")
    if parsed.get_backend_name() == "sqlite":
        path = _new_private_file(directory, f"shop-{stamp}", ".sqlite3")
        try:
            _backup_sqlite(_sqlite_path(url), path)
        except BaseException:
            os.unlink(path)
            raise
        return path
    if parsed.get_backend_name() == "postgresql":
        path = _new_private_file(directory, f"shop-{stamp}", ".pgdump")
        try:
            _run([_pg_binary("pg_dump", url), "--format=custom", "--no-owner", "--no-privileges",
                  f"--file={path}"], url)
        except BaseException:
            os.unlink(path)
            raise
        return path
    raise BackupError(f"backups of {parsed.get_backend_name()} databases are not supported")


def restore(url: str, path: str, conn: Connection, *, force: bool = False,
            derived: Callable[[str], bool] = lambda name: False) -> None:
    """Replace the database at `url` with the backup at `path`.

    `conn` is a connection to that database, used to refuse a database that holds rows (unless `force`);
    tables for which `derived(name)` is true (a search index a migration fills) do not count. The caller
    disposes of its pooled connections afterwards.
    """
    kind = backup_kind(path)
    backend = make_url(url).get_backend_name()
    if (kind, backend) not in {("sqlite", "sqlite"), ("postgresql", "postgresql")}:
        raise BackupError(f"{path} is a {kind} backup; the configured database is {backend}")
    holding = [name for name in tables_with_rows(conn) if not derived(name)]
    if holding and not force:
        raise BackupError("the database is not empty (rows in " + ", ".join(holding[:5])
                          + (", …" if len(holding) > 5 else "") + "); use --force to replace it")
    conn.close()
    if kind == "sqlite":
        _restore_sqlite(path, _sqlite_path(url))
    else:
        _run([_pg_binary("pg_restore", url), "--clean", "--if-exists", "--no-owner", "--no-privileges",
              "--single-transaction", "--exit-on-error", path], url, database_flag=True,
             # A worker still in a transaction would make DROP TABLE wait forever: give up instead.
             options=f"-c lock_timeout={RESTORE_LOCK_TIMEOUT}")


def backup_kind(path: str) -> str:
    """'sqlite' or 'postgresql', from the file's first bytes; BackupError for anything else."""
    try:
        with open(path, "rb") as file:
            head = file.read(len(SQLITE_MAGIC))
    except OSError as error:
        raise BackupError(f"cannot read {path}: {error.strerror}") from None
    if head == SQLITE_MAGIC:
        return "sqlite"
    if head.startswith(PG_DUMP_MAGIC):
        return "postgresql"
    raise BackupError(f"{path} is neither an SQLite backup nor a pg_dump custom-format file")


def tables_with_rows(conn: Connection) -> list[str]:
    """The tables of the database that hold at least one row (Alembic's version table aside)."""
    names = [name for name in inspect(conn).get_table_names() if name != "alembic_version"]
    holding = [name for name in names if conn.execute(text(f'SELECT 1 FROM "{name}" LIMIT 1')).first()]
    conn.rollback()
    return holding


def integrity_problems(path: str) -> list[str]:
    """What SQLite's `PRAGMA integrity_check` finds wrong with the file at `path` (empty when sound)."""
    connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    try:
        rows = [row[0] for row in connection.execute("PRAGMA integrity_check")]
    finally:
        connection.close()
    return [] if rows == ["ok"] else rows


# ---- SQLite ---------------------------------------------------------------------------------------

def _sqlite_path(url: str) -> str:
    database = make_url(url).database
    if not database or database == ":memory:":
        raise BackupError("an in-memory SQLite database cannot be backed up or restored")
    return database


def _backup_sqlite(source_path: str, target_path: str) -> None:
    if not os.path.exists(source_path):
        raise BackupError(f"there is no database at {source_path}")
    source = sqlite3.connect(f"file:{source_path}?mode=ro", uri=True, timeout=30)
    target = sqlite3.connect(target_path)
    try:
        # All pages in one step: one read transaction, so writers committing meanwhile (WAL) are either
        # wholly in the copy or wholly out of it. Busy or locked steps are retried by sqlite3 itself.
        source.backup(target, pages=-1)
        # The copy stands alone: no -wal file beside it.
        target.execute("PRAGMA journal_mode=DELETE")
    finally:
        target.close()
        source.close()
    problems = integrity_problems(target_path)
    if problems:
        raise BackupError("the copy failed SQLite's integrity check: " + "; ".join(problems[:3]))


def _restore_sqlite(backup_path: str, database_path: str) -> None:
    problems = integrity_problems(backup_path)
    if problems:
        raise BackupError(f"{backup_path} failed SQLite's integrity check: " + "; ".join(problems[:3]))
    if not os.path.exists(database_path):
        os.makedirs(os.path.dirname(database_path) or ".", exist_ok=True)
        os.close(os.open(database_path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    source = sqlite3.connect(f"file:{backup_path}?mode=ro", uri=True)
    target = sqlite3.connect(database_path, timeout=30)
    try:
        # The backup API writes the whole database under one lock: other connections see the old
        # database or the restored one, never a mixture.
        source.backup(target, pages=-1)
    finally:
        target.close()
        source.close()


def _new_private_file(directory: str, stem: str, suffix: str) -> str:
    """Create an empty file readable by its owner only; a second backup in the same second gets -2, -3…"""
    for attempt in range(1, 100):
        path = os.path.join(directory, f"{stem}{'' if attempt == 1 else f'-{attempt}'}{suffix}")
        try:
            os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
        except FileExistsError:
            continue
        return path
    raise BackupError(f"too many backups named {stem} in {directory}")


# ---- PostgreSQL -----------------------------------------------------------------------------------

def _pg_environment(url: str) -> dict[str, str]:
    """libpq's environment for the database at `url`: the password never appears on a command line."""
    parsed = make_url(url)
    env = dict(os.environ)
    for key, value in (("PGHOST", parsed.host), ("PGPORT", parsed.port), ("PGUSER", parsed.username),
                       ("PGPASSWORD", parsed.password), ("PGDATABASE", parsed.database)):
        if value is not None:
            env[key] = str(value)
    for option, key in (("host", "PGHOST"), ("sslmode", "PGSSLMODE")):
        if option in parsed.query:
            env[key] = str(parsed.query[option])
    return env


def _server_major(url: str) -> int:
    """The server's major version (pg_dump refuses to dump a server newer than itself)."""
    import psycopg

    env = _pg_environment(url)
    try:
        with psycopg.connect(host=env.get("PGHOST"), port=env.get("PGPORT"), user=env.get("PGUSER"),
                             password=env.get("PGPASSWORD"), dbname=env.get("PGDATABASE"),
                             connect_timeout=10) as connection:
            return connection.info.server_version // 10000
    except psycopg.Error as error:
        raise BackupError(f"cannot reach the PostgreSQL database: {error}") from None


def _pg_binary(name: str, url: str) -> str:
    """pg_dump or pg_restore of the server's major version: Debian's versioned copy first, then PATH."""
    major = _server_major(url)
    versioned = f"/usr/lib/postgresql/{major}/bin/{name}"
    if os.access(versioned, os.X_OK):
        return versioned
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed (Debian: apt-get install postgresql-client-{major})")
    client_major = _client_major(found)
    if client_major is not None and major is not None and client_major < major:
        others = ", ".join(sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))) or "none"
        raise BackupError(f"{found} is version {client_major}, older than the server ({major}); install "
                          f"postgresql-client-{major} (other copies found: {others})")
    return found


def _client_major(binary: str) -> int | None:
    output = subprocess.run([binary, "--version"], capture_output=True, text=True, check=False).stdout
    digits = output.rsplit(" ", 1)[-1].strip().split(".")[0] if output else ""
    return int(digits) if digits.isdigit() else None


def _run(command: list[str], url: str, *, database_flag: bool = False, options: str = "") -> None:
    env = _pg_environment(url)
    if options:
        env["PGOPTIONS"] = f"{env.get('PGOPTIONS', '')} {options}".strip()
    if database_flag:
        command = [*command[:-1], f"--dbname={env.get('PGDATABASE', '')}", command[-1]]
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        reason = result.stderr.strip() or str(result.returncode)
        if "lock timeout" in reason:
            reason += " (stop the web workers and `flask outbox work` before restoring)"
        raise BackupError(f"{os.path.basename(command[0])} failed: {reason}")
