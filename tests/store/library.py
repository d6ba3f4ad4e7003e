"""A small scenario library for store and record tests, written into a temporary folder.

Two roles; mentors need 'one' and 'two', mentees need 'one'. Scenario 'one' has two
decisions ('good' is best each time; 'bad' is a critical breach of confidentiality),
'two' has one decision. The survey has a required scale question before, an optional
free-text question before, and a required free-text question after; the midpoint and
close-out check-ins ask the scale question again, with free text of their own.
"""

from __future__ import annotations

from pathlib import Path

PROGRAMME = """\
format: 1
id: pilot
title: Pilot programme
roles: [mentor, mentee]
pass_mark: 70
iri: https://mentoring.example.org/programmes/pilot
ground_rules:
  - id: confidentiality
    name: Confidentiality
    summary: What is shared stays between you.
  - id: listening
    name: Listening
    summary: Listen to understand.
required:
  mentor: [one, two]
  mentee: [one]
survey:
  before:
    - id: confidence
      prompt: How confident are you? (1-5)
      kind: scale
    - id: experience
      prompt: Any experience?
      kind: text
      optional: true
  after:
    - id: most-useful
      prompt: What was most useful?
      kind: text
  midpoint:
    - id: confidence
      prompt: How confident are you now? (1-5)
      kind: scale
    - id: going-well
      prompt: What is going well?
      kind: text
      optional: true
  closeout:
    - id: confidence
      prompt: How confident are you at the end? (1-5)
      kind: scale
    - id: learnt
      prompt: What did you learn from your partner?
      kind: text
"""

ONE = """\
format: 1
id: one
title: Scenario one
roles: [mentor, mentee]
start: a
scenes:
  a:
    text: First decision.
    choices:
      - id: good
        text: Listen.
        goto: b
        scores: {listening: 2}
      - id: okay
        text: Half listen.
        goto: b
        scores: {listening: 1}
      - id: bad
        text: Tell everyone.
        goto: b
        scores: {confidentiality: -2}
        critical: confidentiality
  b:
    text: Second decision.
    choices:
      - id: keep
        text: Keep it private.
        goto: end-good
        scores: {confidentiality: 2}
      - id: share
        text: Share it.
        goto: end-bad
        scores: {confidentiality: -1}
  end-good:
    text: It went well.
    ending: strong
  end-bad:
    text: It went badly.
    ending: poor
"""

TWO = """\
format: 1
id: two
title: Scenario two
roles: [mentor]
start: a
scenes:
  a:
    text: Only decision.
    choices:
      - id: listen
        text: Listen.
        goto: end
        scores: {listening: 2}
      - id: talk
        text: Talk.
        goto: end
        scores: {listening: -1}
  end:
    text: Done.
    ending: mixed
"""


def write_library(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "programme.yaml").write_text(PROGRAMME, encoding="utf-8")
    (root / "one.yaml").write_text(ONE, encoding="utf-8")
    (root / "two.yaml").write_text(TWO, encoding="utf-8")
    return root


# Input for a mentor who completes everything in one go with full marks:
# participant id, name, email, role, survey before (confidence, experience), scenario one
# (2 choices, by id), scenario two (1 choice), survey after.
MENTOR_FULL_RUN = [
    "p-1",
    "Ada Lovelace",
    "ada@example.org",
    "1",
    "4",
    "",
    "good",
    "keep",
    "listen",
    "Listening =first",
]
