"""Text from files, participants, records and stores is shown literally: the one making-safe.

Whatever reaches a terminal, a spreadsheet or a page from outside goes through `literal`:
no escape sequence (colours, cursor moves, OSC 52 clipboard writes, hyperlinks) and no
control character passes; bidirectional controls, which can make text read otherwise
than it is ("Trojan Source"), are shown as visible markers. In running text (a scene, a
feedback) escape sequences and controls are dropped. With `one_line` (names, ids, titles,
messages: anything shown on one line) line breaks become spaces and every control,
bidirectional and invisible character (zero-width spaces and joiners, word joiners,
byte-order marks) is shown as a marker such as `<U+001B>`, so that what is shown tells
what is there and two names that look the same are told apart.

Markup is never interpreted: faces put this text into Rich `Text` objects, Textual widgets
with markup off, HTML through `html.escape`, CSV through the formula guard. Nothing here
imports Rich or Textual.
"""

from __future__ import annotations

import re

# ESC-introduced sequences (CSI, OSC, DCS, ...), then any other C0/C1 control but tab and newline.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI
    r"|\x1b[\]PX^_][^\x07\x1b]*(?:\x07|\x1b\\)?"  # OSC, DCS, SOS, PM, APC strings
    r"|\x9b[0-?]*[ -/]*[@-~]"  # 8-bit CSI
    r"|\x1b.?"
)
_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
# Bidirectional controls: embeddings, overrides, isolates and marks.
BIDI = "\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"
# Characters that take no room and carry no meaning in writing: zero-width space, word
# joiner, byte-order mark. (The zero-width non-joiner and joiner are part of writing in
# Persian, Indic scripts and emoji sequences, and are kept as they are.)
INVISIBLE = "\u200b\u2060\ufeff"
_BIDI = re.compile(f"[{BIDI}]")
_BIDI_OR_INVISIBLE = re.compile(f"[{BIDI}{INVISIBLE}]")
_LINE_BREAKS = re.compile(r"[\n\t\u2028\u2029\x85]+")
# Lone surrogates: bytes of a file name (or other text from the system) that were not
# UTF-8, kept by Python as U+DC80-U+DCFF; written out, they would be those raw bytes again
# (0x9B is a terminal's 8-bit CSI).
_SURROGATE = "\ud800-\udfff"
_SHOWN_ON_ONE_LINE = re.compile(f"[\x00-\x1f\x7f-\x9f{BIDI}{INVISIBLE}{_SURROGATE}]")


def _visible(match: re.Match[str]) -> str:
    code = ord(match.group())
    if 0xDC80 <= code <= 0xDCFF:
        return f"<byte {code - 0xDC00:02X}>"
    return f"<U+{code:04X}>"


_BIDI_OR_SURROGATE = re.compile(f"[{BIDI}{_SURROGATE}]")


def literal(text: str, *, one_line: bool = False) -> str:
    """`text` as it may be shown: no escape sequences or control characters, bidirectional
    controls made visible; with `one_line`, one line with invisible characters visible."""
    if not text or text.isprintable():  # the common case: nothing to do
        return text
    if one_line:
        # A name, id or message: every character that would act or hide is shown as a
        # marker, so that what is shown tells what is there ('ctl-<U+001B>[31m', never a
        # plausible 'ctl-').
        text = _LINE_BREAKS.sub(" ", text.replace("\r\n", "\n"))
        return _SHOWN_ON_ONE_LINE.sub(_visible, text)
    text = _CONTROLS.sub("", _ESCAPES.sub("", text.replace("\r\n", "\n")))
    return _BIDI_OR_SURROGATE.sub(_visible, text)


def label(text: str) -> str:
    """A name, id or title, shown on one line (see `literal`)."""
    return literal(text, one_line=True)


ECHO_LIMIT = 80
ELLIPSIS = "\u2026"


def clip(text: str, limit: int = ECHO_LIMIT) -> str:
    """A value from outside (an id, a name, an option's value) as a message may echo it: on
    one line (`label`), and cut at `limit` characters with an ellipsis, so that a huge value
    makes a short message."""
    if len(text) > limit:
        return label(text[:limit]) + ELLIPSIS
    return label(text)


_USERINFO = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://)([^/?#@]*)@")

# What a person types may hold control characters (an escape sequence pasted in, a bell)
# and, read from a file that is not UTF-8, undecodable bytes (as lone surrogates).
_TYPED_CONTROLS = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")
_SURROGATES = re.compile(r"[\ud800-\udfff]")


def typed(text: str) -> str:
    """Text a person typed, as it is kept: control characters (but tab and line break)
    removed, so that nothing kept can drive a terminal when shown again; bytes that were not
    UTF-8 as U+FFFD, the replacement character."""
    if text.isprintable():
        return text
    return _SURROGATES.sub("\ufffd", _TYPED_CONTROLS.sub("", text))


def url_shown(url: str) -> str:
    """A URL as it may be shown: a password in it as `***` (user:***@host), one line, clipped."""
    found = _USERINFO.match(url)
    if found is not None:
        user, colon, _password = found.group(2).partition(":")
        url = f"{found.group(1)}{user}{':***' if colon else ''}@{url[found.end() :]}"
    return clip(url, 200)


def path_label(text: str) -> str:
    """A file or folder name, shown on one line: like `label`, but a line break is a marker
    too (`<U+000A>`), since in a name it is a character of the name, not a layout."""
    if not text or text.isprintable():
        return text
    return _SHOWN_ON_ONE_LINE.sub(_visible, text)


def shell_word(text: str) -> str:
    """A path or name as a user types it in a suggested command (`next: mentorquest
    validate 'Weird Name'`): shown on one line (see `path_label`), quoted for the shell."""
    import shlex

    return shlex.quote(path_label(text))


# What JSON text must not carry raw: DEL and C1 controls, line and paragraph separators,
# bidirectional controls and invisible characters.
_JSON_UNSAFE_CHARS = "".join(map(chr, range(0x7F, 0xA0))) + "\u2028\u2029" + BIDI + INVISIBLE
_JSON_UNSAFE = re.compile(f"[{re.escape(_JSON_UNSAFE_CHARS)}]")


def json_text(text: str) -> str:
    """JSON text (as `json.dumps` wrote it) with every character a terminal or an editor
    would act on written as a \\u escape: the same JSON value, safe to show anywhere."""
    if text.isascii() and "\x7f" not in text:  # the common case, checked at C speed
        return text
    # Text with names such as Zoë: a search for each character at C speed is ten times
    # faster than a regular expression's scan (an export's text is hundreds of megabytes).
    if not any(char in text for char in _JSON_UNSAFE_CHARS):
        return text
    return _JSON_UNSAFE.sub(lambda m: f"\\u{ord(m.group()):04x}", text)


def suspicious(text: str) -> str | None:
    """What a trainer should know about characters in `text` that do not show: a control
    character, a bidirectional control or an invisible one (None when there is none)."""
    for char in text:
        code = ord(char)
        if char in "\n\t":
            continue
        if code < 0x20 or 0x7F <= code <= 0x9F:
            return f"a control character (U+{code:04X})"
        if char in BIDI:
            return f"a bidirectional control (U+{code:04X}), which can make text read otherwise than it is"
        if char in INVISIBLE:
            return f"an invisible character (U+{code:04X})"
    return None
