"""Exports: CSV for spreadsheets, JSONL of signed records, xAPI; privacy; import."""

from __future__ import annotations

import csv
import io
import json

from ralph.models.xapi.base.statements import BaseXapiStatement

from mentorquest.records.outgoing import pseudonym
from mentorquest.store import open_store
from tests.store.helpers import run_cli

HEADER = (
    "participant_id,name,email,role,programme_id,scenario_id,scenario_title,attempts,started_at,"
    "completed_at,duration_s,percent,passed,stars,critical,confidentiality,listening,record_id"
)


def export(url, tmp_path, fmt, *extra):
    out = tmp_path / f"export.{fmt}"
    result = run_cli("records", "export", "--db", url, "--format", fmt, "--out", str(out), *extra)
    assert result.returncode == 0, result.stderr
    return out


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
    ) == ("Ada Lovelace", "ada@example.org", "mentor", "100", "true", "3")
    assert (ada["confidentiality"], ada["listening"]) == ("100", "100")
    assert rows[1]["confidentiality"] == ""  # scenario two does not score it


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


def test_pseudonymise_replaces_names_and_emails_with_a_stable_hash(cohort, tmp_path):
    first = export(cohort, tmp_path, "csv", "--pseudonymise").read_text("utf-8-sig")
    again = export(cohort, tmp_path, "csv", "--pseudonymise").read_text("utf-8-sig")
    assert first == again
    assert "Ada" not in first and "ada@example.org" not in first
    assert f"participant-{pseudonym('p-1')}" in first
    records = [
        json.loads(x)
        for x in export(cohort, tmp_path, "jsonl", "--pseudonymise").read_text().splitlines()
    ]
    ada = next(r for r in records if r["participant"]["id"] == "p-1")
    assert ada["participant"]["name"] == f"participant-{pseudonym('p-1')}"
    assert "pseudonymised" in ada["redactions"]


def test_every_xapi_statement_is_valid_for_ralph(cohort, tmp_path):
    statements = json.loads(export(cohort, tmp_path, "xapi").read_text())
    for statement in statements:
        BaseXapiStatement.model_validate(statement)
    verbs = [s["verb"]["id"].rsplit("/", 1)[1] for s in statements]
    # Ada: 3 decisions, 2 attempts x (completed + passed), 1 programme completed; Mo: 2 + 2 + 1.
    assert verbs.count("answered") == 5
    assert verbs.count("passed") == 3
    assert verbs.count("completed") == 5
    assert len({s["id"] for s in statements}) == len(statements)
    answered = next(
        s
        for s in statements
        if s["verb"]["id"].endswith("answered") and s["actor"]["account"]["name"] == "p-1"
    )
    assert answered["object"]["definition"]["interactionType"] == "choice"
    assert (
        answered["object"]["definition"]["type"]
        == "http://adlnet.gov/expapi/activities/cmi.interaction"
    )
    assert answered["result"]["response"] == "good"
    assert answered["actor"]["account"]["name"] == "p-1"
    completed = next(s for s in statements if s["verb"]["id"].endswith("completed"))
    assert "score" not in completed["result"] and completed["result"]["completion"] is True


def test_xapi_statement_ids_are_stable_across_exports(cohort, tmp_path):
    first = [s["id"] for s in json.loads(export(cohort, tmp_path, "xapi").read_text())]
    second = [s["id"] for s in json.loads(export(cohort, tmp_path, "xapi").read_text())]
    assert first == second


def test_since_and_programme_filter_records(cohort, tmp_path):
    later = export(cohort, tmp_path, "jsonl", "--since", "2999-01-01").read_text()
    assert later == ""
    other = export(cohort, tmp_path, "jsonl", "--programme", "other").read_text()
    assert other == ""


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


def test_fast_xapi_text_is_exactly_the_json_of_its_statement(cohort, tmp_path):
    # The export writes statements from pre-encoded fragments; each must be the compact
    # JSON of the statement it stands for, so the fast path cannot drift from the shape.
    from mentorquest.engine.record import CompletionRecord
    from mentorquest.records.xapi import statement_texts

    lines = export(cohort, tmp_path, "jsonl", "--include-free-text").read_text().splitlines()
    assert lines
    for line in lines:
        for text in statement_texts(CompletionRecord.from_json(line)):
            assert text == json.dumps(json.loads(text), ensure_ascii=False, separators=(",", ":"))


def test_fast_statement_ids_equal_uuid5():
    import uuid

    from mentorquest.records.xapi import XAPI_NAMESPACE, _uuid

    for name in ("p-1", "ünïcode/ñame", "a\x00b", "x" * 500, "", "scenario/scene/choice"):
        assert _uuid(name) == str(uuid.uuid5(XAPI_NAMESPACE, name))
    assert _uuid("a", "b") == str(uuid.uuid5(XAPI_NAMESPACE, "a/b"))
