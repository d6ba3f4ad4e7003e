"""Every setting mentorquest takes from its environment or its config file, read in one place.

`Settings.from_env()` reads the environment each time it is called (cheaply: a handful of
lookups), so that tests and long-running commands see the environment as it is now.
Command-line options override these; files mentorquest writes are placed by `locations`.
`read_keymap` reads the player's keys from the config file (`locations.config_file()`).
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


class ConfigError(ValueError):
    """The config file cannot be used; the message names the file and what is wrong.
    (The faces report it as a UsageError; this module sits below the error hierarchy.)"""


CONFIG_SECTIONS = {"keymap": 'binding id = keys, e.g. "app.rules" = "r"'}


def read_keymap(path: Path) -> dict[str, str]:
    """The `[keymap]` table of the config file at `path` (empty when there is no file).

    A file that is not TOML, or holds anything but a table of binding ids to key strings,
    raises ConfigError naming the file and what is wrong.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return {}
    except OSError as error:
        raise ConfigError(f"{path}: cannot be read ({error.strerror or error})") from None
    import tomllib

    try:
        config = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        raise ConfigError(f"{path}: not a valid TOML file: {error}") from None
    for section in config:
        if section not in CONFIG_SECTIONS:
            known = ", ".join(f"[{name}]" for name in CONFIG_SECTIONS)
            raise ConfigError(f"{path}: unknown setting '{section}' (this file may have: {known})")
    keymap = config.get("keymap", {})
    if not isinstance(keymap, dict):
        raise ConfigError(
            f"{path}: 'keymap' must be a table: [keymap] then binding = \"keys\" lines"
        )
    for binding_id, keys in keymap.items():
        if not isinstance(keys, str):
            raise ConfigError(
                f"{path}: [keymap] '{binding_id}' must be a string of keys, such as \"r\" "
                'or "f1,question_mark"'
            )
    return dict(keymap)
