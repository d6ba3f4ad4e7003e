"""The Textual player: onboarding as a game in the terminal.

It drives the engine (`mentorquest.engine`) and a `ProgressProvider` (memory or the
store); it holds no scoring or persistence logic of its own. Build it with
`mentorquest.tui.app.make_app`, which the CLI (through `launch`) and the tests share.
"""
