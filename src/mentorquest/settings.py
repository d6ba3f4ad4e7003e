"""Every setting mentorquest takes from its environment, read in one place.

`Settings.from_env()` reads them each time it is called (cheaply: a handful of lookups),
so that tests and long-running commands see the environment as it is now. Command-line
options override these; files mentorquest writes are placed by `locations`.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

# The environment variables, with what each one sets.
ENVIRONMENT = {
    "MENTORQUEST_HOME": "one folder for everything mentorquest writes (data, config, cache)",
    "MENTORQUEST_DB": "the store's URL (default: a SQLite file in the data folder)",
    "MENTORQUEST_LIBRARY": "the scenario library folder (default: the bundled programme)",
    "MENTORQUEST_XAPI_BASE": "the base of xAPI activity ids and account home pages",
    "MENTORQUEST_LRS_USER": "the learning record store's Basic auth user",
    "MENTORQUEST_LRS_PASSWORD": "the learning record store's Basic auth password",
    "MENTORQUEST_DEBUG": "set to 1 to see a Python traceback for an internal error",
}


@dataclass(frozen=True)
class Settings:
    home: Path | None = None
    db: str | None = None
    library: Path | None = None
    xapi_base: str | None = None
    lrs_user: str | None = None
    lrs_password: str | None = None
    debug: bool = False
    dumb_terminal: bool = False

    @classmethod
    def from_env(cls, environ: Mapping[str, str] | None = None) -> Settings:
        env = os.environ if environ is None else environ

        def text(name: str) -> str | None:
            return env.get(name) or None

        home = text("MENTORQUEST_HOME")
        library = text("MENTORQUEST_LIBRARY")
        return cls(
            home=Path(home).expanduser() if home else None,
            db=text("MENTORQUEST_DB"),
            library=Path(library) if library else None,
            xapi_base=text("MENTORQUEST_XAPI_BASE"),
            lrs_user=text("MENTORQUEST_LRS_USER"),
            lrs_password=text("MENTORQUEST_LRS_PASSWORD"),
            debug=bool(text("MENTORQUEST_DEBUG")),
            dumb_terminal=env.get("TERM") == "dumb",
        )
