"""The bundled library's golden walks as transcript tests, run by `mentorquest test`.

The library keeps them beside its scenarios as `scenarios/*.test.yaml` (converted from
the walks recorded in tests/library/paths by `python -m mentorquest.toolkit.convert_golden
tests/library/paths scenarios`). Until it does, the recorded walks are converted here and
run the same way, so this never passes on nothing.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import yaml

from mentorquest.bundled import library_path
from mentorquest.toolkit.convert_golden import main as convert_main
from tests.toolkit.helpers import mq, no_traceback

REPO = Path(__file__).resolve().parents[2]
RECORDED = REPO / "tests" / "library" / "paths"
KEPT = sorted(library_path().glob("*.test.yaml"))


def recorded_cases() -> int:
    return sum(
        len(yaml.safe_load(p.read_text(encoding="utf-8"))["paths"]) for p in RECORDED.glob("*.yaml")
    )


def test_the_converter_turns_every_recorded_walk_into_a_passing_case(tmp_path):
    library = tmp_path / "scenarios"
    shutil.copytree(library_path(), library)
    assert convert_main([str(RECORDED), str(library)]) == 0
    converted = sorted(library.glob("*.test.yaml"))
    assert {p.name for p in converted} == {f"{p.stem}.test.yaml" for p in RECORDED.glob("*.yaml")}
    ran = mq("test", library)
    assert ran.code == 0, ran.out
    assert ran.out.splitlines()[-1] == f"{recorded_cases()} passed, 0 failed"


def test_converted_files_name_the_transcript_schema_beside_the_library(tmp_path):
    (tmp_path / "schema").mkdir()
    shutil.copy(REPO / "schema" / "transcript.schema.json", tmp_path / "schema")
    target = tmp_path / "scenarios"
    assert convert_main([str(RECORDED), str(target)]) == 0
    first = next(target.glob("*.test.yaml")).read_text(encoding="utf-8").splitlines()[0]
    assert first == "# yaml-language-server: $schema=../schema/transcript.schema.json"


def test_the_converter_never_overwrites_without_force(tmp_path, capsys):
    assert convert_main([str(RECORDED), str(tmp_path)]) == 0
    assert convert_main([str(RECORDED), str(tmp_path)]) == 2
    assert "already exists; give --force to replace it" in capsys.readouterr().err
    assert convert_main([str(RECORDED), str(tmp_path), "--force"]) == 0


def test_the_converter_refuses_what_is_not_a_golden_walk(tmp_path, capsys):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "x.yaml").write_text("just: text\n", encoding="utf-8")
    assert convert_main([str(tmp_path / "in"), str(tmp_path / "out")]) == 2
    assert "not a golden-walk file (it needs 'scenario' and 'paths')" in capsys.readouterr().err


def test_a_failing_golden_walk_fails(tmp_path):
    library = tmp_path / "scenarios"
    shutil.copytree(library_path(), library)
    convert_main([str(RECORDED), str(library)])
    one = sorted(library.glob("*.test.yaml"))[0]
    one.write_text(
        one.read_text(encoding="utf-8").replace("percent: 100", "percent: 99", 1), encoding="utf-8"
    )
    ran = mq("test", library)
    no_traceback(ran)
    assert ran.code == 1
    assert "expected percent 99, got 100" in ran.out


def test_the_bundled_library_golden_walks_pass(tmp_path):
    """Runs scenarios/*.test.yaml, every scenario having one; until the library keeps
    them, the recorded walks converted into a copy of it (never nothing)."""
    from mentorquest.language import open_library

    if KEPT:
        scenarios = set(open_library(library_path()).scenarios)
        kept = {p.name.removesuffix(".test.yaml") for p in KEPT}
        assert scenarios <= kept, f"no transcript tests for {sorted(scenarios - kept)}"
        where = library_path()
    else:
        where = tmp_path / "scenarios"
        shutil.copytree(library_path(), where)
        assert convert_main([str(RECORDED), str(where)]) == 0
    ran = mq("test", where)
    assert ran.code == 0, ran.out
    passed, _, rest = ran.out.splitlines()[-1].partition(" passed, ")
    assert int(passed) > 0 and rest == "0 failed"
