"""The questionnaire, as data.

Each ``Question`` has a stable ``key`` (the name of the answer in a saved
result, in the API and in audience presets), its allowed values and why it
matters. The form, the API description and the criteria page are all built
from this list; the engine reads the answers by the same keys and values.

``weighs`` names the criteria a question's answer shifts weight towards, so the
criteria page can show which questions weigh each criterion.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

SINGLE = "single"
MULTIPLE = "multiple"


@dataclass(frozen=True)
class Question:
    key: str
    section: str
    label: str
    help_text: str
    choices: tuple  # ((value, label), ...)
    kind: str = SINGLE
    default: object = None
    weighs: tuple = field(default_factory=tuple)

    @property
    def values(self):
        return [value for value, _label in self.choices]


SECTIONS = (
    ("building", _("What you are building")),
    ("data", _("Data and compliance")),
    ("team", _("Team, budget and timing")),
    ("licence", _("Scale and licence terms")),
)

YES_NO = (("no", _("No")), ("yes", _("Yes")))

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
        default="assistant",
        weighs=("capability", "transparency", "fast-development"),
    ),
    Question(
        key="modalities",
        section="building",
        label=_("Which inputs must the model accept?"),
        help_text=_("Models that cannot read an input you need are ruled out."),
        choices=(("text", _("Text")), ("image", _("Images")), ("audio", _("Audio")), ("video", _("Video"))),
        kind=MULTIPLE,
        default=("text",),
    ),
    Question(
        key="languages",
        section="building",
        label=_("Which languages must it handle well?"),
        help_text=_(
            "Models whose documented languages leave one of yours out are ruled out; "
            "broadly multilingual models without a full list are kept with a caveat."
        ),
        choices=LANGUAGES,
        kind=MULTIPLE,
        default=("en",),
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
        default="any",
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
        default="internal",
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
        default="general",
        weighs=("usage-clarity", "security", "data-privacy"),
    ),
    Question(
        key="restricted_uses",
        section="data",
        label=_("Will the product do any of these?"),
        help_text=_("Some licences and use policies forbid these uses outright; such models are ruled out."),
        choices=(
            ("medical-advice", _("Give medical advice or interpret medical results")),
            ("law-enforcement", _("Support law-enforcement, justice or immigration decisions")),
            ("military", _("Serve military purposes")),
            ("automated-legal-decisions", _("Make fully automated decisions that affect people's legal rights")),
        ),
        kind=MULTIPLE,
        default=(),
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
        default="any-api",
        weighs=("data-privacy", "maintenance"),
    ),
    Question(
        key="transparency",
        section="data",
        label=_("How much must you be able to inspect and audit the model?"),
        help_text=_("Audits, bias reviews and research need published weights, and ideally training code and data."),
        choices=(
            ("low", _("Outputs are all we check")),
            ("medium", _("We need documentation and some evaluation")),
            ("high", _("We must inspect weights, code or training data")),
        ),
        default="low",
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
        default="light",
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
        default="some",
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
        default="either",
        weighs=("cost-at-scale",),
    ),
    Question(
        key="volume",
        section="team",
        label=_("How much will you send to the model?"),
        help_text=_("At high volume, per-token prices add up and owning the hardware can pay off."),
        choices=(
            ("low", _("A little: prototypes or internal tools")),
            ("medium", _("Steady use by a product")),
            ("high", _("Heavy use: millions of requests a month")),
        ),
        default="medium",
        weighs=("cost-at-scale",),
    ),
    Question(
        key="time_to_market",
        section="team",
        label=_("How soon must it work?"),
        help_text=_("An API works the same day; a self-hosted model takes weeks to run well."),
        choices=(
            ("weeks", _("Within weeks")),
            ("months", _("Within a few months")),
            ("no-rush", _("No deadline: we are building for the long term")),
        ),
        default="months",
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
        default="medium",
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
        default="tolerable",
        weighs=("lock-in", "maintenance"),
    ),
    # -- Scale and licence terms -----------------------------------------------
    Question(
        key="commercial",
        section="licence",
        label=_("Is this for commercial use?"),
        help_text=_("Non-commercial and research-only licences rule a model out for any commercial product."),
        choices=YES_NO,
        default="yes",
        weighs=("usage-clarity",),
    ),
    Question(
        key="users",
        section="licence",
        label=_("How many monthly active users could the product reach?"),
        help_text=_(
            "Some licences require a separate licence or add duties above a user count (100 million, 700 million)."
        ),
        choices=(
            ("under-1m", _("Under 1 million")),
            ("1m-100m", _("1 to 100 million")),
            ("100m-700m", _("100 to 700 million")),
            ("over-700m", _("Over 700 million")),
        ),
        default="under-1m",
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
        ),
        default="under-20m",
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
            ("other", pgettext_lazy("region", "Elsewhere")),
        ),
        default="US",
    ),
    Question(
        key="hosted_service",
        section="licence",
        label=_("Will you offer the model itself to others as a service (an API or hosted model)?"),
        help_text=_("Some licences bar hosting the model for others, or add terms for model-as-a-service businesses."),
        choices=YES_NO,
        default="no",
    ),
    Question(
        key="train_on_outputs",
        section="licence",
        label=_("Will you use the model's outputs to train other models?"),
        help_text=_("Distillation and synthetic data are forbidden or restricted by several licences and API terms."),
        choices=YES_NO,
        default="no",
    ),
)

QUESTIONS_BY_KEY = {question.key: question for question in QUESTIONS}


def default_answers():
    """Answers with every question at its default, as the engine expects them."""
    return {
        question.key: list(question.default) if question.kind == MULTIPLE else question.default
        for question in QUESTIONS
    }


def questions_weighing(criterion_slug):
    """The questions whose answers shift weight towards a criterion."""
    return [question for question in QUESTIONS if criterion_slug in question.weighs]
