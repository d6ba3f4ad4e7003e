"""Scene text: CommonMark drawn as Rich Text, shapes instead of colours, nothing interpreted."""

from __future__ import annotations

from mentorquest.textsafe import literal
from mentorquest.tui.widgets.prose import RULE, render_markdown


def _styles_of(text, word: str) -> set[str]:
    start = text.plain.index(word)
    found = set()
    for span in text.spans:
        if span.start <= start < span.end:
            style = span.style
            for name in ("bold", "italic", "underline", "strike"):
                if getattr(style, name):
                    found.add(name)
    return found


def test_paragraphs_are_separated_and_soft_breaks_join_lines():
    text = render_markdown("One line\nand its continuation.\n\nA second paragraph.")
    assert text.plain == "One line and its continuation.\n\nA second paragraph."


def test_emphasis_is_a_style_not_characters():
    text = render_markdown("She said **no**, *twice*, and ~~left~~ `stayed`.")
    assert text.plain == "She said no, twice, and left stayed."
    assert _styles_of(text, "no") == {"bold"}
    assert _styles_of(text, "twice") == {"italic"}
    assert _styles_of(text, "left") == {"strike"}
    assert "bold" in _styles_of(text, "stayed")


def test_lists_are_told_by_bullets_and_numbers():
    text = render_markdown("Before\n\n- first\n- second\n\n3. three\n4. four\n\nAfter")
    assert text.plain == "Before\n\n•  first\n•  second\n\n3. three\n4. four\n\nAfter"


def test_nested_lists_are_indented():
    text = render_markdown("- outer\n  - inner\n- again")
    assert text.plain.splitlines() == ["•  outer", "  •  inner", "•  again"]


def test_quotes_carry_a_bar_on_every_line():
    text = render_markdown("> first line  \n> second line")
    assert text.plain.splitlines() == ["▌ first line", "▌ second line"]


def test_headings_rules_links_and_images():
    text = render_markdown(
        "# Title\n\nSee [the guide](https://example.org).\n\n***\n\n![a map](m.png)"
    )
    assert (
        text.plain == f"Title\n\nSee the guide (https://example.org).\n\n{RULE}\n\n[image: a map]"
    )
    assert _styles_of(text, "Title") == {"bold", "underline"}
    assert _styles_of(text, "the guide") == {"underline"}


def test_code_blocks_keep_their_lines():
    text = render_markdown("Say:\n\n    line one\n    line two")
    assert text.plain == "Say:\n\n    line one\n    line two"


def test_rich_markup_and_html_are_shown_as_typed():
    source = "[bold red]not markup[/] and <b>not html</b> and [link=https://x]no[/link]"
    text = render_markdown(source)
    assert text.plain == source
    assert text.spans == []


def test_escape_sequences_never_reach_the_terminal():
    text = render_markdown(literal("Hello \x1b[31mred\x1b[0m \x1b]8;;http://x\x07link\x1b]8;;\x07"))
    assert "\x1b" not in text.plain
    assert text.plain == "Hello red link"


def test_empty_and_plain_text():
    assert render_markdown("").plain == ""
    assert render_markdown("Just words.").plain == "Just words."


# --- plain paragraphs are drawn without markdown-it, exactly as it would draw them ----------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from mentorquest.tui.widgets import prose  # noqa: E402

_PIECES = st.sampled_from(
    ["Ewa", "said", "it's", "fine", "—", "“quoted”", "(aside)", "3", "1990", "a.", "-", "+",
     "=", ">", "*", "_", "#", "[", "]", "!", "&amp;", "<b>", "`", "~", "|", ":", "?", ",",
     " ", "  ", "    ", "\n", "\n\n", "\n  \n", "\t", "\u00a0", "\u2028", "é", "1.", "2)",
     "*not*", "*two words*", "**", "***", "*é", "é*", "x*y", "*.", ".*", "&", "& ", "&x", "&#",
     "e\u0301*", "²", "![", "!", "\"", "“", "?", "€", "A&E", "&x;", "&#1;", "> ", "\n> ", ">",
     "\n>", "\n> *", ">>", "\n>  "]
)  # fmt: skip


@settings(max_examples=1000, deadline=None)
@given(pieces=st.lists(_PIECES, max_size=30))
def test_a_text_drawn_without_the_parser_is_drawn_as_the_parser_draws_it(pieces):
    source = "".join(pieces)
    parsed = prose._Renderer().render(prose._parser().parse(source))
    drawn = prose.render_markdown(source)
    assert (drawn.plain, drawn.spans) == (parsed.plain, parsed.spans)


def test_a_plain_scene_text_needs_no_parser():
    text = "Ewa arrives late. \nShe looks tired.\n\n  What do you say first? "
    assert prose._MARKUP.search(text) is None
    assert prose.render_markdown(text).plain == (
        "Ewa arrives late. She looks tired.\n\nWhat do you say first?"
    )


def test_plain_emphasis_and_quotes_need_no_parser():
    text = (
        "Anjali admits that they are *not\nsure* yet!\n\n> She says: *\"Can't make it\n"
        '> today, sorry."*\n\nShe waits & *listens*, A&E or not.'
    )
    drawn = prose._without_parser(text)
    assert drawn is not None
    assert drawn.plain == (
        "Anjali admits that they are not sure yet!\n\n"
        f'{prose.QUOTE_BAR}She says: "Can\'t make it today, sorry."\n\n'
        "She waits & listens, A&E or not."
    )
    parsed = prose._Renderer().render(prose._parser().parse(text))
    assert (drawn.plain, drawn.spans) == (parsed.plain, parsed.spans)
    assert _styles_of(drawn, "not sure") == {"italic"} and _styles_of(drawn, "today") == {"italic"}
    assert _styles_of(drawn, "yet") == set() and _styles_of(drawn, "She says") == set()


def test_anything_more_than_plain_paragraphs_goes_to_the_parser():
    for text in (
        "* a list item",
        "**strong**",
        "a *b",
        "a* b*",
        "x*y*",
        "*a *b* c*",
        "***",
        "a paragraph\n> interrupted by a quote",
        "> a quote\nlazily continued",
        "> one paragraph\n>\n> and another",
        "> > nested",
        "> - a list in a quote",
        "Caf&eacute;",
    ):
        assert prose._without_parser(text) is None, text
