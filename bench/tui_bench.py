"""Benchmark of the Textual player, on real libraries, against a hello-world Textual app.

    .venv/bin/python bench/tui_bench.py                  # both libraries, 11 runs
    .venv/bin/python bench/tui_bench.py --runs 5 --library generated
    .venv/bin/python bench/tui_bench.py --write-library DIR   # only write the 200 scenarios

Two libraries are measured in one run: the bundled one (`mentorquest.bundled.library_path()`,
copied into a temporary folder with its files' dates) and a generated library of 200 scenarios (`--scenarios N`), written into a temporary folder:
a programme with four roles, ten ground rules, a survey and a required list per role, and
scenario files of the bundled ones' size (11-15 scenes, 2-4 choices a scene, a meter and
another variable, conditions on some choices, scores on several ground rules, a few
sentences of feedback on every choice, endings of each kind), dated an hour back as a
library is by the time people play it. It is checked with `mentorquest validate` before
it is used, and must have no error.

Baseline: a hello-world Textual app (a Header, an OptionList and a Footer). Every start is
a fresh process (`python bench/tui_bench.py --child ...`), so imports count as they do for
a person typing `mentorquest`; starts of the hello-world app and of each library are
interleaved round by round (in a rotating order), so drift of a noisy machine hits them
alike. Every figure is a median over the runs; ratios are mentorquest's median over the
hello-world median of the same run. Start-up also shows the median of the ratios of
starts made in the same round, which drift of the machine between rounds does not move.
Each library has its own MENTORQUEST_HOME in a temporary folder; nothing is read from or
written to the user's own folders. mentorquest's modules are compiled to bytecode first, as
`pip install .` compiles them (and Textual's).

Per library, it prints:
- start-up to the first interactive screen, on a warm start (the compiled-library cache
  already written and a participant in the store, as on every start after the first):
  the welcome, as `mentorquest` with no arguments opens it, and the quest map, as
  `mentorquest --name NAME --role ROLE` opens it for a participant who has answered the
  survey and finished two scenarios. Target: at most 1.3x the hello-world app.
- the very first (cold) start, in a fresh MENTORQUEST_HOME: the library checked in full
  and compiled, the store created (`--cold-runs` of them), with its peak memory;
- peak memory (max RSS) during play: from the quest map, three scenarios played through
  (the first written choice each time, by id, every feedback dialog closed, back to the map from each debrief),
  each process on its own copy of the warm home, against the hello-world app moving its
  cursor 100 times; the highest of `--play-runs` plays. Target: at most 1.5x;
- choice key to the next scene rendered (headless, in a process of its own on a copy of
  the warm home): the time from the key to the app's first screen update, over at least
  100 choices (`--choices`) in the library's own scenarios, played in the participant's
  programme order. The feedback dialog, shown at once when the programme says so, is part
  of that update; closing it, back to the scene, is timed apart. Target: at most 30 ms.

A start counts as warm only if it read the compiled cache: a child reports whether it had
to load the library from its files (`mentorquest.language.loader`). A warm start that did
(say, because src/ was edited during the run, which changes the cache's key) is reported
and left out; so is a play that started cold.
"""

from __future__ import annotations

import contextlib
import os
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve()
RUNS = 11
COLD_RUNS = 3
PLAY_RUNS = 3
CHOICES = 100
SCENARIOS = 200
PLAYED = 3  # scenarios played through by each peak-memory child
START_TARGET = 1.3
RSS_TARGET = 1.5
LATENCY_TARGET_MS = 30.0

# The participant of the warm home: answered the survey, finished two scenarios.
NAME = "Sam Bench"
ROLE = "mentor"


# --- the generated library --------------------------------------------------------------------

ROLES = ("mentor", "mentee", "sponsor", "coordinator")
RULES = (
    (
        "confidentiality",
        "Confidentiality",
        "What is shared stays between you, unless someone is at risk of harm.",
    ),
    (
        "no-fault",
        "No-fault attitude",
        "When things go wrong, look for what to change, not for someone to blame.",
    ),
    (
        "listening",
        "Active, non-judgemental listening",
        "Listen to understand, and hold back quick fixes.",
    ),
    (
        "boundaries",
        "Boundaries",
        "Keep to the agreed time and scope; a mentor is not a therapist or a rescuer.",
    ),
    (
        "signposting",
        "Signposting",
        "Know where professional help is, and pass it on rather than trying to be it.",
    ),
    (
        "checking-assumptions",
        "Checking assumptions",
        "Check your assumptions against your partner's experience.",
    ),
    (
        "shared-aims",
        "Shared, pre-agreed aims",
        "Agree what you are working towards, and revisit it together.",
    ),
    (
        "understanding",
        "Understanding, not judgement",
        "Start from curiosity about circumstances, not from blame.",
    ),
    (
        "clear-feedback",
        "Clear feedback",
        "Say what you noticed, with examples and its effect, kindly and directly.",
    ),
    (
        "reciprocity",
        "Reciprocity",
        "Both partners expect to learn, and make room for the other's learning.",
    ),
)
METERS = ("trust", "openness", "confidence", "rapport", "clarity", "headspace")
PEOPLE = (
    "Ewa",
    "Richard",
    "Anjali",
    "Tomasz",
    "Niamh",
    "Kwame",
    "Maryam",
    "Callum",
    "Priya",
    "Dev",
)
PLACES = (
    "a café on Oxford Road",
    "the library's group room",
    "a video call",
    "the canteen at Ledgerline",
    "a quiet corner of the student union",
    "the programme's drop-in session",
    "a bench by the canal",
)
TOPICS = (
    "The first meeting",
    "A cancelled session",
    "Feedback that stings",
    "The placement question",
    "Saying no",
    "A difficult email",
    "The review of the agreement",
    "An awkward silence",
    "Money worries",
    "The reference letter",
    "A clash of diaries",
    "Credit where it is due",
    "A joke that lands badly",
    "Too much advice",
    "The interview nerves",
    "A change of plans",
    "The second meeting",
    "Out of your depth",
    "A friend of a friend",
    "The last session",
)
OPENERS = (
    "{p} mentions",
    "{p} admits",
    "{p} explains",
    "{p} says quietly",
    "{p} wonders aloud",
    "Halfway through the session {p} tells you",
    "Before you sit down {p} says",
    "{p} writes to say",
)
MATTERS = (
    "that the coursework deadline has moved forward by a week",
    "that the weekend shifts at the hotel have doubled since the last meeting",
    "that a lecturer said something in a tutorial that has not gone away",
    "that the application form asks for experience nobody on the course has",
    "that the last two sessions felt more like a lecture than a conversation",
    "that a friend was offered a placement through a cousin at a big firm",
    "that the timed coding test next Thursday is the part that keeps them awake",
    "that their manager has started asking about the mentoring sessions",
    "that they are not sure the goals you agreed still fit",
    "that they have been offered a job that is not quite what they wanted",
)
TAILS = (
    "and looks at the table for a moment.",
    "and then laughs, a little too quickly.",
    "as if it were a small thing.",
    "and waits to see what you will say.",
    "before the coffee arrives.",
    "and adds that it is probably nothing.",
    "in a voice you have not heard from them before.",
    "and turns the notebook over.",
)
SETTINGS = (
    "You meet in {w}, ten minutes later than planned.",
    "It is your fourth session, in {w}, and the agreement is open on the table.",
    "The programme coordinator has asked every pair to check in this month; you meet in {w}.",
    "You have blocked an hour in {w}, though your phone keeps lighting up.",
)
ACTIONS = (
    "Ask what would help most right now, and listen to the whole answer before you reply",
    "Say what you noticed last time, with one example, and ask how it looked from their side",
    "Suggest you look at the agreement together and change what no longer fits",
    "Point them to the university's support service, and offer to help them prepare for it",
    "Tell them how you handled the same thing twenty years ago, in some detail",
    "Promise to have a word with someone you know who could sort it out",
    "Reassure them that it really is nothing to worry about, and move on to the agenda",
    "Offer to meet every evening this week until the deadline has passed",
    "Admit you had assumed otherwise, and ask what you might be missing",
    "Agree a small next step each, and a date to check how it went",
)
GOOD = (
    "This is {r} done well: it keeps the conversation on what your partner needs.",
    "A strong move. {R} here means asking before advising, and you did.",
    "Good. It builds {r}, and it leaves the decision where it belongs.",
)
POOR = (
    "Tempting, and kindly meant, but it works against {r}.",
    "Understandable under time pressure, but {r} suffers: the moment becomes about you.",
    "It feels generous, yet it quietly undermines {r}.",
)
MIDDLING = (
    "Not wrong, and your partner takes it well enough, though it misses a chance for {r}.",
    "A reasonable answer that keeps things moving, but {r} needed a little more.",
)
WHYS = (
    "Across a seniority gap, most people will not say when something does not fit unless "
    "they are asked, and asked in a way that makes it safe to answer.",
    "The programme asks both partners to learn, and that only happens when there is room "
    "for the other person's experience in the conversation.",
    "Agreed time, scope and channels protect both of you, and a modest promise kept does "
    "more good than a generous one broken.",
    "What your partner tells you in a session stays there, and the one exception is a risk "
    "of harm, which you would raise with them first.",
    "Specific examples and their effect are easier to hear, and to act on, than a verdict.",
)
TRAINER = (
    "Walks a {role} through a moment the programme guidance describes, where the tempting "
    "move is to fix the problem rather than to understand it. The strong path asks, "
    "listens and agrees a next step; the weak paths over-promise or take over."
)


def _words(text: str, width: int = 84, indent: str = "      ") -> str:
    import textwrap

    return "\n".join(indent + line for line in textwrap.wrap(text, width))


def _scenario_text(rng, sid: str, title: str, roles: list[str], rule_ids: list[str]) -> str:
    """One scenario file, as a trainer would write it: a chain of 8-12 scenes with
    choices that move forward one or two scenes, and three endings after the last."""
    meter = rng.choice(METERS)
    start = rng.choice((40, 45, 50))
    threshold = start + 20
    scored = rng.sample(rule_ids, 5)
    person = rng.choice(PEOPLE)
    count = rng.randint(8, 12)
    scene_ids = ["opening"] + [
        f"{rng.choice(('moment', 'turn', 'question', 'pause'))}-{i}" for i in range(2, count + 1)
    ]
    lines = [
        "# yaml-language-server: $schema=../schema/scenario.schema.json",
        "format: 1",
        f"id: {sid}",
        f'title: "{title}"',
        f'summary: "{person} raises something that matters, and you decide how to respond."',
        "trainer_note: |",
        _words(TRAINER.format(role=roles[0]), indent="  "),
        f"roles: [{', '.join(roles)}]",
        f"minutes: {rng.randint(5, 12)}",
        "variables:",
        f"  {meter}: {start}",
        "  acted: {start: 0, min: 0, max: 1}",
        f"meter: {meter}",
        "start: opening",
        "scenes:",
    ]

    def feedback(kind: str, rule: str) -> str:
        name = dict((r[0], r[1]) for r in RULES)[rule].lower()
        first = rng.choice({"good": GOOD, "poor": POOR, "middling": MIDDLING}[kind])
        text = first.format(r=name, R=name.capitalize())
        return text + " " + " ".join(rng.sample(WHYS, rng.randint(2, 3)))

    def choice(cid: str, goto: str, kind: str, condition: str | None = None) -> list[str]:
        rule, other = rng.sample(scored, 2)
        action = rng.choice(ACTIONS)
        out = [f"      - id: {cid}", f'        text: "{action}."']
        if condition:
            out.append(f"        if: {condition}")
        out.append(f"        goto: {goto}")
        if kind == "good":
            out.append(f"        add: {{{meter}: 10}}")
            if rng.random() < 0.3:
                out.append("        set: {acted: 1}")
            out.append(f"        scores: {{{rule}: 2, {other}: 1}}")
        elif kind == "poor":
            out.append(f"        add: {{{meter}: -10}}")
            out.append(f"        scores: {{{rule}: -2, {other}: -1}}")
            if rng.random() < 0.08:
                out.append(f"        critical: {rule}")
        else:
            out.append(f"        add: {{{meter}: 5}}")
            out.append(f"        scores: {{{rule}: 1, {other}: -1}}")
        out.append("        feedback: >-")
        out.append(_words(feedback(kind, rule), indent="          "))
        return out

    for i, scene_id in enumerate(scene_ids):
        speaker = rng.choice(("Narrator", person))
        story = []
        if i == 0:
            story.append(rng.choice(SETTINGS).format(w=rng.choice(PLACES)))
        for _ in range(rng.randint(3, 5)):
            opener = rng.choice(OPENERS).format(p=person)
            story.append(f"{opener} {rng.choice(MATTERS)} {rng.choice(TAILS)}")
        if rng.random() < 0.3:
            story[-1] = story[-1].replace(" not ", " *not* ", 1)
        lines += [f"  {scene_id}:", f"    speaker: {speaker}", "    text: |"]
        lines.append(_words(" ".join(story[:2])))
        lines.append("")
        lines.append(_words(" ".join(story[2:]) + " What do you do?"))
        lines.append("    choices:")
        if i == count - 1:  # the last scene leads to the endings
            kinds = [
                ("strong", "good", f"{meter} >= {threshold}", "end-strong"),
                ("strong-later", "good", f"{meter} < {threshold}", "end-mixed"),
                ("carry-on", "middling", None, "end-mixed"),
                ("take-over", "poor", None, "end-poor"),
            ]
            for cid, kind, condition, goto in kinds:
                lines += choice(cid, goto, kind, condition)
            continue
        following = scene_ids[i + 1]
        after = scene_ids[i + 2] if i + 2 < count else following
        kinds = ["good", "poor"] + rng.sample(["middling", "poor", "good"], rng.choice((0, 1, 1)))
        rng.shuffle(kinds)
        options = []
        for n, kind in enumerate(kinds):
            # The good choice always leads to the next scene, so that every scene is reached.
            goto = following if kind == "good" else rng.choice((following, following, after))
            options.append((f"option-{chr(97 + n)}", goto, kind, None))
        if len(options) < 4 and rng.random() < 0.4:
            condition = rng.choice(
                (
                    f"{meter} >= {start + 10}",
                    "acted == 1",
                    f"visited({scene_ids[max(0, i - 1)]})",
                    f"score({scored[0]}) >= 2",
                    f"{meter} >= {start} and acted == 1",
                )
            )
            options.append(("option-extra", following, "good", condition))
        for option in options:
            lines += choice(*option)
    endings = (
        (
            "end-strong",
            "strong",
            f"{person} sends a note two days later with a clear next step, and asks when you can meet again.",
        ),
        (
            "end-mixed",
            "mixed",
            f"The session ends politely. {person} thanks you, but you are not sure they would tell you if something did not fit.",
        ),
        (
            "end-poor",
            "poor",
            f"{person}'s reply to your next invitation is short and a little formal, and the following session is cancelled.",
        ),
    )
    for scene_id, kind, text in endings:
        lines += [
            f"  {scene_id}:",
            "    speaker: Narrator",
            "    text: |",
            _words(text),
            f"    ending: {kind}",
        ]
    return "\n".join(lines) + "\n"


def generate_library(root: Path, count: int = SCENARIOS, seed: int = 9) -> Path:
    """A library of `count` scenarios of realistic size; deterministic for a seed."""
    import random

    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    rule_ids = [rule[0] for rule in RULES]
    by_role: dict[str, list[str]] = {role: [] for role in ROLES}
    for n in range(count):
        topic = TOPICS[n % len(TOPICS)]
        sid = f"{topic.lower().replace(' ', '-').replace('.', '')}-{n + 1:03d}"
        roles = [ROLES[n % len(ROLES)]]
        if rng.random() < 0.4:
            roles.append(rng.choice([r for r in ROLES if r != roles[0]]))
        text = _scenario_text(
            random.Random(seed * 100_003 + n), sid, f"{topic} ({n + 1})", roles, rule_ids
        )
        (root / f"{sid}.yaml").write_text(text, encoding="utf-8")
        for role in roles:
            by_role[role].append(sid)
    programme = [
        "# yaml-language-server: $schema=../schema/programme.schema.json",
        "format: 1",
        "id: generated-programme",
        "title: Reciprocal mentoring across the region",
        f"roles: [{', '.join(ROLES)}]",
        "pass_mark: 70",
        "feedback: immediate",
        "introduction:",
        "  summary: |",
        _words(
            "Mentors and mentees from twelve employers and three universities, paired for "
            "six months, each learning from the other.",
            indent="    ",
        ),
        "  basics: |",
        _words(
            "Mentoring is a confidential, voluntary relationship in which one person supports "
            "another's learning and development.",
            indent="    ",
        ),
        "  differences: |",
        _words(
            "Learning runs both ways: the mentor checks their assumptions in every meeting "
            "and invites the mentee to flag anything that is a problem.",
            indent="    ",
        ),
        "ground_rules:",
    ]
    for rule_id, name, summary in RULES:
        programme += [f"  - id: {rule_id}", f"    name: {name}", f'    summary: "{summary}"']
    programme.append("required:")
    for role in ROLES:
        programme.append(f"  {role}:")
        programme += [f"    - {sid}" for sid in by_role[role][:12]]
    programme += [
        "survey:",
        "  before:",
        "    - id: hopes",
        "      prompt: What do you hope to gain from this mentoring relationship?",
        "      kind: text",
        "    - id: confidence-difficult-topics",
        "      prompt: How confident are you raising a difficult topic with your partner?",
        "      kind: scale",
        "  after:",
        "    - id: confidence-difficult-topics-after",
        "      prompt: How confident are you now raising a difficult topic with your partner?",
        "      kind: scale",
    ]
    (root / "programme.yaml").write_text("\n".join(programme) + "\n", encoding="utf-8")
    # Written an hour ago, as a library is by the time people play it: a file modified
    # just before the cache is written is re-read at every start (compiled.RACY_NS).
    past = time.time_ns() - 3_600_000_000_000
    for path in root.glob("*.yaml"):
        os.utime(path, ns=(past, past))
    return root


def validate(library: Path) -> str:
    """`mentorquest validate` on the library: its summary line; exits on any error."""
    import subprocess
    import tempfile

    command = [str(Path(sys.executable).with_name("mentorquest")), "validate", str(library)]
    if not Path(command[0]).exists():
        command = [sys.executable, "-m", "mentorquest", "validate", str(library)]
    with tempfile.TemporaryDirectory(prefix="tui-bench-validate-") as home:
        env = dict(os.environ, MENTORQUEST_HOME=home)
        done = subprocess.run(command, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        sys.stderr.write(done.stdout[-3000:] + done.stderr[-3000:])
        raise SystemExit(f"benchmark: the generated library does not validate ({library})")
    return done.stderr.strip().splitlines()[-1]


# --- the child processes ------------------------------------------------------------------


def hello_app():
    from textual.app import App, ComposeResult
    from textual.widgets import Footer, Header, OptionList

    class Hello(App):
        def compose(self) -> ComposeResult:
            yield Header()
            yield OptionList("Hello", "World", "Again")
            yield Footer()

    return Hello()


def mentorquest_app(library: Path, stack: contextlib.ExitStack, participant: bool):
    """The app exactly as `mentorquest` builds it (`tui.launch.build`): the library, the
    store, its provider. Without a participant it opens on the welcome (`mentorquest`);
    with one, on that participant's quest map (`mentorquest --name NAME --role ROLE`)."""
    from mentorquest.players.config import PlayConfig
    from mentorquest.tui.launch import build

    if participant:
        return build(PlayConfig(library=library, name=NAME, role=ROLE), stack)
    return build(PlayConfig(library=library), stack)


def _key_for_first_written(attempt) -> str:
    """The key a player presses for the offered choice written first in the file: choices
    are chosen by id (the order shown is shuffled), then pressed by the number shown."""
    written = attempt.available()[0][1].id
    return next(str(c.number) for c in attempt.choices() if c.id == written)


async def play_through(app, pilot, scenario_id: str, press=None) -> int:
    """Play one scenario from its start to its debrief, the offered choice written first
    each time (chosen by id, pressed by the number it is shown with), closing the
    feedback dialogs. `press(key, kind)` presses a key and may time it ("choice" or
    "close"). Returns the number of choices made."""
    if press is None:

        async def press(key: str, kind: str) -> None:
            await pilot.press(key)
            await pilot.pause()

    app.play(scenario_id, fresh=True)
    await pilot.pause()
    made = 0
    for _ in range(200):
        screen = type(app.screen).__name__
        if screen == "FeedbackScreen":
            await press("escape", "close")
        elif screen == "SceneScreen" and not app.screen.attempt.finished:
            await press(_key_for_first_written(app.screen.attempt), "choice")
            made += 1
        elif screen == "DebriefScreen":
            return made
        else:
            raise SystemExit(f"benchmark: unexpected screen {screen} in '{scenario_id}'")
    raise SystemExit(f"benchmark: '{scenario_id}' did not reach its debrief")


def child(mode: str, library: Path) -> None:
    if mode == "prepare":
        prepare(library)
        return
    if mode == "latency":
        import asyncio
        import json

        wanted = int(os.environ.get("BENCH_CHOICES", CHOICES))
        print("TIMES " + json.dumps(asyncio.run(choice_latencies(library, wanted))), flush=True)
        return
    stack = contextlib.ExitStack()
    hello = mode.startswith("hello")
    app = hello_app() if hello else mentorquest_app(library, stack, mode in ("map", "play"))

    async def auto(pilot) -> None:
        await pilot.pause()
        cold = "mentorquest.language.loader" in sys.modules
        print(f"READY {type(app.screen).__name__} {'cold' if cold else 'warm'}", flush=True)
        if mode == "hello-play":
            for _ in range(CHOICES):
                await pilot.press("down")
                await pilot.pause()
        elif mode == "play":
            for scenario_id in app.journey.playable()[2 : 2 + PLAYED]:
                await play_through(app, pilot, scenario_id)
                await pilot.press("m")
                await pilot.pause()
        app.exit()

    with stack:
        app.run(headless=True, size=(80, 24), auto_pilot=auto)


def prepare(library: Path) -> None:
    """The warm home's participant: the survey answered, two required scenarios finished
    (the first written choice each time, by id), nothing in progress; so `--name` opens on the quest map."""
    from mentorquest.engine import Engine
    from mentorquest.language.compiled import open_library
    from mentorquest.players.progress import Participant
    from mentorquest.players.stored import StoreProvider
    from mentorquest.store import open_store

    lib = open_library(library)
    with open_store(None) as store:
        progress = StoreProvider(store, lib).open(Participant("sam-bench", NAME, ROLE))
        for question in lib.programme.survey.before:
            progress.save_survey_answer(
                "before", question.id, 4 if question.kind == "scale" else "To learn."
            )
        engine = Engine(lib)
        for scenario_id in lib.required_for(ROLE)[:2]:
            attempt = engine.start(scenario_id)
            while not attempt.finished:
                attempt.choose(attempt.available()[0][1].id)
            progress.finish_attempt(attempt)


def spawn(mode: str, library: Path, home: Path) -> tuple[float, int, str]:
    """(seconds to READY, peak RSS in KiB, "Screen warm|cold") of one child process."""
    import subprocess
    import tempfile

    env = dict(os.environ, TEXTUAL_ANIMATIONS="none", MENTORQUEST_HOME=str(home))
    with tempfile.TemporaryFile("w+") as errors:
        start = time.perf_counter()
        proc = subprocess.Popen(
            [sys.executable, str(HERE), "--child", mode, str(library)],
            stdout=subprocess.PIPE,
            stderr=errors,
            text=True,
            env=env,
        )
        assert proc.stdout is not None
        ready, what = None, ""
        for line in proc.stdout:
            if line.startswith("READY") and ready is None:
                ready = time.perf_counter() - start
                what = line[len("READY") :].strip()
        _, status, usage = os.wait4(proc.pid, 0)
        proc.returncode = code = os.waitstatus_to_exitcode(status)
        if code != 0 or (ready is None and mode != "prepare"):
            errors.seek(0)
            sys.stderr.write(errors.read()[-3000:])
            raise SystemExit(f"benchmark child '{mode}' on {library} failed (exit {code})")
    return ready or 0.0, usage.ru_maxrss, what


# --- choice latency, in this process ----------------------------------------------------------


async def choice_latencies(library: Path, wanted: int) -> dict[str, list[float]]:
    """Per key: the time from pressing it to the app's first screen update after it
    ("choice", "close"), and to the last update it caused ("choice-settled"). The Pilot's
    own idle wait is excluded: times come from the app's display calls. The participant's
    scenarios are played in programme order (and again from the top) until `wanted`
    choices are timed; "scenarios" holds one entry per scenario played."""
    stack = contextlib.ExitStack()
    app = mentorquest_app(library, stack, participant=True)
    app.animation_level = "none"
    painted: list[float] = []
    display = app._display

    def timed_display(*args, **kwargs):
        display(*args, **kwargs)
        painted.append(time.perf_counter())

    app._display = timed_display  # type: ignore[method-assign]
    times: dict[str, list[float]] = {
        "choice": [],
        "choice-settled": [],
        "close": [],
        "scenarios": [],
    }
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()

        async def timed(key: str, kind: str) -> None:
            painted.clear()
            start = time.perf_counter()
            await pilot.press(key)
            await pilot.pause()
            if painted:
                times[kind].append(painted[0] - start)
                if kind == "choice":
                    times["choice-settled"].append(painted[-1] - start)

        playable = app.journey.playable()
        while len(times["choice"]) < wanted and len(times["scenarios"]) < 10 * len(playable):
            scenario_id = playable[len(times["scenarios"]) % len(playable)]
            await play_through(app, pilot, scenario_id, timed)
            times["scenarios"].append(0.0)
        app.exit()
    stack.close()
    if len(times["choice"]) < wanted // 2:
        raise SystemExit("benchmark: the screen was not repainted after the choices")
    return times


def latency_child(library: Path, home: Path, wanted: int) -> dict[str, list[float]]:
    """`choice_latencies` in a fresh process of its own, on its own copy of the warm home."""
    import json
    import subprocess

    env = dict(
        os.environ, TEXTUAL_ANIMATIONS="none", MENTORQUEST_HOME=str(home), BENCH_CHOICES=str(wanted)
    )
    done = subprocess.run(
        [sys.executable, str(HERE), "--child", "latency", str(library)],
        capture_output=True,
        text=True,
        env=env,
    )
    found = [line for line in done.stdout.splitlines() if line.startswith("TIMES ")]
    if done.returncode != 0 or not found:
        sys.stderr.write(done.stderr[-3000:])
        raise SystemExit(f"benchmark: the choice-latency child failed on {library}")
    times: dict[str, list[float]] = json.loads(found[-1][len("TIMES ") :])
    return times


# --- the run ---------------------------------------------------------------------------------


_BEGAN = time.perf_counter()


def _progress(what: str) -> None:
    print(f"  [{time.perf_counter() - _BEGAN:5.0f} s] {what}", file=sys.stderr, flush=True)


def _ms(seconds: float) -> str:
    return f"{seconds * 1000:.0f} ms"


def _x(ratio: float) -> str:
    """A ratio to two decimals, or three where two would hide which side of a target it is."""
    shown = f"{ratio:.2f}"
    return (f"{ratio:.3f}" if float(shown) in (START_TARGET, RSS_TARGET) else shown) + "x"


def _verdict(ratio: float, target: float) -> str:
    return f"{_x(ratio)} ({'met' if ratio <= target else 'NOT met'}, target <= {target:.1f}x)"


def compile_bytecode() -> None:
    """Compile mentorquest's modules to bytecode first, as `pip install .` does.

    Textual and the other installed packages were compiled when pip installed them; an
    editable install writes mentorquest's bytecode on its first import, unless
    PYTHONDONTWRITEBYTECODE is set (as on some machines), when every start would compile
    every module from source and be measured for a cost no installed copy pays.
    """
    import compileall

    import mentorquest

    compileall.compile_dir(Path(mentorquest.__file__).parent, quiet=1)


def main() -> None:
    import argparse
    import shutil
    import statistics
    import tempfile

    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument(
        "--runs", type=int, default=RUNS, help=f"warm starts of each kind (default {RUNS})"
    )
    parser.add_argument(
        "--cold-runs",
        type=int,
        default=COLD_RUNS,
        help=f"first starts per library (default {COLD_RUNS})",
    )
    parser.add_argument(
        "--play-runs",
        type=int,
        default=PLAY_RUNS,
        help=f"peak-memory plays per library (default {PLAY_RUNS})",
    )
    parser.add_argument(
        "--choices",
        type=int,
        default=CHOICES,
        help=f"choices timed per library (default {CHOICES})",
    )
    parser.add_argument(
        "--scenarios",
        type=int,
        default=SCENARIOS,
        help=f"scenarios in the generated library (default {SCENARIOS})",
    )
    parser.add_argument(
        "--library",
        choices=("all", "bundled", "generated"),
        default="all",
        help="the libraries to measure (default: all)",
    )
    parser.add_argument(
        "--write-library", metavar="DIR", type=Path, help="only write the generated library to DIR"
    )
    args = parser.parse_args()

    if args.write_library is not None:
        generate_library(args.write_library, args.scenarios)
        print(f"{args.write_library}: {validate(args.write_library)}")
        return

    from mentorquest.bundled import library_path

    compile_bytecode()
    with tempfile.TemporaryDirectory(prefix="tui-bench-") as folder:
        base = Path(folder)
        libraries: dict[str, Path] = {}
        if args.library in ("all", "bundled"):
            # A copy (dates kept), so that an edit of the checkout's scenarios during the
            # run does not turn warm starts into first starts.
            libraries["bundled"] = shutil.copytree(library_path(), base / "bundled")
        if args.library in ("all", "generated"):
            began = time.perf_counter()
            generated = generate_library(base / "generated", args.scenarios)
            size = sum(p.stat().st_size for p in generated.glob("*.yaml"))
            print(
                f"generated library: {args.scenarios} scenarios, {size / 2**20:.1f} MB, "
                f"{time.perf_counter() - began:.1f} s; {validate(generated)}",
                flush=True,
            )
            libraries["generated"] = generated

        # Warm: what every start after the first sees. One unmeasured start compiles the
        # library into its cache and creates the store, as a participant's first start
        # does; then the participant answers the survey and finishes two scenarios.
        warm = {name: base / f"{name}-warm" for name in libraries}
        for name, library in libraries.items():
            spawn("welcome", library, warm[name])
            spawn("prepare", library, warm[name])
        _progress("warm homes ready")

        kinds = [("hello", "hello", None)] + [
            (f"{name}:{mode}", mode, name) for name in libraries for mode in ("welcome", "map")
        ]
        starts: dict[str, list[float]] = {kind: [] for kind, _, _ in kinds}
        start_rss: dict[str, list[int]] = {kind: [] for kind, _, _ in kinds}
        screens: dict[str, set[str]] = {kind: set() for kind, _, _ in kinds}
        not_warm: dict[str, int] = {kind: 0 for kind, _, _ in kinds}
        rounds: list[dict[str, float]] = []
        for run in range(args.runs):  # interleaved, in a rotating order
            rounds.append({})
            for kind, mode, name in kinds[run % len(kinds) :] + kinds[: run % len(kinds)]:
                library = libraries[name] if name else base
                seconds, rss, what = spawn(
                    mode, library, warm[name] if name else base / "hello-home"
                )
                screen, _, state = what.partition(" ")
                screens[kind].add(screen)
                if state == "cold":
                    not_warm[kind] += 1
                    continue
                starts[kind].append(seconds)
                start_rss[kind].append(rss)
                rounds[-1][kind] = seconds
            _progress(f"warm starts, round {run + 1} of {args.runs}")

        # Peak memory during play; each mentorquest play on its own copy of the warm home.
        plays: dict[str, list[int]] = {"hello": [], **{name: [] for name in libraries}}
        cold_plays = {name: 0 for name in libraries}
        for run in range(args.play_runs):
            plays["hello"].append(spawn("hello-play", base, base / "hello-home")[1])
            for name, library in libraries.items():
                home = base / f"{name}-play-{run}"
                shutil.copytree(warm[name], home)
                _, rss, what = spawn("play", library, home)
                if what.endswith("cold"):
                    cold_plays[name] += 1
                else:
                    plays[name].append(rss)
                shutil.rmtree(home)
            _progress(f"plays, round {run + 1} of {args.play_runs}")

        # Cold: the very first start (no compiled library, no store yet).
        cold: dict[str, list[tuple[float, int]]] = {name: [] for name in libraries}
        cold_hello: list[float] = []
        for run in range(args.cold_runs):
            cold_hello.append(spawn("hello", base, base / "hello-home")[0])
            for name, library in libraries.items():
                seconds, rss, what = spawn("welcome", library, base / f"{name}-cold-{run}")
                if not what.endswith("cold"):
                    raise SystemExit("benchmark: a first start found a cache")
                cold[name].append((seconds, rss))
            _progress(f"first starts, round {run + 1} of {args.cold_runs}")

        latencies: dict[str, dict[str, list[float]]] = {}
        for name, library in libraries.items():
            home = base / f"{name}-latency"
            shutil.copytree(warm[name], home)
            latencies[name] = latency_child(library, home, args.choices)
            _progress(f"choice latency, {name}")
        counts = {
            name: len(list(library.glob("*.yaml"))) - 1 for name, library in libraries.items()
        }

    median = statistics.median
    hello = median(starts["hello"])
    hello_rss = max(plays["hello"])
    print()
    print(
        f"mentorquest Textual player benchmark: medians of {args.runs} warm starts of each kind, "
        f"{args.cold_runs} first starts, {args.play_runs} plays; ratios against the hello-world "
        "app in this run"
    )
    print(
        f"  hello-world app (Header, OptionList, Footer): start {_ms(hello)} "
        f"(range {_ms(min(starts['hello']))}-{_ms(max(starts['hello']))}), "
        f"peak memory {hello_rss / 1024:.1f} MiB over {CHOICES} cursor moves"
    )
    targets = {
        "welcome": f"start-up to the welcome (the first interactive screen) <= {START_TARGET}x",
        "map": f"start-up to the quest map (with --name --role) <= {START_TARGET}x",
        "rss": f"peak memory during play <= {RSS_TARGET}x",
        "latency": f"choice key to next scene <= {LATENCY_TARGET_MS:.0f} ms",
    }
    verdicts: dict[str, list[str]] = {key: [] for key in targets}

    def judge(key: str, name: str, met: bool, figure: str) -> None:
        verdicts[key].append(f"{name} {figure} {'met' if met else 'NOT met'}")

    for name in libraries:
        where = f"a copy of {library_path()}" if name == "bundled" else "in a temporary folder"
        print(f"  {name} library ({counts[name]} scenarios, {where}):")
        for mode, label in (
            ("welcome", "the welcome (`mentorquest`)"),
            ("map", "the quest map (`--name --role`)"),
        ):
            kind = f"{name}:{mode}"
            times = starts[kind]
            if not times:
                print(f"    warm start to {label}: no warm start (the cache was never read)")
                judge(mode, name, False, "(no warm start)")
                continue
            ratio = median(times) / hello
            judge(mode, name, ratio <= START_TARGET, _x(ratio))
            paired = [r[kind] / r["hello"] for r in rounds if kind in r and "hello" in r]
            extra = (
                f"; {not_warm[kind]} start(s) were not warm and are left out"
                if not_warm[kind]
                else ""
            )
            print(
                f"    warm start to {label}: {_ms(median(times))} "
                f"(range {_ms(min(times))}-{_ms(max(times))}), {_verdict(ratio, START_TARGET)}; "
                f"median of the {len(paired)} same-round ratios {_x(median(paired))}; "
                f"first screen {'/'.join(sorted(screens[kind]))}, "
                f"peak memory {max(start_rss[kind]) / 1024:.1f} MiB{extra}"
            )
        cold_times = [seconds for seconds, _ in cold[name]]
        cold_rss = max(rss for _, rss in cold[name])
        print(
            f"    first start ever (library checked and compiled, store created): "
            f"{_ms(median(cold_times))} (range {_ms(min(cold_times))}-{_ms(max(cold_times))}), "
            f"{median(cold_times) / hello:.2f}x (hello-world alongside: {_ms(median(cold_hello))}); "
            f"peak memory {cold_rss / 1024:.1f} MiB, {cold_rss / hello_rss:.2f}x"
        )
        if plays[name]:
            rss = max(plays[name])
            judge("rss", name, rss / hello_rss <= RSS_TARGET, _x(rss / hello_rss))
            left_out = (
                f"; {cold_plays[name]} play(s) were not warm and are left out"
                if cold_plays[name]
                else ""
            )
            print(
                f"    peak memory during play ({PLAYED} scenarios from the quest map): "
                f"{rss / 1024:.1f} MiB (range {min(plays[name]) / 1024:.1f}-{rss / 1024:.1f}), "
                f"{_verdict(rss / hello_rss, RSS_TARGET)}{left_out}"
            )
        else:
            judge("rss", name, False, "(no warm play)")
            print("    peak memory during play: no warm play (the cache was never read)")
        times = latencies[name]
        first = times["choice"]
        latency = median(first) * 1000
        judge("latency", name, latency <= LATENCY_TARGET_MS, f"{latency:.1f} ms")
        closed = (
            f"; closing the feedback dialog to the scene: {median(times['close']) * 1000:.1f} ms"
            if times["close"]
            else ""
        )
        print(
            f"    choice key to next scene rendered: median {latency:.1f} ms over {len(first)} "
            f"choices in {len(times['scenarios'])} scenarios (p90 "
            f"{statistics.quantiles(first, n=10)[-1] * 1000:.1f} ms; settled "
            f"{median(times['choice-settled']) * 1000:.1f} ms{closed}), "
            f"{'met' if latency <= LATENCY_TARGET_MS else 'NOT met'} (target <= {LATENCY_TARGET_MS:.0f} ms)"
        )
    print("  targets:")
    for key, target in targets.items():
        print(f"    {target}: {'; '.join(verdicts[key])}")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], Path(sys.argv[3]))
    else:
        main()
