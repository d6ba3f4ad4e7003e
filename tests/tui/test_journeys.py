"""Whole journeys through the Textual player, driven with the keyboard in a Pilot."""

from __future__ import annotations

import json
from pathlib import Path

from mentorquest.players.config import PlayConfig
from mentorquest.players.progress import MemoryProvider
from mentorquest.tui.screens.complete import CompletionScreen
from mentorquest.tui.screens.debrief import DebriefScreen
from mentorquest.tui.screens.modals import FeedbackScreen
from mentorquest.tui.screens.profile import ProfileScreen
from mentorquest.tui.screens.questmap import QuestMapScreen
from mentorquest.tui.screens.scene import SceneScreen
from mentorquest.tui.screens.survey import SurveyScreen
from mentorquest.tui.screens.welcome import IntroScreen, WelcomeScreen
from tests.tui.choosing import choose
from tests.tui.recording import recording_provider
from tests.tui.screen_text import screen_text


async def press(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.pause()


async def answer_before_survey(pilot) -> None:
    await press(pilot, *"To learn", "enter", "4", "ctrl+n")


async def test_mentor_completes_onboarding_with_the_keyboard(build_app, tmp_path: Path) -> None:
    provider = recording_provider()
    app = build_app(progress=provider)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        await press(pilot, "enter")  # "I am new to mentoring"
        assert isinstance(app.screen, IntroScreen)
        assert "confidential, voluntary relationship" in screen_text(app)
        await press(pilot, "enter")
        assert isinstance(app.screen, ProfileScreen)
        await press(pilot, *"Sam Taylor", "tab", "tab", "enter", "ctrl+n")  # role: mentor
        assert isinstance(app.screen, SurveyScreen)
        await answer_before_survey(pilot)
        assert isinstance(app.screen, QuestMapScreen)
        assert "0 of 1 required scenario passed" in screen_text(app)
        await press(pilot, "enter")
        assert isinstance(app.screen, SceneScreen)
        await choose(pilot, "listen")
        assert isinstance(app.screen, FeedbackScreen)
        assert "Asking first is active listening." in screen_text(app)
        await press(pilot, "enter")
        await choose(pilot, "ask")
        await press(pilot, "enter")
        assert isinstance(app.screen, DebriefScreen)
        text = screen_text(app)
        assert "PASSED · 100%" in text
        assert "3 of 3 (100%)" in text
        await press(pilot, "m")
        assert isinstance(app.screen, QuestMapScreen)
        await press(pilot, "enter")  # the highlighted "finish your onboarding"
        assert isinstance(app.screen, SurveyScreen) and app.screen.part == "after"
        await press(pilot, "5", "ctrl+n")
        assert isinstance(app.screen, CompletionScreen)
        text = screen_text(app)
        assert "Record id: rec-0001" in text
        assert "Stars: 3 of 3" in text
        await press(pilot, "e", "enter")
        exported = tmp_path / "exports" / "mentorquest-record-sam-taylor-rec-0001.json"
        assert json.loads(exported.read_text())["participant"] == "sam-taylor"
    progress = provider.known["sam-taylor"]
    assert progress.survey_answers() == {"hopes": "To learn", "confidence": 4, "useful": 5}


async def test_mentee_who_was_mentored_before_gets_the_differences(build_app) -> None:
    provider = recording_provider()
    app = build_app(progress=provider)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await press(pilot, "down", "enter")  # "I have been mentored ... before"
        assert "learning runs both ways" in screen_text(app)
        await press(pilot, "enter")
        await press(pilot, *"Ewa", "tab", *"ewa@example.org", "tab", "down", "enter", "ctrl+n")
        assert app.participant is not None
        assert (app.participant.role, app.participant.email) == ("mentee", "ewa@example.org")
        await answer_before_survey(pilot)
        await press(pilot, "enter")
        await choose(pilot, "keep")  # keep it to yourself
        await press(pilot, "enter")
        assert isinstance(app.screen, DebriefScreen)
        await press(pilot, "m", "enter", "3", "ctrl+n")
        assert isinstance(app.screen, CompletionScreen)
        assert "Record id: rec-0001" in screen_text(app)


async def test_quitting_mid_scene_resumes_at_the_same_scene_and_variables(build_app) -> None:
    provider = MemoryProvider()
    first = build_app(progress=provider, name="Sam", role="mentor")
    async with first.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await answer_before_survey(pilot)
        await press(pilot, "enter")
        await choose(pilot, "lecture")  # trust 50 -> 40
        await press(pilot, "enter")
        saved = first.progress.saved_attempt("listen-first")
        await press(pilot, "ctrl+q")
    assert saved is not None and [(s.scene, s.choice) for s in saved.path] == [
        ("opening", "lecture")
    ]

    second = build_app(progress=provider)
    async with second.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert "Continue where I left off" in screen_text(second)
        await press(pilot, "enter")
        assert isinstance(second.screen, SceneScreen)
        attempt = second.screen.attempt
        assert (attempt.scene_id, attempt.variables, attempt.state.path) == (
            "middle",
            {"trust": 40},
            saved.path,
        )
        assert "40 on a scale of 0 to 100" in screen_text(second)
        assert "It is the deadlines, mostly." in screen_text(second)


async def test_a_critical_breach_fails_and_a_retry_passes(build_app) -> None:
    app = build_app(name="Sam", role="mentor")
    async with app.run_test(size=(100, 50)) as pilot:
        await pilot.pause()
        await answer_before_survey(pilot)
        await press(pilot, "enter")
        await choose(pilot, "gossip")
        assert "serious breach of Confidentiality" in screen_text(app)
        await press(pilot, "enter")
        assert isinstance(app.screen, DebriefScreen)
        text = screen_text(app)
        assert "NOT PASSED" in text and "A serious breach of Confidentiality" in text
        assert "A better option here: Ask her to tell you more." in text
        await press(pilot, "t")
        assert isinstance(app.screen, SceneScreen)
        await choose(pilot, "listen")
        await press(pilot, "enter")
        await choose(pilot, "ask")
        await press(pilot, "enter")
        assert "PASSED · 100%" in screen_text(app)
        await press(pilot, "m")
        text = screen_text(app)
        assert "passed · best 100% · ★★★ 3 of 3 stars" in text


async def test_the_survey_enforces_required_answers_and_saves_each_one(build_app) -> None:
    app = build_app(name="Sam", role="mentor")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await press(pilot, "ctrl+n")
        assert isinstance(app.screen, SurveyScreen)
        assert screen_text(app).count("This question needs an answer.") == 2
        await press(pilot, *"Confidence", "enter")
        assert app.progress.survey_answers() == {"hopes": "Confidence"}
        await press(pilot, "ctrl+n")
        assert isinstance(app.screen, SurveyScreen)
        assert screen_text(app).count("This question needs an answer.") == 1
        await press(pilot, "2")
        assert app.progress.survey_answers() == {"hopes": "Confidence", "confidence": 2}
        await press(pilot, "ctrl+n")
        assert isinstance(app.screen, QuestMapScreen)


async def test_debrief_feedback_is_held_until_the_end(debrief_library_dir, build_app) -> None:
    app = build_app(config=PlayConfig(library=debrief_library_dir, name="Sam", role="mentor"))
    async with app.run_test(size=(100, 50)) as pilot:
        await pilot.pause()
        await answer_before_survey(pilot)
        await press(pilot, "enter")
        await choose(pilot, "listen")
        assert isinstance(app.screen, SceneScreen)
        await choose(pilot, "fix")
        assert isinstance(app.screen, DebriefScreen)
        assert "A quick fix skips the listening." in screen_text(app)


async def test_practice_from_a_scene_with_preset_variables_is_never_saved(build_app) -> None:
    provider = MemoryProvider()
    app = build_app(
        progress=provider,
        scenario="listen-first",
        from_scene="middle",
        preset={"trust": 90},
        role="mentor",
    )
    async with app.run_test(size=(100, 50)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, SceneScreen)
        text = screen_text(app)
        assert "practice, does not count" in text and "90 on a scale of 0 to 100" in text
        await choose(pilot, "ask")
        await press(pilot, "enter")
        assert isinstance(app.screen, DebriefScreen)
        assert "practice, does not count" in screen_text(app)
    assert provider.participants() == []


async def test_scenario_text_is_shown_literally(build_app) -> None:
    app = build_app(name="Sam", role="mentor", scenario="listen-first")
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert "[bold]Not markup[/bold]" in screen_text(app)


async def test_f1_opens_help_with_ground_rules_and_keys(build_app) -> None:
    app = build_app()
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.pause()
        await press(pilot, "f1")
        text = screen_text(app)
        assert "Help" in text and "1-9" in text
        await press(pilot, "end")  # the ground rules close the help: the keys reach them
        assert "What is shared stays between you." in screen_text(app)
        await press(pilot, "escape")
        assert isinstance(app.screen, WelcomeScreen)


async def test_the_ground_rules_in_play_show_on_a_key(build_app) -> None:
    app = build_app(name="Sam", role="mentor", scenario="listen-first")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await press(pilot, "g")
        text = screen_text(app)
        assert "Ground rules in play" in text and "Listen to understand" in text
