"""Work done before the first key: the first screen is laid out and drawn once, not twice."""

from __future__ import annotations

import pytest

from mentorquest.tui.screens.questmap import QuestMapScreen
from mentorquest.tui.screens.welcome import WelcomeScreen
from mentorquest.tui.widgets.footer import KeysFooter
from tests.tui.screen_text import screen_text
from tests.tui.test_journeys import press


@pytest.fixture
def footer_composes(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The screens whose footer was composed again, one entry each time."""
    composed: list[str] = []
    recompose = KeysFooter.recompose

    async def counted(self: KeysFooter) -> None:
        composed.append(type(self.screen).__name__)
        await recompose(self)

    monkeypatch.setattr(KeysFooter, "recompose", counted)
    return composed


async def test_the_first_screen_shows_its_keys_without_composing_its_footer_again(
    build_app, footer_composes
) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        assert footer_composes == []
        footer = screen_text(app).splitlines()[-1]
        assert "Help" in footer and "Quit" in footer


async def test_the_quest_map_shows_its_keys_without_composing_its_footer_again(
    build_app, provider, footer_composes
) -> None:
    from mentorquest.players.progress import Participant

    progress = provider.open(Participant(id="sam", name="Sam", role="mentor"))
    progress.save_survey_answer("before", "hopes", "To learn")
    progress.save_survey_answer("before", "confidence", 4)
    app = build_app(participant="sam", name="Sam", role="mentor")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, QuestMapScreen)  # the first screen
        assert footer_composes == []
        footer = screen_text(app).splitlines()[-1]
        assert "Play" in footer and "Help" in footer
        # Later screens draw their keys a frame after their text; they still follow what
        # has focus and where the journey goes.
        await press(pilot, "enter")
        assert "Map" in screen_text(app).splitlines()[-1]


def test_a_crash_inside_textual_is_never_a_successful_exit(library_dir, monkeypatch) -> None:
    # Textual prints its own traceback and stops; the command must not then say 0.
    from textual.app import App

    from mentorquest.players.config import PlayConfig
    from mentorquest.tui.app import MentorquestApp
    from mentorquest.tui.launch import launch

    def broken(self):
        raise RuntimeError("a widget that cannot be drawn")

    monkeypatch.setattr(WelcomeScreen, "compose", broken)
    monkeypatch.setattr(MentorquestApp, "run", lambda self, **_: App.run(self, headless=True))
    assert launch(PlayConfig(library=library_dir)) == 1


async def test_an_answer_being_typed_is_kept_when_quitting(build_app, provider) -> None:
    app = build_app(name="Sam", role="mentor")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press(*"my long considered answer")
        await pilot.pause()
        await pilot.press("ctrl+q")
        await pilot.pause()
    [progress] = provider.known.values()
    assert progress.survey_answers("before") == {"hopes": "my long considered answer"}


async def test_the_list_cursor_is_never_told_by_colour_alone(build_app) -> None:
    # In every theme offered: the highlighted entry of a list, and the scale's number under
    # the cursor, are underlined as well as coloured (and stay so when the list is blurred).
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for theme in app.available_themes:
            app.theme = theme
            await pilot.pause()
            variables = app.get_css_variables()
            assert "underline" in variables["block-cursor-text-style"], theme
            assert "underline" in variables["block-cursor-blurred-text-style"], theme
        options = app.screen.query_one("#welcome-options")
        line = options.render_line(options.highlighted or 0)
        assert any(s.style is not None and s.style.underline for s in line), line


async def test_a_practice_run_offers_no_map(build_app) -> None:
    from textual.widgets import Button

    from mentorquest.tui.screens.debrief import DebriefScreen
    from tests.tui.choosing import choose

    app = build_app(name="Sam", role="mentor", scenario="listen-first", from_scene="opening")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Map" not in screen_text(app).splitlines()[-1]
        await choose(pilot, "listen")
        await press(pilot, "enter")
        await choose(pilot, "ask")
        await press(pilot, "enter")
        assert isinstance(app.screen, DebriefScreen)
        assert "Map" not in screen_text(app).splitlines()[-1]
        assert [b.id for b in app.screen.query(Button)] == ["again"]
