"""Keys: the same everywhere, help built from the bindings themselves, and a keymap in the
config file that rebinds any of them by its id."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from mentorquest.locations import config_file
from mentorquest.players.config import PlayConfig
from mentorquest.tui.app import AppOptions, make_app
from mentorquest.tui.keys import binding_ids, help_sections
from mentorquest.tui.launch import launch, player_keymap
from mentorquest.tui.screens.modals import HelpScreen, RulesScreen
from mentorquest.tui.screens.questmap import QuestMapScreen
from mentorquest.tui.screens.scene import SceneScreen
from tests.tui.appsetup import fixed_options
from tests.tui.screen_text import screen_text

README = Path(__file__).resolve().parents[2] / "README.md"


async def press(pilot, *keys: str) -> None:
    await pilot.press(*keys)
    await pilot.pause()


def _map_app(build_app):
    app = build_app(name="Sam", role="mentor")
    app.skipped_surveys.add("before")
    return app


async def test_g_opens_the_ground_rules_on_the_map_as_in_a_scene(build_app) -> None:
    app = _map_app(build_app)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, QuestMapScreen)
        assert "g Rules" in screen_text(app).splitlines()[-1]
        await press(pilot, "g")
        assert isinstance(app.screen, RulesScreen)
        assert "The programme's ground rules" in screen_text(app)
        await press(pilot, "escape", "enter")  # Enter plays the highlighted scenario
        assert isinstance(app.screen, SceneScreen)
        await press(pilot, "g")
        assert isinstance(app.screen, RulesScreen)
        assert "Ground rules in play" in screen_text(app)


def test_help_lists_every_binding_with_its_tooltip() -> None:
    shown = [line for section in help_sections({}) for line in section.lines]
    meanings = {line.meaning for line in shown}
    # a family under one key display ("1-9") is listed once, by its first binding
    families = {}
    for binding in binding_ids().values():
        if binding.key_display:
            families.setdefault(binding.action.split("(")[0], binding)
    expected = {b.tooltip for b in binding_ids().values() if not b.key_display}
    expected |= {b.tooltip for b in families.values()}
    assert meanings == expected
    keys = {line.meaning: line.keys for line in shown}
    assert keys["Back to the quest map"] == "m or Esc"
    assert keys["Answer a scale question, 1 to 5"] == "1-5"
    assert keys["Pick a choice by its number"] == "1-9"
    assert keys["Play the highlighted scenario (or finish, once all are passed)"] == "Enter"
    assert keys["The ground rules (in a scenario: those it is scored on)"] == "g"


def test_help_shows_the_keys_of_the_players_keymap() -> None:
    shown = {
        line.meaning: line.keys
        for section in help_sections({"app.rules": "r", "scene.choose-3": "c"})
        for line in section.lines
    }
    assert shown["The ground rules (in a scenario: those it is scored on)"] == "r"
    assert shown["Pick choice 3"] == "c"  # the 1-9 family is listed key by key once remapped
    assert shown["Pick choice 2"] == "2"


def test_the_readme_documents_every_binding_id() -> None:
    readme = README.read_text(encoding="utf-8")
    missing = [i for i in binding_ids() if f"`{i}`" not in readme]
    assert not missing, f"README's 'Changing keys' lacks {missing}"


def _write_config(text: str) -> Path:
    path = config_file()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_the_keymap_is_read_from_the_config_file() -> None:
    _write_config('[keymap]\n"app.rules" = "r"\n"app.help" = "f1,question_mark"\n')
    assert player_keymap() == {"app.rules": "r", "app.help": "f1,question_mark"}


def test_no_config_file_means_no_keymap() -> None:
    assert not config_file().exists()
    assert player_keymap() == {}


@pytest.mark.parametrize(
    "text,message",
    [
        ('[keymap]\n"app.rule" = "r"\n', "names 'app.rule', which is no key binding (did you mean"),
        ("[keymap]\napp.rules = \n", "not a valid TOML file"),
        ('[keymap]\n"app.rules" = 3\n', "'app.rules' must be a string of keys"),
        ('[keymap]\n"app.rules" = ""\n', "'app.rules' needs one key or several"),
        ('[keys]\n"app.rules" = "r"\n', "unknown setting 'keys' (this file may have: [keymap])"),
    ],
)
def test_a_bad_config_file_stops_the_start_with_one_clear_line(
    text: str, message: str, library_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = _write_config(text)
    assert launch(PlayConfig(library=library_dir)) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"mentorquest: error: {path}: ")
    assert message in err and "Traceback" not in err


async def test_a_rebound_key_works_and_the_footer_and_help_show_it(
    tmp_path: Path, library_dir: Path
) -> None:
    from mentorquest.players.progress import MemoryProvider

    options = fixed_options(tmp_path)._replace(keymap={"app.rules": "r", "scene.map": "m"})
    app = make_app(
        PlayConfig(library=library_dir, name="Sam", role="mentor", scenario="listen-first"),
        MemoryProvider(),
        options=options,
    )
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        footer = screen_text(app).splitlines()[-1]
        assert "r Rules" in footer and "m Map" in footer
        await press(pilot, "g")
        assert isinstance(app.screen, SceneScreen)  # g is free now
        await press(pilot, "r")
        assert isinstance(app.screen, RulesScreen)
        await press(pilot, "escape", "f1")
        assert isinstance(app.screen, HelpScreen)
        text = re.sub(r"\s+", " ", screen_text(app))
        assert "r The ground rules (in a scenario: those it is scored on)" in text


def test_app_options_take_a_keymap() -> None:
    assert AppOptions().keymap == {}
