"""The high-contrast theme offered beside Textual's own themes."""

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
        "block-cursor-text-style": "bold",
        "footer-key-foreground": "#FFFF00",
        "input-selection-background": "#FFFF00 40%",
    },
)
