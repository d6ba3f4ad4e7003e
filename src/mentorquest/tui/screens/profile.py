"""Who are you: pick a profile on this machine, or start a new one."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Button, Input, OptionList, RadioSet, Static
from textual.widgets.option_list import Option

from mentorquest.errors import UsageError
from mentorquest.players.journey import check_participant_id, profile_labels
from mentorquest.players.progress import Participant
from mentorquest.tui.screens.base import JourneyScreen
from mentorquest.tui.widgets.footer import KeysFooter
from mentorquest.tui.widgets.inputs import text_input
from mentorquest.tui.widgets.marked import MarkedRadioButton
from mentorquest.tui.widgets.titlebar import TitleBar


class ProfileScreen(JourneyScreen):
    BINDINGS = [
        Binding(
            "ctrl+n",
            "start",
            "Start",
            id="profile.start",
            tooltip="Start with the new profile filled in below",
        ),
    ]

    def compose(self) -> ComposeResult:
        app = self.conductor
        known = app.provider.participants()
        returning = app.provider.returning()
        roles = app.programme.roles
        fixed_role = app.config.role or (roles[0] if len(roles) == 1 else None)
        self._error_shown = False
        self._known = known  # everyone in the store: a new profile must not take their id
        self._returning = returning  # those who have begun this programme: to pick from
        self._fixed_role = fixed_role
        yield TitleBar()
        with VerticalScroll(id="profile", classes="page"):
            yield Static(Text("Who are you?"), classes="page-title")
            if returning:
                yield Static(Text("Pick your profile:"))
                yield OptionList(
                    *[
                        Option(Text(shown), id=f"p{i}")
                        for i, shown in enumerate(profile_labels(returning))
                    ],
                    id="profiles",
                    classes="menu",
                )
                yield Static(Text("Or start a new profile:"), classes="prompt")
            yield Static(Text("Your name"), classes="field-label")
            yield text_input(
                value=app.config.name or "",
                placeholder="e.g. Sam Taylor",
                id="name",
                cursor_blink=app.options.cursor_blink,
            )
            yield Static(Text("Email or participant id (optional)"), classes="field-label")
            yield text_input(
                value=app.config.email or app.config.participant or "",
                id="ident",
                cursor_blink=app.options.cursor_blink,
            )
            if fixed_role is None:
                yield Static(Text("Your role in the programme"), classes="field-label")
                yield RadioSet(*[MarkedRadioButton(role) for role in roles], id="role")
            else:
                yield Static(Text(f"Your role: {fixed_role}"), classes="field-label")
            yield Static("", id="profile-error", classes="error-text")
            yield Button("Start", id="start", variant="primary")
        yield KeysFooter()

    def on_mount(self) -> None:
        if self._returning:
            self.query_one("#profiles", OptionList).focus()
        else:
            self.query_one("#name", Input).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        index = int((event.option.id or "p0")[1:])
        self.conductor.open_participant(self._returning[index])

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_start()

    def _form(self) -> tuple[str, str, str | None, list[str]]:
        """The name, id and role typed so far, and what is still wrong with them."""
        name = self.query_one("#name", Input).value.strip()
        ident = self.query_one("#ident", Input).value.strip()
        role = self._fixed_role
        if role is None:
            pressed = self.query_one("#role", RadioSet).pressed_button
            role = str(pressed.label) if pressed is not None else None
        problems = []
        if not name:
            problems.append("Please type your name.")
        if role is None:
            problems.append("Please choose your role.")
        if ident:
            try:
                check_participant_id(ident)
            except UsageError as error:
                problems.append(f"{str(error).capitalize()}.")
        return name, ident, role, problems

    def _recheck(self) -> None:
        """Once an error is shown, it follows the form: what is corrected leaves it."""
        error = self.query_one("#profile-error", Static)
        if self._error_shown:
            problems = self._form()[3]
            error.update(Text(" ".join(problems)))
            self._error_shown = bool(problems)

    def on_input_changed(self, event: Input.Changed) -> None:
        self._recheck()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        self._recheck()

    def action_start(self) -> None:
        app = self.conductor
        name, ident, role, problems = self._form()
        if problems:
            message = " ".join(problems)
            self.query_one("#profile-error", Static).update(Text(message))
            self._error_shown = True
            self.notify(message, severity="warning", markup=False)
            return
        email = ident if "@" in ident else None
        existing = next(
            (
                p
                for p in self._known
                if (ident and p.id == ident)
                or (not ident and p.name.casefold() == name.casefold() and p.role == role)
            ),
            None,
        )
        participant = existing or Participant(
            id=ident if ident and not email else app.new_participant_id(name, email),
            name=name,
            role=role or "",
            email=email,
        )
        app.open_participant(participant)
