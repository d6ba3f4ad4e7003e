"""Faces that drive the engine for people: the line-mode player (and, in `tui`, the app)."""
