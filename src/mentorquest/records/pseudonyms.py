"""Pseudonyms for participants: a keyed hash of their id, stable across exports and runs.

A plain hash of an id can be reversed by hashing every likely id (ids are often emails or
`p-001`); a keyed hash (HMAC-SHA-256) cannot without the key. The key is made on first
use in the config folder (mode 0600, never overwritten), beside the signing key: every
export and push of this installation gives a participant the same pseudonym. Copy the
file `pseudonym-key` to another coordinator's config folder to share pseudonyms.
"""

from __future__ import annotations

import hashlib
import hmac
import os
import secrets
import uuid
from pathlib import Path

from mentorquest import locations
from mentorquest.errors import MentorquestError

KEY_FILE = "pseudonym-key"


class PseudonymKeyError(MentorquestError):
    """The pseudonym key cannot be read or made."""


def key_path() -> Path:
    return locations.config_dir() / KEY_FILE


def load_or_create_key(path: Path | None = None) -> bytes:
    """This installation's pseudonym key (32 random bytes, kept as hex text)."""
    path = path or key_path()
    if not path.exists():
        try:
            # O_EXCL: two exports starting at once must not each make a key of their own.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        except OSError as error:
            raise PseudonymKeyError(f"cannot make {path}: {error.strerror or error}") from None
        else:
            with os.fdopen(fd, "w", encoding="ascii") as handle:
                handle.write(secrets.token_hex(32) + "\n")
    try:
        text = path.read_text(encoding="ascii").strip()
        key = bytes.fromhex(text)
    except (OSError, UnicodeDecodeError, ValueError) as error:
        raise PseudonymKeyError(f"cannot read the pseudonym key {path}: {error}") from None
    if len(key) < 16:
        raise PseudonymKeyError(f"{path} is too short to be a pseudonym key")
    return key


class Pseudonyms:
    """Participant id -> pseudonym, with one key."""

    def __init__(self, key: bytes) -> None:
        self._key = key
        self._tokens: dict[str, str] = {}

    def token(self, participant_id: str) -> str:
        """16 hexadecimal digits of HMAC-SHA-256(key, participant id)."""
        found = self._tokens.get(participant_id)
        if found is None:
            digest = hmac.new(self._key, participant_id.encode("utf-8"), hashlib.sha256)
            found = self._tokens[participant_id] = digest.hexdigest()[:16]
        return found

    def uuid(self, kind: str, value: str) -> str:
        """A keyed UUID for the id `value` of a `kind` (record, attempt): the same in every
        export of this installation, unlinkable to the id without the key. Version 8 (a
        UUID made by its own rule, RFC 9562), so that it is still a UUID where one is due."""
        digest = hmac.new(self._key, f"{kind}\0{value}".encode(), hashlib.sha256).digest()
        raw = bytearray(digest[:16])
        raw[6] = (raw[6] & 0x0F) | 0x80
        raw[8] = (raw[8] & 0x3F) | 0x80
        return str(uuid.UUID(bytes=bytes(raw)))

    def participant_id(self, participant_id: str) -> str:
        return f"pseudonym-{self.token(participant_id)}"

    def name(self, participant_id: str) -> str:
        return f"participant-{self.token(participant_id)}"

    def email(self, participant_id: str) -> str:
        return f"{self.token(participant_id)}@pseudonymised.invalid"


def installation_pseudonyms() -> Pseudonyms:
    return Pseudonyms(load_or_create_key())
