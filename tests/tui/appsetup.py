"""The fixed app setup every Textual test uses, so that screens look the same on every run."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from mentorquest.tui.app import AppOptions

FIXED_CLOCK = datetime(2025, 3, 14, 9, 30, tzinfo=UTC)
# Every attempt gets this seed, which shows the test library's choices out of their written
# order: a test that pressed a number, rather than choosing by id, would choose wrongly.
FIXED_SEED = 5


def fixed_options(tmp_path: Path) -> AppOptions:
    """No cursor blink, a fixed clock and seed, one theme: screens look the same on every run."""
    return AppOptions(
        cursor_blink=False,
        clock=lambda: FIXED_CLOCK,
        watch_interval=0.05,
        theme="textual-dark",
        export_dir=tmp_path / "exports",
        seeds=lambda: FIXED_SEED,
    )
