"""Start the Textual player for a PlayConfig: open the library and the store, run the app.

A bad library, option or database is reported as one line on stderr with exit code 2,
before any screen is drawn; nothing here prints a traceback.
"""

from __future__ import annotations

import contextlib
import importlib.util
import sys

from mentorquest.errors import MentorquestError
from mentorquest.players.config import PlayConfig


def _report(error: MentorquestError) -> int:
    print(f"mentorquest: error: {error}", file=sys.stderr)
    for diagnostic in getattr(error, "diagnostics", ())[:20]:
        print(f"  {diagnostic}", file=sys.stderr)
    return 2


def launch(config: PlayConfig) -> int:
    from mentorquest.language.library import open_library
    from mentorquest.tui.app import AppOptions, make_app

    with contextlib.ExitStack() as stack:
        try:
            library = open_library(config.library)
            if importlib.util.find_spec("mentorquest.players.stored") is not None:
                from mentorquest.players.stored import StoreProvider
                from mentorquest.store import open_store

                store = open_store(config.db_url)
                stack.callback(store.close)
                provider = StoreProvider(store, library)
                location = store.display_url
            else:  # a build without the store: progress lasts for this run only
                from mentorquest.players.progress import MemoryProvider

                provider, location = MemoryProvider(), None
            app = make_app(
                config, provider, library=library, options=AppOptions(store_location=location)
            )
        except MentorquestError as error:
            return _report(error)
        result = app.run()
        return result if isinstance(result, int) else 0
    return 0
