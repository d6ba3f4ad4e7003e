"""The coordinator's list of trusted signers: whose records `verify` and `import` accept.

Kept in the config folder (`trusted-signers.json`); this installation's own key is always
trusted. A signer is named by the coordinator and known by its public key; a key not on
the list is shown by its fingerprint: the first 16 hexadecimal digits of the SHA-256 of
the raw 32-byte key, in four groups (`1a2b-3c4d-5e6f-7a8b`).
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from mentorquest import locations, shapes
from mentorquest.errors import MentorquestError, UsageError
from mentorquest.shapes import Declared
from mentorquest.textsafe import clip

TRUST_FILE = "trusted-signers.json"
OWN_NAME = "this installation"


class TrustError(MentorquestError):
    """The list of trusted signers cannot be read or changed."""


@dataclass(frozen=True, kw_only=True)
class TrustedSigner(Declared):
    name: str
    """What the coordinator calls this signer (e.g. the participant's laptop, a colleague)."""
    public_key: str
    """The signer's raw Ed25519 public key, base64url without padding."""
    added_at: str
    """When it was trusted (UTC)."""


@dataclass(frozen=True, kw_only=True)
class TrustList(Declared):
    signers: tuple[TrustedSigner, ...] = ()


def fingerprint(public_key: str) -> str:
    """A short, stable name for a key: 16 hex digits of the SHA-256 of its raw bytes."""
    from mentorquest.records.signing import unb64

    try:
        raw = unb64(public_key)
    except ValueError:
        raw = public_key.encode("utf-8", "replace")
    digest = hashlib.sha256(raw).hexdigest()[:16]
    return "-".join(digest[i : i + 4] for i in range(0, 16, 4))


def trust_path() -> Path:
    return locations.config_dir() / TRUST_FILE


def load() -> TrustList:
    path = trust_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return TrustList()
    except OSError as error:
        raise TrustError(f"cannot read {path}: {error.strerror or error}") from None
    try:
        return shapes.from_json(TrustList, text)
    except ValueError as error:
        raise TrustError(f"{path} is not a list of trusted signers ({error})") from None


def save(trust: TrustList) -> None:
    path = trust_path()
    text = json.dumps(shapes.to_data(trust), ensure_ascii=False, indent=2) + "\n"
    try:
        handle, temporary = tempfile.mkstemp(dir=path.parent, prefix=".trust-", suffix=".json")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, path)
    except OSError as error:
        raise TrustError(f"cannot write {path}: {error.strerror or error}") from None


def add(public_key: str, name: str, added_at: str) -> TrustedSigner:
    name = name.strip()
    if not name:
        raise UsageError("a trusted signer needs a name (--name NAME)")
    trust = load()
    for signer in trust.signers:
        if signer.name == name:
            raise UsageError(f"a signer named '{clip(name)}' is already trusted; remove it first")
        if signer.public_key == public_key:
            raise UsageError(f"that key is already trusted, as '{clip(signer.name)}'")
    signer = TrustedSigner(name=name, public_key=public_key, added_at=added_at)
    save(TrustList(signers=(*trust.signers, signer)))
    return signer


def remove(name: str) -> TrustedSigner:
    trust = load()
    found = next((s for s in trust.signers if s.name == name), None)
    if found is None:
        names = ", ".join(s.name for s in trust.signers) or "none"
        raise UsageError(f"no trusted signer named '{clip(name)}' (trusted: {names})")
    save(TrustList(signers=tuple(s for s in trust.signers if s.name != name)))
    return found


def trusted_names(extra: dict[str, str] | None = None) -> dict[str, str]:
    """Public key -> name for every trusted signer: this installation, the list, `extra`."""
    from mentorquest.records.signing import own_public_key

    names = {s.public_key: s.name for s in load().signers}
    names.update(extra or {})
    names[own_public_key()] = OWN_NAME
    return names
