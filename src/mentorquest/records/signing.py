"""Tamper evidence: RFC 8785 canonical JSON signed with this installation's Ed25519 key.

The private key is created on first use in the user config folder (file mode 0600),
beside its public key; a record carries its signature and the signer's public key, so
anyone can check it, and `--trust KEYFILE` can also require a particular signer.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import os
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import rfc8785
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from mentorquest import locations
from mentorquest.engine.record import CompletionRecord, Signature
from mentorquest.errors import MentorquestError

KEY_FILE = "signing-key.pem"
PUBLIC_KEY_FILE = "signing-key.pub"


class SigningError(MentorquestError):
    """The signing key or a trusted key could not be read."""


def b64(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def unb64(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def canonical(value: Any) -> bytes:
    return rfc8785.dumps(value)


def key_path() -> Path:
    return locations.config_dir() / KEY_FILE


def public_key_text(key: Ed25519PublicKey) -> str:
    return b64(key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw))


def load_or_create_key(path: Path | None = None) -> Ed25519PrivateKey:
    """This installation's key; created (mode 0600, never overwritten) on first use."""
    path = path or key_path()
    if not path.exists():
        key = Ed25519PrivateKey.generate()
        pem = key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
        try:
            # O_EXCL: two processes creating the key at once must not each write their own.
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        except FileExistsError:
            pass
        else:
            with os.fdopen(fd, "wb") as handle:
                handle.write(pem)
            public = path.with_name(PUBLIC_KEY_FILE)
            public.write_text(public_key_text(key.public_key()) + "\n", encoding="ascii")
            return key
    try:
        loaded = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except (OSError, ValueError) as error:
        raise SigningError(f"cannot read the signing key {path}: {error}") from None
    if not isinstance(loaded, Ed25519PrivateKey):
        raise SigningError(f"{path} is not an Ed25519 key")
    return loaded


def sign(record: CompletionRecord, key: Ed25519PrivateKey | None = None) -> CompletionRecord:
    key = key or load_or_create_key()
    value = key.sign(canonical(record.unsigned()))
    signature = Signature(public_key=public_key_text(key.public_key()), value=b64(value))
    return dataclasses.replace(record, signature=signature)


@dataclass(frozen=True)
class Verdict:
    ok: bool
    record_id: str | None
    reason: str = ""
    signer: str | None = None  # the public key that signed it (whether or not trusted)


def own_public_key() -> str:
    """This installation's public key (its key is made on first use)."""
    return public_key_text(load_or_create_key().public_key())


def _check(record_id: str | None, signature: Signature | None, content: dict[str, Any]) -> Verdict:
    if signature is None:
        return Verdict(False, record_id, "it is not signed")
    try:
        public = Ed25519PublicKey.from_public_bytes(unb64(signature.public_key))
    except ValueError:
        return Verdict(
            False, record_id, "its signer's public key is not an Ed25519 public key (damaged)"
        )
    try:
        public.verify(unb64(signature.value), canonical(content))
    except (InvalidSignature, ValueError):
        return Verdict(
            False,
            record_id,
            "its signature does not match its content (altered)",
            signature.public_key,
        )
    return Verdict(True, record_id, "", signature.public_key)


def verify(record: CompletionRecord) -> Verdict:
    """Is the record intact: does its signature match what it says?

    Whose signature it is (trusted or not) is for the caller to judge (`records.trust`).
    """
    return _check(record.record_id, record.signature, record.unsigned())


def verify_json(data: dict[str, Any] | str | bytes) -> tuple[Verdict, CompletionRecord | None]:
    """Verify a record as read from a file: unreadable content is a failed verdict.

    The signature is checked over the record exactly as it arrived (without its signature),
    so a record of any format verifies as it was made.
    """
    from pydantic import ValidationError

    from mentorquest.records.files import loads
    from mentorquest.records.outgoing import record_adapter

    try:
        if not isinstance(data, dict):
            data = loads(data if isinstance(data, str) else data.decode("utf-8"))
        if not isinstance(data, dict):
            raise ValueError("not a JSON object")
        record = record_adapter().validate_json(json.dumps(data, ensure_ascii=False))
        beyond = _beyond_format(data, record.to_data())
        if beyond is not None:
            raise ValueError(f"'{beyond}' is not a field of record format {record.record_format}")
    except ValidationError as error:
        rid = data.get("record_id") if isinstance(data, dict) else None
        first = error.errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        reason = f"not a valid record ({where}: {first['msg']})"
        return Verdict(False, rid if isinstance(rid, str) else None, reason), None
    except (ValueError, RecursionError) as error:
        return Verdict(False, None, f"not a valid record ({error})"), None
    content = {key: value for key, value in data.items() if key != "signature"}
    return _check(record.record_id, record.signature, content), record


def _beyond_format(data: Any, known: Any, where: str = "") -> str | None:
    """The first field of `data` that its record's format does not have (a field added
    in a later format, on a record of an earlier one), by its path; None if there is none.
    `known` is the record as its format writes it."""
    if isinstance(data, dict) and isinstance(known, dict):
        for key, value in data.items():
            path = f"{where}.{key}" if where else key
            if key not in known:
                return path
            found = _beyond_format(value, known[key], path)
            if found is not None:
                return found
    elif isinstance(data, list) and isinstance(known, list):
        for index, (value, item) in enumerate(zip(data, known, strict=False)):
            found = _beyond_format(value, item, f"{where}.{index}")
            if found is not None:
                return found
    return None


def read_trusted_key(path: Path) -> str:
    """A trusted signer from a file: our `.pub` format (base64url raw key) or a PEM public key.

    A private key is refused, not turned into its public half: whoever sent it has given
    their signing key away (it must be replaced), and a trust list is no place for one."""
    import os
    import stat

    try:
        info = os.stat(path)
        if not stat.S_ISREG(info.st_mode) or info.st_size > 64 * 1024:
            raise SigningError(f"{path} is not a key file (a small regular file)")
        data = path.read_bytes()
    except OSError as error:
        raise SigningError(f"cannot read the key file {path}: {error.strerror or error}") from None
    text = data.decode("ascii", "replace").strip()
    if "PRIVATE KEY" in text:
        raise SigningError(
            f"{path} holds a private key, which is never trusted or stored: ask for the public "
            "key (`mentorquest records key` prints it), and have the signer make a new key if "
            "this one was sent"
        )
    if text.startswith("-----BEGIN"):
        try:
            key = serialization.load_pem_public_key(data)
        except ValueError:
            raise SigningError(f"{path} does not hold an Ed25519 public key") from None
        if not isinstance(key, Ed25519PublicKey):
            raise SigningError(f"{path} does not hold an Ed25519 key")
        return public_key_text(key)
    try:
        raw = unb64(text)
        Ed25519PublicKey.from_public_bytes(raw)
    except ValueError:
        raise SigningError(f"{path} does not hold an Ed25519 public key") from None
    return b64(raw)
