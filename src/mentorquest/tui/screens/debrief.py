"""The ending and the debrief: the verdict and why, per-rule bars, every decision and
the better alternative, stars; then "Try again" or "Back to map"."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Header, Static

from mentorquest.engine import Attempt, Debrief
from mentorquest.engine.rewards import stars
from mentorquest.players.journey import rule_name, score_words, star_text
from mentorquest.textsafe import literal
from mentorquest.tui.screens.base import JourneyScreen
from mentorquest.tui.widgets.gauges import RuleBar
from mentorquest.tui.widgets.prose import render_markdown

ENDINGS = {"strong": "A strong ending", "mixed": "A mixed ending", "poor": "A poor ending"}


class DebriefScreen(JourneyScreen):
    BINDINGS = [
        Binding("t", "again", "Try again", id="debrief.again", tooltip="Play this scenario again"),
        Binding("m", "map", "Map", id="debrief.map", tooltip="Back to the quest map"),
        Binding("escape", "map", "Map", show=False, id="debrief.map-escape", tooltip="Back to the quest map"),
    ]

    def __init__(self, attempt: Attempt, debrief: Debrief) -> None:
        super().__init__()
        self.attempt = attempt
        self.debrief = debrief

    def compose(self) -> ComposeResult:
        programme = self.conductor.programme
        result = self.debrief.result
        scene = self.attempt.scene
        yield Header()
        with VerticalScroll(id="debrief", classes="page"):
            yield Static(Text(f"Debrief: {literal(self.attempt.scenario.title)}"), classes="page-title")
            if scene.speaker:
                yield Static(Text(literal(scene.speaker) + ":", style="bold"))
            yield Static(render_markdown(literal(scene.text).strip()), id="ending-text")
            yield Static(Text(ENDINGS.get(result.ending_kind, "The end"), style="italic"))
            verdict = Text()
            if result.passed:
                verdict.append("PASSED", style="bold")
            else:
                verdict.append("NOT PASSED", style="bold")
            verdict.append(f" · {result.percent}% · ")
            if result.critical:
                names = ", ".join(rule_name(programme, r) for r in result.critical)
                verdict.append(f"a serious breach of {names}")
            else:
                verdict.append(result.reason)
            if result.practice:
                verdict.append(" · practice, does not count")
            yield Static(verdict, id="verdict", classes="verdict " + ("-passed" if result.passed else "-failed"))
            yield Static(Text(star_text(stars(result))), id="stars")
            yield Static(Text("Ground rules", style="bold underline"), classes="section")
            for score in result.scores:
                yield RuleBar(rule_name(programme, score.rule), score.earned, score.best)
            yield Static(Text("Your decisions", style="bold underline"), classes="section")
            for entry in self.debrief.entries:
                yield Static(self._entry(entry), classes="decision")
        with Horizontal(id="debrief-actions"):
            yield Button("Try again", id="again", variant="primary")
            yield Button("Back to map", id="map")
        yield Footer()

    def _entry(self, entry) -> Text:
        programme = self.conductor.programme
        text = Text()
        text.append(f"{entry.step}. {literal(entry.text)}", style="bold")
        if entry.feedback:
            text.append(f"\n   {literal(entry.feedback).strip()}")
        if entry.scores:
            text.append(f"\n   Scores: {score_words(programme, entry.scores)}")
        if entry.critical:
            text.append(f"\n   A serious breach of {rule_name(programme, entry.critical)}.")
        if entry.better is not None:
            text.append("\n   A better option here: ", style="bold")
            text.append(literal(entry.better.text))
            if entry.better.feedback:
                text.append(f"\n   Why: {literal(entry.better.feedback).strip()}")
        elif entry.was_best:
            text.append("\n   This was the best option available.")
        return text

    def on_mount(self) -> None:
        self.query_one("#again", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "again":
            self.action_again()
        else:
            self.action_map()

    def action_again(self) -> None:
        self.conductor.play(self.attempt.scenario.id, fresh=True)

    def action_map(self) -> None:
        app = self.conductor
        if app.practice:
            self.action_again()
            return
        app.show_map()
