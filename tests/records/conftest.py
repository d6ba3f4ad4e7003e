"""Record tests reuse the store tests' small library and helpers."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

STORE_TESTS = Path(__file__).parent.parent / "store"
sys.path.insert(0, str(STORE_TESTS))

from mqfixtures import home, library, library_dir, pg_url, sqlite_url  # noqa: E402,F401
from mqhelpers import play_plain  # noqa: E402
from mqlib import MENTOR_FULL_RUN  # noqa: E402


@pytest.fixture
def cohort(library_dir, sqlite_url):  # noqa: F811
    """A store with two completed participants (one mentor, one mentee) and one in progress."""
    play_plain(library_dir, sqlite_url, MENTOR_FULL_RUN)
    play_plain(library_dir, sqlite_url, ["m-2"], "--name", "=HYPERLINK(\"x\")", "--email", "", "--role", "mentee")
    play_plain(library_dir, sqlite_url, ["3", "", "2", "1", "Nothing"], "--participant", "m-2", "--role", "mentee")
    play_plain(library_dir, sqlite_url, ["3", "", "3"], "--participant", "q-3", "--name", "Quinn", "--email", "", "--role", "mentor")
    return sqlite_url
