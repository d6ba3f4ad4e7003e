"""The high-contrast theme offered beside Textual's own themes, and what every theme shares."""

from __future__ import annotations

from textual.theme import Theme

HIGH_CONTRAST = Theme(
    name="mentorquest-high-contrast",
    primary="#FFFF00",
    secondary="#00FFFF",
    accent="#FFFF00",
    foreground="#FFFFFF",
    background="#000000",
    surface="#000000",
    panel="#1A1A1A",
    success="#00FF00",
    warning="#FFFF00",
    error="#FF5555",
    dark=True,
    variables={
        "border": "#FFFFFF",
        "border-blurred": "#BBBBBB",
        "block-cursor-background": "#FFFF00",
        "block-cursor-foreground": "#000000",
        "block-cursor-text-style": "bold underline",
        "footer-key-foreground": "#FFFF00",
        "input-selection-background": "#FFFF00 40%",
    },
)


# The highlighted entry of a list (the welcome, the profiles, the quest map) and the number
# under the cursor of a scale are told by underlined text as well as by colour: a terminal
# without colour, or a reader who cannot tell the two greys apart, still sees which it is.
CURSOR_STYLES = {
    "block-cursor-text-style": "bold underline",
    "block-cursor-blurred-text-style": "underline",
}
