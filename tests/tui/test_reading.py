"""Every word can be read and every button reached, with the keyboard alone, at the sizes
people have: the scene, the feedback dialog, the debrief, help and the ground rules."""

from __future__ import annotations

import re

import pytest
from textual.widgets import Button

from mentorquest.players.config import PlayConfig
from mentorquest.tui.screens.debrief import DebriefScreen
from mentorquest.tui.screens.modals import FeedbackScreen, HelpScreen, RulesScreen
from mentorquest.tui.screens.questmap import QuestMapScreen
from mentorquest.tui.screens.scene import SceneScreen
from mentorquest.tui.widgets.choices import ChoiceItem
from mentorquest.tui.widgets.reading import ReadingPage
from tests.tui.choosing import choose, number_of
from tests.tui.screen_text import screen_text
from tests.tui.test_options import until

LAST_SENTENCE = "The last sentence of the story is this one, and you should read it."
SIZES = [(60, 20), (80, 24), (100, 32)]


def flat(app) -> str:
    """The screen's words with line breaks and indents taken out (a sentence wraps)."""
    return re.sub(r"\s+", " ", screen_text(app))


async def press(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.pause()


@pytest.fixture
def long_app(build_app, long_library_dir):
    def build():
        return build_app(
            config=PlayConfig(
                library=long_library_dir, name="Sam", role="mentor", scenario="long-talk"
            )
        )

    return build


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_whole_story_is_read_with_pagedown_before_choosing(long_app, size) -> None:
    app = long_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        for _ in range(10):
            if LAST_SENTENCE in flat(app):
                break
            await press(pilot, "pagedown")
        assert LAST_SENTENCE in flat(app)
        await press(pilot, "pagedown")
        assert "What do you do? (1-3)" in flat(app)


async def test_a_long_story_says_there_is_more_and_takes_the_keys(long_app) -> None:
    app = long_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        story = app.screen.query_one("#story", ReadingPage)
        assert app.focused is story  # the story first: the arrows read it
        assert "▼ More of the scene below (PgDn)" in screen_text(app)
        assert LAST_SENTENCE not in flat(app)
        await press(pilot, "down")
        assert story.scroll_y == 1 and app.focused is story


async def test_down_runs_from_the_story_into_the_choices_and_up_back(long_app) -> None:
    app = long_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        story = app.screen.query_one("#story", ReadingPage)
        await press(pilot, "end")
        assert "More of the scene below" not in screen_text(app)
        assert "▲ more above (PgUp)" in screen_text(app)
        await press(pilot, "down")
        first = app.focused
        assert isinstance(first, ChoiceItem) and first.number == 1
        assert "▶ 1." in screen_text(app)  # the highlight is a pointer, not colour alone
        await press(pilot, "down")
        assert isinstance(app.focused, ChoiceItem) and app.focused.number == 2
        await press(pilot, "up", "up")
        assert app.focused is story


async def test_pagedown_scrolls_the_story_when_a_choice_has_focus(long_app) -> None:
    app = long_app()
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        story = app.screen.query_one("#story", ReadingPage)
        app.screen.query(ChoiceItem).first().focus()
        await pilot.pause()
        await press(pilot, "home", "pageup")
        top = story.scroll_y
        await press(pilot, "pageup")  # already at the top: nothing to do
        assert story.scroll_y == top == 0
        await press(pilot, "pagedown")
        assert story.scroll_y > 0 and isinstance(app.focused, ChoiceItem)


async def test_a_scene_that_fits_highlights_the_first_choice(build_app) -> None:
    app = build_app(name="Sam", role="mentor", scenario="listen-first")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert isinstance(app.focused, ChoiceItem) and app.focused.number == 1
        assert "More of the scene below" not in screen_text(app)
        await press(pilot, "enter")
        assert isinstance(app.screen, FeedbackScreen)


async def test_markdown_in_choices_is_rendered_not_shown_as_asterisks(long_app) -> None:
    app = long_app()
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        text = flat(app)
        assert "save their number, 0800 123 456, together." in text
        assert "**" not in text and "*three*" not in text
        item = next(i for i in app.screen.query(ChoiceItem) if i.choice_id == "helpline")
        shown = item.query_one(".choice-text").render()
        bold = [span for span in shown.spans if "bold" in str(span.style)]
        assert [shown.plain[s.start : s.end] for s in bold] == ["0800 123 456"]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_feedback_dialog_fits_with_its_button_in_view(long_app, size) -> None:
    app = long_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await choose(pilot, "listen")
        assert isinstance(app.screen, FeedbackScreen)
        button = app.screen.query_one("#continue", Button)
        assert app.screen.region.contains_region(button.region)
        await until(pilot, lambda: screen_text(app).splitlines()[-1].strip(), "the footer")
        footer = screen_text(app).splitlines()[-1]
        assert "Esc Continue" in footer and "Choose" not in footer  # the dialog's keys
        for _ in range(6):
            await press(pilot, "pagedown")
        assert "Scores: +2 Active listening" in flat(app)
        await press(pilot, "enter")
        assert isinstance(app.screen, SceneScreen)
        assert "It is my mother, mostly." in screen_text(app)


async def test_the_debrief_opens_with_the_verdict_and_reads_to_its_end(long_app) -> None:
    app = long_app()  # at the smallest size; the snapshots show it at the others
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        await choose(pilot, "listen")
        await press(pilot, "enter")
        await choose(pilot, "rush")
        await press(pilot, "enter")
        assert isinstance(app.screen, DebriefScreen)
        lines = screen_text(app).splitlines()
        assert "NOT PASSED · 0%" in lines[2]  # under the title bar and a margin
        page = app.screen.query_one("#debrief", ReadingPage)
        assert app.focused is page  # Down and PgDn read on from the first key
        await press(pilot, "down")
        assert page.scroll_y == 1
        for _ in range(12):
            await press(pilot, "pagedown")
        text = flat(app)
        assert "A better option here: Stay with it, and ask how she is managing." in text
        assert "Why: Staying with what she said keeps the hour hers." in text
        for button in app.screen.query(Button):
            assert app.screen.region.contains_region(button.region)
        await press(pilot, "t")
        assert isinstance(app.screen, SceneScreen)


async def test_a_passed_debrief_tells_its_stars_at_the_top(build_app) -> None:
    app = build_app(name="Sam", role="mentor", scenario="listen-first")
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        await choose(pilot, "listen")
        await press(pilot, "enter")
        await choose(pilot, "ask")
        await press(pilot, "enter")
        assert isinstance(app.screen, DebriefScreen)
        verdict = screen_text(app).splitlines()[2]
        assert "PASSED · 100% · ★★★ 3 of 3 stars" in verdict


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_help_scrolls_to_its_end_and_closes_by_keyboard(long_app, size) -> None:
    app = long_app()
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await press(pilot, "f1")
        assert isinstance(app.screen, HelpScreen)
        close = app.screen.query_one("#close", Button)
        assert app.screen.region.contains_region(close.region)
        await press(pilot, "end")
        assert "What is shared stays between you." in flat(app)
        assert "Keys can be changed in the configuration file" in flat(app)
        await press(pilot, "tab")
        assert app.focused is close
        await press(pilot, "enter")
        assert isinstance(app.screen, SceneScreen)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
async def test_every_ground_rule_of_the_bundled_programme_can_be_reached(build_app, size) -> None:
    from mentorquest.bundled import library_path

    app = build_app(config=PlayConfig(library=library_path(), name="Sam", role="mentee"))
    app.skipped_surveys.add("before")  # straight to the quest map
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        await press(pilot, "g")
        assert isinstance(app.screen, RulesScreen)
        programme = app.programme
        seen = set()
        for _ in range(2 * len(programme.ground_rules)):
            seen |= {rule.name for rule in programme.ground_rules if rule.name in flat(app)}
            await press(pilot, "pagedown")
        assert seen == {rule.name for rule in programme.ground_rules}
        close = app.screen.query_one("#close", Button)
        assert app.screen.region.contains_region(close.region)
        # Close is reached and pressed by keyboard alone, wherever focus started.
        for _ in range(3):
            if app.focused is close:
                break
            await press(pilot, "tab")
        assert app.focused is close
        await press(pilot, "enter")
        assert isinstance(app.screen, QuestMapScreen)


async def test_the_first_meeting_reads_in_full_at_80x24(build_app) -> None:
    """The issue's own example: its first scene was cut at 80x24."""
    from mentorquest.bundled import library_path

    app = build_app(
        config=PlayConfig(
            library=library_path(), name="Sam", role="mentor", scenario="first-meeting"
        )
    )
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        scene = app.screen.attempt.scene
        last_words = " ".join(scene.text.split()[-6:])
        for _ in range(8):
            if last_words in flat(app):
                break
            await press(pilot, "pagedown")
        assert last_words in flat(app)
        # and then each choice, with its number
        seen = ""
        for _ in range(4):
            await press(pilot, "pagedown")
            seen += flat(app)
        for offered in app.screen.attempt.choices():
            start = " ".join(offered.text.split()[:4])
            assert f"{number_of(app, offered.id)}. {start}" in seen
