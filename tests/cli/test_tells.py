"""`validate` warns about tells: a best choice given away by its length, and a reachable
scene where every choice on offer scores below zero (issue 12)."""

from __future__ import annotations

from tests.helpers import run_cli, write_library


def _scenario(decisions: list[tuple[str, str]]) -> str:
    """A chain of decisions; each is (the good choice's text, the poor choice's text)."""
    lines = [
        "format: 1",
        "id: chain",
        "title: A chain of decisions",
        "roles: [mentor]",
        "start: d0",
        "scenes:",
    ]
    for n, (good, poor) in enumerate(decisions):
        after = f"d{n + 1}" if n + 1 < len(decisions) else "end"
        lines += [
            f"  d{n}:",
            f"    text: Decision {n}.",
            "    choices:",
            f"      - {{id: good-{n}, text: {good}, goto: {after}, scores: {{listening: 1}}, feedback: Yes.}}",
            f"      - {{id: poor-{n}, text: {poor}, goto: {after}, scores: {{listening: -1}}, feedback: No.}}",
        ]
    lines += ["  end: {text: The end., ending: strong}", ""]
    return "\n".join(lines)


LONG = "Ask her what she would like from the session and listen"
SHORT = "Tell her"


def _validate(tmp_path, text: str) -> tuple[int, list[str]]:
    """The exit code, and the lines about the scenario under test."""
    write_library(tmp_path / "lib", {"chain": text})
    done = run_cli("validate", "lib", cwd=tmp_path)
    return done.returncode, [line for line in done.stdout.splitlines() if "chain.yaml" in line]


def test_best_choice_longest_in_most_decisions_is_a_warning_with_the_scenarios_line(tmp_path):
    code, lines = _validate(tmp_path, _scenario([(LONG, SHORT), (LONG, SHORT), (SHORT, LONG)]))
    assert code == 0  # a warning, not an error
    assert lines == [
        "lib/chain.yaml:2:5: warning: the best choice is the longest in 2 of 3 decisions: a "
        "player can pass by picking the longest; vary the lengths (a good answer can be "
        "short, a tempting wrong one long)"
    ]


def test_half_of_the_decisions_is_not_a_tell(tmp_path):
    code, lines = _validate(tmp_path, _scenario([(LONG, SHORT), (SHORT, LONG)]))
    assert (code, lines) == (0, [])


def test_a_tie_for_longest_counts_as_a_tell(tmp_path):
    text = _scenario([(LONG, LONG.upper()), (LONG, SHORT), (SHORT, LONG)]).replace(
        "goto: d1, scores: {listening: -1}, feedback: No.}",
        "goto: d1, scores: {listening: -1}, feedback: No.}\n"
        "      - {id: short-0, text: Wait, goto: d1, scores: {listening: -1}, feedback: No.}",
    )
    _, lines = _validate(tmp_path, text)
    assert len(lines) == 1 and "the best choice is the longest in 2 of 3 decisions" in lines[0]


def test_decisions_whose_choices_are_equally_long_are_no_tell(tmp_path):
    # Every text one letter: the best is 'the longest' everywhere, and that tells nothing.
    code, lines = _validate(tmp_path, _scenario([("o", "x")] * 20))
    assert (code, lines) == (0, [])


def test_decisions_whose_choices_score_the_same_are_no_tell(tmp_path):
    text = _scenario([(LONG, SHORT)] * 4).replace(
        "scores: {listening: -1}", "scores: {listening: 1}"
    )
    code, lines = _validate(tmp_path, text)
    assert (code, lines) == (0, [])


NEGATIVE = """\
format: 1
id: chain
title: Only bad options after a slip
roles: [mentor]
variables:
  trust: 50
start: open
scenes:
  open:
    text: First.
    choices:
      - {id: warm, text: Be warm, goto: talk, add: {trust: 10}, scores: {listening: 2}, feedback: Good.}
      - {id: cold, text: Be cold and tell her off at some length, goto: talk, add: {trust: -20}, scores: {listening: -1}, feedback: Cold.}
  talk:
    text: Then.
    choices:
      - {id: fix, text: Repair it, if: trust >= 50, goto: end, scores: {listening: 1}, feedback: Good.}
      - {id: shrug, text: Shrug it off and move on to your own agenda, goto: end, scores: {listening: -1}, feedback: No.}
      - {id: blame, text: Blame her, goto: end, scores: {listening: -2}, feedback: No.}
  end: {text: The end., ending: mixed}
"""


def test_a_reachable_scene_with_only_negative_choices_is_a_warning_naming_when(tmp_path):
    code, lines = _validate(tmp_path, NEGATIVE)
    assert code == 0
    assert (
        "lib/chain.yaml:14:3: warning: scene 'talk' offers only choices that score below "
        "zero when trust=30: give the player a good option"
    ) in lines
    # Warm first, trust stays at 60 and the good choice is there: no warning for 'open'.
    assert not any("scene 'open'" in line for line in lines)


def test_the_bundled_library_has_no_tell():
    done = run_cli("validate")
    assert done.returncode == 0 and done.stdout == "", done.stdout
