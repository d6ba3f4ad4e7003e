"""Reading YAML safely: size, encoding, tags, aliases and nesting never crash or hang."""

from __future__ import annotations

import pytest

from mentorquest.language.yamlsource import (
    ALIAS_EXPANSION_LIMIT,
    MAX_FILE_BYTES,
    YamlProblem,
    parse_text,
    read_document,
)


def test_file_over_five_megabytes_is_refused(tmp_path):
    document, problems = read_document(b"a: " + b"x" * MAX_FILE_BYTES + b"\n", "big.yaml")
    assert document is None
    assert str(problems[0]).startswith("big.yaml:1:1: error: file is")
    assert "5 MB" in problems[0].message


def test_deep_flow_nesting_is_refused_before_the_parser_sees_it():
    # libyaml's composer would crash the whole process on this.
    with pytest.raises(YamlProblem) as caught:
        parse_text("a: " + "[" * 100_000 + "]" * 100_000)
    assert "nested more than" in caught.value.message


def test_recursive_alias_is_an_error():
    with pytest.raises(YamlProblem) as caught:
        parse_text("a: &x [1, *x]\n")
    assert caught.value.message == "an alias refers to the collection that contains it"


def test_billion_laughs_fails_with_the_alias_limit():
    levels = ["a0: &a0 [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]"]
    for i in range(1, 10):
        levels.append(f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]")
    with pytest.raises(YamlProblem) as caught:
        parse_text("\n".join(levels) + "\n")
    assert f"more than {ALIAS_EXPANSION_LIMIT:,} values" in caught.value.message


def test_small_aliases_are_allowed_and_merge_keys_work():
    document = parse_text("base: &b {text: Hi, goto: end}\nchoice:\n  <<: *b\n  goto: other\n")
    assert document.data["choice"] == {"text": "Hi", "goto": "other"}


@pytest.mark.parametrize(
    "text, tag",
    [
        ("a: !!python/object/apply:os.system [ls]\n", "!!python/object/apply:os.system"),
        ("a: !!binary aGVsbG8=\n", "!!binary"),
        ("a: !!set {x: null}\n", "!!set"),
        ("a: !secret value\n", "!secret"),
    ],
)
def test_only_core_tags_are_accepted(text, tag):
    document = parse_text(text, "f.yaml")
    [problem] = document.problems
    assert str(problem).startswith("f.yaml:1:4: error: ")
    assert f"YAML tag '{tag}' is not allowed" in problem.message
    # The value under the tag is read as a plain value, never constructed.
    assert not isinstance(document.data["a"], bytes | set)


def test_a_key_twice_is_a_problem_and_the_first_value_is_read_on():
    document = parse_text("a: 1\nb: 2\na: 3\n", "f.yaml")
    assert [str(p) for p in document.problems] == [
        "f.yaml:3:1: error: duplicate key 'a' (first defined at line 1); "
        "YAML would silently keep only the last one"
    ]
    assert document.data == {"a": 1, "b": 2}
    assert str(document.position(["a"])) == "f.yaml:1:4"


def test_values_keep_yaml_core_types_and_dates_stay_text():
    document = parse_text("a: 0x1F\nb: 1_000\nc: 2024-01-01\nd: ~\ne: 2.5\nf: 'yes'\ng: yes\n")
    assert document.data == {
        "a": 31,
        "b": 1000,
        "c": "2024-01-01",
        "d": None,
        "e": 2.5,
        "f": "yes",
        "g": True,
    }


def test_positions_point_at_keys_and_values():
    document = parse_text(
        "scenes:\n  one:\n    choices:\n      - id: a\n        goto: two\n", "f.yaml"
    )
    assert str(document.position(["scenes", "one", "choices", 0, "goto"])) == "f.yaml:5:15"
    assert str(document.position(["scenes", "one"], key=True)) == "f.yaml:2:3"
    assert str(document.position(["scenes", "missing", "x"])) == "f.yaml:2:3"


def test_byte_order_mark_is_accepted():
    document, problems = read_document(b"\xef\xbb\xbfa: 1\n", "bom.yaml")
    assert problems == [] and document is not None and document.data == {"a": 1}


@pytest.mark.parametrize(
    "raw, where, code",
    [
        (b'format: 1\nid: r\ntitle: "\xc3\xa4b\x1bc"\n', "3:11", "001B"),
        (b"format: 1\n# com\x07ment\n", "2:6", "0007"),
        (b"a: b\x7f\n", "1:5", "007F"),
    ],
)
def test_a_control_character_yaml_refuses_is_named_at_its_line_and_column(raw, where, code):
    document, [problem] = read_document(raw, "f.yaml")
    assert document is None
    assert str(problem) == (
        f"f.yaml:{where}: error: the file holds a control character (U+{code}), which YAML "
        f"does not allow even in quotes; remove it, or write it as \\u{code.lower()} inside "
        "double quotes"
    )


@pytest.mark.parametrize("levels", [66, 150, 250, 100_000])
def test_deep_nesting_is_reported_at_the_first_level_past_the_limit(levels):
    # 'a: ' then brackets: the 65th bracket (column 68) is the first level past 64.
    with pytest.raises(YamlProblem) as caught:
        parse_text("a: " + "[" * levels + "]" * levels)
    assert (caught.value.line, caught.value.column) == (1, 68)
    assert "nested more than 64 levels deep" in caught.value.message


def test_brackets_in_a_text_are_not_nesting(tmp_path):
    # A long text may open brackets it never closes; only values nest.
    lines = "".join(f"  Step {n} [of the plan\n" for n in range(300))
    document, problems = read_document(f"text: |\n{lines}".encode(), "long.yaml")
    assert problems == []
    assert document is not None and document.data["text"].count("[") == 300


def test_lines_are_counted_as_editors_count_them(tmp_path):
    # YAML breaks lines at U+2028, U+2029 and U+0085 too; editors and grep do not.
    from mentorquest.engine.validation import validate_library
    from tests.helpers import write_library

    root = write_library(tmp_path / "lib")
    path = root / "missed-sessions.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("title: ", 'title: "\u2028\u2029\u0085" # ', 1)
    text = text.replace("\nstart:", "\nstrat: x\nstart:", 1)
    path.write_text(text, encoding="utf-8")
    expected = text.split("\n").index("strat: x") + 1
    report = validate_library(root, display_root="")
    found = [d for d in report.diagnostics if "unknown field 'strat'" in d.message]
    assert found and found[0].position.line == expected, [str(d) for d in report.diagnostics]
