"""Dialogs over the journey: help, ground rules, feedback, errors and export.

Every dialog has the same shape, so that it works at 60x20 as at 200x60: its title on
top, a body that scrolls (and says when there is more), its buttons always in view under
it, and a footer with the dialog's own keys. When the body is longer than the room it
has, it takes focus so that the arrows scroll it; Enter still does what the main button
does, and Tab reaches every button.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ScreenResultType
from textual.widget import Widget
from textual.widgets import Button, Input, Static

from mentorquest.engine import ChoiceOutcome
from mentorquest.players.journey import rule_name, score_words
from mentorquest.textsafe import label, literal
from mentorquest.tui.screens.base import JourneyModal
from mentorquest.tui.widgets.footer import KeysFooter
from mentorquest.tui.widgets.inputs import text_input
from mentorquest.tui.widgets.prose import render_markdown
from mentorquest.tui.widgets.reading import MoreLine, ReadingPage

if TYPE_CHECKING:
    from collections.abc import Iterable

    from mentorquest.tui.app import MentorquestApp


class Dialog(JourneyModal[ScreenResultType]):
    """A titled dialog: a scrolling body, buttons that stay in view, and a footer."""

    AUTO_FOCUS = None  # placed once the dialog is laid out (see `settle`)
    BINDINGS = [
        Binding("escape", "close", "Close", id="dialog.close", tooltip="Close the dialog"),
        Binding(
            "enter",
            "default",
            "Close",
            show=False,
            id="dialog.enter",
            tooltip="Do what the dialog's first button does",
        ),
    ]
    heading = ""
    dialog_id = "dialog"
    dialog_classes = ""

    def compose(self) -> ComposeResult:
        with Vertical(classes=f"dialog {self.dialog_classes}".strip(), id=self.dialog_id):
            yield Static(Text(self.heading), classes="dialog-title")
            with ReadingPage(classes="dialog-body"):
                yield from self.body()
            with Vertical(classes="dialog-foot"):
                yield MoreLine("More below", classes="dialog-more")
                with Horizontal(classes="dialog-buttons"):
                    yield from self.buttons()
        yield KeysFooter()

    def body(self) -> Iterable[Widget]:
        return []

    def buttons(self) -> Iterable[Button]:
        yield Button("Close", id="close", variant="primary")

    def on_mount(self) -> None:
        self.call_after_refresh(self.settle)

    def settle(self) -> None:
        """Focus the body when it must scroll (the arrows then scroll it), else the button."""
        body = self.query_one(".dialog-body", ReadingPage)
        self.query_one(".dialog-more", MoreLine).show_for(body)
        if body.more_below:
            body.focus(scroll_visible=False)
        else:
            self.query(Button).first().focus()

    def on_reading_page_moved(self, event: ReadingPage.Moved) -> None:
        self.query_one(".dialog-more", MoreLine).show_for(event.page)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_default()

    def action_default(self) -> None:
        self.action_close()

    def action_close(self) -> None:
        self.dismiss(None)


def rules_table(app: MentorquestApp, rule_ids: Iterable[str]) -> Table:
    """The ground rules, numbered, each with its summary (wrapped under its name)."""
    programme = app.programme
    table = Table.grid(padding=(0, 1, 1, 0))
    table.add_column(no_wrap=True, justify="right")
    table.add_column()
    rules = [rule for rule in (programme.rule(r) for r in rule_ids) if rule is not None]
    for number, rule in enumerate(rules, start=1):
        text = Text(label(rule.name), style="bold")
        text.append(f"\n{literal(rule.summary).strip()}", style="not bold")
        table.add_row(Text(f"{number}."), text)
    return table


class HelpScreen(Dialog[None]):
    """How to play, every key (read from the bindings, with the player's keymap), and the
    ground rules."""

    BINDINGS = [
        Binding("f1", "close", "Close", show=False, id="help.close", tooltip="Close help"),
    ]
    heading = "Help"
    dialog_id = "help"
    dialog_classes = "-wide"

    def body(self) -> Iterable[Widget]:
        from mentorquest.tui.keys import help_sections

        app = self.conductor
        yield Static(
            Text(
                "Each scene offers choices. Every choice is scored against the programme's "
                "ground rules; a serious breach of a rule means the attempt cannot pass. You "
                "can try a scenario as often as you like, and your progress is saved after "
                "every choice."
            )
        )
        for section in help_sections(app.keymap):
            if section.title:
                yield Static(Text(section.title, style="bold underline"), classes="help-section")
            table = Table.grid(padding=(0, 2))
            table.add_column(style="bold", no_wrap=True, min_width=6)
            table.add_column()
            for line in section.lines:
                table.add_row(line.keys, line.meaning)
            yield Static(table)
        yield Static(Text("Ground rules", style="bold underline"), classes="help-section")
        yield Static(rules_table(app, [r.id for r in app.programme.ground_rules]))
        yield Static(
            Text(
                "Keys can be changed in the configuration file: see 'Changing keys' in the README."
            ),
            classes="help-section hint",
        )


class RulesScreen(Dialog[None]):
    dialog_id = "rules"

    def __init__(self, rule_ids: list[str], *, in_play: bool = True) -> None:
        super().__init__()
        self.rule_ids = rule_ids
        self.heading = "Ground rules in play" if in_play else "The programme's ground rules"

    def body(self) -> Iterable[Widget]:
        yield Static(rules_table(self.conductor, self.rule_ids))


CONTINUE = "Close the feedback and go on to the next scene"


class FeedbackScreen(Dialog[None]):
    """Feedback right after a choice, when the programme's feedback is immediate."""

    BINDINGS = [
        # Esc is the key shown: a focused button hides Enter from the footer (its own
        # Enter binding wins), and Esc closes the dialog whatever has focus.
        Binding("escape", "close", "Continue", id="feedback.close", tooltip=CONTINUE),
        Binding("enter", "close", "Continue", show=False, id="feedback.enter", tooltip=CONTINUE),
        Binding("space", "close", "Continue", show=False, id="feedback.space", tooltip=CONTINUE),
    ]
    heading = "Feedback"
    dialog_id = "feedback"

    def __init__(self, outcome: ChoiceOutcome) -> None:
        super().__init__()
        self.outcome = outcome

    def body(self) -> Iterable[Widget]:
        programme = self.conductor.programme
        outcome = self.outcome
        chosen = Text("You chose: ", style="bold")
        chosen.append_text(render_markdown(literal(outcome.text).strip()))
        yield Static(chosen, id="feedback-choice")
        if outcome.feedback:
            yield Static(render_markdown(literal(outcome.feedback).strip()), id="feedback-text")
        if outcome.scores:
            scores = Text("Scores: ", style="bold")
            scores.append(score_words(programme, outcome.scores))
            yield Static(scores, id="feedback-scores")
        if outcome.critical:
            yield Static(
                Text(
                    f"This is a serious breach of {rule_name(programme, outcome.critical)}: "
                    "this attempt cannot pass.",
                    style="bold",
                ),
                id="feedback-critical",
            )

    def buttons(self) -> Iterable[Button]:
        yield Button("Continue", id="continue", variant="primary")


class ErrorScreen(Dialog[None]):
    dialog_id = "error"
    dialog_classes = "-error"

    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self.heading = title
        self.message = message

    def body(self) -> Iterable[Widget]:
        yield Static(Text(literal(self.message)))

    def buttons(self) -> Iterable[Button]:
        yield Button("OK", id="ok", variant="primary")


def shown_path(path: Path) -> str:
    """A path as a person reads it: under their home folder as ~/..."""
    try:
        return "~/" + str(path.relative_to(Path.home()))
    except ValueError:
        return str(path)


class ExportScreen(Dialog[Path | None]):
    """Where to write the signed record: a path to edit, the whole of it shown in full
    under the field, and a second Export to replace a file that is already there."""

    BINDINGS = [
        Binding("escape", "close", "Cancel", id="export.cancel", tooltip="Export nothing"),
    ]
    heading = "Export your record"
    dialog_id = "export"

    def __init__(self, default: Path) -> None:
        super().__init__()
        self.default = default
        self._confirmed: Path | None = None

    def body(self) -> Iterable[Widget]:
        yield Static(
            Text(
                "Your signed record is written to this file; send the file to your "
                "programme coordinator. Edit the folder or the name if you like."
            )
        )
        yield text_input(
            value=shown_path(self.default),
            id="export-path",
            cursor_blink=self.conductor.options.cursor_blink,
            select_on_focus=False,  # the path is edited, not typed over
        )
        problem = Static("", id="export-problem", classes="error-text")
        problem.display = False
        yield problem
        yield Static(self._target_text(self.default), id="export-target")

    def buttons(self) -> Iterable[Button]:
        yield Button("Export", id="export-button", variant="primary")
        yield Button("Cancel", id="cancel")

    def settle(self) -> None:
        super().settle()
        field = self.query_one(Input)
        field.cursor_position = 0  # the folder in view; the whole path is shown below
        field.focus()

    def _target(self) -> Path | None:
        value = self.query_one(Input).value.strip()
        if not value:
            return None
        path = Path(value).expanduser()
        if path.is_dir():
            path = path / self.default.name
        return path

    @staticmethod
    def _target_text(path: Path | None) -> Text:
        text = Text("It will be saved as: ", style="bold")
        text.append(str(path) if path is not None else "(type a file name)")
        return text

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._confirmed = None
        self.query_one("#export-target", Static).update(self._target_text(self._target()))
        self.query_one("#export-problem", Static).display = False

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_default()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "cancel":
            self.action_close()
        else:
            self.action_default()

    def _problem(self, text: str) -> None:
        problem = self.query_one("#export-problem", Static)
        problem.update(Text(text))
        problem.display = True
        self.call_after_refresh(problem.scroll_visible, animate=False)

    def action_default(self) -> None:
        path = self._target()
        if path is None:
            self._problem("Type where to save the record, or press Esc to cancel.")
            return
        if path.exists() and self._confirmed != path:
            self._confirmed = path
            self._problem(
                "A file of that name is already there. Press Export again to replace it, "
                "or change the name."
            )
            return
        self.dismiss(path)
