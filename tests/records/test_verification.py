"""Records that prove themselves: consistency, replayed paths, plausibility, any verifier."""

from __future__ import annotations

import dataclasses
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest

from mentorquest.engine.record import CompletionRecord
from mentorquest.records.signing import sign
from mentorquest.records.verification import flags, inconsistencies
from mentorquest.store import open_store
from tests.store.helpers import play_plain, run_cli
from tests.store.library import MENTOR_FULL_RUN

DATA = Path(__file__).parent / "data"
DOCS = Path(__file__).resolve().parents[2] / "docs" / "records.md"


@pytest.fixture
def record(library_dir, sqlite_url) -> CompletionRecord:
    code, _ = play_plain(library_dir, sqlite_url, MENTOR_FULL_RUN)
    assert code == 0
    with open_store(sqlite_url) as store:
        found = store.latest_record("p-1", "pilot")
    assert found is not None
    return found


def write(tmp_path: Path, record: CompletionRecord, name: str = "record.json") -> Path:
    path = tmp_path / name
    path.write_text(record.to_json(), encoding="utf-8")
    return path


def forge(record: CompletionRecord, scenario: int = 0, **changes) -> CompletionRecord:
    """The record with one scenario changed and signed again, as a participant could."""
    scenarios = list(record.scenarios)
    scenarios[scenario] = dataclasses.replace(scenarios[scenario], **changes)
    return sign(dataclasses.replace(record, scenarios=tuple(scenarios), signature=None))


def test_a_record_carries_its_whole_path_with_times(record):
    one = record.scenarios[0]
    assert record.record_format == 2
    assert [(d.scene, d.choice) for d in one.decisions] == [("a", "good"), ("b", "keep")]
    assert all(d.at is not None for d in one.decisions)
    assert one.content_hash.startswith("sha256:") and one.input == "scripted"
    assert record.programme.reading_floor == 2


def test_a_real_record_replays_against_the_library(record, library_dir, tmp_path):
    path = write(tmp_path, record)
    result = run_cli("records", "verify", "--library", str(library_dir), str(path))
    assert result.returncode == 0, result.stderr
    assert f"record {record.record_id}: intact, signed by this installation" in result.stdout
    assert f"paths replayed against {library_dir}" in result.stdout + result.stderr


def test_without_the_library_verify_says_what_it_checked(record, tmp_path):
    result = run_cli("records", "verify", str(write(tmp_path, record)))
    assert result.returncode == 0
    assert "checked signatures and consistency only" in result.stdout + result.stderr


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        # Another path, signed by the participant's own key: it does not give these results.
        (
            {"decisions": None},  # filled in below: the 'bad' choice instead of 'good'
            "scenario 'one': ",
        ),
        (
            {"ending": "end-bad"},
            "scenario 'one': ending is 'end-bad' in the record, 'end-good' on replay",
        ),
    ],
)
def test_a_path_that_does_not_give_the_record_fails_on_replay(
    record, library_dir, tmp_path, changes, named
):
    if changes.get("decisions", 0) is None:
        decisions = list(record.scenarios[0].decisions)
        decisions[1] = dataclasses.replace(decisions[1], choice="share")
        changes = {"decisions": tuple(decisions)}
    forged = forge(record, **changes)
    path = write(tmp_path, forged)
    assert run_cli("records", "verify", str(path)).returncode in (0, 1)
    result = run_cli("records", "verify", "--library", str(library_dir), str(path))
    assert result.returncode == 1
    assert named in result.stderr


@pytest.mark.parametrize(
    ("changes", "named"),
    [
        ({"rules": None}, "'listening' earned 9, above its best 2"),
        ({"percent": 60, "stars": 1}, "percent 60 is not what its points give (4 of 4: 100)"),
        ({"best_total": 3}, "it earned 4 points, above the best path's 3"),
        (
            {"pass_mark": 90, "percent": 80},
            "it is marked passed below its pass mark or with a breach",
        ),
        ({"stars": 2}, "2 stars do not follow from its result"),
        ({"decisions": ()}, "its path has no decisions"),
        ({"finished_at": "2020-01-01T00:00:00Z"}, "it finished before it started"),
    ],
)
def test_a_record_impossible_on_its_face_fails_without_the_library(
    record, tmp_path, changes, named
):
    if changes.get("rules", 0) is None:
        rules = list(record.scenarios[0].rules)
        listening = next(i for i, r in enumerate(rules) if r.rule == "listening")
        rules[listening] = dataclasses.replace(rules[listening], earned=9)
        changes = {"rules": tuple(rules)}
    forged = forge(record, **changes)
    assert any(named in problem for problem in inconsistencies(forged)), inconsistencies(forged)
    result = run_cli("records", "verify", str(write(tmp_path, forged)))
    assert result.returncode == 1
    assert named in result.stderr


def test_a_breach_that_earned_more_than_the_best_path_is_consistent(record):
    # The best path a percent is taken of takes no critical choice; a failed attempt that
    # took one may earn more than it (its percent capped at 100), and that is no forgery.
    one = record.scenarios[0]
    decisions = list(one.decisions)
    decisions[0] = dataclasses.replace(decisions[0], critical="listening")
    rules = tuple(dataclasses.replace(r, best=r.earned + 5) for r in one.rules)
    breached = forge(
        record,
        decisions=tuple(decisions),
        critical=("listening",),
        rules=rules,
        best_total=max(1, sum(r.earned for r in one.rules) - 1),
        percent=100,
        passed=False,
        stars=0,
    )
    assert not [p for p in inconsistencies(breached) if "above the best path" in p]
    clean = forge(record, best_total=max(1, sum(r.earned for r in one.rules) - 1))
    assert any("above the best path" in p for p in inconsistencies(clean))


def test_decisions_timed_backwards_fail(record, tmp_path):
    decisions = list(record.scenarios[0].decisions)
    decisions[1] = dataclasses.replace(decisions[1], at="2000-01-01T00:00:00Z")
    forged = forge(record, decisions=tuple(decisions))
    assert "scenario 'one': decision 2 is timed out of order" in inconsistencies(forged)


def test_the_real_record_is_consistent(record):
    assert inconsistencies(record) == []


def test_scripted_and_hurried_attempts_are_flagged_not_refused(record, tmp_path, library_dir):
    found = flags(record)
    assert "scenario 'one' was played from scripted input, not at a terminal" in found
    assert any("faster than the reading floor of 2 s" in flag for flag in found)
    result = run_cli(
        "records", "verify", "--library", str(library_dir), str(write(tmp_path, record))
    )
    assert result.returncode == 0
    assert "FLAG: scenario 'one' was played from scripted input" in result.stdout


def test_the_report_lists_attempts_worth_a_look(record, sqlite_url):
    result = run_cli("report", "--db", sqlite_url)
    assert result.returncode == 0, result.stderr
    assert "Attempts worth a look" in result.stdout
    assert "played from scripted input" in result.stdout


def test_a_record_of_format_1_is_replayed_like_any_other(tmp_path, library_dir):
    path = DATA / "record-format-1.json"
    result = run_cli(
        "records",
        "verify",
        "--trust",
        str(DATA / "record-format-1.pub"),
        "--library",
        str(library_dir),
        str(path),
    )
    assert result.returncode == 0, result.stderr
    assert re.search(
        r"intact, signed by record-format-1\.pub \(--trust\) \(key [0-9a-f]{4}(-[0-9a-f]{4}){3}\)$",
        result.stdout,
        re.MULTILINE,
    )
    assert f"paths replayed against {library_dir}" in result.stdout
    # A path it does not hold fails, as in a record of format 2: its format is no way round
    # the replay.
    data = json.loads(path.read_text(encoding="utf-8"))
    data["scenarios"][0]["decisions"][0]["choice"] = "share"
    changed = tmp_path / "changed.json"
    changed.write_text(json.dumps(data), encoding="utf-8")
    result = run_cli(
        "records", "verify", "--trust-any", "--library", str(library_dir), str(changed)
    )
    assert result.returncode == 1
    # It is written back exactly as it was made.
    record = CompletionRecord.from_json(path.read_text(encoding="utf-8"))
    assert json.loads(record.to_json()) == json.loads(path.read_text(encoding="utf-8"))


def test_a_third_party_verifies_a_record_with_twenty_lines_of_their_own(record, tmp_path):
    """The snippet in docs/records.md, run with nothing but cryptography and rfc8785."""
    [snippet] = re.findall(r"```python\n(.*?)```", DOCS.read_text(encoding="utf-8"), re.S)
    assert len(snippet.strip().splitlines()) <= 20
    script = tmp_path / "verify.py"
    script.write_text(snippet, encoding="utf-8")
    good = write(tmp_path, record)
    run = subprocess.run([sys.executable, str(script), str(good)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    assert run.stdout.startswith("intact, signed by ")
    altered = json.loads(good.read_text(encoding="utf-8"))
    altered["scenarios"][0]["percent"] = 1
    bad = tmp_path / "bad.json"
    bad.write_text(json.dumps(altered), encoding="utf-8")
    run = subprocess.run([sys.executable, str(script), str(bad)], capture_output=True, text=True)
    assert run.returncode != 0 and "InvalidSignature" in run.stderr


def test_import_refuses_a_signer_that_is_not_trusted(record, tmp_path):
    path = write(tmp_path, record)
    elsewhere = {"MENTORQUEST_HOME": str(tmp_path / "coordinator")}
    result = run_cli("records", "import", str(path), env=elsewhere)
    assert result.returncode == 1
    assert "not imported: it is signed by a key that is not trusted (fingerprint " in result.stderr
    accepted = run_cli("records", "import", "--trust-any", str(path), env=elsewhere)
    assert accepted.returncode == 0, accepted.stderr
    assert "Imported 1 record(s)" in accepted.stderr and "--trust-any" in accepted.stderr


def test_a_csv_export_given_to_verify_is_one_line_saying_csv_is_not_signed(cohort, tmp_path):
    for command in (
        ("records", "export", "--format", "csv", "--include-incomplete"),
        ("records", "list", "--format", "csv"),
    ):
        out = tmp_path / "cohort.csv"
        made = run_cli(*command, "--db", cohort, "--out", str(out))
        assert made.returncode == 0, made.stderr
        result = run_cli("records", "verify", str(out))
        assert result.returncode == 1
        assert result.stderr.splitlines() == [
            f"{out}: FAILED: is a CSV export, and CSV exports are not signed: verify the JSONL "
            "export (records export --format jsonl) or the record files participants send",
            "0 record(s) intact, 1 failed verification; checked signatures and consistency only "
            "(give --library DIR to replay paths).",
        ]
        assert result.stdout == ""


def test_verify_names_an_unknown_signer_by_its_fingerprint(cohort, tmp_path):
    from mentorquest.records.signing import own_public_key
    from mentorquest.records.trust import fingerprint

    out = tmp_path / "records.jsonl"
    made = run_cli("records", "export", "--db", cohort, "--format", "jsonl", "--out", str(out))
    assert made.returncode == 0, made.stderr
    signer = fingerprint(own_public_key())  # this test's installation signed the export
    elsewhere = {"MENTORQUEST_HOME": str(tmp_path / "elsewhere")}
    anyone = run_cli("records", "verify", "--trust-any", str(out), env=elsewhere)
    assert anyone.returncode == 0, anyone.stderr
    assert anyone.stdout.count(f"intact, signed by key {signer}") == 2


def test_verify_names_a_trusted_signer_with_its_key_even_with_trust_any(record, tmp_path):
    from mentorquest.records.signing import own_public_key
    from mentorquest.records.trust import fingerprint

    path = write(tmp_path, record)
    key = fingerprint(own_public_key())
    for extra in ((), ("--trust-any",)):
        result = run_cli("records", "verify", *extra, str(path))
        assert result.returncode == 0, result.stderr
        assert f": intact, signed by this installation (key {key})" in result.stdout


def test_a_duration_that_is_not_the_time_from_start_to_finish_fails(record, tmp_path):
    one = record.scenarios[0]
    stretched = forge(record, duration_s=one.duration_s + 600)  # to look unhurried
    result = run_cli("records", "verify", str(write(tmp_path, stretched)))
    assert result.returncode == 1
    assert (
        f"FAILED: scenario 'one': its duration of {one.duration_s + 600:g} s is not the time "
        "from its start to its finish ("
    ) in result.stderr


def _bundled_best_run(role: str) -> list[str]:
    """A participant's answers for the bundled programme: the survey, then the best golden
    walk of each required scenario, by choice id."""
    import yaml

    from mentorquest.bundled import library_path
    from mentorquest.language import open_library

    library = open_library(library_path())
    lines: list[str] = []

    def survey(questions) -> None:
        for question in questions:
            lines.append("" if question.optional else "4" if question.kind == "scale" else "Yes")

    survey(library.programme.survey.before)
    for scenario_id in library.required_for(role):
        walks = yaml.safe_load((library_path() / f"{scenario_id}.test.yaml").read_text("utf-8"))
        best = next(case for case in walks["cases"] if case["name"] == "best")
        lines += best["path"]
    survey(library.programme.survey.after)
    return lines


@pytest.mark.parametrize("role", ["mentor", "mentee"])
def test_a_genuine_record_of_the_bundled_programme_is_intact_and_replays(
    role, sqlite_url, tmp_path
):
    """Percent is points over the best one path earns, not the sum of each rule's best
    (which lie on different paths): every bundled scenario's best walk verifies."""
    from mentorquest.bundled import library_path

    code, out = play_plain(
        library_path(),
        sqlite_url,
        _bundled_best_run(role),
        "--participant",
        f"{role}-1",
        "--name",
        "Ada",
        "--email",
        "",
        "--role",
        role,
    )
    assert code == 0 and "completion record" in out, out[-2000:]
    with open_store(sqlite_url) as store:
        found = store.latest_record(f"{role}-1", "reciprocal-mentoring")
    assert found is not None
    assert all(s.percent == 100 and s.best_total for s in found.scenarios)
    path = write(tmp_path, found)
    result = run_cli("records", "verify", "--library", str(library_path()), str(path))
    assert result.returncode == 0, result.stderr
    assert "1 record(s) intact" in result.stderr + result.stdout


def test_import_with_the_library_replays_and_keeps_out_what_does_not_replay(
    record, library_dir, tmp_path
):
    decisions = list(record.scenarios[0].decisions)
    decisions[1] = dataclasses.replace(decisions[1], choice="share")
    forged = write(tmp_path, forge(record, decisions=tuple(decisions)), "forged.json")
    genuine = write(tmp_path, record)
    target = f"sqlite:///{tmp_path / 'coordinator.db'}"
    result = run_cli(
        "records", "import", "--db", target, "--library", str(library_dir), str(forged), str(genuine)
    )  # fmt: skip
    assert result.returncode == 1
    [refused] = [line for line in result.stderr.splitlines() if "not imported" in line]
    assert refused.startswith(
        f"{forged}:1: record {record.record_id}: not imported: scenario 'one': "
    )
    assert result.stderr.splitlines()[-1] == (
        f"Imported 1 record(s); 0 already in the store; 1 rejected; paths replayed against "
        f"{library_dir}."
    )
    # Without --library only signatures and consistency are checked: the forgery gets in.
    other = f"sqlite:///{tmp_path / 'other.db'}"
    assert run_cli("records", "import", "--db", other, str(forged)).returncode == 0


def test_a_library_of_another_programme_is_named_not_blamed_on_each_scenario(record, tmp_path):
    from tests.helpers import write_library

    elsewhere = write_library(tmp_path / "elsewhere")
    path = write(tmp_path, record)
    for command in ("verify", "import"):
        result = run_cli("records", command, "--library", str(elsewhere), str(path))
        assert result.returncode == 1
        [line] = [x for x in result.stderr.splitlines() if x.startswith(str(path))]
        assert (
            ": it is a record of programme 'pilot', and the library given is programme "
            "'test-programme': give that programme's library"
        ) in line


# --- what a forger re-signing with the participant's own key cannot get past ---------------


def refit(record: CompletionRecord, **changes) -> CompletionRecord:
    """The record changed as a careful forger would: every total, star, badge and the id
    made to agree with the change, then signed again with the participant's key."""
    from mentorquest.engine.record import RuleResult
    from mentorquest.engine.rewards import BADGE_THRESHOLD
    from mentorquest.records.verification import record_id_of

    changed = dataclasses.replace(record, signature=None, **changes)
    totals: dict[str, list] = {}
    for s in changed.scenarios:
        for rule in s.rules:
            total = totals.setdefault(rule.rule, [0, 0, rule.name])
            total[0] += rule.earned
            total[1] += rule.best
    changed = dataclasses.replace(
        changed,
        stars=sum(s.stars for s in changed.scenarios),
        stars_possible=3 * len(changed.scenarios),
        rule_totals=tuple(
            RuleResult(rule=rule, name=name, earned=earned, best=best)
            for rule, (earned, best, name) in totals.items()
        ),
        badges=tuple(
            rule
            for rule, (earned, best, _) in totals.items()
            if best > 0 and earned >= BADGE_THRESHOLD * best
        ),
    )
    return sign(dataclasses.replace(changed, record_id=record_id_of(changed) or record.record_id))


def verified(tmp_path, library_dir, record: CompletionRecord) -> subprocess.CompletedProcess:
    path = write(tmp_path, record, f"{record.record_id}.json")
    return run_cli("records", "verify", "--library", str(library_dir), str(path))


def test_a_forger_who_makes_every_total_agree_still_passes_the_real_record(record):
    assert inconsistencies(refit(record)) == []


def test_a_record_short_of_a_required_scenario_fails_against_the_library(
    record, library_dir, tmp_path
):
    short = refit(record, scenarios=record.scenarios[:1])
    assert inconsistencies(short) == []  # nothing wrong on its face...
    result = verified(tmp_path, library_dir, short)
    assert result.returncode == 1  # ...but the programme requires 'two' of a mentor
    assert "scenario 'two', which the programme requires of a mentor, is not in the record" in (
        result.stderr
    )


def test_a_record_for_another_role_fails_against_the_library(record, library_dir, tmp_path):
    participant = dataclasses.replace(record.participant, role="mentee")
    other = refit(record, participant=participant)
    result = verified(tmp_path, library_dir, other)
    assert result.returncode == 1
    assert "scenario 'two' is not one the programme requires of a mentee" in result.stderr


def test_a_scenario_listed_twice_fails(record, library_dir, tmp_path):
    twice = refit(record, scenarios=(record.scenarios[0], *record.scenarios))
    assert "scenario 'one' is listed more than once" in inconsistencies(twice)
    assert verified(tmp_path, library_dir, twice).returncode == 1


def test_a_completion_record_with_a_scenario_not_passed_fails(record):
    one = record.scenarios[0]
    failed = refit(
        record,
        scenarios=(dataclasses.replace(one, passed=False, stars=0), *record.scenarios[1:]),
    )
    assert any("scenario 'one' is not passed" in p for p in inconsistencies(failed))


def test_a_rule_scored_twice_cannot_earn_a_badge(record, library_dir, tmp_path):
    one = record.scenarios[0]
    extra = dataclasses.replace(one.rules[0], earned=300, best=300)
    padded = dataclasses.replace(one, rules=(extra, *one.rules))
    forged = refit(record, scenarios=(padded, *record.scenarios[1:]))
    rule = one.rules[0].rule
    assert f"scenario 'one': rule '{rule}' is scored more than once" in inconsistencies(forged)
    assert verified(tmp_path, library_dir, forged).returncode == 1


def test_a_record_id_that_does_not_follow_from_the_record_fails(record):
    taken = sign(
        dataclasses.replace(
            record, record_id="00000000-0000-0000-0000-000000000000", signature=None
        )
    )
    assert (
        "its record id does not follow from its programme, participant, attempts and answers"
        in inconsistencies(taken)
    )


def test_a_record_of_format_1_may_not_carry_fields_of_format_2(tmp_path):
    data = json.loads((DATA / "record-format-1.json").read_text(encoding="utf-8"))
    data["scenarios"][0]["best_total"] = 1
    path = tmp_path / "mixed.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    result = run_cli("records", "verify", "--trust-any", str(path))
    assert result.returncode == 1
    assert "'scenarios.0.best_total' is not a field of record format 1" in result.stderr


def test_a_record_with_a_key_twice_is_refused(record, tmp_path):
    text = record.to_json()
    assert text.startswith("{")
    doubled = '{"participant": {"id": "p-999", "name": "Mallory", "role": "mentor"}, ' + text[1:]
    path = tmp_path / "doubled.json"
    path.write_text(doubled, encoding="utf-8")
    result = run_cli("records", "verify", str(path))
    assert result.returncode == 1
    assert "the key 'participant' appears twice in one object" in result.stderr


def test_the_floor_and_minutes_are_the_librarys_not_the_records_word(record, library_dir, tmp_path):
    from mentorquest.language.compiled import open_library

    lib = open_library(library_dir)
    programme = dataclasses.replace(record.programme, reading_floor=0)
    quiet = refit(
        record,
        programme=programme,
        scenarios=tuple(dataclasses.replace(s, minutes=None) for s in record.scenarios),
    )
    assert not any("reading floor" in flag for flag in flags(quiet))
    assert any("faster than the reading floor of 2 s" in flag for flag in flags(quiet, lib))


def test_a_whole_onboarding_played_too_fast_is_flagged(record):
    minutes = tuple(dataclasses.replace(s, minutes=30) for s in record.scenarios)
    found = flags(refit(record, scenarios=minutes))
    assert any(
        f"its {len(minutes)} scenarios were played within" in flag
        and "under a fifth of their 60 minutes" in flag
        for flag in found
    ), found


def test_the_coordinator_reads_scenario_titles_from_the_library_not_the_record(
    record, library_dir, tmp_path
):
    one = record.scenarios[0]
    retitled = refit(
        record,
        scenarios=(
            dataclasses.replace(one, title="Not required - ignore this scenario"),
            *record.scenarios[1:],
        ),
    )
    target = f"sqlite:///{tmp_path / 'coordinator.db'}"
    path = write(tmp_path, retitled, "retitled.json")
    assert run_cli("records", "import", "--db", target, "--trust-any", str(path)).returncode == 0
    for command in (
        ("report", "--db", target, "--library", str(library_dir)),
        ("records", "export", "--db", target, "--library", str(library_dir), "--format", "csv"),
    ):
        result = run_cli(*command)
        assert result.returncode == 0, result.stderr
        assert "Not required" not in result.stdout, command


def test_an_export_signs_again_only_what_verifies_and_says_who_signed_before(record, tmp_path):
    import sqlite3

    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    from mentorquest.records.trust import fingerprint

    stranger = Ed25519PrivateKey.generate()
    theirs = sign(dataclasses.replace(record, signature=None), key=stranger)
    store = tmp_path / "coordinator.db"
    target = f"sqlite:///{store}"
    path = write(tmp_path, theirs, "theirs.json")
    assert run_cli("records", "import", "--db", target, "--trust-any", str(path)).returncode == 0
    # The default JSONL export leaves free text out, so it signs the record again.
    exported = run_cli("records", "export", "--db", target, "--format", "jsonl")
    assert exported.returncode == 0, exported.stderr
    [line] = exported.stdout.splitlines()
    again = CompletionRecord.from_json(line)
    assert again.signature.public_key != theirs.signature.public_key
    key = fingerprint(theirs.signature.public_key)
    assert f"signed before by key {key}" in again.redactions
    # Changed in the store, it no longer matches its signature: it is not signed again.
    with sqlite3.connect(store) as db:
        db.execute("UPDATE records SET record_json = replace(record_json, 'Ada', 'Eve')")
    exported = run_cli("records", "export", "--db", target, "--format", "jsonl")
    assert exported.stdout == ""
    assert "does not match its signature (changed in the store)" in exported.stderr
