"""Start the Textual player for a PlayConfig: open the library and the store, run the app.

A bad library, option or database is reported as the CLI reports every error, with exit
code 2, before any screen is drawn; nothing here prints a traceback.

Start-up stays light: the library comes from its compiled cache (no YAML, no pydantic)
and the store opens with the standard library's sqlite3. The first start after
installing or editing a library checks it in full; only ever needed once.
"""

from __future__ import annotations

import contextlib
import gc
from typing import TYPE_CHECKING

from mentorquest.errors import MentorquestError, print_error
from mentorquest.players.config import PlayConfig

if TYPE_CHECKING:
    from mentorquest.tui.app import MentorquestApp


def player_keymap() -> dict[str, str]:
    """The keys the player set in the config file, checked against the app's bindings."""
    from mentorquest.errors import UsageError
    from mentorquest.locations import config_file
    from mentorquest.settings import ConfigError, read_keymap

    path = config_file()
    try:
        keymap = read_keymap(path)
    except ConfigError as error:
        raise UsageError(str(error)) from None
    if not keymap:
        return {}
    from mentorquest.tui.keys import check_keymap

    return check_keymap(keymap, str(path))


def build(config: PlayConfig, stack: contextlib.ExitStack) -> MentorquestApp:
    """The app for `config`, its store closed by `stack`. Raises MentorquestError.

    Start-up makes a few hundred thousand objects that live as long as the app (modules,
    Textual's classes, the library); the cyclic garbage collector would walk them all
    again and again before the first screen is drawn (a fifth of start-up with a large
    library). So it is paused until the first screen is up, when the app moves what
    start-up made out of its reach (`gc.freeze`) and resumes it; leaving `stack`
    resumes it in any case."""
    if gc.isenabled():
        gc.disable()
        stack.callback(gc.enable)
    from mentorquest.engine import Engine
    from mentorquest.language.compiled import open_library
    from mentorquest.players.stored import StoreProvider
    from mentorquest.store import open_store
    from mentorquest.tui.app import AppOptions, make_app

    keymap = player_keymap()
    library = open_library(config.library)
    engine = Engine(library)
    store = stack.enter_context(open_store(config.db_url))
    options = AppOptions(keymap=keymap)
    provider = StoreProvider(store, library, engine)
    return make_app(config, provider, library=library, options=options, engine=engine)


def launch(config: PlayConfig) -> int:
    with contextlib.ExitStack() as stack:
        try:
            app = build(config, stack)
        except MentorquestError as error:
            print_error(error)
            return 2
        result = app.run()
    if app.exit_error is not None:
        print_error(app.exit_error)
        return app.exit_error.exit_code
    if app.return_code:  # Textual stopped on an error of its own (and printed it)
        return app.return_code
    return result if isinstance(result, int) else 0
