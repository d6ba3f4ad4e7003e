"""Opening a library for play, through a cache of its checked form.

Checking a library (YAML with positions, the validator, cross-references) is heavy: it
loads pydantic and builds every object. A player only needs the result. So the first
time a library is opened for play it is checked as usual and its checked form is written
to the cache folder; later opens read it back into the format's own classes with the
generic `shapes` reader and never import the validator.

The cache is written in two parts: an index (the programme, each scenario without its
scenes, and the files it was compiled from) and one file per scenario holding its scenes,
read only when that scenario's scenes are first needed, so a library of hundreds of
scenarios opens as fast as a small one.

The cache can never be stale:
- its key covers the code that reads and writes it (every module of this package and
  `shapes`, byte for byte), so a new or edited mentorquest never reads an old cache;
- every file of the library is listed again at each open; a file whose size or
  modification time differ, or was modified too close to the cache's writing for its
  time to prove anything (as git does with its index), is read and its digest compared;
  an added or removed file is a miss;
- a cache file that cannot be read for any reason is a miss, and a full check follows.
"""

from __future__ import annotations

import dataclasses
import json
import os
import tempfile
import time
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING, Any

from mentorquest import __version__, shapes
from mentorquest.errors import LibraryError
from mentorquest.language.files import (
    FileProblem,
    LibraryFile,
    digest_of,
    library_files,
    read_bytes,
)
from mentorquest.language.format import Programme, Scenario, Scene
from mentorquest.language.library import Library
from mentorquest.locations import blake2b

if TYPE_CHECKING:
    from mentorquest.language.loader import Source

COMPILED_FORMAT = 2
# A file modified within this long of the cache being written is re-read to be sure:
# its modification time cannot tell an edit made in the same instant (file systems
# count time in steps as long as two seconds).
RACY_NS = 2_000_000_000
# Scene files no index refers to are removed once they are this old.
PRUNE_AFTER_S = 600

_INDEX = "index.json"
_SCENES = Mapping[str, Scene]


def open_library(root: Path | str) -> Library:
    """A library for play: from the cache when its files are unchanged, else checked.

    Raises UsageError for a missing folder or programme and LibraryError (with the
    diagnostics) for a library with errors, exactly as the uncached loader does.
    """
    root = Path(root)
    programme_file, scenario_files = library_files(root)
    files = [programme_file, *scenario_files]
    folder = cache_folder(root)
    if folder is not None and not any(f.problem for f in files):
        library = read(folder, root, files)
        if library is not None:
            return library
    from mentorquest.language.loader import load_library, playable

    result = load_library(root)
    library = playable(result, root)
    if folder is not None:
        write(folder, library, result.sources)
    return library


# --- where, and for which code -----------------------------------------------------------


def cache_folder(root: Path) -> Path | None:
    """The cache folder of the library at `root`; None when there is nowhere to write."""
    from mentorquest.locations import cache_dir

    key = blake2b(
        f"{root.resolve()}\0{root}".encode("utf-8", "surrogateescape"), digest_size=12
    ).hexdigest()
    try:
        folder = cache_dir() / "libraries" / key
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # every open checks the library in full
    return folder


def code_digest() -> str:
    """A digest of the code that writes and reads the cache: this package and `shapes`."""
    from mentorquest.locations import code_digest as digest_of

    here = Path(__file__).resolve().parent
    return digest_of(
        f"mentorquest {__version__} compiled {COMPILED_FORMAT}",
        [*sorted(here.glob("*.py")), here.parent / "shapes.py"],
    )


# --- writing ---------------------------------------------------------------------------------


def write(folder: Path, library: Library, sources: list[Source]) -> None:
    """Write the cache: the scene files first, then the index (atomically).

    Failing to write only costs the next start its time; it is never an error.
    """
    try:
        scenarios = []
        for sid, scenario in library.scenarios.items():
            header = shapes.to_data(scenario)
            scenes = header.pop("scenes")
            text = json.dumps(scenes, ensure_ascii=False, separators=(",", ":"))
            name = digest_of(text.encode("utf-8")) + ".json"
            if not (folder / name).exists():
                _write_atomically(folder / name, text)
            scenarios.append(
                {
                    "header": header,
                    "file": library.files[sid],
                    "content_hash": library.content_hashes[sid],
                    "scenes": name,
                }
            )
        index = {
            "compiled": COMPILED_FORMAT,
            "code": code_digest(),
            "root": str(library.root),
            "written_at_ns": time.time_ns(),
            "sources": [list(source) for source in sources],
            "programme": shapes.to_data(library.programme),
            "scenarios": scenarios,
        }
        _write_atomically(folder / _INDEX, json.dumps(index, ensure_ascii=False))
        _prune(folder, {entry["scenes"] for entry in scenarios})
    except OSError:
        pass


def _write_atomically(target: Path, text: str) -> None:
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".writing-", suffix=".json")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise


def _prune(folder: Path, keep: set[str]) -> None:
    limit = time.time() - PRUNE_AFTER_S
    for path in folder.glob("*.json"):
        if path.name != _INDEX and path.name not in keep:
            try:
                if path.stat().st_mtime < limit:
                    path.unlink()
            except OSError:
                pass


# --- reading ---------------------------------------------------------------------------------


def read(folder: Path, root: Path, files: list[LibraryFile]) -> Library | None:
    """The library from its cache, or None when the cache is missing, stale or unreadable."""
    try:
        index = json.loads((folder / _INDEX).read_bytes())
        if (
            not isinstance(index, dict)
            or index.get("compiled") != COMPILED_FORMAT
            or index.get("code") != code_digest()
            or index.get("root") != str(root)
            or not _current(index, files)
        ):
            return None
        library = Library(root, shapes.from_data(Programme, index["programme"]), {})
        for entry in index["scenarios"]:
            scenario = shapes.from_data(Scenario, {**entry["header"], "scenes": {}})
            scenes = LazyScenes(_scene_loader(folder, root, scenario.id, entry))
            scenario = dataclasses.replace(scenario, scenes=scenes)
            library.scenarios[scenario.id] = scenario
            library.files[scenario.id] = _string(entry["file"])
            library.content_hashes[scenario.id] = _string(entry["content_hash"])
        return library
    except (OSError, ValueError, KeyError, TypeError, AttributeError, RecursionError):
        return None


def _string(value: Any) -> str:
    if not isinstance(value, str):
        raise TypeError("expected a string")
    return value


def _current(index: dict[str, Any], files: list[LibraryFile]) -> bool:
    """Are the library's files exactly those the cache was compiled from?"""
    sources = {entry[0]: entry for entry in index["sources"]}
    if len(sources) != len(files):
        return False
    racy_from = int(index["written_at_ns"]) - RACY_NS
    for file in files:
        source = sources.get(file.relative)
        if source is None:
            return False
        if len(source) != 6:
            return False
        _, size, mtime_ns, digest, ctime_ns, inode = source
        if (
            (size, mtime_ns, ctime_ns, inode)
            == (file.size, file.mtime_ns, file.ctime_ns, file.inode)
            and mtime_ns < racy_from  # (an edit in the same clock tick as the cache)
        ):
            continue
        try:
            if digest_of(read_bytes(file)) != digest:
                return False
        except FileProblem:
            return False
    return True


class LazyScenes(Mapping[str, Scene]):
    """A scenario's scenes, read from the cache the first time they are needed."""

    __slots__ = ("_load", "_scenes")

    def __init__(self, load: Callable[[], dict[str, Scene]]) -> None:
        self._load = load
        self._scenes: dict[str, Scene] | None = None

    def _get(self) -> dict[str, Scene]:
        if self._scenes is None:
            self._scenes = self._load()
        return self._scenes

    def __getitem__(self, key: str) -> Scene:
        return self._get()[key]

    def __iter__(self) -> Iterator[str]:
        return iter(self._get())

    def __len__(self) -> int:
        return len(self._get())

    def __repr__(self) -> str:
        return "LazyScenes(...)" if self._scenes is None else repr(self._scenes)


def _scene_loader(
    folder: Path, root: Path, scenario_id: str, entry: dict[str, Any]
) -> Callable[[], dict[str, Scene]]:
    name = _string(entry["scenes"])
    content_hash = _string(entry["content_hash"])

    def load() -> dict[str, Scene]:
        try:
            raw = (folder / name).read_bytes()
            if digest_of(raw) + ".json" != name:
                raise ValueError("damaged")
            scenes: dict[str, Scene] = shapes.read(_SCENES, json.loads(raw), "scenes")
            return scenes
        except (OSError, ValueError, RecursionError):
            return _scenes_from_source(root, scenario_id, content_hash)

    return load


def _scenes_from_source(root: Path, scenario_id: str, content_hash: str) -> dict[str, Scene]:
    """The scenes as the library's files say, when their cached copy cannot be read."""
    from mentorquest.language.loader import load_library

    result = load_library(root)
    library = result.library
    if (
        result.ok
        and library is not None
        and library.content_hashes.get(scenario_id) == content_hash
    ):
        return dict(library.scenarios[scenario_id].scenes)
    raise LibraryError(
        f"scenario '{scenario_id}' in {root} changed while mentorquest was running; "
        "start mentorquest again to play the new version"
    )
