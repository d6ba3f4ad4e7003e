"""Shared fixtures: every test writes under its own MENTORQUEST_HOME, never the user's."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def isolated_home(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("mentorquest-home")
    monkeypatch.setenv("MENTORQUEST_HOME", str(home))
    monkeypatch.delenv("MENTORQUEST_DB", raising=False)
    monkeypatch.delenv("MENTORQUEST_LIBRARY", raising=False)
    return home
