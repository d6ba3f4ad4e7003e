"""The quest map: the role's scenarios with status, stars, best percent and minutes."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.widgets import OptionList, ProgressBar, Static
from textual.widgets.option_list import Option

from mentorquest.players.journey import QuestEntry, Status, count_words, star_text
from mentorquest.textsafe import label
from mentorquest.tui.screens.base import JourneyScreen
from mentorquest.tui.widgets.footer import KeysFooter
from mentorquest.tui.widgets.titlebar import TitleBar


def entry_prompt(number: int | None, entry: QuestEntry) -> Text:
    """Two short lines, so that they fit at 60 columns: the title and its length, then
    the status, the best percent and (once passed) the stars, in symbols and words."""
    text = Text()
    lead = f"{number}. " if number is not None else "•  "
    text.append(lead + label(entry.title), style="bold")
    if entry.minutes:
        text.append(f" · about {entry.minutes} min")
    details = [entry.status.value]
    if entry.best_percent is not None:
        details.append(f"best {entry.best_percent}%")
    if entry.status is Status.PASSED:
        details.append(star_text(entry.stars))
    text.append("\n   " + " · ".join(details))
    return text


class QuestMapScreen(JourneyScreen):
    BINDINGS = [
        Binding(
            "enter",
            "play",
            "Play",
            id="map.play",
            tooltip="Play the highlighted scenario (or finish, once all are passed)",
            priority=True,
        ),
    ]

    def compose(self) -> ComposeResult:
        app = self.conductor
        assert app.journey is not None
        # Read once: each reading replays the participant's finished attempts.
        entries = self._entries = app.journey.quest_entries()
        required = [e for e in entries if e.required]
        optional = [e for e in entries if not e.required]
        passed = sum(1 for e in required if e.status is Status.PASSED)
        yield TitleBar()
        with Vertical(id="map", classes="page"):
            yield Static(Text("Your quest map"), classes="page-title")
            yield Static(
                Text(f"{passed} of {count_words(len(required), 'required scenario')} passed"),
                id="map-summary",
            )
            bar = ProgressBar(total=max(1, len(required)), show_eta=False, id="map-progress")
            bar.progress = passed
            yield bar
        options: list[Option | None] = []
        if required and passed == len(required):
            options.append(
                Option(
                    Text("All required scenarios passed: finish your onboarding", style="bold"),
                    id="finish",
                )
            )
        if required:
            options.append(Option(Text("Required scenarios", style="italic"), disabled=True))
        for number, entry in enumerate(required, start=1):
            options.append(Option(entry_prompt(number, entry), id=f"s:{entry.scenario_id}"))
        if optional:
            options.append(Option(Text("Optional scenarios", style="italic"), disabled=True))
            for entry in optional:
                options.append(Option(entry_prompt(None, entry), id=f"s:{entry.scenario_id}"))
        yield OptionList(*options, id="quests", classes="menu")
        yield KeysFooter()

    def on_mount(self) -> None:
        self._highlight_next()

    def show_entries(self) -> None:
        """Bring the map up to date (back from a scenario), on the next scenario to do."""
        self.call_later(self._rebuild)

    async def _rebuild(self) -> None:
        await self.recompose()
        self._highlight_next()

    def _highlight_next(self) -> None:
        quests = self.query_one("#quests", OptionList)
        quests.focus()
        # Start on the first scenario still to do, so Enter plays the next quest.
        todo = next(
            (e for e in self._entries if e.required and e.status is not Status.PASSED), None
        )
        target = "finish" if todo is None else f"s:{todo.scenario_id}"
        try:
            quests.highlighted = quests.get_option_index(target)
        except Exception:  # noqa: BLE001 - an empty map has nothing to highlight
            pass

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self._open(event.option.id or "")

    def action_play(self) -> None:
        quests = self.query_one("#quests", OptionList)
        if quests.highlighted is not None:
            self._open(quests.get_option_at_index(quests.highlighted).id or "")

    def _open(self, option_id: str) -> None:
        if option_id == "finish":
            self.conductor.finish_onboarding()
        elif option_id.startswith("s:"):
            self.conductor.play(option_id[2:])

    def library_reloaded(self) -> None:
        self.refresh(recompose=True)
