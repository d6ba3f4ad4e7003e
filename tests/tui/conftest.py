"""Fixtures for the Textual player: a small library in tmp_path and a fixed app setup."""

from __future__ import annotations

from pathlib import Path

import pytest

from mentorquest.players.config import PlayConfig
from mentorquest.players.progress import MemoryProvider, ProgressProvider
from mentorquest.tui.app import MentorquestApp, make_app
from tests.tui.appsetup import fixed_options
from tests.tui.library import build_library


@pytest.fixture(autouse=True)
def _quiet_environment(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MENTORQUEST_HOME", str(tmp_path / "home"))
    monkeypatch.setenv("TEXTUAL_ANIMATIONS", "none")


@pytest.fixture
def library_dir(tmp_path: Path) -> Path:
    return build_library(tmp_path / "library")


@pytest.fixture
def long_library_dir(tmp_path: Path) -> Path:
    return build_library(tmp_path / "library-long", long_talk=True)


@pytest.fixture
def debrief_library_dir(tmp_path: Path) -> Path:
    return build_library(tmp_path / "library-debrief", feedback="debrief")


@pytest.fixture
def provider() -> MemoryProvider:
    return MemoryProvider()


@pytest.fixture
def build_app(tmp_path: Path, library_dir: Path, provider: MemoryProvider):
    def build(
        config: PlayConfig | None = None,
        progress: ProgressProvider | None = None,
        **fields,
    ) -> MentorquestApp:
        config = config or PlayConfig(library=library_dir, **fields)
        app = make_app(config, progress or provider, options=fixed_options(tmp_path))
        app.animation_level = "none"
        return app

    return build
