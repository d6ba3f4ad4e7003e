"""`mentorquest import twee`: Twine stories, awkward ones included, brought in as scenarios."""

from __future__ import annotations

from mentorquest.engine.validation import validate_library
from mentorquest.language.loader import open_library
from tests.toolkit.helpers import PROGRAMME, library, mq, no_traceback

AWKWARD = """\
:: StoryTitle
Café Conversations ☕

:: StoryData
{
  "ifid": "D674C58C-DEFA-4F70-B7A2-27742230C0FC",
  "format": "SugarCube",
  "start": "Début"
}

:: Début [intro] {"position":"100,100","size":"100,100"}
You meet your mentee at the café.
<<if $trust gt 5>>They smile.<</if>>
[[Ask how they are->Listen]]
[[ Talk about yourself | Monologue ]]
[[Listen<-Just listen]]
[[Monologue]]
[[Read the guide->https://example.org/guide]]
[[Broken link->Nowhere]]

:: Listen
(if: $trust > 3)[They open up.] You can [[agree a plan->Plan]] or [[leave it|Drift]].
[[Agree a plan->Plan][$trust to 60]]

:: Monologue [poor]
They check their phone.

:: Plan [strong]
A plan that fits.

:: Drift
Things drift.
<script>alert(1)</script>

:: Monologue [poor]
They check their phone, twice.

:: Ünïcode \\[and\\] brackets
\\:: not a header
[[Back to the start->Début]]

:: StoryInit
<<set $trust to 5>>

:: Story JavaScript [script]
window.x = 1;
"""


def test_an_awkward_story_imports_and_validates(tmp_path):
    story = tmp_path / "story.twee"
    story.write_text(AWKWARD, encoding="utf-8")
    root = tmp_path / "lib"
    ran = mq("import", "twee", story, "--out", root)
    no_traceback(ran)
    assert ran.code == 0, ran.err
    assert ran.out.splitlines()[-1].startswith(
        "imported 6 scene(s) and 8 choice(s) as 'cafe-conversations'; "
    )
    report = validate_library(root)
    assert report.counts()[0] == 0, [str(d) for d in report.diagnostics]

    scenario = open_library(root).scenarios["cafe-conversations"]
    assert scenario.title == "Café Conversations ☕"
    assert scenario.start == "debut"
    assert list(scenario.scenes) == [
        "debut",
        "listen",
        "plan",
        "drift",
        "monologue",
        "unicode-and-brackets",
    ]
    debut = scenario.scenes["debut"]
    assert [(c.id, c.text, c.goto) for c in debut.choices] == [
        ("ask-how-they-are", "Ask how they are", "listen"),
        ("talk-about-yourself", "Talk about yourself", "monologue"),
        ("just-listen", "Just listen", "listen"),
        ("monologue", "Monologue", "monologue"),
    ]
    assert debut.text == "You meet your mentee at the café.\n<<if $trust gt 5>>They smile.<</if>>"
    listen = scenario.scenes["listen"]
    assert listen.text == "(if: $trust > 3)[They open up.] You can agree a plan or leave it."
    assert [(c.id, c.goto, dict(c.scores)) for c in listen.choices] == [
        ("agree-a-plan", "plan", {"confidentiality": 1}),
        ("leave-it", "drift", {}),
        ("agree-a-plan-2", "plan", {"confidentiality": 1}),
    ]
    assert (scenario.scenes["plan"].ending, scenario.scenes["drift"].ending) == ("strong", "mixed")
    assert scenario.scenes["monologue"].text == "They check their phone, twice."
    assert scenario.scenes["monologue"].ending == "poor"
    odd = scenario.scenes["unicode-and-brackets"]
    assert odd.text == ":: not a header"
    assert [c.goto for c in odd.choices] == ["debut"]


def test_what_cannot_be_converted_is_reported_with_its_line(tmp_path):
    story = tmp_path / "story.twee"
    story.write_text(AWKWARD, encoding="utf-8")
    ran = mq("import", "twee", story, "--out", tmp_path / "lib")
    warnings = [line for line in ran.err.splitlines() if ": warning: " in line]
    expected = [
        f"{story}:11: warning: scene 'debut': 4 choice(s) with no feedback and 2 placeholder score(s); write them",
        f"{story}:13: warning: macro or script '<<if $trust gt 5>>' cannot be converted; it is left in the scene's text",
        f"{story}:13: warning: macro or script '<</if>>' cannot be converted; it is left in the scene's text",
        f"{story}:18: warning: link to a web address 'https://example.org/guide' is left out",
        f"{story}:19: warning: link 'Broken link' names no passage 'Nowhere'; it is left out",
        f"{story}:21: warning: scene 'listen': 3 choice(s) with no feedback and 2 placeholder score(s); write them",
        f"{story}:22: warning: macro or script '(if: $trust > 3)' cannot be converted; it is left in the scene's text",
        f"{story}:23: warning: the setter of link 'Agree a plan' cannot be converted; it is left out",
        f"{story}:31: warning: passage 'Drift' has no links: it is an ending of kind mixed; tag it strong, mixed or poor to say which",
        f"{story}:33: warning: macro or script '<script' cannot be converted; it is left in the scene's text",
        f"{story}:35: warning: passage 'Monologue' is defined twice (first at line 25); the later one replaces it",
        f"{story}:38: warning: scene 'unicode-and-brackets': 1 choice(s) with no feedback; write them",
        f"{story}:42: warning: special passage 'StoryInit' is not a scene; it is left out",
        f"{story}:45: warning: passage 'Story JavaScript' is tagged 'script': a script it cannot convert; it is left out",
    ]
    assert warnings == expected


def test_the_scenario_file_marks_what_the_trainer_must_write(tmp_path):
    story = tmp_path / "story.twee"
    story.write_text(AWKWARD, encoding="utf-8")
    root = tmp_path / "lib"
    mq("import", "twee", story, "--out", root, "--id", "cafe")
    text = (root / "cafe.yaml").read_text(encoding="utf-8")
    assert text.splitlines()[0] == "# yaml-language-server: $schema=schema/scenario.schema.json"
    assert "# TODO: a placeholder score" in text
    assert '# Twine passage "Ünïcode [and] brackets" (line 38)' in text


def test_no_start_named_takes_the_first_passage_and_says_so(tmp_path):
    story = tmp_path / "plain.twee"
    story.write_text(
        ":: Opening\nHello.\n[[Go on|Middle]]\n\n:: Middle\n[[Finish]]\n[[Give up]]\n\n"
        ":: Finish [strong]\nWell done.\n\n:: Give up [poor]\nOh no.\n",
        encoding="utf-8",
    )
    root = library(tmp_path / "lib", {}, programme=PROGRAMME)
    ran = mq("import", "twee", story, "--out", root, "--role", "mentee")
    assert ran.code == 0, ran.err
    assert (
        f"{story}:1: warning: the story names no start passage; the first one, 'Opening', is the start"
        in ran.err
    )
    scenario = open_library(root).scenarios["plain"]
    assert (scenario.start, scenario.roles) == ("opening", ("mentee",))
    assert scenario.scenes["middle"].text == "Middle"  # a passage of links only
    assert dict(scenario.scenes["middle"].choices[1].scores) == {"confidentiality": -1}
    assert mq("explore", "--library", root, "plain", "--json").code == 0


def test_a_passage_named_start_is_the_start(tmp_path):
    story = tmp_path / "s.twee"
    story.write_text(
        ":: Intro\n[[Start]]\n\n:: Start\n[[End]]\n\n:: End [strong]\nDone.\n", encoding="utf-8"
    )
    root = tmp_path / "lib"
    assert mq("import", "twee", story, "--out", root).code == 0
    assert open_library(root).scenarios["s"].start == "start"


def test_a_story_that_cannot_be_scored_is_written_and_its_errors_shown(tmp_path):
    story = tmp_path / "flat.twee"
    story.write_text(":: Start\nNothing happens.\n", encoding="utf-8")
    ran = mq("import", "twee", story, "--out", tmp_path / "lib")
    no_traceback(ran)
    assert ran.code == 1
    assert "cannot be scored: its best path earns 0 points" in ran.err


def test_bad_input_is_one_clear_line(tmp_path):
    not_utf8 = tmp_path / "bad.twee"
    not_utf8.write_bytes(b":: Start\n\xff\n")
    empty = tmp_path / "empty.twee"
    empty.write_text(":: StoryTitle\nJust a title\n", encoding="utf-8")
    cases = [
        (
            ("import", "twee", not_utf8, "--out", tmp_path / "a"),
            "bad.twee:2: not valid UTF-8 (byte 0xff)",
        ),
        (("import", "twee", empty, "--out", tmp_path / "b"), "the story has no passages to import"),
        (("import", "twee", tmp_path / "missing.twee"), "cannot read"),
        (("import", "twee", empty, "--id", "Bad Id"), "'Bad Id' is not a valid scenario id"),
    ]
    for args, message in cases:
        ran = mq(*args)
        no_traceback(ran)
        assert ran.code == 2, (args, ran.err)
        assert message in ran.err


# --- corner cases of the format (the reviewer's bug 14) -----------------------------------


def _import(tmp_path, source: str, *args):
    story = tmp_path / "story.twee"
    story.write_text(source, encoding="utf-8")
    ran = mq("import", "twee", story, "--out", tmp_path / "lib", *args)
    no_traceback(ran)
    warnings = [
        line.split(": warning: ", 1)[1] for line in ran.err.splitlines() if ": warning: " in line
    ]
    return ran, story, warnings


def test_a_link_in_a_harlowe_hook_keeps_its_own_text_and_is_said_to_be_conditional(tmp_path):
    ran, story, warnings = _import(
        tmp_path,
        ":: Start\nHi.\n(if: $t > 3)[[[Hidden link->Silence]]]\n"
        "<<if $x>>[[Sugar link->Silence]]<</if>>\n[[Plain->Silence]]\n"
        ":: Silence [strong]\nQuiet.\n",
    )
    assert ran.code == 0, ran.err
    scenario = open_library(tmp_path / "lib").scenarios["story"]
    assert [c.text for c in scenario.scenes["start"].choices] == [
        "Hidden link",
        "Sugar link",
        "Plain",
    ]
    assert (
        f"{story}:3: warning: link 'Hidden link' is shown only under (if: $t > 3), which "
        "cannot be converted: it becomes a choice that is always offered; give it an 'if:' "
        "by hand"
    ) in ran.err
    assert (
        f"{story}:4: warning: link 'Sugar link' is shown only under <<if $x>>, which cannot "
        "be converted: it becomes a choice that is always offered; give it an 'if:' by hand"
    ) in ran.err
    assert not any(w.startswith("link 'Plain'") for w in warnings)


def test_escaped_brackets_in_a_link_name_the_passage(tmp_path):
    ran, _, warnings = _import(
        tmp_path, ":: Start\n[[A\\[b\\]->A\\[b\\]]]\n:: A\\[b\\] [strong]\nIn.\n"
    )
    assert ran.code == 0, ran.err
    assert not any("names no passage" in w for w in warnings)
    [choice] = open_library(tmp_path / "lib").scenarios["story"].scenes["start"].choices
    assert (choice.text, choice.goto) == ("A[b]", "a-b")


def test_conflicting_ending_tags_are_reported(tmp_path):
    ran, story, _ = _import(tmp_path, ":: Start\n[[End]]\n:: End [strong poor]\nDone.\n")
    assert "ending: strong" in (tmp_path / "lib" / "story.yaml").read_text(encoding="utf-8")
    assert (
        f"{story}:3: warning: passage 'End' is tagged strong and poor; the first, 'strong', "
        "is taken: keep one"
    ) in ran.err


def test_a_story_whose_endings_are_all_poor_still_validates(tmp_path):
    ran, _, _ = _import(
        tmp_path,
        ":: Start\n[[Blame->Cold]]\n[[Shrug->Gone]]\n:: Cold [poor]\nNo.\n:: Gone [poor]\nNo.\n",
    )
    assert ran.code == 0, ran.out + ran.err
    assert "0 error(s)" in ran.out


def test_the_placeholders_reward_the_best_ending_a_reader_can_reach(tmp_path):
    # The strong ending cannot be reached: the mixed one is the best there is.
    ran, _, _ = _import(
        tmp_path,
        ":: Start\n[[Talk->Middle]]\n[[Leave->Gone]]\n:: Middle [mixed]\nSo so.\n"
        ":: Gone [poor]\nNo.\n:: Island [strong]\nNever reached.\n",
    )
    assert ran.code == 0, ran.out + ran.err
    choices = open_library(tmp_path / "lib").scenarios["story"].scenes["start"].choices
    assert [dict(c.scores) for c in choices] == [{"confidentiality": 1}, {"confidentiality": -1}]


def test_a_header_with_no_name_is_one_warning(tmp_path):
    _, story, warnings = _import(
        tmp_path, ":: Start\n[[End]]\n::\nNameless text\n[[End]]\n:: End [strong]\nBye.\n"
    )
    assert warnings.count("a passage header with no name; its text is left out") == 1
    assert not any("text before the first passage header" in w for w in warnings)


def test_passage_metadata_that_is_not_json_is_reported(tmp_path):
    _, story, warnings = _import(
        tmp_path, ':: Start {"position": bad}\n[[End]]\n:: End [strong] {"size":"1,1"}\nBye.\n'
    )
    assert (
        warnings.count(
            "passage 'Start' has metadata that is not a valid JSON object ({\"position\": bad}); it is ignored"
        )
        == 1
    )
    assert not any("'End' has metadata" in w for w in warnings)


def test_only_regular_files_are_read(tmp_path):
    ran = mq("import", "twee", "/dev/zero", "--out", tmp_path / "lib")
    assert ran.code == 2
    assert ran.err.strip() == (
        "mentorquest: error: /dev/zero: not a regular file (a device); give the story's Twee file"
    )
    big = tmp_path / "big.twee"
    big.write_bytes(b":: Start\n" + b"x" * (5 * 1024 * 1024 + 1))
    ran = mq("import", "twee", big, "--out", tmp_path / "lib")
    assert ran.code == 2 and "at most 5,242,880 (5 MB) are read" in ran.err
    assert not (tmp_path / "lib").exists()


def test_a_link_named_by_a_number_becomes_a_choice_with_a_name(tmp_path):
    story = tmp_path / "story.twee"
    story.write_text(
        ":: StoryTitle\nNumbers\n\n:: Start\nPick one.\n[[1->Good]]\n[[2->Poor]]\n\n"
        ":: Good [strong]\nWell done.\n\n:: Poor [poor]\nOh dear.\n",
        encoding="utf-8",
    )
    root = tmp_path / "lib"
    ran = mq("import", "twee", story, "--out", root)
    assert ran.code == 0, ran.err
    start = open_library(root).scenarios["numbers"].scenes["start"]
    assert [c.id for c in start.choices] == ["choice-1", "choice-2"]
    report = validate_library(root)
    assert not [d for d in report.diagnostics if "only digits" in str(d)]
