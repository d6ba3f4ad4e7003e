"""The store: participants, autosaved and finished attempts, survey answers, records.

One implementation (`store.Store`) over SQLite (the default, a file in the user data
folder, on the standard library's sqlite3) and PostgreSQL (psycopg 3), with its tables
declared once (`schema`) and migrations from every earlier version (`migrations`).
Never imports textual or rich, nor the records package above it (import contracts check).
"""

from __future__ import annotations

from mentorquest.store.database import StoreError, default_url
from mentorquest.store.schema import SCHEMA_VERSION
from mentorquest.store.store import (
    FinishedAttempt,
    InProgress,
    LedgerEntry,
    Profile,
    Store,
    StoredAnswer,
    open_store,
)

__all__ = [
    "SCHEMA_VERSION",
    "FinishedAttempt",
    "InProgress",
    "LedgerEntry",
    "Profile",
    "Store",
    "StoreError",
    "StoredAnswer",
    "default_url",
    "open_store",
]
