"""Schemas that travel: a file copied into a trainer's own folder says when its
`# yaml-language-server: $schema=` line leads nowhere, at that line, with the mend."""

from __future__ import annotations

import shutil
from pathlib import Path

from mentorquest.bundled import library_path
from mentorquest.engine.validation import validate_library
from mentorquest.toolkit.schemas import FILES
from tests.toolkit.helpers import PROGRAMME, library, mq

LINE = "# yaml-language-server: $schema="


def schema_target(file: Path) -> Path:
    first = file.read_text(encoding="utf-8").splitlines()[0]
    assert first.startswith(LINE), file
    return (file.parent / first[len(LINE) :]).resolve()


def warnings_of(root: Path, display: str) -> list[str]:
    return [str(d) for d in validate_library(root, display_root=display).diagnostics]


def test_a_copied_bundled_library_says_where_its_schemas_are_missing_and_how_to_write_them(
    tmp_path, monkeypatch
):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(library_path(), tmp_path / "mylib")
    said = warnings_of(Path("mylib"), "mylib")
    assert len(said) == 15  # programme.yaml and the 14 scenarios, one line each
    assert said[0] == (
        "mylib/agreeing-the-ground-rules.yaml:1:33: warning: the schema this line names "
        "(../schema/scenario.schema.json) is not there, so an editor cannot load it; "
        "write the schemas there with 'mentorquest schema --write schema'"
    )
    assert all(d.endswith("'mentorquest schema --write schema'") for d in said)


def test_writing_the_schemas_where_the_copied_lines_point_mends_every_file(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    shutil.copytree(library_path(), tmp_path / "mylib")
    assert mq("schema", "--write", "schema").code == 0
    assert warnings_of(Path("mylib"), "mylib") == []
    for file in sorted((tmp_path / "mylib").glob("*.yaml")):
        kind = (
            "transcript"
            if file.name.endswith(".test.yaml")
            else "programme"
            if file.name == "programme.yaml"
            else "scenario"
        )
        assert schema_target(file) == (tmp_path / "schema" / FILES[kind]).resolve()


def test_a_file_copied_into_a_library_with_its_own_schemas_is_told_the_line_that_names_them(
    tmp_path,
):
    root = tmp_path / "own"
    mq("new", "programme", root)
    copied = (root / "first-meeting.yaml").read_text(encoding="utf-8")
    copied = copied.replace(f"{LINE}schema/", f"{LINE}../schema/", 1).replace(
        "id: first-meeting", "id: second-meeting", 1
    )
    (root / "second-meeting.yaml").write_text(copied, encoding="utf-8")
    assert warnings_of(root, "own") == [
        "own/second-meeting.yaml:1:33: warning: the schema this line names "
        "(../schema/scenario.schema.json) is not there, so an editor cannot load it; "
        f"name the library's own: '{LINE}schema/scenario.schema.json'"
    ]
    (root / "second-meeting.yaml").write_text(
        copied.replace(f"{LINE}../schema/", f"{LINE}schema/", 1), encoding="utf-8"
    )
    assert warnings_of(root, "own") == []


def test_a_library_with_no_schemas_is_told_to_write_them_beside_it(tmp_path):
    scenario = f"{LINE}somewhere/else.json\n" + (
        "format: 1\nid: s\ntitle: S\nroles: [mentor]\nminutes: 1\nstart: a\n"
        "scenes:\n  a:\n    text: Hello.\n    ending: strong\n"
    )
    root = library(tmp_path / "lib", {"s.yaml": scenario})
    said = [d for d in warnings_of(root, "lib") if "schema" in d]
    assert said == [
        "lib/s.yaml:1:33: warning: the schema this line names (somewhere/else.json) is not "
        "there, so an editor cannot load it; write the schemas with 'mentorquest schema "
        f"--write lib/schema' and name them: '{LINE}schema/scenario.schema.json'"
    ]


def test_a_line_naming_the_schema_of_another_kind_of_file_is_warned(tmp_path):
    root = library(
        tmp_path / "lib", {}, programme=f"{LINE}schema/scenario.schema.json\n" + PROGRAMME
    )
    mq("schema", "--write", root / "schema")
    assert warnings_of(root, "lib") == [
        "lib/programme.yaml:1:33: warning: this line names the scenario schema, but this is a "
        f"programme file: name programme.schema.json instead ('{LINE}"
        "schema/programme.schema.json')"
    ]


def test_a_schema_url_or_a_file_without_the_line_is_left_alone(tmp_path):
    root = library(
        tmp_path / "lib", {}, programme=f"{LINE}https://example.org/programme.json\n" + PROGRAMME
    )
    assert warnings_of(root, "lib") == []
    assert warnings_of(library(tmp_path / "bare", {}), "bare") == []


def test_a_transcript_test_copied_without_its_schemas_is_warned_and_still_runs(tmp_path):
    root = tmp_path / "own"
    mq("new", "programme", root)
    tests = root / "first-meeting.test.yaml"
    tests.write_text(
        tests.read_text(encoding="utf-8").replace(f"{LINE}schema/", f"{LINE}../schema/", 1),
        encoding="utf-8",
    )
    ran = mq("test", root)
    assert ran.code == 0
    assert (
        f"{root}/first-meeting.test.yaml:1:33: warning: the schema this line names "
        "(../schema/transcript.schema.json) is not there, so an editor cannot load it; "
        f"name the library's own: '{LINE}schema/transcript.schema.json'"
    ) in ran.out + ran.err
    assert ran.out.splitlines()[-1] == "3 passed, 0 failed"


def test_a_transcript_test_moved_below_the_library_is_told_the_line_naming_the_librarys_schemas(
    tmp_path,
):
    root = tmp_path / "own"
    mq("new", "programme", root)
    (root / "tests").mkdir()
    (root / "first-meeting.test.yaml").rename(root / "tests" / "first-meeting.test.yaml")
    ran = mq("test", root)
    assert ran.code == 0
    assert (
        f"{root}/tests/first-meeting.test.yaml:1:33: warning: the schema this line names "
        "(schema/transcript.schema.json) is not there, so an editor cannot load it; "
        f"name the library's own: '{LINE}../schema/transcript.schema.json'"
    ) in ran.out + ran.err
