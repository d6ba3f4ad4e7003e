"""State-space analysis: large scenarios, meters that do not multiply states, the state bound."""

from __future__ import annotations

from mentorquest.engine import Engine
from mentorquest.engine.analysis import STATE_LIMIT
from mentorquest.engine.validation import validate_library
from mentorquest.language import open_library
from tests.helpers import PROGRAMME, write_library


def chain(scenes: int, with_condition: bool = False) -> str:
    lines = [
        "format: 1",
        "id: long",
        "title: Long",
        "roles: [mentor]",
        "variables:",
        "  trust: 50",
        "meter: trust",
        "start: s0",
        "scenes:",
    ]
    for i in range(scenes):
        lines += [f"  s{i}:", f"    text: Scene {i}."]
        if i == scenes - 1:
            lines.append("    ending: strong")
            continue
        lines += [
            "    choices:",
            f"      - {{id: good, text: Good, goto: s{i + 1}, add: {{trust: 3}}, scores: {{listening: 1}}, feedback: f}}",
            f"      - {{id: poor, text: Poor, goto: s{i + 1}, add: {{trust: -7}}, scores: {{listening: -1}}, feedback: f}}",
        ]
    return "\n".join(lines) + "\n"


def test_two_thousand_scenes_without_loops_score_exactly(tmp_path):
    engine = Engine(open_library(write_library(tmp_path / "lib", {"long": chain(2000)})))
    analysis = engine.analysis("long")
    assert analysis.best_total == 1999
    # The meter is never read by a condition, so it does not multiply the states.
    assert analysis.state_count == 2000


def test_a_state_space_over_the_bound_is_a_validation_error(tmp_path):
    scenario = """\
format: 1
id: huge
title: Huge
roles: [mentor]
variables:
  a: {start: 0, min: 0, max: 1200}
  b: {start: 0, min: 0, max: 1200}
start: hub
scenes:
  hub:
    text: Hub.
    choices:
      - {id: up-a, text: A, goto: hub, add: {a: 1}, if: a < 1200, feedback: f}
      - {id: up-b, text: B, goto: hub, add: {b: 1}, if: b < 1200, feedback: f}
      - {id: done, text: Done, goto: end, scores: {listening: 1}, feedback: f}
  end: {text: End., ending: strong}
"""
    root = write_library(
        tmp_path / "lib",
        {"huge": scenario},
        PROGRAMME.replace(
            "  mentor: [missed-sessions]\n  mentee: [speaking-up]\n", "  mentor: [huge]\n"
        ),
    )
    report = validate_library(root, display_root="")
    [error] = [str(d) for d in report.diagnostics if d.is_error]
    # It points at a variable that multiplies the states, and names each one.
    position, _, message = error.partition(": error: ")
    assert position in ("huge.yaml:6:3", "huge.yaml:7:3")
    assert message.startswith(
        f"scenario 'huge' has more than {STATE_LIMIT:,} reachable states; they multiply through "
    )
    assert "variable 'a' (" in message and "variable 'b' (" in message
    assert message.endswith(": narrow the ranges of the variables its conditions read")


def test_scored_choices_on_a_loop_are_named_as_the_cause(tmp_path):
    questions = "\n".join(
        f"      - {{id: q{i}, text: Question {i}., goto: hub, scores: {{listening: 1}}, feedback: f}}"
        for i in range(21)
    )
    scenario = f"""\
format: 1
id: huge
title: Huge
roles: [mentor]
start: hub
scenes:
  hub:
    text: Ask anything.
    choices:
{questions}
      - {{id: done, text: Done., goto: end, feedback: f}}
  end: {{text: End., ending: strong}}
"""
    root = write_library(
        tmp_path / "lib",
        {"huge": scenario},
        PROGRAMME.replace(
            "  mentor: [missed-sessions]\n  mentee: [speaking-up]\n", "  mentor: [huge]\n"
        ),
    )
    report = validate_library(root, display_root="")
    [error] = [str(d) for d in report.diagnostics if d.is_error]
    assert error.startswith("huge.yaml:7:3: error: scenario 'huge' has more than")
    assert "21 scored choices on a loop in scene 'hub' (each taken or not)" in error
    assert error.endswith("score fewer choices on the loop, or take the loop out")


BREACH_EARNS_MORE = """\
format: 1
id: breach
title: Breach
roles: [mentor]
start: s0
scenes:
  s0:
    text: Scene 0.
    choices:
      - {id: keep, text: Keep it, goto: end, feedback: f, scores: {listening: 1}}
      - {id: tell, text: Tell, goto: end, feedback: f, scores: {listening: 2}, critical: listening}
  end:
    text: The end.
    ending: strong
"""


def test_an_attempt_that_breaches_never_earns_above_a_rules_best(tmp_path):
    # The percent and a clean attempt's rules are measured against the best path without a
    # breach (1 point: "1 of 1", never "1 of 2"); an attempt that breaches, against the
    # most each rule earns on any path, so its 2 points are not "2 of 1".
    engine = Engine(open_library(write_library(tmp_path / "lib", {"breach": BREACH_EARNS_MORE})))
    assert engine.analysis("breach").best_total == 1
    clean = engine.start("breach")
    clean.choose("keep")
    kept = clean.result()
    assert kept.passed and kept.percent == 100
    assert [(s.earned, s.best) for s in kept.scores if s.rule == "listening"] == [(1, 1)]
    attempt = engine.start("breach")
    attempt.choose("tell")
    result = attempt.result()
    assert not result.passed
    assert [(s.earned, s.best) for s in result.scores if s.rule == "listening"] == [(2, 2)]
    assert 0 <= result.percent <= 100
