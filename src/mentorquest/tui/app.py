"""The Textual app and its one factory, `make_app`, shared by `launch` and the tests.

The app is the journey's conductor: it decides which screen comes next from the
participant's progress, drives `Engine`/`Attempt` for play, and calls the Progress
protocol to autosave. Scores, results and records come from the engine and the store.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from mentorquest.engine import Engine
from mentorquest.errors import MentorquestError, error_lines
from mentorquest.language.compiled import open_library
from mentorquest.language.format import Programme
from mentorquest.language.library import Library
from mentorquest.players import journey
from mentorquest.players.config import PlayConfig
from mentorquest.players.journey import Journey, check_request, check_role, scenario_for
from mentorquest.players.progress import (
    MemoryProgress,
    Participant,
    Progress,
    ProgressProvider,
)
from mentorquest.store.store import SeatLost, SeatTaken
from mentorquest.textsafe import label, literal, typed
from mentorquest.tui.commands import JourneyCommands
from mentorquest.tui.keys import key_name
from mentorquest.tui.themes import CURSOR_STYLES, HIGH_CONTRAST
from mentorquest.tui.upstream import release_styles_of_removed_widgets

if TYPE_CHECKING:
    from mentorquest.engine import Attempt
    from mentorquest.tui.watch import LibraryWatcher


def _now() -> datetime:
    return datetime.now(UTC)


def resume_garbage_collection() -> None:
    """Once the first screen is up: what start-up made lives as long as the app, so it is
    set out of the collector's reach (fewer and shorter pauses in play), then collection
    resumes. Start-up's few garbage cycles (about 0.2 MB) are frozen with it rather than
    paying for a full collection before the first key can be pressed."""
    gc.freeze()
    gc.enable()


class AppOptions(NamedTuple):
    """How the app behaves apart from what was asked for; tests fix these."""

    cursor_blink: bool = True
    clock: Callable[[], datetime] = _now
    watch_interval: float = 0.5
    theme: str | None = None
    export_dir: Path | None = None  # where exported records go; None: the current folder
    seeds: Callable[[], int] | None = None  # each attempt's display order; None: random
    keymap: Mapping[str, str] = {}  # binding id -> keys, from the config file  # noqa: RUF012


class MentorquestApp(App[int]):
    CSS_PATH = "app.tcss"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (72, "-wide")]
    COMMANDS = App.COMMANDS | {JourneyCommands}
    ENABLE_COMMAND_PALETTE = True

    BINDINGS = [
        Binding(
            "g",
            "rules",
            "Rules",
            id="app.rules",
            tooltip="The ground rules (in a scenario: those it is scored on)",
        ),
        Binding("f1", "help", "Help", id="app.help", tooltip="Ground rules, keys and how to play"),
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            id="app.quit",
            tooltip="Quit; your progress is already saved",
            priority=True,
        ),
        Binding(
            "q",
            "quit",
            "Quit",
            show=False,
            id="app.quit-q",
            tooltip="Quit (outside text fields); your progress is already saved",
        ),
        Binding(
            "ctrl+p",
            "command_palette",
            "Palette",
            show=False,
            priority=True,
            id="app.palette",
            tooltip="The command palette: jump to a scenario or a screen, change the theme",
        ),
        Binding(
            "f2",
            "toggle_contrast",
            "Contrast",
            show=False,
            id="app.contrast",
            tooltip="Switch the high-contrast theme on or off",
        ),
    ]

    def __init__(
        self,
        config: PlayConfig,
        provider: ProgressProvider,
        library: Library,
        options: AppOptions,
        engine: Engine | None = None,
    ) -> None:
        super().__init__()
        self.config = config
        self.provider = provider
        self.library = library
        self.engine = engine or Engine(library)
        self.options = options
        self.welcome_answer: str | None = None  # "basics" or "differences", if answered
        self.progress: Progress | None = None
        self.journey: Journey | None = None
        self.exit_error: MentorquestError | None = None
        self.participant: Participant | None = None
        self.role: str | None = None
        self.skipped_surveys: set[str] = set()
        self.library_errors: list[str] = []
        self._watcher: LibraryWatcher | None = None
        self.keymap: dict[str, str] = dict(options.keymap)
        self._starting = False  # building the first screen: see get_default_screen
        self._first_screen: Screen[Any] | None = None
        # Until the first screen is drawn (see `KeysFooter`).
        self.first_frame_drawn = False
        self.title = label(library.programme.title)

    # --- start-up ----------------------------------------------------------------------

    @property
    def programme(self) -> Programme:
        return self.library.programme

    @property
    def practice(self) -> bool:
        return self.config.practice

    def _starts_at_welcome(self) -> bool:
        config = self.config
        return not (config.practice and config.scenario) and not (config.participant or config.name)

    def get_default_screen(self) -> Screen[Any]:
        # The first screen is built outright, rather than an empty screen with the welcome
        # (or the map, or a scene) pushed over it: one screen less to build and lay out
        # before the first key can be pressed, and none left underneath.
        if self._starts_at_welcome():
            from mentorquest.tui.screens.welcome import WelcomeScreen

            return WelcomeScreen()
        self._starting = True
        try:
            self.begin()
        finally:
            self._starting = False
        first, self._first_screen = self._first_screen, None
        return first or super().get_default_screen()

    def get_css_variables(self) -> dict[str, str]:
        # Over every theme's own: the cursor is never told by colour alone.
        return {**super().get_css_variables(), **CURSOR_STYLES}

    def on_mount(self) -> None:
        self.call_after_refresh(setattr, self, "first_frame_drawn", True)
        if not gc.isenabled():  # paused for start-up by launch.build
            self.call_after_refresh(resume_garbage_collection)
        self.register_theme(HIGH_CONTRAST)
        if self.keymap:
            self.set_keymap(self.keymap)
        if self.options.theme:
            self.theme = self.options.theme
        if self.config.watch:
            from mentorquest.tui.watch import LibraryWatcher

            self._watcher = LibraryWatcher(self.config.library)
            self.set_interval(self.options.watch_interval, self.check_library)

    def begin(self) -> None:
        config = self.config
        if config.practice and config.scenario:
            scenario = self.library.scenario(config.scenario)
            role = config.role or scenario.roles[0]
            self._use(Participant(id="practice", name="Practice", role=role), MemoryProgress())
            self.play(scenario.id)
            return
        if config.participant or config.name:
            participant = self.participant_from_config()
            if participant is not None:
                self.open_participant(participant, from_command_line=True)
                return
        from mentorquest.tui.screens.welcome import WelcomeScreen

        self.goto(WelcomeScreen())

    def participant_from_config(self) -> Participant | None:
        """The participant named on the command line, or None if the role is still open."""
        config = self.config
        known = self.provider.participants()
        for participant in known:
            if config.participant and participant.id == config.participant:
                return participant
        if not config.participant and config.name:
            found = journey.named(known, config.name, config.role)
            if found is not None:
                return found
        role = config.role or (self.programme.roles[0] if len(self.programme.roles) == 1 else None)
        if role is None:
            return None
        name = config.name or config.participant or "Participant"
        return Participant(
            id=config.participant or self.new_participant_id(name, config.email),
            name=name,
            role=role,
            email=config.email,
        )

    def new_participant_id(self, name: str, email: str | None = None) -> str:
        taken = (p.id for p in self.provider.participants())
        return journey.new_participant_id(name, email, taken)

    def _use(self, participant: Participant, progress: Progress) -> None:
        self.participant = participant
        self.progress = progress
        self.role = participant.role
        self.journey = Journey(
            self.library,
            self.engine,
            progress,
            participant.role,
            self.config,
            seeds=self.options.seeds,
        )
        self.journey.welcome_answer = self.welcome_answer
        suffix = " · practice, does not count" if self.practice else ""
        self.sub_title = f"{label(participant.name)} · {label(participant.role)}{suffix}"

    def open_participant(
        self, participant: Participant, *, from_command_line: bool = False
    ) -> None:
        try:
            check_role(self.programme, participant.role)
            progress = self.provider.open(participant, take_over=self.config.take_over)
        except SeatTaken as error:
            if from_command_line:
                self.fail(error)  # the journey named on the command line cannot be played
            else:
                self.show_error(error)
            return
        except MentorquestError as error:
            self.show_error(error)
            return
        self._use(participant, progress)
        if self.config.scenario:
            try:
                scenario = scenario_for(self.library, self.config.scenario, participant.role)
            except MentorquestError as error:
                self.show_error(error)
                self.route()
                return
            self.play(scenario.id)
            return
        self.route()

    # --- where next ----------------------------------------------------------------------

    def survey_done(self, part: str) -> bool:
        assert self.journey is not None
        return part in self.skipped_surveys or self.journey.survey_done(part)

    def route(self) -> None:
        """Go where this participant stands: survey, unfinished scene, map or the end."""
        assert self.journey is not None
        if not self.survey_done("before"):
            from mentorquest.tui.screens.survey import SurveyScreen

            self.goto(SurveyScreen("before"))
            return
        unfinished = self.journey.scenario_in_progress()
        if unfinished is not None:
            self.play(unfinished)
            return
        if self.journey.all_required_passed():
            self.finish_onboarding()
            return
        self.show_map()

    def finish_onboarding(self) -> None:
        from mentorquest.tui.screens.complete import CompletionScreen

        assert self.progress is not None
        if not self.survey_done("after"):
            from mentorquest.tui.screens.survey import SurveyScreen

            self.goto(SurveyScreen("after"))
            return
        try:
            summary = self.progress.complete()
        except MentorquestError as error:
            self.show_error(error)
            summary = None
        self.goto(CompletionScreen(summary))

    def show_map(self) -> None:
        from mentorquest.tui.screens.questmap import QuestMapScreen

        if self.progress is None or self.practice:
            return
        bottom = self.screen_stack[0] if self.screen_stack else None
        if isinstance(bottom, QuestMapScreen) and not self._starting:
            # The map this session began on is still at the bottom of the stack: back to
            # it, brought up to date, rather than a second map (and its lines) over it.
            while len(self.screen_stack) > 1:
                self.pop_screen()
            bottom.show_entries()
            self.call_after_refresh(release_styles_of_removed_widgets)
            return
        self.goto(QuestMapScreen())

    def goto(self, screen: Screen[Any]) -> None:
        """Replace the journey's current screen (modals are closed first)."""
        if self._starting:
            self._first_screen = screen
            return
        while len(self.screen_stack) > 1 and self.screen.is_modal:
            self.pop_screen()
        # The first screen (built by get_default_screen) stays at the bottom of the stack,
        # as Textual needs one there; every later one replaces the one above it.
        if len(self.screen_stack) > 1:
            self.switch_screen(screen)
        else:
            self.push_screen(screen)
        self.call_after_refresh(release_styles_of_removed_widgets)

    # --- play --------------------------------------------------------------------------

    def play(self, scenario_id: str, *, fresh: bool = False) -> None:
        from mentorquest.tui.screens.scene import SceneScreen

        try:
            attempt = self.attempt_for(scenario_id, fresh=fresh)
        except MentorquestError as error:
            self.show_error(error)
            return
        self.goto(SceneScreen(attempt))

    def attempt_for(self, scenario_id: str, *, fresh: bool) -> Attempt:
        assert self.journey is not None
        attempt, note = self.journey.attempt_for(scenario_id, fresh=fresh)
        if note is not None:
            self.call_later(self.notify, note, severity="warning", markup=False)
        return attempt

    def autosave(self, attempt: Attempt) -> None:
        """Save after every choice; practice attempts are never saved (they never count)."""
        if self.journey is None:
            return
        try:
            self.journey.autosave(attempt)
        except MentorquestError as error:
            self.show_error(error)

    def attempt_finished(self, attempt: Attempt) -> None:
        from mentorquest.tui.screens.debrief import DebriefScreen

        debrief = None
        if self.journey is not None:
            try:
                debrief = self.journey.finish(attempt)
            except MentorquestError as error:
                self.show_error(error)
        self.goto(DebriefScreen(attempt, debrief or attempt.debrief()))

    def save_answer(self, part: str, question_id: str, answer: str | int) -> None:
        if self.progress is None:
            return
        try:
            self.progress.save_survey_answer(
                part, question_id, typed(answer) if isinstance(answer, str) else answer
            )
        except MentorquestError as error:
            self.show_error(error)

    def exit(self, result: Any = None, return_code: int = 0, message: Any = None) -> None:
        """Stop the app; an answer being typed is kept first (quitting anywhere keeps what
        was entered), unless the app stops because this journey may no longer be written."""
        if self.exit_error is None:
            for screen in self.screen_stack:
                keep = getattr(screen, "keep_typed", None)
                if keep is not None:
                    keep()
        super().exit(result, return_code, message)

    # --- errors, help, themes ------------------------------------------------------------

    def fail(self, error: MentorquestError) -> None:
        """Stop the app for an error that leaves nothing to do here; `launch` reports it."""
        self.exit_error = error
        if self._starting:
            # Asked while the first screen is being built: Textual cannot stop before that
            # screen is mounted (it would print a MountError), so it stops right after.
            self.call_after_refresh(self.exit, return_code=1)
            return
        self.exit(return_code=1)

    def on_unmount(self) -> None:
        if self.progress is not None:
            self.progress.close()

    def show_error(self, error: MentorquestError | str, title: str | None = None) -> None:
        """An error in a dialog: its title, and its lines as every face renders them."""
        from mentorquest.tui.screens.modals import ErrorScreen

        if isinstance(error, SeatLost):
            self.fail(error)  # another player holds the journey now: write nothing more
            return
        if self._starting:  # shown over the first screen, once there is one
            self.call_later(self.show_error, error, title)
            return

        if isinstance(error, MentorquestError):
            text = "\n".join(error_lines(error, limit=8))
            title = title or error.title
        else:
            text = error
        self.push_screen(ErrorScreen(title or MentorquestError.title, text))

    def action_help(self) -> None:
        from mentorquest.tui.screens.modals import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_rules(self) -> None:
        from mentorquest.tui.screens.modals import RulesScreen

        if not isinstance(self.screen, RulesScreen):
            rules, in_play = self.rules_in_play()
            self.push_screen(RulesScreen(rules, in_play=in_play))

    def watch_title(self) -> None:
        self._refresh_title_bars()

    def watch_sub_title(self) -> None:
        self._refresh_title_bars()

    def _refresh_title_bars(self) -> None:
        from mentorquest.tui.widgets.titlebar import TitleBar

        for screen in self.screen_stack:
            for bar in screen.query(TitleBar):
                bar.refresh()

    def rules_in_play(self) -> tuple[list[str], bool]:
        """The rules the scenario being played is scored on (and True), else all of them."""
        screen = next((s for s in reversed(self.screen_stack) if hasattr(s, "attempt")), None)
        if screen is not None:
            rules = list(screen.attempt.scenario.scored_rules())
            if rules:
                return rules, True
        return [rule.id for rule in self.programme.ground_rules], False

    def get_key_display(self, binding: Binding) -> str:
        """Keys as a player reads them (Enter, Esc, PgDn, F1), in the footer and in help."""
        if binding.key_display:
            return binding.key_display
        return key_name(binding.key)

    def action_toggle_contrast(self) -> None:
        self.theme = "textual-dark" if self.theme == HIGH_CONTRAST.name else HIGH_CONTRAST.name

    def action_map(self) -> None:
        self.show_map()

    # --- --watch -------------------------------------------------------------------------

    def check_library(self) -> None:
        if self._watcher is None or not self._watcher.changed():
            return
        self.reload_library()

    def reload_library(self) -> None:
        """Load the library again; keep the last good one running if the new one fails."""
        from mentorquest.language.loader import load_library

        try:
            result = load_library(self.config.library)
        except MentorquestError as error:
            self.library_errors = [str(error)]
        else:
            if result.ok and result.library is not None:
                self.library_errors = []
                self.library = result.library
                self.engine = Engine(result.library)
                self.title = label(result.library.programme.title)
                for screen in self.screen_stack:
                    reload = getattr(screen, "library_reloaded", None)
                    if reload is not None:
                        reload()
                self.notify("The scenario library was reloaded.", title="Reloaded")
                return
            self.library_errors = [str(d) for d in result.errors]
        shown = "\n".join(literal(line) for line in self.library_errors[:8])
        more = len(self.library_errors) - 8
        if more > 0:
            shown += f"\n... and {more} more"
        self.notify(
            shown + "\nThe last good version keeps running.",
            title="The library does not validate",
            severity="error",
            timeout=15,
            markup=False,
        )


def make_app(
    config: PlayConfig,
    provider: ProgressProvider,
    *,
    library: Library | None = None,
    options: AppOptions | None = None,
    engine: Engine | None = None,
) -> MentorquestApp:
    """The app for a play request. Raises MentorquestError for a bad library or option."""
    if library is None:
        library = open_library(config.library)
    engine = engine or Engine(library)
    check_request(library, engine, config)
    return MentorquestApp(config, provider, library, options or AppOptions(), engine)
