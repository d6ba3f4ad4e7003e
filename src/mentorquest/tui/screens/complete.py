"""The end of onboarding: stars, badges (what each needs, which were missed and what to
replay), the record's id, and export."""

from __future__ import annotations

import re
from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Static

from mentorquest.errors import MentorquestError
from mentorquest.players.journey import stars_lines
from mentorquest.players.progress import CompletionSummary
from mentorquest.players.standings import badge_lines, badge_standings
from mentorquest.tui.screens.base import JourneyScreen
from mentorquest.tui.widgets.footer import KeysFooter
from mentorquest.tui.widgets.reading import MoreLine, ReadingPage
from mentorquest.tui.widgets.titlebar import TitleBar


def record_file_name(participant_name: str, record_id: str) -> str:
    """A file name a coordinator can tell apart from the others: who, and which record."""
    slug = re.sub(r"[^a-z0-9]+", "-", participant_name.casefold()).strip("-")[:40]
    return f"mentorquest-record-{slug or 'participant'}-{record_id[:8]}.json"


class CompletionScreen(JourneyScreen):
    AUTO_FOCUS = "#complete"

    BINDINGS = [
        Binding(
            "e",
            "export",
            "Export record",
            id="complete.export",
            tooltip="Write your signed completion record to a file for the coordinator",
        ),
        Binding("m", "map", "Map", id="complete.map", tooltip="Back to the quest map"),
        Binding(
            "escape",
            "map",
            "Map",
            show=False,
            id="complete.map-escape",
            tooltip="Back to the quest map",
        ),
    ]

    def __init__(self, summary: CompletionSummary | None) -> None:
        super().__init__()
        self.summary = summary

    def compose(self) -> ComposeResult:
        app = self.conductor
        assert app.progress is not None and app.role is not None
        required = app.library.required_for(app.role)
        best = app.progress.best_results()
        total, *per_scenario = stars_lines(app.library, required, best)
        badges = badge_standings(required, best)
        self.title = "Onboarding complete"
        yield TitleBar()
        with ReadingPage(id="complete", classes="page"):
            yield Static(Text("Onboarding complete. Well done!"), classes="page-title")
            if self.summary is not None:
                yield Static(
                    Text("Your signed record is saved. Press e to export it for your coordinator."),
                    classes="prompt",
                    id="export-prompt",
                )
            else:
                yield Static(
                    Text(
                        "This session keeps no records (it was played without a store), "
                        "so there is nothing to export."
                    ),
                    id="no-record",
                )
            yield Static(Text(total, style="bold"), id="total-stars", classes="section")
            for line in per_scenario:
                yield Static(Text(line))
            heading, needs, *lines = badge_lines(app.programme, app.library, badges)
            yield Static(Text(heading, style="bold"), id="badges", classes="section")
            yield Static(Text(needs), classes="hint")
            for line in lines:
                yield Static(Text(line.strip()), classes="badge")
            if self.summary is not None:
                yield Static(
                    Text(f"Record id: {self.summary.record_id}"), id="record-id", classes="section"
                )
                yield Static(Text(f"Recorded: {self.summary.stored_at}"), id="stored-at")
            when = app.options.clock().strftime("%d %B %Y")
            yield Static(Text(f"Completed on {when}."), id="completed-on")
        yield MoreLine("More below", id="more")
        yield KeysFooter()

    def on_mount(self) -> None:
        self.call_after_refresh(self.query_one(MoreLine).show_for, self.query_one(ReadingPage))

    def on_reading_page_moved(self, event: ReadingPage.Moved) -> None:
        self.query_one(MoreLine).show_for(event.page)

    def default_export_path(self) -> Path:
        from mentorquest.locations import exports_dir

        app = self.conductor
        record = self.summary.record_id if self.summary else "record"
        name = app.participant.name if app.participant is not None else ""
        return (app.options.export_dir or exports_dir()) / record_file_name(name, record)

    def action_export(self) -> None:
        from mentorquest.tui.screens.modals import ExportScreen

        if self.summary is None:
            self.notify("There is no record to export in this session.", markup=False)
            return
        self.app.push_screen(ExportScreen(self.default_export_path()), callback=self._export)

    def _export(self, path: Path | None) -> None:
        if path is None or self.conductor.progress is None:
            return
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            written = self.conductor.progress.export_record(path)
        except MentorquestError as error:
            self.conductor.show_error(error, "The record could not be exported")
            return
        except OSError as error:
            self.conductor.show_error(
                f"{path}: {error.strerror or error}", "The record could not be exported"
            )
            return
        self.notify(f"Exported to {written}", title="Record exported", markup=False)

    def action_map(self) -> None:
        self.conductor.show_map()
