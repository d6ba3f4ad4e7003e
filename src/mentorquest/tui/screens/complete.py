"""The end of onboarding: stars, badges, the record id, where it is kept, and export."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.widgets import Footer, Header, Static

from mentorquest.errors import MentorquestError
from mentorquest.players.journey import completion_lines
from mentorquest.players.progress import CompletionSummary
from mentorquest.tui.screens.base import JourneyScreen


class CompletionScreen(JourneyScreen):
    BINDINGS = [
        Binding(
            "e",
            "export",
            "Export record",
            id="complete.export",
            tooltip="Write your signed completion record to a file for the coordinator",
        ),
        Binding("m", "map", "Map", id="complete.map", tooltip="Back to the quest map"),
    ]

    def __init__(self, summary: CompletionSummary | None) -> None:
        super().__init__()
        self.summary = summary

    def compose(self) -> ComposeResult:
        app = self.conductor
        assert app.progress is not None and app.role is not None
        required = app.library.required_for(app.role)
        total, *per_scenario, badge_line = completion_lines(
            app.library, required, app.progress.best_results()
        )
        yield Header()
        with VerticalScroll(id="complete", classes="page"):
            yield Static(Text("Onboarding complete. Well done!"), classes="page-title")
            yield Static(Text(total), id="total-stars")
            for line in per_scenario:
                yield Static(Text(line))
            yield Static(Text(badge_line), id="badges")
            if self.summary is not None:
                yield Static(Text(f"Record id: {self.summary.record_id}"), id="record-id")
                yield Static(Text(f"Recorded: {self.summary.stored_at}"), id="stored-at")
                if app.options.store_location:
                    yield Static(
                        Text(f"Stored in: {app.options.store_location}"), id="store-location"
                    )
                yield Static(
                    Text("Press e to export your signed record for your coordinator."),
                    classes="prompt",
                )
            else:
                yield Static(
                    Text(
                        "This session keeps no records (it was played without a store), "
                        "so there is nothing to export."
                    ),
                    id="no-record",
                )
            when = app.options.clock().strftime("%d %B %Y")
            yield Static(Text(f"Completed on {when}."), id="completed-on")
        yield Footer()

    def default_export_path(self) -> Path:
        record = self.summary.record_id if self.summary else "record"
        return (
            self.conductor.options.export_dir or Path.cwd()
        ) / f"mentorquest-record-{record}.json"

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
