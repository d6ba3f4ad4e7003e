"""Bringing in a Twine story (Twee 3) as a scenario that validates.

What is read, as Twine 2 and Tweego read it:

- passages start at a line beginning `::`; the header is the name (with `\\[ \\] \\{ \\}
  \\\\` escaped), then optional `[tags]` and `{metadata}`; a `\\::` at the start of a text
  line is text;
- `StoryTitle` is the title; `StoryData` (JSON) names the `start` passage (else one named
  `Start`; else the first passage, with a warning);
- a passage named twice: the later one replaces the earlier (as Tweego does), with a
  warning naming both lines;
- links in the four forms `[[text]]`, `[[text->target]]`, `[[target<-text]]` and
  `[[text|target]]` (the rightmost `->`, the leftmost `<-`, the last `|`, as Twine reads
  them); a setter (`[[text|target][$x to 1]]`) is dropped with a warning; a link to a web
  address or to no passage is left out with a warning.

What becomes of it: each story passage is a scene (its id made from its name: accents
dropped, lower case, hyphens; made unique), each link a choice (its id made from the
link's text), the passage's text the scene's text (a line holding only links is dropped;
a link inside prose leaves its text). A passage with no links is an ending of the kind
its `strong`, `mixed` or `poor` tag says, else `mixed` with a warning. Macros (`<<if>>`,
`(if:)`, ...) and `<script>`/`<style>` blocks are reported with their line and left in
the text as written; passages tagged `script`, `stylesheet` or `widget`, and the story
formats' special passages (`StoryInit`, `PassageDone`, ...), are not scenes and are
reported too.

Twee holds no scores and no feedback. So that the scenario can be scored (and validates),
each choice leading straight into a strong ending scores +1 for one ground rule, and each
into a poor ending -1 (into a mixed ending, +1 when the story has no strong ending): a
placeholder, marked `# TODO` in the file and reported per scene, for the trainer to
replace with the real scores and feedback.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path

from mentorquest.errors import UsageError
from mentorquest.textsafe import label, path_label
from mentorquest.toolkit import schemas
from mentorquest.toolkit.scaffold import (
    Planned,
    Written,
    is_slug,
    programme_of,
    programme_text,
    read_programme,
    schema_files,
    slug,
    taken_ids,
    write_all,
)
from mentorquest.toolkit.yamltext import block, scalar

ENDING_TAGS = ("strong", "mixed", "poor")
NOT_SCENES_TAGS = (
    "script",
    "stylesheet",
    "widget",
    "startup",
    "header",
    "footer",
    "debug-header",
    "debug-footer",
    "debug-startup",
)
SPECIAL_PASSAGES = frozenset(
    {
        "StoryInit",
        "StoryCaption",
        "StoryMenu",
        "StoryBanner",
        "StorySubtitle",
        "StoryAuthor",
        "StoryShare",
        "StoryInterface",
        "PassageReady",
        "PassageDone",
        "PassageHeader",
        "PassageFooter",
    }
)

_ESCAPED = re.compile(r"\\(.)", re.DOTALL)
# Conditional macros whose body may hold links: SugarCube's <<if>> ... <</if>> and
# Harlowe's (if: ...)[hook] (and their unless, else-if and else forms).
_SUGAR_CONDITION = re.compile(r"<<\s*(if|elseif|else|unless)\b[^>]*>>|<<\s*/\s*(if|unless)\s*>>")
_HARLOWE_CONDITION = re.compile(r"\((if|unless|else-?if|else):[^)]*\)\s*\[")
_MACROS = re.compile(
    r"<<[^>]*>>"  # SugarCube and friends: <<if $x>>, <<set ...>>
    r"|\((?:[A-Za-z][\w-]*):[^)]*\)?"  # Harlowe: (if: $x), (set: ...)
    r"|<script\b|<style\b",
    re.IGNORECASE,
)
_EXTERNAL = re.compile(r"^\w+://")


@dataclass(frozen=True)
class Note:
    """Something the import could not carry over, at its line in the Twee file."""

    line: int
    message: str


@dataclass
class Passage:
    name: str
    tags: list[str]
    line: int  # of its header
    text_line: int  # of its first text line
    text: str


@dataclass
class Link:
    text: str
    target: str
    line: int
    setter: bool = False
    condition: str | None = None  # the macro it is inside, shown only when that holds


@dataclass
class Story:
    title: str | None
    start: str | None
    passages: dict[str, Passage]
    warnings: list[Note] = field(default_factory=list)


# --- reading Twee ------------------------------------------------------------------------------


def _header(text: str) -> tuple[str, list[str], str | None]:
    """(name, tags, metadata) of a header line without its `::`."""
    name_chars: list[str] = []
    i = 0
    while i < len(text):
        char = text[i]
        if char == "\\" and i + 1 < len(text):
            name_chars.append(text[i + 1])
            i += 2
            continue
        if char in "[{":
            break
        name_chars.append(char)
        i += 1
    rest = text[i:].strip()
    tags: list[str] = []
    if rest.startswith("["):
        end = rest.find("]")
        inside, rest = (rest[1:end], rest[end + 1 :].strip()) if end != -1 else (rest[1:], "")
        tags = [t.replace("\\", "") for t in inside.split() if t]
    metadata = rest if rest.startswith("{") else None
    return "".join(name_chars).strip(), tags, metadata


def read_story(source: str) -> Story:
    warnings: list[Note] = []
    passages: dict[str, Passage] = {}
    title: str | None = None
    data: str | None = None
    data_line = 0
    lines = source.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    current: tuple[str, list[str], int] | None = None
    body: list[str] = []

    def close() -> None:
        nonlocal title, data, data_line
        if current is None:
            return
        name, tags, line = current
        text = "\n".join(body).strip("\n")
        if name == "StoryTitle":
            title = text.strip()
            return
        if name == "StoryData":
            data, data_line = text, line
            return
        if name in passages:
            warnings.append(
                Note(
                    line,
                    f"passage '{name}' is defined twice (first at line "
                    f"{passages[name].line}); the later one replaces it",
                )
            )
            del passages[name]
        passages[name] = Passage(name, tags, line, line + 1, text)

    nameless = False  # inside a passage whose header has no name: its text is left out
    for number, raw in enumerate(lines, start=1):
        if raw.startswith("::"):
            close()
            name, tags, metadata = _header(raw[2:])
            body = []
            nameless = not name
            if nameless:
                warnings.append(Note(number, "a passage header with no name; its text is left out"))
                current = None
                continue
            current = (name, tags, number)
            if metadata is not None and not _json_object(metadata):
                warnings.append(
                    Note(
                        number,
                        f"passage '{name}' has metadata that is not a valid JSON object "
                        f"({metadata[:40]}); it is ignored",
                    )
                )
        elif current is not None:
            body.append(raw[1:] if raw.startswith("\\::") else raw)
        elif raw.strip() and not nameless:
            warnings.append(Note(number, "text before the first passage header is left out"))
    close()

    start: str | None = None
    if data is not None:
        try:
            parsed = json.loads(data)
        except ValueError:
            warnings.append(Note(data_line, "StoryData is not valid JSON; it is ignored"))
        else:
            if isinstance(parsed, dict) and isinstance(parsed.get("start"), str):
                start = parsed["start"]
    return Story(title, start, passages, warnings)


def _json_object(text: str) -> bool:
    try:
        return isinstance(json.loads(text), dict)
    except ValueError:
        return False


def link_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, inside) of each `[[...]]` link in `text`. A link opens at the last `[`
    of a run (`(if: x)[[[a->b]]]` is a hook holding the link `[[a->b]]`) and closes at the
    first `]]` that is not escaped (`[[A\\[b\\]->A\\[b\\]]]`)."""
    found: list[tuple[int, int, str]] = []
    i = 0
    while True:
        start = text.find("[[", i)
        if start < 0:
            return found
        while text.startswith("[", start + 2):
            start += 1
        j = start + 2
        end = -1
        while j < len(text):
            if text[j] == "\\":
                j += 2
                continue
            if text.startswith("]]", j):
                end = j
                break
            j += 1
        if end < 0:
            return found
        found.append((start, end + 2, text[start + 2 : end]))
        i = end + 2


def _parts_of(inner: str) -> tuple[str, str, bool]:
    """(text, target, has a setter) of a link's inside, in the forms Twine reads: the
    rightmost `->`, the leftmost `<-`, the last `|`; escapes (`\\[`) taken as the
    character they escape."""
    setter = "][" in inner
    if setter:
        inner = inner.split("][", 1)[0]
    if "->" in inner:
        text, _, target = inner.rpartition("->")
    elif "<-" in inner:
        target, _, text = inner.partition("<-")
    elif "|" in inner:
        text, _, target = inner.rpartition("|")
    else:
        text = target = inner
    text, target = _unescaped(text.strip()), _unescaped(target.strip())
    return text or target, target, setter


def _unescaped(text: str) -> str:
    return _ESCAPED.sub(r"\1", text)


def links_of(passage: Passage) -> list[Link]:
    found = []
    conditional = _conditional_spans(passage.text)
    for start, _, inner in link_spans(passage.text):
        line = passage.text_line + passage.text.count("\n", 0, start)
        text, target, setter = _parts_of(inner)
        condition = next((macro for a, b, macro in conditional if a <= start < b), None)
        found.append(Link(text, target, line, setter, condition))
    return found


def _conditional_spans(text: str) -> list[tuple[int, int, str]]:
    """(start, end, the macro) of each stretch of `text` shown only when a condition
    holds: from `<<if ...>>` to its `<</if>>`, and a Harlowe `(if: ...)[hook]`."""
    spans: list[tuple[int, int, str]] = []
    opened: list[tuple[int, str]] = []
    for match in _SUGAR_CONDITION.finditer(text):
        if match.group(2) is not None:  # <</if>>
            if opened:
                begin, macro = opened.pop()
                spans.append((begin, match.end(), macro))
        elif match.group(1) in ("if", "unless"):
            opened.append((match.start(), match.group()))
    spans += [(begin, len(text), macro) for begin, macro in opened]  # never closed
    for match in _HARLOWE_CONDITION.finditer(text):
        depth, j = 1, match.end()
        while j < len(text) and depth:
            if text[j] == "[":
                depth += 1
            elif text[j] == "]":
                depth -= 1
            j += 1
        spans.append((match.start(), j, match.group()[:-1].rstrip()))
    return spans


# --- writing the scenario ------------------------------------------------------------------------


@dataclass
class Imported:
    """The scenario's YAML text, its id, and what the import could not carry over."""

    scenario_id: str
    text: str
    warnings: list[Note]
    scenes: int
    choices: int


def _unique(base: str, taken: set[str]) -> str:
    made, n = base, 2
    while made in taken:
        made, n = f"{base}-{n}", n + 1
    taken.add(made)
    return made


def convert(
    source: str,
    *,
    scenario_id: str | None,
    fallback_title: str,
    role: str,
    rule: str,
) -> Imported:
    """The story as a scenario file's text (without its schema line, which depends on
    where it is written)."""
    story = read_story(source)
    warnings = list(story.warnings)
    scenes: dict[str, Passage] = {}
    for name, passage in story.passages.items():
        reason = None
        if name in SPECIAL_PASSAGES:
            reason = f"special passage '{name}' is not a scene; it is left out"
        elif any(tag in NOT_SCENES_TAGS for tag in passage.tags):
            tag = next(t for t in passage.tags if t in NOT_SCENES_TAGS)
            reason = (
                f"passage '{name}' is tagged '{tag}': a script it cannot convert; it is left out"
            )
        if reason:
            warnings.append(Note(passage.line, reason))
        else:
            scenes[name] = passage
    if not scenes:
        raise UsageError("the story has no passages to import")

    start = story.start
    if start is not None and start not in scenes:
        warnings.append(Note(1, f"StoryData names start passage '{start}', which is not there"))
        start = None
    if start is None and "Start" in scenes:
        start = "Start"
    if start is None:
        start = next(iter(scenes))
        warnings.append(
            Note(
                scenes[start].line,
                f"the story names no start passage; the first one, '{start}', is the start",
            )
        )

    ids: dict[str, str] = {}
    taken: set[str] = set()
    for name in scenes:
        ids[name] = _unique(slug(name, "passage"), taken)

    # Links, resolved to scenes; macros reported.
    links: dict[str, list[Link]] = {}
    for name, passage in scenes.items():
        kept = []
        for link in links_of(passage):
            if link.condition is not None:
                warnings.append(
                    Note(
                        link.line,
                        f"link '{link.text}' is shown only under {link.condition[:40]}, which "
                        "cannot be converted: it becomes a choice that is always offered; "
                        "give it an 'if:' by hand",
                    )
                )
            if link.setter:
                warnings.append(
                    Note(
                        link.line,
                        f"the setter of link '{link.text}' cannot be converted; it is left out",
                    )
                )
            if _EXTERNAL.match(link.target):
                warnings.append(
                    Note(link.line, f"link to a web address '{link.target}' is left out")
                )
            elif link.target not in scenes:
                warnings.append(
                    Note(
                        link.line,
                        f"link '{link.text}' names no passage '{link.target}'; it is left out",
                    )
                )
            else:
                kept.append(link)
        links[name] = kept
        for match in _MACROS.finditer(passage.text):
            line = passage.text_line + passage.text.count("\n", 0, match.start())
            warnings.append(
                Note(
                    line,
                    f"macro or script '{match.group()[:40]}' cannot be converted; "
                    "it is left in the scene's text",
                )
            )

    kinds: dict[str, str] = {}
    for name, passage in scenes.items():
        tagged_all = list(dict.fromkeys(t for t in passage.tags if t in ENDING_TAGS))
        tagged = tagged_all[0] if tagged_all else None
        if len(tagged_all) > 1:
            warnings.append(
                Note(
                    passage.line,
                    f"passage '{name}' is tagged {' and '.join(tagged_all)}; "
                    f"the first, '{tagged}', is taken: keep one",
                )
            )
        if links[name]:
            if tagged:
                warnings.append(
                    Note(
                        passage.line,
                        f"passage '{name}' has links, so its tag '{tagged}' is not an ending",
                    )
                )
            continue
        if tagged is None:
            warnings.append(
                Note(
                    passage.line,
                    f"passage '{name}' has no links: it is an ending of kind mixed; tag it "
                    "strong, mixed or poor to say which",
                )
            )
        kinds[name] = tagged or "mixed"
    # Placeholder scores that let the scenario be scored: +1 into the best kind of ending
    # the story reaches, -1 into a worse one; with only one kind, +1 into each.
    reached = _reached(start, links)
    reachable_kinds = {kinds[name] for name in reached if name in kinds} or set(kinds.values())
    rewarded = next((k for k in ENDING_TAGS if k in reachable_kinds), "mixed")

    title = story.title or fallback_title
    made_id = scenario_id or slug(title, "imported-story")
    out = [
        f"# Imported from Twine by mentorquest import twee: {label(title)}",
        "# Twee holds no scores and no feedback: each choice into a strong ending scores +1",
        "# and each into a poor ending -1, as placeholders (marked TODO); write the real ones.",
        "format: 1",
        f"id: {scalar(made_id)}",
        f"title: {scalar(title)}",
        f"roles: [{scalar(role, flow=True)}]",
        f"start: {scalar(ids[start])}",
        "scenes:",
    ]
    choice_count = 0
    for name, passage in scenes.items():
        out.append(f"  # Twine passage {scalar(label(name))} (line {passage.line})")
        out.append(f"  {scalar(ids[name])}:")
        out.append(f"    text: {block(_scene_text(passage, name), 6)}")
        if name in kinds:
            out.append(f"    ending: {kinds[name]}")
            continue
        out.append("    choices:")
        choice_ids: set[str] = set()
        placeholders = 0
        for link in links[name]:
            made = slug(link.text, "") or slug(link.target, "choice")
            if made.isdigit():  # a number picks a choice by its place, never by its id
                made = f"choice-{made}"
            choice_id = _unique(made, choice_ids)
            target = link.target
            out.append(f"      - id: {scalar(choice_id)}")
            out.append(f"        text: {scalar(link.text)}")
            out.append(f"        goto: {scalar(ids[target])}")
            kind = kinds.get(target)
            points = 0
            if kind == rewarded:
                points = 1
            elif kind == "poor":
                points = -1
            if points:
                placeholders += 1
                out.append(
                    f"        scores: {{{scalar(rule, flow=True)}: {points}}}"
                    "   # TODO: a placeholder score"
                )
            out.append("        # TODO: feedback, and scores against the ground rules")
            choice_count += 1
        warnings.append(
            Note(
                passage.line,
                f"scene '{ids[name]}': {len(links[name])} choice(s) with no feedback"
                + (f" and {placeholders} placeholder score(s)" if placeholders else "")
                + "; write them",
            )
        )
    warnings.sort(key=lambda note: note.line)
    return Imported(made_id, "\n".join(out) + "\n", warnings, len(scenes), choice_count)


def _reached(start: str, links: dict[str, list[Link]]) -> set[str]:
    """The passages a reader can reach from the start by following links."""
    seen = {start}
    stack = [start]
    while stack:
        for link in links.get(stack.pop(), []):
            if link.target not in seen:
                seen.add(link.target)
                stack.append(link.target)
    return seen


def _scene_text(passage: Passage, name: str) -> str:
    kept = []
    for line in passage.text.split("\n"):
        spans = link_spans(line)
        if not spans:
            kept.append(line)
            continue
        rest, shown, at = [], [], 0
        for start, end, inner in spans:
            rest.append(line[at:start])
            shown += [line[at:start], _parts_of(inner)[0]]
            at = end
        rest.append(line[at:])
        shown.append(line[at:])
        if line.strip() and not "".join(rest).strip():
            continue  # a line of links only: they are the choices
        kept.append("".join(shown))
    text = "\n".join(kept).strip()
    return text or name


def read_twee(path: Path) -> str:
    """The story file's text: a regular file of at most 5 MB, as a library's files are
    read (a FIFO or a device such as /dev/zero is refused, never read without end)."""
    import os
    import stat

    from mentorquest.language.files import (
        MAX_FILE_BYTES,
        FileProblem,
        LibraryFile,
        file_kind,
        read_bytes,
    )

    shown = path_label(str(path))
    try:
        info = os.stat(path)
    except OSError as error:
        raise UsageError(f"cannot read {shown}: {error.strerror or error}") from None
    if not stat.S_ISREG(info.st_mode):
        raise UsageError(
            f"{shown}: not a regular file ({file_kind(info.st_mode)}); give the story's Twee file"
        )
    if info.st_size > MAX_FILE_BYTES:
        raise UsageError(
            f"{shown}: the story is {info.st_size:,} bytes; at most {MAX_FILE_BYTES:,} (5 MB) "
            "are read"
        )
    try:
        raw = read_bytes(LibraryFile(path, path.name, info.st_size, info.st_mtime_ns))
    except FileProblem as problem:
        raise UsageError(f"{shown}: {problem}") from None
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        line = raw.count(b"\n", 0, error.start) + 1
        raise UsageError(
            f"{path_label(str(path))}:{line}: not valid UTF-8 (byte 0x{raw[error.start]:02x}); "
            "save the story as UTF-8 (Twine does)"
        ) from None


def import_story(
    out: Path,
    source: str,
    *,
    fallback_title: str,
    scenario_id: str | None = None,
    role: str | None = None,
) -> tuple[list[Written], Imported]:
    """Import a Twee story as a scenario of the library `out` (a programme and the schemas
    are started there if it has none). Everything is checked before anything is written:
    the id (a slug, not taken by another file of the library), the role, the story
    itself, and that no file written would replace one already there."""
    from mentorquest.language.suggest import did_you_mean

    if scenario_id is not None and not is_slug(scenario_id):
        raise UsageError(
            f"'{label(scenario_id)}' is not a valid scenario id: use lower-case letters, "
            "digits and single hyphens"
        )
    if out.exists() and not out.is_dir():
        raise UsageError(f"{path_label(str(out))} is not a folder")
    planned: list[Planned] = []
    if (out / "programme.yaml").exists() or (out / "programme.yml").exists():
        programme = read_programme(out)
        found = schemas.find_schemas(out)
        schema_folder = found if found is not None else out / schemas.FOLDER
        if found is None:
            planned += schema_files(schema_folder)
        taken = taken_ids(out)
    else:
        schema_folder = out / schemas.FOLDER
        planned += schema_files(schema_folder)
        programme_file = out / "programme.yaml"
        name = out.resolve().name
        text = programme_text(
            programme_file, schema_folder, slug(name, "my-programme"), f"{name} onboarding", []
        )
        planned.append(Planned(programme_file, text, "programme"))
        programme = programme_of(text)
        taken = {}
    if role is not None and role not in programme.roles:
        raise UsageError(f"unknown role '{label(role)}'{did_you_mean(role, programme.roles)}")
    imported = convert(
        source,
        scenario_id=scenario_id,
        fallback_title=fallback_title,
        role=role or programme.roles[0],
        rule=programme.ground_rules[0].id,
    )
    if imported.scenario_id in taken:
        raise UsageError(
            f"the library already has a scenario '{imported.scenario_id}' "
            f"({label(taken[imported.scenario_id])}); choose another id with --id"
        )
    target = out / f"{imported.scenario_id}.yaml"
    text = schemas.pointer(target, schema_folder, "scenario") + "\n" + imported.text
    planned.append(Planned(target, text, "scenario"))
    return write_all(planned), imported
