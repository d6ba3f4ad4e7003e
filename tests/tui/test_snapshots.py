"""Snapshots of every screen under a fixed setup (no cursor blink, no animations, a fixed
clock, seed and theme): the journey's screens at 80x24 and the narrow 60x20; the scene
with a long text, the feedback dialog, the debrief, help and the ground rules at 60x20,
80x24 and 100x32 as well (the sizes people have)."""

from __future__ import annotations

import pytest
from textual import events

from mentorquest.players.config import PlayConfig
from mentorquest.players.progress import Participant
from tests.tui.choosing import choose
from tests.tui.recording import recording_provider

SIZES = {"80x24": (80, 24), "60x20": (60, 20)}
READING_SIZES = {"60x20": (60, 20), "80x24": (80, 24), "100x32": (100, 32)}


async def _keys(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.pause()


async def _type(pilot, text: str) -> None:
    """Type `text` into the focused field as one burst of key events, as a fast typist's
    terminal delivers them: the same events `pilot.press` sends, in the same order, without
    waiting for the app to fall idle after each (which is most of a key press's cost)."""
    for char in text:
        key = char if char.isalnum() else {" ": "space"}[char]
        pilot.app.post_message(events.Key(key, char))
    await pilot.pause()


async def _survey(pilot) -> None:
    await _type(pilot, "To learn")
    await _keys(pilot, "enter", "4", "ctrl+n")


async def welcome(pilot) -> None:
    await pilot.pause()


async def intro(pilot) -> None:
    await _keys(pilot, "enter")


async def profile(pilot) -> None:
    await _keys(pilot, "enter", "enter")


async def before_survey(pilot) -> None:
    await _keys(pilot, "enter", "enter")
    await _type(pilot, "Sam")
    await _keys(pilot, "tab", "tab", "enter", "ctrl+n")


async def quest_map(pilot) -> None:
    await before_survey(pilot)
    await _survey(pilot)


async def after_survey(pilot) -> None:
    # Sam's answers before the start are already kept (see RETURNING): straight to the map.
    await _keys(pilot, "enter")
    await choose(pilot, "listen")
    await _keys(pilot, "enter")
    await choose(pilot, "ask")
    await _keys(pilot, "enter", "m", "enter")


async def completion(pilot) -> None:
    await after_survey(pilot)
    await _keys(pilot, "5", "ctrl+n")


async def error(pilot) -> None:
    pilot.app.show_error("The store could not be opened: the database is locked.")
    await pilot.pause()


SCREENS = {
    "welcome": welcome,
    "intro": intro,
    "profile": profile,
    "before-survey": before_survey,
    "quest-map": quest_map,
    "after-survey": after_survey,
    "completion": completion,
    "error": error,
}


# The screens at the end of the journey start from Sam's quest map (the survey before the
# start already answered) rather than from the welcome: the same screens, sooner.
RETURNING = {"after-survey", "completion"}


@pytest.mark.parametrize("size", SIZES, ids=list(SIZES))
@pytest.mark.parametrize("screen", SCREENS, ids=list(SCREENS))
def test_screen_snapshot(snap_compare, build_app, screen: str, size: str) -> None:
    provider = recording_provider()
    if screen in RETURNING:
        progress = provider.open(Participant("sam", "Sam", "mentor"))
        progress.save_survey_answer("before", "hopes", "To learn")
        progress.save_survey_answer("before", "confidence", 4)
        app = build_app(progress=provider, name="Sam", role="mentor")
    else:
        app = build_app(progress=provider)
    assert snap_compare(app, terminal_size=SIZES[size], run_before=SCREENS[screen])


# The long-text scenario, played from its start: the screens where reading matters most.


async def long_scene(pilot) -> None:
    await pilot.pause()


async def long_feedback(pilot) -> None:
    await choose(pilot, "listen")


async def long_debrief(pilot) -> None:
    await choose(pilot, "listen")
    await _keys(pilot, "enter")
    await choose(pilot, "rush")
    await _keys(pilot, "enter")


async def long_help(pilot) -> None:
    await _keys(pilot, "f1")


async def long_rules(pilot) -> None:
    await _keys(pilot, "g")


READING = {
    "scene": long_scene,
    "feedback": long_feedback,
    "debrief": long_debrief,
    "help": long_help,
    "rules": long_rules,
}


@pytest.mark.parametrize("size", READING_SIZES, ids=list(READING_SIZES))
@pytest.mark.parametrize("screen", READING, ids=list(READING))
def test_reading_snapshot(
    snap_compare, build_app, long_library_dir, screen: str, size: str
) -> None:
    app = build_app(
        config=PlayConfig(library=long_library_dir, name="Sam", role="mentor", scenario="long-talk")
    )
    assert snap_compare(app, terminal_size=READING_SIZES[size], run_before=READING[screen])
