"""Files the commands write for a user (`--out FILE`, `report --html FILE`, `graph --out`, a
participant's exported record): one way of writing them, for every command.

A file is written whole or not at all: into a temporary file beside it, then renamed over
it, so that a command stopped half-way (Ctrl-C, a full disk) leaves the file as it was.
What is at the path decides what happens:

- nothing: a new file, with the permissions a new file gets (the umask's);
- a regular file: replaced, keeping its permissions;
- a symbolic link to a regular file: the file it leads to is replaced (the link stays a
  link); a link that leads nowhere is refused;
- a folder, a device (`/dev/null`, `/dev/full`, a terminal), a FIFO or a socket (what
  `/dev/stdout` leads to): refused with one line, untouched. Replacing one would lose
  what was written and break the device for everyone; standard output is `-`, or no
  `--out` at all;
- a file of mentorquest's own (anything in its data, config or cache folder, a store
  opened elsewhere, with its journals, and the files of a library it has read): refused,
  untouched. An export written over the store, the signing key or a scenario would lose
  them.
"""

from __future__ import annotations

import os
import stat
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from mentorquest.errors import UsageError
from mentorquest.textsafe import clip

_KINDS = (
    (stat.S_ISCHR, "a device"),
    (stat.S_ISBLK, "a device"),
    (stat.S_ISFIFO, "a FIFO (a pipe)"),
    (stat.S_ISSOCK, "a socket"),
)


def _shown(path: Path | str) -> str:
    return clip(str(path), 200)


# Files opened by mentorquest that are not in its own folders (a store given with --db).
_PROTECTED: set[str] = set()


def protect(path: Path | str, *, journals: bool = False) -> None:
    """Never write over `path` (with `journals`, nor those SQLite keeps beside it). Where
    it leads is worked out only when a file is about to be written (rarely, and not at
    start-up, when a library's files are protected)."""
    suffixes = ("", "-wal", "-shm", "-journal") if journals else ("",)
    _PROTECTED.update(str(path) + suffix for suffix in suffixes)


def _refuse_own(path: Path) -> None:
    from mentorquest.locations import own_folders

    real = Path(os.path.realpath(path))
    owned = str(real) in {os.path.realpath(protected) for protected in _PROTECTED}
    for folder in own_folders():
        mine = Path(os.path.realpath(folder))
        owned = owned or real == mine or mine in real.parents
    if owned:
        raise UsageError(
            f"cannot write {_shown(path)}: it is one of mentorquest's own files (the store, "
            "a key, the settings, a cache or a file of the library); write the file "
            "somewhere else"
        )


def target_of(path: Path, *, example: str = "out.txt") -> tuple[Path, int | None]:
    """Where writing `path` writes, and the permissions to keep (None: a new file).

    UsageError, in one line, for what must not be replaced (see the module's docstring)."""
    shown = _shown(path)
    try:
        info = os.stat(path)  # follows symbolic links
    except FileNotFoundError:
        if os.path.islink(path):
            raise UsageError(
                f"cannot write {shown}: it is a symbolic link to "
                f"{_shown(os.readlink(path))}, which does not exist"
            ) from None
        folder = path.parent if str(path.parent) else Path(".")
        if not folder.is_dir():
            raise UsageError(
                f"cannot write {shown}: folder {_shown(folder)} does not exist"
            ) from None
        _refuse_own(path)
        return path, None
    except OSError as error:
        raise UsageError(f"cannot write {shown}: {error.strerror or error}") from None
    if stat.S_ISDIR(info.st_mode):
        raise UsageError(
            f"cannot write {shown}: it is a folder; give a file in it (e.g. {_shown(path / example)})"
        )
    if not stat.S_ISREG(info.st_mode):
        kind = next((name for test, name in _KINDS if test(info.st_mode)), "not a regular file")
        raise UsageError(
            f"cannot write {shown}: it is {kind}, not a regular file, and mentorquest writes "
            "files whole (for standard output, give - or leave the option out)"
        )
    real = Path(os.path.realpath(path))
    try:
        same = os.stat(real)
    except OSError:
        same = None
    if same is None or (same.st_dev, same.st_ino) != (info.st_dev, info.st_ino):
        raise UsageError(f"cannot write {shown}: cannot tell which file it leads to")
    _refuse_own(real)
    return real, stat.S_IMODE(info.st_mode)


def _new_file_mode() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return 0o666 & ~mask


@contextmanager
def writing(
    path: Path | str,
    *,
    newline: str | None = None,
    example: str = "out.txt",
) -> Iterator[IO[str]]:
    """Write `path` whole or not at all (see the module's docstring); yields the open file.

    A file that cannot be written (no such folder, no permission, a full disk) is one
    UsageError line; the temporary file is removed."""
    given = Path(path)
    target, mode = target_of(given, example=example)
    try:
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".partial", dir=target.parent)
    except OSError as error:
        raise UsageError(f"cannot write {_shown(given)}: {error.strerror or error}") from None
    try:
        try:
            os.chmod(temp, mode if mode is not None else _new_file_mode())
            with os.fdopen(fd, "w", encoding="utf-8", newline=newline) as handle:
                yield handle
                handle.flush()
                os.fsync(handle.fileno())
            os.replace(temp, target)
        except OSError as error:
            raise UsageError(f"cannot write {_shown(given)}: {error.strerror or error}") from None
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise


def write_text(path: Path | str, text: str, *, example: str = "out.txt") -> None:
    """`writing` for a text known in full."""
    with writing(path, example=example) as handle:
        handle.write(text)
