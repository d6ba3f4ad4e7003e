"""A small library written into a temporary folder for the Textual player's tests."""

from __future__ import annotations

from pathlib import Path

PROGRAMME = """\
format: 1
id: test-programme
title: Test mentoring programme
roles: [mentor, mentee]
pass_mark: 70
feedback: {feedback}
introduction:
  summary: Reciprocal mentoring pairs two people who both learn.
  basics: Mentoring is a confidential, voluntary relationship.
  differences: Here learning runs both ways, on purpose.
ground_rules:
  - id: confidentiality
    name: Confidentiality
    summary: What is shared stays between you.
  - id: listening
    name: Active listening
    summary: Listen to understand, let your partner finish.
required:
  mentor: [listen-first]
  mentee: [keep-it-safe]
survey:
  before:
    - id: hopes
      prompt: What do you hope to gain?
      kind: text
    - id: confidence
      prompt: How confident do you feel about mentoring?
      kind: scale
  after:
    - id: useful
      prompt: How useful was this onboarding?
      kind: scale
    - id: comment
      prompt: Anything else?
      kind: text
      optional: true
"""

LISTEN_FIRST = """\
format: 1
id: listen-first
title: Listen first
summary: Your mentee arrives with a worry.
roles: [mentor, mentee]
minutes: 3
variables:
  trust: 50
meter: trust
start: opening
scenes:
  opening:
    speaker: Ewa
    text: |
      I am worried about my placement. [bold]Not markup[/bold]
    choices:
      - id: listen
        text: Ask her to tell you more.
        goto: middle
        add: {{trust: 10}}
        scores: {{listening: 2}}
        feedback: Asking first is active listening.
      - id: lecture
        text: Tell her about your own first placement.
        goto: middle
        add: {{trust: -10}}
        scores: {{listening: -1}}
        feedback: Your story can wait.
      - id: gossip
        text: Mention what her manager told you about her.
        goto: breach
        critical: confidentiality
        scores: {{confidentiality: -3}}
        feedback: That breaks a confidence.
  middle:
    speaker: Ewa
    text: It is the deadlines, mostly.
    choices:
      - id: ask
        text: Ask which deadline worries her most.
        goto: good
        scores: {{listening: 1, confidentiality: 1}}
        feedback: Good, specific question.
      - id: fix
        text: Give her a time-management tip.
        goto: mixed
        feedback: A quick fix skips the listening.
  good:
    text: Ewa leaves with a plan she made herself.
    ending: strong
  mixed:
    text: Ewa thanks you politely.
    ending: mixed
  breach:
    text: Ewa goes quiet and cancels the next meeting.
    ending: poor
"""

KEEP_IT_SAFE = """\
format: 1
id: keep-it-safe
title: Keep it safe
summary: Your mentor shares something personal.
roles: [mentee]
minutes: 2
start: opening
scenes:
  opening:
    speaker: Sam
    text: My team is being restructured; please keep that to yourself.
    choices:
      - id: keep
        text: Thank him and keep it to yourself.
        goto: kept
        scores: {{confidentiality: 2}}
        feedback: Confidentiality works both ways.
      - id: tell
        text: Tell a friend on his team.
        goto: told
        critical: confidentiality
        scores: {{confidentiality: -2}}
        feedback: That breaks his confidence.
  kept:
    text: Sam trusts you a little more.
    ending: strong
  told:
    text: Sam hears about it from his team.
    ending: poor
"""


def build_library(root: Path, feedback: str = "immediate") -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "programme.yaml").write_text(PROGRAMME.format(feedback=feedback), encoding="utf-8")
    (root / "listen-first.yaml").write_text(LISTEN_FIRST.format(), encoding="utf-8")
    (root / "keep-it-safe.yaml").write_text(KEEP_IT_SAFE.format(), encoding="utf-8")
    return root
