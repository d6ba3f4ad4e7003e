"""Choosing by a choice's id, through the keys a person presses.

The order a scene's choices are shown in is shuffled for each attempt, so tests name the
choice they mean and press the number it is shown with.
"""

from __future__ import annotations

from textual.app import App

from mentorquest.tui.screens.scene import SceneScreen


def number_of(app: App, choice_id: str) -> str:
    """The key that chooses `choice_id` on the scene shown now."""
    screen = app.screen
    assert isinstance(screen, SceneScreen), f"a scene is not shown: {type(screen).__name__}"
    for offered in screen.attempt.choices():
        if offered.id == choice_id:
            return str(offered.number)
    shown = [offered.id for offered in screen.attempt.choices()]
    raise AssertionError(f"choice {choice_id!r} is not offered here; shown: {shown}")


async def choose(pilot, choice_id: str) -> None:
    await pilot.press(number_of(pilot.app, choice_id))
    await pilot.pause()
