"""What every journey screen shares: access to the app that conducts the journey."""

from __future__ import annotations

from typing import TYPE_CHECKING, cast

from textual.screen import ModalScreen, Screen, ScreenResultType

if TYPE_CHECKING:
    from mentorquest.tui.app import MentorquestApp


class JourneyScreen(Screen[None]):
    @property
    def conductor(self) -> MentorquestApp:
        return cast("MentorquestApp", self.app)


class JourneyModal(ModalScreen[ScreenResultType]):
    @property
    def conductor(self) -> MentorquestApp:
        return cast("MentorquestApp", self.app)
