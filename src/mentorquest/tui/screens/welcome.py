"""The welcome: the programme, what reciprocal mentoring is, and how to begin."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from mentorquest.players.journey import WELCOME_ANSWERS
from mentorquest.textsafe import label, literal
from mentorquest.tui.screens.base import JourneyScreen
from mentorquest.tui.widgets.footer import KeysFooter
from mentorquest.tui.widgets.prose import paragraphs
from mentorquest.tui.widgets.reading import MoreLine, ReadingPage
from mentorquest.tui.widgets.titlebar import TitleBar


class WelcomeScreen(JourneyScreen):
    def compose(self) -> ComposeResult:
        programme = self.conductor.programme
        yield TitleBar()
        self.title = "Welcome"
        with ReadingPage(id="welcome", classes="page"):
            yield Static(Text(label(programme.title)), classes="page-title")
            if programme.introduction is not None:
                yield Static(paragraphs(literal(programme.introduction.summary)))
            yield Static(Text("How would you like to begin?"), classes="prompt")
        yield MoreLine("More below", id="more")
        options = []
        if self.conductor.provider.returning():
            options.append(Option(Text("Continue where I left off"), id="continue"))
        options += [Option(Text(text), id=answer) for answer, text in WELCOME_ANSWERS.items()]
        yield OptionList(*options, id="welcome-options", classes="menu")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#welcome-options", OptionList).focus()
        self.call_after_refresh(self.query_one(MoreLine).show_for, self.query_one(ReadingPage))

    def on_reading_page_moved(self, event: ReadingPage.Moved) -> None:
        self.query_one(MoreLine).show_for(event.page)

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        from mentorquest.tui.screens.profile import ProfileScreen

        choice = event.option.id
        intro = self.conductor.programme.introduction
        if choice == "continue":
            known = self.conductor.provider.returning()
            if len(known) == 1:
                self.conductor.open_participant(known[0])
            else:
                self.conductor.goto(ProfileScreen())
            return
        # The answer also makes the opening decision of the programme's first scenario,
        # when the programme says which (introduction.opening): it is not asked twice.
        self.conductor.welcome_answer = choice
        text = getattr(intro, choice or "", None) if intro is not None else None
        if text:
            self.conductor.goto(IntroScreen(choice or "basics", text))
        else:
            self.conductor.goto(ProfileScreen())


class IntroScreen(JourneyScreen):
    """The introduction told for this person: the basics, or the differences."""

    BINDINGS = [
        Binding("escape", "back", "Back", id="intro.back", tooltip="Back to the welcome"),
    ]

    def __init__(self, kind: str, text: str) -> None:
        super().__init__()
        self.kind = kind
        self.text = text

    def compose(self) -> ComposeResult:
        heading = (
            "Mentoring: the basics" if self.kind == "basics" else "How reciprocal mentoring differs"
        )
        yield TitleBar()
        with ReadingPage(id="intro", classes="page"):
            yield Static(Text(heading), classes="page-title")
            yield Static(paragraphs(literal(self.text)))
        yield MoreLine("More below", id="more")
        yield Button("Continue", id="intro-continue", variant="primary")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.query_one("#intro-continue", Button).focus()
        self.call_after_refresh(self.query_one(MoreLine).show_for, self.query_one(ReadingPage))

    def on_reading_page_moved(self, event: ReadingPage.Moved) -> None:
        self.query_one(MoreLine).show_for(event.page)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        from mentorquest.tui.screens.profile import ProfileScreen

        event.stop()
        self.conductor.goto(ProfileScreen())

    def action_back(self) -> None:
        self.conductor.goto(WelcomeScreen())
