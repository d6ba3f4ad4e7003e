"""Benchmark: `mentorquest validate` on a 2,000-scene scenario vs a bare libyaml load.

Generates a library whose one scenario has 2,000 scenes without loops (three choices each,
scores, a meter, and conditions reading a variable), then times, in the same run and
alternating to share the machine's noise:
  baseline  yaml.load(text, Loader=yaml.CSafeLoader) of the same file
  validate  the whole validation (read, check every field and reference, explore the
            state space, score the best path), as `mentorquest validate` runs it in-process
  command   `mentorquest validate` as a subprocess, against `python -c "import yaml; yaml.load(...)"`
Prints medians and ratios. Target: validate <= 1.5x baseline.

    python bench/validate_bench.py [--scenes 2000] [--repeat 15]
"""

from __future__ import annotations

import argparse
import gc
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import yaml

RULES = ["confidentiality", "no-fault", "listening", "boundaries", "signposting"]


def generate(scenes: int, seed: int = 7) -> str:
    rng = random.Random(seed)
    lines = [
        "format: 1",
        "id: big",
        "title: A very long scenario",
        "summary: Generated for the benchmark.",
        "roles: [mentor]",
        "minutes: 300",
        "variables:",
        "  trust: 50",
        "  gate: {start: 0, min: 0, max: 3}",
        "meter: trust",
        "start: s0",
        "scenes:",
    ]
    for i in range(scenes):
        lines.append(f"  s{i}:")
        lines.append("    speaker: Narrator")
        lines.append("    text: |")
        lines.append(f"      Scene {i}. Your mentee tells you about a week that went badly, and")
        lines.append("      you have to decide how to respond without judging or rushing to fix.")
        if i >= scenes - 3:
            lines.append(f"    ending: {['strong', 'mixed', 'poor'][scenes - 1 - i]}")
            continue
        lines.append("    choices:")
        remaining = scenes - 3 - (i + 1)
        for c in range(3):
            if remaining <= 0:
                target = scenes - 1 - c
            elif c == 0:
                target = i + 1  # every scene stays reachable, as in a real scenario
            else:
                target = i + 1 + rng.randint(0, min(4, remaining))
            lines.append(f"      - id: c{c}")
            lines.append(
                f"        text: Option {c} at scene {i}, worded as a real choice would be."
            )
            lines.append(f"        goto: s{target}")
            if c == 2:
                lines.append("        if: gate < 3")
            lines.append(
                f"        add: {{trust: {rng.randint(-10, 10)}, gate: {rng.randint(0, 1)}}}"
            )
            rules = rng.sample(RULES, 2)
            lines.append(
                f"        scores: {{{rules[0]}: {rng.randint(-3, 3)}, {rules[1]}: {rng.randint(0, 3)}}}"
            )
            lines.append(
                f"        feedback: Feedback for option {c}, explaining which ground rule applies."
            )
    return "\n".join(lines) + "\n"


PROGRAMME = (
    """format: 1
id: bench
title: Benchmark programme
roles: [mentor]
ground_rules:
"""
    + "".join(f"  - {{id: {r}, name: {r.title()}, summary: A rule.}}\n" for r in RULES)
    + """required:
  mentor: [big]
"""
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--scenes", type=int, default=2000)
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()

    from mentorquest.engine.validation import validate_library

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        (root / "programme.yaml").write_text(PROGRAMME)
        text = generate(args.scenes)
        scenario_file = root / "big.yaml"
        scenario_file.write_text(text)
        report = validate_library(root)
        errors, warnings = report.counts()
        print(
            f"file: {args.scenes} scenes, {len(text.encode()) / 1e6:.2f} MB; "
            f"validation: {errors} error(s), {warnings} warning(s)"
        )
        if errors:
            for d in report.diagnostics[:5]:
                print(" ", d)
            sys.exit(1)

        baseline, baseline_nogc, validate = [], [], []
        for _ in range(args.repeat):
            t = time.perf_counter()
            yaml.load(scenario_file.read_text(), Loader=yaml.CSafeLoader)
            baseline.append(time.perf_counter() - t)
            gc.disable()
            t = time.perf_counter()
            yaml.load(scenario_file.read_text(), Loader=yaml.CSafeLoader)
            baseline_nogc.append(time.perf_counter() - t)
            gc.enable()
            t = time.perf_counter()
            validate_library(root)
            validate.append(time.perf_counter() - t)
        b, v = statistics.median(baseline), statistics.median(validate)
        bn = statistics.median(baseline_nogc)
        print(f"in-process  yaml.load(CSafeLoader) median {b * 1000:7.1f} ms")
        print(
            f"in-process  same, GC paused        median {bn * 1000:7.1f} ms   "
            f"(validate pauses the GC too: ratio against this {v / bn:.2f}x)"
        )
        print(
            f"in-process  validate               median {v * 1000:7.1f} ms   ratio {v / b:.2f}x (target <= 1.5x)"
        )

        exe = [sys.executable, "-m", "mentorquest", "validate", str(root)]
        bare = [
            sys.executable,
            "-c",
            f"import yaml; yaml.load(open({str(scenario_file)!r}).read(), Loader=yaml.CSafeLoader)",
        ]
        cmd_base, cmd_val = [], []
        for _ in range(max(5, args.repeat // 2)):
            t = time.perf_counter()
            subprocess.run(bare, check=True, capture_output=True)
            cmd_base.append(time.perf_counter() - t)
            t = time.perf_counter()
            subprocess.run(exe, check=True, capture_output=True)
            cmd_val.append(time.perf_counter() - t)
        cb, cv = statistics.median(cmd_base), statistics.median(cmd_val)
        print(f"command     python -c yaml.load    median {cb * 1000:7.1f} ms")
        print(
            f"command     mentorquest validate   median {cv * 1000:7.1f} ms   ratio {cv / cb:.2f}x"
        )


if __name__ == "__main__":
    main()
