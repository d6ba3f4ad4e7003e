"""The ending and the debrief: the verdict and why, per-rule bars, every decision and
the better alternative, stars; then "Try again" or "Back to map"."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Footer, Header, Static

from mentorquest.engine import Attempt, Debrief, DebriefEntry
from mentorquest.engine.rewards import stars
from mentorquest.players.journey import critical_words, decision_parts, rule_name, star_text
from mentorquest.textsafe import label, literal
from mentorquest.tui.screens.base import JourneyScreen
from mentorquest.tui.widgets.gauges import RuleBar
from mentorquest.tui.widgets.prose import render_markdown

# How each part of a decision is laid out: its label, the label's style, what follows.
_LAYOUT = {
    "choice": ("", "bold", ""),
    "feedback": ("", None, ""),
    "scores": ("Scores: ", None, ""),
    "critical": ("A serious breach of ", None, "."),
    "better": ("A better option here: ", "bold", ""),
    "why": ("Why: ", None, ""),
    "best": ("", None, ""),
}

ENDINGS = {"strong": "A strong ending", "mixed": "A mixed ending", "poor": "A poor ending"}


class DebriefScreen(JourneyScreen):
    BINDINGS = [
        Binding("t", "again", "Try again", id="debrief.again", tooltip="Play this scenario again"),
        Binding("m", "map", "Map", id="debrief.map", tooltip="Back to the quest map"),
        Binding(
            "escape",
            "map",
            "Map",
            show=False,
            id="debrief.map-escape",
            tooltip="Back to the quest map",
        ),
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
            yield Static(
                Text(f"Debrief: {label(self.attempt.scenario.title)}"), classes="page-title"
            )
            if scene.speaker:
                yield Static(Text(label(scene.speaker) + ":", style="bold"))
            yield Static(render_markdown(literal(scene.text).strip()), id="ending-text")
            yield Static(Text(ENDINGS.get(result.ending_kind, "The end"), style="italic"))
            verdict = Text()
            if result.passed:
                verdict.append("PASSED", style="bold")
            else:
                verdict.append("NOT PASSED", style="bold")
            verdict.append(f" · {result.percent}% · ")
            if result.critical:
                verdict.append(critical_words(programme, result.critical))
            else:
                verdict.append(result.reason)
            if result.practice:
                verdict.append(" · practice, does not count")
            yield Static(
                verdict,
                id="verdict",
                classes="verdict " + ("-passed" if result.passed else "-failed"),
            )
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

    def _entry(self, entry: DebriefEntry) -> Text:
        text = Text()
        for part in decision_parts(self.conductor.programme, entry):
            label, style, after = _LAYOUT[part.kind]
            if text:
                text.append("\n   ")
            if label:
                text.append(label, style=style)
            text.append(part.text, style=None if label else style)
            text.append(after)
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
