"""Records are canonicalised (RFC 8785), signed with Ed25519, and verified."""

from __future__ import annotations

import json
import os
import stat

from mentorquest.records.signing import (
    canonical,
    key_path,
    load_or_create_key,
    public_key_text,
    verify,
)
from mentorquest.store import open_store
from tests.store.helpers import run_cli


def test_canonical_json_follows_rfc_8785():
    assert canonical({"b": 1, "a": [1.0, "é", None]}) == b'{"a":[1,"\xc3\xa9",null],"b":1}'


def test_the_key_is_created_once_with_mode_0600(home):
    first = load_or_create_key()
    second = load_or_create_key()
    assert public_key_text(first.public_key()) == public_key_text(second.public_key())
    assert key_path().parent == home / "config"
    assert stat.S_IMODE(os.stat(key_path()).st_mode) == 0o600


def export_jsonl(url, tmp_path, *extra):
    out = tmp_path / "records.jsonl"
    result = run_cli(
        "records",
        "export",
        "--db",
        url,
        "--format",
        "jsonl",
        "--out",
        str(out),
        "--include-free-text",
        *extra,
    )
    assert result.returncode == 0, result.stderr
    return out


def test_stored_records_verify(cohort):
    with open_store(cohort) as store:
        records = list(store.records())
    assert len(records) == 2
    assert all(verify(r).ok for r in records)


def test_verify_exits_0_when_every_record_is_intact(cohort, tmp_path):
    result = run_cli("records", "verify", str(export_jsonl(cohort, tmp_path)))
    assert result.returncode == 0, result.stderr
    assert "2 record(s) intact, 0 failed" in result.stdout + result.stderr


def test_verify_exits_1_naming_each_altered_record(cohort, tmp_path):
    path = export_jsonl(cohort, tmp_path)
    lines = path.read_text().splitlines()
    altered = json.loads(lines[0])
    altered["scenarios"][0]["percent"] = 100 if altered["scenarios"][0]["percent"] != 100 else 99
    lines[0] = json.dumps(altered)
    path.write_text("\n".join(lines) + "\n")
    result = run_cli("records", "verify", str(path))
    assert result.returncode == 1
    assert f"record {altered['record_id']}: FAILED: its signature does not match" in result.stderr
    assert "1 record(s) intact, 1 failed" in result.stderr
    assert "Traceback" not in result.stderr


def test_verify_refuses_a_signer_that_is_not_trusted_unless_told(cohort, tmp_path, home):
    path = export_jsonl(cohort, tmp_path)
    ours = home / "config" / "signing-key.pub"
    elsewhere = {"MENTORQUEST_HOME": str(tmp_path / "coordinator")}  # another installation
    refused = run_cli("records", "verify", str(path), env=elsewhere)
    assert refused.returncode == 1
    assert "FAILED: it is signed by a key that is not trusted (fingerprint " in refused.stderr
    assert "mentorquest records trust add KEYFILE --name NAME" in refused.stderr
    assert (
        run_cli("records", "verify", "--trust", str(ours), str(path), env=elsewhere).returncode == 0
    )
    other = tmp_path / "other.pub"
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    other.write_text(public_key_text(Ed25519PrivateKey.generate().public_key()))
    result = run_cli("records", "verify", "--trust", str(other), str(path), env=elsewhere)
    assert result.returncode == 1
    assert "not trusted" in result.stderr
    anyone = run_cli("records", "verify", "--trust-any", str(path), env=elsewhere)
    assert anyone.returncode == 0
    assert "any signer accepted (--trust-any)" in anyone.stdout + anyone.stderr


def test_verify_names_who_signed_each_record(cohort, tmp_path, home):
    path = export_jsonl(cohort, tmp_path)
    result = run_cli("records", "verify", str(path))
    assert result.returncode == 0
    assert result.stdout.count(": intact, signed by this installation") == 2
    elsewhere = {"MENTORQUEST_HOME": str(tmp_path / "coordinator")}
    ours = home / "config" / "signing-key.pub"
    added = run_cli("records", "trust", "add", str(ours), "--name", "Ada's laptop", env=elsewhere)
    assert added.returncode == 0, added.stderr
    listed = run_cli("records", "trust", "list", env=elsewhere)
    assert "Ada's laptop: key " in listed.stdout
    named = run_cli("records", "verify", str(path), env=elsewhere)
    assert named.returncode == 0
    assert named.stdout.count(": intact, signed by Ada's laptop") == 2
    assert run_cli("records", "trust", "remove", "Ada's laptop", env=elsewhere).returncode == 0
    assert run_cli("records", "verify", str(path), env=elsewhere).returncode == 1


def test_verify_of_an_unreadable_file_is_one_line_and_the_others_are_checked(cohort, tmp_path):
    path = export_jsonl(cohort, tmp_path)
    missing = tmp_path / "missing.json"
    result = run_cli("records", "verify", str(missing), str(path))
    assert result.returncode == 1
    assert f"{missing}: FAILED: no such file" in result.stderr
    assert "2 record(s) intact, 1 failed verification" in result.stderr
    assert "Traceback" not in result.stderr


def test_verify_of_something_that_is_not_a_record_fails_cleanly(tmp_path):
    path = tmp_path / "x.json"
    path.write_text('{"hello": "world"}')
    result = run_cli("records", "verify", str(path))
    assert result.returncode == 1
    assert "not a valid record" in result.stderr and "Traceback" not in result.stderr


def test_trust_add_refuses_a_private_key_and_stores_nothing(cohort, tmp_path, home):
    load_or_create_key()
    private = key_path()  # the PEM private key, sent by mistake instead of the .pub
    elsewhere = {"MENTORQUEST_HOME": str(tmp_path / "coordinator")}
    added = run_cli("records", "trust", "add", str(private), "--name", "Ada", env=elsewhere)
    assert added.returncode == 1
    assert added.stderr.strip() == (
        f"mentorquest: error: {private} holds a private key, which is never trusted or "
        "stored: ask for the public key (`mentorquest records key` prints it), and have the "
        "signer make a new key if this one was sent"
    )
    listed = run_cli("records", "trust", "list", env=elsewhere)
    assert "Ada" not in listed.stdout
    assert not list((tmp_path / "coordinator").rglob("*trust*"))
    # Nor is one trusted for a single run.
    path = export_jsonl(cohort, tmp_path)
    once = run_cli("records", "verify", "--trust", str(private), str(path), env=elsewhere)
    assert once.returncode == 1 and "holds a private key" in once.stderr


def test_trust_add_of_something_that_is_not_a_key_file_is_one_line(tmp_path):
    for target in ("/dev/zero", str(tmp_path)):
        added = run_cli("records", "trust", "add", target, "--name", "Zero")
        assert added.returncode == 1
        assert added.stderr.strip() == (
            f"mentorquest: error: {target} is not a key file (a small regular file)"
        )
