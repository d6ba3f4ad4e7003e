"""The exact analysis on a large state space: states per second and bytes per state.

Run: .venv/bin/python bench/analysis_bench.py [--range N] [--rounds R]. Builds a scenario
whose three variables (0..N-1 each, read by conditions) multiply its states
(with the ending reached from most of them, N=79 gives about 970,000: just under the limit of 1,000,000), then times, each in a fresh process:

- baseline: visiting every state once (the same successor function, a dictionary of the
  states seen, nothing else): what any exact analysis must at least do;
- mentorquest's analysis (`engine.analysis.analyse`): exploring, the graph, strongly
  connected components, the best value of every state and rule;
- the analysis written to the cache, and read back (a later start pays only this).

It prints medians, the ratio to the baseline, states per second and bytes per state (peak
resident memory above what the process held before analysing). Targets: a million
states within 10 s and 400 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

PROGRAMME = """\
format: 1
id: bench
title: Bench
roles: [mentor]
ground_rules:
  - {id: listening, name: Listening, summary: Listen.}
required: {mentor: [huge]}
"""


def scenario(n: int) -> str:
    top = n - 1
    return f"""\
format: 1
id: huge
title: Huge
roles: [mentor]
variables:
  a: {{start: 0, min: 0, max: {top}}}
  b: {{start: 0, min: 0, max: {top}}}
  c: {{start: 0, min: 0, max: {top}}}
start: hub
scenes:
  hub:
    text: Hub.
    choices:
      - {{id: a-up, text: A, goto: hub, add: {{a: 1}}, if: "a < {top}", feedback: f}}
      - {{id: b-up, text: B, goto: hub, add: {{b: 1}}, if: "b < {top}", feedback: f}}
      - {{id: c-up, text: C, goto: hub, add: {{c: 1}}, if: "c < {top}", feedback: f}}
      - {{id: done, text: Done, goto: end, if: "a + b + c >= {top}", scores: {{listening: 2}}, feedback: f}}
  end: {{text: End., ending: strong}}
"""


CHILD = r"""
import json, resource, sys, time
from mentorquest.language.loader import open_library
library = open_library(sys.argv[1])
mode = sys.argv[2]
library.conditions("huge")
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
start = time.perf_counter()
if mode == "baseline":
    from mentorquest.engine.analysis import Machine
    scenario = library.scenarios["huge"]
    machine = Machine(scenario, library.conditions("huge"))
    first = machine.key(scenario.start, {n: v.start for n, v in scenario.variables.items()}, [scenario.start], [], {})
    seen = {first: 0}
    queue = [first]
    i = 0
    while i < len(queue):
        for _, key, _, _ in machine.successors(queue[i]):
            if key not in seen:
                seen[key] = len(seen)
                queue.append(key)
        i += 1
    states = len(seen)
elif mode == "analysis":
    from mentorquest.engine.analysis import analyse
    analysis = analyse(library, "huge")
    assert not analysis.errors, analysis.errors
    states = analysis.state_count
else:
    from mentorquest.engine.cache import analysis_of
    analysis = analysis_of(library, "huge")
    assert not analysis.errors, analysis.errors
    states = analysis.state_count
seconds = time.perf_counter() - start
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"seconds": seconds, "states": states, "kib": peak - before}))
"""


def run(root: Path, mode: str, home: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, "-c", CHILD, str(root), mode],
        capture_output=True,
        text=True,
        env={**os.environ, "MENTORQUEST_HOME": str(home)},
    )
    if out.returncode != 0:
        raise SystemExit(f"the {mode} run failed:\n{out.stderr}")
    result: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--range", type=int, default=79, help="values per variable (default 79)")
    parser.add_argument("--rounds", type=int, default=3, help="rounds (default 3; medians)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "lib"
        root.mkdir()
        (root / "programme.yaml").write_text(PROGRAMME, encoding="utf-8")
        (root / "huge.yaml").write_text(scenario(args.range), encoding="utf-8")
        runs: dict[str, list[dict[str, float]]] = {"baseline": [], "analysis": [], "cached": []}
        for round_number in range(args.rounds):
            home = Path(folder) / f"home-{round_number}"
            runs["baseline"].append(run(root, "baseline", home))
            runs["analysis"].append(run(root, "analysis", home))
            run(root, "write", home)  # analyse and write the cache
            runs["cached"].append(run(root, "read", home))
    states = int(runs["analysis"][0]["states"])
    median = {k: statistics.median(r["seconds"] for r in v) for k, v in runs.items()}
    memory = {k: statistics.median(r["kib"] for r in v) for k, v in runs.items()}
    print(f"states: {states:,}; medians of {args.rounds} round(s), each a fresh process")
    print(
        f"baseline (visit every state once): {median['baseline']:.2f} s, {memory['baseline'] / 1024:.0f} MiB"
    )
    analysis = median["analysis"]
    print(
        f"mentorquest analysis: {analysis:.2f} s ({analysis / median['baseline']:.2f}x the baseline), "
        f"{states / analysis:,.0f} states/s, {memory['analysis'] / 1024:.0f} MiB "
        f"({memory['analysis'] * 1024 / states:.0f} bytes a state)"
    )
    print(f"read back from the cache: {median['cached']:.2f} s, {memory['cached'] / 1024:.0f} MiB")
    scale = 1_000_000 / states
    print(
        f"a million states: about {analysis * scale:.1f} s (target <= 10 s) and "
        f"{memory['analysis'] * scale / 1024:.0f} MiB (target <= 400 MB)"
    )


if __name__ == "__main__":
    main()
