"""Who are you: pick a profile on this machine, or start a new one."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Button, Footer, Header, Input, OptionList, RadioSet, Static
from textual.widgets.option_list import Option

from mentorquest.errors import UsageError
from mentorquest.players.journey import check_participant_id
from mentorquest.players.progress import Participant
from mentorquest.textsafe import label
from mentorquest.tui.screens.base import JourneyScreen
from mentorquest.tui.widgets.inputs import text_input
from mentorquest.tui.widgets.marked import MarkedRadioButton


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
        roles = app.programme.roles
        fixed_role = app.config.role or (roles[0] if len(roles) == 1 else None)
        self._known = known
        self._fixed_role = fixed_role
        yield Header()
        with VerticalScroll(id="profile", classes="page"):
            yield Static(Text("Who are you?"), classes="page-title")
            if known:
                yield Static(Text("Pick your profile:"))
                yield OptionList(
                    *[
                        Option(Text(f"{label(p.name)} ({label(p.role)})"), id=f"p{i}")
                        for i, p in enumerate(known)
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
        yield Footer()

    def on_mount(self) -> None:
        if self._known:
            self.query_one("#profiles", OptionList).focus()
        else:
            self.query_one("#name", Input).focus()

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        index = int((event.option.id or "p0")[1:])
        self.conductor.open_participant(self._known[index])

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self.focus_next()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_start()

    def action_start(self) -> None:
        app = self.conductor
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
        if problems:
            message = " ".join(problems)
            self.query_one("#profile-error", Static).update(Text(message))
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
