"""The welcome's "are you new to mentoring?" answer makes the first scenario's opening
decision, so it is not asked twice (issue 12): the participant reads the opening scene,
sees the answer they gave, and goes on to that branch; the path records the choice."""

from __future__ import annotations

from mentorquest.bundled import library_path
from mentorquest.players.config import PlayConfig
from mentorquest.tui.screens.modals import FeedbackScreen
from mentorquest.tui.screens.questmap import QuestMapScreen
from mentorquest.tui.screens.scene import SceneScreen
from mentorquest.tui.widgets.choices import ChoiceItem
from tests.tui.screen_text import screen_text


async def press(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.pause()


async def _play_opening(build_app, down: int) -> tuple[list[tuple[str, str]], str, str]:
    app = build_app(config=PlayConfig(library=library_path()))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await press(pilot, *["down"] * down, "enter")  # the welcome's answer
        await press(pilot, "enter")  # the introduction told for that answer
        await press(pilot, *"Sam Taylor", "tab", "tab", "enter", "ctrl+n")  # role: mentor
        await press(pilot, *"To learn", "enter", "4", "ctrl+n")
        if not isinstance(app.screen, QuestMapScreen):
            await press(pilot, "ctrl+n")  # the optional questions
        assert isinstance(app.screen, QuestMapScreen), type(app.screen).__name__
        await press(pilot, "enter")
        assert isinstance(app.screen, SceneScreen)
        assert app.screen.attempt.scenario.id == "reciprocal-mentoring-basics"
        shown = screen_text(app)
        # The opening scene is read, and the only option is the answer already given.
        assert "It is the launch evening" in shown
        assert app.screen.attempt.choices()[0].id in {"new-to-it", "done-it-before"}
        offered = [item for item in app.screen.query(ChoiceItem) if item.display]
        assert len(offered) == 1
        await press(pilot, "1")
        assert isinstance(app.screen, FeedbackScreen)
        await press(pilot, "enter")
        attempt = app.screen.attempt
        path = [(step.scene, step.choice) for step in attempt.state.path]
        saved = app.progress.saved_attempt("reciprocal-mentoring-basics")
        await press(pilot, "ctrl+q")
    return path, shown, saved


async def test_new_to_mentoring_at_the_welcome_takes_the_newcomers_branch(build_app) -> None:
    path, shown, saved = await _play_opening(build_app, down=0)
    assert path == [("opening", "new-to-it")]
    assert "Continue (at the welcome you said: I am new to mentoring)" in shown
    assert saved is not None and "new-to-it" in str(saved)


async def test_mentored_before_at_the_welcome_takes_the_other_branch(build_app) -> None:
    path, shown, _ = await _play_opening(build_app, down=1)
    assert path == [("opening", "done-it-before")]
    assert "at the welcome you said: I have been mentored or have mentored before" in shown


async def test_without_a_welcome_answer_the_scenario_asks(build_app) -> None:
    app = build_app(config=PlayConfig(library=library_path(), name="Sam", role="mentor"))
    async with app.run_test(size=(100, 40)) as pilot:
        await pilot.pause()
        await press(pilot, *"To learn", "enter", "4", "ctrl+n")
        if not isinstance(app.screen, QuestMapScreen):
            await press(pilot, "ctrl+n")
        await press(pilot, "enter")
        assert isinstance(app.screen, SceneScreen)
        ids = {c.id for c in app.screen.attempt.choices()}
        assert ids == {"new-to-it", "done-it-before"}
        assert "at the welcome you said" not in screen_text(app)
