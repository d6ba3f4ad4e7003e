"""Writing YAML by hand, with comments, so that every value reads back exactly as given.

The toolkit writes files for trainers to read and edit (scaffolds, imported stories,
converted tests), so it writes them as text with comments rather than through a YAML
dumper; each value goes through `scalar` or `block`, which choose a plain, block or
double-quoted form that a YAML reader turns back into the very same text.
"""

from __future__ import annotations

import json
import re

import yaml

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment,unused-ignore]

_PLAIN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 .,'()!?/_-]*$")
# In a flow collection ([a, b] or {k: v}) a comma ends the value, and a question mark
# before one is read as a key's indicator by some readers (PyYAML's, not libyaml's).
_PLAIN_IN_FLOW = re.compile(r"^[A-Za-z0-9][A-Za-z0-9 .'()!/_-]*$")


def _reads_back(written: str, text: str, flow: bool = False) -> bool:
    # In a flow collection, checked with a value after it, as it will stand.
    document = f"k: [{written}, x]\n" if flow else f"k: {written}\n"
    try:
        return bool(yaml.load(document, Loader=_Loader) == {"k": [text, "x"] if flow else text})
    except yaml.YAMLError:
        return False


def scalar(text: str, *, flow: bool = False) -> str:
    """`text` as a YAML value on one line (in a flow collection with `flow`): plain when
    that reads back as the very same text, never as a yes/no value, a number or nothing
    (`yes`, `off`, `2024`, `0x1f`, `null` are quoted), else double-quoted, with every
    character that is not printable escaped."""
    plain = _PLAIN_IN_FLOW if flow else _PLAIN
    if text and text == text.strip() and plain.match(text) and _reads_back(text, text, flow):
        return text
    return "".join(_escaped(c) for c in json.dumps(text, ensure_ascii=False))


def _escaped(char: str) -> str:
    if char.isprintable() or char == " ":
        return char
    code = ord(char)
    return f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}"


def block(text: str, indent: int) -> str:
    """`text` as a YAML value: a literal block (`|`) for printable text of several lines,
    else as `scalar` gives it. `indent` is the column of the block's lines."""
    lines = text.split("\n")
    safe = (
        "\n" in text.strip("\n")
        and all(line.isprintable() and line == line.rstrip() for line in lines)
        and not lines[0].startswith(" ")
        and text == text.strip("\n")
    )
    if not safe:
        return scalar(text)
    pad = " " * indent
    body = "\n".join(pad + line if line else "" for line in lines)
    written = "|-\n" + body
    return written if _reads_back_block(written, text, indent) else scalar(text)


def _reads_back_block(written: str, text: str, indent: int) -> bool:
    # The block is checked where it will stand: as the value of a key at indent - 2.
    key_pad = " " * max(0, indent - 2)
    try:
        loaded = yaml.load(f"{key_pad}k: {written}\n", Loader=_Loader)
    except yaml.YAMLError:
        return False
    return bool(loaded == {"k": text})
