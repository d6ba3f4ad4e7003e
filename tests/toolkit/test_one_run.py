"""Every problem in one run: a field error does not stop the other checks (issue 14, 1)."""

from __future__ import annotations

import pytest

from tests.toolkit.helpers import library, mq, no_traceback

BROKEN = """\
format: 1
id: first
title: First meeting
roles: [mentor]
variables:
  trust: 50
start: opening
scenes:
  opening:
    text: Opening.
    choices:
      - id: good
        text: Listen first.
        goto: happy
        score: {no-fault: 2}
        feedback: Good.
      - id: bad
        text: Blame them.
        goto: hapy
        if: trust => 40
        scores: {no-fault: -1}
        feedback: Bad.
  happy: {text: Happy., ending: strong}
  sad: {text: Sad., ending: poor}
"""


def lines(ran):
    return [line for line in ran.out.splitlines() if line]


def test_a_misspelt_field_a_bad_goto_and_a_bad_condition_are_all_reported_in_one_run(tmp_path):
    root = library(tmp_path / "lib", {"first.yaml": BROKEN})
    ran = mq("validate", root)
    no_traceback(ran)
    assert ran.code == 1
    where = f"{root}/first.yaml"
    assert lines(ran) == [
        f"{where}:15:9: error: unknown field 'score' (did you mean 'scores'?)",
        f"{where}:19:15: error: goto names no scene: 'hapy' (did you mean 'happy'?)",
        f"{where}:20:19: error: condition: unexpected '=>' in condition (did you mean '>='?)",
        f"{where}:24:3: warning: scene 'sad' cannot be reached from start",
    ]


def test_a_misspelt_container_is_read_as_the_field_it_misspells(tmp_path):
    text = BROKEN.replace("    choices:\n", "    choises:\n").replace("score: {", "scores: {")
    root = library(tmp_path / "lib", {"first.yaml": text})
    ran = mq("validate", root)
    where = f"{root}/first.yaml"
    assert lines(ran) == [
        f"{where}:11:5: error: unknown field 'choises' (did you mean 'choices'?)",
        f"{where}:19:15: error: goto names no scene: 'hapy' (did you mean 'happy'?)",
        f"{where}:20:19: error: condition: unexpected '=>' in condition (did you mean '>='?)",
        f"{where}:24:3: warning: scene 'sad' cannot be reached from start",
    ]


def test_problems_inside_a_misspelt_field_are_reported_too(tmp_path):
    text = BROKEN.replace("    choices:\n", "    choises:\n")
    root = library(tmp_path / "lib", {"first.yaml": text})
    found = lines(mq("validate", root))
    assert f"{root}/first.yaml:15:9: error: unknown field 'score' (did you mean 'scores'?)" in found


@pytest.mark.parametrize(
    "condition, message",
    [
        ("trust => 40", "unexpected '=>' in condition (did you mean '>='?)"),
        ("trust =< 40", "unexpected '=<' in condition (did you mean '<='?)"),
        ("trust = 40", "unexpected character '=' in condition (use '==' to compare)"),
    ],
)
def test_operator_slips_get_the_operator_meant(tmp_path, condition, message):
    text = BROKEN.replace("trust => 40", condition).replace("score: {", "scores: {")
    text = text.replace("goto: hapy", "goto: sad")
    root = library(tmp_path / "lib", {"first.yaml": text})
    assert lines(mq("validate", root)) == [f"{root}/first.yaml:20:19: error: condition: {message}"]


def test_wrong_types_and_missing_fields_leave_the_rest_checked(tmp_path):
    text = """\
format: 1
id: second
title: Second
roles: [mentorr]
start: s
scenes:
  s:
    text: 5
    choices:
      - {id: x, text: X, goto: e, scores: {no-falt: 2}, feedback: ok}
      - {id: y, text: Y, feedback: no goto here}
      - "not a choice"
  e: {text: E, ending: great}
  f: just text
"""
    root = library(tmp_path / "lib", {"second.yaml": text})
    ran = mq("validate", root)
    no_traceback(ran)
    where = f"{root}/second.yaml"
    assert lines(ran) == [
        f"{where}:4:9: error: unknown role 'mentorr' (did you mean 'mentor'?)",
        f"{where}:8:11: error: expected text, got a whole number",
        f"{where}:10:44: error: unknown ground rule 'no-falt' (did you mean 'no-fault'?)",
        f"{where}:11:9: error: missing required field 'goto'",
        f"{where}:12:9: error: expected a mapping of fields, got text",
        f"{where}:13:24: error: 'great' is not allowed here; use one of 'strong', 'mixed' or 'poor'",
        f"{where}:14:6: error: expected a mapping of fields, got text",
    ]


def test_an_error_in_the_programme_does_not_stop_the_scenario_checks(tmp_path):
    programme = "format: 1\nid: p\ntitle: P\nroles: [mentor]\npass_mrk: 70\nground_rules:\n  - {id: no-fault, name: N, summary: S.}\n"
    scenario = BROKEN.replace("score: {", "scores: {").replace("trust => 40", "trust >= 40")
    root = library(tmp_path / "lib", {"first.yaml": scenario}, programme=programme)
    assert lines(mq("validate", root)) == [
        f"{root}/first.yaml:19:15: error: goto names no scene: 'hapy' (did you mean 'happy'?)",
        f"{root}/first.yaml:24:3: warning: scene 'sad' cannot be reached from start",
        f"{root}/programme.yaml:5:1: error: unknown field 'pass_mrk' (did you mean 'pass_mark'?)",
    ]


def test_an_unreadable_programme_still_lets_every_scenario_be_checked(tmp_path):
    scenario = BROKEN.replace("score: {", "scores: {").replace("trust => 40", "trust >= 40")
    root = library(tmp_path / "lib", {"first.yaml": scenario}, programme="format: [\n")
    found = lines(mq("validate", root))
    assert (
        f"{root}/first.yaml:19:15: error: goto names no scene: 'hapy' (did you mean 'happy'?)"
        in found
    )
    assert any(line.startswith(f"{root}/programme.yaml:") for line in found)
    assert not any("unknown ground rule" in line or "unknown role" in line for line in found)


def test_a_broken_file_is_never_played(tmp_path):
    root = library(tmp_path / "lib", {"first.yaml": BROKEN})
    ran = mq("walk", "--library", root, "first", "good")
    assert ran.code == 2
    assert "run 'mentorquest validate" in ran.err


# --- a misspelt required field (the reviewer's bug 1) ------------------------------------

MISSPELT = """\
format: 1
id: third
title: Third
roles: [mentor]
start: a
scenes:
  a:
    text: A.
    choices:
      - id: x
        text: X.
        goto: bb
        scores: {listening: 1}
        feedback: Fine.
      - {id: y, text: Y., goto: b, scores: {listening: 2}, feedback: Better.}
  b: {text: B., ending: strong}
"""


@pytest.mark.parametrize("written", ["scene", "scnes", "Scenes"])
def test_a_misspelt_required_container_is_one_error_and_its_contents_are_checked(tmp_path, written):
    root = library(tmp_path / "lib", {"third.yaml": MISSPELT.replace("scenes:", f"{written}:")})
    ran = mq("validate", root)
    no_traceback(ran)
    where = f"{root}/third.yaml"
    assert lines(ran) == [
        f"{where}:6:1: error: unknown field '{written}' (did you mean 'scenes'?)",
        f"{where}:12:15: error: goto names no scene: 'bb' (did you mean 'b'?)",
    ]


@pytest.mark.parametrize(
    "old, new, line, column, meant",
    [
        ("title: Third", "titel: Third", 3, 1, "title"),
        ("    text: A.", "    txt: A.", 8, 5, "text"),
        ("        goto: bb", "        gto: bb", 12, 9, "goto"),
    ],
)
def test_a_misspelt_required_field_is_read_as_the_field_it_misspells(
    tmp_path, old, new, line, column, meant
):
    root = library(tmp_path / "lib", {"third.yaml": MISSPELT.replace(old, new)})
    ran = mq("validate", root)
    no_traceback(ran)
    written = new.split(":")[0].strip()
    where = f"{root}/third.yaml"
    # No 'missing required field', no empty stand-in checked as an id, no verdict on
    # the scene as a whole: the one error, and the bad goto read through the misspelling.
    assert lines(ran) == [
        f"{where}:{line}:{column}: error: unknown field '{written}' (did you mean '{meant}'?)",
        f"{where}:12:{15 if written != 'gto' else 14}: error: goto names no scene: 'bb' "
        "(did you mean 'b'?)",
    ]


def test_misspelt_required_fields_of_the_programme_are_read_as_meant(tmp_path):
    programme = (
        "format: 1\nid: p\ntitle: P\nrole: [mentor]\nground_rule:\n"
        "  - {id: listening, name: Listening, summary: Listen.}\n"
    )
    scenario = MISSPELT.replace("goto: bb", "goto: b")
    root = library(tmp_path / "lib", {"third.yaml": scenario}, programme=programme)
    assert lines(mq("validate", root)) == [
        f"{root}/programme.yaml:4:1: error: unknown field 'role' (did you mean 'roles'?)",
        f"{root}/programme.yaml:5:1: error: unknown field 'ground_rule' (did you mean 'ground_rules'?)",
    ]


def test_choices_written_as_a_mapping_are_read_as_the_list_meant_and_checked(tmp_path):
    text = MISSPELT.replace(
        """      - id: x
        text: X.
        goto: bb
        scores: {listening: 1}
        feedback: Fine.
      - {id: y, text: Y., goto: b, scores: {listening: 2}, feedback: Better.}
""",
        """      x: {text: X., goto: bb, scores: {listening: 1}, feedback: Fine., if: trust => 3}
      y: {text: Y., goto: b, scores: {listening: 2}, feedback: Better.}
""",
    )
    root = library(tmp_path / "lib", {"third.yaml": text})
    ran = mq("validate", root)
    no_traceback(ran)
    where = f"{root}/third.yaml"
    # No "has no choices and is not an ending", no "no ending can be reached".
    assert lines(ran) == [
        f"{where}:10:7: error: expected a list, got a mapping; write each item as a list "
        "item with its id: '- id: x'",
        f"{where}:10:27: error: goto names no scene: 'bb' (did you mean 'b'?)",
        f"{where}:10:82: error: condition: unexpected '=>' in condition (did you mean '>='?)",
    ]


def test_the_choices_of_an_ending_are_checked_too(tmp_path):
    text = MISSPELT.replace(
        "  b: {text: B., ending: strong}\n",
        "  b:\n    text: B.\n    ending: strong\n    choices:\n"
        "      - {id: z, text: Z., goto: zz, if: 'score(listening) =< 2'}\n",
    ).replace("goto: bb", "goto: b")
    root = library(tmp_path / "lib", {"third.yaml": text})
    where = f"{root}/third.yaml"
    assert lines(mq("validate", root)) == [
        f"{where}:19:5: error: scene 'b' is an ending and cannot have choices",
        f"{where}:20:33: error: goto names no scene: 'zz'",
        f"{where}:20:59: error: condition: unexpected '=<' in condition (did you mean '<='?)",
    ]


def test_a_goto_naming_nothing_gives_no_verdict_on_the_scene_it_was_meant_to_reach(tmp_path):
    text = MISSPELT.replace(
        "      - {id: y, text: Y., goto: b, scores: {listening: 2}, feedback: Better.}\n", ""
    )
    root = library(tmp_path / "lib", {"third.yaml": text})
    where = f"{root}/third.yaml"
    # Not "no ending can be reached", "dead end" or "'b' cannot be reached": they only
    # restate the bad goto.
    assert lines(mq("validate", root)) == [
        f"{where}:12:15: error: goto names no scene: 'bb' (did you mean 'b'?)"
    ]


# --- a key twice, a tag: reported, and the rest still checked (bug 3) ---------------------


@pytest.mark.parametrize(
    "old, new, problem",
    [
        (
            "title: Third\n",
            "title: Third\ntitle: Again\n",
            "4:1: error: duplicate key 'title' (first defined at line 3); YAML would silently "
            "keep only the last one",
        ),
        (
            "title: Third\n",
            "title: !!binary VGhpcmQ=\n",
            "3:8: error: YAML tag '!!binary' is not allowed; use plain values, lists and mappings",
        ),
        (
            "title: Third\n",
            "title: !!python/object/apply:os.system [ls]\n",
            "3:8: error: YAML tag '!!python/object/apply:os.system' is not allowed; use plain lists",
        ),
    ],
)
def test_a_key_twice_or_a_tag_hides_no_other_error(tmp_path, old, new, problem):
    text = MISSPELT.replace(old, new)
    root = library(tmp_path / "lib", {"third.yaml": text})
    ran = mq("validate", root)
    no_traceback(ran)
    where = f"{root}/third.yaml"
    goto_line = 13 if "Again" in new else 12
    assert lines(ran) == [
        f"{where}:{problem}",
        f"{where}:{goto_line}:15: error: goto names no scene: 'bb' (did you mean 'b'?)",
    ]


# --- conditions too deep or too long (bug 4) ----------------------------------------------


@pytest.mark.parametrize(
    "condition, column, message",
    [
        ("(" * 150 + "true" + ")" * 150, 46, "parentheses are nested more than 32 levels deep"),
        ("not " * 1000 + "true", 14, "a condition may be at most 500 characters long"),
        (" and ".join(["true"] * 1000), 14, "a condition may be at most 500 characters long"),
        ("1" + "+1" * 1000 + " > 0", 14, "a condition may be at most 500 characters long"),
    ],
    ids=["parentheses", "not", "and", "plus"],
)
def test_a_condition_too_deep_or_too_long_is_an_error_in_every_command(
    tmp_path, condition, column, message
):
    text = MISSPELT.replace("goto: bb", "goto: b").replace(
        "        feedback: Fine.\n", f"        feedback: Fine.\n        if: '{condition}'\n"
    )
    root = library(tmp_path / "lib", {"third.yaml": text})
    ran = mq("validate", root)
    no_traceback(ran)
    [line] = lines(ran)
    assert line.startswith(f"{root}/third.yaml:15:{column}: error: condition: {message}")
    for command in (
        ["walk", "--library", root, "third", "y"],
        ["explore", "--library", root, "third"],
        ["graph", "--library", root, "third"],
        ["test", root],
    ):
        ran = mq(*command)
        no_traceback(ran)
        assert ran.code == 2, command


# --- the column of a problem inside a condition written over several lines (bug 10) -------


@pytest.mark.parametrize(
    "written, line, column",
    [
        ("if: score(listening) > 3 and turst < 9", 15, 38),
        ("if: 'score(listening) > 3 and turst < 9'", 15, 39),
        ('if: "score(listening) \\u003e 3 and turst < 9"', 15, 44),
        ("if: score(listening) > 3\n          and turst < 9", 16, 15),
        ("if: 'score(listening) > 3 and\n          turst < 9'", 16, 11),
        ("if: 'score(listening) > 3 and\n          ''turst'' < 9'", 16, 11),
        ('if: "score(listening) > 3 \\\n          and turst < 9"', 16, 15),
        ("if: >-\n          score(listening) > 3 and\n          turst < 9", 17, 11),
        ("if: |-  # a comment\n          score(listening) > 3\n          and turst < 9", 17, 15),
    ],
    ids=["plain", "single", "escape", "plain-2", "single-2", "quotes", "double-2", ">-", "|-"],
)
def test_a_problem_in_a_condition_is_shown_at_its_own_line_and_column(
    tmp_path, written, line, column
):
    text = MISSPELT.replace("goto: bb", "goto: b").replace(
        "        feedback: Fine.\n", f"        feedback: Fine.\n        {written}\n"
    )
    root = library(tmp_path / "lib", {"third.yaml": text})
    found = lines(mq("validate", root))
    assert found[-1].startswith(f"{root}/third.yaml:{line}:{column}: error: condition: "), found
