"""Reading record files sent in by participants: one JSON record, a JSON array, or JSONL."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from mentorquest.errors import MentorquestError


class RecordFileError(MentorquestError):
    """A record file cannot be read at all."""


def read_records(path: Path) -> Iterator[tuple[str, dict[str, Any] | None, str]]:
    """(label, record data or None, problem) for each record in the file."""
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise RecordFileError(f"cannot read {path}: no such file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise RecordFileError(
            f"cannot read {path}: {getattr(error, 'strerror', None) or error}"
        ) from None
    stripped = text.strip()
    if not stripped:
        raise RecordFileError(f"{path} is empty")
    try:
        whole = json.loads(stripped)
    except json.JSONDecodeError:
        whole = None
        lines = True
    else:
        lines = False
    if not lines:
        items = whole if isinstance(whole, list) else [whole]
        for index, item in enumerate(items, start=1):
            label = f"{path}" if not isinstance(whole, list) else f"{path}[{index}]"
            if isinstance(item, dict):
                yield label, item, ""
            else:
                yield label, None, "not a JSON object"
        return
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        label = f"{path}:{number}"
        try:
            item = json.loads(line)
        except json.JSONDecodeError as error:
            yield label, None, f"not JSON ({error.msg})"
            continue
        if isinstance(item, dict):
            yield label, item, ""
        else:
            yield label, None, "not a JSON object"
