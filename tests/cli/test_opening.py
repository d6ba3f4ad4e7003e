"""`introduction.opening` in programme.yaml: the welcome's answer names unconditional
choices of a scenario's start scene, and `validate` says which reference is wrong."""

from __future__ import annotations

import pytest

from tests.helpers import PROGRAMME, run_cli, write_library


def _programme(opening: str) -> str:
    return PROGRAMME.replace(
        "ground_rules:",
        "introduction:\n  summary: Hello.\n  opening:\n" + opening + "ground_rules:",
    )


@pytest.mark.parametrize(
    ("opening", "line"),
    [
        (
            "    scenario: missed-sesions\n    basics: blame\n    differences: ask\n",
            "programme.yaml:10:15: error: no scenario with id 'missed-sesions' "
            "(did you mean 'missed-sessions'?)",
        ),
        (
            "    scenario: missed-sessions\n    basics: blam\n    differences: ask\n",
            "programme.yaml:11:13: error: scene 'opening', the start of 'missed-sessions', "
            "has no choice 'blam' (did you mean 'blame'?)",
        ),
        (
            "    scenario: missed-sessions\n    basics: ask\n    differences: ask\n",
            "programme.yaml:12:18: error: the two answers name the same choice; name one for each",
        ),
    ],
)
def test_a_wrong_opening_is_an_error_at_its_line(tmp_path, opening, line):
    write_library(tmp_path / "lib", programme=_programme(opening))
    done = run_cli("validate", "lib", cwd=tmp_path)
    assert done.returncode == 1
    assert "lib/" + line in done.stdout.splitlines(), done.stdout


def test_a_conditional_choice_cannot_be_the_welcomes_answer(tmp_path):
    root = write_library(
        tmp_path / "lib",
        programme=_programme(
            "    scenario: missed-sessions\n    basics: blame\n    differences: ask\n"
        ),
    )
    path = root / "missed-sessions.yaml"
    text = path.read_text()
    path.write_text(
        text.replace("      - id: ask\n", "      - id: ask\n        if: visited(opening)\n", 1)
    )
    done = run_cli("validate", "lib", cwd=tmp_path)
    assert done.returncode == 1
    assert (
        "choice 'ask' has a condition; the welcome's answer must name a choice that is "
        "always offered"
    ) in done.stdout


def test_the_bundled_programme_opens_with_the_basics_scenario():
    from mentorquest.bundled import library_path
    from mentorquest.language.loader import open_library

    intro = open_library(library_path()).programme.introduction
    assert intro is not None and intro.opening is not None
    assert (intro.opening.scenario, intro.opening.basics, intro.opening.differences) == (
        "reciprocal-mentoring-basics",
        "new-to-it",
        "done-it-before",
    )
