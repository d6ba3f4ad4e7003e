"""A scene: who speaks, what happens (Markdown), the meter, and numbered choices.

Choices are picked by digit (1-9), by arrows and Enter, or with the mouse. After each
choice the attempt is autosaved; feedback shows at once or waits for the debrief, as
the programme says.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from mentorquest.engine import Attempt
from mentorquest.errors import MentorquestError
from mentorquest.players.journey import WELCOME_ANSWERS
from mentorquest.textsafe import label, literal
from mentorquest.tui.screens.base import JourneyScreen
from mentorquest.tui.widgets.choices import ChoiceItem
from mentorquest.tui.widgets.footer import KeysFooter
from mentorquest.tui.widgets.gauges import MeterGauge
from mentorquest.tui.widgets.prose import render_markdown
from mentorquest.tui.widgets.reading import MoreLine, ReadingPage
from mentorquest.tui.widgets.titlebar import TitleBar

CHOOSE = [
    Binding(
        str(n),
        f"choose({n})",
        "Choose",
        key_display="1-9",
        show=(n == 1),
        id=f"scene.choose-{n}",
        tooltip=f"Pick choice {n}" if n > 1 else "Pick a choice by its number",
    )
    for n in range(1, 10)
]

# A scene offers at most this many choices at once (the digits 1-9); the widgets are
# made once per screen and reused from scene to scene, so a choice repaints quickly.
MOST_CHOICES = 9


class StoryPage(ReadingPage):
    """The story, the meter and the choices, read top to bottom as one page."""

    BINDINGS = [
        Binding(
            "down",
            "read_on",
            "Read on",
            id="scene.read-on",
            tooltip="Scroll the story down; at its end, highlight the first choice",
        ),
    ]

    def action_read_on(self) -> None:
        screen = self.screen
        if isinstance(screen, SceneScreen):
            screen.read_on()


class SceneScreen(JourneyScreen):
    AUTO_FOCUS = None  # focus is placed once the scene is laid out (see `settle`)

    BINDINGS = [
        *CHOOSE,
        Binding(
            "escape",
            "map",
            "Map",
            id="scene.map",
            tooltip="Back to the quest map; this scene is saved and waits for you",
        ),
    ]

    def __init__(self, attempt: Attempt) -> None:
        super().__init__()
        self.attempt = attempt

    def compose(self) -> ComposeResult:
        meter = self.attempt.meter()
        self.title = self._heading()
        yield TitleBar()
        with StoryPage(id="story"):
            yield Static(self._speaker(), id="speaker")
            yield Static(self._text(), id="scene-text")
            if meter is not None:
                yield MeterGauge(*meter, id="meter")
            yield Static(self._prompt(), id="choose-prompt")
            for _ in range(MOST_CHOICES):
                yield ChoiceItem(classes="choice")
        yield MoreLine("More of the scene below", id="more")
        yield KeysFooter()

    def on_mount(self) -> None:
        self._show_choices()
        self.call_after_refresh(self.settle)

    # --- what is shown -----------------------------------------------------------------

    def _heading(self) -> str:
        attempt = self.attempt
        made = len(attempt.state.path)
        heading = label(attempt.scenario.title)
        heading += f" · decision {made + 1}" if not attempt.finished else " · the end"
        if attempt.state.practice:
            heading += " · practice, does not count"
        return heading

    def _speaker(self) -> Text:
        speaker = self.attempt.scene.speaker
        return Text(label(speaker) + ":" if speaker else "", style="bold")

    def _text(self) -> Text:
        # One Text in one Static: Markdown is interpreted, Rich markup never is, and the
        # next scene repaints in one update rather than remounting blocks.
        return render_markdown(literal(self.attempt.scene.text).strip())

    def _welcome_choice(self) -> str | None:
        """The choice the welcome's answer makes here, if it makes one (then it is the only
        option, shown as the answer already given: the question is not asked twice)."""
        journey = getattr(self.conductor, "journey", None)
        return journey.answered_at_welcome(self.attempt) if journey is not None else None

    def _offered(self) -> list[tuple[int, str, Text]]:
        """The choices shown: number, id and text (Markdown, rendered literally)."""
        preset = self._welcome_choice()
        journey = getattr(self.conductor, "journey", None)
        if preset is not None and journey is not None:
            answer = WELCOME_ANSWERS[journey.welcome_answer or ""]
            return [(1, preset, Text(f"Continue (at the welcome you said: {answer})"))]
        return [
            (offered.number, offered.id, render_markdown(literal(offered.text)))
            for offered in self.attempt.choices()
        ]

    def _prompt(self) -> Text:
        count = 1 if self._welcome_choice() is not None else len(self.attempt.choices())
        if count == 0:
            return Text("")
        keys = "1" if count == 1 else f"1-{count}"
        return Text(f"What do you do? ({keys})", style="bold")

    def _show_choices(self) -> None:
        offered = self._offered()
        for index, item in enumerate(self.query(ChoiceItem)):
            if index < len(offered):
                item.show_choice(*offered[index])
                item.display = True
            else:
                item.display = False

    def show_scene(self) -> None:
        """Update in place (no recompose) so a choice renders the next scene quickly."""
        self.title = self._heading()
        self.query_one(TitleBar).refresh()
        self.query_one("#speaker", Static).update(self._speaker())
        self.query_one("#scene-text", Static).update(self._text())
        self.query_one("#choose-prompt", Static).update(self._prompt())
        meter = self.attempt.meter()
        if meter is not None:
            gauges = self.query(MeterGauge)
            if gauges:
                gauges.first().set_value(*meter)
        self._show_choices()
        story = self.query_one("#story", StoryPage)
        story.scroll_home(animate=False, immediate=True)
        self.call_after_refresh(self.settle)

    # --- reading and moving ----------------------------------------------------------------

    def _items(self) -> list[ChoiceItem]:
        return [item for item in self.query(ChoiceItem) if item.display]

    def _in_view(self, item: ChoiceItem) -> bool:
        story = self.query_one("#story", StoryPage)
        return story.content_region.contains_region(item.region) if item.region else False

    def settle(self) -> None:
        """Focus for a new scene: the first choice when the whole scene is in view, else
        the story, read from the top; the line under it says there is more."""
        if not self.is_attached or self.attempt.finished:
            return  # the debrief has taken its place
        story = self.query_one("#story", StoryPage)
        items = self._items()
        target = items[0] if items and not story.more_below else story
        if self.focused is not target:  # moving focus redraws the footer: only when it moves
            self.set_focus(target, scroll_visible=False)
        story.scroll_home(animate=False, immediate=True)
        self.query_one(MoreLine).show_for(story)

    def read_on(self) -> None:
        """Down on the story: scroll on, and once the first choice is in view, highlight it."""
        story = self.query_one("#story", StoryPage)
        items = self._items()
        if items and (self._in_view(items[0]) or not story.more_below):
            items[0].focus()
        else:
            story.scroll_down(animate=False)

    def on_reading_page_moved(self, event: ReadingPage.Moved) -> None:
        self.query_one(MoreLine).show_for(event.page)

    def on_choice_item_moved(self, event: ChoiceItem.Moved) -> None:
        event.stop()
        items = self._items()
        index = items.index(event.item) + event.step if event.item in items else 0
        if index < 0:
            story = self.query_one("#story", StoryPage)
            story.focus(scroll_visible=False)
            story.scroll_up(animate=False)
        elif index < len(items):
            items[index].focus()

    def on_choice_item_picked(self, event: ChoiceItem.Picked) -> None:
        event.stop()
        self.action_choose(event.number)

    # --- choosing ------------------------------------------------------------------------

    def action_choose(self, number: int) -> None:
        """Choose by the number shown (keys 1-9)."""
        preset = self._welcome_choice()
        if preset is not None:
            if number == 1:
                self.choose(preset)
            else:
                self.app.bell()
            return
        if number > len(self.attempt.choices()):
            self.app.bell()
            return
        self.choose(number)

    def action_choose_id(self, choice_id: str) -> None:
        """Choose by the choice's id, whatever order it is shown in (tests, scripts)."""
        self.choose(choice_id)

    def choose(self, ref: str | int) -> None:
        app = self.conductor
        if self.attempt.finished:
            return
        try:
            outcome = self.attempt.choose(ref)
        except MentorquestError as error:
            app.show_error(error)
            return
        app.autosave(self.attempt)
        self.show_scene()
        if app.programme.feedback == "immediate" and (
            outcome.feedback or outcome.scores or outcome.critical
        ):
            from mentorquest.tui.screens.modals import FeedbackScreen

            app.push_screen(FeedbackScreen(outcome), callback=self._after_feedback)
        else:
            self._after_feedback(None)

    def _after_feedback(self, _result: object) -> None:
        if self.attempt.finished:
            self.conductor.attempt_finished(self.attempt)

    def action_map(self) -> None:
        app = self.conductor
        if app.practice:
            self.notify("Practice runs have no map; press ctrl+q to quit.", markup=False)
            return
        app.show_map()

    # --- --watch -------------------------------------------------------------------------

    def library_reloaded(self) -> None:
        """Carry on in the changed scenario: same scene and variables where they still
        exist, as practice (the attempt no longer matches any one version of the file)."""
        app = self.conductor
        old = self.attempt.state
        old_scene, old_variables = self.attempt.scene_id, self.attempt.variables
        scenario = app.library.scenarios.get(old.scenario_id)
        if scenario is None:
            app.notify(
                f"Scenario '{old.scenario_id}' is gone from the library; keeping the last good version.",
                severity="warning",
                markup=False,
            )
            return
        scene = old_scene if old_scene in scenario.scenes else None
        variables = {k: v for k, v in old_variables.items() if k in scenario.variables}
        try:
            self.attempt = app.engine.start(
                scenario.id,
                scene=scene,
                variables=variables,
                practice=True,
                seed=self.attempt.state.seed,  # the same order as before the reload
            )
        except MentorquestError as error:
            app.show_error(error)
            return
        if scene is None:
            app.notify(
                f"Scene '{old_scene}' no longer exists; back to the start of the scenario.",
                severity="warning",
                markup=False,
            )
        self.refresh(recompose=True)
        self.call_after_refresh(self._show_choices)
        self.call_after_refresh(self.settle)
        if self.attempt.finished:
            self.call_after_refresh(self.conductor.attempt_finished, self.attempt)
