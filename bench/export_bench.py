"""Export 100,000 completion records to CSV and xAPI against a plain sqlite3 + csv baseline.

Run: .venv/bin/python bench/export_bench.py [N] [--rounds R]. Builds a temporary store of N
records (default 100,000, six scenarios each), times a baseline that reads the same rows
with sqlite3 and writes the same CSV columns with csv, then mentorquest's CSV and xAPI
exports over the same data, and prints the medians and their ratios (targets: CSV <= 2x,
xAPI <= 4x). Each round runs all three in turn, so that whatever else the machine is
doing weighs on each alike; each output file is deleted once timed, so that no run pays
for writing back (or for the disk space of) an earlier one.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sqlite3
import statistics
import tempfile
import time
import uuid
from pathlib import Path


def template() -> dict:
    rules = [
        "confidentiality",
        "no-fault",
        "listening",
        "boundaries",
        "signposting",
        "checking-assumptions",
    ]
    scenarios = []
    for i in range(6):
        scenarios.append(
            {
                "scenario_id": f"scenario-{i}",
                "title": f"Scenario {i}",
                "content_hash": "sha256:" + "0" * 64,
                "attempt_id": "",
                "attempts": 1 + i % 2,
                "started_at": "2026-01-01T10:00:00Z",
                "finished_at": "2026-01-01T10:08:00Z",
                "duration_s": 480.0,
                "percent": 80 + i,
                "pass_mark": 70,
                "passed": True,
                "stars": 1,
                "ending": "end",
                "ending_kind": "strong",
                "critical": [],
                "rules": [
                    {"rule": r, "name": r.title(), "earned": 3, "best": 4}
                    for r in rules[i % 3 : i % 3 + 3]
                ],
                "decisions": [
                    {"scene": f"s{j}", "choice": f"c{j}", "best": j % 2 == 0, "critical": None}
                    for j in range(4)
                ],
            }
        )
    return {
        "record_format": 1,
        "record_id": "",
        "participant": {"id": "", "name": "", "email": None, "role": "mentor"},
        "programme": {"id": "bench", "title": "Bench programme", "ground_rules": rules},
        "scenarios": scenarios,
        "rule_totals": [],
        "stars": 6,
        "stars_possible": 18,
        "badges": [],
        "survey": [
            {"part": "before", "question_id": "hopes", "kind": "text", "answer": "to learn"}
        ],
        "started_at": "2026-01-01T10:00:00Z",
        "completed_at": "2026-01-01T11:00:00Z",
        "mentorquest_version": "0.1.0",
        "redactions": [],
        "signature": None,
    }


def build(path: Path, n: int) -> str:
    from mentorquest.store import open_store

    url = f"sqlite:///{path}"
    open_store(url).close()
    base = template()
    rows = []
    for i in range(n):
        record = json.loads(json.dumps(base))
        record["record_id"] = str(uuid.UUID(int=i + 1))
        record["participant"].update(
            id=f"p-{i:06d}", name=f"Participant {i}", email=f"p{i}@example.org"
        )
        for s in record["scenarios"]:
            s["attempt_id"] = str(uuid.UUID(int=(i + 1) * 10 + int(s["scenario_id"][-1])))
        rows.append(
            (
                record["record_id"],
                record["participant"]["id"],
                "bench",
                record["completed_at"],
                "",
                json.dumps(record),
                record["completed_at"],
                "local",
            )
        )
    with sqlite3.connect(path) as conn:
        conn.executemany("INSERT INTO records VALUES (?,?,?,?,?,?,?,?)", rows)
    return url


def baseline(path: Path, out: Path) -> None:
    """What anyone would write by hand: sqlite3, json and csv, the same columns."""
    conn = sqlite3.connect(path)
    rules = [
        "confidentiality",
        "no-fault",
        "listening",
        "boundaries",
        "signposting",
        "checking-assumptions",
    ]
    with out.open("w", newline="", encoding="utf-8") as handle:
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
            ]
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
                        s["passed"],
                        s["stars"],
                        ";".join(s["critical"]),
                        *[
                            (100 * scores[x]["earned"] // scores[x]["best"]) if x in scores else ""
                            for x in rules
                        ],
                        r["record_id"],
                    ]
                )
    conn.close()


def ours(url: str, out: Path, fmt: str) -> None:
    from mentorquest.records.exports import redact, write_csv, write_xapi
    from mentorquest.store import open_store

    with (
        open_store(url) as store,
        out.open("w", newline="" if fmt == "csv" else None, encoding="utf-8") as handle,
    ):
        source = (redact(r)[0] for r in store.record_json_dicts())
        if fmt == "csv":
            rules = list(store.latest_record("p-000000", "bench").programme.ground_rules)
            write_csv(source, handle, rules)
        else:
            write_xapi(source, handle, base="https://mentorquest.invalid")


def timed(function, *args) -> float:
    start = time.perf_counter()
    function(*args)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("n", nargs="?", type=int, default=100_000, help="records (default 100,000)")
    parser.add_argument(
        "--rounds", type=int, default=3, help="rounds of the three measures (default 3; medians)"
    )
    args = parser.parse_args()
    n = args.n
    times: dict[str, list[float]] = {"baseline": [], "csv": [], "xapi": []}
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        os.environ["MENTORQUEST_HOME"] = str(root / "home")
        url = build(root / "bench.db", n)
        for _ in range(args.rounds):
            for name, function, fargs, out in (
                ("baseline", baseline, (root / "bench.db",), root / "baseline.csv"),
                ("csv", ours, (url,), root / "ours.csv"),
                ("xapi", ours, (url,), root / "ours.json"),
            ):
                extra = () if name == "baseline" else (name,)
                times[name].append(timed(function, *fargs, out, *extra))
                out.unlink()
    base, csv_time, xapi_time = (statistics.median(times[k]) for k in ("baseline", "csv", "xapi"))

    def runs(key: str) -> str:
        return ", ".join(f"{t:.2f}" for t in times[key])

    print(f"records: {n:,}; medians of {args.rounds} round(s)")
    print(f"baseline sqlite3+csv: {base:.2f} s  ({runs('baseline')})")
    print(
        f"mentorquest csv:      {csv_time:.2f} s  ratio {csv_time / base:.2f}x (target <= 2x)  ({runs('csv')})"
    )
    print(
        f"mentorquest xapi:     {xapi_time:.2f} s  ratio {xapi_time / base:.2f}x (target <= 4x)  ({runs('xapi')})"
    )


if __name__ == "__main__":
    main()
