"""The debrief: the verdict first (passed or not, percent, stars), then how the scenario
ended, how each ground rule went, and every decision with its feedback and the better
option; then "Try again" or "Back to map".

The page opens with focus, so that Down and PageDown read on from the first key; the
buttons stay in view under it, and t and m work from anywhere on the screen.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Button, Static

from mentorquest.engine import Attempt, Debrief, DebriefEntry
from mentorquest.engine.rewards import stars
from mentorquest.players.journey import critical_words, decision_parts, rule_name, star_text
from mentorquest.players.standings import rule_standings
from mentorquest.textsafe import label, literal
from mentorquest.tui.screens.base import JourneyScreen
from mentorquest.tui.widgets.footer import KeysFooter
from mentorquest.tui.widgets.gauges import LEGEND, RuleBar
from mentorquest.tui.widgets.prose import render_markdown
from mentorquest.tui.widgets.reading import MoreLine, ReadingPage
from mentorquest.tui.widgets.titlebar import TitleBar

# How each part of a decision is laid out: its label and the label's style. Parts whose
# words come from the scenario file are Markdown, drawn by the scene text's renderer.
_LAYOUT = {
    "feedback": ("", None),
    "scores": ("Scores: ", None),
    "critical": ("A serious breach of ", None),
    "better": ("A better option here: ", "bold"),
    "why": ("Why: ", None),
    "best": ("", None),
}
_MARKDOWN = {"feedback", "better", "why"}

ENDINGS = {"strong": "A strong ending", "mixed": "A mixed ending", "poor": "A poor ending"}


class DebriefScreen(JourneyScreen):
    AUTO_FOCUS = None  # the page takes focus (see on_mount)

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
        self.title = f"Debrief: {label(self.attempt.scenario.title)}"
        yield TitleBar()
        with ReadingPage(id="debrief", classes="page"):
            yield Static(
                self._verdict(),
                id="verdict",
                classes="verdict " + ("-passed" if result.passed else "-failed"),
            )
            yield Static(
                Text(
                    "Below: how it ended, how each ground rule went, and each decision "
                    "with its feedback and a better option.",
                    style="italic",
                ),
                id="debrief-guide",
                classes="hint",
            )
            yield Static(
                Text(ENDINGS.get(result.ending_kind, "How it ended"), style="bold underline"),
                classes="section",
            )
            if scene.speaker:
                yield Static(Text(label(scene.speaker) + ":", style="bold"))
            yield Static(render_markdown(literal(scene.text).strip()), id="ending-text")
            yield Static(Text("Ground rules", style="bold underline"), classes="section")
            yield Static(Text(LEGEND), classes="hint", id="rule-legend")
            for standing in rule_standings(self.attempt, result):
                yield RuleBar(rule_name(programme, standing.rule), standing)
            yield Static(Text("Your decisions", style="bold underline"), classes="section")
            for entry in self.debrief.entries:
                yield Static(self._choice(entry), classes="decision")
                yield Static(self._details(entry), classes="decision-details")
        yield MoreLine("More of the debrief below", id="more")
        with Horizontal(id="debrief-actions"):
            yield Button("Try again", id="again", variant="primary")
            if not self.conductor.practice:
                yield Button("Back to map", id="map")
        yield KeysFooter()

    def _verdict(self) -> Text:
        programme = self.conductor.programme
        result = self.debrief.result
        verdict = Text()
        verdict.append("PASSED" if result.passed else "NOT PASSED", style="bold")
        verdict.append(f" · {result.percent}%")
        if result.passed:
            verdict.append(f" · {star_text(stars(result))}")
        verdict.append("\n")
        if result.critical:
            verdict.append(critical_words(programme, result.critical).capitalize())
        else:
            verdict.append(result.reason.capitalize())
        if result.practice:
            verdict.append(" · practice, does not count")
        return verdict

    @staticmethod
    def _choice(entry: DebriefEntry) -> Text:
        text = Text(f"{entry.step}. ")
        text.append_text(render_markdown(literal(entry.text).strip()))
        text.stylize("bold")
        return text

    def _details(self, entry: DebriefEntry) -> Text:
        text = Text()
        for part in decision_parts(self.conductor.programme, entry):
            if part.kind == "choice":
                continue
            lead, style = _LAYOUT[part.kind]
            if text:
                text.append("\n")
            if lead:
                text.append(lead, style=style)
            if part.kind in _MARKDOWN:
                text.append_text(render_markdown(part.text))
            else:
                text.append(part.text)
            if part.kind == "critical":
                text.append(".")
        return text

    def on_mount(self) -> None:
        page = self.query_one("#debrief", ReadingPage)
        page.focus(scroll_visible=False)
        self.call_after_refresh(self.query_one(MoreLine).show_for, page)

    def on_reading_page_moved(self, event: ReadingPage.Moved) -> None:
        self.query_one(MoreLine).show_for(event.page)

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
