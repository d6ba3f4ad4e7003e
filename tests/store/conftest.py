"""Store test fixtures (defined in tests.store.fixtures, shared with the record tests)."""

from tests.store.fixtures import any_url, home, library, library_dir, pg_url, sqlite_url  # noqa: F401
