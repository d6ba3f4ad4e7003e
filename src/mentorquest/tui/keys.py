"""Every key of the app, read from the bindings themselves: help, key names, the keymap.

Each `Binding` the app declares has an id and a tooltip. Help lists them by where they
work, with the keys the player has now (after their keymap), so it cannot drift from what
the keys do; a keymap naming an id that no binding has is refused with the ids it could
mean. The screens are imported only when help is opened or a keymap is checked.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, NamedTuple

from textual.binding import Binding
from textual.keys import format_key

from mentorquest.errors import UsageError

if TYPE_CHECKING:
    pass

# Key names as a player reads them, where Textual's own are symbols or lower case.
KEY_NAMES = {
    "enter": "Enter",
    "escape": "Esc",
    "pagedown": "PgDn",
    "pageup": "PgUp",
    "home": "Home",
    "end": "End",
    "tab": "Tab",
    "space": "Space",
    "delete": "Del",
    "backspace": "Backspace",
}


def key_name(key: str) -> str:
    """One key as it is shown: "F1", "Esc", "PgDn", "^q", "shift+Tab"."""
    *modifiers, base = key.split("+")
    if re.fullmatch(r"f\d{1,2}", base):
        shown = base.upper()
    else:
        shown = KEY_NAMES.get(base) or format_key(base)
    if "ctrl" in modifiers:
        modifiers.remove("ctrl")
        shown = f"^{shown}"
    return "+".join([*modifiers, shown])


def keys_of(binding: Binding, keymap: Mapping[str, str]) -> list[str]:
    """The keys that run `binding` now: the keymap's, if it names the binding's id."""
    if binding.id is not None and binding.id in keymap:
        return [k.strip() for k in keymap[binding.id].split(",") if k.strip()]
    return [binding.key]


def shown_keys(binding: Binding, keymap: Mapping[str, str], *, display: bool = True) -> str:
    """The keys of `binding` as shown; its key display ("1-9") unless it was remapped or
    `display` is False (a family listed key by key)."""
    keys = keys_of(binding, keymap)
    if display and binding.key_display and keys == [binding.key]:
        return binding.key_display
    return " or ".join(key_name(k) for k in keys)


def declared(owner: type) -> list[Binding]:
    """The bindings with ids that `owner` and its bases declare (the most derived first)."""
    found: list[Binding] = []
    seen: set[str] = set()
    for cls in owner.__mro__:
        for binding in vars(cls).get("BINDINGS", ()):
            if isinstance(binding, Binding) and binding.id and binding.id not in seen:
                seen.add(binding.id)
                found.append(binding)
    return found


class HelpLine(NamedTuple):
    keys: str
    meaning: str


class HelpSection(NamedTuple):
    title: str
    lines: list[HelpLine]


def _family(binding: Binding) -> str:
    return binding.action.split("(", 1)[0]


def help_lines(bindings: Iterable[Binding], keymap: Mapping[str, str]) -> list[HelpLine]:
    """One line a meaning: bindings with the same action and tooltip share a line ("m or
    Esc"), and a family shown under one key display ("1-9" for the nine choose bindings)
    stays one line while none of its keys is remapped."""
    bindings = list(bindings)
    leaders: dict[str, Binding] = {}
    for binding in bindings:
        family = [b for b in bindings if _family(b) == _family(binding)]
        if binding.key_display and not any(b.id in keymap for b in family):
            leaders.setdefault(_family(binding), binding)
    lines: dict[tuple[str, str], list[str]] = {}
    for binding in bindings:
        leader = leaders.get(_family(binding))
        if leader is not None and leader is not binding:
            continue
        meaning = binding.tooltip or binding.description
        keys = lines.setdefault((binding.action, meaning), [])
        shown = shown_keys(binding, keymap, display=leader is binding)
        if shown not in keys:
            keys.append(shown)
    return [HelpLine(" or ".join(keys), meaning) for (_action, meaning), keys in lines.items()]


def owners() -> list[tuple[str, list[type]]]:
    """Where keys work, in the order help lists them, and whose bindings work there."""
    from mentorquest.tui.app import MentorquestApp
    from mentorquest.tui.screens.base import Reading
    from mentorquest.tui.screens.complete import CompletionScreen
    from mentorquest.tui.screens.debrief import DebriefScreen
    from mentorquest.tui.screens.modals import Dialog, ExportScreen, FeedbackScreen, HelpScreen
    from mentorquest.tui.screens.profile import ProfileScreen
    from mentorquest.tui.screens.questmap import QuestMapScreen
    from mentorquest.tui.screens.scene import SceneScreen, StoryPage
    from mentorquest.tui.screens.survey import SurveyScreen
    from mentorquest.tui.screens.welcome import IntroScreen, WelcomeScreen
    from mentorquest.tui.widgets.choices import ChoiceItem
    from mentorquest.tui.widgets.scale import ScaleSelector

    return [
        ("Everywhere", [MentorquestApp]),
        ("Reading a scene, a debrief or anything longer than the screen", [Reading]),
        ("In a scene", [SceneScreen, StoryPage, ChoiceItem]),
        ("On the quest map", [QuestMapScreen]),
        ("After a scenario: the debrief", [DebriefScreen]),
        ("At the end of onboarding", [CompletionScreen]),
        ("The welcome, your profile and the surveys", [WelcomeScreen, IntroScreen]),
        ("", [ProfileScreen, SurveyScreen, ScaleSelector]),
        ("In dialogs", [Dialog, FeedbackScreen, HelpScreen, ExportScreen]),
    ]


def help_sections(keymap: Mapping[str, str]) -> list[HelpSection]:
    """Help's sections: each binding once, where it is first declared (a binding shared
    by several screens is listed in the first section that has it)."""
    sections: list[HelpSection] = []
    seen: set[str] = set()
    for title, classes in owners():
        bindings = []
        for owner in classes:
            for binding in declared(owner):
                if binding.id not in seen:
                    seen.add(str(binding.id))
                    bindings.append(binding)
        lines = help_lines(bindings, keymap)
        if title or not sections:
            sections.append(HelpSection(title, lines))
        else:
            sections[-1].lines.extend(lines)
    return [section for section in sections if section.lines]


def binding_ids() -> dict[str, Binding]:
    """Every binding id the app declares, with its binding."""
    found: dict[str, Binding] = {}
    for _title, classes in owners():
        for owner in classes:
            for binding in declared(owner):
                found.setdefault(str(binding.id), binding)
    return found


def check_keymap(keymap: Mapping[str, str], source: str) -> dict[str, str]:
    """The keymap, if every id in it names a binding; else a UsageError naming the first
    unknown id and what it may have meant."""
    from mentorquest.language.suggest import did_you_mean

    known = binding_ids()
    for binding_id, keys in keymap.items():
        if binding_id not in known:
            raise UsageError(
                f"{source}: [keymap] names '{binding_id}', which is no key binding"
                f"{did_you_mean(binding_id, list(known))} (README: 'Changing keys')"
            )
        if not keys.strip() or any(not k.strip() for k in keys.split(",")):
            raise UsageError(
                f"{source}: [keymap] '{binding_id}' needs one key or several separated by "
                'commas, such as "r" or "f1,question_mark"'
            )
    return dict(keymap)
