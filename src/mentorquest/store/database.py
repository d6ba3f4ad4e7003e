"""Connecting to a store's database: SQLite (the standard library) or PostgreSQL (psycopg 3).

The store's queries are written once, in SQL both databases understand, with `?` for
parameters; a `Database` runs them on either, each call of `write()` or `read()` one
transaction, and turns every database error into one clear `StoreError`.

SQLite runs in WAL mode with a long busy timeout and FULL sync, and every write
transaction starts with BEGIN IMMEDIATE, so that concurrent writers queue instead of
failing. A play session needs nothing more than this and `sqlite3`; PostgreSQL's driver
is imported only for a PostgreSQL URL.
"""

from __future__ import annotations

import itertools
import os
import re
import sqlite3
import threading
import time
from collections.abc import Iterator, Sequence
from contextlib import AbstractContextManager, contextmanager
from functools import cache
from typing import Any, NamedTuple
from urllib.parse import quote, unquote, urlsplit, urlunsplit

from mentorquest.errors import MentorquestError
from mentorquest.settings import Settings

BUSY_TIMEOUT_MS = 60_000
DEFAULT_FILE = "mentorquest.db"

_SQLITE_SCHEMES = ("sqlite", "sqlite+pysqlite")
_STREAMS = itertools.count(1)  # names for PostgreSQL's server-side cursors
_POSTGRES_SCHEMES = ("postgresql", "postgres", "postgresql+psycopg", "postgresql+psycopg2")


class StoreError(MentorquestError):
    """The store cannot be opened or used (bad URL, unreachable server, unreadable file)."""

    title = "The store cannot be used"


class Url(NamedTuple):
    """A store's address: which database, where, and how to show it (password hidden)."""

    dialect: str  # "sqlite" | "postgresql"
    target: str  # the SQLite file (or ":memory:"), or a libpq connection URL
    display: str


def default_url() -> str:
    from mentorquest import locations

    return f"sqlite:///{locations.data_dir() / DEFAULT_FILE}"


def resolve_url(url: str | None) -> Url:
    """The store named by `url`, else MENTORQUEST_DB, else the default SQLite file."""
    text = url or Settings.from_env().db or default_url()
    scheme, sep, rest = text.partition("://")
    if not sep or not re.fullmatch(r"[A-Za-z][A-Za-z0-9+.-]*", scheme):
        raise StoreError(
            f"'{text}' is not a database URL (e.g. sqlite:///path/to/file.db or "
            "postgresql+psycopg://user:password@host/dbname)"
        )
    scheme = scheme.lower()
    if scheme in _SQLITE_SCHEMES:
        path, _, _query = rest.partition("?")
        if not path.startswith("/") and path:
            raise StoreError(f"'{text}' is not a SQLite URL: write sqlite:///FILE (three slashes)")
        database = unquote(path[1:]) if path else ":memory:"
        database = database or ":memory:"
        shown = f"{scheme}:///{quote(database, safe=' +/:')}" if path else f"{scheme}://"
        return Url("sqlite", database, shown)
    if scheme in _POSTGRES_SCHEMES:
        parts = urlsplit("postgresql://" + rest)
        return Url("postgresql", urlunsplit(parts), _hide_password(text))
    name = scheme.split("+")[0]
    raise StoreError(
        f"unsupported database '{name}' in {_hide_password(text)}: "
        "use sqlite:///FILE or postgresql+psycopg://..."
    )


def _hide_password(text: str) -> str:
    return re.sub(r"(://[^:/@]*:)[^@/]*@", r"\1***@", text, count=1)


def first_line(error: BaseException) -> str:
    """The first useful line of a database error."""
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


@cache
def _postgres_sql(sql: str) -> str:
    # The queries use `?` for parameters (sqlite3's style); psycopg wants `%s`.
    return sql.replace("%", "%%").replace("?", "%s")


class Transaction:
    """The statements of one transaction; `execute` returns the rows it produced."""

    def __init__(self, database: Database, connection: Any, cursor: Any) -> None:
        self._database = database
        self._connection = connection
        self._cursor = cursor

    def execute(self, sql: str, params: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
        self._cursor.execute(self._database.sql(sql), params)
        if self._cursor.description is None:
            return []
        return list(self._cursor.fetchall())

    def changed(self, sql: str, params: Sequence[Any] = ()) -> int:
        """Run a statement and say how many rows it inserted, updated or deleted."""
        self._cursor.execute(self._database.sql(sql), params)
        return int(self._cursor.rowcount)

    @property
    def dialect(self) -> str:
        return self._database.dialect

    def stream(self, sql: str, params: Sequence[Any] = ()) -> Iterator[tuple[Any, ...]]:
        """Rows one batch at a time, for results too big to hold at once.

        Each stream has a cursor of its own, so several can be read side by side in one
        transaction (one consistent view of the store)."""
        if self._database.dialect == "sqlite":
            cursor = self._connection.cursor()
        else:  # a server-side cursor: PostgreSQL sends the rows as they are read
            cursor = self._connection.cursor(name=f"mentorquest_stream_{next(_STREAMS)}")
            cursor.itersize = 2000
        try:
            cursor.execute(self._database.sql(sql), params)
            while True:
                rows = cursor.fetchmany(2000)
                if not rows:
                    return
                yield from rows
        finally:
            try:
                cursor.close()
            except self._database._errors:
                pass  # a stream left unread until its connection closed: nothing to free

    def text_order(self, column: str) -> str:
        """ORDER BY text in code-point order on both databases (PostgreSQL's default
        collation would sort by language rules), so streams can be merged in Python."""
        return column if self._database.dialect == "sqlite" else f'{column} COLLATE "C"'


class Database:
    """One connection to a store's database, shared by the calls of one process.

    A lock keeps calls from different threads from interleaving inside a transaction.
    """

    def __init__(self, url: Url) -> None:
        self.url = url
        self.dialect = url.dialect
        self.display_url = url.display
        self._lock = threading.RLock()
        self._connection: Any = None
        self._errors: tuple[type[BaseException], ...] = (sqlite3.Error,)
        self._connect()

    def sql(self, text: str) -> str:
        return text if self.dialect == "sqlite" else _postgres_sql(text)

    def failed(self, error: BaseException) -> StoreError:
        return StoreError(f"the store {self.display_url} failed: {first_line(error)}")

    # --- connecting --------------------------------------------------------------------

    def _connect(self) -> None:
        if self.dialect == "sqlite":
            self._connection = _connect_sqlite(self.url)
        else:
            self._connection = self._connect_postgres()

    def _connect_postgres(self) -> Any:
        try:
            import psycopg
        except ImportError as error:
            raise StoreError(
                f"cannot open {self.display_url}: the PostgreSQL driver is not installed "
                f"({error}; pip install 'mentorquest[postgres]')"
            ) from None
        self._errors = (psycopg.Error,)
        try:
            return psycopg.connect(self.url.target, autocommit=True, connect_timeout=10)
        except psycopg.Error as error:
            raise StoreError(
                f"cannot open the store {self.display_url}: {first_line(error)}"
            ) from None

    def close(self) -> None:
        with self._lock:
            if self._connection is not None:
                try:
                    self._connection.close()
                finally:
                    self._connection = None

    # --- transactions ------------------------------------------------------------------

    def write(self) -> AbstractContextManager[Transaction]:
        """A write transaction (on SQLite it takes the write lock at once: BEGIN IMMEDIATE)."""
        return self._transaction("BEGIN IMMEDIATE" if self.dialect == "sqlite" else "BEGIN")

    def read(self) -> AbstractContextManager[Transaction]:
        return self._transaction("BEGIN")

    @contextmanager
    def _transaction(self, begin: str) -> Iterator[Transaction]:
        with self._lock:
            if self._connection is None:
                raise StoreError(f"the store {self.display_url} is closed")
            connection = self._connection
            try:
                cursor = connection.cursor()
                cursor.execute(begin)
            except self._errors as error:
                raise self.failed(error) from None
            try:
                yield Transaction(self, connection, cursor)
                cursor.execute("COMMIT")
            except BaseException as error:
                try:
                    cursor.execute("ROLLBACK")
                except self._errors:
                    pass  # the connection is unusable; the next call reports it
                if isinstance(error, self._errors):
                    raise self.failed(error) from None
                raise
            finally:
                try:
                    cursor.close()
                except self._errors:
                    pass  # closed with its connection (a stream dropped after the store closed)


def _connect_sqlite(url: Url) -> sqlite3.Connection:
    database = url.target
    if database != ":memory:":
        parent = os.path.dirname(os.path.abspath(database))
        if not os.path.isdir(parent):
            raise StoreError(f"cannot open the store {url.display}: folder {parent} does not exist")
        from mentorquest.outfiles import protect

        protect(database, journals=True)  # no export may be written over it
    try:
        connection = sqlite3.connect(
            database, timeout=BUSY_TIMEOUT_MS / 1000, isolation_level=None, check_same_thread=False
        )
    except sqlite3.Error as error:
        raise StoreError(f"cannot open the store {url.display}: {first_line(error)}") from None
    try:
        tune(connection)
    except sqlite3.Error as error:
        connection.close()
        raise StoreError(f"cannot open the store {url.display}: {first_line(error)}") from None
    return connection


def tune(connection: sqlite3.Connection) -> None:
    """WAL, a long busy timeout and FULL sync; transactions are begun explicitly."""
    cursor = connection.cursor()
    cursor.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            cursor.execute("PRAGMA journal_mode = WAL")
            break
        except sqlite3.OperationalError as error:  # another process switching modes
            if "locked" not in str(error) or time.monotonic() > deadline:
                raise
            time.sleep(0.05)
    # FULL: a committed choice survives a power cut as well as a killed process.
    cursor.execute("PRAGMA synchronous = FULL")
    cursor.close()
