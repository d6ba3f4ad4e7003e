"""Opening a store: URL resolution, SQLite tuning, PostgreSQL via psycopg 3, clear errors.

The default store is a SQLite file in the user data folder (moved by MENTORQUEST_HOME);
`--db URL` or MENTORQUEST_DB names another, such as a programme's shared PostgreSQL
database. SQLite runs in WAL mode with a busy timeout, and every write transaction
starts with BEGIN IMMEDIATE so that concurrent writers queue instead of failing.
"""

from __future__ import annotations

import os

from sqlalchemy import Engine, create_engine, event, exc
from sqlalchemy.engine import URL, make_url

from mentorquest.store.session import tune_connection

# Shared with the light SQLite session, which must not import SQLAlchemy; re-exported here.
from mentorquest.store.types import BUSY_TIMEOUT_MS as BUSY_TIMEOUT_MS
from mentorquest.store.types import DEFAULT_FILE as DEFAULT_FILE
from mentorquest.store.types import StoreError as StoreError
from mentorquest.store.types import default_url as default_url


def resolve_url(url: str | None) -> URL:
    text = url or os.environ.get("MENTORQUEST_DB") or default_url()
    try:
        parsed = make_url(text)
    except exc.ArgumentError:
        raise StoreError(
            f"'{text}' is not a database URL (e.g. sqlite:///path/to/file.db or "
            "postgresql+psycopg://user:password@host/dbname)"
        ) from None
    if parsed.drivername in ("postgresql", "postgres"):
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() not in ("sqlite", "postgresql"):
        raise StoreError(
            f"unsupported database '{parsed.get_backend_name()}' in {display(parsed)}: "
            "use sqlite:///FILE or postgresql+psycopg://..."
        )
    return parsed


def display(url: URL) -> str:
    return url.render_as_string(hide_password=True)


def _sqlite_connect(dbapi_connection, _record) -> None:
    # The same tuning as a light play session's (isolation_level None: SQLAlchemy's begin
    # event issues BEGIN itself, see _sqlite_begin).
    tune_connection(dbapi_connection)


def _sqlite_begin(conn) -> None:
    # IMMEDIATE takes the write lock up front; a deferred transaction that later writes
    # can fail with SQLITE_BUSY without waiting, which loses attempts under load.
    mode = "BEGIN" if conn.get_execution_options().get("mq_read") else "BEGIN IMMEDIATE"
    conn.exec_driver_sql(mode)


def make_engine(url: URL) -> Engine:
    if url.get_backend_name() == "sqlite":
        database = url.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            parent = os.path.dirname(os.path.abspath(database))
            if not os.path.isdir(parent):
                raise StoreError(f"cannot open the store {display(url)}: folder {parent} does not exist")
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_MS / 1000})
        event.listen(engine, "connect", _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
        return engine
    try:
        return create_engine(url, pool_pre_ping=True, pool_size=2, max_overflow=2, connect_args={"connect_timeout": 10})
    except exc.NoSuchModuleError:
        raise StoreError(
            f"cannot open {display(url)}: the PostgreSQL driver is not installed "
            "(pip install 'mentorquest[postgres]')"
        ) from None
    except ImportError as error:
        raise StoreError(
            f"cannot open {display(url)}: {error} (pip install 'mentorquest[postgres]')"
        ) from None


def describe(error: BaseException) -> str:
    """The first useful line of a database error, without SQLAlchemy's boilerplate."""
    original = getattr(error, "orig", None) or error
    message = str(original).strip().splitlines()
    return message[0] if message else type(original).__name__
