"""The store: participants, autosaved and finished attempts, survey answers, records.

SQLAlchemy 2 Core over SQLite (the default, a file in the user data folder) or
PostgreSQL (psycopg 3). A play session on an SQLite file already at the current schema
uses `session.SQLiteSession` (stdlib sqlite3) instead; `session.open_session` chooses.
Never imports textual or rich (a test checks it).

The names below are loaded on first use (PEP 562), so that importing `store.types` or
`store.session` does not load SQLAlchemy, which costs a player more memory and start-up
time than everything else it runs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mentorquest.store.session import SQLiteSession, open_session
    from mentorquest.store.store import Store, open_store
    from mentorquest.store.types import FinishedAttempt, Profile, StoreError, default_url

_HOMES = {
    "FinishedAttempt": "types",
    "Profile": "types",
    "StoreError": "types",
    "default_url": "types",
    "SQLiteSession": "session",
    "open_session": "session",
    "Store": "store",
    "open_store": "store",
}

__all__ = [
    "FinishedAttempt",
    "Profile",
    "SQLiteSession",
    "Store",
    "StoreError",
    "default_url",
    "open_session",
    "open_store",
]


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"{__name__}.{home}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_HOMES})
