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
# code, links, images, HTML, escapes and strike-through, what could be an entity (`&#`,
# or `&` and letters or digits up to a `;`); a line that starts a heading, list, quote,
# rule or table, or is indented as code; a hard break; any white space but spaces and
# line breaks (CommonMark trims some kinds and not others). Stars, and lines quoted as
# `> `, are looked at apart (see `_without_parser`).
_MARKUP = re.compile(
    r"[\\`_\[\]<#~|\x00]|&(?=#|[A-Za-z0-9]+;)|[^\S \n]|^ *(?:[-+=>]|\d{1,9}[.)])|^ {4}| {2,}$",
    re.MULTILINE,
)
_QUOTED = "> "
QUOTE_BAR = "▌ "
_EMPHASIS = Style.combine([_STYLES["em"]])


def render_markdown(source: str) -> Text:
    """The scene text as Rich Text; blocks are separated by one blank line.

    Most scene texts are paragraphs, some quoted, some with a word or two in *emphasis*:
    those are drawn as CommonMark draws them without loading markdown-it, which costs
    over a MiB and a few milliseconds a text. Anything else goes to markdown-it."""
    drawn = _without_parser(source)
    if drawn is None:
        drawn = _Renderer().render(_parser().parse(source))
    return drawn


def _without_parser(source: str) -> Text | None:
    """The text as CommonMark draws it, if it is nothing but paragraphs (blank lines part
    them, the lines of one are joined by a space), each either plain or quoted whole (every
    line starting `> `), with at most the plainest emphasis (see `_stars_pair`); else None.
    """
    lines = source.split("\n")
    quoted = [line.startswith(_QUOTED) for line in lines]
    inner = [line[len(_QUOTED) :] if q else line for line, q in zip(lines, quoted, strict=True)]
    if _MARKUP.search("\n".join(inner)):
        return None
    out = Text(end="")
    block: list[str] = []
    kinds: set[bool] = set()  # quoted or not, for the lines of the block
    for line, is_quoted in zip([*inner, ""], [*quoted, False], strict=True):
        text = line.strip(" ")
        if is_quoted and (not text or line[0] == " "):
            return None  # a blank line inside a quote, or one indented within it
        if text:
            block.append(text)
            kinds.add(is_quoted)
            continue
        if not block:
            continue
        if len(kinds) > 1 or not _stars_pair(" ".join(block)):
            return None  # a quote next to a paragraph, or emphasis less than plain
        if out.plain:
            out.append("\n\n")
        if True in kinds:
            out.append(QUOTE_BAR)
        inside = False
        for number, part_line in enumerate(block):
            if number:
                out.append(" ")  # a soft break, never emphasised
            for index, part in enumerate(part_line.split("*")):
                if index:
                    inside = not inside
                out.append(part, _EMPHASIS if inside else None)
        block, kinds = [], set()
    return out


def _stars_pair(paragraph: str) -> bool:
    """Whether the paragraph's stars are all of the plainest emphasis: single stars that
    alternate between an opening one (after a space or the paragraph's start, before
    anything but a space or a star) and a closing one (after a letter or digit and before
    anything but a letter, a digit or a star; or after any other character but a space or
    a star, and before a space or the paragraph's end). In CommonMark's terms an opening
    star is left-flanking only and a closing star right-flanking (or both, closing what
    was opened just before it), so each pair is one emphasis, whatever else its
    delimiter rules say."""
    stars = [at for at, char in enumerate(paragraph) if char == "*"]
    if len(stars) % 2:
        return False
    for index, at in enumerate(stars):
        before = paragraph[at - 1] if at else " "
        after = paragraph[at + 1] if at + 1 < len(paragraph) else " "
        if index % 2 == 0:
            if before != " " or after in " *":
                return False
        elif before.isalnum():
            if after.isalnum() or after == "*":
                return False
        elif before in " *" or after != " ":
            return False
    return True


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
            self.out.append(QUOTE_BAR * self.quote)

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
