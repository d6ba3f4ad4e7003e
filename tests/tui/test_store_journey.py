"""The app on the real store (SQLite in tmp_path): records, export, resume across runs."""

from __future__ import annotations

import json
from pathlib import Path

from mentorquest.language.loader import open_library
from mentorquest.players.config import PlayConfig
from mentorquest.players.stored import StoreProvider
from mentorquest.store import open_store
from mentorquest.tui.app import make_app
from mentorquest.tui.screens.complete import CompletionScreen
from mentorquest.tui.screens.scene import SceneScreen
from tests.tui.appsetup import fixed_options
from tests.tui.choosing import choose
from tests.tui.screen_text import screen_text


def _app(tmp_path: Path, library_dir: Path, store, **fields):
    library = open_library(library_dir)
    config = PlayConfig(library=library_dir, **fields)
    return make_app(
        config, StoreProvider(store, library), library=library, options=fixed_options(tmp_path)
    )


async def _press(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.pause()


async def test_a_stored_onboarding_ends_with_an_exportable_record(
    tmp_path: Path, library_dir: Path
) -> None:
    with open_store(f"sqlite:///{tmp_path / 'progress.db'}") as store:
        app = _app(tmp_path, library_dir, store, name="Sam", role="mentor")
        async with app.run_test(size=(100, 40)) as pilot:
            await pilot.pause()
            await _press(pilot, *"To learn", "enter", "4", "ctrl+n")
            await _press(pilot, "enter")
            await choose(pilot, "listen")
            await _press(pilot, "enter")
            await choose(pilot, "ask")
            await _press(pilot, "enter", "m", "enter", "5", "ctrl+n")
            assert isinstance(app.screen, CompletionScreen)
            record_id = app.screen.summary.record_id
            assert f"Record id: {record_id}" in screen_text(app)
            await _press(pilot, "e", "enter")
        exported = tmp_path / "exports" / f"mentorquest-record-sam-{record_id[:8]}.json"
        assert json.loads(exported.read_text())["record_id"] == record_id
        assert store.latest_record("sam", "test-programme").record_id == record_id


async def test_quitting_and_starting_again_resumes_from_the_store(
    tmp_path: Path, library_dir: Path
) -> None:
    url = f"sqlite:///{tmp_path / 'progress.db'}"
    with open_store(url) as store:
        app = _app(tmp_path, library_dir, store, name="Sam", role="mentor")
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await _press(pilot, *"To learn", "enter", "4", "ctrl+n", "enter")
            await choose(pilot, "lecture")
            await _press(pilot, "enter")
            await _press(pilot, "ctrl+q")
    with open_store(url) as store:
        app = _app(tmp_path, library_dir, store)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await _press(pilot, "enter")  # Continue where I left off
            assert isinstance(app.screen, SceneScreen)
            attempt = app.screen.attempt
            assert (attempt.scene_id, attempt.variables) == ("middle", {"trust": 40})
            assert app.progress.survey_answers() == {"hopes": "To learn", "confidence": 4}
