"""The compiled-library cache: same library as the YAML, never stale, never trusted blindly."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from mentorquest.bundled import library_path
from mentorquest.errors import LibraryError
from mentorquest.language import compiled
from mentorquest.language.library import load_library
from tests.helpers import write_library


def _same(a, b) -> None:
    assert a.programme == b.programme
    assert a.scenarios == b.scenarios
    assert [s.content_hash for s in a.scenarios.values()] == [
        s.content_hash for s in b.scenarios.values()
    ]
    assert {k: c.source for k, c in a.conditions.items()} == {
        k: c.source for k, c in b.conditions.items()
    }
    assert {sid: a.file_of(sid) for sid in a.scenarios} == {sid: b.file_of(sid) for sid in b.scenarios}


def test_bundled_library_from_the_cache_equals_the_checked_one():
    root = library_path()
    checked = load_library(root).library
    first = compiled.open_library(root)  # a miss: checked, then written
    cache = compiled.cache_file(root)
    assert cache is not None and cache.is_file()
    second = compiled.open_library(root)  # a hit
    assert second.documents == {}  # proof it came from the cache, not the YAML
    assert first.documents
    _same(checked, first)
    _same(checked, second)
    assert second.conditions  # the bundled library has conditions; all parsed again


def test_a_warm_start_never_loads_the_validator(tmp_path):
    root = write_library(tmp_path / "lib")
    compiled.open_library(root)
    code = (
        "import sys\n"
        "from mentorquest.language.compiled import open_library\n"
        f"library = open_library({str(root)!r})\n"
        "assert library.documents == {}, 'not from the cache'\n"
        "print(sorted(m for m in ('pydantic', 'yaml', 'sqlalchemy') if m in sys.modules))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


def test_an_edited_file_is_checked_again(tmp_path):
    root = write_library(tmp_path / "lib")
    before = compiled.open_library(root)
    scenario_file = next(p for p in root.rglob("*.yaml") if p.name != "programme.yaml")
    scenario_id = next(s.id for s in before.scenarios.values() if before.file_of(s.id).endswith(scenario_file.name))
    text = scenario_file.read_text()
    old_title = before.scenarios[scenario_id].title
    scenario_file.write_text(text.replace(f"title: {old_title}", "title: A new title", 1))
    after = compiled.open_library(root)
    assert after.documents, "an edited library must be read from its files"
    assert after.scenarios[scenario_id].title == "A new title"
    assert after.scenarios[scenario_id].content_hash != before.scenarios[scenario_id].content_hash


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


def test_a_library_with_errors_is_refused_and_not_cached(tmp_path):
    root = write_library(tmp_path / "lib")
    (root / "broken.yaml").write_text("format: 1\nid: broken\n")
    with pytest.raises(LibraryError):
        compiled.open_library(root)
    cache = compiled.cache_file(root)
    assert cache is not None and not cache.exists()


@pytest.mark.parametrize(
    "damage",
    [
        lambda text: "",
        lambda text: text[: len(text) // 2],
        lambda text: "\x00\xff garbage",
        lambda text: "[]",
        lambda text: json.dumps({**json.loads(text), "scenarios": [{"data": {}}]}),
        lambda text: json.dumps({**json.loads(text), "programme": {"id": 3}}),
        lambda text: json.dumps({**json.loads(text), "compiled": 999}),
        # A condition that is code, not a condition: parsed, refused, never run.
        lambda text: text.replace('"if":"', '"if":"__import__(\'os\').system(\'false\') or ', 1),
    ],
)
def test_a_damaged_cache_is_a_miss_and_is_rewritten(tmp_path, damage):
    root = library_path()
    good = compiled.open_library(root)
    cache = compiled.cache_file(root)
    assert cache is not None
    text = cache.read_text(encoding="utf-8")
    assert '"if":"' in text
    cache.write_bytes(damage(text).encode("utf-8", "surrogateescape"))
    again = compiled.open_library(root)
    assert again.documents, "a damaged cache must not be used"
    _same(good, again)
    assert json.loads(cache.read_text(encoding="utf-8"))["fingerprint"] == compiled.fingerprint(root)


def test_no_writable_cache_folder_still_opens(tmp_path, monkeypatch):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where the home folder should be")
    monkeypatch.setenv("MENTORQUEST_HOME", str(blocker / "home"))
    root = write_library(tmp_path / "lib")
    assert compiled.cache_file(root) is None
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
