"""Benchmark of the Textual player against a hello-world Textual app, in one run.

    .venv/bin/python bench/tui_bench.py

Prints: start-up to the first interactive screen (target <= 1.3x the hello-world app with
a Header, a Footer and an OptionList); the median time from a choice key to the next
scene rendered over a 100-choice headless playthrough (target <= 30 ms); and peak memory
(max RSS) during play against the hello-world app (target <= 1.3x). Each start-up is a
fresh process, so imports count, as they do for a person typing `mentorquest`.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve()
CHOICES = 100
RUNS = 11

PROGRAMME = """\
format: 1
id: bench
title: Benchmark programme
roles: [mentor]
feedback: debrief
introduction:
  summary: A programme for measuring the player.
ground_rules:
  - id: listening
    name: Listening
    summary: Listen first.
required:
  mentor: [loop]
"""

SCENARIO = """\
format: 1
id: loop
title: A long conversation
roles: [mentor]
variables:
  count: {start: 0, min: 0, max: 200}
meter: count
start: ask
scenes:
  ask:
    speaker: Ewa
    text: |
      Could you tell me a little more about **how** you started?
    choices:
      - id: listen
        text: Listen, and ask a follow-up question.
        goto: answer
        add: {count: 1}
        scores: {listening: 1}
      - id: wrap-up
        text: Thank her and close the conversation.
        if: count >= %(choices)d
        goto: end
  answer:
    speaker: You
    text: |
      I started on the help desk, and learned to *listen* before fixing.
    choices:
      - id: go-on
        text: Go on.
        goto: ask
        add: {count: 1}
      - id: interrupt
        text: Interrupt with advice.
        goto: ask
        add: {count: 1}
        scores: {listening: -1}
  end:
    text: A long and good conversation.
    ending: strong
"""


def build_library(root: Path) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    (root / "programme.yaml").write_text(PROGRAMME, encoding="utf-8")
    (root / "loop.yaml").write_text(SCENARIO % {"choices": CHOICES}, encoding="utf-8")
    return root


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


def mentorquest_app(library: Path, stack):
    """The app exactly as `mentorquest` builds it (`tui.launch.build`): the library, the
    store, its provider. Start-up is measured to the welcome screen; play jumps straight
    into the scenario."""
    from mentorquest.players.config import PlayConfig
    from mentorquest.tui.launch import build

    config = PlayConfig(library=library, name="Bench", role="mentor", scenario="loop")
    if os.environ.get("BENCH_WELCOME"):
        config = PlayConfig(library=library)
    return build(config, stack)


def child(mode: str, library: Path) -> None:
    stack = contextlib.ExitStack()
    app = hello_app() if mode.startswith("hello") else mentorquest_app(library, stack)
    playing = mode.endswith("play")

    async def auto(pilot) -> None:
        await pilot.pause()
        print("READY", flush=True)
        if playing:
            for _ in range(CHOICES):
                await pilot.press("down" if mode.startswith("hello") else "1")
                await pilot.pause()
        app.exit()

    with stack:
        app.run(headless=True, size=(80, 24), auto_pilot=auto)


def spawn(mode: str, library: Path, home: Path) -> tuple[float, int]:
    """(seconds to READY, peak RSS in KiB) of one child process."""
    env = dict(os.environ, TEXTUAL_ANIMATIONS="none", MENTORQUEST_HOME=str(home))
    if mode == "app":
        env["BENCH_WELCOME"] = "1"  # start-up is measured to the welcome screen
    start = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, str(HERE), "--child", mode, str(library)],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        env=env,
    )
    assert proc.stdout is not None
    ready = None
    for line in proc.stdout:
        if line.strip() == "READY" and ready is None:
            ready = time.perf_counter() - start
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    if ready is None or proc.returncode != 0:
        raise SystemExit(f"benchmark child '{mode}' failed (exit {proc.returncode})")
    return ready, usage.ru_maxrss


# --- choice latency, in this process ----------------------------------------------------------


async def choice_latencies(library: Path) -> tuple[list[float], list[float]]:
    """Per choice: key press to the first screen update showing the next scene, and to the
    last update it caused (when the choice list has settled after a change of height).
    The Pilot's own idle wait is excluded: times come from the app's display calls."""
    stack = contextlib.ExitStack()
    app = mentorquest_app(library, stack)
    app.animation_level = "none"
    painted: list[float] = []
    display = app._display

    def timed_display(*args, **kwargs):
        display(*args, **kwargs)
        painted.append(time.perf_counter())

    app._display = timed_display  # type: ignore[method-assign]
    first: list[float] = []
    settled: list[float] = []
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        for _ in range(CHOICES):
            painted.clear()
            start = time.perf_counter()
            await pilot.press("1")
            await pilot.pause()
            if painted:
                first.append(painted[0] - start)
                settled.append(painted[-1] - start)
    stack.close()
    if len(first) < CHOICES // 2:
        raise SystemExit("benchmark: the screen was not repainted after the choices")
    return first, settled


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        base = Path(folder)
        library = build_library(base / "library")
        # Warm: what every start after the first sees. One unmeasured start compiles the
        # library into its cache and creates the store, as a participant's first start does.
        warm = base / "warm-home"
        spawn("app", library, warm)
        hello_starts, app_starts = [], []
        for _ in range(RUNS):  # interleaved, so drift of the machine hits both alike
            hello_starts.append(spawn("hello", library, warm)[0])
            app_starts.append(spawn("app", library, warm)[0])
        hello_rss = max(spawn("hello-play", library, warm)[1] for _ in range(2))
        app_rss = max(spawn("app-play", library, warm)[1] for _ in range(2))
        # Cold: the very first start (no compiled library, no store yet), for the record.
        cold = [spawn("app", library, base / f"cold-{n}")[0] for n in range(3)]
        cold_rss = spawn("app-play", library, base / "cold-play")[1]
        os.environ["MENTORQUEST_HOME"] = str(warm)
        latencies, settled = asyncio.run(choice_latencies(library))

    hello_start, app_start = statistics.median(hello_starts), statistics.median(app_starts)
    median_ms = statistics.median(latencies) * 1000
    start_ratio = app_start / hello_start
    rss_ratio = app_rss / hello_rss
    print("mentorquest Textual player benchmark (medians; ratios within this run)")
    print(f"  start-up to first interactive screen: hello-world {hello_start * 1000:.0f} ms, "
          f"mentorquest {app_start * 1000:.0f} ms, ratio {start_ratio:.2f}x (target <= 1.30x)")
    print(f"    first start ever (library checked and compiled, store created): "
          f"{statistics.median(cold) * 1000:.0f} ms, {statistics.median(cold) / hello_start:.2f}x")
    print(f"  choice key to next scene rendered, median over {CHOICES} choices: "
          f"{median_ms:.1f} ms (target <= 30 ms; p90 "
          f"{statistics.quantiles(latencies, n=10)[-1] * 1000:.1f} ms; fully settled "
          f"{statistics.median(settled) * 1000:.1f} ms)")
    print(f"  peak memory during play: hello-world {hello_rss / 1024:.1f} MiB, "
          f"mentorquest {app_rss / 1024:.1f} MiB, ratio {rss_ratio:.2f}x (target <= 1.30x)")
    print(f"    first start ever: {cold_rss / 1024:.1f} MiB, {cold_rss / hello_rss:.2f}x")


if __name__ == "__main__":
    if len(sys.argv) == 4 and sys.argv[1] == "--child":
        child(sys.argv[2], Path(sys.argv[3]))
    else:
        main()
