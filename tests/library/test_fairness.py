"""Issue 12, a fair game: the form of the choices must not give the answer away.

The tell figures are printed (run with `-n 0` to see them in the terminal) and checked:
in every scenario the best choice is the longest in at most 40% of its decisions, a
player who always picks the longest choice, or always the shortest, passes no required
scenario, and every reachable decision offers a choice that does not score below zero.
"""

from __future__ import annotations

import pytest

from mentorquest.bundled import library_path
from mentorquest.engine import Engine
from mentorquest.language import open_library
from tests.library import fairness

LIBRARY = open_library(library_path())
SCENARIOS = LIBRARY.scenarios
SCENARIO_IDS = sorted(SCENARIOS)
ROLES = ("mentor", "mentee")
REQUIRED = sorted({sid for role in ROLES for sid in LIBRARY.programme.required.get(role, [])})
LIMIT = 0.40


@pytest.fixture(scope="module")
def engine():
    return Engine(LIBRARY)


def figures_table(engine: Engine) -> str:
    rows = [
        f"{'scenario':<30} {'required':<14} {'best is longest':<22} "
        f"{'always longest':<30} {'always shortest':<30}"
    ]
    total_longest = total_decisions = 0
    for sid in SCENARIO_IDS:
        tells = fairness.tells(SCENARIOS[sid])
        total_longest += tells.best_longest
        total_decisions += tells.decisions
        roles = [r for r in ROLES if sid in LIBRARY.programme.required.get(r, [])]
        shown = []
        for rank in (fairness.longest, fairness.shortest):
            best = fairness.best_outcome(fairness.pattern_player(engine, sid, rank))
            shown.append(f"{best.percent}% {'PASS' if best.passed else 'fail'} ({best.ending})")
        share = f"{tells.best_longest} of {tells.decisions} ({round(100 * tells.share_longest)}%)"
        rows.append(
            f"{sid:<30} {', '.join(roles) or 'optional':<14} {share:<22} "
            f"{shown[0]:<30} {shown[1]:<30}"
        )
    rows.append(
        f"best is longest across the library: {total_longest} of {total_decisions} decisions"
    )
    return "\n".join(rows)


def test_tell_figures_are_printed_and_within_the_limits(engine, capsys):
    table = figures_table(engine)
    with capsys.disabled():
        print("\n\nTell figures (issue 12)\n" + table + "\n")
    problems = []
    for sid in SCENARIO_IDS:
        tells = fairness.tells(SCENARIOS[sid])
        if tells.share_longest > LIMIT:
            problems.append(
                f"{sid}: the best choice is the longest in {tells.best_longest} "
                f"of {tells.decisions} decisions"
            )
    for sid in REQUIRED:
        for name, rank in (("longest", fairness.longest), ("shortest", fairness.shortest)):
            for outcome in fairness.pattern_player(engine, sid, rank):
                if outcome.passed:
                    problems.append(
                        f"{sid}: always picking the {name} choice passes with "
                        f"{outcome.percent}% via {list(outcome.path)}"
                    )
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("scenario_id", SCENARIO_IDS)
def test_every_reachable_decision_offers_a_choice_that_does_not_score_below_zero(scenario_id):
    scenes = fairness.negative_only_decisions(LIBRARY, scenario_id)
    assert not scenes, f"{scenario_id}: only choices below zero are offered in {sorted(scenes)}"


def test_pattern_player_follows_every_choice_of_the_same_length(tmp_path):
    (tmp_path / "programme.yaml").write_text(
        "format: 1\nid: p\ntitle: P\nroles: [mentor]\n"
        "ground_rules: [{id: listening, name: Listening, summary: Listen.}]\n",
        encoding="utf-8",
    )
    (tmp_path / "s.yaml").write_text(
        "format: 1\nid: s\ntitle: S\nroles: [mentor]\nstart: a\nscenes:\n"
        "  a:\n    text: A\n    choices:\n"
        "      - {id: good, text: 'Ask.', goto: end, scores: {listening: 1}, feedback: Good.}\n"
        "      - {id: bad, text: 'Say.', goto: end, scores: {listening: -1}, feedback: Bad.}\n"
        "      - {id: meh, text: 'No', goto: end, scores: {listening: 0}, feedback: Meh.}\n"
        "  end:\n    text: End\n    ending: mixed\n",
        encoding="utf-8",
    )
    library = open_library(tmp_path)
    engine = Engine(library)
    longest = fairness.pattern_player(engine, "s", fairness.longest)
    assert sorted(o.path for o in longest) == [("bad",), ("good",)]
    assert fairness.best_outcome(longest).passed
    assert [o.path for o in fairness.pattern_player(engine, "s", fairness.shortest)] == [("meh",)]
    tells = fairness.tells(library.scenarios["s"])
    assert (tells.decisions, tells.best_longest, tells.best_shortest) == (1, 1, 0)
