"""Start the Textual player for a PlayConfig: open the library and the store, run the app.

A bad library, option or database is reported as one line on stderr with exit code 2,
before any screen is drawn; nothing here prints a traceback.

Start-up stays light: the library comes from its compiled cache (no YAML, no pydantic)
and an SQLite store already at the current schema is opened with the standard library's
sqlite3 (no SQLAlchemy). The first start after installing or editing a library checks it
in full, and a new or older store is created or migrated by the full store; both are
only ever needed once.
"""

from __future__ import annotations

import contextlib
import importlib.util
import sys
from typing import TYPE_CHECKING

from mentorquest.errors import MentorquestError
from mentorquest.players.config import PlayConfig

if TYPE_CHECKING:
    from mentorquest.tui.app import MentorquestApp


def _report(error: MentorquestError) -> int:
    print(f"mentorquest: error: {error}", file=sys.stderr)
    for diagnostic in getattr(error, "diagnostics", ())[:20]:
        print(f"  {diagnostic}", file=sys.stderr)
    return 2


def build(config: PlayConfig, stack: contextlib.ExitStack) -> MentorquestApp:
    """The app for `config`, its store closed by `stack`. Raises MentorquestError."""
    from mentorquest.language.compiled import open_library
    from mentorquest.tui.app import AppOptions, make_app

    library = open_library(config.library)
    if importlib.util.find_spec("mentorquest.players.stored") is not None:
        from mentorquest.players.stored import StoreProvider
        from mentorquest.store.session import open_session

        store = open_session(config.db_url)
        stack.callback(store.close)
        provider = StoreProvider(store, library)
        location = store.display_url
    else:  # a build without the store: progress lasts for this run only
        from mentorquest.players.progress import MemoryProvider

        provider, location = MemoryProvider(), None
    return make_app(config, provider, library=library, options=AppOptions(store_location=location))


def launch(config: PlayConfig) -> int:
    with contextlib.ExitStack() as stack:
        try:
            app = build(config, stack)
        except MentorquestError as error:
            return _report(error)
        result = app.run()
        return result if isinstance(result, int) else 0
    return 0
