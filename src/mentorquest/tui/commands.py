"""The command palette's journey commands: jump to the map, a scenario, help, a theme."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.content import Content
from textual.markup import escape

from mentorquest.textsafe import label

if TYPE_CHECKING:
    from mentorquest.tui.app import MentorquestApp


class JourneyCommands(Provider):
    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        app: MentorquestApp = self.app  # type: ignore[assignment]
        commands: list[tuple[str, str, Callable[[], object]]] = [
            ("Help", "Ground rules, keys and how to play", app.action_help),
            ("Ground rules in play", "The rules this scenario is scored on", app.action_rules),
            (
                "High-contrast theme",
                "Switch the high-contrast theme on or off",
                app.action_toggle_contrast,
            ),
        ]
        if app.progress is not None and app.role is not None and not app.practice:
            commands.append(("Quest map", "Your scenarios and progress", app.show_map))
            role = app.role
            library = app.library
            for scenario_id in [*library.required_for(role), *library.optional_for(role)]:
                scenario = library.scenarios.get(scenario_id)
                if scenario is None:
                    continue
                commands.append(
                    (
                        f"Play: {label(scenario.title)}",
                        label(scenario.summary or "").strip() or label(scenario_id),
                        partial(app.play, scenario_id),
                    )
                )
        return commands

    # Names and help come from scenario files: the palette reads a plain string as markup, so
    # names go in as Content (never parsed) and help as escaped markup.

    async def discover(self) -> Hits:
        for name, help_text, callback in self._commands():
            yield DiscoveryHit(Content(name), callback, text=name, help=escape(help_text))

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self._commands():
            score, offsets = matcher.fuzzy_search.match(matcher.query, name)
            if score > 0:
                shown = Content(name)
                for offset in offsets:
                    if not name[offset].isspace():
                        shown = shown.stylize(matcher.match_style, offset, offset + 1)
                yield Hit(score, shown, callback, text=name, help=escape(help_text))
