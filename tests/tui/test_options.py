"""Options and reach: --watch, start-up errors, bindings, themes, NO_COLOR, the palette."""

from __future__ import annotations

import inspect
import time
from pathlib import Path

import pytest
from textual.binding import Binding
from textual.command import CommandList, CommandPalette

import mentorquest.tui.screens.base
import mentorquest.tui.screens.complete
import mentorquest.tui.screens.debrief
import mentorquest.tui.screens.modals
import mentorquest.tui.screens.profile
import mentorquest.tui.screens.questmap
import mentorquest.tui.screens.scene
import mentorquest.tui.screens.survey
import mentorquest.tui.screens.welcome
import mentorquest.tui.widgets.choices
import mentorquest.tui.widgets.reading
from mentorquest.players.config import PlayConfig
from mentorquest.tui.app import MentorquestApp
from mentorquest.tui.commands import JourneyCommands
from mentorquest.tui.launch import launch
from mentorquest.tui.screens.scene import SceneScreen
from mentorquest.tui.themes import HIGH_CONTRAST
from mentorquest.tui.widgets.scale import ScaleSelector
from tests.tui.choosing import choose
from tests.tui.screen_text import screen_text

SCREEN_MODULES = [
    mentorquest.tui.screens.base,
    mentorquest.tui.widgets.choices,
    mentorquest.tui.widgets.reading,
    mentorquest.tui.screens.complete,
    mentorquest.tui.screens.debrief,
    mentorquest.tui.screens.modals,
    mentorquest.tui.screens.profile,
    mentorquest.tui.screens.questmap,
    mentorquest.tui.screens.scene,
    mentorquest.tui.screens.survey,
    mentorquest.tui.screens.welcome,
]


async def until(pilot, condition, what: str, timeout: float = 60.0) -> None:
    """Let the app run (its file watcher ticks every 0.05 s) until `condition()` holds.

    The deadline is generous so that a busy machine only makes the test slower."""
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, f"{what} did not happen within {timeout:.0f} s"
        await pilot.pause(0.05)


async def test_watch_reloads_the_changed_scene_and_keeps_the_position(
    build_app, library_dir: Path
) -> None:
    app = build_app(name="Sam", role="mentor", scenario="listen-first", watch=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await choose(pilot, "listen")
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.attempt.scene_id == "middle"
        path = library_dir / "listen-first.yaml"
        path.write_text(
            path.read_text().replace("It is the deadlines, mostly.", "It is the commute, really.")
        )
        await until(pilot, lambda: "It is the commute, really." in screen_text(app), "the reload")
        assert isinstance(app.screen, SceneScreen)
        assert app.screen.attempt.scene_id == "middle"
        assert app.screen.attempt.variables == {"trust": 60}
        assert "It is the commute, really." in screen_text(app)


async def test_watch_shows_errors_and_keeps_the_last_good_version(
    build_app, library_dir: Path
) -> None:
    app = build_app(name="Sam", role="mentor", scenario="listen-first", watch=True)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        path = library_dir / "listen-first.yaml"
        path.write_text(path.read_text().replace("goto: good", "goto: nowhere"))
        await until(
            pilot,
            lambda: any("does not validate" in (n.title or "") for n in app._notifications),
            "the notification of the broken file",
        )
        assert app.library_errors and "nowhere" in " ".join(app.library_errors)
        assert any("does not validate" in (n.title or "") for n in app._notifications)
        assert "I am worried about my placement." in screen_text(app)
        await choose(pilot, "listen")
        assert app.screen_stack[-2].attempt.scene_id == "middle"


def test_launch_reports_a_bad_library_in_one_line_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (tmp_path / "broken").mkdir()
    (tmp_path / "broken" / "programme.yaml").write_text("format: 1\nid: [oops\n")
    code = launch(PlayConfig(library=tmp_path / "broken"))
    err = capsys.readouterr().err
    assert code == 2
    assert err.startswith("mentorquest: error: the scenario library at")
    assert "Traceback" not in err


def test_launch_reports_a_missing_library_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = launch(PlayConfig(library=tmp_path / "absent"))
    assert code == 2
    assert capsys.readouterr().err.strip().endswith("no such folder")


def test_an_unknown_scenario_is_a_usage_error_before_start(
    library_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = launch(PlayConfig(library=library_dir, scenario="listen-frist"))
    assert code == 2
    assert "did you mean 'listen-first'" in capsys.readouterr().err


def _bindings() -> list[tuple[str, Binding]]:
    found = [("MentorquestApp", b) for b in MentorquestApp.BINDINGS]
    found += [("ScaleSelector", b) for b in ScaleSelector.BINDINGS]
    for module in SCREEN_MODULES:
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if cls.__module__ == module.__name__:
                found += [(name, b) for b in cls.__dict__.get("BINDINGS", [])]
    found += [
        (f"{module.__name__}", b)
        for module in SCREEN_MODULES
        for b in vars(module).values()
        if isinstance(b, Binding)
    ]
    return found


@pytest.mark.parametrize("owner,binding", _bindings(), ids=lambda v: getattr(v, "key", v))
def test_every_binding_has_an_id_and_a_tooltip(owner: str, binding: Binding) -> None:
    assert binding.id, f"{owner} binding {binding.key} has no id"
    assert binding.tooltip, f"{owner} binding {binding.key} has no tooltip"


async def test_the_high_contrast_theme_is_offered_and_toggles(build_app) -> None:
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert HIGH_CONTRAST.name in app.available_themes
        await pilot.press("f2")
        assert app.theme == HIGH_CONTRAST.name


async def test_no_color_is_respected(build_app, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("NO_COLOR", "1")
    app = build_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.no_color


async def test_the_palette_jumps_to_scenarios_and_the_map(build_app) -> None:
    app = build_app(name="Sam", role="mentor")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        provider = JourneyCommands(app.screen)
        names = [str(hit.text) async for hit in provider.discover()]
        assert "Quest map" in names and "Play: Listen first" in names
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        palette = app.screen
        await pilot.press(*"Play: Listen")

        def scenario_highlighted() -> bool:
            # The palette gathers its hits in the background, in batches.
            hits = palette.query_one(CommandList)
            if hits.highlighted is None:
                return False
            hit = getattr(hits.get_option_at_index(hits.highlighted), "hit", None)
            return hit is not None and str(hit.text) == "Play: Listen first"

        await until(pilot, scenario_highlighted, "the scenario among the palette's hits")
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, SceneScreen), "the scene")
        assert isinstance(app.screen, SceneScreen)
