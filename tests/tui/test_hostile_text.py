"""Titles, summaries and names from files and participants reach the app's screens literally:
the command palette, the header and notifications read no markup and run no action."""

from __future__ import annotations

import json
from pathlib import Path

from textual.command import CommandList, CommandPalette

from mentorquest.tui.screens.scene import SceneScreen
from tests.tui.screen_text import screen_text
from tests.tui.test_options import until

TITLE = "[/] [@click=app.quit]Quit[/] [b]bold[/b] \u202eevil"
SUMMARY = "[red]not red[/red] [/]"


def hostile(library_dir: Path) -> None:
    path = library_dir / "listen-first.yaml"
    text = path.read_text(encoding="utf-8")
    text = text.replace("title: Listen first", f"title: {json.dumps(TITLE)}", 1)
    text = text.replace(
        "summary: Your mentee arrives with a worry.", f"summary: {json.dumps(SUMMARY)}", 1
    )
    path.write_text(text, encoding="utf-8")


async def test_the_palette_shows_hostile_titles_literally(build_app, library_dir) -> None:
    hostile(library_dir)
    app = build_app(name="[b]Sam[/b] [/]", role="mentor")
    async with app.run_test(size=(100, 32)) as pilot:
        await pilot.pause()
        assert "[b]Sam[/b] [/]" in app.sub_title  # the header shows the name as typed
        await pilot.press("ctrl+p")
        await until(pilot, lambda: isinstance(app.screen, CommandPalette), "the palette")
        palette = app.screen
        await pilot.press(*"Play")

        def shown() -> list[str]:
            hits = palette.query_one(CommandList)
            return [str(hits.get_option_at_index(i).prompt) for i in range(hits.option_count)]

        await until(pilot, lambda: any("Quit" in text for text in shown()), "the hostile title")
        [prompt] = [text for text in shown() if "Quit" in text]
        assert "Play: [/] [@click=app.quit]Quit[/] [b]bold[/b] <U+202E>evil" in prompt
        assert "[red]not red[/red] [/]" in prompt  # the summary, as help text
        # Choosing it plays the scenario: no markup action ran, nothing crashed.
        hits = palette.query_one(CommandList)
        hits.highlighted = next(i for i, text in enumerate(shown()) if "Quit" in text)
        await pilot.press("enter")
        await until(pilot, lambda: isinstance(app.screen, SceneScreen), "the scene")
        assert app.is_running
        assert "[/] [@click=app.quit]Quit[/]" in screen_text(app)


ESC = "\x1b"
EVIL = f"[/] [@click=app.quit]x[/] {ESC}]52;c;cm0=\x07{ESC}[31m\u202eend"


def hostile_everywhere(library_dir: Path) -> None:
    path = library_dir / "listen-first.yaml"
    text = path.read_text(encoding="utf-8")
    for old in (
        "title: Listen first",
        "speaker: Ewa",
        "text: Ask her to tell you more.",
        "feedback: Asking first is active listening.",
        "text: It is the deadlines, mostly.",
        "text: Ewa leaves with a plan she made herself.",
    ):
        key = old.split(":")[0]
        text = text.replace(old, f"{key}: {json.dumps(EVIL)}")
    path.write_text(text, encoding="utf-8")


def assert_literal(app) -> None:
    shown = screen_text(app)
    assert ESC not in shown and "\x07" not in shown and "\u202e" not in shown, shown
    assert "[/] [@click=app.quit]x[/]" in shown, shown
    assert "<U+202E>" in shown, shown


async def test_every_screen_shows_hostile_text_literally(build_app, library_dir) -> None:
    hostile_everywhere(library_dir)
    app = build_app(name=EVIL, role="mentor", scenario="listen-first")
    async with app.run_test(size=(120, 40)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, SceneScreen), "the scene")
        assert_literal(app)  # title, speaker, choices, header
        app.screen.action_choose_id("listen")
        await until(pilot, lambda: "You chose" in screen_text(app), "the feedback")
        assert_literal(app)  # the feedback dialog
        await pilot.press("escape")
        await until(pilot, lambda: "It is the deadlines" not in screen_text(app), "the next scene")
        assert_literal(app)
        app.screen.action_choose_id("ask")
        await until(pilot, lambda: "You chose" in screen_text(app), "the feedback")
        await pilot.press("escape")
        await until(pilot, lambda: "Debrief" in screen_text(app), "the debrief")
        assert_literal(app)
        assert app.is_running


MARKDOWN_EVIL = f"**[b]not bold markup[/b]** {ESC}[31m<script>x</script> [link](javascript:alert)"


async def test_markdown_in_choices_and_the_debrief_is_safe_and_literal(
    build_app, library_dir
) -> None:
    """Choices and the debrief go through the scene text's renderer: Markdown is drawn,
    Rich markup and HTML are shown as typed, and no escape sequence passes."""
    path = library_dir / "listen-first.yaml"
    text = path.read_text(encoding="utf-8")
    for old in ("text: Ask her to tell you more.", "text: Ask which deadline worries her most."):
        text = text.replace(old, f"text: {json.dumps(MARKDOWN_EVIL)}")
    path.write_text(text, encoding="utf-8")
    app = build_app(name="Sam", role="mentor", scenario="listen-first")

    def check() -> None:
        shown = screen_text(app)
        assert ESC not in shown, shown
        assert "[b]not bold markup[/b]" in shown and "<script>x</script>" in shown, shown
        assert "**" not in shown and "[link](javascript:alert)" in shown, shown  # no link made

    async with app.run_test(size=(120, 50)) as pilot:
        await until(pilot, lambda: isinstance(app.screen, SceneScreen), "the scene")
        check()  # a choice
        app.screen.action_choose_id("lecture")
        await until(pilot, lambda: "You chose" in screen_text(app), "the feedback")
        await pilot.press("escape")
        await until(pilot, lambda: "It is the deadlines" in screen_text(app), "the next scene")
        check()  # a choice again
        app.screen.action_choose_id("fix")
        await until(pilot, lambda: "You chose" in screen_text(app), "the feedback")
        await pilot.press("escape")
        await until(pilot, lambda: "Your decisions" in screen_text(app), "the debrief")
        check()  # the better options in the debrief
        assert "A better option here: not bold markup" not in screen_text(app)


async def test_an_answer_kept_with_an_escape_sequence_is_shown_without_it(build_app, provider):
    # Kept by a version of mentorquest that did not remove such characters: shown again in
    # its answer box, it must not drive the terminal.
    from textual.widgets import Input

    from mentorquest.players.progress import Participant

    progress = provider.open(Participant(id="sam", name="Sam", role="mentor"))
    progress.save_survey_answer("before", "hopes", "Plain \x1b[41;97mREDBG\x1b[0m \x1b[?1049l")
    app = build_app(participant="sam", name="Sam", role="mentor")
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        [box] = [i for i in app.screen.query(Input) if "REDBG" in i.value]
        assert box.value == "Plain [41;97mREDBG[0m [?1049l"
