"""The store: participants, autosaved and finished attempts, survey answers, records.

SQLAlchemy 2 Core over SQLite (the default, a file in the user data folder) or
PostgreSQL (psycopg 3). Never imports textual or rich (a test checks it).
"""

from mentorquest.store.database import StoreError, default_url
from mentorquest.store.store import FinishedAttempt, Profile, Store, open_store

__all__ = ["FinishedAttempt", "Profile", "Store", "StoreError", "default_url", "open_store"]
