"""Which files make up a library folder, and reading them safely.

A library is a folder with `programme.yaml` at its root; every other `*.yaml` or `*.yml`
file below it (hidden files and folders skipped, and transcript tests, `*.test.yaml`) is
a scenario file. Only regular files
are read: a FIFO, a device, a socket, or a symlink that leads out of the library folder
is refused with a message before anything is opened, and a file's size is checked before
it is read, so no file can make a command hang or read without limit.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import NamedTuple

from mentorquest.errors import UsageError
from mentorquest.locations import blake2b

PROGRAMME_FILE = "programme.yaml"
PROGRAMME_FILES = (PROGRAMME_FILE, "programme.yml")
MAX_FILE_BYTES = 5 * 1024 * 1024
_YAML_SUFFIXES = (".yaml", ".yml")
# Transcript tests kept beside the scenarios (`mentorquest test`): not scenario files.
TEST_SUFFIXES = (".test.yaml", ".test.yml")


class LibraryFile(NamedTuple):
    """One file of a library: where it is, its size and modification time, or why it is refused."""

    path: Path
    relative: str  # to the library folder, with '/' separators
    size: int
    mtime_ns: int
    problem: str | None = None
    # With the size and modification time, what tells a file changed without reading it
    # (as git's index does): a file written again and given back its old time (`touch -d`,
    # `cp -p`, an archive unpacked) has a new status-change time, or is a new file.
    ctime_ns: int = 0
    inode: int = 0


class FileProblem(Exception):
    """A library file that cannot be read; the message says why, for a `FILE: error:` line."""


def library_files(root: Path) -> tuple[LibraryFile, list[LibraryFile]]:
    """The programme file and the scenario files of a library folder, in a stable order.

    Raises UsageError when the folder or its programme file is missing. Files that may
    not be read are listed with their `problem` set, so that they are reported, not skipped.
    """
    if not root.exists():
        raise UsageError(f"{root}: no such folder")
    if not root.is_dir():
        raise UsageError(f"{root}: not a folder; give the folder that holds programme.yaml")
    real_root = root.resolve()
    programme: LibraryFile | None = None
    scenarios: list[LibraryFile] = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        at_root = Path(folder) == root
        for name in sorted(names):
            if (
                name.startswith(".")
                or not name.endswith(_YAML_SUFFIXES)
                or name.endswith(TEST_SUFFIXES)
            ):
                continue
            entry = _entry(Path(folder) / name, root, real_root)
            if (
                at_root
                and name in PROGRAMME_FILES
                and (programme is None or name == PROGRAMME_FILE)
            ):
                if programme is not None:
                    scenarios.append(programme)
                programme = entry
            else:
                scenarios.append(entry)
    if programme is None:
        raise UsageError(f"{root}: no {PROGRAMME_FILE} here; a library folder starts with one")
    scenarios.sort(key=lambda f: f.path)
    from mentorquest.outfiles import protect

    for file in (programme, *scenarios):
        protect(file.path)  # no --out of a command reading the library may replace it
    return programme, scenarios


def _entry(path: Path, root: Path, real_root: Path) -> LibraryFile:
    relative = path.relative_to(root).as_posix()
    try:
        info = os.lstat(path)
        if stat.S_ISLNK(info.st_mode):
            target = path.resolve()
            if not target.is_relative_to(real_root):
                return LibraryFile(
                    path,
                    relative,
                    0,
                    0,
                    "a symlink to a file outside the library folder; copy the file in instead",
                )
            info = os.stat(path)
    except (OSError, RuntimeError) as error:  # RuntimeError: a symlink loop
        reason = getattr(error, "strerror", None) or str(error)
        return LibraryFile(path, relative, 0, 0, f"cannot read file: {reason}")
    if not stat.S_ISREG(info.st_mode):
        return LibraryFile(
            path,
            relative,
            0,
            0,
            f"not a regular file ({file_kind(info.st_mode)}); a library holds only files",
        )
    if info.st_size > MAX_FILE_BYTES:
        return LibraryFile(
            path,
            relative,
            info.st_size,
            info.st_mtime_ns,
            f"file is {info.st_size:,} bytes; scenario files may be at most {MAX_FILE_BYTES:,} bytes (5 MB)",
        )
    return LibraryFile(
        path, relative, info.st_size, info.st_mtime_ns, None, info.st_ctime_ns, info.st_ino
    )


def file_kind(mode: int) -> str:
    if stat.S_ISFIFO(mode):
        return "a named pipe"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISDIR(mode):
        return "a folder"
    return "not a file"


def read_bytes(file: LibraryFile) -> bytes:
    """The file's bytes, read as a regular file of at most MAX_FILE_BYTES; FileProblem if not."""
    if file.problem is not None:
        raise FileProblem(file.problem)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
    try:
        fd = os.open(file.path, flags)
    except OSError as error:
        raise FileProblem(f"cannot read file: {error.strerror or error}") from None
    with os.fdopen(fd, "rb") as handle:
        # The file may have been swapped for something else since it was listed.
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode):
            raise FileProblem(
                f"not a regular file ({file_kind(info.st_mode)}); a library holds only files"
            )
        data = handle.read(MAX_FILE_BYTES + 1)
    if len(data) > MAX_FILE_BYTES:
        raise FileProblem(
            f"file is over {MAX_FILE_BYTES:,} bytes; scenario files may be at most {MAX_FILE_BYTES:,} bytes (5 MB)"
        )
    return data


def digest_of(raw: bytes) -> str:
    """The digest that identifies a file's exact bytes (in the compiled cache)."""
    return blake2b(raw, digest_size=20).hexdigest()
