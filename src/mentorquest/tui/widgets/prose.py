"""Scene text: CommonMark, parsed by markdown-it, drawn as one Rich `Text`.

Rich's own Markdown renderer would do, but it pulls in Pygments for code blocks (about
3 MiB and 30 ms at start-up) and lays each block out as its own renderable. A scene
needs prose: paragraphs, emphasis, lists, quotes, headings, the odd code span or link.
Those are drawn here with styles and with shapes that carry the meaning without colour
(bullets, numbers, a bar before quoted lines, the link's address after its text).

Nothing is ever interpreted as Rich markup: text goes into `Text` objects as it is, and
raw HTML in a scene is shown as the characters the trainer typed.
"""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

from rich.style import Style
from rich.text import Text

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

_STYLES = {
    "strong": Style(bold=True),
    "em": Style(italic=True),
    "s": Style(strike=True),
    "link": Style(underline=True),
}
_CODE = Style(bold=True)
_HEADING = Style(bold=True)
_HEADING_TOP = Style(bold=True, underline=True)
RULE = "─" * 24


@cache
def _parser() -> MarkdownIt:
    from markdown_it import MarkdownIt  # on first use: the welcome needs no Markdown

    return MarkdownIt("commonmark").enable("strikethrough")


_PARAGRAPH_BREAK = re.compile(r"\n\s*\n")


def paragraphs(source: str) -> Text:
    """Plain text (the programme's introduction) as paragraphs wrapped to the screen: the
    file's own line breaks inside a paragraph become spaces, blank lines stay."""
    parts = [" ".join(part.split()) for part in _PARAGRAPH_BREAK.split(source.strip())]
    return Text("\n\n".join(part for part in parts if part))


# What could make CommonMark read a text as more than paragraphs: the characters of
# code, links, images, HTML, escapes and strike-through, an entity (`&` before a name or
# a number); a line that starts a heading, list, quote, rule or table, or is indented as
# code; a hard break; any white space but spaces and line breaks (CommonMark trims some
# kinds and not others). `*` is looked at apart (see `_emphasised`).
_MARKUP = re.compile(
    r"[\\`_\[\]<#~|\x00]|&(?=[#A-Za-z0-9])|[^\S \n]|^ *(?:[-+=>]|\d{1,9}[.)])|^ {4}| {2,}$",
    re.MULTILINE,
)


def render_markdown(source: str) -> Text:
    """The scene text as Rich Text; blocks are separated by one blank line.

    Most scene texts are paragraphs, some with a word or two in *emphasis*: those are
    drawn as CommonMark draws them (blank lines part paragraphs, the lines of one are
    joined by a space) without loading markdown-it, which costs over a MiB and a few
    milliseconds a text. Anything else goes to markdown-it."""
    if not _MARKUP.search(source):
        drawn = plain_paragraphs(source) if "*" not in source else _emphasised(source)
        if drawn is not None:
            return drawn
    return _Renderer().render(_parser().parse(source))


def _blocks(source: str) -> list[list[str]]:
    """The paragraphs of a text without Markdown blocks, as their lines (trimmed)."""
    blocks: list[list[str]] = []
    lines: list[str] = []
    for line in [*source.split("\n"), ""]:
        if line.strip(" "):
            lines.append(line.strip(" "))
        elif lines:
            blocks.append(lines)
            lines = []
    return blocks


def plain_paragraphs(source: str) -> Text:
    """A text without Markdown syntax, as CommonMark renders it (see `render_markdown`)."""
    return Text("\n\n".join(" ".join(lines) for lines in _blocks(source)), end="")


_EMPHASIS = Style.combine([_STYLES["em"]])


def _emphasised(source: str) -> Text | None:
    """Paragraphs whose only syntax is `*emphasis*` of the plainest kind, as CommonMark
    renders them; None for anything less plain (left to markdown-it).

    Plainest means: in each paragraph, single stars that alternate between an opening one
    (after a space or the paragraph's start, before a letter or digit) and a closing one
    (after a letter or digit, before anything but a letter, a digit or a star). Such an
    opening star can only open and such a closing star only close, so each pair is one
    emphasis, whatever else CommonMark's delimiter rules say."""
    out = Text(end="")
    for number, lines in enumerate(_blocks(source)):
        joined = " ".join(lines)
        stars = [at for at, char in enumerate(joined) if char == "*"]
        if len(stars) % 2:
            return None
        for index, at in enumerate(stars):
            before = joined[at - 1] if at else " "
            after = joined[at + 1] if at + 1 < len(joined) else " "
            if index % 2 == 0:
                if before != " " or not after.isalnum():
                    return None
            elif not before.isalnum() or after.isalnum() or after == "*":
                return None
        if number:
            out.append("\n\n")
        inside = False
        for line_number, line in enumerate(lines):
            if line_number:
                out.append(" ")  # a soft break, never emphasised
            for part_number, part in enumerate(line.split("*")):
                if part_number:
                    inside = not inside
                out.append(part, _EMPHASIS if inside else None)
    return out


class _Renderer:
    def __init__(self) -> None:
        self.out = Text(end="")
        self.lists: list[list[int]] = []  # per open list: [next number] or [] for bullets
        self.quote = 0
        self.item_prefix: str | None = None  # the bullet waiting for its item's first line
        self.heading: Style | None = None

    def render(self, tokens: list[Token]) -> Text:
        for token in tokens:
            handler = getattr(self, f"_{token.type}", None)
            if handler is not None:
                handler(token)
        self.out.rstrip()
        return self.out

    # --- blocks -------------------------------------------------------------------------

    def _start_block(self) -> None:
        """Begin a new line for a block: a blank line between blocks outside lists."""
        if self.out.plain:
            if not self.out.plain.endswith("\n"):
                self.out.append("\n")
            if not self.lists and not self.out.plain.endswith("\n\n"):
                self.out.append("\n")
        self._margin()

    def _margin(self) -> None:
        indent = "  " * max(0, len(self.lists) - 1)
        if self.item_prefix is not None:
            self.out.append(indent + self.item_prefix)
            self.item_prefix = None
        elif self.lists:
            self.out.append(indent + "   ")
        if self.quote:
            self.out.append("▌ " * self.quote)

    def _paragraph_open(self, token: Token) -> None:
        if not token.hidden:  # tight list items hide their paragraphs
            self._start_block()
        elif self.item_prefix is not None:
            self._start_block()

    def _heading_open(self, token: Token) -> None:
        self._start_block()
        self.heading = _HEADING_TOP if token.tag in ("h1", "h2") else _HEADING

    def _heading_close(self, _token: Token) -> None:
        self.heading = None

    def _blockquote_open(self, _token: Token) -> None:
        self.quote += 1

    def _blockquote_close(self, _token: Token) -> None:
        self.quote -= 1

    def _open_list(self, numbering: list[int]) -> None:
        if not self.lists and self.out.plain:  # a list is a block: a blank line before it
            self.out.append("\n" * (2 - len(self.out.plain) + len(self.out.plain.rstrip("\n"))))
        self.lists.append(numbering)

    def _bullet_list_open(self, _token: Token) -> None:
        self._open_list([])

    def _ordered_list_open(self, token: Token) -> None:
        start = token.attrGet("start")
        self._open_list([int(start) if start is not None else 1])

    def _bullet_list_close(self, _token: Token) -> None:
        self.lists.pop()

    _ordered_list_close = _bullet_list_close

    def _list_item_open(self, _token: Token) -> None:
        numbering = self.lists[-1]
        if numbering:
            self.item_prefix = f"{numbering[0]}. ".ljust(3)
            numbering[0] += 1
        else:
            self.item_prefix = "•  "
        if not self.out.plain.endswith("\n") and self.out.plain:
            self.out.append("\n")

    def _list_item_close(self, _token: Token) -> None:
        if self.item_prefix is not None:  # an empty item still shows its bullet
            self._start_block()

    def _code_block(self, token: Token) -> None:
        self._start_block()
        lines = token.content.rstrip("\n").split("\n")
        for number, line in enumerate(lines):
            if number:
                self.out.append("\n")
                self._margin()
            self.out.append("    " + line, _CODE)

    _fence = _code_block

    def _html_block(self, token: Token) -> None:
        self._start_block()
        self._literal_lines(token.content.rstrip("\n"))

    def _hr(self, _token: Token) -> None:
        self._start_block()
        self.out.append(RULE)

    def _inline(self, token: Token) -> None:
        _Inline(self, self.heading).render(token.children or [])

    def _literal_lines(self, text: str, style: Style | None = None) -> None:
        for number, line in enumerate(text.split("\n")):
            if number:
                self.out.append("\n")
                self._margin()
            self.out.append(line, style)


class _Inline:
    def __init__(self, block: _Renderer, base: Style | None) -> None:
        self.block = block
        self.styles: list[Style] = [base] if base is not None else []
        self.links: list[str] = []

    @property
    def style(self) -> Style | None:
        return Style.combine(self.styles) if self.styles else None

    def render(self, children: list[Token]) -> None:
        out = self.block.out
        for child in children:
            kind = child.type
            if kind in ("text", "html_inline"):
                self.block._literal_lines(child.content, self.style)
            elif kind == "code_inline":
                out.append(child.content, Style.combine([*self.styles, _CODE]))
            elif kind == "softbreak":
                out.append(" ")
            elif kind == "hardbreak":
                out.append("\n")
                self.block._margin()
            elif kind == "image":
                out.append(f"[image: {child.content}]", self.style)
            elif kind.endswith("_open") and kind[:-5] in _STYLES:
                self.styles.append(_STYLES[kind[:-5]])
                if kind == "link_open":
                    self.links.append(str(child.attrGet("href") or ""))
            elif kind.endswith("_close") and kind[:-6] in _STYLES:
                self.styles.pop()
                if kind == "link_close":
                    href = self.links.pop()
                    if href:
                        out.append(f" ({href})", self.style)
