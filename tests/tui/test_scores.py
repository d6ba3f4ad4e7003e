"""Scores a player understands: each rule against what the path taken offered, losses told
as losses, badges with what they need and what to replay; the same words in both players."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from mentorquest.engine import Engine
from mentorquest.language.loader import load_library
from mentorquest.players.config import PlayConfig
from mentorquest.players.plain import PlainPlayer
from mentorquest.players.progress import MemoryProgress, Participant
from mentorquest.players.standings import (
    RuleStanding,
    badge_lines,
    badge_standings,
    rule_standings,
    standing_words,
)
from mentorquest.tui.screens.debrief import DebriefScreen
from mentorquest.tui.widgets.gauges import rule_bar
from tests.tui.choosing import choose
from tests.tui.screen_text import screen_text


def _library(root: Path):
    result = load_library(root)
    assert result.library is not None
    return result.library


def _played(library_dir: Path, *choices: str):
    library = _library(library_dir)
    attempt = Engine(library).start("long-talk", seed=5)
    for choice in choices:
        attempt.choose(choice)
    return library, attempt


@pytest.mark.parametrize(
    "standing,words",
    [
        (RuleStanding("r", 2, 2, 2), "2 of 2 (100%)"),
        (RuleStanding("r", 2, 3, 3), "2 of 3 (67%)"),
        (RuleStanding("r", 1, 2, 5), "1 of 2 on your path (50%); 3 more only on other paths"),
        (RuleStanding("r", 0, 0, 4), "not on your path (4 points only on other paths)"),
        (RuleStanding("r", -3, 8, 8), "3 points lost (of 8 to earn)"),
        (RuleStanding("r", -1, 0, 2), "1 point lost (2 points only on other paths)"),
        (RuleStanding("r", 0, 0, 0), "nothing to earn in this scenario, and no points lost"),
        (RuleStanding("r", -2, 0, 0), "2 points lost (nothing to earn on this rule here)"),
    ],
)
def test_each_rule_is_told_in_words_that_cannot_mislead(standing, words) -> None:
    assert standing_words(standing) == words
    assert "(0%)" not in words or standing.earned == 0 and standing.on_path > 0


def test_bars_tell_earned_missed_and_elsewhere_by_shape() -> None:
    assert rule_bar(RuleStanding("r", 1, 2, 4), 8) == "██░░····"
    assert rule_bar(RuleStanding("r", -3, 2, 4), 8) == "░░░░····"
    assert rule_bar(RuleStanding("r", 0, 0, 0), 8) == ""


def test_the_path_taken_offers_only_what_its_own_decisions_offered(long_library_dir) -> None:
    _library, attempt = _played(long_library_dir, "listen", "rush")
    standings = {s.rule: s for s in rule_standings(attempt)}
    # listening: 2 at the opening (towards the same scene) + 1 in the middle
    assert standings["listening"] == RuleStanding("listening", 0, 3, 3)
    # confidentiality is only earned on the branch of the advice not given
    assert standings["confidentiality"] == RuleStanding("confidentiality", -1, 0, 2)


async def test_the_debrief_shows_losses_and_other_paths_as_such(
    build_app, long_library_dir
) -> None:
    app = build_app(
        config=PlayConfig(library=long_library_dir, name="Sam", role="mentor", scenario="long-talk")
    )
    async with app.run_test(size=(100, 60)) as pilot:
        await pilot.pause()
        await choose(pilot, "listen")
        await pilot.press("enter")
        await choose(pilot, "rush")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DebriefScreen)
        text = screen_text(app)
        assert "█ earned   ░ on your path, not earned   · only on other paths" in text
        assert "···················· 1 point lost (2 points only on other paths)" in text
        assert "-1 of" not in text and "0 of 0" not in text


def test_the_plain_player_tells_the_rules_in_the_same_words(long_library_dir) -> None:
    library = _library(long_library_dir)
    out = io.StringIO()
    player = PlainPlayer(
        library,
        io.StringIO("listen\nrush\n"),
        out,
        progress=MemoryProgress(participant=Participant("p", "Sam", "mentor")),
        options=PlayConfig(library=long_library_dir, role="mentor", scenario="long-talk"),
    )
    assert player.run() == 0
    lines = out.getvalue().splitlines()
    start = lines.index("Debrief: A long talk")
    assert lines[start + 1] == "Result: 0% - not passed: below the pass mark of 70%"
    assert "  Active listening: 0 of 3 (0%)" in lines
    assert "  Confidentiality: 1 point lost (2 points only on other paths)" in lines


def test_badges_say_what_they_need_which_were_missed_and_what_to_replay(
    long_library_dir,
) -> None:
    library, attempt = _played(long_library_dir, "listen", "stay")
    result = attempt.result()
    lines = badge_lines(
        library.programme, library, badge_standings(["long-talk"], {"long-talk": result})
    )
    assert lines == [
        "Badges: 1 of 2",
        "A ground rule's badge needs 90% of the points that rule offers across your required "
        "scenarios (each scenario's best attempt counts).",
        "  Earned: Active listening (3 of 3 points, 100%)",
        "  Missed: Confidentiality: 0 of 2 points (0%), needs 2; replay A long talk to earn more",
    ]


async def test_the_completion_screen_explains_badges_and_hides_the_store(
    build_app, tmp_path
) -> None:
    from tests.tui.recording import recording_provider

    provider = recording_provider()
    app = build_app(progress=provider, name="Sam Taylor", role="mentor")
    app.skipped_surveys.update({"before", "after"})
    async with app.run_test(size=(80, 40)) as pilot:
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        await choose(pilot, "listen")
        await pilot.press("enter")
        await choose(pilot, "ask")
        await pilot.press("enter", "m", "enter")
        await pilot.pause()
        text = screen_text(app)
        assert "Badges: 2 of 2" in text
        assert "A ground rule's badge needs 90% of the points" in text
        assert "Earned: Active listening (3 of 3 points, 100%)" in text
        assert "sqlite" not in text and "Stored in" not in text
