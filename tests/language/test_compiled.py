"""The compiled-library cache: same library as the YAML, never stale, never trusted blindly."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mentorquest.bundled import library_path
from mentorquest.errors import LibraryError
from mentorquest.language import compiled
from mentorquest.language.compiled import LazyScenes
from mentorquest.language.loader import load_library
from tests.helpers import write_library


def _same(a, b) -> None:
    assert a.programme == b.programme
    assert a.scenarios == b.scenarios
    assert a.content_hashes == b.content_hashes
    for sid in a.scenarios:
        assert {k: c.source for k, c in a.conditions(sid).items()} == {
            k: c.source for k, c in b.conditions(sid).items()
        }
    assert {sid: a.file_of(sid) for sid in a.scenarios} == {
        sid: b.file_of(sid) for sid in b.scenarios
    }


def _index(root: Path) -> Path:
    folder = compiled.cache_folder(root)
    assert folder is not None
    return folder / "index.json"


def test_bundled_library_from_the_cache_equals_the_checked_one():
    root = library_path()
    checked = load_library(root).library
    first = compiled.open_library(root)  # a miss: checked, then written
    assert _index(root).is_file()
    second = compiled.open_library(root)  # a hit
    assert second.documents == {}  # proof it came from the cache, not the YAML
    assert first.documents
    _same(checked, first)
    _same(checked, second)
    assert any(second.conditions(sid) for sid in second.scenarios)


def test_scenes_are_read_only_when_a_scenario_is_played(tmp_path):
    root = write_library(tmp_path / "lib")
    compiled.open_library(root)
    library = compiled.open_library(root)
    scenes = [s.scenes for s in library.scenarios.values()]
    assert all(isinstance(s, LazyScenes) and s._scenes is None for s in scenes)
    assert library.scenarios["missed-sessions"].title == "The missed sessions"
    assert "opening" in library.scenarios["missed-sessions"].scenes
    assert library.scenarios["missed-sessions"].scenes._scenes is not None
    assert library.scenarios["speaking-up"].scenes._scenes is None


def test_a_warm_start_never_loads_the_validator(tmp_path):
    root = write_library(tmp_path / "lib")
    compiled.open_library(root)
    code = (
        "import sys\n"
        "from mentorquest.language.compiled import open_library\n"
        f"library = open_library({str(root)!r})\n"
        "assert library.documents == {}, 'not from the cache'\n"
        "assert all(library.scenarios[s].scenes for s in library.scenarios)\n"
        "print(sorted(m for m in ('pydantic', 'yaml') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def _scenario_file(root: Path) -> Path:
    return root / "missed-sessions.yaml"


def test_an_edited_file_is_checked_again(tmp_path):
    root = write_library(tmp_path / "lib")
    before = compiled.open_library(root)
    path = _scenario_file(root)
    path.write_text(path.read_text().replace("title: The missed sessions", "title: A new title", 1))
    after = compiled.open_library(root)
    assert after.documents, "an edited library must be read from its files"
    assert after.scenarios["missed-sessions"].title == "A new title"
    assert after.content_hashes["missed-sessions"] != before.content_hashes["missed-sessions"]


def test_an_edit_that_keeps_size_and_time_is_seen_when_the_cache_is_new(tmp_path):
    root = write_library(tmp_path / "lib")
    compiled.open_library(root)
    path = _scenario_file(root)
    info = path.stat()
    path.write_text(path.read_text().replace("Priya has missed", "Priya has mossed", 1))
    os.utime(path, ns=(info.st_atime_ns, info.st_mtime_ns))
    assert path.stat().st_size == info.st_size
    after = compiled.open_library(root)
    assert "mossed" in after.scenarios["missed-sessions"].scenes["opening"].text


def test_an_old_file_edited_and_given_back_its_time_is_seen(tmp_path):
    # As `touch -d`, `cp -p`, rsync -a or an unpacked archive leave it: same size, same
    # (old) modification time, a cache written long after that time.
    root = write_library(tmp_path / "lib")
    path = _scenario_file(root)
    old = 1_577_836_800_000_000_000  # 2020-01-01
    os.utime(path, ns=(old, old))
    compiled.open_library(root)
    size = path.stat().st_size
    path.write_text(path.read_text().replace("Priya has missed", "Priya has mossed", 1))
    os.utime(path, ns=(old, old))
    assert (path.stat().st_size, path.stat().st_mtime_ns) == (size, old)
    after = compiled.open_library(root)
    assert "mossed" in after.scenarios["missed-sessions"].scenes["opening"].text


def test_an_added_or_removed_file_is_checked_again(tmp_path):
    root = write_library(tmp_path / "lib")
    first = compiled.open_library(root)
    extra = root / "extra.yaml"
    extra.write_text(
        "format: 1\nid: extra\ntitle: Extra\nroles: [mentor]\nstart: a\n"
        "scenes:\n  a: {text: The end., ending: strong}\n"
    )
    assert "extra" in compiled.open_library(root).scenarios
    extra.unlink()
    again = compiled.open_library(root)
    assert "extra" not in again.scenarios
    assert again.scenarios == first.scenarios


def test_the_cache_of_other_code_is_never_read(tmp_path, monkeypatch):
    root = write_library(tmp_path / "lib")
    compiled.open_library(root)
    assert compiled.open_library(root).documents == {}
    monkeypatch.setattr(compiled, "code_digest", lambda: "the digest of other code")
    assert compiled.open_library(root).documents, "a cache written by other code must be a miss"


def test_a_library_with_errors_is_refused_and_not_cached(tmp_path):
    root = write_library(tmp_path / "lib")
    (root / "broken.yaml").write_text("format: 1\nid: broken\n")
    with pytest.raises(LibraryError):
        compiled.open_library(root)
    assert not _index(root).exists()


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: "",
        lambda text: text[: len(text) // 2],
        lambda text: "\x00\xff garbage",
        lambda text: "[]",
        lambda text: json.dumps({**json.loads(text), "scenarios": [{"header": {}}]}),
        lambda text: json.dumps({**json.loads(text), "programme": {"id": 3}}),
        lambda text: json.dumps({**json.loads(text), "compiled": 999}),
        lambda text: json.dumps({**json.loads(text), "sources": []}),
    ],
)
def test_a_damaged_index_is_a_miss_and_is_rewritten(damage):
    root = library_path()
    good = compiled.open_library(root)
    index = _index(root)
    text = index.read_text(encoding="utf-8")
    index.write_bytes(damage(text).encode("utf-8", "surrogateescape"))
    again = compiled.open_library(root)
    assert again.documents, "a damaged cache must not be used"
    _same(good, again)
    assert compiled.open_library(root).documents == {}, "the cache was written again"


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: "",
        lambda text: "{}",
        # A condition that is code, not a condition: the file no longer matches its
        # digest, so it is never read; the scenes come from the YAML.
        lambda text: text.replace('"if":"', "\"if\":\"__import__('os').system('false') or ", 1),
    ],
)
def test_a_damaged_scene_file_is_read_from_the_library_instead(damage):
    root = library_path()
    checked = load_library(root).library
    compiled.open_library(root)
    folder = compiled.cache_folder(root)
    index = json.loads((folder / "index.json").read_text(encoding="utf-8"))
    for entry in index["scenarios"]:
        path = folder / entry["scenes"]
        path.write_text(damage(path.read_text(encoding="utf-8")), encoding="utf-8")
    library = compiled.open_library(root)
    assert library.documents == {}
    _same(checked, library)


def test_no_writable_cache_folder_still_opens(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the home folder should be")
    monkeypatch.setenv("MENTORQUEST_HOME", str(blocker / "home"))
    root = write_library(tmp_path / "lib")
    assert compiled.cache_folder(root) is None
    library = compiled.open_library(root)
    assert library.scenarios and library.documents


def test_the_same_folder_named_two_ways_keeps_its_own_file_names(tmp_path, monkeypatch):
    root = write_library(tmp_path / "lib")
    monkeypatch.chdir(tmp_path)
    by_absolute = compiled.open_library(root)
    by_relative = compiled.open_library(Path("lib"))
    sid = next(iter(by_absolute.scenarios))
    assert by_absolute.file_of(sid).startswith(str(root))
    assert by_relative.file_of(sid).startswith("lib")
    assert compiled.open_library(Path("lib")).file_of(sid) == by_relative.file_of(sid)


def test_playing_a_sound_scenario_never_reads_its_yaml_again(tmp_path):
    # Positions are looked up only to report a problem; a library from its cache has none,
    # and finding one means parsing the file again (time and memory in every player).
    from mentorquest.engine.analysis import analyse

    root = write_library(tmp_path / "lib")
    compiled.open_library(root)
    library = compiled.open_library(root)
    assert library.documents == {}
    sound = [sid for sid in library.scenarios if not analyse(library, sid).diagnostics]
    assert sound
    assert not set(sound) & set(library._reread_documents)


def test_a_player_never_reads_a_scenarios_yaml_again_even_for_one_with_warnings(tmp_path):
    # Players show no warnings, so the engine's analysis (kept in the cache, errors only)
    # finds none, and never parses a file again to place one.
    from mentorquest.engine import Engine
    from mentorquest.engine.analysis import analyse

    root = write_library(tmp_path / "lib")
    compiled.open_library(root)
    library = compiled.open_library(root)
    warned = [sid for sid in library.scenarios if analyse(library, sid).diagnostics]
    assert warned  # the library has a scenario a trainer is warned about
    library = compiled.open_library(root)
    engine = Engine(library)
    for sid in library.scenarios:
        assert engine.analysis(sid).errors == []
    assert library._reread_documents == {}
