"""The smaller points of issue 13, each a behaviour a player meets: the intro's lines, the
profile form's errors, the export dialog, numbering, who is offered to continue, whose
details are shown, the quest map's lines, and screens that are let go."""

from __future__ import annotations

import gc
import io
import sys
from pathlib import Path

import pytest
from textual.widgets import Input

from mentorquest.bundled import library_path
from mentorquest.language.loader import open_library
from mentorquest.players.config import PlayConfig
from mentorquest.players.journey import profile_labels
from mentorquest.players.plain import PlainPlayer
from mentorquest.players.progress import MemoryProgress, MemoryProvider, Participant
from mentorquest.players.stored import StoreProvider
from mentorquest.store import open_store
from mentorquest.tui.app import make_app
from mentorquest.tui.screens.complete import CompletionScreen
from mentorquest.tui.screens.debrief import DebriefScreen
from mentorquest.tui.screens.modals import ExportScreen
from mentorquest.tui.screens.profile import ProfileScreen
from mentorquest.tui.screens.questmap import QuestMapScreen
from mentorquest.tui.screens.scene import SceneScreen
from mentorquest.tui.screens.welcome import WelcomeScreen
from tests.tui.appsetup import fixed_options
from tests.tui.choosing import choose
from tests.tui.library import build_library
from tests.tui.screen_text import screen_text


async def press(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.pause()


def _shown(app) -> list[str]:
    """The text of the page's paragraphs, as laid out (before the screen wraps them)."""
    return [str(static.render()) for static in app.screen.query("#welcome Static, #intro Static")]


async def test_the_introduction_is_wrapped_to_the_screen_not_to_the_yaml(build_app) -> None:
    app = build_app(config=PlayConfig(library=library_path()))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, WelcomeScreen)
        summary = app.programme.introduction.summary
        assert "\n" in summary.strip()  # the file breaks its lines...
        assert " ".join(summary.split()) in _shown(app)  # ...the screen does not
        await press(pilot, "enter")
        basics = app.programme.introduction.basics
        assert " ".join(basics.split()) in _shown(app)
        lines = [line.strip() for line in screen_text(app).splitlines()]
        assert "is" not in lines


async def test_a_corrected_profile_form_loses_its_error(build_app) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await press(pilot, "enter", "enter")
        assert isinstance(app.screen, ProfileScreen)
        await press(pilot, "ctrl+n")
        assert "Please type your name. Please choose your role." in screen_text(app)
        await press(pilot, *"Sam")
        assert "Please type your name." not in screen_text(app)
        assert "Please choose your role." in screen_text(app)
        await press(pilot, "tab", "tab", "enter")  # the first role
        assert "Please choose your role." not in screen_text(app)


async def _to_completion(pilot) -> None:
    await press(pilot, "enter")
    await choose(pilot, "listen")
    await press(pilot, "enter")
    await choose(pilot, "ask")
    await press(pilot, "enter", "m", "enter")


def _completion_app(tmp_path: Path, library_dir: Path, export_dir: Path | None):
    from tests.tui.recording import recording_provider

    options = fixed_options(tmp_path)._replace(export_dir=export_dir)
    app = make_app(
        PlayConfig(library=library_dir, name="Sam Taylor", role="mentor"),
        recording_provider(),
        options=options,
    )
    app.skipped_surveys.update({"before", "after"})
    return app


async def test_the_export_dialog_shows_where_the_file_goes_and_asks_before_replacing(
    tmp_path: Path, library_dir: Path
) -> None:
    exports = tmp_path / "exports"
    app = _completion_app(tmp_path, library_dir, exports)
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        await _to_completion(pilot)
        assert isinstance(app.screen, CompletionScreen)
        await press(pilot, "e")
        assert isinstance(app.screen, ExportScreen)
        target = exports / "mentorquest-record-sam-taylor-rec-0001.json"
        field = app.screen.query_one(Input)
        assert field.cursor_position == 0  # the folder is in view, not "...torquest-record-..."
        shown = app.screen.query_one("#export-target").render()
        assert str(shown) == f"It will be saved as: {target}"  # in full, wrapped to fit
        assert "0001.json" in screen_text(app)
        exports.mkdir()
        target.write_text("an earlier export")
        await press(pilot, "enter")
        assert isinstance(app.screen, ExportScreen)
        assert "A file of that name is already there" in screen_text(app)
        await press(pilot, "enter")
        assert isinstance(app.screen, CompletionScreen)
        assert '"participant": "sam-taylor"' in target.read_text()


def test_records_are_exported_to_the_documents_folder_not_the_current_one(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from mentorquest.locations import exports_dir

    monkeypatch.delenv("MENTORQUEST_HOME")
    documents = tmp_path / "Documents"
    documents.mkdir()
    monkeypatch.setattr("platformdirs.user_documents_path", lambda: documents)
    assert exports_dir() == documents
    monkeypatch.setenv("MENTORQUEST_HOME", str(tmp_path / "home"))
    assert exports_dir() == tmp_path / "home" / "exports"


def _two_scenario_library(root: Path) -> Path:
    build_library(root)
    programme = root / "programme.yaml"
    programme.write_text(
        programme.read_text().replace(
            "mentor: [listen-first]", "mentor: [keep-it-safe, listen-first]"
        )
    )
    safe = root / "keep-it-safe.yaml"
    safe.write_text(safe.read_text().replace("roles: [mentee]", "roles: [mentor, mentee]"))
    return root


def test_the_plain_player_numbers_scenarios_among_all_the_required(tmp_path: Path) -> None:
    root = _two_scenario_library(tmp_path / "lib")
    library = open_library(root)
    progress = MemoryProgress(participant=Participant("p", "Sam", "mentor"))
    options = PlayConfig(library=root, role="mentor")

    def play(answers: str) -> str:
        out = io.StringIO()
        PlainPlayer(library, io.StringIO(answers), out, progress, options).run()
        return out.getvalue()

    first = play("To learn\n4\nkeep\n")  # the survey, then the first scenario passed
    assert "Scenario 1 of 2: Keep it safe" in first
    assert "Scenario 2 of 2: Listen first" in first
    again = play("")  # the second scenario again, on a later run
    assert "Welcome back: 1 of 2 scenarios passed." in again
    assert "Scenario 2 of 2: Listen first" in again and "Scenario 1 of" not in again


async def test_continuing_offers_only_people_who_began_this_programme(tmp_path: Path) -> None:
    first = build_library(tmp_path / "first")
    other = build_library(tmp_path / "other")
    (other / "programme.yaml").write_text(
        (other / "programme.yaml").read_text().replace("id: test-programme", "id: other-programme")
    )
    with open_store(f"sqlite:///{tmp_path / 'shared.db'}") as store:
        library = open_library(first)
        provider = StoreProvider(store, library)
        progress = provider.open(Participant("sam", "Sam", "mentor"))
        progress.save_survey_answer("before", "hopes", "To learn")
        progress.close()
        provider.open(Participant("kim", "Kim", "mentor")).close()  # nothing kept yet
        assert [p.id for p in provider.returning()] == ["sam"]
        elsewhere = StoreProvider(store, open_library(other))
        assert elsewhere.returning() == []
        assert {p.id for p in elsewhere.participants()} == {"kim", "sam"}
        app = make_app(PlayConfig(library=other), elsewhere, options=fixed_options(tmp_path))
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert "Continue where I left off" not in screen_text(app)


def test_profiles_are_listed_by_name_and_role_never_by_email() -> None:
    people = [
        Participant("sam@example.org", "Sam", "mentor", "sam@example.org"),
        Participant("s.t@work.example", "Sam", "mentor", "s.t@work.example"),
        Participant("kim", "Kim", "mentee"),
    ]
    assert profile_labels(people) == [
        "Sam (mentor) [s…@example.org]",
        "Sam (mentor) [s…@work.example]",
        "Kim (mentee)",
    ]


async def test_the_profile_picker_shows_no_email(build_app, provider: MemoryProvider) -> None:
    progress = provider.open(Participant("sam.taylor@example.org", "Sam Taylor", "mentor"))
    progress.save_survey_answer("before", "hopes", "To learn")
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        provider.open(Participant("kim@example.org", "Kim", "mentee"))
        await press(pilot, "enter")  # continue where I left off: two people, so the picker
        assert isinstance(app.screen, ProfileScreen)
        text = screen_text(app)
        assert "Sam Taylor (mentor)" in text and "Kim (mentee)" in text
        assert "@" not in text


async def test_the_quest_map_keeps_each_scenario_to_two_short_lines(build_app) -> None:
    app = build_app(name="Sam", role="mentor")
    app.skipped_surveys.add("before")
    async with app.run_test(size=(60, 20)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, QuestMapScreen)
        text = screen_text(app)
        assert "0 of 1 required scenario passed" in text
        assert "1. Listen first · about 3 min" in text
        assert "▊    not started" in text  # the status on its own line, whole


async def test_the_first_screen_is_the_only_screen(build_app) -> None:
    app = build_app(name="Sam", role="mentor")
    app.skipped_surveys.add("before")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert [type(s) for s in app.screen_stack] == [QuestMapScreen]


async def test_a_finished_survey_is_not_loaded_on_the_way_to_the_map(
    build_app, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "mentorquest.tui.screens.survey", None)
    app = build_app(name="Sam", role="mentor")
    app.skipped_surveys.add("before")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, QuestMapScreen)


async def test_screens_played_through_are_let_go(build_app) -> None:
    """Textual's Header kept every screen it was on alive; the title bar holds nothing."""
    app = build_app(name="Sam", role="mentor")
    app.skipped_surveys.add("before")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for _ in range(2):
            app.play("listen-first", fresh=True)
            await pilot.pause()
            await choose(pilot, "listen")
            await press(pilot, "enter")
            await choose(pilot, "ask")
            await press(pilot, "enter")
            assert isinstance(app.screen, DebriefScreen)
            await press(pilot, "m")
            assert isinstance(app.screen, QuestMapScreen)
        await pilot.pause()
        gc.collect()
        alive = [o for o in gc.get_objects() if isinstance(o, (SceneScreen, DebriefScreen))]
        # The screen left last may still be held for a moment by its own update timer;
        # none of the screens before it is (Textual's Header kept all of them).
        assert len(alive) <= 1, alive
