"""Every path mentorquest writes comes from here: platformdirs, or MENTORQUEST_HOME.

Setting MENTORQUEST_HOME moves everything (data, config, state, cache) under one folder, which
is how tests keep away from a user's files and how a programme shares a folder.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

import platformdirs

from mentorquest.settings import Settings

try:  # hashlib's BLAKE2 itself, without the OpenSSL library hashlib loads (0.6 MiB a player)
    from _blake2 import blake2b as blake2b
except ImportError:  # pragma: no cover - a Python without CPython's _blake2 module
    from hashlib import blake2b as blake2b

APP = "mentorquest"


def _home() -> Path | None:
    return Settings.from_env().home


def _ensure(path: Path) -> Path:
    path.mkdir(parents=True, exist_ok=True)
    return path


def data_dir() -> Path:
    home = _home()
    return _ensure(home / "data" if home else platformdirs.user_data_path(APP))


def config_dir() -> Path:
    home = _home()
    return _ensure(home / "config" if home else platformdirs.user_config_path(APP))


def cache_dir() -> Path:
    """Files mentorquest can always rebuild (the compiled libraries)."""
    home = _home()
    return _ensure(home / "cache" if home else platformdirs.user_cache_path(APP))


def own_folders() -> tuple[Path, ...]:
    """mentorquest's own folders: data (the store), config (the signing key, trusted
    signers, settings) and cache; not created here."""
    home = _home()
    if home:
        return (home / "data", home / "config", home / "cache")
    return (
        platformdirs.user_data_path(APP),
        platformdirs.user_config_path(APP),
        platformdirs.user_cache_path(APP),
    )


def exports_dir() -> Path:
    """Where a player's exported record goes unless they choose otherwise: the Documents
    folder (or the home folder without one); not created until something is written."""
    home = _home()
    if home:
        return home / "exports"
    documents = platformdirs.user_documents_path()
    return documents if documents.is_dir() else Path.home()


def config_file() -> Path:
    """The configuration file (keys); read if it exists, never created by mentorquest."""
    home = _home()
    return (home / "config" if home else platformdirs.user_config_path(APP)) / "config.toml"


_code_digests: dict[str, str] = {}


def code_digest(tag: str, files: Iterable[Path], size: int = 20) -> str:
    """A digest of the code a cache depends on: its files' names and bytes, and `tag`
    (which names the cache and its format). A cache named by it can never be read by
    other code than wrote it. Worked out once per process for each tag."""
    found = _code_digests.get(tag)
    if found is None:
        digest = blake2b(digest_size=size)
        digest.update(tag.encode() + b"\0")
        for path in files:
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        found = _code_digests[tag] = digest.hexdigest()
    return found
