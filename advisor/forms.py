"""The questionnaire form, built from ``advisor.engine.questions``, and the one validation path.

The fields render the questions; ``questions.check()`` alone decides what is valid, for the
form, the JSON API and re-evaluation alike, and its error codes become the messages of
``questions.ERRORS``, translated here. No field has a default: only a preset or an earlier
result gives a field an initial value.
"""

import functools
import re

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Field, Fieldset, Layout
from django import forms
from django.utils import timezone
from django.utils.functional import cached_property
from django.utils.html import format_html
from django.utils.text import format_lazy
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from advisor import models
from advisor.engine import questions

CONSTRAINING_NOTE = _("This answer can rule models out or decide which licences fit.")

# Values an earlier questionnaire offered, and the value they stand for today.
LEGACY_VALUES = {"transparency": {"high": "weights"}}

PRESET_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,60}")


def error_messages(errors):
    """``InvalidAnswers.errors`` as translated messages per key, ready for a form or a JSON body."""
    return {key: [gettext(questions.ERRORS[code])] for key, code in errors.items()}


def is_required(question):
    """Whether the question needs an answer: all but the multiple choices that may stay empty."""
    return not question.multiple or question.at_least_one


class _QuestionMixin:
    """A field that converts the submitted value but leaves validation to ``questions.check()``."""

    def validate(self, value):
        pass


class QuestionChoiceField(_QuestionMixin, forms.ChoiceField):
    pass


class QuestionMultipleChoiceField(_QuestionMixin, forms.MultipleChoiceField):
    pass


class PresetField(forms.CharField):
    """The hidden preset slug: anything odd in it means "no preset", never an error the visitor cannot fix."""

    def run_validators(self, value):
        pass

    def clean(self, value):
        value = super().clean(value)
        return value if PRESET_SLUG.fullmatch(value) else ""


def _field_for(question):
    help_text = _(question.help_text)
    if question.constraining:
        help_text = format_lazy("{} {}", help_text, CONSTRAINING_NOTE)
    options = {
        "label": _(question.label),
        "help_text": help_text,
        "choices": [(value, _(label)) for value, label in question.choices],
        "required": is_required(question),
    }
    if question.multiple:
        return QuestionMultipleChoiceField(widget=forms.CheckboxSelectMultiple, **options)
    return QuestionChoiceField(widget=forms.RadioSelect, **options)


@functools.cache
def question_fields():
    """A field per question, in questionnaire order (made once per process; never changed after)."""
    return {question.key: _field_for(question) for question in questions.QUESTIONS}


# One question as radio buttons or checkboxes, crispy-bootstrap5's markup in a single template.
QUESTION_TEMPLATE = "advisor/question_field.html"


class QuestionnaireForm(forms.Form):
    """Every question of the questionnaire; ``to_answers()`` is the engine input.

    ``preset`` is the slug of the audience preset the visitor started from (a hidden field),
    and ``preset_answers`` that preset's answers, so the progress count can say how many
    answers still come from it.
    """

    preset = PresetField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, preset_answers=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The question fields are made once and shared by every form: nothing here changes a field
        # per form (labels translate lazily, at rendering), and making 24 fields took a millisecond.
        self.fields.update(question_fields())
        self.preset_answers = preset_answers or {}
        # The progress count in static/js/app.js leaves out questions that need no answer.
        self.optional_keys = " ".join(q.key for q in questions.QUESTIONS if not is_required(q))
        self._answers = None

    @cached_property
    def helper(self):
        """How crispy lays the questions out, made only when the form is rendered.

        The template writes the <form> tag, the CSRF token, the preset field and the submit
        button itself: crispy renders only the questions, which carry nothing personal and so
        can be cached (see questionnaire_form.html).
        """
        helper = FormHelper()
        helper.form_tag = False
        helper.disable_csrf = True
        helper.layout = Layout(*self._sections())
        return helper

    def _sections(self):
        total = len(questions.SECTIONS)
        for number, (section, title) in enumerate(questions.SECTIONS, start=1):
            keys = [q.key for q in questions.QUESTIONS if q.section == section]
            yield Div(
                Fieldset(
                    gettext(title),
                    HTML(
                        format_html(
                            '<p class="step-count text-body-secondary small mb-2">{}</p>',
                            gettext("Step %(number)s of %(total)s") % {"number": number, "total": total},
                        )
                    ),
                    *(Field(key, template=QUESTION_TEMPLATE) for key in keys),
                ),
                css_id=f"section-{section}",
                css_class="questionnaire-section",
            )

    def clean(self):
        cleaned = super().clean()
        submitted = {key: cleaned.get(key) for key in questions.KEYS}
        try:
            self._answers = questions.check(submitted)
        except questions.InvalidAnswers as error:
            for key, messages in error_messages(error.errors).items():
                if key not in self.errors:
                    self.add_error(key, messages)
        return cleaned

    def to_answers(self):
        """The validated answers as JSON data: a str per single question, a list in choice order per multiple one."""
        return questions.as_json(self._answers)

    def _current(self):
        """The valid answers shown in the form now (the submitted ones, or the initial ones)."""
        current = {}
        for question in questions.QUESTIONS:
            value = self[question.key].value()
            if question.multiple:
                value = [v for v in value or () if v in question.values]
                if value:
                    current[question.key] = value
            elif value in question.values:
                current[question.key] = value
        return current

    def preset_keys(self):
        """The questions whose shown answer is still the preset's, space-separated (for app.js)."""
        current = self._current()
        return " ".join(
            key
            for key, value in self.preset_answers.items()
            if key in current and _same_answer(current[key], value) and is_required(questions.BY_KEY[key])
        )

    def progress(self):
        """How many questions that need an answer have one now, and how many of those came from the preset."""
        current = self._current()
        required = [q for q in questions.QUESTIONS if is_required(q)]
        numbers = {
            "answered": sum(1 for q in required if q.key in current),
            "total": len(required),
            "preset": len(self.preset_keys().split()),
        }
        if self.preset_answers:
            template = gettext("{answered} of {total} questions answered ({preset} from the preset)")
        else:
            template = gettext("{answered} of {total} questions answered")
        return {**numbers, "text": template.format(**numbers)}


def _same_answer(shown, preset_value):
    if isinstance(preset_value, list):
        return isinstance(shown, (list, tuple)) and set(shown) == set(preset_value)
    return shown == preset_value


def initial_from_answers(answers):
    """The answers that are still valid today, as initial form values; the others stay unanswered.

    Presets and earlier results may predate a change to the questionnaire: a value that was
    renamed is carried over (see ``LEGACY_VALUES``), one that no longer exists is dropped.
    """
    initial = {}
    if not isinstance(answers, dict):
        return initial
    for question in questions.QUESTIONS:
        value = answers.get(question.key)
        if question.multiple:
            if isinstance(value, list) and all(isinstance(v, str) and v in question.values for v in value):
                initial[question.key] = [v for v in question.values if v in value]
        elif isinstance(value, str):
            value = LEGACY_VALUES.get(question.key, {}).get(value, value)
            if value in question.values:
                initial[question.key] = value
    return initial


def unanswered(initial):
    """The questions that need an answer and have none in ``initial``, in questionnaire order."""
    return [q for q in questions.QUESTIONS if is_required(q) and not initial.get(q.key)]


def validate_answers(data):
    """Validate answers given as JSON data (the API, a stored result): ``(answers, errors)``.

    Strict: every question must be present, multiple answers included (``[]`` for none), and
    unknown keys are errors, so a typo in a client is reported instead of silently dropped.
    ``errors`` maps question keys to lists of translated messages, as a form's errors do.
    """
    if not isinstance(data, dict):
        return None, {"__all__": [gettext("“answers” must be an object mapping question keys to answers.")]}
    errors = {}
    for question in questions.QUESTIONS:
        # check() reads a missing multiple answer as "none of these"; the API asks for it explicitly.
        if question.multiple and data.get(question.key) is None:
            errors[question.key] = "not-a-list"
    try:
        answers = questions.check(data)
    except questions.InvalidAnswers as error:
        errors = {**errors, **error.errors}
    if errors:
        return None, error_messages(errors)
    return questions.as_json(answers), {}


def preset_problems(answers):
    """What is wrong with a preset's answers, as messages for an editor (empty when fine).

    A preset answers only what its audience implies: any subset of the questions, each answer
    valid as the questionnaire would take it. A question the preset leaves open is left out.
    """
    if not isinstance(answers, dict):
        return [gettext("The answers must be an object mapping question keys to answers.")]
    try:
        # Valid answers stand in for the questions the preset leaves open.
        questions.check({**_any_complete_answers(), **answers})
    except questions.InvalidAnswers as error:
        return [
            f"{key}: {gettext(questions.ERRORS[code])}"
            for key, code in sorted(error.errors.items())
            if key in answers or key not in questions.BY_KEY
        ]
    return []


def _any_complete_answers():
    """A valid answer to every question (the first choice of each)."""
    return {
        q.key: ([q.values[0]] if q.at_least_one else []) if q.multiple else q.values[0] for q in questions.QUESTIONS
    }


class AudiencePresetForm(forms.ModelForm):
    """The admin form for presets: partial answers, each checked against the questions."""

    class Meta:
        model = models.AudiencePreset
        fields = "__all__"  # noqa: DJ007 - the admin chooses what is shown

    def clean_answers(self):
        answers = self.cleaned_data["answers"]
        problems = preset_problems(answers)
        if problems:
            raise forms.ValidationError(problems)
        return answers


class InaccuracyReportForm(forms.ModelForm):
    """A reader's report: what is wrong and where the right fact is, an email only if they want an answer.

    ``website`` is a honeypot: hidden from people, filled in by bots.
    """

    website = forms.CharField(
        required=False,
        label=_("Leave this empty"),
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    class Meta:
        model = models.InaccuracyReport
        fields = ["what_is_wrong", "source_url", "email"]
        labels = {
            "what_is_wrong": _("What is wrong?"),
            "source_url": _("Where can we check the right fact? (a link)"),
            "email": _("Your email, if you want to hear what we did (optional)"),
        }
        help_texts = {
            "what_is_wrong": _("Up to 2,000 characters. Name the fact and what it should say."),
            "email": _("Only the editors see it, and it is deleted when your report is closed."),
        }
        widgets = {"what_is_wrong": forms.Textarea(attrs={"rows": 5, "maxlength": 2000})}

    def is_bot(self):
        return bool(self.cleaned_data.get("website"))


DEADLINE_PAST = _("The deadline is in the past; choose today or a later day.")


def deadline_in_the_past(deadline):
    """A room's deadline must be today or later (the form and the API)."""
    return deadline is not None and deadline < timezone.localdate()


class RoomForm(forms.ModelForm):
    """The lead opens a decision room: a title, the context in a few lines, an optional deadline."""

    class Meta:
        model = models.DecisionRoom
        fields = ["title", "context", "deadline"]
        labels = {
            "title": _("What are you deciding?"),
            "context": _("Context for the members (optional)"),
            "deadline": _("Decide by (optional)"),
        }
        help_texts = {
            "title": _("For example: “Model for the support assistant”."),
            "context": _("A few lines: what the model is for, what is already fixed. Up to 2,000 characters."),
        }
        widgets = {
            "context": forms.Textarea(attrs={"rows": 3, "maxlength": 2000}),
            "deadline": forms.DateInput(attrs={"type": "date"}),
        }

    def clean_deadline(self):
        deadline = self.cleaned_data["deadline"]
        if deadline_in_the_past(deadline):
            raise forms.ValidationError(DEADLINE_PAST)
        return deadline


class RoomAnswerForm(QuestionnaireForm):
    """The questionnaire, as a member of a decision room answers it: with an optional name."""

    name = forms.CharField(
        label=_("Your name (optional)"),
        max_length=80,
        required=False,
        help_text=_("Shown to the team next to your answers; “Anonymous member” if you leave it empty."),
    )

    def clean_name(self):
        return " ".join(self.cleaned_data["name"].split())


class OverrideForm(forms.Form):
    """The lead replaces one merged answer (``question_key``), and says why."""

    reason = forms.CharField(label=_("Why"), max_length=500, widget=forms.Textarea(attrs={"rows": 2, "maxlength": 500}))

    def __init__(self, *args, question_key, answers, **kwargs):
        super().__init__(*args, prefix=question_key, **kwargs)
        self.question = questions.BY_KEY[question_key]
        self.answers = answers
        field = _field_for(self.question)
        field.label = _("Answer for the team")
        field.help_text = ""
        self.fields = {"value": field, "reason": self.fields["reason"]}

    def clean(self):
        cleaned = super().clean()
        if "value" in cleaned:
            try:
                questions.check({**self.answers, self.question.key: cleaned["value"]})
            except questions.InvalidAnswers as error:
                messages = error_messages(error.errors)
                self.add_error("value", messages.get(self.question.key) or next(iter(messages.values())))
        return cleaned
