"""`mentorquest explore`: a scenario counted whole on its state graph, or played at random."""

from __future__ import annotations

import json

import pytest

from mentorquest.engine import Engine
from mentorquest.language.loader import open_library
from mentorquest.toolkit.explore import graph_of, playthroughs
from tests.helpers import write_library
from tests.toolkit.helpers import library, mq, no_traceback


def chain(decisions: int, width: int) -> str:
    """A scenario of `decisions` scenes in a row, each with `width` choices to the next."""
    lines = [
        "format: 1",
        "id: chain",
        "title: Chain",
        "roles: [mentor]",
        "start: d0",
        "scenes:",
    ]
    for d in range(decisions):
        nxt = f"d{d + 1}" if d + 1 < decisions else "end"
        lines += [f"  d{d}:", "    text: A decision.", "    choices:"]
        for c in range(width):
            lines.append(
                f"      - {{id: c{c}, text: Choice {c}., goto: {nxt}, "
                f"scores: {{listening: {c - 1}}}, feedback: Why.}}"
            )
    lines += ["  end: {text: The end., ending: strong}"]
    return "\n".join(lines) + "\n"


def test_explore_json_counts_every_path_and_names_what_a_trainer_must_see(tmp_path):
    root = write_library(tmp_path / "lib")
    ran = mq("explore", "--library", root, "missed-sessions", "--json")
    assert ran.code == 0, ran.err
    assert json.loads(ran.out) == {
        "scenario": "missed-sessions",
        "title": "The missed sessions",
        "states": 8,
        "paths": 4,
        "dead_end_paths": 0,
        "loops": [],
        "pass_mark": 70,
        "best_total": 5,
        "worst_total": -5,
        "worst_percent": 0,
        "endings": [
            {
                "scene": "strong",
                "kind": "strong",
                "paths": 1,
                "best_percent": 100,
                "worst_percent": 100,
            },
            {"scene": "mixed", "kind": "mixed", "paths": 2, "best_percent": 40, "worst_percent": 0},
            {"scene": "breach", "kind": "poor", "paths": 1, "best_percent": 0, "worst_percent": 0},
        ],
        "rules": {
            "no-fault": {"best": 2, "worst": -2},
            "listening": {"best": 3, "worst": -1},
            "confidentiality": {"best": 0, "worst": -3},
        },
        "off_best_path": [
            {"scene": "opening", "choice": "blame"},
            {"scene": "cold", "choice": "tell-tutor"},
            {"scene": "cold", "choice": "apologise"},
            {"scene": "warm", "choice": "reassure"},
        ],
        "never_available": [],
        "after_breach_only": ["breach"],
        "all_negative": [{"scene": "warm", "states": 1, "of": 2, "when": "when trust=40"}],
    }


def test_explore_text_reads_as_a_report(tmp_path):
    root = write_library(tmp_path / "lib")
    ran = mq("explore", "--library", root, "missed-sessions")
    assert ran.code == 0
    lines = ran.out.splitlines()
    assert lines[:4] == [
        "Scenario missed-sessions: The missed sessions",
        "Reachable states: 8",
        "Complete paths (start to an ending): 4",
        "Total score: best 5, worst -5 (0%); pass mark 70%",
    ]
    assert "  breach  poor    1 path(s)  0%..0%" in lines
    assert "Scenes reached only after a critical breach:" in lines
    assert "  warm: in 1 of 2 states, e.g. when trust=40" in lines


def test_path_counts_are_exact_big_integers_not_enumerated(tmp_path):
    # 40 decisions of 5 choices: 5**40 paths, far too many to enumerate.
    root = library(tmp_path / "lib", {"chain.yaml": chain(40, 5)})
    ran = mq("explore", "--library", root, "chain", "--json")
    found = json.loads(ran.out)
    assert found["paths"] == 5**40
    assert found["endings"] == [
        {"scene": "end", "kind": "strong", "paths": 5**40, "best_percent": 100, "worst_percent": 0}
    ]
    assert found["rules"] == {"listening": {"best": 120, "worst": -40}}
    assert found["all_negative"] == []
    assert {"scene": "d0", "choice": "c0"} in found["off_best_path"]


def test_a_loop_means_infinitely_many_paths_and_everything_else_still_exact(tmp_path):
    text = """\
format: 1
id: loop
title: Loop
roles: [mentor]
start: hub
scenes:
  hub:
    text: Where now?
    choices:
      - {id: wander, text: Wander., goto: side, feedback: Hm.}
      - {id: finish, text: Finish., goto: done, scores: {listening: 2}, feedback: Good.}
      - {id: quit, text: Quit., goto: bad, scores: {listening: -1}, feedback: No.}
  side:
    text: A side room.
    choices:
      - {id: back, text: Back., goto: hub, feedback: Back.}
  done: {text: Done., ending: strong}
  bad: {text: Bad., ending: poor}
"""
    root = library(tmp_path / "lib", {"loop.yaml": text})
    found = json.loads(mq("explore", "--library", root, "loop", "--json").out)
    assert found["paths"] is None
    assert found["loops"] == ["hub", "side"]
    assert [(e["scene"], e["paths"]) for e in found["endings"]] == [("done", None), ("bad", None)]
    assert found["rules"] == {"listening": {"best": 2, "worst": -1}}
    text_out = mq("explore", "--library", root, "loop").out
    assert "Complete paths (start to an ending): infinitely many" in text_out


def test_random_playthroughs_are_the_same_for_the_same_seed(tmp_path):
    root = write_library(tmp_path / "lib")
    args = ("explore", "--library", root, "missed-sessions", "--random", "300", "--json")
    first = mq(*args, "--seed", "11")
    again = mq(*args, "--seed", "11")
    other = mq(*args, "--seed", "12")
    assert first.code == 0
    assert first.out == again.out
    assert first.out != other.out
    found = json.loads(first.out)
    assert found["runs"] == 300 and found["finished"] == 300
    assert sum(found["percents"].values()) == 300
    assert set(found["percents"]) <= {"0", "40", "100"}
    assert found["passed"] == found["percents"].get("100", 0)
    assert found["pass_rate"] == round(found["passed"] / 300, 4)
    assert set(found["endings"]) == {"strong", "mixed", "breach"}
    assert found["never_taken"] == []


def test_random_reports_choices_never_taken(tmp_path):
    root = library(tmp_path / "lib", {"chain.yaml": chain(3, 4)})
    found = json.loads(
        mq("explore", "--library", root, "chain", "--random", "1", "--seed", "5", "--json").out
    )
    assert len(found["never_taken"]) == 9  # one run takes 3 of the 12 choices
    assert all(item["available"] for item in found["never_taken"])


def test_each_random_playthrough_is_what_the_engine_gives_for_its_path(tmp_path):
    root = write_library(tmp_path / "lib")
    lib = open_library(root)
    engine = Engine(lib)
    analysis = graph_of(lib, "missed-sessions")
    for run in playthroughs(analysis, lib.pass_mark("missed-sessions"), 50, seed=3):
        attempt = engine.start("missed-sessions")
        for step in run.path:
            assert attempt.scene_id == step.scene
            attempt.choose(step.choice)
        result = attempt.result()
        assert (result.ending, result.percent, result.passed, result.critical) == (
            run.ending,
            run.percent,
            run.passed,
            run.critical,
        )


@pytest.mark.parametrize(
    "args, code, message",
    [
        (
            ("explore", "missed-session"),
            2,
            "no scenario 'missed-session' in this library (did you mean 'missed-sessions'?)",
        ),
        (("explore", "missed-sessions", "--random", "0"), 2, "Invalid value for '--random'"),
        (
            ("explore", "missed-sessions", "--random", "3", "--seed", "x"),
            2,
            "Invalid value for '--seed'",
        ),
    ],
)
def test_explore_refuses_clearly(tmp_path, args, code, message):
    root = write_library(tmp_path / "lib")
    ran = mq(args[0], "--library", root, *args[1:])
    no_traceback(ran)
    assert ran.code == code
    assert message in ran.err


def test_explore_on_a_broken_library_says_to_validate(tmp_path):
    root = write_library(tmp_path / "lib")
    (root / "speaking-up.yaml").write_text("format: 1\nid: speaking-up\n", encoding="utf-8")
    ran = mq("explore", "--library", root, "missed-sessions")
    no_traceback(ran)
    assert ran.code == 2
    assert "run 'mentorquest validate" in ran.err


def test_a_seed_without_random_is_refused(tmp_path):
    root = write_library(tmp_path / "lib")
    ran = mq("explore", "--library", root, "--seed", "3", "missed-sessions")
    assert ran.code == 2
    assert ran.err.strip() == (
        "mentorquest: error: --seed is the seed of --random N; give --random N with it"
    )


# --- what explore says in every case (the reviewer's bug 15) ------------------------------

STUCK = """\
format: 1
id: stuck
title: Stuck
roles: [mentor]
start: a
scenes:
  a:
    text: A.
    choices:
      - {id: go, text: Go on., goto: b, feedback: Yes., scores: {listening: 1}}
      - {id: again, text: Again., goto: a, feedback: Round.}
      - {id: stall, text: Stall., goto: c, feedback: Hm.}
  b: {text: B., ending: strong}
  c:
    text: C.
    choices:
      - {id: never, text: Never., goto: b, feedback: No., if: visited(b)}
  island: {text: Never reached., ending: poor}
"""


def test_explore_names_dead_ends_and_unreachable_endings_even_past_a_loop(tmp_path):
    root = library(tmp_path / "lib", {"stuck.yaml": STUCK})
    lines = mq("explore", "--library", root, "stuck").out.splitlines()
    assert "Paths that stop at a dead end: infinitely many" in lines
    assert lines[lines.index("Endings (paths, percent range):") + 1 :][:2] == [
        "  b       strong  infinitely many path(s)  100%..100%",
        "  island  poor    0 path(s)  (cannot be reached)",
    ]
    found = json.loads(mq("explore", "--library", root, "--json", "stuck").out)
    assert found["dead_end_paths"] is None
    assert found["endings"][-1] == {
        "scene": "island",
        "kind": "poor",
        "paths": 0,
        "best_percent": None,
        "worst_percent": None,
    }


def test_random_runs_with_none_finished_say_so(tmp_path):
    root = library(
        tmp_path / "lib",
        {
            "stuck.yaml": STUCK.replace(
                "      - {id: again, text: Again., goto: a, feedback: Round.}\n", ""
            )
        },
    )
    played = json.loads(
        mq("explore", "--library", root, "--json", "--random", "1", "--seed", "0", "stuck").out
    )
    assert (played["finished"], played["percent"], played["endings"]) == (0, None, {})
    lines = mq("explore", "--library", root, "--random", "1", "--seed", "0", "stuck").out
    assert "Endings reached: none" in lines.splitlines()


def test_an_error_is_at_the_same_place_however_the_library_was_opened(tmp_path):
    text = STUCK.replace("goto: b, feedback: Yes.", "goto: c, feedback: Yes.").replace(
        "goto: b, feedback: No.", "goto: c, feedback: No."
    )
    root = library(tmp_path / "lib", {"stuck.yaml": text})
    first = mq("explore", "--library", root, "stuck")  # reads the files, writes the cache
    second = mq("explore", "--library", root, "--random", "5", "stuck")  # from the cache
    where = f"  {root}/stuck.yaml:5:8: error: no ending can be reached from start scene 'a'"
    assert where in first.err.splitlines()
    assert where in second.err.splitlines()
