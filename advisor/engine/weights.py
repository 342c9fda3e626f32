"""How much each criterion counts, from the answers.

Weights are integer points per criterion: ``BASE_WEIGHTS`` plus what each answer adds
(``WEIGHTS``). Capability counts as much as the work demands: its points are the use case's
demand (``CAPABILITY_DEMAND``) times how much quality matters (``QUALITY_FACTOR``), so an agent
or coding team that needs the best quality gives it about a quarter of the score, and a team
extracting fields where good enough is fine, a few per cent.

When the team needs languages besides English, one more row, "Documents your languages", gets a
fifth of the total (``LANGUAGE_SHARE``): a model scores 10 on it when its documentation confirms
every language needed, and proportionally less for each one it leaves unconfirmed. So models
that document Korean rank above those where Korean is only "broadly multilingual".
"""

import math

from advisor import scoring
from advisor.engine.text import gettext_noop as _

CRITERIA = scoring.CRITERIA
BASE_WEIGHTS = dict.fromkeys(CRITERIA, 1) | {"capability": 2}

CAPABILITY_DEMAND = {
    "agents": 3,
    "coding": 3,
    "research": 3,
    "assistant": 2,
    "documents": 2,
    "content": 2,
    "extraction": 1,
    "teaching": 1,
}
QUALITY_FACTOR = {"adequate": 1, "high": 2, "critical": 4}

WEIGHTS = {
    "use_case": {
        "assistant": {"fast-development": 2},
        "coding": {"fast-development": 1},
        "documents": {"fast-development": 1},
        "extraction": {"fast-development": 1},
        "content": {"fast-development": 1},
        "agents": {"fast-development": 1},
        "research": {"transparency": 4},
        "teaching": {"transparency": 4, "fast-development": 1},
    },
    "data_sensitivity": {
        "public": {},
        "internal": {"data-privacy": 1},
        "confidential": {"data-privacy": 3, "security": 2},
        "regulated": {"data-privacy": 4, "security": 3},
    },
    "sector": {
        "general": {},
        "finance": {"usage-clarity": 2, "security": 2},
        "healthcare": {"usage-clarity": 2, "data-privacy": 2},
        "public": {"usage-clarity": 1, "data-privacy": 2},
        "legal": {"usage-clarity": 2, "data-privacy": 1},
        "education": {"usage-clarity": 1},
    },
    "deployment": {
        "any-api": {"maintenance": 1},
        "own-cloud": {"data-privacy": 1},
        "on-premises": {"data-privacy": 2},
        "air-gapped": {"data-privacy": 3},
        "on-device": {"data-privacy": 2},
    },
    "transparency": {
        "low": {},
        "medium": {"transparency": 2, "code-access": 1},
        "weights": {"transparency": 4, "code-access": 3},
        "weights-code": {"transparency": 4, "code-access": 4},
        "weights-code-data": {"transparency": 5, "code-access": 5},
    },
    "customisation": {
        "none": {},
        "light": {"customisation": 1},
        "fine-tune": {"fine-tuning": 3, "customisation": 2},
        "fine-tune-required": {"fine-tuning": 5, "customisation": 3},
    },
    "mlops": {
        "none": {"maintenance": 4, "fast-development": 2},
        "some": {"maintenance": 1},
        "strong": {},
    },
    "budget": {"pay-per-use": {}, "fixed": {"cost-at-scale": 2}, "either": {"cost-at-scale": 1}},
    "volume": {"low": {}, "medium": {"cost-at-scale": 1}, "high": {"cost-at-scale": 4}},
    "time_to_market": {
        "weeks": {"fast-development": 4, "maintenance": 1},
        "months": {"fast-development": 1},
        "no-rush": {},
    },
    "lock_in": {
        "low": {"lock-in": 5, "control": 3},
        "medium": {"lock-in": 2, "control": 1},
        "high": {},
    },
    "outages": {"critical": {"lock-in": 2, "maintenance": 2}, "tolerable": {}},
    "commercial": {"yes": {"usage-clarity": 2}, "no": {}},
}
WEIGHING = (*WEIGHTS, "quality")

LANGUAGE_ROW = "languages"
LANGUAGE_SHARE = 0.2
LANGUAGE_NAME = _("Documents your languages")
WEIGHT_BASE = _("Base weight: none of your answers raised it.")
WEIGHT_RAISED = _('Raised most by your answer "%(answer)s" to "%(question)s".')
WEIGHT_CAPABILITY = _(
    'Set by your answers "%(use_case)s" and "%(quality)s": capability counts as much as the work demands.'
)
WEIGHT_LANGUAGES = _("You need %(languages)s: models that document every one of them gain this share.")


def criterion_points(answers):
    """{criterion: points} for the answers."""
    points = dict(BASE_WEIGHTS)
    for key, table in WEIGHTS.items():
        for slug, extra in table[answers[key]].items():
            points[slug] += extra
    points["capability"] += CAPABILITY_DEMAND[answers["use_case"]] * QUALITY_FACTOR[answers["quality"]]
    return points


def needs_language_row(answers):
    return any(code != "en" for code in answers["languages"])


def language_points(answers, total):
    """Points of the language row: a fifth of the whole when languages besides English are needed."""
    if not needs_language_row(answers):
        return 0
    return math.ceil(total * LANGUAGE_SHARE / (1 - LANGUAGE_SHARE))


def sources(answers, slug):
    """The answers that raised a criterion's weight, as (question, answer, points)."""
    found = []
    for key, table in WEIGHTS.items():
        extra = table[answers[key]].get(slug, 0)
        if extra:
            found.append((key, answers[key], extra))
    if slug == "capability":
        found.append(
            ("quality", answers["quality"], CAPABILITY_DEMAND[answers["use_case"]] * QUALITY_FACTOR[answers["quality"]])
        )
    return found
