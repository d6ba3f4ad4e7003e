"""`mentorquest checkin`: the midpoint and close-out questions, asked after onboarding."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from mentorquest.players.checkin import run_checkin_plain
from mentorquest.players.config import PlayConfig
from mentorquest.store import open_store
from tests.store.helpers import play_plain, run_cli
from tests.store.library import MENTOR_FULL_RUN


def checkin(library_dir: Path, url: str, stage: str, lines: list[str], **fields) -> tuple[int, str]:
    config = PlayConfig(library=library_dir, db_url=url, **fields)
    out = io.StringIO()
    code = run_checkin_plain(config, stage, io.StringIO("".join(f"{x}\n" for x in lines)), out)
    return code, out.getvalue()


@pytest.fixture
def completed(library_dir, any_url):
    """A store (SQLite and PostgreSQL) where Ada completed onboarding."""
    code, _ = play_plain(library_dir, any_url, MENTOR_FULL_RUN)
    assert code == 0
    with open_store(any_url) as store:
        assert store.latest_record("p-1", "pilot") is not None
    return any_url


def test_a_midpoint_checkin_saves_its_answers_beside_the_onboarding_ones(library_dir, completed):
    code, out = checkin(library_dir, completed, "midpoint", ["1", "5", "Our monthly calls"])
    assert code == 0, out
    assert "Pilot programme: midpoint check-in" in out
    assert "1. Ada Lovelace (mentor)" in out
    assert "(p-1" not in out  # listed by name and role, never by id (often an email)
    assert "Thank you, Ada Lovelace. Your answers are saved." in out
    with open_store(completed) as store:
        answers = store.survey_answers("p-1", "pilot")
    assert answers[("before", "confidence")] == 4  # the onboarding answer is kept
    assert answers[("midpoint", "confidence")] == 5
    assert answers[("midpoint", "going-well")] == "Our monthly calls"


def test_a_checkin_already_answered_asks_nothing_again(library_dir, completed):
    checkin(library_dir, completed, "closeout", ["5", "To ask, not assume"], participant="p-1")
    code, out = checkin(library_dir, completed, "closeout", [], participant="p-1")
    assert code == 0
    assert "you answered the close-out check-in on 20" in out
    assert "Nothing more to ask." in out


def test_an_answer_left_half_way_is_kept_and_the_rest_asked_next_time(library_dir, completed):
    code, out = checkin(library_dir, completed, "closeout", ["2"], participant="p-1")
    assert code == 0 and "Input ended. Your progress is saved" in out
    code, out = checkin(library_dir, completed, "closeout", ["Patience"], participant="p-1")
    assert code == 0 and "How confident are you at the end" not in out
    with open_store(completed) as store:
        answers = store.survey_answers("p-1", "pilot")
    assert (answers[("closeout", "confidence")], answers[("closeout", "learnt")]) == (2, "Patience")


def test_someone_who_has_not_completed_onboarding_is_told_so(library_dir, cohort):
    result = run_cli(
        "checkin",
        "--stage",
        "midpoint",
        "--plain",
        "--library",
        str(library_dir),
        "--db",
        cohort,
        "--participant",
        "q-3",
    )
    assert result.returncode == 1
    assert result.stderr.strip() == (
        "mentorquest: error: 'q-3' has not completed onboarding of 'pilot' in this store, so "
        "there is no check-in to answer yet: finish onboarding first (mentorquest play), or "
        "give the --db where it was completed"
    )
    with open_store(cohort) as store:
        assert ("midpoint", "confidence") not in store.survey_answers("q-3", "pilot")


def test_a_stage_the_programme_does_not_ask_is_refused_naming_the_setting(tmp_path):
    from tests.helpers import write_library

    root = write_library(tmp_path / "lib")
    result = run_cli(
        "checkin", "--stage", "closeout", "--plain", "--library", str(root), "--db",
        f"sqlite:///{tmp_path / 's.db'}",
    )  # fmt: skip
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "mentorquest: error: the programme 'test-programme' asks no closeout questions: add "
        "them to programme.yaml under survey: closeout:"
    )


def test_an_unknown_stage_is_a_usage_error(library_dir, cohort):
    result = run_cli("checkin", "--stage", "later", "--db", cohort, "--library", str(library_dir))
    assert result.returncode == 2
    assert "Invalid value for '--stage'" in result.stderr and "Traceback" not in result.stderr


async def test_the_textual_checkin_asks_on_the_survey_screen_and_saves(
    tmp_path, library_dir, cohort
):
    from mentorquest.language.loader import open_library
    from mentorquest.players.checkin import Checkin
    from mentorquest.players.stored import StoreProvider
    from mentorquest.tui.checkin import ThanksScreen, WhoScreen, make_checkin_app
    from mentorquest.tui.screens.survey import SurveyScreen
    from tests.tui.appsetup import fixed_options
    from tests.tui.screen_text import screen_text

    library = open_library(library_dir)
    with open_store(cohort) as store:
        app = make_checkin_app(
            PlayConfig(library=library_dir, db_url=cohort),
            StoreProvider(store, library),
            library,
            Checkin(store, library, "midpoint"),
            options=fixed_options(tmp_path),
        )
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, WhoScreen)
            text = screen_text(app)
            # Only those who completed onboarding: Ada and the mentee m-2, not Quinn; by
            # name and role, never by id (ids are often email addresses).
            assert "Ada Lovelace (mentor)" in text and "Quinn" not in text
            assert "p-1" not in text
            names = [p.id for p in app.screen.people]
            await pilot.press(*["down"] * names.index("p-1"), "enter")
            await pilot.pause()
            assert isinstance(app.screen, SurveyScreen) and app.screen.part == "midpoint"
            assert "Midpoint check-in" in screen_text(app)
            await pilot.press("3", "tab", *"Trust", "ctrl+n")
            await pilot.pause()
            assert isinstance(app.screen, ThanksScreen)
            assert "Thank you, Ada Lovelace. Your answers are saved." in screen_text(app)
            await pilot.press("enter")
        answers = store.survey_answers("p-1", "pilot")
    assert answers[("midpoint", "confidence")] == 3
    assert answers[("midpoint", "going-well")] == "Trust"
    assert answers[("before", "confidence")] == 4


def test_the_picker_takes_an_id_that_looks_like_a_number_as_the_id(library_dir, sqlite_url):
    # "1" is Bea's id; typed, it is Bea, not the first in the list (Ada, by name).
    for who in (["1", "Bea One", "", "1"], ["p-1", "Ada Lovelace", "", "1"]):
        run = [*who, "4", "", "good", "keep", "listen", "x"]
        assert play_plain(library_dir, sqlite_url, run)[0] == 0
    code, out = checkin(library_dir, sqlite_url, "midpoint", ["1", "5", "Calls"])
    assert code == 0, out
    assert "1. Ada Lovelace (mentor)" in out
    assert "Thank you, Bea One. Your answers are saved." in out


def test_the_picker_asks_again_after_an_unknown_id(library_dir, completed):
    code, out = checkin(library_dir, completed, "midpoint", ["nobody", "p-1", "5", "Calls"])
    assert code == 0, out
    assert (
        "'nobody' has not completed onboarding of this programme here; check the id and type "
        "it again"
    ) in out
    assert "Thank you, Ada Lovelace. Your answers are saved." in out


def test_a_long_list_is_not_shown_only_an_id_is_asked(library_dir, completed, monkeypatch):
    from mentorquest.players import checkin as module

    monkeypatch.setattr(module, "PICKER_LIMIT", 0)
    code, out = checkin(library_dir, completed, "midpoint", ["1", "p-1", "5", "Calls"])
    assert code == 0, out
    assert "Who is checking in? Type your participant id." in out
    # No one's name is shown to whoever comes.
    assert "1. Ada Lovelace" not in out and "Type a number" not in out
    assert "'1' has not completed onboarding" in out
