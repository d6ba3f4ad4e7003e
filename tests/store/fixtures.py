"""Fixtures shared by store and record tests: a small library, a fresh SQLite file and a fresh PostgreSQL
database per test. Without a reachable PostgreSQL server the PostgreSQL tests skip with
the reason; under CI (CI=true) that skip is a failure."""

from __future__ import annotations

import os
import uuid
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.store.library import write_library

PG_ENV = "MENTORQUEST_TEST_PG_URL"


def unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (under CI this must not be skipped)")
    pytest.skip(reason)


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "home"
    monkeypatch.setenv("MENTORQUEST_HOME", str(folder))
    monkeypatch.delenv("MENTORQUEST_DB", raising=False)
    return folder


@pytest.fixture
def library_dir(tmp_path: Path) -> Path:
    return write_library(tmp_path / "library")


@pytest.fixture
def library(library_dir: Path):
    from mentorquest.language.loader import open_library

    return open_library(library_dir)


@pytest.fixture
def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'store.db'}"


@contextmanager
def new_pg_database():
    """A new, empty PostgreSQL database on the test server, dropped afterwards; yields its URL."""
    base = os.environ.get(PG_ENV)
    if not base:
        unavailable(
            f"no PostgreSQL server: set {PG_ENV} (e.g. postgresql+psycopg://postgres@127.0.0.1:5432/postgres)"
        )
    try:
        import psycopg
    except ImportError:
        unavailable("psycopg is not installed (pip install -e '.[test]')")
    scheme, _, rest = base.partition("://")
    server = rest.rsplit("/", 1)[0]
    admin = f"postgresql://{rest}"
    name = "mq_test_" + uuid.uuid4().hex[:12]
    try:
        with psycopg.connect(admin, autocommit=True, connect_timeout=5) as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
    except psycopg.OperationalError as error:
        unavailable(f"PostgreSQL at {base} is not reachable: {error}".splitlines()[0])
    try:
        yield f"postgresql+psycopg://{server}/{name}"
    finally:
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture
def pg_url():
    with new_pg_database() as url:
        yield url


@pytest.fixture(params=["sqlite", "postgresql"])
def any_url(request, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'store.db'}"
    return request.getfixturevalue("pg_url")
