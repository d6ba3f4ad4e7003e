"""Hostile input, everywhere: no markup, escape sequence, formula or special file gets through,
no scenario exhausts a player's machine, and bad input is one clear line, never exit 70.

Each case drives the real command (or the one function behind it) and checks the exact
outcome, down to the raw bytes written to the terminal.
"""

from __future__ import annotations

import dataclasses
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from mentorquest.textsafe import label, literal, suspicious
from tests.helpers import MISSED_SESSIONS, PROGRAMME, write_library

ESC = "\x1b"
OSC52 = "\x1b]52;c;cm0gLXJmIH4=\x07"  # writes "rm -rf ~" to the clipboard
BIDI = "\u202e"  # right-to-left override
ZWSP = "\u200b"
HOSTILE = f"Eve [/] [@click=app.quit]boom[/] [blink]x[/blink] {OSC52}{ESC}[31mred{BIDI}txt{ZWSP}"


def command(*args: str, stdin: str = "", env: dict[str, str] | None = None, timeout: float = 120):
    """`mentorquest ARGS` as bytes, exactly as a terminal would receive them."""
    return subprocess.run(
        [sys.executable, "-m", "mentorquest", *args],
        input=stdin.encode(),
        capture_output=True,
        env={**os.environ, "TERM": "xterm-256color", **(env or {})},
        timeout=timeout,
    )


def assert_inert(raw: bytes) -> None:
    """Nothing that a terminal would act on: no ESC, no 8-bit CSI, no BEL, no bidi control."""
    text = raw.decode("utf-8")
    for bad in (ESC, "\x9b", "\x07", BIDI, "\u2066", "\u202a"):
        assert bad not in text, f"{bad!r} reached the terminal:\n{text!r}"


# --- the one making-safe function ---------------------------------------------------------------


def test_escape_sequences_and_controls_are_removed():
    assert literal(f"a{ESC}[31mb{OSC52}c\x00d\x7fe\x9b2Jf") == "abcdef"


def test_bidi_controls_are_shown_not_obeyed():
    assert literal(f"abc{BIDI}def") == "abc<U+202E>def"


def test_names_on_one_line_show_invisible_characters():
    assert label(f"Eve{ZWSP}\nSmith\tJr") == "Eve<U+200B> Smith Jr"
    assert literal(f"Eve{ZWSP}") == f"Eve{ZWSP}"  # prose keeps them (joiners shape scripts)


def test_plain_text_is_left_alone():
    for text in ("Zoë Müller-Ødegård", "«quoted» — 😀", "[b]not markup, just brackets[/b]"):
        assert label(text) == text


def test_suspicious_characters_are_named():
    assert suspicious("fine\ntext") is None
    assert suspicious("a\x1bb") == "a control character (U+001B)"
    assert "bidirectional control (U+202E)" in suspicious(f"a{BIDI}b")
    assert suspicious(f"a{ZWSP}b") == "an invisible character (U+200B)"


# --- a hostile library --------------------------------------------------------------------------


def hostile_library(root: Path) -> Path:
    quoted = json.dumps(HOSTILE)  # a YAML double-quoted scalar: escapes become the characters
    scenario = (
        MISSED_SESSIONS.replace("title: The missed sessions", f"title: {quoted}")
        .replace("text: Priya has missed two sessions.", f"text: {quoted}")
        .replace("text: Ask how she is.", f"text: {quoted}")
        .replace("speaker: Narrator", f"speaker: {quoted}")
        .replace("feedback: Curiosity first.", f"feedback: {quoted}")
    )
    return write_library(root, {"missed-sessions": scenario})


def test_validate_warns_about_hidden_characters_with_their_position(tmp_path):
    result = command("validate", str(hostile_library(tmp_path / "lib")))
    out = result.stdout.decode()
    assert result.returncode == 0, out
    warnings = [line for line in out.splitlines() if "missed-sessions.yaml" in line]
    assert any(
        line.startswith(f"{tmp_path / 'lib' / 'missed-sessions.yaml'}:3:8: warning: the text holds")
        for line in warnings
    ), warnings
    assert_inert(result.stdout + result.stderr)


def test_the_plain_player_shows_a_hostile_library_literally(tmp_path):
    root = hostile_library(tmp_path / "lib")
    result = command(
        "play",
        "--plain",
        "--library",
        str(root),
        "--participant",
        "p1",
        "--name",
        HOSTILE,
        "--email",
        "",
        "--role",
        "mentor",
        stdin="hope\n3\nask\n",
    )
    assert result.returncode == 0, result.stderr
    assert_inert(result.stdout + result.stderr)
    out = result.stdout.decode()
    assert "Eve [/] [@click=app.quit]boom[/] [blink]x[/blink]" in out  # markup shown as typed
    assert "red<U+202E>txt<U+200B>" in out  # one-line texts: title, speaker, names


def test_a_participant_id_is_one_line_of_printable_text(tmp_path):
    root = write_library(tmp_path / "lib")
    result = command("play", "--plain", "--library", str(root), "--participant", f"p{ESC}[2J")
    assert result.returncode == 2
    assert result.stderr.decode().strip() == (
        "mentorquest: error: a participant id is one line of printable text, 1 to 200 "
        "characters (an email address will do)"
    )


def test_a_participant_id_with_spaces_around_it_is_refused(tmp_path):
    root = write_library(tmp_path / "lib")
    result = command("play", "--plain", "--library", str(root), "--participant", " p-1 ")
    assert result.returncode == 2
    assert "a participant id has no spaces at its start or end: ' p-1 '" in (result.stderr.decode())


def test_a_damaged_public_key_is_named_as_such(tmp_path):
    from mentorquest.records.signing import verify_json

    data = json.loads(
        (Path(__file__).parent / "records" / "data" / "record-format-1.json").read_text()
    )
    data["signature"]["public_key"] = "AAAA"
    verdict, _ = verify_json(data)
    assert not verdict.ok
    assert verdict.reason == "its signer's public key is not an Ed25519 public key (damaged)"


def test_records_and_report_show_hostile_participants_literally(tmp_path):
    root = write_library(tmp_path / "lib")
    db = f"sqlite:///{tmp_path / 'store.db'}"
    played = command(
        "play",
        "--plain",
        "--library",
        str(root),
        "--db",
        db,
        "--participant",
        "p[/][blink]",
        "--name",
        HOSTILE,
        "--email",
        "",
        "--role",
        "mentee",
        stdin="hope\n3\nsay-it\n\n",
    )
    assert played.returncode == 0, played.stderr
    for args in (
        ("records", "list", "--db", db, "--library", str(root)),
        ("report", "--db", db),
        ("records", "export", "--db", db, "--format", "jsonl"),
    ):
        result = command(*args)
        assert result.returncode == 0, (args, result.stderr)
        assert_inert(result.stdout + result.stderr)
    listed = command("records", "list", "--db", db, "--library", str(root)).stdout.decode()
    assert "Eve [/]" in listed and "p[/]" in listed
    html = tmp_path / "report.html"
    assert command("report", "--db", db, "--html", str(html)).returncode == 0
    page = html.read_text(encoding="utf-8")
    assert "Eve [/] [@click=app.quit]boom[/]" in page  # shown as text
    assert ESC not in page and "\x07" not in page and BIDI not in page


# --- spreadsheet formulas -----------------------------------------------------------------------


def test_every_csv_cell_passes_the_formula_guard():
    from mentorquest.engine.record import (
        CompletionRecord,
        Decision,
        RecordParticipant,
        RecordProgramme,
        RuleResult,
        ScenarioResult,
    )
    from mentorquest.records.exports import csv_rows

    evil = '=HYPERLINK("http://x","y")'
    scenario = ScenarioResult(
        scenario_id="+cmd|' /C calc'!A0",
        title=evil,
        content_hash="@x",
        attempt_id="-1",
        attempts=1,
        started_at="=1",
        finished_at="+1",
        duration_s=1.0,
        percent=100,
        pass_mark=70,
        passed=True,
        stars=3,
        ending="end",
        ending_kind="strong",
        critical=("=evil",),
        rules=(RuleResult(rule="r", name="r", earned=1, best=1),),
        decisions=(Decision(scene="a", choice="b", best=True),),
    )
    record = CompletionRecord(
        record_id="\t=1",
        participant=RecordParticipant(id="@p", name=evil, email="=e", role="-r"),
        programme=RecordProgramme(id="+p", title="t"),
        scenarios=(scenario,),
        rule_totals=(),
        stars=3,
        stars_possible=3,
        badges=(),
        started_at="=t",
        completed_at="=t",
        mentorquest_version="0",
    )
    [row] = csv_rows(record, ["r"])
    for cell in row:
        assert not (isinstance(cell, str) and cell.startswith(("=", "+", "-", "@", "\t", "\r"))), (
            row
        )


def test_an_imported_record_with_a_formula_for_an_id_is_refused(tmp_path):
    from mentorquest.engine.record import CompletionRecord
    from mentorquest.records.signing import sign

    text = (Path(__file__).parent / "records" / "data" / "record-format-1.json").read_text()
    record = CompletionRecord.from_json(text)
    for field_change in (
        {"participant": dataclasses.replace(record.participant, role="=HYPERLINK(1)")},
        {"started_at": "+cmd|' /C calc'!A0"},
        {"programme": dataclasses.replace(record.programme, id="@SUM(1)")},
    ):
        forged = sign(dataclasses.replace(record, signature=None, **field_change))
        path = tmp_path / "forged.json"
        path.write_text(forged.to_json())
        result = command("records", "import", "--trust-any", str(path))
        assert result.returncode == 1
        assert b"not imported: not a valid record (" in result.stderr


# --- files that are not files -------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["fifo", "device", "outside", "loop"])
def test_a_library_is_read_from_regular_files_only(tmp_path, kind):
    root = write_library(tmp_path / "lib")
    trap = root / "trap.yaml"
    if kind == "fifo":
        os.mkfifo(trap)
        expected = "not a regular file (a named pipe); a library holds only files"
    elif kind == "device":
        trap.symlink_to("/dev/zero")
        expected = "a symlink to a file outside the library folder"
    elif kind == "outside":
        secret = tmp_path / "secret.yaml"
        secret.write_text("root:x:0:0\n")
        trap.symlink_to(secret)
        expected = "a symlink to a file outside the library folder"
    else:
        trap.symlink_to(trap)
        expected = "cannot read file"
    for args in (("validate", str(root)), ("play", "--plain", "--library", str(root))):
        result = command(*args, timeout=60)  # a FIFO would make a careless reader wait for ever
        assert result.returncode in (1, 2), result
        assert f"{trap}:1:1: error: " in (result.stdout + result.stderr).decode()
        assert expected in (result.stdout + result.stderr).decode()
        assert b"root:x" not in result.stdout + result.stderr
        assert b"internal error" not in result.stderr


# --- the analysis, bounded and cached -----------------------------------------------------------

HUGE = """\
format: 1
id: huge
title: Huge
roles: [mentor]
variables:
  a: {start: 0, min: 0, max: 1200}
  b: {start: 0, min: 0, max: 1200}
start: hub
scenes:
  hub:
    text: Hub.
    choices:
      - {id: up-a, text: A, goto: hub, add: {a: 1}, if: a < 1200, feedback: f, scores: {listening: 1}}
      - {id: up-b, text: B, goto: hub, add: {b: 1}, if: b < 1200, feedback: f}
      - {id: done, text: Done, goto: end, scores: {listening: 1}, feedback: f}
  end: {text: End., ending: strong}
"""


def test_walk_and_play_refuse_a_scenario_over_the_limit_with_the_validators_message(tmp_path):
    root = write_library(
        tmp_path / "lib",
        {"huge": HUGE},
        PROGRAMME.replace("mentor: [missed-sessions]", "mentor: [huge]"),
    )
    validated = command("validate", str(root)).stdout.decode()
    [line] = [line for line in validated.splitlines() if "reachable states" in line]
    message = line.split(": error: ", 1)[1]
    walked = command("walk", "--library", str(root), "huge", "done")
    assert walked.returncode == 2
    assert walked.stderr.decode().startswith(
        f"mentorquest: error: scenario 'huge' cannot be played: {message}"
    )
    played = command(
        "play",
        "--plain",
        "--library",
        str(root),
        "--scenario",
        "huge",
        "--participant",
        "p",
        "--name",
        "P",
        "--email",
        "",
        "--role",
        "mentor",
        stdin="",
    )
    assert played.returncode == 2
    assert message in played.stderr.decode()
    # The verdict is kept: the next start refuses at once, without exploring again.
    cached = list((Path(os.environ["MENTORQUEST_HOME"]) / "cache" / "analyses").glob("*.bin"))
    assert cached


def test_a_legal_scenario_is_analysed_once_and_then_read_from_the_cache(tmp_path, monkeypatch):
    from mentorquest.engine import Engine
    from mentorquest.engine import cache as analysis_cache
    from mentorquest.engine.analysis import analyse
    from mentorquest.language.loader import open_library

    library = open_library(write_library(tmp_path / "lib"))
    full = analyse(library, "missed-sessions")
    first = Engine(library).analysis("missed-sessions")
    # Play keeps the values alone, as the cache holds them, not the solution they came from.
    assert first.solution is None and first.table is not None
    assert len(first.table) == len(full.solution)
    path = analysis_cache.cache_file(library, "missed-sessions")
    assert path is not None and path.is_file()
    with monkeypatch.context() as patched:
        patched.setattr(analysis_cache, "analyse", None)  # read, not explored
        again = Engine(library).analysis("missed-sessions")
    assert again.solution is None and again.table is not None
    bests = (full.best_total, full.best_by_rule, full.most_by_rule)
    assert (first.best_total, first.best_by_rule, first.most_by_rule) == bests
    assert (again.best_total, again.best_by_rule, again.most_by_rule) == bests
    for key in full.solution.keys:
        assert first.value_of(key) == again.value_of(key) == full.value_of(key)

    def debrief(engine):
        attempt = engine.start("missed-sessions")
        for choice in ("blame", "apologise", "reassure"):
            attempt.choose(choice)
        return attempt.debrief()

    fresh = Engine(library)
    fresh._analyses["missed-sessions"] = full
    from_cache = debrief(Engine(library))
    assert from_cache == debrief(fresh)
    assert from_cache.entries[0].better is not None  # values along the path, from the table
    path.write_bytes(b"damaged")
    assert Engine(library).analysis("missed-sessions").best_total == first.best_total


# --- bad input: one clear line, never exit 70 ------------------------------------------------


def test_closed_standard_input_ends_the_player_cleanly(tmp_path):
    root = write_library(tmp_path / "lib")
    result = subprocess.run(  # `mentorquest play --plain <&-`
        [sys.executable, "-m", "mentorquest", "play", "--plain", "--library", str(root)],
        capture_output=True,
        timeout=120,
        preexec_fn=lambda: os.close(0),
    )
    assert result.returncode == 0, result.stderr
    assert b"Input ended. Your progress is saved" in result.stdout


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("[" * 100_000, "nested too deeply to be a record"),
        ('{"a": ' * 100_000, "nested too deeply to be a record"),
        ("\x00\xff\xfe", "not JSON"),
        ("", "is empty"),
        ("[]", "holds an empty list ([]): no records in it"),
        ("{}", "an empty JSON object ({}), not a completion record"),
        ("[{}]", "an empty JSON object ({}), not a completion record"),
    ],
    ids=[
        "deep-array",
        "deep-object",
        "not-text",
        "empty",
        "empty-list",
        "empty-object",
        "list-of-empty",
    ],
)
def test_a_bad_import_file_is_one_line_and_the_batch_goes_on(tmp_path, content, problem):
    bad = tmp_path / "bad.json"
    bad.write_text(content, encoding="utf-8", errors="surrogateescape")
    good = Path(__file__).parent / "records" / "data" / "record-format-1.json"
    result = command("records", "import", "--trust-any", str(bad), "/dev/zero", str(good))
    err = result.stderr.decode()
    assert result.returncode == 1
    [line] = [line for line in err.splitlines() if line.startswith(str(bad))]
    assert "not imported: " in line and problem in line
    assert "::" not in line
    assert "/dev/zero: not imported: not a regular file" in err
    assert "Imported 1 record(s); 0 already in the store; 2 rejected" in err
    assert "Traceback" not in err and "internal error" not in err


def test_ctrl_c_says_interrupted_and_keeps_progress(tmp_path):
    root = write_library(tmp_path / "lib")
    player = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "mentorquest",
            "play",
            "--plain",
            "--library",
            str(root),
            "--participant",
            "p1",
            "--name",
            "Pat",
            "--email",
            "",
            "--role",
            "mentor",
        ],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert player.stdin is not None and player.stdout is not None
    player.stdin.write(b"hope\n3\nask\n")
    player.stdin.flush()
    seen = b""
    deadline = time.monotonic() + 90
    while b"Feedback: Curiosity first." not in seen:  # the choice is made, and saved
        assert time.monotonic() < deadline, seen
        seen += player.stdout.read1(4096)
    player.send_signal(signal.SIGINT)
    _, err = player.communicate(timeout=60)
    assert player.returncode == 130
    assert err.decode().strip().endswith("mentorquest: interrupted")
    resumed = command(
        "play",
        "--plain",
        "--library",
        str(root),
        "--participant",
        "p1",
        "--role",
        "mentor",
        stdin="",
    )
    assert b"Resuming where you left off (1 choices made)." in resumed.stdout


def test_one_line_text_shows_what_is_there_and_running_text_drops_controls():
    hostile = "ctl-\x1b[31m\x07x\u200by\u202e\nz"
    # A name, id or message: every control, invisible and bidi character as a marker.
    assert label(hostile) == "ctl-<U+001B>[31m<U+0007>x<U+200B>y<U+202E> z"
    # Running text (a scene): escape sequences and controls dropped, bidi made visible.
    assert literal(hostile) == "ctl-x\u200by<U+202E>\nz"


def test_validate_names_an_id_with_a_control_character_as_it_is(tmp_path):
    root = write_library(tmp_path / "lib")
    path = root / "speaking-up.yaml"
    path.write_text(path.read_text().replace("id: speaking-up", 'id: "ctl-\\e[31m"', 1))
    done = command("validate", str(root))
    assert "'ctl-<U+001B>[31m' is not a valid id" in done.stdout.decode()
    assert_inert(done.stdout + done.stderr)


def test_joiners_that_are_part_of_writing_are_kept():
    persian = "نیم\u200cروز"  # the non-joiner is part of the word
    family = "\U0001f468\u200d\U0001f469\u200d\U0001f467"  # one emoji, joined
    assert label(persian) == persian and label(family) == family
    assert suspicious(persian) is None and suspicious(family) is None


# --- a huge value given back makes a short message ------------------------------------------

HUGE_VALUE = "x" * 5000


def _longest_line(text: str) -> int:
    return max((len(line) for line in text.splitlines()), default=0)


def test_a_huge_record_id_is_echoed_clipped_by_verify_and_import(tmp_path):
    from tests.toolkit.helpers import mq

    record = tmp_path / "big.json"
    record.write_text(
        json.dumps({"record_id": HUGE_VALUE, "signature": {"public_key": "a", "value": "b"}})
    )
    for args in (
        ("records", "verify", record),
        ("records", "import", "--db", f"sqlite:///{tmp_path / 's.db'}", record),
    ):
        ran = mq(*args)
        assert ran.code == 1
        assert f"record {'x' * 80}\u2026: " in ran.err
        assert _longest_line(ran.out + ran.err) < 400


@pytest.mark.parametrize(
    "args",
    [
        ("records", "trust", "remove", HUGE_VALUE),
        ("walk", "--library", "LIB", HUGE_VALUE),
        ("play", "--plain", "--library", "LIB", "--role", HUGE_VALUE),
    ],
    ids=["trust-remove", "scenario", "role"],
)
def test_a_huge_name_given_back_in_an_error_is_clipped(tmp_path, args):
    from tests.toolkit.helpers import mq

    lib = write_library(tmp_path / "lib")
    ran = mq(*(str(lib) if a == "LIB" else a for a in args))
    assert ran.code == 2, ran.err
    assert f"'{'x' * 80}\u2026'" in ran.err
    assert _longest_line(ran.out + ran.err) < 400


def test_a_file_name_that_is_not_utf8_never_reaches_the_terminal_as_raw_bytes(tmp_path):
    # Byte 0x9B is a terminal's 8-bit CSI: the name is shown with a marker for it.
    root = write_library(tmp_path / "lib")
    scenario = next(p for p in root.glob("*.yaml") if p.name != "programme.yaml")
    odd = os.fsencode(str(scenario.parent)) + b"/b\x9b2J.yaml"
    os.rename(scenario, odd)
    result = subprocess.run(
        [sys.executable, "-m", "mentorquest", "validate", str(root)],
        capture_output=True,
        timeout=120,
    )
    shown = result.stdout + result.stderr
    assert b"\x9b" not in shown and b"\xc2\x9b" not in shown
    assert b"b<byte 9B>2J.yaml" in shown
