"""Opening a library for play, through a cache of its checked, compiled form.

Checking a library (YAML with positions, pydantic models, cross-references) is the
validator's job, and it is heavy: it loads pydantic and builds every model. A player only
needs the result. So the first time a library is opened for play it is checked as
usual, and its normalised form is written as JSON to the cache folder; later opens of
the same files read that JSON back into the light runtime objects of `runtime`, and
never import the validator.

The cache is keyed by a fingerprint of the exact bytes of every file of the library
(and of this version of mentorquest), so an edited, added or removed file means a miss
and a full check. A cache file that cannot be read for any reason is a miss too; it is
only ever a copy of what the YAML says. Conditions are parsed again from their source
on reading, never stored as code.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Any

from mentorquest import __version__
from mentorquest.language.files import find_files
from mentorquest.language.runtime import Library, plain, programme_from, scenario_from

COMPILED_FORMAT = 1

_DUMP_SEPARATORS = (",", ":")


def open_library(root: Path | str) -> Library:
    """A library for play: from the cache when its files are unchanged, else checked.

    Raises UsageError for a missing folder or programme and LibraryError (with the
    diagnostics) for a library with errors, exactly as the uncached loader does.
    """
    root = Path(root)
    before = fingerprint(root)
    cache = cache_file(root)
    if cache is not None:
        library = read(cache, root, before)
        if library is not None:
            return library
    from mentorquest.language.library import open_library as check_and_open

    library = check_and_open(root)
    # Only a library whose files did not change while it was read is worth keeping.
    if cache is not None and fingerprint(root) == before:
        write(cache, before, library)
    return library


def fingerprint(root: Path) -> str:
    """A digest of everything that decides what a library is: every file, byte for byte."""
    programme, scenarios = find_files(root)
    digest = hashlib.blake2b(digest_size=20)
    digest.update(f"mentorquest {__version__}\0compiled {COMPILED_FORMAT}\0{root}\0".encode())
    for path in (programme, *scenarios):
        try:
            content = path.read_bytes()
        except OSError:
            content = b"\0unreadable"
        name = os.path.relpath(path, root).encode("utf-8", "surrogateescape")
        digest.update(b"%d:%s%d:" % (len(name), name, len(content)))
        digest.update(content)
    return digest.hexdigest()


def cache_file(root: Path) -> Path | None:
    """Where the compiled form of the library at `root` lives (one file per folder)."""
    from mentorquest.locations import cache_dir

    try:
        folder = cache_dir() / "libraries"
        folder.mkdir(parents=True, exist_ok=True)
    except OSError:
        return None  # nowhere to write: every open checks the library in full
    key = hashlib.blake2b(
        f"{root.resolve()}\0{root}".encode("utf-8", "surrogateescape"), digest_size=12
    )
    return folder / f"{key.hexdigest()}.json"


def dump(library: Library, fingerprint: str) -> dict[str, Any]:
    """The compiled form: the normalised JSON of each file, as `runtime` reads it."""
    return {
        "compiled": COMPILED_FORMAT,
        "fingerprint": fingerprint,
        "programme": plain(library.programme),
        "scenarios": [
            {
                "file": library.file_of(sid),
                "content_hash": scenario.content_hash,
                "data": _scenario_json(plain(scenario)),
            }
            for sid, scenario in library.scenarios.items()
        ],
    }


def write(cache: Path, fingerprint: str, library: Library) -> None:
    """Write the cache atomically; failing to write it only costs the next start time."""
    try:
        text = json.dumps(dump(library, fingerprint), ensure_ascii=False, separators=_DUMP_SEPARATORS)
        handle, temporary = tempfile.mkstemp(dir=cache.parent, prefix=".compiling-", suffix=".json")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                out.write(text)
            os.replace(temporary, cache)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)
            raise
    except OSError:
        pass


def read(cache: Path, root: Path, fingerprint: str) -> Library | None:
    """The library from its cache file, or None when it is missing, stale or unreadable."""
    from mentorquest.language.conditions import ConditionError, parse_condition

    try:
        data = json.loads(cache.read_bytes())
        if data.get("compiled") != COMPILED_FORMAT or data.get("fingerprint") != fingerprint:
            return None
        library = Library(root, programme_from(data["programme"]), {})
        for entry in data["scenarios"]:
            scenario = scenario_from(entry["data"], entry["content_hash"])
            library.scenarios[scenario.id] = scenario
            library.files[scenario.id] = entry["file"]
            for scene_id, scene in scenario.scenes.items():
                for index, choice in enumerate(scene.choices):
                    if choice.if_:
                        library.conditions[(scenario.id, scene_id, index)] = parse_condition(
                            choice.if_
                        )
        return library
    except (OSError, ValueError, KeyError, TypeError, AttributeError, ConditionError):
        return None


def _scenario_json(data: dict[str, Any]) -> dict[str, Any]:
    """The plain form of a runtime scenario, with the file's own key for conditions ("if")."""
    data.pop("content_hash", None)
    for scene in data["scenes"].values():
        for choice in scene["choices"]:
            choice["if"] = choice.pop("if_")
    return data
