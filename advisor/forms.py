"""The questionnaire form, built from ``advisor.questions``."""

from crispy_forms.helper import FormHelper
from crispy_forms.layout import HTML, Div, Fieldset, Layout
from django import forms
from django.utils.html import format_html
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from advisor import questions

REQUIRED_MULTIPLE = {"modalities", "languages"}


def _field_for(question):
    if question.kind == questions.MULTIPLE:
        return forms.MultipleChoiceField(
            label=question.label,
            help_text=question.help_text,
            choices=question.choices,
            widget=forms.CheckboxSelectMultiple,
            required=question.key in REQUIRED_MULTIPLE,
            error_messages={
                "required": _("Choose at least one."),
                "invalid_choice": _("“%(value)s” is not one of the choices."),
            },
        )
    return forms.ChoiceField(
        label=question.label,
        help_text=question.help_text,
        choices=question.choices,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose one answer."),
            "invalid_choice": _("“%(value)s” is not one of the choices."),
        },
    )


class QuestionnaireForm(forms.Form):
    """Every question of the questionnaire; ``to_answers()`` is the engine input."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for question in questions.QUESTIONS:
            self.fields[question.key] = _field_for(question)
        # The template writes the <form> tag, the CSRF token and the submit
        # button itself: crispy renders only the fields, which carry nothing
        # personal and so can be cached (see questionnaire_form.html).
        self.helper = FormHelper()
        self.helper.form_tag = False
        self.helper.disable_csrf = True
        self.helper.layout = Layout(*self._sections())
        # The progress count in static/js/app.js leaves out questions that need no answer.
        self.optional_keys = " ".join(key for key, field in self.fields.items() if not field.required)

    def _sections(self):
        total = len(questions.SECTIONS)
        for number, (section, title) in enumerate(questions.SECTIONS, start=1):
            keys = [q.key for q in questions.QUESTIONS if q.section == section]
            yield Div(
                Fieldset(
                    title,
                    HTML(
                        format_html(
                            '<p class="step-count text-body-secondary small mb-2">{}</p>',
                            gettext("Step %(number)s of %(total)s") % {"number": number, "total": total},
                        )
                    ),
                    *keys,
                ),
                css_id=f"section-{section}",
                css_class="questionnaire-section",
            )

    def to_answers(self):
        """The validated answers as plain data: a str per single question, a sorted list per multiple one."""
        answers = {}
        for question in questions.QUESTIONS:
            value = self.cleaned_data[question.key]
            if question.kind == questions.MULTIPLE:
                order = question.values
                answers[question.key] = sorted(set(value), key=order.index)
            else:
                answers[question.key] = value
        return answers


def initial_from_answers(answers):
    """Keep only answers that are valid today: presets and old results may predate a question change."""
    initial = {}
    if not isinstance(answers, dict):
        return initial
    for question in questions.QUESTIONS:
        value = answers.get(question.key)
        if question.kind == questions.MULTIPLE:
            if isinstance(value, list) and all(isinstance(v, str) and v in question.values for v in value):
                initial[question.key] = value
        elif isinstance(value, str) and value in question.values:
            initial[question.key] = value
    return initial


def validate_answers(data):
    """Validate an API payload exactly as the form does.

    Returns ``(answers, errors)``; unknown keys are errors, so a typo in a
    client is reported instead of silently replaced by a default.
    """
    if not isinstance(data, dict):
        return None, {"__all__": [str(_("“answers” must be an object mapping question keys to answers."))]}
    errors = {}
    unknown = sorted(str(key)[:50] for key in data if key not in questions.QUESTIONS_BY_KEY)
    if unknown:
        errors["__all__"] = [str(_("Unknown questions: %(keys)s.") % {"keys": ", ".join(unknown[:10])})]
    form_data = {}
    for question in questions.QUESTIONS:
        if question.key not in data:
            continue
        value = data[question.key]
        if question.kind == questions.MULTIPLE:
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                errors[question.key] = [str(_("Give a list of choices."))]
                continue
        elif not isinstance(value, str):
            errors[question.key] = [str(_("Give one choice as a string."))]
            continue
        form_data[question.key] = value
    form = QuestionnaireForm(data=_as_querydict(form_data))
    if not form.is_valid():
        for key, messages in form.errors.items():
            errors.setdefault(key, []).extend(str(m) for m in messages)
    if errors:
        return None, errors
    return form.to_answers(), {}


def _as_querydict(values):
    from django.http import QueryDict

    query = QueryDict(mutable=True)
    for key, value in values.items():
        if isinstance(value, list):
            query.setlist(key, value)
        else:
            query[key] = value
    return query
