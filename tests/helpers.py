"""Small libraries built in a temporary folder, for tests that need their own scenarios."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

PROGRAMME = """\
format: 1
id: test-programme
title: Test programme
roles: [mentor, mentee]
pass_mark: 70
feedback: immediate
ground_rules:
  - {id: confidentiality, name: Confidentiality, summary: Keep it private.}
  - {id: no-fault, name: No-fault attitude, summary: No blame.}
  - {id: listening, name: Active listening, summary: Listen first.}
required:
  mentor: [missed-sessions]
  mentee: [speaking-up]
survey:
  before:
    - {id: hopes, prompt: What do you hope to gain?, kind: text}
    - {id: confidence, prompt: How confident are you?, kind: scale}
  after:
    - {id: useful, prompt: What was useful?, kind: text, optional: true}
"""

MISSED_SESSIONS = """\
format: 1
id: missed-sessions
title: The missed sessions
roles: [mentor]
minutes: 5
variables:
  trust: 50
meter: trust
start: opening
scenes:
  opening:
    speaker: Narrator
    text: Priya has missed two sessions.
    choices:
      - id: blame
        text: Tell her commitment matters.
        goto: cold
        add: {trust: -20}
        scores: {no-fault: -2}
        feedback: Blame puts her on the defensive.
      - id: ask
        text: Ask how she is.
        goto: warm
        add: {trust: 20}
        scores: {no-fault: 2, listening: 1}
        feedback: Curiosity first.
  cold:
    text: She replies curtly.
    choices:
      - id: tell-tutor
        text: Tell her tutor.
        goto: breach
        critical: confidentiality
        scores: {confidentiality: -3}
        feedback: That breaks confidentiality.
      - id: apologise
        text: Apologise and ask again.
        goto: warm
        add: {trust: 10}
        scores: {no-fault: 1}
        feedback: Repair is possible.
  warm:
    text: She explains she cares for her mother.
    choices:
      - id: plan
        if: trust >= 60
        text: Agree a plan that fits her week.
        goto: strong
        scores: {listening: 2}
        feedback: A plan that fits.
      - id: reassure
        text: Say it will be fine.
        goto: mixed
        scores: {listening: -1}
        feedback: Reassurance shuts her down.
  strong: {text: You agree a new rhythm., ending: strong}
  mixed: {text: Things drift., ending: mixed}
  breach: {text: She withdraws from the programme., ending: poor}
"""

SPEAKING_UP = """\
format: 1
id: speaking-up
title: Speaking up
roles: [mentee]
start: start
scenes:
  start:
    text: Your mentor keeps cutting you off.
    choices:
      - {id: say-it, text: Tell him with an example., goto: heard, scores: {listening: 2}, feedback: Clear and kind.}
      - {id: swallow, text: Say nothing., goto: silent, scores: {listening: -1}, feedback: He cannot change what he does not know.}
  heard: {text: He thanks you., ending: strong}
  silent: {text: Nothing changes., ending: poor}
"""


def write_library(
    root: Path, scenarios: dict[str, str] | None = None, programme: str = PROGRAMME
) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "programme.yaml").write_text(programme, encoding="utf-8")
    # The given scenarios are added to (or replace) the two the programme requires.
    scenarios = {
        "missed-sessions": MISSED_SESSIONS,
        "speaking-up": SPEAKING_UP,
        **(scenarios or {}),
    }
    for name, text in scenarios.items():
        (root / f"{name}.yaml").write_text(text, encoding="utf-8")
    return root


def run_cli(*args: str, stdin: str | None = None, cwd: Path | None = None, env: dict | None = None):
    """Run the real `mentorquest` command (as `python -m mentorquest`) and capture it."""
    environment = {**os.environ, "TERM": "dumb", "NO_COLOR": "1", **(env or {})}
    return subprocess.run(
        [sys.executable, "-m", "mentorquest", *args],
        input=stdin if stdin is not None else "",
        capture_output=True,
        text=True,
        cwd=cwd,
        env=environment,
        timeout=120,
    )
