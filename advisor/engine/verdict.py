"""Which side to start on: open, closed, hybrid, or none when no model meets every constraint.

``margin = stance + gap`` (positive leans open, negative closed):

- ``stance`` sums the pulls of the answers (``PULLS``: e.g. no ML-ops capacity -8, must inspect
  weights +8), which is the article's audience guidance;
- ``gap`` is a quarter of (best eligible open score - best eligible closed score), capped at +-6,
  so the criteria fit nudges the verdict but cannot drown the team's situation.

Rules, in order:

1. No eligible model at all: no side verdict (``none``).
2. Only one side has eligible models: that side, confidence high, and the reasons say which
   constraint forced it ("only open models can run air-gapped").
3. Hybrid "start on an API, move to open": no ML-ops capacity or a deadline within weeks, together
   with low lock-in tolerance or a wish to fine-tune, and ``|margin| <= 16``.
4. Hybrid "split workloads": confidential or regulated data that may go to a cloud API, some ML-ops
   capacity, a capability-heavy use case, and ``|margin| < 6``.
5. Hybrid "both fit": ``|margin| < 3`` while the answers pull both ways (>= 4 points each way).
6. Otherwise open when ``margin > 0``, closed when ``< 0`` (exactly 0: the side of the better fit).

Confidence comes from the margin: for open/closed, high when ``|margin| >= 12``, medium when
``>= 5``, else low; for hybrid, high when ``|margin| < 4``, medium when ``< 10``, else low.
"""

from typing import NamedTuple

from advisor.engine.questions import KEYS
from advisor.engine.text import gettext_noop as _


class Pull(NamedTuple):
    """How far an answer pulls towards open (positive) or closed (negative) models, and why."""

    points: int
    reason: str


PULLS = {
    "use_case": {
        "research": (
            6,
            _("You will research and experiment on models, which needs weights you can inspect and change."),
        ),
        "teaching": (6, _("You teach how models work, which is easiest with weights and code students can open.")),
        "assistant": (-2, _("A chat assistant is quickest to build on a vendor's API.")),
    },
    "sector": {
        "finance": (
            -5,
            _("Regulated finance teams often prefer a stable vendor with clear contracts and certifications."),
        ),
        "healthcare": (-5, _("Healthcare teams often prefer a stable vendor with clear contracts and certifications.")),
        "legal": (-2, _("Legal teams often prefer a vendor with clearly defined terms of use.")),
    },
    "transparency": {
        "medium": (2, _("You need documentation and evaluations, which open models publish more fully.")),
        "weights": (8, _("You must inspect the weights, which only open models publish.")),
        "weights-code": (8, _("You must inspect the weights and training code, which only open models publish.")),
        "weights-code-data": (
            8,
            _("You must inspect the weights, training code and training data, which only fully open models publish."),
        ),
    },
    "customisation": {
        "none": (-2, _("Prompting is enough, so a ready-made API covers your needs.")),
        "fine-tune": (4, _("Fine-tuning would help, and open weights can be tuned freely on your own data.")),
        "fine-tune-required": (
            8,
            _("You must fine-tune or change the model, which open weights allow without limits."),
        ),
    },
    "mlops": {
        "none": (-8, _("Nobody in your team runs models or GPUs, and a vendor's API needs no infrastructure.")),
        "strong": (4, _("Your ML platform team can serve and operate open models well.")),
    },
    "budget": {
        "pay-per-use": (-3, _("You prefer paying per use, which is how vendors' APIs bill.")),
        "fixed": (3, _("A fixed infrastructure budget suits running open models on your own hardware.")),
    },
    "volume": {
        "low": (-2, _("At low volume, per-token API prices stay small.")),
        "high": (3, _("At high volume, running an open model yourself can cost less than per-token prices.")),
    },
    "time_to_market": {
        "weeks": (-4, _("You must ship within weeks, and an API works on the first day.")),
        "no-rush": (2, _("With no deadline, you can invest in running and tuning your own model.")),
    },
    "lock_in": {
        "low": (6, _("You want independence from any one vendor, and open weights can move with you.")),
        "high": (-2, _("Depending on one vendor would not hurt much, so an API's convenience wins.")),
    },
}
# Written above as (points, reason) pairs, to read like a table.
PULLS = {key: {value: Pull(*pull) for value, pull in pulls.items()} for key, pulls in PULLS.items()}
PULLING = tuple(key for key in KEYS if key in PULLS)
# Answers decide() reads besides the stance.
PATTERN_KEYS = frozenset(
    {"mlops", "time_to_market", "lock_in", "customisation", "data_sensitivity", "deployment", "use_case"}
)

GAP_FACTOR = 0.25
GAP_CAP = 6.0
HYBRID_START_SPAN = 16
HYBRID_SPLIT_SPAN = 6
HYBRID_BOTH_SPAN = 3
HYBRID_BOTH_PULL = 4
CONFIDENCE_HIGH = 12
CONFIDENCE_MEDIUM = 5
SPLIT_USE_CASES = frozenset({"assistant", "coding", "documents", "content", "agents"})


def pull(key, value):
    return PULLS[key][value].points if key in PULLS and value in PULLS[key] else 0


def stance(answers):
    return sum(pull(key, answers[key]) for key in PULLING)


def decide(answers, stance_points, open_score, closed_score):
    """(kind, pattern, margin, confidence) from the answers and each side's best score (None: no model)."""
    gap = max(-GAP_CAP, min(GAP_CAP, ((open_score or 0) - (closed_score or 0)) * GAP_FACTOR))
    margin = round(stance_points + gap, 2)
    size = abs(margin)
    if open_score is None and closed_score is None:
        return "none", "none", margin, "none"
    if open_score is None or closed_score is None:
        return ("open" if closed_score is None else "closed"), "one-side", margin, "high"
    pattern = None
    start_closed = answers["mlops"] == "none" or answers["time_to_market"] == "weeks"
    move_open = answers["lock_in"] == "low" or answers["customisation"] in ("fine-tune", "fine-tune-required")
    if start_closed and move_open and size <= HYBRID_START_SPAN:
        pattern = "start-closed"
    elif (
        answers["data_sensitivity"] in ("confidential", "regulated")
        and answers["deployment"] in ("any-api", "own-cloud")
        and answers["mlops"] != "none"
        and answers["use_case"] in SPLIT_USE_CASES
        and size < HYBRID_SPLIT_SPAN
    ):
        pattern = "split"
    elif size < HYBRID_BOTH_SPAN:
        pulls = [pull(key, answers[key]) for key in PULLING]
        if sum(p for p in pulls if p > 0) >= HYBRID_BOTH_PULL and -sum(p for p in pulls if p < 0) >= HYBRID_BOTH_PULL:
            pattern = "both"
    if pattern:
        confidence = "high" if size < 4 else "medium" if size < 10 else "low"
        return "hybrid", pattern, margin, confidence
    if margin > 0:
        kind = "open"
    elif margin < 0:
        kind = "closed"
    else:
        kind = "open" if open_score >= closed_score else "closed"
    confidence = "high" if size >= CONFIDENCE_HIGH else "medium" if size >= CONFIDENCE_MEDIUM else "low"
    return kind, kind, margin, confidence


HEADLINES = {
    "open": _("Start with an open model."),
    "closed": _("Start with a closed model behind a vendor's API."),
    "start-closed": _("Go hybrid: start on a closed API now, and plan a move to an open model you fine-tune and run."),
    "split": _(
        "Go hybrid: use a closed API for the product, and an open model you run yourself for sensitive workloads."
    ),
    "both": _("Go hybrid: open and closed models fit about equally well, so use each where it is strongest."),
    "none": _("No model in the catalogue meets every one of your constraints."),
}
PLAN_REASONS = {
    "start-closed": _(
        "An API gets you started without infrastructure, while your wish for independence or fine-tuning "
        "points to open weights later."
    ),
    "split": _(
        "Your data is sensitive but your use case needs top capability: keep sensitive work on a model you run."
    ),
    "both": _("Your answers pull both ways, and the best open and closed models score close together."),
}
FORCED = {
    "open": _(
        "Only open models meet your constraints: every closed model is ruled out, most often because: %(rules)s."
    ),
    "closed": _(
        "Only closed models meet your constraints: every open model is ruled out, most often because: %(rules)s."
    ),
}
SCORE_REASON = _(
    "On your weighted criteria, the best open model (%(open_name)s) fits %(open_score)s out of 100 and the best "
    "closed model (%(closed_name)s) %(closed_score)s."
)
SCORE_AGAINST = {
    "open": _(
        "The best closed model (%(closed_name)s, %(closed_score)s out of 100) fits your criteria better than the best "
        "open model (%(open_name)s, %(open_score)s), but your situation outweighs that gap."
    ),
    "closed": _(
        "The best open model (%(open_name)s, %(open_score)s out of 100) fits your criteria better than the best "
        "closed model (%(closed_name)s, %(closed_score)s), but your situation outweighs that gap."
    ),
}
NONE_REASON = _(
    "No catalogue model meets every constraint, so there is no side to start on: "
    "see the changes that would admit models."
)
