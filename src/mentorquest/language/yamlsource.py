"""Reading YAML safely, keeping every value's position for later error messages.

The composed node tree (built by libyaml's C parser when available) is kept beside the
plain Python data; positions are looked up in it only when something must be reported,
so the error-free path costs no more than a plain safe load.

Safety: only YAML's core tags are accepted; aliases may not expand a document by more
than `ALIAS_EXPANSION_LIMIT` nodes (a "billion laughs" file fails at once); nesting is
bounded before libyaml sees the text, because its composer recurses on the C stack.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import yaml

from mentorquest.language.diagnostics import Diagnostic, Position, Severity
from mentorquest.language.files import MAX_FILE_BYTES
from mentorquest.textsafe import clip

try:  # libyaml makes loading several times faster; fall back to pure Python without it.
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment,unused-ignore]

MAX_DEPTH = 64
_UNUSUAL_BREAKS = re.compile("[\x85\u2028\u2029]")
FLOW_SCAN_LIMIT = 1000
ALIAS_EXPANSION_LIMIT = 100_000
# A long text counts as one value for each this many characters, so that an alias cannot
# multiply one big text instead of many small values.
CHARS_PER_VALUE = 100

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_TAG + t for t in ("str", "int", "float", "bool", "null"))
_MAP, _SEQ, _TIMESTAMP, _MERGE, _VALUE = (
    _TAG + t for t in ("map", "seq", "timestamp", "merge", "value")
)
_BRACKETS = re.compile(r"[\[\]{}]")
_TRUE = frozenset({"yes", "true", "on", "y"})
_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_ScalarNode = yaml.ScalarNode


class YamlProblem(Exception):
    """A problem that stops a file from being read; carries its position."""

    def __init__(self, message: str, line: int = 1, column: int = 1) -> None:
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


@dataclass
class Document:
    """One YAML file: its data as plain Python values, and the nodes that say where they were."""

    file: str
    data: Any
    root: yaml.Node | None = field(repr=False)
    # Problems that did not stop the file from being read (a key twice, a tag), each
    # reported at its place while the rest of the file is checked as usual.
    problems: list[Diagnostic] = field(default_factory=list, repr=False)
    # The text the nodes were read from: where a character inside a value is.
    text: str = field(default="", repr=False)

    _index: dict[int, dict[str, tuple[yaml.Node, yaml.Node]]] = field(
        default_factory=dict, repr=False
    )
    # Whether the text holds a line break only YAML counts (see `_place`); None: not looked.
    _unusual: bool | None = field(default=None, repr=False)

    def position(self, path: Sequence[str | int], *, key: bool = False) -> Position:
        """Where the value at `path` is (or its key, with `key=True`); the nearest parent if absent."""
        node = self.root
        if node is None:
            return Position(self.file, 1, 1)
        found_key: yaml.Node | None = None
        for segment in path:
            child, child_key = self._child(node, segment)
            if child is None:
                break
            node, found_key = child, child_key
        else:
            if key and found_key is not None:
                node = found_key
        return Position(self.file, *self._place(node.start_mark))

    def _place(self, mark: yaml.Mark) -> tuple[int, int]:
        """Line and column of a mark as an editor counts them. YAML also breaks lines at
        U+0085, U+2028 and U+2029, which editors and grep show as characters of a line: in
        a file that holds one, lines are counted from the text, at line feeds alone."""
        if self._unusual is None:  # looked for once per file
            self._unusual = bool(self.text) and _UNUSUAL_BREAKS.search(self.text) is not None
        if self._unusual:
            index = mark.index
            return (
                self.text.count("\n", 0, index) + 1,
                index - self.text.rfind("\n", 0, index),
            )
        return mark.line + 1, mark.column + 1

    def inside(self, path: Sequence[str | int], offset: int) -> Position:
        """Where the character at `offset` of the text value at `path` is written: its own
        line and column, whether the value is plain, quoted or a block, on one line or
        several (folded lines, escapes and doubled quotes accounted for)."""
        base = self.position(path)
        node = self.node_at(path)
        if not isinstance(node, yaml.ScalarNode) or not self.text:
            return base
        found = _index_in_source(self.text, node, offset)
        if found is None:
            return base
        line = self._place(node.start_mark)[0] + self.text.count("\n", node.start_mark.index, found)
        column = found - self.text.rfind("\n", 0, found)
        return Position(self.file, line, column)

    def read_as(self, path: Sequence[str | int], written: str, meant: str) -> None:
        """Let `meant` find what is written under the key `written` in the mapping at `path`:
        a misspelt field read as the field it misspells keeps its place in messages."""
        node = self.node_at(path)
        if isinstance(node, yaml.MappingNode):
            self._child(node, written)  # indexes the mapping
            index = self._index[id(node)]
            if written in index:
                index.setdefault(meant, index[written])

    def read_items(self, path: Sequence[str | int]) -> None:
        """Let the items of a list written as a mapping (`choices: {x: {...}}`) be found as
        list items: item i is the mapping's i-th value, and its `id` is the i-th key."""
        node = self.node_at(path)
        if not isinstance(node, yaml.MappingNode):
            return
        self._child(node, "")  # indexes the mapping
        index = self._index[id(node)]
        for number, (key_node, value_node) in enumerate(node.value):
            index.setdefault(str(number), (value_node, key_node))
            if isinstance(value_node, yaml.MappingNode):
                self._child(value_node, "")
                self._index[id(value_node)].setdefault("id", (key_node, key_node))

    def node_at(self, path: Sequence[str | int]) -> yaml.Node | None:
        node = self.root
        for segment in path:
            if node is None:
                return None
            node, _ = self._child(node, segment)
        return node

    def _child(
        self, node: yaml.Node, segment: str | int
    ) -> tuple[yaml.Node | None, yaml.Node | None]:
        if isinstance(node, yaml.MappingNode):
            # Index each mapping once, on first lookup: reporting many problems in a large
            # file must not scan its biggest mappings again for every one of them.
            index = self._index.get(id(node))
            if index is None:
                index = {}
                for key_node, value_node in node.value:
                    if isinstance(key_node, yaml.ScalarNode):
                        # A key given twice is read at its first place (see _Builder).
                        index.setdefault(key_node.value, (value_node, key_node))
                self._index[id(node)] = index
            return index.get(str(segment), (None, None))
        if isinstance(node, yaml.SequenceNode) and isinstance(segment, int):
            if 0 <= segment < len(node.value):
                return node.value[segment], None
        return None, None


# Double-quoted escapes: the length of what follows the backslash, and whether the
# character they stand for is white space (not counted when matching value to source).
_ESCAPE_LENGTH = {"x": 2, "u": 4, "U": 8}
_SPACE_ESCAPES = frozenset("t\tnvfr N_LP")


def _index_in_source(text: str, node: yaml.ScalarNode, offset: int) -> int | None:
    """The index in `text` of the character at `offset` in the node's value (or just after
    the last character before it, when it is white space or the end). White space is where
    the value and its source differ (indentation, folded line breaks), so the value's
    other characters are matched one by one with the source's."""
    value, style = node.value, node.style
    start, end = node.start_mark.index, node.end_mark.index
    if style in ("|", ">"):
        start = text.find("\n", start, end) + 1  # the content starts below the header
        if start == 0:
            return None
    elif style in ("'", '"'):
        start += 1
    offset = max(0, min(offset, len(value)))
    wanted = sum(1 for char in value[:offset] if not char.isspace())
    at_char = offset < len(value) and not value[offset].isspace()
    count = 0
    i = start
    after = start
    while i < end:
        char = text[i]
        length, space = 1, char.isspace()
        if style == '"' and char == "\\":
            escape = text[i + 1 : i + 2]
            if escape in ("\n", "\r"):  # a line continued: stands for nothing
                i += 2
                continue
            length = 2 + _ESCAPE_LENGTH.get(escape, 0)
            if escape in _ESCAPE_LENGTH:
                try:
                    space = chr(int(text[i + 2 : i + length], 16)).isspace()
                except ValueError:
                    return None
            else:
                space = escape in _SPACE_ESCAPES
        elif style == "'" and char == "'":
            if text[i + 1 : i + 2] != "'":
                break  # the closing quote
            length = 2
        elif style == '"' and char == '"':
            break
        if not space:
            if at_char and count == wanted:
                return i
            count += 1
            after = i + length
            if not at_char and count == wanted:
                return after
        i += length
    if not at_char and count >= wanted:
        return after
    return None


def read_document(raw: bytes, display: str) -> tuple[Document | None, list[Diagnostic]]:
    """Parse one YAML file's bytes; on failure return no document and the diagnostics saying why."""
    try:
        document = parse_text(decode(raw), display)
    except YamlProblem as problem:
        return None, [_diagnostic(display, problem)]
    return document, list(document.problems)


def unreadable(display: str, message: str) -> Diagnostic:
    """The diagnostic for a file that could not be read at all."""
    return _diagnostic(display, YamlProblem(message))


def _diagnostic(file: str, problem: YamlProblem) -> Diagnostic:
    return Diagnostic(Position(file, problem.line, problem.column), Severity.ERROR, problem.message)


def decode(raw: bytes) -> str:
    if len(raw) > MAX_FILE_BYTES:
        raise YamlProblem(
            f"file is {len(raw):,} bytes; the limit is {MAX_FILE_BYTES:,} bytes (5 MB)"
        )
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line_start = raw.rfind(b"\n", 0, error.start) + 1
        line = raw.count(b"\n", 0, error.start) + 1
        column = len(raw[line_start : error.start].decode("utf-8", "replace")) + 1
        bad = raw[error.start : error.start + 1].hex()
        raise YamlProblem(
            f"file is not valid UTF-8 (byte 0x{bad}); save it with UTF-8 encoding", line, column
        ) from None


def parse_text(text: str, file: str = "<string>") -> Document:
    """Parse YAML text into a Document; raises YamlProblem with a position on any failure."""
    _check_flow_depth(text)
    try:
        root = yaml.compose(text, Loader=_Loader)
    except yaml.MarkedYAMLError as error:
        raise _syntax_problem(error, text) from None
    except yaml.reader.ReaderError:
        raise _character_problem(text) from None
    except yaml.YAMLError as error:
        raise YamlProblem(f"YAML error: {error}") from None
    if root is None:
        return Document(file, None, None)
    builder = _Builder()
    data = builder.build(root, 0)
    return Document(file, data, root, [_diagnostic(file, p) for p in builder.problems], text)


# The characters YAML reads (its "printable" set); any other stops the reader.
_NOT_YAML = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _character_problem(text: str) -> YamlProblem:
    """The first character YAML does not allow, at its line and column, named."""
    match = _NOT_YAML.search(text)
    if match is None:  # pragma: no cover - the reader refused something
        return YamlProblem("the file holds a character YAML does not allow")
    start = match.start()
    line = text.count("\n", 0, start) + 1
    column = start - text.rfind("\n", 0, start)
    code = ord(match.group())
    what = "a control character" if code < 0x20 or 0x7F <= code <= 0x9F else "a character"
    return YamlProblem(
        f"the file holds {what} (U+{code:04X}), which YAML does not allow even in quotes; "
        f"remove it, or write it as \\u{code:04x} inside double quotes",
        line,
        column,
    )


def _check_flow_depth(text: str) -> None:
    # libyaml's composer recurses once per level of [ ] or { } and crashes the process
    # beyond some tens of thousands; count cheaply first, scan precisely only if needed.
    # Nesting up to FLOW_SCAN_LIMIT is left to the builder, which reports the first value
    # past MAX_DEPTH exactly; beyond it, the bracket that first went past MAX_DEPTH is named
    # (brackets anywhere are counted, in text and comments too, hence the generous bound:
    # a long text may well open a few hundred brackets it never closes; libyaml itself
    # refuses flow nesting past about 1,000 levels, some older versions crash instead).
    if text.count("[") + text.count("{") <= MAX_DEPTH:
        return
    depth = 0
    first_past = -1
    for match in _BRACKETS.finditer(text):
        if match.group() in "[{":
            depth += 1
            if depth == MAX_DEPTH + 1 and first_past < 0:
                first_past = match.start()
            if depth > FLOW_SCAN_LIMIT:
                line = text.count("\n", 0, first_past) + 1
                column = first_past - text.rfind("\n", 0, first_past)
                raise YamlProblem(
                    f"brackets are nested more than {MAX_DEPTH} levels deep", line, column
                )
        elif depth:
            depth -= 1
            if depth == 0:
                first_past = -1


def _syntax_problem(error: yaml.MarkedYAMLError, text: str) -> YamlProblem:
    mark = error.problem_mark or error.context_mark
    line, column = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    problem = error.problem or "invalid YAML"
    if "'\\t'" in problem or "\\t" in problem or _tab_at(text, mark):
        return YamlProblem(
            "tab character in indentation; YAML indents with spaces only", line, column
        )
    if error.context and error.context_mark is not None and error.context_mark is not mark:
        cm = error.context_mark
        problem = f"{problem} ({error.context} at line {cm.line + 1})"
    return YamlProblem(f"YAML syntax error: {problem}", line, column)


def _tab_at(text: str, mark: Any) -> bool:
    if mark is None:
        return False
    lines = text.splitlines()
    if mark.line >= len(lines):
        return False
    leading = re.match(r"[ \t]*", lines[mark.line]).group()  # type: ignore[union-attr]
    return "\t" in leading


def _tag_name(tag: str) -> str:
    return "!!" + tag[len(_TAG) :] if tag.startswith(_TAG) else tag


def _problem_at(node: yaml.Node, message: str) -> YamlProblem:
    return YamlProblem(message, node.start_mark.line + 1, node.start_mark.column + 1)


class _Builder:
    """Turns composed nodes into plain dicts, lists and scalars, refusing what is unsafe.

    What would make reading unbounded (aliases that multiply, an alias inside itself, deep
    nesting) stops the file at once. What is only wrong in one place (a key given twice,
    a tag) is noted in `problems` and read as plainly as it can be (the first value of a
    key; a tagged value as the plain value under the tag), so that the rest of the file
    is still checked.
    """

    def __init__(self) -> None:
        self.memo: dict[int, Any] = {}
        self.sizes: dict[int, int] = {}
        self.building: set[int] = set()
        self.expanded = 0
        self.long_texts: set[int] = set()  # long scalars seen, by node
        self.problems: list[YamlProblem] = []

    def _note(self, node: yaml.Node, message: str) -> None:
        self.problems.append(_problem_at(node, message))

    def _expand(self, node: yaml.Node, size: int) -> None:
        """An alias, `size` values big, used once more."""
        self.expanded += size
        if self.expanded > ALIAS_EXPANSION_LIMIT:
            raise _problem_at(
                node,
                f"aliases expand this file by more than {ALIAS_EXPANSION_LIMIT:,} values "
                f"(a text counts one for each {CHARS_PER_VALUE} characters); anchors and "
                "aliases may not be used to multiply content",
            )

    def _text_size(self, node: yaml.ScalarNode) -> int:
        """A scalar's size; a long one used again through an alias (the same node) counts
        towards the expansion limit, as an aliased collection does."""
        length = len(node.value)
        if length < CHARS_PER_VALUE:
            return 1
        size = 1 + length // CHARS_PER_VALUE
        key = id(node)
        if key in self.long_texts:
            self._expand(node, size)
        else:
            self.long_texts.add(key)
        return size

    def build(self, node: yaml.Node, depth: int) -> Any:
        key = id(node)
        if key in self.memo:
            # An alias: the same node again. Count what it would expand to.
            self._expand(node, self.sizes[key])
            return self.memo[key]
        if key in self.building:
            raise _problem_at(node, "an alias refers to the collection that contains it")
        if depth > MAX_DEPTH:
            raise _problem_at(node, f"values are nested more than {MAX_DEPTH} levels deep")
        if isinstance(node, yaml.ScalarNode):
            value = self._scalar(node)
            size = self._text_size(node)
        else:
            self.building.add(key)
            try:
                if isinstance(node, yaml.MappingNode):
                    value, size = self._mapping(node, depth)
                else:
                    assert isinstance(node, yaml.SequenceNode)
                    value, size = self._sequence(node, depth)
            finally:
                self.building.discard(key)
        self.memo[key] = value
        self.sizes[key] = size
        return value

    def _scalar(self, node: yaml.ScalarNode) -> Any:
        tag, text = node.tag, node.value
        if tag == _STR or tag == _TIMESTAMP or tag == _VALUE:
            return text
        if tag == _NULL:
            return None
        if tag == _BOOL:
            return text.lower() in _TRUE
        if tag == _INT:
            try:
                return int(text)
            except ValueError:
                pass
            try:
                return _CONSTRUCTOR.construct_yaml_int(node)
            except ValueError:  # more digits than Python converts (4,300)
                self._note(node, f"the number {clip(text, 40)} is too large")
                return 0
        if tag == _FLOAT:
            try:
                return float(text)
            except ValueError:
                return _CONSTRUCTOR.construct_yaml_float(node)
        if tag in (_MAP, _SEQ):
            self._note(node, f"YAML tag '{_tag_name(tag)}' does not fit a plain value")
        else:
            self._note(
                node,
                f"YAML tag '{_tag_name(tag)}' is not allowed; use plain values, lists and mappings",
            )
        return text

    def _sequence(self, node: yaml.SequenceNode, depth: int) -> tuple[list[Any], int]:
        if node.tag != _SEQ:
            self._note(node, f"YAML tag '{_tag_name(node.tag)}' is not allowed; use plain lists")
        items = []
        size = 1
        sizes = self.sizes
        for child in node.value:
            # Scalars are the great majority of nodes: handle them without the memo.
            if child.__class__ is _ScalarNode:
                items.append(child.value if child.tag == _STR else self._scalar(child))
                size += 1 if len(child.value) < CHARS_PER_VALUE else self._text_size(child)
            else:
                items.append(self.build(child, depth + 1))
                size += sizes[id(child)]
        return items, size

    def _mapping(self, node: yaml.MappingNode, depth: int) -> tuple[dict[Any, Any], int]:
        if node.tag != _MAP:
            self._note(node, f"YAML tag '{_tag_name(node.tag)}' is not allowed; use plain mappings")
        result: dict[Any, Any] = {}
        merged: dict[Any, Any] | None = None
        size = 1
        sizes = self.sizes
        for key_node, value_node in node.value:
            if key_node.__class__ is _ScalarNode and key_node.tag == _STR:
                key = key_node.value
            elif key_node.tag == _MERGE:
                merged = merged or {}
                merged.update(self._merge_source(value_node, depth))
                size += sizes[id(value_node)]
                continue
            elif not isinstance(key_node, yaml.ScalarNode):
                self._note(key_node, "a mapping key must be a plain value, not a list or mapping")
                continue
            else:
                # Keys are names in this format (fields, ids), so a key is what was typed:
                # `on:` or `1:` name "on" and "1", never a yes/no value or a number.
                self._scalar(key_node)  # still refuses tags that are not allowed
                key = key_node.value
            if key in result:
                first = next(
                    k for k, _ in node.value if k is not key_node and k.value == key_node.value
                )
                # The first value is kept (and checked); the later one is not read.
                self._note(
                    key_node,
                    f"duplicate key '{key_node.value}' (first defined at line "
                    f"{first.start_mark.line + 1}); YAML would silently keep only the last one",
                )
                continue
            if value_node.__class__ is _ScalarNode:
                result[key] = (
                    value_node.value if value_node.tag == _STR else self._scalar(value_node)
                )
                size += (
                    2
                    if len(value_node.value) < CHARS_PER_VALUE
                    else 1 + self._text_size(value_node)
                )
            else:
                result[key] = self.build(value_node, depth + 1)
                size += 1 + sizes[id(value_node)]
        if merged:
            merged.update(result)
            result = merged
        return result, size

    def _merge_source(self, node: yaml.Node, depth: int) -> dict[Any, Any]:
        value = self.build(node, depth + 1)
        sources = value if isinstance(value, list) else [value]
        merged: dict[Any, Any] = {}
        for source in reversed(sources):
            if not isinstance(source, dict):
                self._note(node, "a merge key '<<' must refer to a mapping or a list of mappings")
                continue
            merged.update(source)
        return merged
