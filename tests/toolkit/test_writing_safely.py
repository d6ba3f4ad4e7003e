"""What `new` and `import twee` write reads back as written, and is written whole or not at
all: every value quoted where YAML would read it otherwise, every file checked before any is
written, no schema silently replaced, every suggested command quoted for the shell (the
reviewer's bugs 2, 8, 12, 13 and 20)."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorquest.engine.validation import validate_library
from mentorquest.toolkit.schemas import FILES, schema_text
from mentorquest.toolkit.yamltext import scalar
from tests.toolkit.helpers import mq, no_traceback

# Slugs YAML 1.1 would read as something else when written plainly.
AWKWARD_IDS = [
    "yes", "no", "on", "off", "true", "false", "null", "y", "n",
    "2024", "0x1f", "1e3", "123", "0o17", "0", "1-0",
]  # fmt: skip


def problems(root):
    return [str(d) for d in validate_library(root).diagnostics]


@settings(max_examples=300, deadline=None)
@given(text=st.text())
def test_every_text_is_written_as_a_value_that_reads_back_as_itself(text):
    written = scalar(text)
    assert "\n" not in written
    assert yaml.safe_load(f"k: {written}\n") == {"k": text}
    in_flow = scalar(text, flow=True)
    assert yaml.safe_load(f"k: [{in_flow}, x]\n") == {"k": [text, "x"]}


@pytest.mark.parametrize(
    "text", ["yes", "No", "ON", "off", "~", "null", "2024", "0x1f", "1_000", ".inf", "1.0",
             "2024-01-01", "a: b", "#x", "- x", "[x]", "*x", "&x", "!x", "%x", "@x", "a, b",
             " padded ", "'q'", '"q"', "", "x # y", "\x1b[31m", "\u2028", "\U000e0001", "0?", "Why?"],
)  # fmt: skip
def test_awkward_text_reads_back_as_itself(text):
    assert yaml.safe_load(f"k: {scalar(text)}\n") == {"k": text}
    assert yaml.safe_load(f"k: [{scalar(text, flow=True)}, x]\n") == {"k": [text, "x"]}


@pytest.mark.parametrize("scenario_id", AWKWARD_IDS)
def test_new_scenario_with_an_id_yaml_would_misread_validates_clean(tmp_path, scenario_id):
    root = tmp_path / "lib"
    assert mq("new", "programme", root).code == 0
    ran = mq("new", "scenario", scenario_id, "--library", root)
    assert ran.code == 0, ran.err
    assert problems(root) == []
    assert mq("test", root).out.splitlines()[-1] == "6 passed, 0 failed"


@pytest.mark.parametrize("name", ["yes", "123", "null", "off", "2024"])
def test_new_programme_in_a_folder_yaml_would_misread_validates_clean(tmp_path, name):
    root = tmp_path / name
    ran = mq("new", "programme", root)
    assert ran.code == 0, ran.err
    assert problems(root) == []


def test_a_story_of_awkward_names_imports_and_validates(tmp_path):
    links = " ".join(f"[[{word}]]" for word in AWKWARD_IDS) + " [[on|On]]"
    passages = "".join(f":: {word} [strong]\nThe end.\n" for word in AWKWARD_IDS)
    story = tmp_path / "s.twee"
    story.write_text(
        f":: StoryTitle\nyes\n:: Start\nChoose: {links}\n{passages}:: On [mixed]\nSo so.\n",
        encoding="utf-8",
    )
    ran = mq("import", "twee", story, "--out", tmp_path / "lib")
    no_traceback(ran)
    assert ran.code == 0, ran.out + ran.err
    assert not [p for p in problems(tmp_path / "lib") if ": error: " in p]


STORY = ":: StoryTitle\nA story\n:: Start\nHi [[Go->End]]\n:: End [strong]\nBye\n"


def test_import_refuses_an_id_another_file_of_the_library_uses(tmp_path):
    root = tmp_path / "lib"
    mq("new", "programme", root)
    (root / "first-meeting.yaml").rename(root / "other.yaml")
    story = tmp_path / "s.twee"
    story.write_text(STORY, encoding="utf-8")
    before = sorted(p.name for p in root.iterdir())
    ran = mq("import", "twee", story, "--out", root, "--id", "first-meeting")
    assert ran.code == 2
    assert ran.err.strip() == (
        "mentorquest: error: the library already has a scenario 'first-meeting' "
        f"({root}/other.yaml); choose another id with --id"
    )
    assert sorted(p.name for p in root.iterdir()) == before


def test_new_programme_writes_nothing_when_one_file_is_already_there(tmp_path):
    root = tmp_path / "p3"
    root.mkdir()
    (root / "first-meeting.yaml").write_text("mine\n", encoding="utf-8")
    ran = mq("new", "programme", root)
    assert ran.code == 2
    assert ran.err.strip() == (
        f"mentorquest: error: {root}/first-meeting.yaml already exists; nothing was written"
    )
    assert [p.name for p in root.iterdir()] == ["first-meeting.yaml"]
    assert (root / "first-meeting.yaml").read_text(encoding="utf-8") == "mine\n"


def test_importing_an_empty_story_writes_nothing(tmp_path):
    story = tmp_path / "empty.twee"
    story.write_text(":: StoryTitle\nEmpty\n", encoding="utf-8")
    ran = mq("import", "twee", story, "--out", tmp_path / "lib")
    assert ran.code == 2 and "the story has no passages to import" in ran.err
    assert not (tmp_path / "lib").exists()


def test_a_schema_with_other_content_is_never_overwritten(tmp_path):
    root = tmp_path / "p4"
    (root / "schema").mkdir(parents=True)
    (root / "schema" / "scenario.schema.json").write_text("{}\n", encoding="utf-8")
    ran = mq("new", "programme", root)
    assert ran.code == 2
    assert "scenario.schema.json already exists with other content" in ran.err
    assert "mentorquest schema --write" in ran.err
    assert (root / "schema" / "scenario.schema.json").read_text(encoding="utf-8") == "{}\n"
    assert sorted(p.name for p in root.rglob("*")) == ["scenario.schema.json", "schema"]


def test_a_schema_with_the_same_content_is_left_as_it_is(tmp_path):
    root = tmp_path / "p5"
    (root / "schema").mkdir(parents=True)
    (root / "schema" / FILES["scenario"]).write_text(schema_text("scenario"), encoding="utf-8")
    ran = mq("new", "programme", root)
    assert ran.code == 0, ran.err
    assert f"wrote {root}/schema/{FILES['scenario']}" not in ran.out
    assert problems(root) == []


def test_suggested_commands_are_quoted_for_the_shell(tmp_path):
    root = tmp_path / "Weird Name_Ünï"
    ran = mq("new", "programme", root)
    assert (
        ran.out.splitlines()[-1]
        == f"next: mentorquest validate '{root}'; mentorquest test '{root}'"
    )
    assert f"#   mentorquest validate '{root}'\n" in (root / "programme.yaml").read_text(
        encoding="utf-8"
    )
    scenario = (root / "first-meeting.yaml").read_text(encoding="utf-8")
    assert f"#   mentorquest explore --library '{root}' first-meeting " in scenario


@pytest.mark.parametrize("victim", ["programme.yaml", "missed-sessions.yaml"])
def test_graph_out_never_replaces_a_file_of_the_library_it_reads(tmp_path, victim):
    from tests.helpers import write_library

    root = write_library(tmp_path / "lib")
    target = root / victim
    before = target.read_bytes()
    ran = mq("graph", "missed-sessions", "--library", root, "--out", target)
    no_traceback(ran)
    assert ran.code == 2
    assert "it is one of mentorquest's own files" in ran.err
    assert target.read_bytes() == before
    assert mq("graph", "missed-sessions", "--library", root, "--out", root / "g.mmd").code == 0
