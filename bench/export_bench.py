"""Export a realistic cohort to CSV and xAPI against a plain sqlite3 + json + csv baseline.

Run: .venv/bin/python bench/export_bench.py [N] [--rounds R] [--jsonl] [--workdir DIR].

**The store.** N participants (default 2,000: about 90 MiB of store per thousand; the
whole run, building included, takes about two minutes on a 2-core machine) of the bundled
programme (seven required scenarios per role). A few template participants are played for real: the engine plays
each scenario's golden walks (`Engine.start`, `choose` by choice id; some fail a scenario
before passing it), with decisions timed 15-50 s apart (the timed path is replayed by
`Engine.restore`, as a resumed attempt is), and the store-backed progress of the players
keeps their attempts, survey answers (before, after, and for some the midpoint and
close-out check-ins) and, for those who finish, the completion record that
`records.build` makes and `records.signing` signs. About nine in ten complete; the others
stop part-way, one attempt saved in progress. Each participant is then a clone of a
template, written at the SQL level into the store's own tables with fresh ids (participant,
attempts, record), a name and email of their own, and times moved by up to 90 days. A
clone's record id is derived as `build_record` derives it, and the record is signed again
by this installation over its canonical form (RFC 8785), so every clone verifies; a sample
of clones is checked by replaying their attempts, rebuilding their record with the real
code and verifying its signature. Building is timed apart from the measures.

**The measures**, each round in turn (rotated from round to round, so that whatever else
the machine is doing weighs on each alike; each output file is deleted once timed):

- baseline: what anyone would write by hand over the same store: sqlite3 reads every
  record's JSON, `json.loads`, and `csv` writes the same columns as mentorquest's CSV (one
  row per participant and required scenario);
- `records export --format csv`, in-process through `exports.export` with the arguments
  the command passes;
- `records export --format xapi` (with the programme's IRI): every attempt, decision,
  survey answer and record as xAPI statements;
- with `--jsonl`, `records export --format jsonl` (signed records; with free text left
  out, each record is signed again).

It prints each run, the medians, their ratios to the baseline and the median of each
round's own ratio (targets: CSV <= 2x, xAPI <= 4x; the xAPI export writes far more than
the baseline, and its ratio is still against the same CSV baseline). Then peak memory: each export once more in a fresh
process, over this store and over one of N/20 participants (peak resident set, and the
peak of Python's own allocations by tracemalloc; the peak resident set is restarted, on
Linux, once the imports and the library are loaded). The store is read in batches of 2,000
rows, so an export that streams grows with N until N/20 is a few thousand, and no further.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import re
import resource
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

BASE_URL = "https://mentoring.example.org"
START = datetime(2026, 1, 5, 9, 0, tzinfo=UTC)
COMPLETING = 0.9  # the share of templates (so of participants) who finish onboarding
TEMPLATES = 20
STAMP = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?Z")

FIRST = [
    "Ada", "Zoë", "José", "Siobhán", "Łukasz", "Ngozi", "Mei", "Aarav", "Fatima", "Björn",
    "Oluwaseun", "Priya", "Tomás", "Chloé", "Kwame", "Ines", "Yusuf", "Hannah", "Dmitri", "Amara",
]  # fmt: skip
LAST = [
    "Okafor", "Nguyen", "Müller", "García", "O'Brien", "Smith", "Kowalska", "Dubois", "Haddad",
    "Tanaka", "Ó Súilleabháin", "Johansson", "Mensah", "Patel", "Rossi", "Novak", "Fernández",
]  # fmt: skip
HOPES = [
    "To get better at listening without jumping in with advice.",
    "Confidence to talk about what my mentee's workplace is really like for her.",
    "I want to learn how the industry looks from someone starting out today, and to be useful.",
    "Contacts, and an honest view of how to get my first role in the sector.",
]
LEARNT = [
    "How much my assumptions about remote work were out of date.",
    "That saying what I did not understand made our sessions better.",
]


def _stamp(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


def _words(value: str) -> str:
    """A str as it appears inside JSON text (compact, UTF-8 kept; RFC 8785 writes it alike)."""
    return json.dumps(value, ensure_ascii=False)[1:-1]


# --- playing the templates ----------------------------------------------------------------


def golden_walks(library_dir: Path) -> dict[str, dict[str, tuple[list[str], bool]]]:
    """scenario -> case name -> (choice ids, passes): the walks the library's tests pin."""
    import yaml

    walks: dict[str, dict[str, tuple[list[str], bool]]] = {}
    for path in sorted(library_dir.glob("*.test.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
        walks[data["scenario"]] = {
            case["name"]: (list(case["path"]), bool(case["expect"].get("passed")))
            for case in data["cases"]
        }
    return walks


class Clock:
    """The templates' own time: a journey takes its time, decision by decision."""

    def __init__(self, start: datetime, rng: random.Random) -> None:
        self.now = start
        self.rng = rng

    def wait(self, low: float, high: float) -> str:
        self.now += timedelta(seconds=round(self.rng.uniform(low, high)))
        return _stamp(self.now)


def play_template(store: Any, library: Any, engine: Any, index: int, rng: random.Random) -> str:
    """Play one template participant through the real progress of the players; their id."""
    from mentorquest.players.progress import Participant
    from mentorquest.players.stored import StoreProvider

    role = ("mentor", "mentee")[index % 2]
    completes = index < round(TEMPLATES * COMPLETING)
    email = None if index % 7 == 3 else f"zztplmail{index:02d}@example.invalid"
    who = Participant(f"zztplid{index:02d}", f"Zztplname{index:02d}", role, email)
    clock = Clock(START + timedelta(minutes=37 * index), rng)
    walks = golden_walks(library.root)
    survey = library.programme.survey
    stamps: dict[tuple[str, str], str] = {}

    def answer(progress: Any, stage: str) -> None:
        for q in survey.stage(stage):
            if q.optional and rng.random() < 0.5:
                continue
            if q.kind == "scale":
                value: str | int = rng.randint(2, 5) if stage != "before" else rng.randint(1, 4)
            else:
                value = rng.choice(HOPES if stage in ("before", "after") else LEARNT)
            progress.save_survey_answer(stage, q.id, value)
            stamps[(stage, q.id)] = clock.wait(20, 90)

    progress = StoreProvider(store, library, engine).open(who)
    try:
        answer(progress, "before")
        required = library.required_for(role)
        stop = len(required) if completes else rng.randint(1, len(required) - 2)
        for position, sid in enumerate(required[: stop + (0 if completes else 1)]):
            cases = walks[sid]
            plan = [cases["best"][0]]
            if rng.random() < 0.3:  # a failed attempt first
                failing = [c for c, (_path, passes) in cases.items() if not passes]
                plan.insert(0, cases[rng.choice(failing)][0])
            for path in plan:
                clock.wait(60, 240)
                attempt = engine.start(sid)
                for choice in path:
                    attempt.choose(choice)  # the engine's own checks on every choice
                started = _stamp(clock.now)
                timed = [replace(step, at=clock.wait(15, 50)) for step in attempt.state.path]
                if position == stop:  # the one left in progress
                    partial = replace(attempt.state, started_at=started, path=timed[:3])
                    progress.save_attempt(engine.restore(partial).state)
                    break
                state = replace(attempt.state, started_at=started, path=timed)
                progress.finish_attempt(engine.restore(state))
        if completes:
            answer(progress, "after")
            summary = progress.complete()
            assert summary is not None, "a template that passed everything has no record"
            if index % 2 == 0:  # the midpoint check-in, a month on; some close out too
                clock.now += timedelta(days=30)
                answer(progress, "midpoint")
                if index % 4 == 0:
                    clock.now += timedelta(days=60)
                    answer(progress, "closeout")
    finally:
        progress.close()
    # The store stamps what it keeps with the real clock; a template keeps its own times.
    with store.database.write() as tx:
        for (stage, qid), at in stamps.items():
            tx.execute(
                "UPDATE survey_answers SET answered_at = ? WHERE participant_id = ? "
                "AND stage = ? AND question_id = ?",
                (at, who.id, stage, qid),
            )
        first = min(stamps.values())
        tx.execute(
            "UPDATE participants SET created_at = ?, updated_at = ? WHERE id = ?",
            (first, first, who.id),
        )
        tx.execute(
            "UPDATE saved_attempts SET saved_at = ? WHERE participant_id = ?",
            (_stamp(clock.now), who.id),
        )
        tx.execute(
            "UPDATE records SET stored_at = completed_at WHERE participant_id = ?", (who.id,)
        )
    return who.id


# --- cloning them -------------------------------------------------------------------------


class Template(NamedTuple):
    """A played participant's rows, and how to make a clone of them."""

    participant: tuple[Any, ...]
    answers: list[tuple[Any, ...]]
    attempts: list[tuple[Any, ...]]
    saved: list[tuple[Any, ...]]
    record: tuple[Any, ...] | None
    canonical: str  # the record's signed content, RFC 8785 (empty without a record)
    fingerprint: list[str]  # what its record id is derived from, templates' ids in it
    tokens: re.Pattern[str]  # the template's ids, names and times, wherever they appear
    stamps: list[str]  # every time it holds


def read_template(conn: sqlite3.Connection, pid: str) -> Template:
    from mentorquest.engine.record import CompletionRecord
    from mentorquest.records.signing import canonical

    def rows(sql: str) -> list[tuple[Any, ...]]:
        return list(conn.execute(sql, (pid,)))

    participant = rows("SELECT * FROM participants WHERE id = ?")[0]
    answers = rows("SELECT * FROM survey_answers WHERE participant_id = ?")
    attempts = rows("SELECT * FROM attempts WHERE participant_id = ? ORDER BY started_at")
    saved = rows("SELECT * FROM saved_attempts WHERE participant_id = ?")
    found = rows("SELECT * FROM records WHERE participant_id = ?")
    record = found[0] if found else None
    literal = [pid, participant[1], *(a[0] for a in attempts), *(s[3] for s in saved)]
    if participant[2]:
        literal.append(participant[2])
    canon = ""
    fingerprint: list[str] = []
    texts = [a[14] or "" for a in attempts] + [s[4] for s in saved] + [str(a) for a in answers]
    if record is not None:
        parsed = CompletionRecord.from_json(record[5])
        assert parsed.signature is not None
        canon = canonical(parsed.unsigned()).decode("utf-8")
        literal += [record[0], parsed.signature.value]
        p = parsed.participant
        # As records.build derives a record's id: what the record is about.
        fingerprint = (
            [parsed.programme.id, p.id, p.role]
            + [s.attempt_id for s in parsed.scenarios]
            + [f"{a.question_id}={a.answer}" for a in parsed.survey]
        )
        texts.append(record[5])
    stamps = sorted({m.group() for text in texts for m in STAMP.finditer(text)})
    pattern = re.compile("|".join(re.escape(t) for t in literal) + "|" + STAMP.pattern)
    return Template(
        participant, answers, attempts, saved, record, canon, fingerprint, pattern, stamps
    )


class Cloner:
    """Writes clones of the templates into a store's tables, each signed as its own."""

    def __init__(self, templates: list[Template], key: Any, seed: int) -> None:
        from mentorquest.records.build import RECORD_NAMESPACE

        self.templates = templates
        self.key = key
        self.rng = random.Random(seed)
        self.namespace = RECORD_NAMESPACE
        self.shifted: dict[tuple[int, int], dict[str, str]] = {}

    def times(self, which: int, offset: int) -> dict[str, str]:
        """The template's times moved by `offset` seconds (kept: offsets repeat)."""
        key = (which, offset)
        if key not in self.shifted:
            delta = timedelta(seconds=offset)
            moved = {}
            for stamp in self.templates[which].stamps:
                when = datetime.fromisoformat(stamp.replace("Z", "+00:00")) + delta
                text = when.isoformat().replace("+00:00", "Z")
                if "." in stamp:  # the store's own stamps keep their milliseconds
                    text = when.isoformat(timespec="milliseconds").replace("+00:00", "Z")
                moved[stamp] = text
            self.shifted[key] = moved
        return self.shifted[key]

    def rows(self, number: int) -> dict[str, list[tuple[Any, ...]]]:
        """Participant `number`'s rows, table by table."""
        from mentorquest.records.signing import b64

        which = number % len(self.templates)
        t = self.templates[which]
        rng = self.rng
        first, last = rng.choice(FIRST), rng.choice(LAST)
        pid = f"mq-{number:06d}"
        name = f"{first} {last}"
        email = None
        if t.participant[2]:
            plain = f"{first}.{last}".encode("ascii", "ignore").decode().replace(" ", "")
            email = f"{plain.lower().replace(chr(39), '')}{number}@example.org"
        offset = rng.randrange(90) * 86400 + rng.randrange(48) * 1800
        table = {
            t.participant[0]: pid,
            t.participant[1]: name,
            **self.times(which, offset),
        }
        if email is not None:
            table[t.participant[2]] = email
        for a in t.attempts:
            table[a[0]] = str(uuid.UUID(int=rng.getrandbits(128), version=4))
        for s in t.saved:
            table.setdefault(s[3], str(uuid.UUID(int=rng.getrandbits(128), version=4)))
        in_json = {k: _words(v) for k, v in table.items()}

        def sub(text: str) -> str:
            return t.tokens.sub(lambda m: in_json[m.group()], text)

        def raw(value: Any) -> Any:
            return table.get(value, value) if isinstance(value, str) else value

        out: dict[str, list[tuple[Any, ...]]] = {
            "participants": [(pid, name, email, *(raw(v) for v in t.participant[3:]))],
            "survey_answers": [(pid, *(raw(v) for v in row[1:])) for row in t.answers],
            "attempts": [
                (*(raw(v) for v in row[:12]), row[12], row[13], sub(row[14]) if row[14] else None)
                for row in t.attempts
            ],
            "saved_attempts": [
                (pid, *(raw(v) for v in row[1:4]), sub(row[4]), raw(row[5])) for row in t.saved
            ],
            "records": [],
        }
        out["attempts"] = [(r[0], pid, *r[2:]) for r in out["attempts"]]
        if t.record is not None:
            parts = [table.get(v, v) for v in t.fingerprint]
            record_id = str(uuid.uuid5(self.namespace, "|".join(parts)))
            table[t.record[0]] = record_id
            in_json[t.record[0]] = record_id
            content = sub(t.canonical).encode("utf-8")
            in_json[json.loads(t.record[5])["signature"]["value"]] = b64(self.key.sign(content))
            rec = t.record
            out["records"] = [
                (record_id, pid, rec[2], raw(rec[3]), rec[4], sub(rec[5]), raw(rec[6]), rec[7])
            ]
        return out


TABLE_COLUMNS = {
    "participants": 6,
    "survey_answers": 7,
    "attempts": 15,
    "saved_attempts": 6,
    "records": 8,
}


def build(root: Path, n: int, seed: int = 7) -> tuple[str, dict[str, float]]:
    """A store of `n` participants in `root`; its URL and how long each part took."""
    from mentorquest.bundled import library_path
    from mentorquest.engine import Engine
    from mentorquest.language.compiled import open_library
    from mentorquest.records.signing import load_or_create_key
    from mentorquest.store import open_store

    timings: dict[str, float] = {}
    started = time.perf_counter()
    library = open_library(library_path())
    engine = Engine(library)
    rng = random.Random(seed)
    template_db = root / "templates.db"
    if not template_db.exists():
        with open_store(f"sqlite:///{template_db}") as store:
            ids = [play_template(store, library, engine, i, rng) for i in range(TEMPLATES)]
    else:
        ids = [f"zztplid{i:02d}" for i in range(TEMPLATES)]
    conn = sqlite3.connect(template_db)
    templates = [read_template(conn, pid) for pid in ids]
    conn.close()
    timings["templates played"] = time.perf_counter() - started

    started = time.perf_counter()
    path = root / f"cohort-{n}.db"
    url = f"sqlite:///{path}"
    open_store(url).close()  # the store's own tables, at the current schema
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("PRAGMA synchronous = OFF")  # building only: the measures read it as it is
    cloner = Cloner(templates, load_or_create_key(), seed)
    batch: dict[str, list[tuple[Any, ...]]] = {name: [] for name in TABLE_COLUMNS}

    def flush() -> None:
        conn.execute("BEGIN")
        for name, rows in batch.items():
            marks = ", ".join("?" * TABLE_COLUMNS[name])
            conn.executemany(f"INSERT INTO {name} VALUES ({marks})", rows)
            rows.clear()
        conn.execute("COMMIT")

    for number in range(n):
        for name, rows in cloner.rows(number).items():
            batch[name].extend(rows)
        if number % 2000 == 1999:
            flush()
    flush()
    conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    conn.execute("ANALYZE")
    conn.close()
    timings["clones written"] = time.perf_counter() - started
    return url, timings


def check_clones(url: str, sample: int = 12) -> int:
    """Rebuild some clones' records with the real code, from their replayed attempts and
    their answers, and verify their signatures: a clone is what a real participant is."""
    from mentorquest.bundled import library_path
    from mentorquest.engine.record import RecordParticipant
    from mentorquest.language.compiled import open_library
    from mentorquest.players.progress import Participant
    from mentorquest.players.stored import StoreProvider
    from mentorquest.records.build import build_record
    from mentorquest.records.signing import verify_json
    from mentorquest.store import open_store

    library = open_library(library_path())
    checked = 0
    with open_store(url) as store:
        with store.database.read() as tx:
            rows = tx.execute(
                "SELECT record_json FROM records ORDER BY record_id LIMIT ?", (sample,)
            )
        provider = StoreProvider(store, library)
        for (text,) in rows:
            verdict, record = verify_json(text)
            assert verdict.ok and record is not None, verdict.reason
            p = record.participant
            progress = provider.open(Participant(p.id, p.name, p.role, p.email))
            try:
                rebuilt = build_record(
                    library,
                    RecordParticipant(id=p.id, name=p.name, email=p.email, role=p.role),
                    progress.counted_attempts(),
                    store.survey_answers(p.id, library.programme.id),
                )
            finally:
                progress.close()
            assert rebuilt.unsigned() == record.unsigned(), f"clone {p.id} differs"
            checked += 1
    return checked


# --- the measures -------------------------------------------------------------------------


def baseline(db: Path, out: Path, rules: list[str]) -> None:
    """What anyone would write by hand: sqlite3, json and csv, the same columns."""
    conn = sqlite3.connect(db)
    with out.open("w", newline="", encoding="utf-8") as handle:
        handle.write("\ufeff")
        writer = csv.writer(handle)
        writer.writerow(
            [
                "participant_id",
                "name",
                "email",
                "role",
                "programme_id",
                "scenario_id",
                "scenario_title",
                "attempts",
                "started_at",
                "completed_at",
                "duration_s",
                "percent",
                "passed",
                "stars",
                "critical",
                *rules,
                "record_id",
                "onboarding",
                "status",
                "missing",
            ]  # fmt: skip
        )
        for (text,) in conn.execute(
            "SELECT record_json FROM records ORDER BY completed_at, record_id"
        ):
            r = json.loads(text)
            p = r["participant"]
            for s in r["scenarios"]:
                scores = {x["rule"]: x for x in s["rules"]}
                writer.writerow(
                    [
                        p["id"],
                        p["name"],
                        p["email"] or "",
                        p["role"],
                        r["programme"]["id"],
                        s["scenario_id"],
                        s["title"],
                        s["attempts"],
                        s["started_at"],
                        s["finished_at"],
                        s["duration_s"],
                        s["percent"],
                        "true" if s["passed"] else "false",
                        s["stars"],
                        ";".join(s["critical"]),
                        *[
                            round(100 * scores[x]["earned"] / scores[x]["best"])
                            if x in scores and scores[x]["best"]
                            else ""
                            for x in rules
                        ],
                        r["record_id"],
                        "completed",
                        "passed" if s["passed"] else "not passed",
                        "",
                    ]  # fmt: skip
                )
    conn.close()


def ours(url: str, out: Path, fmt: str) -> int:
    """`records export --format FMT --out OUT --base-url ...`, as the command calls it."""
    from mentorquest.bundled import library_path
    from mentorquest.language.compiled import open_library
    from mentorquest.records.exports import FORMATS, export
    from mentorquest.records.standing import Programmes
    from mentorquest.records.xapi import programme_iri
    from mentorquest.store import open_store

    chosen = FORMATS[fmt]
    library = open_library(library_path())
    programmes = Programmes([library])
    with open_store(url) as store:
        iris = {}
        if chosen.needs_iri:
            with store.reading() as reader:
                iris = {
                    pid: programme_iri(pid, library, base_url=BASE_URL)
                    for pid in reader.programme_ids()
                }
        with out.open("w", encoding="utf-8", newline=chosen.newline) as handle:
            return export(store, fmt, handle, programmes=programmes, iris=iris, to_file=True)


def rule_ids() -> list[str]:
    from mentorquest.bundled import library_path
    from mentorquest.language.compiled import open_library

    return [r.id for r in open_library(library_path()).programme.ground_rules]


def timed(function: Callable[..., Any], *args: Any) -> tuple[float, Any]:
    start = time.perf_counter()
    value = function(*args)
    return time.perf_counter() - start, value


def memory(url: str, db: Path, out: Path, fmt: str) -> tuple[float, float]:
    """(peak RSS MiB, tracemalloc peak MiB) of one export in a fresh process."""
    found = subprocess.run(
        [sys.executable, __file__, "--child", fmt, url, str(db), str(out)],
        capture_output=True,
        text=True,
        check=True,
    )
    out.unlink(missing_ok=True)
    rss, traced = found.stdout.split()
    return float(rss), float(traced)


def _peak_rss() -> float:
    """The process's peak resident set in MiB (VmHWM, which `_reset_peak_rss` restarts)."""
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _reset_peak_rss() -> None:
    """Restart the peak at the current resident set (Linux), so that what loading the
    library and the imports took does not hide what the export itself takes."""
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        pass  # elsewhere the peak includes the start-up


def child(fmt: str, url: str, db: str, out: str) -> None:
    import gc
    import tracemalloc

    rules = rule_ids()  # imports and the library, before the measure starts
    gc.collect()
    _reset_peak_rss()
    tracemalloc.start()
    if fmt == "baseline":
        baseline(Path(db), Path(out), rules)
    else:
        ours(url, Path(out), fmt)
    _current, peak = tracemalloc.get_traced_memory()
    print(f"{_peak_rss():.1f} {peak / 2**20:.1f}")


def main() -> None:
    if len(sys.argv) == 6 and sys.argv[1] == "--child":
        child(*sys.argv[2:])
        return
    parser = argparse.ArgumentParser(
        description=__doc__.split("\n\n")[0], epilog="See the top of this file for details."
    )
    parser.add_argument(
        "n", nargs="?", type=int, default=2_000, help="participants (default 2,000)"
    )
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds of the measures (default 3; medians)"
    )
    parser.add_argument("--jsonl", action="store_true", help="also time --format jsonl")
    parser.add_argument("--no-memory", action="store_true", help="skip the peak-memory measures")
    parser.add_argument(
        "--workdir",
        metavar="DIR",
        help="build the stores in DIR and keep them, reusing one already built there "
        "(default: a temporary folder, removed at the end)",
    )
    args = parser.parse_args()
    if args.n < 20 or args.rounds < 1:
        parser.error("N must be at least 20 and --rounds at least 1")
    if args.workdir:
        Path(args.workdir).mkdir(parents=True, exist_ok=True)
        run(Path(args.workdir).resolve(), args)
    else:
        with tempfile.TemporaryDirectory(prefix="export-bench-") as folder:
            run(Path(folder), args)


def ensure_store(root: Path, n: int) -> tuple[str, Path, dict[str, float]]:
    db = root / f"cohort-{n}.db"
    if db.exists():
        return f"sqlite:///{db}", db, {}
    url, timings = build(root, n)
    return url, db, timings


def run(root: Path, args: argparse.Namespace) -> None:
    os.environ["MENTORQUEST_HOME"] = str(root / "home")
    n = args.n
    url, db, timings = ensure_store(root, n)
    for what, seconds in timings.items():
        print(f"build: {what} in {seconds:.1f} s")
    print(f"build: {check_clones(url)} clones rebuilt by the real code and verified: identical")
    with sqlite3.connect(db) as conn:
        counts = {
            name: conn.execute(f"SELECT COUNT(*) FROM {name}").fetchone()[0]
            for name in ("participants", "attempts", "saved_attempts", "survey_answers", "records")
        }
    size = db.stat().st_size / 2**20
    print(
        "store: "
        + ", ".join(f"{count:,} {name}" for name, count in counts.items())
        + f"; {size:,.0f} MiB"
    )
    rules = rule_ids()
    names = ["baseline", "csv", "xapi"] + (["jsonl"] if args.jsonl else [])
    suffix = {"baseline": "csv", "csv": "csv", "xapi": "json", "jsonl": "jsonl"}
    times: dict[str, list[float]] = {name: [] for name in names}
    written: dict[str, tuple[int, int]] = {}
    for round_ in range(args.rounds):
        order = names[round_ % len(names) :] + names[: round_ % len(names)]
        for name in order:
            out = root / f"out-{name}.{suffix[name]}"
            if name == "baseline":
                seconds, count = timed(baseline, db, out, rules)
            else:
                seconds, count = timed(ours, url, out, name)
            times[name].append(seconds)
            written[name] = (count or 0, out.stat().st_size)
            out.unlink()
            print(f"round {round_ + 1}: {name} {seconds:.2f} s", flush=True)
    report(n, args.rounds, counts, times, written)
    if not args.no_memory:
        measure_memory(root, n, url, db, names)


def report(
    n: int,
    rounds: int,
    counts: dict[str, int],
    times: dict[str, list[float]],
    written: dict[str, tuple[int, int]],
) -> None:
    medians = {name: statistics.median(values) for name, values in times.items()}
    base = medians["baseline"]
    targets = {"csv": 2.0, "xapi": 4.0}
    records = counts["records"]
    print(f"\nparticipants: {n:,} ({records:,} with a record); medians of {rounds} round(s)")
    for name, seconds in medians.items():
        runs = ", ".join(f"{t:.2f}" for t in times[name])
        label = "baseline sqlite3+json+csv" if name == "baseline" else f"mentorquest {name}"
        line = f"{label:27} {seconds:7.2f} s"
        if name != "baseline":
            ratio = seconds / base
            target = targets.get(name)
            line += f"  ratio {ratio:.2f}x"
            if target is not None:
                line += f" (target <= {target:g}x: {'met' if ratio <= target else 'MISSED'})"
        line += f"  ({runs})"
        if name != "baseline":
            # Each round's own ratio: the measures of a round run back to back, so a machine
            # that slows down for a while weighs on both sides of it alike.
            each = [t / t0 for t, t0 in zip(times[name], times["baseline"], strict=True)]
            line += f"; per round {statistics.median(each):.2f}x (median)"
        print(line)
    if "xapi" in written:
        statements, size = written["xapi"]
        print(
            f"xapi: {statements:,} statements, {statements / records:.1f} per record "
            f"({statements / n:.1f} per participant), {size / 2**30:.2f} GiB"
        )
    if "csv" in written:
        print(f"csv: {written['csv'][1] / 2**20:.0f} MiB")


def measure_memory(root: Path, n: int, url: str, db: Path, names: list[str]) -> None:
    small_n = max(20, n // 20)
    small_url, small_db, _ = ensure_store(root, small_n)
    print(f"\npeak memory of one export in a fresh process (N={small_n:,} -> N={n:,}):")
    for name in names:
        out = root / f"mem-{name}.out"
        rss_small, traced_small = memory(small_url, small_db, out, name)
        rss, traced = memory(url, db, out, name)
        print(
            f"{name:9} RSS {rss_small:6.1f} -> {rss:6.1f} MiB;"
            f" Python allocations (tracemalloc peak) {traced_small:6.1f} -> {traced:6.1f} MiB"
        )


if __name__ == "__main__":
    main()
