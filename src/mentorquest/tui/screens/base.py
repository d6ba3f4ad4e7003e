"""What every journey screen shares: access to the app that conducts the journey, and
the keys that scroll the screen's page of text whatever has focus."""

from __future__ import annotations

from typing import TYPE_CHECKING, ClassVar, cast

from textual.binding import Binding, BindingType
from textual.containers import ScrollableContainer
from textual.screen import ModalScreen, Screen, ScreenResultType

from mentorquest.tui.widgets.reading import ReadingPage

if TYPE_CHECKING:
    from mentorquest.tui.app import MentorquestApp

PAGE_DOWN = Binding(
    "pagedown",
    "read_down",
    "More",
    show=False,
    priority=True,
    id="page.down",
    tooltip="Scroll the text down a page, whatever has focus",
)
PAGE_UP = Binding(
    "pageup",
    "read_up",
    "Back",
    show=False,
    priority=True,
    id="page.up",
    tooltip="Scroll the text up a page, whatever has focus",
)


class Reading:
    """PageUp and PageDown scroll the screen's page (its first `ReadingPage`, or a form's
    scrolling `.page`) whatever has focus: a button, a choice, a field. A screen whose page
    fits, or that has none, lets the keys through (a list pages through its options)."""

    BINDINGS: ClassVar[list[BindingType]] = [PAGE_DOWN, PAGE_UP]

    def _page(self) -> ScrollableContainer | None:
        """The screen's page: its first ReadingPage, or scrolling `.page` (forms)."""
        for widget in cast("Screen[object]", self).query(ScrollableContainer):
            if isinstance(widget, ReadingPage) or widget.has_class("page"):
                return widget
        return None

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("read_down", "read_up"):
            page = self._page()
            return page is not None and page.max_scroll_y > 0
        return True

    def action_read_down(self) -> None:
        page = self._page()
        if page is not None:
            page.scroll_page_down(animate=False)

    def action_read_up(self) -> None:
        page = self._page()
        if page is not None:
            page.scroll_page_up(animate=False)


class JourneyScreen(Reading, Screen[None]):
    BINDINGS: ClassVar[list[BindingType]] = [PAGE_DOWN, PAGE_UP]

    @property
    def conductor(self) -> MentorquestApp:
        return cast("MentorquestApp", self.app)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "map" and self.conductor.practice:
            return False  # a practice run has no map: no key (nor button) says it has
        return super().check_action(action, parameters)


class JourneyModal(Reading, ModalScreen[ScreenResultType]):
    BINDINGS: ClassVar[list[BindingType]] = [PAGE_DOWN, PAGE_UP]

    @property
    def conductor(self) -> MentorquestApp:
        return cast("MentorquestApp", self.app)
