"""The engine: attempts, scoring, debriefs and saved state."""

from __future__ import annotations

import json

import pytest

from mentorquest.engine import Engine, percent_of
from mentorquest.engine.attempt import PathError
from mentorquest.errors import ChoiceNotAvailable, StateMismatch, UsageError
from mentorquest.language import open_library
from tests.helpers import MISSED_SESSIONS, write_library


@pytest.fixture
def engine(tmp_path):
    return Engine(open_library(write_library(tmp_path / "lib")))


def play(engine, scenario, *choices):
    attempt = engine.start(scenario)
    for choice in choices:
        attempt.choose(choice)
    return attempt


def test_best_values_are_computed_per_rule_and_for_the_best_path(engine):
    analysis = engine.analysis("missed-sessions")
    # Best path: ask (+2 no-fault, +1 listening) then plan (+2 listening) = 5.
    assert analysis.best_total == 5
    assert analysis.best_by_rule == {"no-fault": 2, "listening": 3, "confidentiality": 0}


def test_best_path_scores_one_hundred_and_passes(engine):
    result = play(engine, "missed-sessions", "ask", "plan").result()
    assert (result.percent, result.passed, result.ending, result.ending_kind) == (
        100,
        True,
        "strong",
        "strong",
    )
    assert result.reason == "100% meets the pass mark of 70%"


def test_percent_uses_earned_over_best_total_and_floors_at_zero(engine):
    result = play(engine, "missed-sessions", "blame", "apologise", "reassure").result()
    # earned: -2 + 1 - 1 = -2 -> max(0, -2) / 5 = 0%
    assert result.percent == 0 and not result.passed
    assert {s.rule: (s.earned, s.best) for s in result.scores} == {
        "no-fault": (-1, 2),
        "listening": (-1, 3),
        "confidentiality": (0, 0),
    }


def test_critical_breach_fails_whatever_the_percent(engine):
    result = play(engine, "missed-sessions", "blame", "tell-tutor").result()
    assert result.critical == ("confidentiality",)
    assert not result.passed
    assert result.reason == "a serious breach of confidentiality"


def test_conditions_hide_choices(engine):
    attempt = play(engine, "missed-sessions", "blame", "apologise")
    # trust: 50 - 20 + 10 = 40 < 60, so the plan is not offered.
    assert [c.id for c in attempt.choices()] == ["reassure"]
    with pytest.raises(ChoiceNotAvailable) as caught:
        attempt.choose("plan")
    assert (
        str(caught.value) == "choice 'plan' is not available in scene 'warm'; available: 1 reassure"
    )


def test_choices_can_be_made_by_number(engine):
    attempt = engine.start("missed-sessions")
    outcome = attempt.choose(2)
    assert outcome.choice == "ask" and outcome.next_scene == "warm"
    assert outcome.scores == {"no-fault": 2, "listening": 1}


def test_variables_are_clamped_into_their_range(tmp_path):
    scenario = MISSED_SESSIONS.replace("add: {trust: 20}", "add: {trust: 500}")
    engine = Engine(open_library(write_library(tmp_path / "lib", {"missed-sessions": scenario})))
    attempt = engine.start("missed-sessions")
    attempt.choose("ask")
    assert attempt.variables["trust"] == 100
    assert attempt.meter() == ("trust", 100, 0, 100)


def test_debrief_names_the_better_alternative(engine):
    debrief = play(engine, "missed-sessions", "blame", "apologise", "reassure").debrief()
    first, second, third = debrief.entries
    assert (first.choice, first.was_best, first.better.id) == ("blame", False, "ask")
    assert (second.choice, second.was_best, second.better) == ("apologise", True, None)
    # Only 'reassure' was available there: it was the best that could be done.
    assert (third.choice, third.was_best) == ("reassure", True)
    assert first.feedback == "Blame puts her on the defensive."


def test_state_round_trips_through_json_and_resumes(engine):
    attempt = play(engine, "missed-sessions", "ask")
    saved = attempt.state.to_json()
    data = json.loads(saved)
    # What is saved is the path; the scene and the variables come from replaying it.
    assert data["save_format"] == 2
    assert [(s["scene"], s["choice"]) for s in data["path"]] == [("opening", "ask")]
    assert "scene" not in data and "variables" not in data
    assert data["content_hash"].startswith("sha256:")
    resumed = engine.restore(saved)
    assert (resumed.scene_id, resumed.variables) == ("warm", {"trust": 70})
    resumed.choose("plan")
    assert resumed.result().percent == 100


def test_restoring_against_a_changed_scenario_is_detected(tmp_path):
    first = Engine(open_library(write_library(tmp_path / "a")))
    saved = play(first, "missed-sessions", "ask").state.to_json()
    changed = MISSED_SESSIONS.replace("Ask how she is.", "Ask how she is doing.")
    second = Engine(open_library(write_library(tmp_path / "b", {"missed-sessions": changed})))
    with pytest.raises(StateMismatch) as caught:
        second.restore(saved)
    assert "has changed since this attempt was saved" in str(caught.value)


def test_a_newer_save_format_is_refused(engine):
    data = json.loads(engine.start("missed-sessions").state.to_json())
    data["save_format"] = 99
    with pytest.raises(StateMismatch) as caught:
        engine.restore(json.dumps(data))
    assert "save format 99" in str(caught.value)


def test_garbage_state_is_reported_not_raised_raw(engine):
    with pytest.raises(StateMismatch):
        engine.restore("{not json")


def test_practice_attempts_start_anywhere_and_are_marked(engine):
    attempt = engine.start("missed-sessions", scene="warm", variables={"trust": 80})
    assert attempt.state.practice
    attempt.choose("plan")
    result = attempt.result()
    assert result.practice and result.ending == "strong"


def test_unknown_scene_or_variable_for_practice_is_a_usage_error(engine):
    with pytest.raises(UsageError, match="no scene 'wram' \\(did you mean 'warm'\\?\\)"):
        engine.start("missed-sessions", scene="wram")
    with pytest.raises(UsageError, match="no variable 'trsut'"):
        engine.start("missed-sessions", variables={"trsut": 1})


LOOPING = """\
format: 1
id: loop
title: Loop
roles: [mentor]
start: hub
scenes:
  hub:
    text: Hub.
    choices:
      - {id: listen, text: Listen, goto: hub, scores: {listening: 2}, feedback: f}
      - {id: leave, text: Leave, goto: end, scores: {no-fault: 1}, feedback: f}
  end: {text: End., ending: strong}
"""


def test_scores_count_only_the_first_time_a_choice_is_taken(tmp_path):
    engine = Engine(open_library(write_library(tmp_path / "lib", {"loop": LOOPING})))
    assert engine.analysis("loop").best_total == 3
    attempt = play(engine, "loop", "listen", "listen", "listen", "leave")
    assert attempt.now.scores == {"listening": 2, "no-fault": 1}
    assert attempt.result().percent == 100
    assert attempt.debrief().entries[1].scores == {}


@pytest.mark.parametrize(
    "earned, best, percent",
    [
        (0, 5, 0),
        (-3, 5, 0),
        (5, 5, 100),
        (1, 3, 33),
        (2, 3, 67),
        (1, 8, 13),
        (1, 200, 1),
        (1, 201, 0),
    ],
)
def test_percent_rounds_half_up(earned, best, percent):
    assert percent_of(earned, best) == percent


# --- content hashes: what the author wrote ---------------------------------------------------


def test_a_saved_attempt_resumes_after_the_format_gains_an_optional_field(tmp_path, monkeypatch):
    """A release that adds an optional field to the format keeps saved attempts resumable:
    the content hash covers what the author wrote, not the defaults the code fills in."""
    import dataclasses

    from mentorquest.language import format as scenario_format
    from mentorquest.language import validator
    from mentorquest.language.loader import open_library as check_and_open

    root = write_library(tmp_path / "lib")
    attempt = Engine(check_and_open(root)).start("missed-sessions")
    attempt.choose("ask")
    saved = attempt.state.to_json()

    # The next release: scenes gain an optional, display-only `mood`.
    newer_scene = dataclasses.make_dataclass(
        "Scene",
        [("mood", "str | None", dataclasses.field(default=None))],
        bases=(scenario_format.Scene,),
        frozen=True,
        kw_only=True,
        namespace={"__module__": scenario_format.__name__},
    )
    monkeypatch.setattr(scenario_format, "Scene", newer_scene)
    validator.adapter.cache_clear()
    try:
        library = check_and_open(root)
        assert type(library.scenarios["missed-sessions"].scenes["warm"]) is newer_scene
        resumed = Engine(library).restore(saved)
    finally:
        monkeypatch.undo()
        validator.adapter.cache_clear()
    assert resumed.scene_id == "warm"
    assert resumed.variables == attempt.variables


def test_an_attempt_saved_by_mentorquest_0_1_resumes(tmp_path):
    """0.1 hashed the scenario with defaults filled in; its saves carry that hash."""
    import dataclasses

    from mentorquest.engine import AttemptState

    library = open_library(write_library(tmp_path / "lib"))
    state = Engine(library).start("missed-sessions").state
    old = dataclasses.replace(
        state,
        content_hash="sha256:dbf7b3a278bfee1c7cf5134cb53ca6fd2634bf78593eb3613177719ad4d7d384",
    )
    resumed = Engine(library).restore(AttemptState.from_json(old.to_json()))
    assert resumed.state.content_hash == library.content_hash("missed-sessions")


# --- an attempt is its path: nothing else saved is trusted ----------------------------------


def saved_with(engine, *choices, **changes):
    data = json.loads(play(engine, "missed-sessions", *choices).state.to_json())
    data.update(changes)
    return json.dumps(data)


def test_every_decision_is_kept_with_its_time(engine):
    attempt = play(engine, "missed-sessions", "ask", "plan")
    times = [step.at for step in attempt.state.path]
    assert all(t is not None and t.endswith("Z") for t in times)
    assert times == sorted(times)
    assert attempt.state.finished_at == times[-1]


def test_a_resumed_attempt_is_where_its_path_leads(engine):
    resumed = engine.restore(saved_with(engine, "blame"))
    assert resumed.scene_id == "cold"
    assert resumed.variables == {"trust": 30}
    assert resumed.result().scores[0].earned == -2  # no-fault, from replaying "blame"


@pytest.mark.parametrize(
    ("path", "named"),
    [
        ([{"scene": "opening", "choice": "flatter"}], "choice 'flatter' is not available"),
        ([{"scene": "warm", "choice": "plan"}], "was made in scene 'warm'"),
        # 'plan' needs trust >= 60; after 'blame' and 'apologise' trust is 40.
        (
            [
                {"scene": "opening", "choice": "blame"},
                {"scene": "cold", "choice": "apologise"},
                {"scene": "warm", "choice": "plan"},
            ],
            "choice 'plan' is not available in scene 'warm'",
        ),
        (
            [
                {"scene": "opening", "choice": "ask"},
                {"scene": "warm", "choice": "reassure"},
                {"scene": "mixed", "choice": "anything"},
            ],
            "comes after the ending",
        ),
        (
            [
                {"scene": "opening", "choice": "ask", "at": "2024-05-01T09:00:10Z"},
                {"scene": "warm", "choice": "plan", "at": "2024-05-01T09:00:05Z"},
            ],
            "timed before what came before it",
        ),
    ],
)
def test_a_path_that_does_not_replay_is_refused(engine, path, named):
    text = saved_with(engine, started_at="2024-05-01T09:00:00Z", path=path)
    with pytest.raises(PathError, match="the saved attempt does not replay") as caught:
        engine.restore(text)
    assert named in str(caught.value)


def test_an_attempt_that_counts_cannot_start_elsewhere(engine):
    # A forged save that "starts" at the strong ending, or with trust raised.
    for changes in ({"origin_scene": "strong"}, {"origin_variables": {"trust": 100}}):
        with pytest.raises(PathError, match="does not begin at the scenario's start"):
            engine.restore(saved_with(engine, **changes))


def test_saved_scores_and_scenes_are_not_read_at_all(engine):
    """The forgery of issue 10: a save of format 1 claiming the strong ending and full
    scores with an empty path resumes at the start, with nothing earned."""
    forged = {
        "save_format": 1,
        "attempt_id": "00000000-0000-4000-8000-000000000009",
        "scenario_id": "missed-sessions",
        "content_hash": engine.content_hash("missed-sessions"),
        "started_at": "2024-05-01T09:00:00Z",
        "origin_scene": "opening",
        "origin_variables": {"trust": 50},
        "scene": "strong",
        "variables": {"trust": 100},
        "visited": ["opening", "strong"],
        "path": [],
        "scores": {"no-fault": 3, "listening": 3, "confidentiality": 3},
        "critical": [],
    }
    resumed = engine.restore(json.dumps(forged))
    assert resumed.scene_id == "opening" and not resumed.finished
    assert resumed.result().percent == 0 and not resumed.result().passed


def test_a_path_saved_by_mentorquest_0_1_replays(engine):
    old = {
        "save_format": 1,
        "attempt_id": "00000000-0000-4000-8000-000000000009",
        "scenario_id": "missed-sessions",
        "content_hash": engine.content_hash("missed-sessions"),
        "started_at": "2024-05-01T09:00:00Z",
        "origin_scene": "opening",
        "origin_variables": {"trust": 50},
        "scene": "warm",
        "variables": {"trust": 70},
        "visited": ["opening", "warm"],
        "path": [{"scene": "opening", "choice": "ask"}],
        "scores": {"no-fault": 2, "listening": 1},
        "critical": [],
    }
    resumed = engine.restore(json.dumps(old))
    assert resumed.scene_id == "warm" and resumed.state.path[0].at is None
    resumed.choose("plan")
    assert resumed.result().passed


def test_choices_shown_in_an_order_of_the_attempts_own(engine):
    orders = set()
    for seed in range(40):
        attempt = engine.start("missed-sessions", seed=seed)
        orders.add(tuple(c.id for c in attempt.choices()))
        # The same attempt shows the same order every time, and after a resume.
        assert tuple(c.id for c in attempt.choices()) == tuple(
            c.id for c in engine.restore(attempt.state.to_json()).choices()
        )
    assert orders == {("blame", "ask"), ("ask", "blame")}
    # A number refers to what is shown; replaying does not depend on the order.
    attempt = engine.start(
        "missed-sessions",
        seed=next(
            s for s in range(40) if engine.start("missed-sessions", seed=s).choices()[0].id == "ask"
        ),
    )
    attempt.choose(1)
    assert attempt.state.path[0].choice == "ask"
    assert engine.start("missed-sessions").choices()[0].id == "blame"  # no seed: as written


def test_a_scene_in_fixed_order_keeps_it(tmp_path):
    fixed = MISSED_SESSIONS.replace(
        "    speaker: Narrator\n", "    speaker: Narrator\n    order: fixed\n"
    )
    engine = Engine(open_library(write_library(tmp_path / "lib", {"missed-sessions": fixed})))
    assert {
        tuple(c.id for c in engine.start("missed-sessions", seed=s).choices()) for s in range(40)
    } == {("blame", "ask")}
