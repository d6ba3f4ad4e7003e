"""A critical breach fails an attempt, so the best path players are measured against takes
none: percents, the debrief, explore and graph agree, and validate names a scenario no one
can pass (the reviewer's bug 7)."""

from __future__ import annotations

import json

from mentorquest.engine import Engine
from mentorquest.language.loader import open_library
from tests.toolkit.helpers import library, mq, no_traceback

# 'crit' earns the most but breaches confidentiality; 'mix' is the best without a breach.
SCENARIO = """\
format: 1
id: tempting
title: Tempting
roles: [mentor]
start: ask
scenes:
  ask:
    text: Sam asks you to pass on what a colleague said.
    choices:
      - id: mix
        text: Listen, and say you cannot share it.
        goto: kept
        scores: {listening: 2, confidentiality: -1}
        feedback: Kept, with a slip.
      - id: crit
        text: Tell Sam everything.
        goto: told
        scores: {listening: 3}
        critical: confidentiality
        feedback: A breach.
  kept: {text: Trust holds., ending: strong}
  told: {text: Trust is gone., ending: poor}
"""


def lines(ran):
    return [line for line in ran.out.splitlines() if line]


def test_the_best_path_without_a_breach_scores_full_marks(tmp_path):
    root = library(tmp_path / "lib", {"tempting.yaml": SCENARIO})
    walked = json.loads(mq("walk", "--library", root, "--json", "tempting", "mix").out)
    assert (walked["percent"], walked["passed"]) == (100, True)
    breach = json.loads(mq("walk", "--library", root, "--json", "tempting", "crit").out)
    assert (breach["passed"], breach["critical"]) == (False, ["confidentiality"])


def test_the_debrief_never_calls_a_critical_choice_the_better_option(tmp_path):
    root = library(tmp_path / "lib", {"tempting.yaml": SCENARIO})
    engine = Engine(open_library(root))
    attempt = engine.start("tempting")
    attempt.choose("crit")
    [entry] = attempt.debrief().entries
    assert entry.was_best is False
    assert entry.better is not None and entry.better.id == "mix"
    attempt = engine.start("tempting")
    attempt.choose("mix")
    assert attempt.debrief().entries[0].was_best is True


def test_validate_warns_when_a_breach_outscores_the_best_path(tmp_path):
    root = library(tmp_path / "lib", {"tempting.yaml": SCENARIO})
    ran = mq("validate", root)
    assert ran.code == 0
    assert lines(ran) == [
        f"{root}/tempting.yaml:19:19: warning: choice 'crit' in scene 'ask' is a critical "
        "breach, yet the highest-scoring path takes it (3 points; 1 without a breach): "
        "players are measured against the best path without a breach; give the breach the "
        "scores it deserves"
    ]


def test_validate_says_when_no_attempt_can_pass(tmp_path):
    text = SCENARIO.replace(
        "        goto: kept\n", "        goto: told\n        critical: listening\n"
    )
    root = library(tmp_path / "lib", {"tempting.yaml": text})
    ran = mq("validate", root)
    no_traceback(ran)
    assert ran.code == 1
    assert (
        f"{root}/tempting.yaml:5:8: error: every path from start scene 'ask' to an ending "
        "takes a choice marked critical (e.g. 'crit' in scene 'ask'), so no attempt can pass; "
        "give the player a way through without a serious breach"
    ) in lines(ran)


def test_explore_and_random_measure_against_the_best_path_without_a_breach(tmp_path):
    root = library(tmp_path / "lib", {"tempting.yaml": SCENARIO})
    found = json.loads(mq("explore", "--library", root, "--json", "tempting").out)
    assert found["best_total"] == 1
    assert found["off_best_path"] == [{"scene": "ask", "choice": "crit"}]
    played = json.loads(
        mq("explore", "--library", root, "--json", "--random", "200", "tempting").out
    )
    # Every run that does not breach takes 'mix' and passes.
    assert played["passed"] == played["endings"]["kept"] > 0


def test_graph_draws_the_best_path_through_no_breach_and_each_edge_in_one_style(tmp_path):
    root = library(tmp_path / "lib", {"tempting.yaml": SCENARIO})
    mermaid = lines(mq("graph", "--library", root, "tempting"))
    assert '  s0 ==>|"mix (+)"| s1' in mermaid
    assert '  s0 -.->|"crit (+)<br/>CRITICAL confidentiality"| s2' in mermaid
    styled = [line for line in mermaid if line.startswith("  linkStyle ")]
    numbers = [n for line in styled for n in line.split()[1].split(",")]
    assert sorted(numbers) == ["0", "1"]  # each edge styled once
    dot = lines(mq("graph", "--library", root, "tempting", "--format", "dot"))
    for edge in (line for line in dot if " -> " in line):
        assert edge.count("color=") - edge.count("fontcolor=") == 1, edge


def test_an_edge_is_never_drawn_both_best_and_critical(tmp_path):
    from mentorquest.toolkit import graph
    from mentorquest.toolkit.explore import ChoiceRef

    root = library(tmp_path / "lib", {"tempting.yaml": SCENARIO})
    scenario = open_library(root).scenarios["tempting"]
    best = [ChoiceRef("ask", "crit")]
    for edge in (line for line in graph.dot(scenario, best).splitlines() if " -> " in line):
        assert edge.count("color=") - edge.count("fontcolor=") <= 1, edge
        assert "penwidth=3" not in edge
    styled = [line for line in graph.mermaid(scenario, best).splitlines() if "linkStyle" in line]
    assert styled == ["  linkStyle 1 stroke:#c62828,color:#c62828"]
