"""A scene: who speaks, what happens (Markdown), the meter, and numbered choices.

Choices are picked by digit (1-9), by arrows and Enter, or with the mouse. After each
choice the attempt is autosaved; feedback shows at once or waits for the debrief, as
the programme says.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option

from mentorquest.engine import Attempt
from mentorquest.errors import MentorquestError
from mentorquest.players.journey import WELCOME_ANSWERS
from mentorquest.textsafe import label, literal
from mentorquest.tui.screens.base import JourneyScreen
from mentorquest.tui.widgets.gauges import MeterGauge
from mentorquest.tui.widgets.prose import render_markdown

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


class SceneScreen(JourneyScreen):
    BINDINGS = [
        *CHOOSE,
        Binding("g", "rules", "Rules", id="scene.rules", tooltip="The ground rules in play here"),
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
        yield Header()
        yield Static(self._info(), id="scene-info")
        with Horizontal(id="scene-body"):
            with VerticalScroll(id="story"):
                yield Static(self._speaker(), id="speaker")
                yield Static(self._text(), id="scene-text")
            if meter is not None:
                with Vertical(id="scene-side"):
                    yield MeterGauge(*meter, id="meter")
        yield OptionList(*self._options(), id="choices")
        yield Footer()

    def on_mount(self) -> None:
        self._focus_choices()

    def _focus_choices(self) -> None:
        choices = self.query("#choices")
        if choices:
            choices.first().focus()

    # --- what is shown -----------------------------------------------------------------

    def _info(self) -> Text:
        attempt = self.attempt
        made = len(attempt.state.path)
        text = Text(label(attempt.scenario.title), style="bold")
        text.append(f" · decision {made + 1}" if not attempt.finished else " · the end")
        if attempt.state.practice:
            text.append(" · practice, does not count")
        return text

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

    def _options(self) -> list[Option]:
        preset = self._welcome_choice()
        journey = self.conductor.journey
        if preset is not None and journey is not None:
            answer = WELCOME_ANSWERS[journey.welcome_answer or ""]
            return [Option(Text(f"1. Continue (at the welcome you said: {answer})"), id=preset)]
        return [
            Option(Text(f"{offered.number}. {literal(offered.text)}"), id=offered.id)
            for offered in self.attempt.choices()
        ]

    def show_scene(self) -> None:
        """Update in place (no recompose) so a choice renders the next scene quickly."""
        self.query_one("#scene-info", Static).update(self._info())
        self.query_one("#speaker", Static).update(self._speaker())
        self.query_one("#scene-text", Static).update(self._text())
        story = self.query_one("#story", VerticalScroll)
        if story.scroll_y:
            story.scroll_home(animate=False)
        meter = self.attempt.meter()
        if meter is not None:
            gauges = self.query(MeterGauge)
            if gauges:
                gauges.first().set_value(*meter)
        choices = self.query_one("#choices", OptionList)
        choices.set_options(self._options())
        if choices.option_count:
            choices.highlighted = 0

    # --- choosing ------------------------------------------------------------------------

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.action_choose(event.option_index + 1)

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

    def action_rules(self) -> None:
        self.conductor.action_rules()

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
        self.call_after_refresh(self._focus_choices)
        if self.attempt.finished:
            self.call_after_refresh(self.conductor.attempt_finished, self.attempt)
