"""The before and after surveys: scale questions as 1-5 selectors, text as inputs.

Each answer is saved the moment it is given (a scale picked, a text field left or
submitted), so quitting half-way keeps every answer already typed.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.widgets import Button, Input, RadioSet, Static

from mentorquest.language.format import SurveyQuestion
from mentorquest.textsafe import literal, typed
from mentorquest.tui.screens.base import JourneyScreen
from mentorquest.tui.widgets.footer import KeysFooter
from mentorquest.tui.widgets.inputs import text_input
from mentorquest.tui.widgets.scale import ScaleSelector
from mentorquest.tui.widgets.titlebar import TitleBar

INTRO = {
    "before": "A few questions before you start. Your answers help the programme team.",
    "after": "Every required scenario is passed. A few last questions, now that you have finished.",
    "midpoint": "Half-way through the programme: a few questions about how it is going.",
    "closeout": "The programme is closing: a few questions about what you expected and learnt.",
}
TITLES = {
    "before": "Before you start",
    "after": "After the scenarios",
    "midpoint": "Midpoint check-in",
    "closeout": "Close-out check-in",
}


class SurveyScreen(JourneyScreen):
    BINDINGS = [
        Binding(
            "ctrl+n",
            "submit",
            "Continue",
            id="survey.submit",
            tooltip="Check the answers and continue",
        ),
    ]

    def __init__(self, part: str) -> None:
        super().__init__()
        self.part = part

    @property
    def questions(self) -> list[SurveyQuestion]:
        return list(getattr(self.conductor.programme.survey, self.part))

    def compose(self) -> ComposeResult:
        answers = (
            self.conductor.progress.survey_answers(self.part) if self.conductor.progress else {}
        )
        blink = self.conductor.options.cursor_blink
        yield TitleBar()
        with VerticalScroll(id="survey", classes="page"):
            title = TITLES[self.part]
            yield Static(Text(title), classes="page-title")
            yield Static(Text(INTRO[self.part]))
            for number, question in enumerate(self.questions, start=1):
                with Vertical(classes="question", id=f"q-{question.id}"):
                    label = Text(f"{number}. {literal(question.prompt)}")
                    label.append(" (optional)" if question.optional else " (required)")
                    yield Static(label, classes="question-prompt")
                    answer = answers.get(question.id)
                    if question.kind == "scale":
                        yield Static(Text("1 = not at all, 5 = very much"), classes="hint")
                        yield ScaleSelector(
                            answer if isinstance(answer, int) else None,
                            id=f"answer-{question.id}",
                        )
                    else:
                        yield text_input(
                            # As kept, without what could drive the terminal (an
                            # answer saved before mentorquest removed such characters).
                            value=typed(str(answer)) if answer is not None else "",
                            id=f"answer-{question.id}",
                            cursor_blink=blink,
                        )
                    yield Static("", classes="error-text", id=f"error-{question.id}")
            yield Button("Continue", id="survey-submit", variant="primary")
        yield KeysFooter()

    def on_mount(self) -> None:
        fields = self.query(".question ScaleSelector, .question Input")
        (fields.first() if fields else self.query_one("#survey-submit")).focus()

    def _question(self, widget_id: str | None) -> SurveyQuestion | None:
        if not widget_id or not widget_id.startswith("answer-"):
            return None
        qid = widget_id.removeprefix("answer-")
        return next((q for q in self.questions if q.id == qid), None)

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        question = self._question(event.radio_set.id)
        if question is not None:
            self.conductor.save_answer(self.part, question.id, event.index + 1)
            self.query_one(f"#error-{question.id}", Static).update("")

    def _save_text(self, widget: Input) -> None:
        question = self._question(widget.id)
        value = widget.value.strip()
        if question is None or not value:
            return
        if (
            self.conductor.progress
            and self.conductor.progress.survey_answers(self.part).get(question.id) == value
        ):
            return
        self.conductor.save_answer(self.part, question.id, value)
        self.query_one(f"#error-{question.id}", Static).update("")

    def keep_typed(self) -> None:
        """Save the answers being typed (the app is stopping)."""
        for widget in self.query(Input):
            self._save_text(widget)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        self._save_text(event.input)
        self.focus_next()

    def on_input_blurred(self, event: Input.Blurred) -> None:
        self._save_text(event.input)

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_submit()

    def answer_of(self, question: SurveyQuestion) -> str | int | None:
        if question.kind == "scale":
            return self.query_one(f"#answer-{question.id}", ScaleSelector).value
        value = self.query_one(f"#answer-{question.id}", Input).value.strip()
        return value or None

    def action_submit(self) -> None:
        stored = (
            self.conductor.progress.survey_answers(self.part) if self.conductor.progress else {}
        )
        missing = []
        for question in self.questions:
            answer = self.answer_of(question)
            error = self.query_one(f"#error-{question.id}", Static)
            if answer is None:
                if not question.optional:
                    missing.append(question)
                    error.update(Text("This question needs an answer."))
                continue
            error.update("")
            if stored.get(question.id) != answer:
                self.conductor.save_answer(self.part, question.id, answer)
        if missing:
            self.notify(
                f"{len(missing)} required question(s) still need an answer.",
                severity="warning",
                markup=False,
            )
            self.query_one(f"#answer-{missing[0].id}").focus()
            return
        self.conductor.skipped_surveys.add(self.part)
        if self.part == "before":
            self.conductor.route()
        else:
            self.conductor.finish_onboarding()
