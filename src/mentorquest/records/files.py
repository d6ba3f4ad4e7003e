"""Reading record files sent in by participants: one JSON record, a JSON array, or JSONL.

A record file is outside input: it is read only if it is a regular file no larger than
`MAX_RECORD_FILE_BYTES`, JSON Lines are read one line at a time, and every item that is
not a record (not JSON, not an object, nested too deeply) is reported on its own, without
stopping the others.
"""

from __future__ import annotations

import json
import os
import stat
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from mentorquest.errors import MentorquestError

MAX_RECORD_FILE_BYTES = 256 * 1024 * 1024
MAX_LINE_CHARS = 16 * 1024 * 1024


class RecordFileError(MentorquestError):
    """A record file cannot be read at all."""


def read_records(path: Path) -> Iterator[tuple[str, dict[str, Any] | None, str]]:
    """(label, record data or None, problem) for each record in the file.

    Raises RecordFileError when the file as a whole cannot be read.
    """
    try:
        yield from _read(path)
    except UnicodeDecodeError:
        raise RecordFileError(f"{path} is not UTF-8 text") from None


def read_many(paths: list[Path]) -> Iterator[tuple[str, dict[str, Any] | None, str]]:
    """`read_records` over many files: a file that cannot be read is one failed item, and
    the files after it are read all the same."""
    for path in paths:
        try:
            yield from read_records(path)
        except RecordFileError as error:
            yield (
                str(path),
                None,
                str(error).removeprefix(f"{path} ").removeprefix(f"cannot read {path}: "),
            )


def _read(path: Path) -> Iterator[tuple[str, dict[str, Any] | None, str]]:
    handle = _open(path)
    with handle:
        first = handle.readline(MAX_LINE_CHARS)
        start = first.lstrip("\ufeff \t\r\n")
        if not start:
            rest = handle.read(1)
            if not rest.strip():
                raise RecordFileError(f"{path} is empty")
        if _looks_like_csv(start):
            raise RecordFileError(
                f"{path} is a CSV export, and CSV exports are not signed: verify the JSONL "
                "export (records export --format jsonl) or the record files participants send"
            )
        single = _parse(start) if start.strip() else (None, "")
        if single[1] == "" and isinstance(single[0], dict):
            # The first line is a whole record: JSON Lines (or a file of one line).
            yield from _lines(path, first, handle)
            return
        handle.seek(0)
        text = handle.read()
    if text.lstrip("\ufeff \t\r\n").startswith("["):
        # An array: one record at a time, so that only the text is held, not every record.
        yield from _array(path, text)
        return
    whole, problem = _parse(text)
    if problem:
        raise RecordFileError(f"{path} is not a record file: {problem}")
    yield _item(str(path), whole)


def _item(label: str, value: Any) -> tuple[str, dict[str, Any] | None, str]:
    """One item of a record file: a record to check, or why it is not one."""
    if not isinstance(value, dict):
        return label, None, "not a JSON object"
    if not value:
        return label, None, "an empty JSON object ({}), not a completion record"
    return label, value, ""


def _open(path: Path) -> IO[str]:
    try:
        info = os.stat(path)
    except FileNotFoundError:
        raise RecordFileError(f"cannot read {path}: no such file") from None
    except OSError as error:
        raise RecordFileError(f"cannot read {path}: {error.strerror or error}") from None
    if not stat.S_ISREG(info.st_mode):
        raise RecordFileError(f"cannot read {path}: not a regular file")
    if info.st_size > MAX_RECORD_FILE_BYTES:
        raise RecordFileError(
            f"{path} is {info.st_size:,} bytes; record files may be at most "
            f"{MAX_RECORD_FILE_BYTES:,} bytes (split it, or send JSON Lines in parts)"
        )
    try:
        return open(path, encoding="utf-8-sig", errors="strict", newline="")  # noqa: SIM115
    except OSError as error:
        raise RecordFileError(f"cannot read {path}: {error.strerror or error}") from None


class _RepeatedKey(ValueError):
    pass


def _object(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object whose keys are all different: with a key twice, a reader may take either
    value (Python takes the last, others the first), so the record would say two things."""
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            raise _RepeatedKey(f"the key '{key}' appears twice in one object")
        found[key] = value
    return found


_DECODER = json.JSONDecoder(object_pairs_hook=_object)


def loads(text: str) -> Any:
    """JSON as records are read: an object with a key twice is refused (ValueError)."""
    return _DECODER.decode(text)


def _parse(text: str) -> tuple[Any, str]:
    """The JSON value of `text`, or a problem in words."""
    try:
        return _DECODER.decode(text), ""
    except RecursionError:
        return None, "nested too deeply to be a record"
    except UnicodeDecodeError:
        return None, "not UTF-8 text"
    except json.JSONDecodeError as error:
        return None, f"not JSON ({error.msg} at line {error.lineno} column {error.colno})"
    except _RepeatedKey as error:
        return None, f"not a record: {error}"


def _array(path: Path, text: str) -> Iterator[tuple[str, dict[str, Any] | None, str]]:
    decoder = _DECODER
    position = text.index("[") + 1
    index = 0
    while True:
        while position < len(text) and text[position] in " \t\r\n,":
            position += 1
        if position >= len(text):
            raise RecordFileError(f"{path} is not a record file: the list does not end")
        if text[position] == "]":
            if index == 0:
                raise RecordFileError(f"{path} holds an empty list ([]): no records in it")
            return
        index += 1
        label = f"{path}[{index}]"
        try:
            item, position = decoder.raw_decode(text, position)
        except RecursionError:
            yield label, None, "nested too deeply to be a record"
            return
        except json.JSONDecodeError as error:
            yield label, None, f"not JSON ({error.msg} at line {error.lineno} column {error.colno})"
            return
        except _RepeatedKey as error:
            yield label, None, f"not a record: {error}"
            return
        yield _item(label, item)


def _lines(
    path: Path, first: str, handle: IO[str]
) -> Iterator[tuple[str, dict[str, Any] | None, str]]:
    number = 0
    line: str | None = first
    while line:
        number += 1
        if line.strip():
            label = f"{path}:{number}"
            if len(line) >= MAX_LINE_CHARS and not line.endswith("\n"):
                yield label, None, "the line is too long to be a record"
                while line and not line.endswith("\n"):  # skip the rest of it
                    line = handle.readline(MAX_LINE_CHARS)
            else:
                item, problem = _parse(line)
                yield (label, None, problem) if problem else _item(label, item)
        try:
            line = handle.readline(MAX_LINE_CHARS)
        except UnicodeDecodeError:
            yield f"{path}:{number + 1}", None, "not UTF-8 text"
            return


def _looks_like_csv(line: str) -> bool:
    return not line.startswith(("{", "[")) and line.count(",") >= 3 and "participant_id" in line
