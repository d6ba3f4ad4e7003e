"""Exports: CSV for spreadsheets, JSONL of signed records, xAPI; the list; privacy; import."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pandas
import pytest
from ralph.models.xapi.base.statements import BaseXapiStatement

from mentorquest.records.pseudonyms import installation_pseudonyms
from mentorquest.store import open_store
from tests.store.helpers import run_cli

HEADER = (
    "participant_id,name,email,role,programme_id,scenario_id,scenario_title,attempts,started_at,"
    "completed_at,duration_s,percent,passed,stars,critical,confidentiality,listening,record_id,"
    "onboarding,status,missing"
)
IRI = "https://mentoring.example.org/programmes/pilot"


def export(url, tmp_path, fmt, *extra, library=None):
    out = tmp_path / f"export.{fmt}"
    more = ("--library", str(library)) if library is not None else ()
    result = run_cli(
        "records", "export", "--db", url, "--format", fmt, "--out", str(out), *more, *extra
    )
    assert result.returncode == 0, result.stderr
    return out


def pseudonyms():
    return installation_pseudonyms()  # this installation's key (MENTORQUEST_HOME of the test)


def test_csv_has_one_row_per_participant_and_required_scenario(cohort, tmp_path):
    data = export(cohort, tmp_path, "csv").read_bytes()
    assert data.startswith(b"\xef\xbb\xbf")  # UTF-8 byte-order mark: Excel reads UTF-8
    text = data.decode("utf-8-sig")
    assert text.splitlines()[0] == HEADER
    assert "\r\n" in text
    rows = sorted(
        csv.DictReader(io.StringIO(text)),
        key=lambda r: (r["participant_id"] != "p-1", r["scenario_id"]),
    )
    assert [(r["participant_id"], r["scenario_id"]) for r in rows] == [
        ("p-1", "one"),
        ("p-1", "two"),
        ("m-2", "one"),
    ]
    ada = rows[0]
    assert (
        ada["name"],
        ada["email"],
        ada["role"],
        ada["percent"],
        ada["passed"],
        ada["stars"],
        ada["onboarding"],
        ada["status"],
    ) == ("Ada Lovelace", "ada@example.org", "mentor", "100", "true", "3", "completed", "passed")
    assert (ada["confidentiality"], ada["listening"]) == ("100", "100")
    assert rows[1]["confidentiality"] == ""  # scenario two does not score it


def test_csv_with_incomplete_participants_says_what_each_passed_and_misses(
    cohort, tmp_path, library_dir
):
    out = export(cohort, tmp_path, "csv", "--include-incomplete", library=library_dir)
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))
    quinn = [r for r in rows if r["participant_id"] == "q-3"]
    assert [(r["scenario_id"], r["onboarding"], r["status"]) for r in quinn] == [
        ("one", "in progress", "in progress"),
        ("two", "in progress", "not started"),
    ]
    assert quinn[0]["missing"] == (
        "scenario 'one' in progress; scenario 'two' not started; "
        "survey question 'most-useful' (after) not answered"
    )
    assert quinn[0]["record_id"] == "" and quinn[0]["percent"] == ""
    # The completed participants are there as before.
    assert {r["participant_id"] for r in rows if r["onboarding"] == "completed"} == {"p-1", "m-2"}


def test_a_failed_attempt_shows_as_not_passed_with_its_best_result(tmp_path, library_dir):
    from tests.store.helpers import play_plain

    url = f"sqlite:///{tmp_path / 'store.db'}"
    play_plain(library_dir, url, ["f-1", "Fay", "", "2", "2", "", "bad", "share"])
    out = export(url, tmp_path, "csv", "--include-incomplete", library=library_dir)
    [row] = list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))
    assert (row["scenario_id"], row["status"], row["passed"], row["critical"]) == (
        "one",
        "not passed",
        "false",
        "confidentiality",
    )
    assert row["attempts"] == "1" and row["percent"] == "0"


def test_pandas_reads_every_export_as_written(cohort, tmp_path, library_dir):
    frame = pandas.read_csv(export(cohort, tmp_path, "csv", "--include-incomplete"))
    assert list(frame.columns) == HEADER.split(",")  # the byte-order mark is not in a name
    assert set(frame["participant_id"]) == {"p-1", "m-2", "q-3"}
    jsonl = pandas.read_json(export(cohort, tmp_path, "jsonl"), lines=True)
    assert set(jsonl["record_id"]) == set(frame["record_id"].dropna())
    listed = tmp_path / "list.json"
    result = run_cli("records", "list", "--db", cohort, "--format", "json", "--out", str(listed))
    assert result.returncode == 0, result.stderr
    assert set(pandas.read_json(listed)["participant_id"]) == {"p-1", "m-2", "q-3"}
    listed_csv = tmp_path / "list.csv"
    run_cli("records", "list", "--db", cohort, "--format", "csv", "--out", str(listed_csv))
    assert pandas.read_csv(listed_csv)["status"].tolist().count("completed") == 2


def test_utf8_names_survive_the_csv_round_trip(tmp_path, library_dir):
    from tests.store.helpers import play_plain

    url = f"sqlite:///{tmp_path / 'store.db'}"
    play_plain(library_dir, url, ["z-1", "Zoë Ångström", "", "2", "3", "", "good", "keep", "x"])
    data = export(url, tmp_path, "csv").read_bytes()
    assert "Zoë Ångström".encode() in data and data.startswith(b"\xef\xbb\xbf")
    assert pandas.read_csv(io.BytesIO(data))["name"].tolist() == ["Zoë Ångström"]


def test_csv_cells_never_start_a_formula(cohort, tmp_path):
    rows = csv.DictReader(io.StringIO(export(cohort, tmp_path, "csv").read_text("utf-8-sig")))
    assert {r["participant_id"]: r["name"] for r in rows}["m-2"] == '\'=HYPERLINK("x")'


def test_jsonl_leaves_free_text_out_unless_asked(cohort, tmp_path):
    default = [json.loads(x) for x in export(cohort, tmp_path, "jsonl").read_text().splitlines()]
    assert all(a["kind"] != "text" for r in default for a in r["survey"])
    assert default[0]["redactions"] == ["free-text-removed"]
    assert run_cli("records", "verify", str(tmp_path / "export.jsonl")).returncode == 0
    full = [
        json.loads(x)
        for x in export(cohort, tmp_path, "jsonl", "--include-free-text").read_text().splitlines()
    ]
    ada = next(r for r in full if r["participant"]["id"] == "p-1")
    assert {a["question_id"]: a["answer"] for a in ada["survey"]}[
        "most-useful"
    ] == "Listening =first"
    assert ada["redactions"] == []


def test_pseudonymise_replaces_ids_names_and_emails_in_every_format(cohort, tmp_path, library_dir):
    first = export(cohort, tmp_path, "csv", "--pseudonymise", "--include-incomplete")
    first_text = first.read_text("utf-8-sig")
    again = export(cohort, tmp_path, "csv", "--pseudonymise", "--include-incomplete")
    assert first_text == again.read_text("utf-8-sig")  # stable across runs
    hidden = pseudonyms()
    rows = list(csv.DictReader(io.StringIO(first_text)))
    assert {r["participant_id"] for r in rows} == {
        hidden.participant_id(p) for p in ("p-1", "m-2", "q-3")
    }
    jsonl = export(cohort, tmp_path, "jsonl", "--pseudonymise").read_text()
    xapi = export(cohort, tmp_path, "xapi", "--pseudonymise", library=library_dir).read_text()
    listed = run_cli("records", "list", "--db", cohort, "--format", "json", "--pseudonymise")
    for text in (first_text, jsonl, xapi, listed.stdout):
        for real in ("p-1", "q-3", "Ada", "ada@example.org", "Quinn"):
            # As a value of its own: a base64 signature or a hash may hold "q-3" by chance.
            assert not re.search(rf"(?<![\w+/=-]){re.escape(real)}(?![\w+/=-])", text), real
    ada = next(
        json.loads(x)
        for x in jsonl.splitlines()
        if json.loads(x)["participant"]["id"] == hidden.participant_id("p-1")
    )
    assert ada["participant"]["name"] == hidden.name("p-1")
    assert ada["participant"]["email"] == hidden.email("p-1")
    assert "pseudonymised" in ada["redactions"]
    assert run_cli("records", "verify", str(tmp_path / "export.jsonl")).returncode == 0
    actors = {s["actor"]["account"]["name"] for s in json.loads(xapi)}
    assert actors == {hidden.participant_id(p) for p in ("p-1", "m-2", "q-3")}


def test_pseudonymise_replaces_record_and_attempt_ids_too(cohort, tmp_path, library_dir):
    """A record or attempt id left as it is ties a pseudonymised export to a named one."""
    import re

    uuid = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
    extra = {"csv": ("--include-incomplete",), "jsonl": (), "xapi": ()}

    def texts(*privacy):
        folder = tmp_path / ("hidden" if privacy else "named")
        folder.mkdir()
        return [
            export(cohort, folder, fmt, *extra[fmt], *privacy, library=library_dir).read_text(
                "utf-8-sig"
            )
            for fmt in ("csv", "jsonl", "xapi")
        ]

    def attempt_ids(xapi_text):
        return [
            value
            for s in json.loads(xapi_text)
            if s["verb"]["id"].endswith("/initialized")
            for key, value in s["context"]["extensions"].items()
            if key.endswith("/attempt-id")
        ]

    named = texts()
    records = [json.loads(x) for x in named[1].splitlines()]
    real = {r["record_id"] for r in records} | set(attempt_ids(named[2]))
    real |= {s["attempt_id"] for r in records for s in r["scenarios"]}
    assert len(real) == 6  # two records, their three attempts, the one in progress
    hidden = texts("--pseudonymise")
    for text in hidden:
        assert not real & set(uuid.findall(text))
    # The same everywhere: the CSV's record ids are the JSONL's, which still verifies.
    csv_ids = {r["record_id"] for r in csv.DictReader(io.StringIO(hidden[0]))} - {""}
    assert csv_ids == {json.loads(x)["record_id"] for x in hidden[1].splitlines()}
    (tmp_path / "hidden.jsonl").write_text(hidden[1])
    assert run_cli("records", "verify", str(tmp_path / "hidden.jsonl")).returncode == 0
    # One attempt, one id: the record's copy of an attempt is not sent as another attempt.
    shown = attempt_ids(hidden[2])
    assert len(shown) == len(set(shown)) == 4
    assert set(shown) >= {
        s["attempt_id"] for x in hidden[1].splitlines() for s in json.loads(x)["scenarios"]
    }


def test_pseudonyms_are_a_keyed_hash_not_a_plain_one(cohort, tmp_path, monkeypatch):
    import hashlib

    out = export(cohort, tmp_path, "csv", "--pseudonymise").read_text("utf-8-sig")
    for guess in (hashlib.sha256(b"p-1").hexdigest()[:16], hashlib.sha1(b"p-1").hexdigest()[:16]):
        assert guess not in out
    # Another installation (another key) gives other pseudonyms.
    monkeypatch.setenv("MENTORQUEST_HOME", str(tmp_path / "elsewhere"))
    elsewhere = export(cohort, tmp_path, "csv", "--pseudonymise").read_text("utf-8-sig")
    assert elsewhere != out


def test_every_xapi_statement_is_valid_for_ralph(cohort, tmp_path, library_dir):
    statements = json.loads(export(cohort, tmp_path, "xapi", library=library_dir).read_text())
    for statement in statements:
        BaseXapiStatement.model_validate(statement)
    assert len({s["id"] for s in statements}) == len(statements)
    verbs = [(s["actor"]["account"]["name"], s["verb"]["id"].rsplit("/", 1)[1]) for s in statements]
    # Ada: two attempts passed (initialized, 3 decisions, completed, passed, terminated),
    # her scale answer before, the programme completed. Quinn: one attempt in progress
    # (initialized, one decision, nothing after it) and her scale answer.
    assert sorted(v for p, v in verbs if p == "p-1") == sorted(
        ["initialized"] * 2 + ["answered"] * 4 + ["completed"] * 3 + ["passed"] * 2
        + ["terminated"] * 2
    )  # fmt: skip
    assert sorted(v for p, v in verbs if p == "q-3") == ["answered", "answered", "initialized"]


def test_xapi_statements_carry_their_own_times_and_the_programme_iri(cohort, tmp_path, library_dir):
    statements = json.loads(export(cohort, tmp_path, "xapi", library=library_dir).read_text())
    ada = [s for s in statements if s["actor"]["account"]["name"] == "p-1"]
    assert {s["actor"]["account"]["homePage"] for s in ada} == {IRI}
    with open_store(cohort) as store:
        kept = {a.attempt_id: a for a in store.finished_attempts("p-1", "pilot")}
    decisions = [
        s for s in ada if s["verb"]["id"].endswith("answered") and "/scenes/" in s["object"]["id"]
    ]
    for statement in decisions:
        attempt = kept[statement["context"]["extensions"][f"{IRI}/extensions/attempt-id"]]
        times = [step.at for step in attempt.state.path]
        assert statement["timestamp"] in times
        assert statement["object"]["id"].startswith(f"{IRI}/scenarios/")
        assert statement["result"]["success"] is True
    assert sorted(s["result"]["response"] for s in decisions) == ["good", "keep", "listen"]
    survey = next(s for s in ada if "/survey/" in s["object"]["id"])
    assert survey["object"]["id"] == f"{IRI}/survey/before/confidence"
    assert survey["object"]["definition"]["interactionType"] == "likert"
    assert survey["result"]["score"] == {"scaled": 0.75, "raw": 4, "min": 1, "max": 5}


def test_failed_attempts_reach_xapi_as_failed(tmp_path, library_dir):
    from tests.store.helpers import play_plain

    url = f"sqlite:///{tmp_path / 'store.db'}"
    play_plain(library_dir, url, ["f-1", "Fay", "", "2", "2", "", "bad", "share"])
    statements = json.loads(export(url, tmp_path, "xapi", library=library_dir).read_text())
    failed = [s for s in statements if s["verb"]["id"].endswith("/failed")]
    assert len(failed) == 1
    assert failed[0]["result"]["success"] is False and failed[0]["result"]["score"]["raw"] == 0
    answered = [s for s in statements if "/scenes/" in s["object"]["id"]]
    assert [s["result"]["success"] for s in answered] == [False, False]


def test_free_text_answers_reach_xapi_only_when_asked(cohort, tmp_path, library_dir):
    plain = export(cohort, tmp_path, "xapi", library=library_dir).read_text()
    assert "Listening =first" not in plain and "/survey/after/most-useful" not in plain
    full = export(cohort, tmp_path, "xapi", "--include-free-text", library=library_dir)
    statements = json.loads(full.read_text())
    text = next(
        s
        for s in statements
        if s["object"]["id"].endswith("/survey/after/most-useful")
        and s["actor"]["account"]["name"] == "p-1"
    )
    assert text["result"] == {"response": "Listening =first"}
    assert text["object"]["definition"]["interactionType"] == "long-fill-in"


def test_xapi_without_the_programmes_iri_is_refused_naming_the_setting(cohort, tmp_path):
    result = run_cli("records", "export", "--db", cohort, "--format", "xapi")
    assert result.returncode == 2
    assert "programme 'pilot' has none: set `iri:` in its programme.yaml" in result.stderr
    assert "--base-url URL" in result.stderr and "Traceback" not in result.stderr
    assert result.stdout == ""
    based = run_cli(
        "records", "export", "--db", cohort, "--format", "xapi", "--base-url", "https://x.example/m"
    )
    assert based.returncode == 0, based.stderr
    ids = {s["object"]["id"].split("/scenarios/")[0] for s in json.loads(based.stdout)}
    assert "https://x.example/m/programmes/pilot" in ids


@pytest.mark.parametrize("bad", ["ftp://x.example", "not a url", "https://"])
def test_a_base_url_that_is_not_an_address_is_refused(cohort, bad):
    result = run_cli("records", "export", "--db", cohort, "--format", "xapi", "--base-url", bad)
    assert result.returncode == 2
    assert "--base-url must be an http or https address" in result.stderr


def test_xapi_statement_ids_are_stable_across_exports_and_follow_content(
    cohort, tmp_path, library_dir
):
    first = [
        s["id"]
        for s in json.loads(export(cohort, tmp_path, "xapi", library=library_dir).read_text())
    ]
    second = [
        s["id"]
        for s in json.loads(export(cohort, tmp_path, "xapi", library=library_dir).read_text())
    ]
    assert first == second
    other = json.loads(
        export(cohort, tmp_path, "xapi", "--base-url", "https://x.example").read_text()
    )
    assert not set(first) & {s["id"] for s in other}


def test_since_until_and_programme_filter_what_is_exported(cohort, tmp_path, library_dir):
    later = export(cohort, tmp_path, "jsonl", "--since", "2999-01-01").read_text()
    assert later == ""
    earlier = export(cohort, tmp_path, "csv", "--until", "2000-01-01").read_text("utf-8-sig")
    assert earlier.strip() == HEADER
    pilot = export(cohort, tmp_path, "jsonl", "--programme", "pilot").read_text()
    assert len(pilot.splitlines()) == 2
    today = export(cohort, tmp_path, "jsonl", "--until", "2999-12-31").read_text()
    assert len(today.splitlines()) == 2


def test_bad_dates_are_one_line(cohort):
    result = run_cli("records", "export", "--db", cohort, "--format", "csv", "--since", "May")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "mentorquest: error: --since takes a date such as 2026-01-31 (or 2026-01-31T09:00); "
        "got 'May'"
    )
    backwards = run_cli(
        "records", "export", "--db", cohort, "--format", "csv", "--since", "2026-02-01",
        "--until", "2026-01-01",
    )  # fmt: skip
    assert backwards.returncode == 2 and "must come after --since" in backwards.stderr


def test_import_verifies_and_is_idempotent(cohort, tmp_path):
    path = export(cohort, tmp_path, "jsonl", "--include-free-text")
    target = f"sqlite:///{tmp_path / 'coordinator.db'}"
    first = run_cli("records", "import", "--db", target, str(path))
    assert first.returncode == 0, first.stderr
    assert "Imported 2 record(s); 0 already in the store; 0 rejected." in first.stderr
    second = run_cli("records", "import", "--db", target, str(path))
    assert "Imported 0 record(s); 2 already in the store" in second.stderr
    with open_store(target) as store:
        assert store.count_records() == 2


def test_import_reports_a_different_record_under_a_kept_id_and_keeps_the_stored_one(
    cohort, tmp_path
):
    import dataclasses

    from mentorquest.engine.record import CompletionRecord
    from mentorquest.records.signing import sign

    path = export(cohort, tmp_path, "jsonl", "--include-free-text")
    target = f"sqlite:///{tmp_path / 'coordinator.db'}"
    assert run_cli("records", "import", "--db", target, str(path)).returncode == 0
    first, second = path.read_text().splitlines()
    record = CompletionRecord.from_json(first)
    participant = dataclasses.replace(record.participant, name="Someone Else")
    forged = sign(dataclasses.replace(record, participant=participant))  # a trusted signer
    changed = tmp_path / "changed.jsonl"
    changed.write_text(forged.to_json() + "\n" + second + "\n")
    again = run_cli("records", "import", "--db", target, str(changed))
    assert again.returncode == 1
    assert again.stderr.splitlines()[-2:] == [
        f"{changed}:1: record {record.record_id}: not imported: a different record with this "
        "id is already in the store (it differs in participant); the stored one is kept",
        "Imported 0 record(s); 1 already in the store; 1 rejected.",
    ]
    with open_store(target) as store:
        assert store.record(record.record_id).participant.name == record.participant.name


def test_import_reports_two_different_records_with_one_id_in_one_batch(cohort, tmp_path):
    import dataclasses

    from mentorquest.engine.record import CompletionRecord
    from mentorquest.records.signing import sign

    path = export(cohort, tmp_path, "jsonl", "--include-free-text")
    first = path.read_text().splitlines()[0]
    record = CompletionRecord.from_json(first)
    other = sign(dataclasses.replace(record, stars=record.stars))  # the same content: a copy
    renamed = dataclasses.replace(record.participant, name="Someone Else")
    edited = sign(dataclasses.replace(record, participant=renamed))
    batch = tmp_path / "batch.jsonl"
    batch.write_text("\n".join([first, other.to_json(), edited.to_json()]) + "\n")
    target = f"sqlite:///{tmp_path / 'coordinator.db'}"
    result = run_cli("records", "import", "--db", target, str(batch))
    assert result.returncode == 1
    assert "batch.jsonl:3: record " in result.stderr and "differs in participant" in result.stderr
    assert "Imported 1 record(s); 1 already in the store; 1 rejected." in result.stderr


def test_imported_records_bring_their_attempts_to_xapi(cohort, tmp_path, library_dir):
    path = export(cohort, tmp_path, "jsonl", "--include-free-text")
    target = f"sqlite:///{tmp_path / 'coordinator.db'}"
    assert run_cli("records", "import", "--db", target, str(path)).returncode == 0
    here = json.loads(export(cohort, tmp_path, "xapi", library=library_dir).read_text())
    there = json.loads(export(target, tmp_path, "xapi", library=library_dir).read_text())
    # Only the best attempts travel in a record; they give the same statements, except the
    # decision times the record keeps too, and the answers it carries (timed by the record).
    best = {
        s["id"]
        for s in here
        if "attempt-id" in json.dumps(s.get("context", {}))
        and s["actor"]["account"]["name"] != "q-3"  # in progress: no record to carry it
    }
    got = {s["id"] for s in there if "attempt-id" in json.dumps(s.get("context", {}))}
    assert got <= best and len(got) == len(best)


def test_import_rejects_altered_records_and_keeps_the_rest(cohort, tmp_path):
    path = export(cohort, tmp_path, "jsonl", "--include-free-text")
    lines = path.read_text().splitlines()
    altered = json.loads(lines[1])
    altered["participant"]["name"] = "Someone Else"
    path.write_text(lines[0] + "\n" + json.dumps(altered) + "\n")
    target = f"sqlite:///{tmp_path / 'coordinator.db'}"
    result = run_cli("records", "import", "--db", target, str(path))
    assert result.returncode == 1
    assert f"record {altered['record_id']}: not imported" in result.stderr
    with open_store(target) as store:
        assert store.count_records() == 1


def test_records_list_shows_each_participant(cohort, library_dir):
    result = run_cli(
        "records", "list", "--db", cohort, "--library", str(library_dir), env={"COLUMNS": "120"}
    )
    assert result.returncode == 0, result.stderr
    for expected in ("p-1", "Ada Lovelace", "m-2", "q-3", "Quinn", "0 of 2"):
        assert expected in result.stdout


def test_records_list_as_csv_and_json_says_what_is_missing(cohort, library_dir, tmp_path):
    result = run_cli(
        "records", "list", "--db", cohort, "--library", str(library_dir), "--format", "json"
    )
    assert result.returncode == 0, result.stderr
    rows = {r["participant_id"]: r for r in json.loads(result.stdout)}
    assert rows["q-3"]["status"] == "in progress"
    assert (rows["q-3"]["passed"], rows["q-3"]["required"]) == (0, 2)
    assert rows["q-3"]["missing"][0] == "scenario 'one' in progress"
    assert rows["p-1"]["status"] == "completed" and rows["p-1"]["missing"] == []
    out = tmp_path / "list.csv"
    run_cli("records", "list", "--db", cohort, "--format", "csv", "--out", str(out))
    data = out.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf") and b"\r\n" in data
    listed = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert {r["participant_id"]: r["name"] for r in listed}["m-2"] == '\'=HYPERLINK("x")'


def test_export_to_a_missing_folder_is_one_line(cohort, tmp_path):
    result = run_cli(
        "records",
        "export",
        "--db",
        cohort,
        "--format",
        "csv",
        "--out",
        str(tmp_path / "no" / "x.csv"),
    )
    assert result.returncode == 2
    assert result.stderr.startswith("mentorquest: error: cannot write")


def test_fast_xapi_text_is_exactly_the_json_of_its_statement(cohort, tmp_path, library_dir):
    # The export writes statements from pre-encoded fragments; each must be the compact
    # JSON of the statement it stands for, so the fast path cannot drift from the shape.
    text = export(cohort, tmp_path, "xapi", "--include-free-text", library=library_dir).read_text()
    lines = [line.rstrip(",") for line in text.splitlines()[1:-1]]
    assert lines
    for line in lines:
        assert line == json.dumps(json.loads(line), ensure_ascii=False, separators=(",", ":"))


def test_fast_statement_ids_equal_uuid5():
    import uuid

    from mentorquest.records.xapi import XAPI_NAMESPACE, _uuid, statement_id

    for name in ("p-1", "ünïcode/ñame", "a\x00b", "x" * 500, "", "scenario/scene/choice"):
        assert _uuid(name) == str(uuid.uuid5(XAPI_NAMESPACE, name))
    assert _uuid("a", "b") == str(uuid.uuid5(XAPI_NAMESPACE, "a/b"))
    assert statement_id("k", ',"x":1}') == str(uuid.uuid5(XAPI_NAMESPACE, 'k\0,"x":1}'))


def test_exports_read_the_same_from_sqlite_and_postgresql(any_url, tmp_path, library_dir):
    from tests.store.helpers import play_plain
    from tests.store.library import MENTOR_FULL_RUN

    play_plain(library_dir, any_url, MENTOR_FULL_RUN)
    play_plain(library_dir, any_url, ["Ä-2", "Änne", "", "2", "3", "", "okay"])
    play_plain(library_dir, any_url, ["b-3", "Bo", "", "1", "5", ""])
    out = export(any_url, tmp_path, "csv", "--include-incomplete", library=library_dir)
    rows = list(csv.DictReader(io.StringIO(out.read_text("utf-8-sig"))))
    assert [(r["participant_id"], r["scenario_id"], r["status"]) for r in rows] == [
        ("b-3", "one", "in progress"),  # opened (the player saves a scenario as it starts)
        ("b-3", "two", "not started"),
        ("p-1", "one", "passed"),
        ("p-1", "two", "passed"),
        ("Ä-2", "one", "in progress"),
    ]
    statements = json.loads(export(any_url, tmp_path, "xapi", library=library_dir).read_text())
    per_actor = {}
    for s in statements:
        per_actor.setdefault(s["actor"]["account"]["name"], []).append(
            s["verb"]["display"]["en-US"]
        )
    assert sorted(per_actor) == ["b-3", "p-1", "Ä-2"]
    assert per_actor["Ä-2"] == ["initialized", "answered", "answered"]  # a decision, an answer
    assert per_actor["b-3"] == ["initialized", "answered"]  # opened, no decision; the answer


def test_someone_registered_who_did_nothing_yet_is_listed_as_not_started(
    cohort, library_dir, tmp_path
):
    from mentorquest.store import Profile

    with open_store(cohort) as store:
        store.save_profile(Profile("n-4", "Noor", "mentee", None))
    listed = run_cli(
        "records", "list", "--db", cohort, "--library", str(library_dir), "--format", "json"
    )
    rows = {r["participant_id"]: r for r in json.loads(listed.stdout)}
    assert rows["n-4"]["status"] == "not started"
    assert rows["n-4"]["missing"][0] == "scenario 'one' not started"
    report = run_cli("report", "--db", cohort, "--library", str(library_dir), "--json")
    assert json.loads(report.stdout)["participants"]["not_started"] == 1
    # Without this programme's library, nothing says which programme Noor is in.
    other = run_cli("records", "list", "--db", cohort, "--format", "json")
    assert "n-4" not in {r["participant_id"] for r in json.loads(other.stdout)}


# --- what is at --out: files are written whole, nothing else is replaced ---------------------

OUT_COMMANDS = {
    "export": ("records", "export", "--format", "csv", "--out"),
    "list": ("records", "list", "--format", "csv", "--out"),
    "report": ("report", "--html"),
}


def write_out(command: str, url: str, target) -> object:
    return run_cli(*OUT_COMMANDS[command], str(target), "--db", url)


@pytest.mark.parametrize("command", sorted(OUT_COMMANDS))
def test_out_through_a_symlink_writes_the_file_it_leads_to(cohort, tmp_path, command):
    real = tmp_path / "real.out"
    real.write_text("old\n")
    real.chmod(0o640)
    link = tmp_path / "link.out"
    link.symlink_to(real)
    result = write_out(command, cohort, link)
    assert result.returncode == 0, result.stderr
    assert link.is_symlink() and link.resolve() == real  # the link is still a link
    assert real.read_text("utf-8-sig") != "old\n" and "p-1" in real.read_text("utf-8-sig")
    assert oct(real.stat().st_mode & 0o777) == oct(0o640)  # a replaced file keeps its mode
    assert [p.name for p in tmp_path.iterdir() if p.name.endswith(".partial")] == []


@pytest.mark.parametrize("command", sorted(OUT_COMMANDS))
@pytest.mark.parametrize("kind", ["fifo", "device", "stdout", "folder", "dangling"])
def test_out_never_replaces_what_is_not_a_regular_file(cohort, tmp_path, command, kind):
    import os
    import stat

    target = tmp_path / "target"
    if kind == "fifo":
        os.mkfifo(target)
    elif kind == "device":  # a link to one, so that nothing under /dev is at risk
        target.symlink_to("/dev/null")
    elif kind == "stdout":
        target.symlink_to("/proc/self/fd/1")
    elif kind == "folder":
        target.mkdir()
    else:
        target.symlink_to(tmp_path / "nowhere")
    before = os.lstat(target)
    result = write_out(command, cohort, target)
    assert result.returncode == 2, result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"mentorquest: error: cannot write {target}: ")
    expected = {
        "fifo": "it is a FIFO (a pipe), not a regular file",
        "device": "it is a device, not a regular file",
        "stdout": "not a regular file",
        "folder": "it is a folder; give a file in it (e.g. ",
        "dangling": "which does not exist",
    }[kind]
    assert expected in line
    after = os.lstat(target)
    assert stat.S_IFMT(after.st_mode) == stat.S_IFMT(before.st_mode)
    assert after.st_ino == before.st_ino
    assert result.stdout == ""
    assert not (tmp_path / "nowhere").exists()


@pytest.mark.parametrize("command", sorted(OUT_COMMANDS))
@pytest.mark.parametrize("kind", ["store", "journal", "signing key", "new file in config"])
def test_out_never_writes_over_mentorquests_own_files(cohort, tmp_path, command, kind):
    import os

    from mentorquest.locations import config_dir
    from mentorquest.records.signing import KEY_FILE

    store = Path(cohort.removeprefix("sqlite:///"))
    home_config = config_dir()
    (home_config / KEY_FILE).write_text("a key\n", encoding="utf-8")
    target = {
        "store": store,
        "journal": Path(f"{store}-wal"),
        "signing key": home_config / KEY_FILE,
        "new file in config": home_config / "export.csv",
    }[kind]
    before = target.read_bytes() if target.exists() else None
    result = write_out(command, cohort, target)
    assert result.returncode == 2, result.stderr
    assert f"cannot write {target}: it is one of mentorquest's own files" in result.stderr
    assert (target.read_bytes() if target.exists() else None) == before
    assert not [n for n in os.listdir(target.parent) if n.endswith(".partial")]
    assert run_cli("records", "list", "--db", cohort).returncode == 0  # the store is whole


# --- read-only commands never create a store ---------------------------------------------

READING = {
    "list": ("records", "list"),
    "export": ("records", "export", "--format", "csv"),
    "report": ("report",),
    "push": ("records", "push", "--lrs", "http://127.0.0.1:9/xapi", "--base-url", IRI),
}


@pytest.mark.parametrize("command", sorted(READING))
def test_a_reading_command_on_a_missing_sqlite_store_says_so_and_creates_nothing(tmp_path, command):
    missing = tmp_path / "typo.db"
    result = run_cli(*READING[command], "--db", f"sqlite:///{missing}")
    assert result.returncode == 1
    assert result.stderr.strip() == f"mentorquest: error: no store at {missing}"
    assert result.stdout == ""
    assert not missing.exists() and not list(tmp_path.glob("typo.db*"))


@pytest.mark.parametrize("command", ["list", "export", "report", "push"])
def test_an_unknown_programme_is_one_line_naming_the_known_ones(cohort, command):
    result = run_cli(*READING[command], "--db", cohort, "--programme", "pilto")
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "mentorquest: error: unknown programme 'pilto'; known programmes: pilot, "
        "reciprocal-mentoring"  # the store's, and the default library's
    )
    assert result.stdout == ""


def test_free_text_goes_out_only_when_asked_in_every_format_that_has_answers(tmp_path, library_dir):
    from tests.store.helpers import play_plain
    from tests.store.library import MENTOR_FULL_RUN

    url = f"sqlite:///{tmp_path / 'store.db'}"
    play_plain(library_dir, url, MENTOR_FULL_RUN)
    said = MENTOR_FULL_RUN[-1]  # the free-text answer
    for fmt in ("jsonl", "xapi"):
        quiet = export(url, tmp_path, fmt, "--base-url", IRI).read_text()
        told = export(url, tmp_path, fmt, "--base-url", IRI, "--include-free-text").read_text()
        assert json.dumps(said)[1:-1] not in quiet and json.dumps(said)[1:-1] in told, fmt
    refused = run_cli(
        "records", "export", "--db", url, "--format", "csv", "--include-free-text"
    )  # fmt: skip
    assert refused.returncode == 2
    assert refused.stderr.strip() == (
        "mentorquest: error: --include-free-text is for --format jsonl or xapi: the CSV has no "
        "survey answers"
    )
