"""Dialogs over the journey: help, ground rules, feedback, errors and export."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Input, Static

from mentorquest.engine import ChoiceOutcome
from mentorquest.players.journey import rule_name, score_words
from mentorquest.textsafe import label, literal
from mentorquest.tui.screens.base import JourneyModal
from mentorquest.tui.widgets.inputs import text_input

if TYPE_CHECKING:
    from mentorquest.tui.app import MentorquestApp

CLOSE = Binding("escape", "close", "Close", id="modal.close", tooltip="Close this dialog")

KEYS = [
    ("1-9", "pick a choice by its number"),
    ("up/down, Enter", "move between choices and pick one; the mouse works too"),
    ("g", "the ground rules in play in this scenario"),
    ("Escape", "back to the quest map (your place is saved)"),
    ("t / m", "on the debrief: try again / back to the map"),
    ("e", "on the completion screen: export your record"),
    ("Tab", "move between fields on forms; ctrl+n continues"),
    ("ctrl+p", "command palette: jump to scenarios and screens, change theme"),
    ("F2", "high-contrast theme on or off"),
    ("F1", "this help"),
    ("ctrl+q", "quit; progress is saved after every choice and answer"),
]


class _Dialog(JourneyModal[None]):
    BINDINGS = [CLOSE]

    def action_close(self) -> None:
        self.dismiss(None)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)


def rules_text(app: MentorquestApp, rule_ids: list[str]) -> Text:
    programme = app.programme
    text = Text()
    for rule_id in rule_ids:
        rule = programme.rule(rule_id)
        if rule is None:
            continue
        text.append(label(rule.name), style="bold")
        text.append(f"\n  {literal(rule.summary)}\n")
    return text


class HelpScreen(_Dialog):
    BINDINGS = [
        CLOSE,
        Binding("f1", "close", "Close", show=False, id="help.close", tooltip="Close help"),
    ]

    def compose(self) -> ComposeResult:
        keys = Text()
        for key, meaning in KEYS:
            keys.append(f"{key:>15}", style="bold")
            keys.append(f"  {meaning}\n")
        with Vertical(classes="dialog", id="help"):
            yield Static(Text("Help"), classes="dialog-title")
            with VerticalScroll():
                yield Static(
                    Text(
                        "Each scene offers choices. Every choice is scored against the "
                        "programme's ground rules; a serious breach of a rule means the "
                        "attempt cannot pass. You can try a scenario as often as you like.\n"
                    )
                )
                yield Static(Text("Keys", style="bold underline"))
                yield Static(keys)
                yield Static(Text("Ground rules", style="bold underline"))
                yield Static(
                    rules_text(
                        self.conductor, [r.id for r in self.conductor.programme.ground_rules]
                    )
                )
            yield Button("Close", id="close", variant="primary")

    def on_mount(self) -> None:
        self.query_one(Button).focus()


class RulesScreen(_Dialog):
    def __init__(self, rule_ids: list[str]) -> None:
        super().__init__()
        self.rule_ids = rule_ids

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="rules"):
            yield Static(Text("Ground rules in play"), classes="dialog-title")
            with VerticalScroll():
                yield Static(rules_text(self.conductor, self.rule_ids))
            yield Button("Close", id="close", variant="primary")

    def on_mount(self) -> None:
        self.query_one(Button).focus()


class FeedbackScreen(_Dialog):
    """Feedback right after a choice, when the programme's feedback is immediate."""

    BINDINGS = [
        Binding("escape", "close", "Continue", id="feedback.close", tooltip="Continue"),
        Binding("space", "close", "Continue", show=False, id="feedback.space", tooltip="Continue"),
    ]

    def __init__(self, outcome: ChoiceOutcome) -> None:
        super().__init__()
        self.outcome = outcome

    def compose(self) -> ComposeResult:
        programme = self.conductor.programme
        outcome = self.outcome
        body = Text()
        body.append("You chose: ", style="bold")
        body.append(literal(outcome.text))
        if outcome.feedback:
            body.append("\n\n" + literal(outcome.feedback).strip())
        if outcome.scores:
            body.append("\n\nScores: ", style="bold")
            body.append(score_words(programme, outcome.scores))
        if outcome.critical:
            body.append(
                f"\n\nThis is a serious breach of {rule_name(programme, outcome.critical)}: "
                "this attempt cannot pass.",
                style="bold",
            )
        with Vertical(classes="dialog", id="feedback"):
            yield Static(Text("Feedback"), classes="dialog-title")
            with VerticalScroll():
                yield Static(body)
            yield Button("Continue", id="continue", variant="primary")

    def on_mount(self) -> None:
        self.query_one(Button).focus()


class ErrorScreen(_Dialog):
    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self.title_text = title
        self.message = message

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog -error", id="error"):
            yield Static(Text(self.title_text), classes="dialog-title")
            with VerticalScroll():
                yield Static(Text(literal(self.message)))
            yield Button("OK", id="ok", variant="primary")

    def on_mount(self) -> None:
        self.query_one(Button).focus()


class ExportScreen(JourneyModal[Path | None]):
    BINDINGS = [CLOSE]

    def __init__(self, default: Path) -> None:
        super().__init__()
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog", id="export"):
            yield Static(Text("Export your record"), classes="dialog-title")
            yield Static(
                Text("Save the signed record to this file, then send it to your coordinator:")
            )
            yield text_input(
                value=str(self.default),
                id="export-path",
                cursor_blink=self.conductor.options.cursor_blink,
            )
            yield Button("Export", id="export-button", variant="primary")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._done()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self._done()

    def _done(self) -> None:
        value = self.query_one(Input).value.strip()
        self.dismiss(Path(value).expanduser() if value else None)

    def action_close(self) -> None:
        self.dismiss(None)
