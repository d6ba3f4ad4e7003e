"""Memory held by a long session: what is no longer on screen is let go."""

from __future__ import annotations

import gc

from textual._styles_cache import StylesCache
from textual.widget import Widget

from mentorquest.tui.screens.debrief import DebriefScreen
from mentorquest.tui.screens.questmap import QuestMapScreen
from mentorquest.tui.screens.scene import SceneScreen
from tests.tui.choosing import choose
from tests.tui.test_journeys import answer_before_survey, press


def styles_of_removed_widgets() -> int:
    """Style caches (each with every line its widget rendered) whose widget is gone."""
    gc.collect()
    live = {id(o._styles_cache) for o in gc.get_objects() if isinstance(o, Widget)}
    return sum(1 for o in gc.get_objects() if isinstance(o, StylesCache) and id(o) not in live)


async def test_screens_and_dialogs_left_behind_do_not_keep_what_they_rendered(build_app) -> None:
    # Textual keeps removed widgets' style caches in an lru_cache (Textualize/textual#6665);
    # the app clears it as the journey moves on, so replaying does not add up.
    app = build_app(name="Sam", role="mentor")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await answer_before_survey(pilot)
        await press(pilot, "enter")
        scenario_id = app.screen.attempt.scenario.id
        for _ in range(3):
            if not isinstance(app.screen, SceneScreen):
                app.play(scenario_id, fresh=True)  # again, as "t" on a debrief does
                await pilot.pause()
            await choose(pilot, "listen")
            await press(pilot, "enter")  # the feedback dialog closes
            await choose(pilot, "ask")
            await press(pilot, "enter")
            assert isinstance(app.screen, DebriefScreen)
            await press(pilot, "m")
            assert isinstance(app.screen, QuestMapScreen)
            await pilot.pause()
        assert styles_of_removed_widgets() == 0


async def test_garbage_collection_waits_for_the_first_screen_and_then_resumes(library_dir):
    # launch.build pauses the cyclic collector for start-up; the app resumes it once its
    # first screen is up, with what start-up made set out of its reach; leaving the
    # build's stack resumes it whatever happened.
    import contextlib

    from mentorquest.players.config import PlayConfig
    from mentorquest.tui.launch import build
    from mentorquest.tui.screens.welcome import WelcomeScreen

    assert gc.isenabled()
    try:
        with contextlib.ExitStack() as stack:
            app = build(PlayConfig(library=library_dir), stack)
            assert not gc.isenabled()
            async with app.run_test(size=(80, 24)) as pilot:
                await pilot.pause()
                assert isinstance(app.screen, WelcomeScreen)
                await pilot.pause()
                assert gc.isenabled()
                assert gc.get_freeze_count() > 0
        with contextlib.ExitStack() as stack:
            build(PlayConfig(library=library_dir), stack)  # never run
            assert not gc.isenabled()
        assert gc.isenabled()
    finally:
        gc.unfreeze()
        gc.enable()


async def test_back_from_a_scenario_the_map_a_session_began_on_is_brought_up_to_date(
    build_app,
) -> None:
    # Started on the map (--name --role, survey done), a scenario played and passed: "m"
    # goes back to that same map, now saying it is passed, with no second map over it.
    from tests.tui.screen_text import screen_text

    app = build_app(name="Sam", role="mentor")
    app.skipped_surveys.add("before")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        first = app.screen
        assert isinstance(first, QuestMapScreen)
        assert "0 of 1 required scenario passed" in screen_text(app)
        await press(pilot, "enter")
        await choose(pilot, "listen")
        await press(pilot, "enter")
        await choose(pilot, "ask")
        await press(pilot, "enter")
        assert isinstance(app.screen, DebriefScreen)
        await press(pilot, "m")
        await pilot.pause()
        assert app.screen is first and len(app.screen_stack) == 1
        text = screen_text(app)
        assert "1 of 1 required scenario passed" in text
        assert "passed · best 100%" in text
        quests = first.query_one("#quests")
        assert quests.get_option_at_index(quests.highlighted).id == "finish"
        await press(pilot, "enter")  # the highlighted "finish your onboarding"
        assert type(app.screen).__name__ == "SurveyScreen"
