"""Text from scenario files is shown literally: no terminal control sequences pass through."""

from __future__ import annotations

import re

# ESC-introduced sequences (CSI, OSC, ...), then any other C0/C1 control except tab and newline.
_ESCAPES = re.compile(r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)?|\x1b.?")
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def literal(text: str) -> str:
    """`text` with terminal escape sequences and control characters removed."""
    if not text:
        return text
    text = text.replace("\r\n", "\n")
    return _CONTROLS.sub("", _ESCAPES.sub("", text))
