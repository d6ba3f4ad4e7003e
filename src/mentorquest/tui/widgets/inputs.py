"""Text inputs whose cursor blink follows the app's options (off for snapshot tests)."""

from __future__ import annotations

from typing import Any

from textual.widgets import Input


def text_input(*, cursor_blink: bool, **kwargs: Any) -> Input:
    field = Input(**kwargs)
    field.cursor_blink = cursor_blink
    return field
