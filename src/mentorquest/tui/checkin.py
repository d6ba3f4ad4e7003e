"""`mentorquest checkin` in the Textual app: a later stage's questions, on the survey screen.

The check-in is the player's own app (`MentorquestApp`: its keys, help, themes, errors)
routed differently: who is checking in (a participant who completed onboarding), then the
stage's questions on the same `SurveyScreen` the onboarding survey uses, then a thank-you.
Who may check in and what is left to answer are `players.checkin`'s, shared with the line
mode.
"""

from __future__ import annotations

import contextlib
from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from mentorquest.engine import Engine
from mentorquest.errors import MentorquestError, print_error
from mentorquest.language.library import Library
from mentorquest.players.checkin import Checkin
from mentorquest.players.config import PlayConfig
from mentorquest.players.journey import profile_labels
from mentorquest.players.progress import Participant, ProgressProvider
from mentorquest.textsafe import label
from mentorquest.tui.app import AppOptions, MentorquestApp
from mentorquest.tui.screens.base import JourneyScreen
from mentorquest.tui.widgets.footer import KeysFooter
from mentorquest.tui.widgets.titlebar import TitleBar


class CheckinApp(MentorquestApp):
    """The player's app, asking one check-in stage of one participant."""

    def __init__(
        self,
        config: PlayConfig,
        provider: ProgressProvider,
        library: Library,
        options: AppOptions,
        checkin: Checkin,
        engine: Engine | None = None,
    ) -> None:
        super().__init__(config, provider, library, options, engine)
        self.checkin = checkin
        self.sub_title = checkin.name

    def _starts_at_welcome(self) -> bool:
        return False

    def begin(self) -> None:
        if self.config.participant:
            self.check_in(self.config.participant, from_command_line=True)
            return
        people = self.checkin.completed()
        if not people:
            self.fail(
                MentorquestError(
                    f"no one in this store has completed onboarding of "
                    f"'{self.checkin.programme_id}' yet, so there is no check-in to answer"
                )
            )
            return
        self.goto(WhoScreen(people))

    def check_in(self, participant_id: str, *, from_command_line: bool = False) -> None:
        try:
            participant = self.checkin.participant(participant_id)
        except MentorquestError as error:
            if from_command_line:
                self.fail(error)
            else:
                self.show_error(error)
            return
        self.open_participant(participant, from_command_line=from_command_line)

    def _use(self, participant: Participant, progress: Any) -> None:
        super()._use(participant, progress)
        self.sub_title = f"{label(participant.name)} · {self.checkin.name}"

    def route(self) -> None:
        from mentorquest.tui.screens.survey import SurveyScreen

        assert self.progress is not None
        if self.checkin.stage in self.skipped_surveys or not self.checkin.pending(self.progress):
            self.goto(ThanksScreen(answered_before=self.checkin.stage not in self.skipped_surveys))
            return
        self.goto(SurveyScreen(self.checkin.stage))

    def finish_onboarding(self) -> None:
        # The survey screen calls this once its stage is answered: the check-in is done.
        self.route()

    def show_map(self) -> None:
        self.route()  # a check-in has no quest map


class WhoScreen(JourneyScreen):
    """Who is checking in: the participants who completed onboarding."""

    def __init__(self, people: list[Participant]) -> None:
        super().__init__()
        self.people = people

    def compose(self) -> ComposeResult:
        app = self.app
        assert isinstance(app, CheckinApp)
        yield TitleBar()
        with VerticalScroll(classes="page"):
            yield Static(Text(f"{app.checkin.name.capitalize()}"), classes="page-title")
            yield Static(Text("Who is checking in? Choose your name and press Enter."))
        yield OptionList(
            *[
                # Names and roles, not ids (often email addresses): machines are shared.
                Option(Text(shown), id=f"who-{n}")
                for n, shown in enumerate(profile_labels(self.people))
            ],
            id="who",
            classes="menu",
        )
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#who", OptionList).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        app = self.app
        assert isinstance(app, CheckinApp)
        person = self.people[event.option_index]
        app.check_in(person.id)


class ThanksScreen(JourneyScreen):
    """The end of a check-in."""

    BINDINGS = [
        Binding("enter", "done", "Done", id="checkin.done", tooltip="Close the check-in"),
    ]

    def __init__(self, *, answered_before: bool) -> None:
        super().__init__()
        self.answered_before = answered_before

    def compose(self) -> ComposeResult:
        app = self.app
        assert isinstance(app, CheckinApp)
        name = label(app.participant.name) if app.participant else ""
        if self.answered_before:
            day = app.checkin.answered_on(app.participant.id) if app.participant else None
            text = (
                f"Thank you, {name}: you answered the {app.checkin.name} on {day or 'an earlier day'}."
                " Nothing more to ask."
            )
        else:
            text = f"Thank you, {name}. Your answers are saved."
        yield TitleBar()
        with VerticalScroll(classes="page"):
            yield Static(Text(app.checkin.name.capitalize()), classes="page-title")
            yield Static(Text(text), id="thanks")
            yield Button("Done", id="checkin-done", variant="primary")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#checkin-done", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_done()

    def action_done(self) -> None:
        self.app.exit(0)


def make_checkin_app(
    config: PlayConfig,
    provider: ProgressProvider,
    library: Library,
    checkin: Checkin,
    options: AppOptions | None = None,
) -> CheckinApp:
    """The check-in app (the one factory the command and the tests share)."""
    return CheckinApp(config, provider, library, options or AppOptions(), checkin)


def launch_checkin(config: PlayConfig, stage: str) -> int:
    """Open the library and the store, and run the check-in app; errors as the CLI's."""
    from mentorquest.language.compiled import open_library
    from mentorquest.players.stored import StoreProvider
    from mentorquest.store import open_store

    with contextlib.ExitStack() as stack:
        try:
            library = open_library(config.library)
            store = stack.enter_context(open_store(config.db_url))
            checkin = Checkin(store, library, stage)
            if config.participant:
                checkin.participant(config.participant)  # refused before any screen is drawn
            provider = StoreProvider(store, library, Engine(library))
            app = make_checkin_app(config, provider, library, checkin)
        except MentorquestError as error:
            print_error(error)
            return error.exit_code
        result = app.run()
    if app.exit_error is not None:
        print_error(app.exit_error)
        return app.exit_error.exit_code
    return result if isinstance(result, int) else 0
