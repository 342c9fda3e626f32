"""The shapes the JSON API reads and writes, as pydantic models (django-ninja's ``Schema``).

``Answers`` is generated from the questionnaire's one definition (``engine.questions``): each
single-choice question an enum of its values, each multiple-choice question a list of them
(at least one where the question asks for one). The OpenAPI document, the request validation
and the form all read that definition, so a rule cannot live in one and not the other. The
one rule across questions (a model on users' devices needs a device answer) is written into
the document as an ``if``/``then`` and checked by ``questions.check()``.

Every object of ours is described field by field; no ``additionalProperties: true``.
"""

import datetime
import re
from typing import Annotated, Literal

from ninja import Schema
from pydantic import AfterValidator, ConfigDict, Field, create_model, field_validator
from pydantic_core import PydanticCustomError

from advisor.engine import hardware, questions

Scalar = str | int | float
ISO_DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
# Some character that is not a space: the spaces spelled out, since "\s" means different characters
# in Python, in JavaScript and in pydantic's regex engine. They include every character Python's
# str.strip() removes, so a title that matches keeps a character once stripped.
SPACES = "\t\n\v\f\r \x1c-\x1f\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000\ufeff"
NOT_ONLY_SPACES = f"[^{SPACES}]"


def text(max_length, description, **options):
    """Free text of at most ``max_length`` characters, counted as HTML's ``maxlength`` counts them.

    That is in UTF-16 code units: a character outside the Basic Multilingual Plane (an emoji)
    counts twice, in the browser's form and here alike, and the same text passes both or neither.
    A NUL character is refused, as Django's form fields refuse it (PostgreSQL cannot store it).
    """

    def within(value):
        if "\x00" in value:
            raise PydanticCustomError("null_character", "null characters are not allowed")
        if len(value.encode("utf-16-le", "surrogatepass")) // 2 > max_length:
            raise PydanticCustomError("text_too_long", "too long")
        return value

    return Annotated[str, Field(max_length=max_length, description=description, **options), AfterValidator(within)]


class Message(Schema):
    """A translatable message: its English ``msgid`` with ``params``, and ``text`` in the request's language."""

    msgid: str
    params: dict[str, Scalar]
    text: str


def _answer_field(question):
    choice = Literal[tuple(question.values)]
    description = str(question.label)
    if question.multiple:
        if question.at_least_one:
            return list[choice], Field(min_length=1, description=description)
        return list[choice], Field(description=description)
    return choice, Field(description=description)


_DEVICE_RULE = {
    "if": {"properties": {"deployment": {"const": "on-device"}}, "required": ["deployment"]},
    "then": {"properties": {"hardware": {"enum": list(hardware.DEVICES)}}},
}

Answers = create_model(
    "Answers",
    __config__=ConfigDict(extra="forbid", json_schema_extra=_DEVICE_RULE),
    __doc__="Every question answered: its key and one of its values (a list of them for multiple choice).",
    **{question.key: _answer_field(question) for question in questions.QUESTIONS},
)

AnswerValue = str | list[str]


class RecommendationIn(Schema):
    model_config = ConfigDict(extra="forbid")

    answers: Answers


class Error(Schema):
    """Every refusal under /api/: a sentence, and per question the problems with its answer."""

    error: str
    errors: dict[str, list[str]] | None = Field(
        default=None, description="Question key (or __all__) to messages; only for invalid answers."
    )


# -- The questionnaire ----------------------------------------------------------------------


class Section(Schema):
    key: str
    title: str


class Choice(Schema):
    value: str
    label: str


class Question(Schema):
    key: str
    section: str
    label: str
    help_text: str
    multiple: bool
    required: bool = Field(
        description="Whether at least one choice must be made. False only for multiple-choice questions that may "
        "be answered with an empty list; POST /recommendations still needs every question's key, [] included."
    )
    constraining: bool
    not_sure: str | None = Field(description="The value meaning 'Not sure yet', where the question offers it.")
    choices: list[Choice]


class Preset(Schema):
    slug: str
    name: str
    description: str
    answers: dict[str, AnswerValue] = Field(description="The answers the audience implies; the others stay open.")
    open: list[str] = Field(description="Questions the preset leaves for the team to answer.")


class Questionnaire(Schema):
    sections: list[Section]
    questions: list[Question]
    presets: list[Preset]


# -- A result --------------------------------------------------------------------------------


class Side(Schema):
    slug: str
    name: str
    score: float
    rank: int | None


class VerdictChange(Schema):
    question: str
    answer: AnswerValue
    verdict: str
    margin: float
    message: Message


class Verdict(Schema):
    kind: Literal["open", "closed", "hybrid", "none"]
    confidence: str
    margin: float | None
    stance: int
    pattern: str
    forced: Message | None
    headline: Message
    reasons: list[Message]
    best_open: Side | None
    best_closed: Side | None
    what_would_change: list[VerdictChange]


class Cost(Schema):
    """A monthly cost estimate and how it was made (``message``); no figure means no estimate."""

    monthly_usd: float | None
    per_mtok: float | None = Field(description="Blended API price per million tokens (3 input : 1 output).")
    gpus: int | None = None
    gpu: str | None = None
    hourly_usd: float | None = None
    source: str | None = None
    as_of: str | None = None
    message: Message


class Pick(Schema):
    role: str
    role_text: Message
    slug: str
    name: str
    access: str
    tier: int
    score: float
    why: Message
    cost: Cost | None = None


class WeightSource(Schema):
    question: str
    answer: AnswerValue
    points: int


class Weight(Schema):
    criterion: str
    name: str
    weight: float
    points: int
    base: int
    sources: list[WeightSource]
    why: Message


class Licence(Schema):
    slug: str
    name: str
    category: str
    url: str


class Memory(Schema):
    gb_16bit: int
    gb_4bit: int
    parameters_b: float


class Route(Schema):
    kind: Literal["api", "hosted", "self", "device"]
    precision: str | None
    # The answers keep the model in the team's own cloud account: the API or hosted route is a cloud
    # marketplace deployment there (absent in results saved before it was recorded).
    own_cloud: bool = False
    label: Message
    memory: Memory | None = None
    fit: Message | None = None


class Contribution(Schema):
    criterion: str
    name: str
    value: int
    weight: float
    points: float
    rationale: str  # in the request's language

    @field_validator("rationale", mode="before")
    @classmethod
    def rationale_text(cls, value):
        """The engine words a rationale as a message; the API has always given its text."""
        return value["text"] if isinstance(value, dict) and "text" in value else value


class RankedModel(Schema):
    rank: int
    tier: int
    slug: str
    name: str
    provider: str
    access: str
    licence: Licence
    route: Route | None
    capability: int
    score: float
    contributions: list[Contribution]
    reasons: list[Message]
    obligations: list[Message]
    caveats: list[Message]


class EligibleModel(Schema):
    rank: int
    tier: int
    slug: str
    name: str
    access: str
    score: float


class BelowBarModel(Schema):
    slug: str
    name: str
    access: str
    score: float
    message: Message


class TopPickChange(Schema):
    question: str
    answer: AnswerValue
    slug: str
    name: str
    message: Message


class AnswerChange(Schema):
    question: str
    answer: AnswerValue
    message: Message


class Admission(Schema):
    changes: list[AnswerChange]
    count: int
    models: list[str]
    message: Message


class ExclusionReason(Schema):
    rule: str
    message: Message
    clause: str


class ExcludedModel(Schema):
    slug: str
    name: str
    access: str
    licence: str = Field(default="", description="The slug of the model's licence or API terms.")
    reasons: list[ExclusionReason]


class Counts(Schema):
    models: int
    eligible: int
    eligible_open: int
    eligible_closed: int
    excluded: int
    below_bar: int


class RankChange(Schema):
    slug: str
    name: str
    rank: int
    previous_rank: int | None


class Dropped(Schema):
    slug: str
    name: str
    previous_rank: int


class Reevaluation(Schema):
    previous_code: str
    previous_created: str
    previous_verdict: str | None
    verdict_changed: bool
    top: list[RankChange]
    dropped: list[Dropped]


class Result(Schema):
    code: str = Field(description="The permalink's code (a UUID).")
    permalink: str
    created: str
    engine_version: str
    catalogue_fingerprint: str
    today: str
    answers: Answers
    verdict: Verdict
    picks: list[Pick]
    weights: list[Weight]
    ranking: list[RankedModel]
    also_eligible: list[EligibleModel]
    below_bar: list[BelowBarModel]
    top_pick_change: list[TopPickChange]
    admit: list[Admission]
    excluded: list[ExcludedModel]
    counts: Counts
    reevaluation: Reevaluation | None


# -- Decision rooms ---------------------------------------------------------------------------


class RoomIn(Schema):
    model_config = ConfigDict(extra="forbid")

    title: text(120, "What the team is deciding (not only spaces).", min_length=1, pattern=NOT_ONLY_SPACES)
    context: text(2000, "A few lines for the members.") = ""
    deadline: datetime.date | None = Field(default=None, description="Decide by this day (YYYY-MM-DD).")

    @field_validator("deadline", mode="before")
    @classmethod
    def _a_day_as_written(cls, value):
        # pydantic would read a number as a Unix time and a datetime as its day; only "YYYY-MM-DD" is a day here.
        if value is not None and not (isinstance(value, str) and ISO_DAY.fullmatch(value)):
            raise ValueError("a day as YYYY-MM-DD")
        return value


class MemberIn(Schema):
    model_config = ConfigDict(extra="forbid")

    name: text(80, "Shown to the team; empty for an anonymous member.") = ""
    answers: Answers


class RoomLinks(Schema):
    view: str = Field(description="Read-only, for stakeholders; once closed, the decision record.")
    answer: str | None = Field(description="Invites members to answer; null once the room is closed.")
    manage: str | None = Field(default=None, description="The lead's link; given only when the room is created.")


class RoomCreated(Schema):
    manage_token: str = Field(description="Keep it: the only way to manage the room. It is not shown again.")
    answer_token: str
    view_token: str
    links: RoomLinks


class MemberCreated(Schema):
    name: str
    member_token: str = Field(description="Keep it: the only way to revise these answers.")
    edit_link: str


class ModelRef(Schema):
    slug: str
    name: str


class RoomMember(Schema):
    name: str
    answered: str
    verdict: Literal["open", "closed", "hybrid", "none"] | None
    top_pick: ModelRef | None
    outdated: bool = Field(description="Answered an earlier questionnaire; not counted until answered again.")


class Override(Schema):
    value: AnswerValue
    reason: str


class MergedAnswer(Schema):
    key: str
    value: AnswerValue
    rule: Literal["union", "strictest", "same-place", "fewest-eligible", "median", "most-named"]
    given_by: list[str] = Field(description="The members whose answer this is (or who need a part of it).")
    override: Override | None = Field(description="The lead's replacement of the merged answer, with the reason.")


class DisagreementSide(Schema):
    value: AnswerValue
    members: list[str]
    verdict: str
    changes_verdict: bool
    changes_shortlist: bool


class Disagreement(Schema):
    key: str
    decides: bool = Field(description="Taking another member's answer changes the verdict or the shortlist.")
    changes_verdict: bool
    changes_shortlist: bool
    sides: list[DisagreementSide]


class TeamPick(Schema):
    slug: str
    name: str
    role: str


class TeamRecommendation(Schema):
    verdict: Literal["open", "closed", "hybrid", "none"]
    headline: Message
    picks: list[TeamPick]
    eligible: int


class RecordRef(Schema):
    code: str
    permalink: str


class Room(Schema):
    title: str
    context: str
    deadline: datetime.date | None
    status: Literal["open", "closed"]
    created_at: str
    closed_at: str | None
    closed_automatically: bool
    links: RoomLinks
    members: list[RoomMember]
    answers: dict[str, AnswerValue] | None = Field(description="The team's answers, overrides applied.")
    merged: list[MergedAnswer]
    disagreements: list[Disagreement] = Field(description="Those that decide the outcome first.")
    recommendation: TeamRecommendation | None
    record: RecordRef | None = Field(description="The saved recommendation, once the room is closed.")
