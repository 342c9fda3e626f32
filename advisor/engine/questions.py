"""The questionnaire, defined once.

Each ``Question`` has a stable ``key`` (the name of the answer in a saved result, in the API and
in audience presets) and its allowed values. The form, the API and its OpenAPI description, the
presets and the criteria page are all built from ``QUESTIONS``; the engine reads answers by the
same keys and values. Labels are English msgids marked with ``gettext_noop``: the web layer
translates them at display time.

No question has a default: an answer the visitor did not give is never assumed. Every
single-choice question must be answered; ``modalities`` and ``languages`` need at least one
choice; ``restricted_uses`` may stay empty ("none of these"). ``users`` and ``revenue`` offer
"Not sure yet" (``NOT_SURE``): a licence gate that could apply is then shown as "check before
launch" on the model, never silently passed.

``check(answers)`` is the one validator: it returns the answers in canonical form (multiple
answers as tuples in choice order) or raises ``InvalidAnswers`` with per-question error codes.
"""

from dataclasses import dataclass

from advisor.engine.text import gettext_noop as _

NOT_SURE = "not-sure"


@dataclass(frozen=True, slots=True)
class Question:
    key: str
    section: str
    label: str
    help_text: str
    choices: tuple  # ((value, label), ...)
    multiple: bool = False
    # Choices run from one end to the other, so a neighbouring choice is a smaller change.
    ordinal: bool = False
    # The answer decides a licence or a hard constraint (shown as such in the form).
    constraining: bool = False
    # For multiple choice: at least one choice is needed.
    at_least_one: bool = False
    # The criteria this question's answer shifts weight towards (for the criteria page).
    weighs: tuple = ()

    @property
    def values(self):
        return tuple(value for value, _label in self.choices)

    @property
    def labels(self):
        return dict(self.choices)


SECTIONS = (
    ("building", _("What you are building")),
    ("data", _("Data and compliance")),
    ("team", _("Team, budget and timing")),
    ("licence", _("Scale and licence terms")),
)

YES_NO = (("no", _("No")), ("yes", _("Yes")))
NOT_SURE_CHOICE = (NOT_SURE, _("Not sure yet"))

LANGUAGES = (
    ("en", _("English")),
    ("ko", _("Korean")),
    ("zh", _("Chinese")),
    ("ja", _("Japanese")),
    ("de", _("German")),
    ("fr", _("French")),
    ("es", _("Spanish")),
    ("pt", _("Portuguese")),
    ("it", _("Italian")),
    ("nl", _("Dutch")),
    ("pl", _("Polish")),
    ("ru", _("Russian")),
    ("ar", _("Arabic")),
    ("hi", _("Hindi")),
    ("th", _("Thai")),
    ("vi", _("Vietnamese")),
    ("id", _("Indonesian")),
)

QUESTIONS = (
    # -- What you are building -------------------------------------------------
    Question(
        key="use_case",
        section="building",
        label=_("What will the model mainly do?"),
        help_text=_("The use case decides how much raw capability matters next to control and cost."),
        choices=(
            ("assistant", _("Chat assistant or customer support")),
            ("coding", _("Code generation or review")),
            ("documents", _("Search, summaries and questions over documents")),
            ("extraction", _("Extraction and classification of data")),
            ("content", _("Writing and content generation")),
            ("agents", _("Agents that call tools and automate work")),
            ("research", _("Research and experiments on models")),
            ("teaching", _("Teaching how models work")),
        ),
        weighs=("capability", "transparency", "fast-development"),
    ),
    Question(
        key="quality",
        section="building",
        label=_("How good must the answers be?"),
        help_text=_(
            "The more the answers' quality matters, the more a model's capability counts. When it is critical, "
            "models rated 5 out of 10 or less are not proposed while a model rated 8 or more fits."
        ),
        choices=(
            ("adequate", _("Good enough for routine work")),
            ("high", _("High: users notice mistakes")),
            ("critical", _("Critical: we need the best quality available")),
        ),
        ordinal=True,
        weighs=("capability",),
    ),
    Question(
        key="modalities",
        section="building",
        label=_("Which inputs must the model accept?"),
        help_text=_("Models that cannot read an input you need are ruled out."),
        choices=(("text", _("Text")), ("image", _("Images")), ("audio", _("Audio")), ("video", _("Video"))),
        multiple=True,
        constraining=True,
        at_least_one=True,
    ),
    Question(
        key="languages",
        section="building",
        label=_("Which languages must it handle well?"),
        help_text=_(
            "Models whose documented languages leave one of yours out are ruled out; models that document every "
            "language you need rank above those where one is not confirmed."
        ),
        choices=LANGUAGES,
        multiple=True,
        constraining=True,
        at_least_one=True,
    ),
    Question(
        key="context",
        section="building",
        label=_("How much text must fit in one request?"),
        help_text=_(
            "Long documents and long conversations need a large context window; smaller windows rule a model out."
        ),
        choices=(
            ("any", _("A few pages is enough")),
            ("32k", _("About 50 pages (32K tokens)")),
            ("128k", _("A long report (128K tokens)")),
            ("200k", _("A book (200K tokens)")),
            ("1m", _("Several books (1M tokens)")),
        ),
        ordinal=True,
        constraining=True,
    ),
    # -- Data and compliance ---------------------------------------------------
    Question(
        key="data_sensitivity",
        section="data",
        label=_("How sensitive is the data the model will see?"),
        help_text=_("The more sensitive the data, the more it matters where prompts go and who keeps them."),
        choices=(
            ("public", _("Public or made-up data")),
            ("internal", _("Internal business data")),
            ("confidential", _("Confidential data or trade secrets")),
            ("regulated", _("Personal, health or financial data under regulation")),
        ),
        ordinal=True,
        constraining=True,
        weighs=("data-privacy", "security"),
    ),
    Question(
        key="sector",
        section="data",
        label=_("Which sector do you work in?"),
        help_text=_("Regulated sectors favour stable vendors with clear terms, or models the team controls itself."),
        choices=(
            ("general", _("Not a regulated sector")),
            ("finance", _("Finance or insurance")),
            ("healthcare", _("Healthcare")),
            ("public", _("Government or public sector")),
            ("legal", _("Legal services")),
            ("education", _("Education")),
        ),
        constraining=True,
        weighs=("usage-clarity", "security", "data-privacy"),
    ),
    Question(
        key="restricted_uses",
        section="data",
        label=_("Will the product do any of these?"),
        help_text=_(
            "Some licences and use policies forbid these uses outright, and such models are ruled out; others allow "
            "them only on a condition, which is listed with the model. Leave all unticked if none applies."
        ),
        choices=(
            ("medical-advice", _("Give medical advice or interpret medical results")),
            ("legal-advice", _("Give legal advice")),
            ("financial-advice", _("Give financial advice")),
            ("law-enforcement", _("Support law-enforcement, justice or immigration decisions")),
            ("military", _("Serve military purposes")),
            ("automated-legal-decisions", _("Make fully automated decisions that affect people's legal rights")),
            ("biometric-identification", _("Identify people from faces, voices or other biometrics")),
        ),
        multiple=True,
        constraining=True,
    ),
    Question(
        key="deployment",
        section="data",
        label=_("Where may the model run?"),
        help_text=_(
            "A vendor's API sends prompts to the vendor. On-premises, air-gapped and on-device setups need weights "
            "you can run yourself, which rules out API-only models."
        ),
        choices=(
            ("any-api", _("Any cloud API is fine")),
            ("own-cloud", _("Only in our own cloud account")),
            ("on-premises", _("On our own servers")),
            ("air-gapped", _("Air-gapped, with no internet connection")),
            ("on-device", _("On users' devices")),
        ),
        constraining=True,
        weighs=("data-privacy", "maintenance"),
    ),
    Question(
        key="hardware",
        section="data",
        label=_("What can you run models on?"),
        help_text=_(
            "A model whose weights do not fit even at 4-bit is ruled out for running yourself; one that fits only "
            "when quantised says so. For on-device, pick the device your users have."
        ),
        choices=(
            ("none", _("No hardware of our own: an API or a hosted provider only")),
            ("gpu-24", _("One GPU with 24 GB")),
            ("gpu-48", _("One GPU with 48 GB")),
            ("gpu-80", _("One GPU with 80 GB")),
            ("node-8x80", _("One server with 8 GPUs of 80 GB")),
            ("cluster", _("A cluster of several such servers")),
            ("phone", _("Phones (about 8 GB of memory)")),
            ("laptop", _("Laptops (16 to 32 GB of memory)")),
        ),
        constraining=True,
    ),
    Question(
        key="transparency",
        section="data",
        label=_("How much must you be able to inspect and audit the model?"),
        help_text=_(
            "Audits, bias reviews and research need published weights, and sometimes training code and data: "
            "models that do not publish what you must inspect are ruled out."
        ),
        choices=(
            ("low", _("Outputs are all we check")),
            ("medium", _("We need documentation and some evaluation")),
            ("weights", _("We must inspect the weights")),
            ("weights-code", _("We must inspect the weights and the training code")),
            ("weights-code-data", _("We must inspect the weights, training code and training data")),
        ),
        ordinal=True,
        constraining=True,
        weighs=("transparency", "code-access"),
    ),
    # -- Team, budget and timing -----------------------------------------------
    Question(
        key="customisation",
        section="team",
        label=_("How far must you adapt the model?"),
        help_text=_(
            "Fine-tuning on your own data needs weights or a vendor's tuning service; "
            "if it is required, models without either are ruled out."
        ),
        choices=(
            ("none", _("Prompting is enough")),
            ("light", _("Prompting plus our documents (retrieval)")),
            ("fine-tune", _("Fine-tuning would help")),
            ("fine-tune-required", _("We must fine-tune or change the model")),
        ),
        ordinal=True,
        constraining=True,
        weighs=("fine-tuning", "customisation"),
    ),
    Question(
        key="mlops",
        section="team",
        label=_("Who can run models and GPUs in your team?"),
        help_text=_("Self-hosting means serving, scaling, patching and monitoring models yourself."),
        choices=(
            ("none", _("Nobody: we want no infrastructure")),
            ("some", _("Some experience with cloud and containers")),
            ("strong", _("A dedicated ML platform or ML-ops team")),
        ),
        ordinal=True,
        weighs=("maintenance", "fast-development"),
    ),
    Question(
        key="budget",
        section="team",
        label=_("How would you rather pay?"),
        help_text=_("APIs cost per token; self-hosting costs fixed hardware whether it is busy or idle."),
        choices=(
            ("pay-per-use", _("Pay per use, no fixed costs")),
            ("fixed", _("A fixed infrastructure budget")),
            ("either", _("Either, whichever is cheaper")),
        ),
        weighs=("cost-at-scale",),
    ),
    Question(
        key="volume",
        section="team",
        label=_("How much will you send to the model?"),
        help_text=_(
            "Tokens a month, input and output together (about three input tokens for every output token; a "
            "page of text is about 500 tokens). At high volume, per-token prices add up and owning the "
            "hardware can pay off."
        ),
        choices=(
            ("low", _("Under 10 million tokens a month: prototypes or internal tools")),
            ("medium", _("10 million to 1 billion tokens a month: steady use by a product")),
            ("high", _("Over 1 billion tokens a month: heavy use")),
        ),
        ordinal=True,
        weighs=("cost-at-scale",),
    ),
    Question(
        key="time_to_market",
        section="team",
        label=_("How soon must it work?"),
        help_text=_(
            "An API works the same day; a self-hosted model takes weeks to run well. It also sets when you would "
            "ship, which decides whether a model's shutdown or the end of a tuning service matters."
        ),
        choices=(
            ("weeks", _("Within weeks")),
            ("months", _("Within a few months")),
            ("no-rush", _("No deadline: we are building for the long term")),
        ),
        ordinal=True,
        constraining=True,
        weighs=("fast-development", "maintenance"),
    ),
    Question(
        key="lock_in",
        section="team",
        label=_("How much would it hurt to depend on one vendor?"),
        help_text=_("Vendors change prices, retire models and have outages; open weights can be moved elsewhere."),
        choices=(
            ("low", _("A lot: we want independence for the long term")),
            ("medium", _("Somewhat")),
            ("high", _("Not much: we can switch if we must")),
        ),
        ordinal=True,
        weighs=("lock-in", "control"),
    ),
    Question(
        key="outages",
        section="team",
        label=_("What if the model provider has an outage?"),
        help_text=_("Running a model yourself removes the vendor's outages but makes uptime your job."),
        choices=(
            ("critical", _("It must keep running whatever happens")),
            ("tolerable", _("A short outage is acceptable")),
        ),
        weighs=("lock-in", "maintenance"),
    ),
    # -- Scale and licence terms -----------------------------------------------
    Question(
        key="commercial",
        section="licence",
        label=_("Is this for commercial use?"),
        help_text=_("Non-commercial and research-only licences rule a model out for any commercial product."),
        choices=YES_NO,
        constraining=True,
        weighs=("usage-clarity",),
    ),
    Question(
        key="users",
        section="licence",
        label=_("How many monthly active users could the product reach?"),
        help_text=_(
            "Some licences require a separate licence or add duties above a user count (100 million, 700 million), "
            "some counted across your organisation's products on the model's release date."
        ),
        choices=(
            ("under-1m", _("Under 1 million")),
            ("1m-100m", _("1 to 100 million")),
            ("100m-700m", _("100 to 700 million")),
            ("over-700m", _("Over 700 million")),
            NOT_SURE_CHOICE,
        ),
        ordinal=True,
        constraining=True,
    ),
    Question(
        key="revenue",
        section="licence",
        label=_("What is your organisation's annual revenue (USD)?"),
        help_text=_("Some licences add duties or require a separate agreement above a revenue level."),
        choices=(
            ("under-20m", _("Under 20 million")),
            ("20m-240m", _("20 to 240 million")),
            ("over-240m", _("Over 240 million")),
            NOT_SURE_CHOICE,
        ),
        ordinal=True,
        constraining=True,
    ),
    Question(
        key="jurisdiction",
        section="licence",
        label=_("Where is your organisation based?"),
        help_text=_("Some licences grant nothing to organisations in certain regions."),
        choices=(
            ("EU", _("European Union")),
            ("EEA-CH-UK", _("EEA outside the EU, Switzerland or the UK")),
            ("US", _("United States")),
            ("KR", _("South Korea")),
            ("CN", _("China")),
            ("other", _("Elsewhere")),
        ),
        constraining=True,
    ),
    Question(
        key="hosted_service",
        section="licence",
        label=_("Will you offer the model itself to others as a service (an API or hosted model)?"),
        help_text=_("Some licences bar hosting the model for others, or add terms for model-as-a-service businesses."),
        choices=YES_NO,
        constraining=True,
    ),
    Question(
        key="train_on_outputs",
        section="licence",
        label=_("Will you use the model's outputs to train other models?"),
        help_text=_("Distillation and synthetic data are forbidden or restricted by several licences and API terms."),
        choices=YES_NO,
        constraining=True,
    ),
)

BY_KEY = {question.key: question for question in QUESTIONS}
KEYS = tuple(BY_KEY)
ORDER = {key: position for position, key in enumerate(KEYS)}
DEVICES = frozenset({"phone", "laptop"})


# -- Validation ------------------------------------------------------------------------------

# Error codes, with the message the web layer shows for each.
ERRORS = {
    "required": _("Choose one answer."),
    "at-least-one": _("Choose at least one."),
    "invalid-choice": _("That is not one of the choices."),
    "not-a-list": _("Give a list of choices."),
    "not-a-string": _("Give one choice as a string."),
    "unknown-question": _("There is no such question."),
    "device-needed": _("For a model on users' devices, say whether they are phones or laptops."),
}


class InvalidAnswers(ValueError):
    """Raised by ``check()``; ``errors`` maps question keys to error codes (see ``ERRORS``)."""

    def __init__(self, errors):
        super().__init__(", ".join(f"{key}: {code}" for key, code in sorted(errors.items())))
        self.errors = errors


def check(answers: dict) -> dict:
    """Return the answers in canonical form, or raise ``InvalidAnswers``.

    Every question must be answered, with values from its choices; unknown keys are errors.
    Multiple answers come back as tuples in choice order, without repeats.
    """
    if not isinstance(answers, dict):
        raise InvalidAnswers({"__all__": "not-a-list"})
    errors = {str(key)[:50]: "unknown-question" for key in answers if key not in BY_KEY}
    clean = {}
    for question in QUESTIONS:
        value = answers.get(question.key)
        if question.multiple:
            if value is None:
                value = []
            if not isinstance(value, (list, tuple)) or not all(isinstance(item, str) for item in value):
                errors[question.key] = "not-a-list"
            elif any(item not in question.values for item in value):
                errors[question.key] = "invalid-choice"
            elif question.at_least_one and not value:
                errors[question.key] = "at-least-one"
            else:
                clean[question.key] = tuple(item for item in question.values if item in value)
        elif value is None or value == "":
            errors[question.key] = "required"
        elif not isinstance(value, str):
            errors[question.key] = "not-a-string"
        elif value not in question.values:
            errors[question.key] = "invalid-choice"
        else:
            clean[question.key] = value
    if clean.get("deployment") == "on-device" and "hardware" in clean and clean["hardware"] not in DEVICES:
        errors["hardware"] = "device-needed"
    if errors:
        raise InvalidAnswers(errors)
    return clean


def as_json(answers: dict) -> dict:
    """Canonical answers as JSON data: lists for multiple answers."""
    return {key: list(value) if BY_KEY[key].multiple else value for key, value in answers.items()}


def questions_weighing(criterion_slug):
    """The questions whose answers shift weight towards a criterion."""
    return [question for question in QUESTIONS if criterion_slug in question.weighs]
