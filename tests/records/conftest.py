"""Record tests reuse the store tests' small library and helpers."""

from __future__ import annotations

import pytest

from tests.store.fixtures import (  # noqa: F401
    any_url,
    home,
    library,
    library_dir,
    pg_url,
    sqlite_url,
)
from tests.store.helpers import play_plain
from tests.store.library import MENTOR_FULL_RUN


@pytest.fixture
def cohort(library_dir, sqlite_url):  # noqa: F811
    """A store with two completed participants (one mentor, one mentee) and one in progress."""
    play_plain(library_dir, sqlite_url, MENTOR_FULL_RUN)
    play_plain(
        library_dir,
        sqlite_url,
        ["m-2"],
        "--name",
        '=HYPERLINK("x")',
        "--email",
        "",
        "--role",
        "mentee",
    )
    play_plain(
        library_dir,
        sqlite_url,
        ["3", "", "okay", "keep", "Nothing"],
        "--participant",
        "m-2",
        "--role",
        "mentee",
    )
    play_plain(
        library_dir,
        sqlite_url,
        ["3", "", "bad"],
        "--participant",
        "q-3",
        "--name",
        "Quinn",
        "--email",
        "",
        "--role",
        "mentor",
    )
    return sqlite_url
