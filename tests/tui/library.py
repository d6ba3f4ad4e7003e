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


# A scene longer than a 60x20 or an 80x24 terminal shows at once, with Markdown in its
# choices and feedback, a rule only the branch not taken scores, and a penalty-only rule.
LONG_TALK = """\
format: 1
id: long-talk
title: A long talk
summary: Ewa has a lot to tell you.
roles: [mentor]
minutes: 6
variables:
  trust: 50
meter: trust
start: opening
scenes:
  opening:
    speaker: Ewa
    text: |
      Ewa has booked the small room by the library for an hour, and she is
      already there when you arrive, with two coffees and a notebook she has
      clearly been writing in on the bus.

      She tells you about the placement first: the team is friendly, but nobody
      has given her a real piece of work in three weeks, and she spends most
      afternoons reading documentation that was out of date before she started.
      Her manager is kind and always busy, and she does not want to look
      ungrateful by asking for more.

      Then, more quietly, she tells you about home. Her mother has been unwell
      since the spring, and Ewa has been going back every weekend to help, which
      means the coursework she meant to do on Saturdays is sliding. She has not
      told her tutor, because she is worried it will sound like an excuse.

      She turns the cup round in her hands and looks at you.
      *The last sentence of the story is this one, and you should read it.*
    choices:
      - id: listen
        text: Ask her which of the two weighs on her most, and **listen** to the whole answer before you say anything.
        goto: middle
        add: {trust: 10}
        scores: {listening: 2}
        feedback: |
          Asking her to choose where to start gives her the lead, and listening to
          the whole answer before you speak is what **active listening** means:
          she learns that this hour is hers, and you learn which worry matters
          most to her rather than to you. Much of mentoring is exactly this: a
          question, then patience.
      - id: advise
        text: Tell her what you would do in her place, in *three* clear steps.
        goto: advice
        add: {trust: -10}
        scores: {listening: -1}
        feedback: Your steps may be good ones, but she has not finished telling you what is wrong.
      - id: helpline
        text: Suggest she talks to student support, and save their number, **0800 123 456**, together.
        goto: middle
        feedback: Signposting has its place, but she has not asked for it yet.
  middle:
    speaker: Ewa
    text: It is my mother, mostly. I cannot stop thinking about it.
    choices:
      - id: stay
        text: Stay with it, and ask how she is managing.
        goto: good
        scores: {listening: 1}
        feedback: Staying with what she said keeps the hour hers.
      - id: rush
        text: Move on to the placement; that is what the programme is for.
        goto: good
        scores: {listening: -2, confidentiality: -1}
        feedback: Moving on so fast tells her the worry did not belong here.
  advice:
    text: Ewa writes your three steps down politely.
    choices:
      - id: recover
        text: Stop, apologise, and ask what she would like from the hour.
        goto: good
        scores: {confidentiality: 2}
        feedback: Recovering well is a skill of its own.
  good:
    text: Ewa leaves with a plan she made herself.
    ending: strong
"""


def build_library(root: Path, feedback: str = "immediate", *, long_talk: bool = False) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "programme.yaml").write_text(PROGRAMME.format(feedback=feedback), encoding="utf-8")
    (root / "listen-first.yaml").write_text(LISTEN_FIRST.format(), encoding="utf-8")
    (root / "keep-it-safe.yaml").write_text(KEEP_IT_SAFE.format(), encoding="utf-8")
    if long_talk:
        (root / "long-talk.yaml").write_text(LONG_TALK, encoding="utf-8")
    return root
