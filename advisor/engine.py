"""The recommendation engine: answers + catalogue snapshot in, a ranked, explained result out.

Pure Python: no Django, no ORM, no settings, no request. The caller (``advisor.services``)
builds the catalogue snapshot with ``advisor.catalogue.catalogue_snapshot()``, turns it once
into a frozen ``Catalogue`` with ``prepare()`` (cached per catalogue fingerprint), then calls
``recommend(answers, catalogue)`` and stores ``Result.as_json()`` in a permalink.

Contract
--------
- ``VERSION`` changes whenever scoring, rules or wording keys change.
- ``recommend()`` is deterministic: the same answers and snapshot give the same result.
- Answers use the keys and values of ``advisor.questions`` (mirrored in ``QUESTIONS`` below,
  and a test keeps the two equal). A missing key takes its default (``DEFAULTS``); a value
  outside the allowed choices also falls back to the default, so a complete dict is not needed.
- Every user-facing text is a message ``{"msgid": "...%(name)s...", "params": {...}}``; msgids
  are marked with the local no-op ``gettext_noop`` so ``makemessages`` extracts them, and the
  caller renders ``gettext(msgid) % params``. Params are plain strings and numbers (English
  labels of the answers, names from the catalogue).

Hard constraints
----------------
A model is excluded, with rule code, plain reason and the clause or fact it rests on, when:

- ``retired``: its lifecycle is retired (deprecated models stay, with the shutdown date as a caveat);
- ``api-only``: it is a closed API model and the model must run on-premises, air-gapped or on-device;
- ``no-self-hosting`` / ``no-on-device``: on-premises and air-gapped need ``self-host`` among its
  deployment options, on-device needs ``on-device``;
- ``not-in-own-cloud``: "only in our own cloud account" keeps open models that can be self-hosted
  or bought on a cloud marketplace, and keeps an API-only model only when it is sold through a cloud
  marketplace (e.g. Bedrock, Vertex AI, Azure), which runs inside the team's own cloud account;
- ``non-commercial``: the licence grants no commercial use and the use is commercial;
- ``user-threshold`` / ``revenue-threshold``: the team's band lies wholly above a threshold whose
  effect is a gate (a separate licence). Thresholds marked "hosted service only" count only for teams
  that offer the model as a service. A band that straddles a gate is a caveat; a duty threshold, or
  one whose effect is not recorded, is listed as an obligation, never an exclusion;
- ``jurisdiction``: the licence grants nothing in the team's region (when the exclusion covers
  multimodal models only, it applies only to models that accept image, audio or video input);
- ``hosting-barred``: the team offers the model as a service and the licence bars hosting;
- ``outputs-training``: the team will train models on outputs and the terms say "no" (a conditional
  permission keeps the model and lists the conditions as an obligation; "competing-models" in the
  forbidden uses is never an exclusion, only an obligation for teams that train on outputs);
- ``forbidden-use``: the licence or its use policy forbids one of the team's restricted uses;
- ``no-fine-tuning``: fine-tuning is required and there is no path: weights the licence lets you
  tune (full or LoRA), or a hosted fine-tuning API the deployment answer allows (any cloud API, or
  own cloud when the model is sold on a cloud marketplace);
- ``modality``: an input the team needs is not accepted;
- ``context``: the context window is known and smaller than needed (unknown: a caveat);
- ``language``: a needed language is missing from a *listed* language set (for ``broad`` or
  ``unknown`` coverage it is a caveat; broadly multilingual models are taken to cover English,
  the language their documentation is written in).

Scoring
-------
Weights are integer points per criterion: ``BASE_WEIGHTS`` plus what each answer adds
(``WEIGHTS``; only towards the criteria ``advisor.questions`` says the question weighs). A model's
score is ``sum(weight_c * value_c) / (10 * sum(weight_c)) * 100``, from 0 to 100; a missing
criterion score counts as 5 and is listed as a caveat. Ties break by model name, then slug
(``TIE_BREAK``), so the ranking is a total order. This criteria-only score is what the verdict
compares; the ranking adds the direction row below.

Most criteria favour open weights by construction (``advisor.scoring``). "security" in particular
scores who controls the security posture (self-hostable 8, closed 3), and regulated or confidential
data and the finance sector raise its weight. For a team without ML-ops capacity that control is a
burden rather than a benefit; the weights cannot depend on that answer (``mlops`` weighs only
maintenance and fast-development), so the burden is carried by the "maintenance" weight (+4 for no
ML-ops), the stance (-8) and the direction row. Checked on the seed catalogue with 2,160 answer
mixes (confidential/regulated data x 5 sectors x 3 ML-ops levels x 4 use cases x 2 cloud
deployments x 3 lock-in x 3 deadlines): dropping the security raises changes 2 of the 720
verdicts for teams without ML-ops (both at a margin of exactly 0, where the stance -6 meets the
capped gap +6), because the gap is capped; and in the ranking the stance, through the direction
row, outweighs the criteria gap. So the weights stay as they are.

Verdict
-------
``margin = stance + gap`` (positive leans open, negative closed):

- ``stance`` sums the pulls of the answers (``PULLS``: e.g. no ML-ops capacity -8, must inspect
  weights +8), which is the article's audience guidance;
- ``gap`` is a quarter of (best eligible open score - best eligible closed score), capped at +-6
  (a side with no eligible model counts as 0). Most criteria favour open weights by construction,
  so the gap is bounded so that it nudges but cannot drown the team's situation.

Rules, in order:

1. Only one side has eligible models: that side, confidence high, and a reason says how many
   models of the other side were ruled out and by which rules.
2. No eligible model at all: the sign of the stance, confidence low.
3. Hybrid "start on an API, move to open": no ML-ops capacity or a deadline within weeks, together
   with low lock-in tolerance or a wish to fine-tune, and ``|margin| <= 16``.
4. Hybrid "split workloads": confidential or regulated data that may go to a cloud API, some ML-ops
   capacity, a capability-heavy use case, and ``|margin| < 6``.
5. Hybrid "both fit": ``|margin| < 3`` while the answers pull both ways (>= 4 points each way).
6. Otherwise open when ``margin > 0``, closed when ``< 0`` (exactly 0: the top pick's side).

Confidence: for open/closed, high when ``|margin| >= 12``, medium when ``>= 5``, else low; for
hybrid, high when ``|margin| < 4``, medium when ``< 10``, else low. The verdict is computed from
the criteria-only scores, never from the direction row below (no circularity). When the verdict's
side scores lower on the criteria, a reason says that the situation outweighs that gap.
``best_open`` / ``best_closed`` give each side's best model with its criteria-only ``score`` (what
the verdict compared) and its ``rank`` in the ranking.

Ranking
-------
So that the verdict and the list agree, the ranking scores every eligible model on the criteria
plus one more weighted row, criterion ``"direction"`` ("Fits the direction of your answers"),
when the verdict is open or closed and both sides have eligible models:

- value 10 for models on the verdict's side (open: ``open-weights`` and ``fully-open``; closed:
  ``closed-api``), 0 for the others, with a rationale saying which;
- weight ``D = ceil(T * p / (100 - p))`` points, where ``T`` is the sum of the criterion weights
  and ``p = min(40, 4 * pull)`` percent, ``pull`` being the stance towards the verdict's side (0,
  so no row, when the stance points the other way or is 0). The row's share of the ranking total
  ``T + D`` is then about ``p`` %, and it moves an on-side model ahead by about ``100 * p / (100 -
  p)`` points. 4 % per stance point mirrors ``GAP_FACTOR`` (the verdict weighs one stance point
  against 4 score points), so whenever the stance outweighs an uncapped score gap in the verdict,
  the verdict side's best model also tops the ranking; at the 40 % cap (a pull of 10 or more) it
  makes up a gap of about 66 points, while a pull of 1 or 2 (4 or 8 %) only nudges.

A model's ``score`` is then ``(sum(weight_c * value_c) + D * value_direction) / (10 * (T + D)) *
100``; its ``contributions`` hold the direction row (criterion ``"direction"``) with the criteria,
and the ``weights`` list gains a ``"direction"`` row, so every share is of ``T + D`` and the shares
still sum to 1. Within a side, the order is the criteria order.

A hybrid verdict adds no direction row. Instead the detailed top ``TOP_N`` holds at least the best
``HYBRID_SIDE_MIN`` (2) eligible models of each side: when the plain order leaves them out, they
take the places of the lowest-ranked other models (so ``also_eligible`` may hold a higher score
than the last detailed entry), and every detailed entry's first reason says which part of the plan
it serves ("For the API part of your plan: ..." / "For the open part of your plan: ...").

Result
------
``Result.as_json()`` holds ``engine_version``, ``answers`` (complete), ``verdict`` (kind,
confidence, margin, stance, pattern, headline, reasons, best_open, best_closed,
what_would_change), ``weights`` (per criterion: share, points, the answers that raised it, why;
plus the ``"direction"`` row when there is one), ``ranking`` (the top ``TOP_N`` with contributions,
the direction row among them, reasons, obligations and caveats),
``also_eligible``, ``top_pick_change``, ``excluded`` (by name, every rule with message and
clause), ``counts`` and ``tie_break``. ``recommend(..., what_if=False)`` skips the re-runs.

What would change it
--------------------
For every question and every other value (each single addition or removal for multiple-choice
questions, never leaving modalities or languages empty), the engine re-runs eligibility, weights
and the verdict on the precomputed catalogue, reporting only real flips. The two most plausible
are kept: smallest step first (neighbouring choices of an ordered question), then the largest
margin shift. The same re-runs give the answers that would change the top pick, with the
re-run's own direction row (it lifts a whole side alike, so each side's best model stays the same
and only the comparison of the two changes).

Performance
-----------
``prepare()`` precomputes, per model, a bit mask (one byte per model in a Python int) for every
constraint state, and per answer value the model's weighted partial sum as an integer vector. A
recommendation is then a handful of big-int ANDs, ``map(add, ...)`` over integer lists and
``max(compress(...))``: see ``bench/engine_bench.py``. Sort keys are ``raw * N + (N - 1 - name
rank)``, integers, so ties need no second pass.
"""

from __future__ import annotations

import sys
from array import array
from collections.abc import Mapping
from dataclasses import dataclass
from itertools import compress, product
from operator import add, sub

from advisor import scoring

VERSION = "2"
TOP_N = 10


def gettext_noop(message):
    """Mark a msgid for extraction; the caller translates it when rendering."""
    return message


def msg(msgid, **params):
    return {"msgid": msgid, "params": params}


TIE_BREAK = gettext_noop("Models with the same score are listed by name, then by slug.")

CRITERIA = scoring.CRITERIA
CRITERION_INDEX = {slug: index for index, slug in enumerate(CRITERIA)}
MISSING_SCORE = 5

# -- The questionnaire, mirrored from advisor.questions (English labels) ---------------
# (key, label, multiple, default, ((value, label), ...)); tests keep it equal to questions.py.
QUESTIONS = (
    (
        "use_case",
        "What will the model mainly do?",
        False,
        "assistant",
        (
            ("assistant", "Chat assistant or customer support"),
            ("coding", "Code generation or review"),
            ("documents", "Search, summaries and questions over documents"),
            ("extraction", "Extraction and classification of data"),
            ("content", "Writing and content generation"),
            ("agents", "Agents that call tools and automate work"),
            ("research", "Research and experiments on models"),
            ("teaching", "Teaching how models work"),
        ),
    ),
    (
        "modalities",
        "Which inputs must the model accept?",
        True,
        ("text",),
        (
            ("text", "Text"),
            ("image", "Images"),
            ("audio", "Audio"),
            ("video", "Video"),
        ),
    ),
    (
        "languages",
        "Which languages must it handle well?",
        True,
        ("en",),
        (
            ("en", "English"),
            ("ko", "Korean"),
            ("zh", "Chinese"),
            ("ja", "Japanese"),
            ("de", "German"),
            ("fr", "French"),
            ("es", "Spanish"),
            ("pt", "Portuguese"),
            ("it", "Italian"),
            ("nl", "Dutch"),
            ("pl", "Polish"),
            ("ru", "Russian"),
            ("ar", "Arabic"),
            ("hi", "Hindi"),
            ("th", "Thai"),
            ("vi", "Vietnamese"),
            ("id", "Indonesian"),
        ),
    ),
    (
        "context",
        "How much text must fit in one request?",
        False,
        "any",
        (
            ("any", "A few pages is enough"),
            ("32k", "About 50 pages (32K tokens)"),
            ("128k", "A long report (128K tokens)"),
            ("200k", "A book (200K tokens)"),
            ("1m", "Several books (1M tokens)"),
        ),
    ),
    (
        "data_sensitivity",
        "How sensitive is the data the model will see?",
        False,
        "internal",
        (
            ("public", "Public or made-up data"),
            ("internal", "Internal business data"),
            ("confidential", "Confidential data or trade secrets"),
            ("regulated", "Personal, health or financial data under regulation"),
        ),
    ),
    (
        "sector",
        "Which sector do you work in?",
        False,
        "general",
        (
            ("general", "Not a regulated sector"),
            ("finance", "Finance or insurance"),
            ("healthcare", "Healthcare"),
            ("public", "Government or public sector"),
            ("legal", "Legal services"),
            ("education", "Education"),
        ),
    ),
    (
        "restricted_uses",
        "Will the product do any of these?",
        True,
        (),
        (
            ("medical-advice", "Give medical advice or interpret medical results"),
            ("law-enforcement", "Support law-enforcement, justice or immigration decisions"),
            ("military", "Serve military purposes"),
            ("automated-legal-decisions", "Make fully automated decisions that affect people's legal rights"),
        ),
    ),
    (
        "deployment",
        "Where may the model run?",
        False,
        "any-api",
        (
            ("any-api", "Any cloud API is fine"),
            ("own-cloud", "Only in our own cloud account"),
            ("on-premises", "On our own servers"),
            ("air-gapped", "Air-gapped, with no internet connection"),
            ("on-device", "On users' devices"),
        ),
    ),
    (
        "transparency",
        "How much must you be able to inspect and audit the model?",
        False,
        "low",
        (
            ("low", "Outputs are all we check"),
            ("medium", "We need documentation and some evaluation"),
            ("high", "We must inspect weights, code or training data"),
        ),
    ),
    (
        "customisation",
        "How far must you adapt the model?",
        False,
        "light",
        (
            ("none", "Prompting is enough"),
            ("light", "Prompting plus our documents (retrieval)"),
            ("fine-tune", "Fine-tuning would help"),
            ("fine-tune-required", "We must fine-tune or change the model"),
        ),
    ),
    (
        "mlops",
        "Who can run models and GPUs in your team?",
        False,
        "some",
        (
            ("none", "Nobody: we want no infrastructure"),
            ("some", "Some experience with cloud and containers"),
            ("strong", "A dedicated ML platform or ML-ops team"),
        ),
    ),
    (
        "budget",
        "How would you rather pay?",
        False,
        "either",
        (
            ("pay-per-use", "Pay per use, no fixed costs"),
            ("fixed", "A fixed infrastructure budget"),
            ("either", "Either, whichever is cheaper"),
        ),
    ),
    (
        "volume",
        "How much will you send to the model?",
        False,
        "medium",
        (
            ("low", "A little: prototypes or internal tools"),
            ("medium", "Steady use by a product"),
            ("high", "Heavy use: millions of requests a month"),
        ),
    ),
    (
        "time_to_market",
        "How soon must it work?",
        False,
        "months",
        (
            ("weeks", "Within weeks"),
            ("months", "Within a few months"),
            ("no-rush", "No deadline: we are building for the long term"),
        ),
    ),
    (
        "lock_in",
        "How much would it hurt to depend on one vendor?",
        False,
        "medium",
        (
            ("low", "A lot: we want independence for the long term"),
            ("medium", "Somewhat"),
            ("high", "Not much: we can switch if we must"),
        ),
    ),
    (
        "outages",
        "What if the model provider has an outage?",
        False,
        "tolerable",
        (
            ("critical", "It must keep running whatever happens"),
            ("tolerable", "A short outage is acceptable"),
        ),
    ),
    (
        "commercial",
        "Is this for commercial use?",
        False,
        "yes",
        (
            ("no", "No"),
            ("yes", "Yes"),
        ),
    ),
    (
        "users",
        "How many monthly active users could the product reach?",
        False,
        "under-1m",
        (
            ("under-1m", "Under 1 million"),
            ("1m-100m", "1 to 100 million"),
            ("100m-700m", "100 to 700 million"),
            ("over-700m", "Over 700 million"),
        ),
    ),
    (
        "revenue",
        "What is your organisation's annual revenue (USD)?",
        False,
        "under-20m",
        (
            ("under-20m", "Under 20 million"),
            ("20m-240m", "20 to 240 million"),
            ("over-240m", "Over 240 million"),
        ),
    ),
    (
        "jurisdiction",
        "Where is your organisation based?",
        False,
        "US",
        (
            ("EU", "European Union"),
            ("EEA-CH-UK", "EEA outside the EU, Switzerland or the UK"),
            ("US", "United States"),
            ("KR", "South Korea"),
            ("CN", "China"),
            ("other", "Elsewhere"),
        ),
    ),
    (
        "hosted_service",
        "Will you offer the model itself to others as a service (an API or hosted model)?",
        False,
        "no",
        (
            ("no", "No"),
            ("yes", "Yes"),
        ),
    ),
    (
        "train_on_outputs",
        "Will you use the model's outputs to train other models?",
        False,
        "no",
        (
            ("no", "No"),
            ("yes", "Yes"),
        ),
    ),
)

QUESTION_KEYS = tuple(question[0] for question in QUESTIONS)
QUESTION_LABELS = {question[0]: question[1] for question in QUESTIONS}
MULTIPLE = frozenset(question[0] for question in QUESTIONS if question[2])
DEFAULTS = {question[0]: question[3] for question in QUESTIONS}
CHOICES = {question[0]: tuple(value for value, _label in question[4]) for question in QUESTIONS}
CHOICE_LABELS = {question[0]: dict(question[4]) for question in QUESTIONS}
QUESTION_ORDER = {key: position for position, key in enumerate(QUESTION_KEYS)}
# Questions whose choices run from one end to the other: a neighbouring choice is a smaller change.
ORDINAL = frozenset(
    {"context", "data_sensitivity", "transparency", "customisation", "mlops", "volume", "time_to_market"}
    | {"lock_in", "users", "revenue"}
)

# -- Weights -----------------------------------------------------------------------------
# Integer points per criterion. Every criterion starts at BASE_WEIGHTS; each answer adds the
# points below (only to the criteria advisor.questions lists in the question's ``weighs``).
BASE_WEIGHTS = dict.fromkeys(CRITERIA, 1) | {"capability": 2}

WEIGHTS = {
    "use_case": {
        "assistant": {"capability": 2, "fast-development": 2},
        "coding": {"capability": 3, "fast-development": 1},
        "documents": {"capability": 2, "fast-development": 1},
        "extraction": {"capability": 1, "fast-development": 1},
        "content": {"capability": 2, "fast-development": 1},
        "agents": {"capability": 3, "fast-development": 1},
        "research": {"transparency": 4, "capability": 1},
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
        "high": {"transparency": 4, "code-access": 4},
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
WEIGHING = tuple(key for key in QUESTION_KEYS if key in WEIGHTS)

# -- Pulls towards open (+) or closed (-), for the verdict --------------------------------
# The article's audience guidance, as points; each comes with the reason shown when it drives
# the verdict.
PULLS = {
    "use_case": {
        "research": (
            6,
            gettext_noop("You will research and experiment on models, which needs weights you can inspect and change."),
        ),
        "teaching": (
            6,
            gettext_noop("You teach how models work, which is easiest with weights and code students can open."),
        ),
        "assistant": (-2, gettext_noop("A chat assistant is quickest to build on a vendor's API.")),
    },
    "sector": {
        "finance": (
            -5,
            gettext_noop(
                "Regulated finance teams often prefer a stable vendor with clear contracts and certifications."
            ),
        ),
        "healthcare": (
            -5,
            gettext_noop("Healthcare teams often prefer a stable vendor with clear contracts and certifications."),
        ),
        "legal": (-2, gettext_noop("Legal teams often prefer a vendor with clearly defined terms of use.")),
    },
    "transparency": {
        "medium": (2, gettext_noop("You need documentation and evaluations, which open models publish more fully.")),
        "high": (8, gettext_noop("You must inspect weights, code or training data, which only open models allow.")),
    },
    "customisation": {
        "none": (-2, gettext_noop("Prompting is enough, so a ready-made API covers your needs.")),
        "fine-tune": (
            4,
            gettext_noop("Fine-tuning would help, and open weights can be tuned freely on your own data."),
        ),
        "fine-tune-required": (
            8,
            gettext_noop("You must fine-tune or change the model, which open weights allow without limits."),
        ),
    },
    "mlops": {
        "none": (
            -8,
            gettext_noop("Nobody in your team runs models or GPUs, and a vendor's API needs no infrastructure."),
        ),
        "strong": (4, gettext_noop("Your ML platform team can serve and operate open models well.")),
    },
    "budget": {
        "pay-per-use": (-3, gettext_noop("You prefer paying per use, which is how vendors' APIs bill.")),
        "fixed": (3, gettext_noop("A fixed infrastructure budget suits running open models on your own hardware.")),
    },
    "volume": {
        "low": (-2, gettext_noop("At low volume, per-token API prices stay small.")),
        "high": (
            3,
            gettext_noop("At high volume, running an open model yourself can cost less than per-token prices."),
        ),
    },
    "time_to_market": {
        "weeks": (-4, gettext_noop("You must ship within weeks, and an API works on the first day.")),
        "no-rush": (2, gettext_noop("With no deadline, you can invest in running and tuning your own model.")),
    },
    "lock_in": {
        "low": (6, gettext_noop("You want independence from any one vendor, and open weights can move with you.")),
        "high": (-2, gettext_noop("Depending on one vendor would not hurt much, so an API's convenience wins.")),
    },
}
PULLING = tuple(key for key in QUESTION_KEYS if key in PULLS)

GAP_FACTOR = 0.25
GAP_CAP = 6.0
HYBRID_START_SPAN = 16
HYBRID_SPLIT_SPAN = 6
HYBRID_BOTH_SPAN = 3
HYBRID_BOTH_PULL = 4
CONFIDENCE_HIGH = 12
CONFIDENCE_MEDIUM = 5
SPLIT_USE_CASES = frozenset({"assistant", "coding", "documents", "content", "agents"})

HEADLINES = {
    "open": gettext_noop("Open models fit your needs best."),
    "closed": gettext_noop("Closed API models fit your needs best."),
    "start-closed": gettext_noop(
        "Go hybrid: start on a closed API now, and plan a move to an open model you fine-tune and run."
    ),
    "split": gettext_noop(
        "Go hybrid: use a closed API for the product, and an open model you run yourself for sensitive workloads."
    ),
    "both": gettext_noop(
        "Go hybrid: open and closed models fit about equally well, so use each where it is strongest."
    ),
}
PLAN_REASONS = {
    "start-closed": gettext_noop(
        "An API gets you started without infrastructure, while your wish for independence or fine-tuning "
        "points to open weights later."
    ),
    "split": gettext_noop(
        "Your data is sensitive but your use case needs top capability: keep sensitive work on a model you run."
    ),
    "both": gettext_noop("Your answers pull both ways, and the best open and closed models score close together."),
}
SCORE_AGAINST = {
    "open": gettext_noop(
        "On your weighted criteria alone, the best closed model (%(closed_name)s, %(closed_score)s out of 100) "
        "outscores the best open model (%(open_name)s, %(open_score)s), but your situation outweighs that gap, "
        "so the ranking also counts how well each model fits that direction."
    ),
    "closed": gettext_noop(
        "On your weighted criteria alone, the best open model (%(open_name)s, %(open_score)s out of 100) "
        "outscores the best closed model (%(closed_name)s, %(closed_score)s), but your situation outweighs that gap, "
        "so the ranking also counts how well each model fits that direction."
    ),
}
SCORE_REASON = gettext_noop(
    "On your weighted criteria alone, the best open model (%(open_name)s) scores %(open_score)s and the best "
    "closed model (%(closed_name)s) scores %(closed_score)s out of 100."
)
RULED_OUT_REASONS = {
    "open": gettext_noop("All %(count)s closed models were ruled out by your constraints, most often: %(rules)s."),
    "closed": gettext_noop("All %(count)s open models were ruled out by your constraints, most often: %(rules)s."),
}
NONE_ELIGIBLE_REASON = gettext_noop(
    "No model in the catalogue meets all your constraints, so this verdict follows your answers alone."
)
CHANGE_MESSAGES = {
    ("set", "open"): gettext_noop('If your answer to "%(question)s" were "%(answer)s", the verdict would become open.'),
    ("set", "closed"): gettext_noop(
        'If your answer to "%(question)s" were "%(answer)s", the verdict would become closed.'
    ),
    ("set", "hybrid"): gettext_noop(
        'If your answer to "%(question)s" were "%(answer)s", the verdict would become hybrid.'
    ),
    ("add", "open"): gettext_noop('If you added "%(answer)s" to "%(question)s", the verdict would become open.'),
    ("add", "closed"): gettext_noop('If you added "%(answer)s" to "%(question)s", the verdict would become closed.'),
    ("add", "hybrid"): gettext_noop('If you added "%(answer)s" to "%(question)s", the verdict would become hybrid.'),
    ("remove", "open"): gettext_noop('If you removed "%(answer)s" from "%(question)s", the verdict would become open.'),
    ("remove", "closed"): gettext_noop(
        'If you removed "%(answer)s" from "%(question)s", the verdict would become closed.'
    ),
    ("remove", "hybrid"): gettext_noop(
        'If you removed "%(answer)s" from "%(question)s", the verdict would become hybrid.'
    ),
}
TOP_CHANGE_MESSAGES = {
    "set": gettext_noop('If your answer to "%(question)s" were "%(answer)s", the top pick would be %(name)s.'),
    "add": gettext_noop('If you added "%(answer)s" to "%(question)s", the top pick would be %(name)s.'),
    "remove": gettext_noop('If you removed "%(answer)s" from "%(question)s", the top pick would be %(name)s.'),
}
# -- Fit with the direction of the answers (ranking only) -----------------------------------
# An open or closed verdict adds one more weighted row to every eligible model's score: 10 for
# models on the verdict's side, 0 for the others. Its share of the ranking total is
# DIRECTION_PER_POINT percent per stance point towards the verdict's side, at most DIRECTION_CAP.
# 4 % per point mirrors GAP_FACTOR: the verdict weighs one stance point against 4 score points,
# and a 4 % share moves a model by about 4 points (100 * 0.04 / 0.96), so when the stance
# outweighs the (uncapped) score gap in the verdict it also outweighs it in the ranking.
DIRECTION = "direction"
DIRECTION_PER_POINT = 4
DIRECTION_CAP = 40
DIRECTION_NAME = gettext_noop("Fits the direction of your answers")
DIRECTION_RATIONALES = {
    ("open", True): gettext_noop("An open model, the direction your answers point to."),
    ("open", False): gettext_noop("A closed API model, while your answers point to open models."),
    ("closed", True): gettext_noop("A closed API model, the direction your answers point to."),
    ("closed", False): gettext_noop("An open-weights model, while your answers point to closed APIs."),
}
DIRECTION_WHY = {
    "open": gettext_noop(
        "Your answers point to open models, so open models gain this share: the stronger the pull, the larger it is."
    ),
    "closed": gettext_noop(
        "Your answers point to closed APIs, so closed models gain this share: the stronger the pull, the larger it is."
    ),
}
# A hybrid verdict adds no direction row; instead the detailed top TOP_N holds at least the best
# HYBRID_SIDE_MIN eligible models of each side, each saying which part of the plan it serves.
HYBRID_SIDE_MIN = 2
PLAN_PARTS = {
    ("start-closed", False): gettext_noop("For the API part of your plan: a closed API to start on now."),
    ("start-closed", True): gettext_noop(
        "For the open part of your plan: an open model to fine-tune and run when you move off the API."
    ),
    ("split", False): gettext_noop("For the API part of your plan: a closed API for the product."),
    ("split", True): gettext_noop(
        "For the open part of your plan: an open model you run yourself for sensitive workloads."
    ),
    ("both", False): gettext_noop("For the API part of your plan: use it where a closed API is strongest."),
    ("both", True): gettext_noop("For the open part of your plan: use it where an open model is strongest."),
}
WEIGHT_BASE = gettext_noop("Base weight: none of your answers raised it.")
WEIGHT_RAISED = gettext_noop('Raised most by your answer "%(answer)s" to "%(question)s".')

# Short English names of the rules, for the "ruled out, most often by" reason.
RULE_NAMES = {
    "retired": "retired by the provider",
    "api-only": "API only, cannot run where you need it",
    "no-self-hosting": "no self-hosting option",
    "no-on-device": "no on-device option",
    "not-in-own-cloud": "not available in your own cloud",
    "non-commercial": "non-commercial licence",
    "user-threshold": "user threshold",
    "revenue-threshold": "revenue threshold",
    "jurisdiction": "no licence in your region",
    "hosting-barred": "hosting as a service barred",
    "outputs-training": "outputs may not train other models",
    "forbidden-use": "forbidden use",
    "no-fine-tuning": "no fine-tuning path",
    "modality": "missing input type",
    "context": "context window too small",
    "language": "language not supported",
}

USER_BANDS = {
    "under-1m": (0, 1_000_000),
    "1m-100m": (1_000_000, 100_000_000),
    "100m-700m": (100_000_000, 700_000_000),
    "over-700m": (700_000_000, None),
}
REVENUE_BANDS = {
    "under-20m": (0, 20_000_000),
    "20m-240m": (20_000_000, 240_000_000),
    "over-240m": (240_000_000, None),
}
CONTEXT_TOKENS = {"any": 0, "32k": 32_000, "128k": 128_000, "200k": 200_000, "1m": 1_000_000}
SELF_RUN = frozenset({"on-premises", "air-gapped", "on-device"})
MODALITY_WORDS = {"text": "text", "image": "image", "audio": "audio", "video": "video"}
FINE_TUNING_WORDS = {"full": "full fine-tuning", "lora": "LoRA adapters", "api-fine-tuning": "a hosted tuning API"}
REGION_WORDS = {
    "EU": "the European Union",
    "EEA-CH-UK": "the EEA outside the EU, Switzerland or the UK",
    "US": "the United States",
    "KR": "South Korea",
    "CN": "China",
    "other": "your region",
}


# -- Helpers -------------------------------------------------------------------------------


def _count_words(number):
    """700000000 -> '700 million' (English, for message params)."""
    for size, word in ((1_000_000_000, "billion"), (1_000_000, "million")):
        if number >= size and number % (size // 10) == 0:
            amount = number / size
            return f"{amount:g} {word}"
    return f"{number:,}"


def _join(words):
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def _licence_name(facts):
    return facts.licence.get("name") or "The licence"


def _reason(code, msgid, clause, **params):
    return {"rule": code, "message": {"msgid": msgid, "params": params}, "clause": clause}


# -- Hard constraints: one function per group, returning a reason or None --------------------
# Each receives the model's facts and the state (answer values) of the group.

API_ONLY = {
    "on-premises": gettext_noop(
        "%(name)s is offered only through a vendor's API, so it cannot run on your own servers."
    ),
    "air-gapped": gettext_noop(
        "%(name)s is offered only through a vendor's API, so it cannot run without an internet connection."
    ),
    "on-device": gettext_noop("%(name)s is offered only through a vendor's API, so it cannot run on users' devices."),
}


def _rule_lifecycle(facts, _state):
    if facts.entry.get("lifecycle") != "retired":
        return None
    when = facts.entry.get("shutdown_date")
    clause = f"{facts.name}: retired by {facts.provider}" + (f" ({when})" if when else "")
    return _reason("retired", gettext_noop("%(name)s has been retired by its provider."), clause, name=facts.name)


def _rule_deployment(facts, state):
    (where,) = state
    options = facts.deployment
    listed = f"{facts.name} deployment options: {', '.join(sorted(options)) or 'none recorded'}"
    if not facts.is_open:
        if where in SELF_RUN:
            clause = f"{_licence_name(facts)}: access through the vendor's API only; no weights are delivered"
            return _reason("api-only", API_ONLY[where], clause, name=facts.name)
        if where == "own-cloud" and "cloud-marketplace" not in options:
            return _reason(
                "not-in-own-cloud",
                gettext_noop(
                    "%(name)s is sold only through its vendor's own API, not on a cloud marketplace "
                    "in your own cloud account."
                ),
                listed,
                name=facts.name,
            )
        return None
    if where in ("on-premises", "air-gapped") and "self-host" not in options:
        return _reason(
            "no-self-hosting",
            gettext_noop("No self-hosting option is documented for %(name)s, so it cannot run on your own servers."),
            listed,
            name=facts.name,
        )
    if where == "on-device" and "on-device" not in options:
        return _reason(
            "no-on-device",
            gettext_noop("%(name)s is not documented to run on users' devices."),
            listed,
            name=facts.name,
        )
    if where == "own-cloud" and not options & {"self-host", "cloud-marketplace"}:
        return _reason(
            "not-in-own-cloud",
            gettext_noop(
                "%(name)s can be neither self-hosted nor bought on a cloud marketplace, "
                "so it cannot run in your own cloud account."
            ),
            listed,
            name=facts.name,
        )
    return None


def _rule_commercial(facts, state):
    (commercial,) = state
    if commercial != "yes" or facts.licence.get("commercial_use") != "no":
        return None
    licence = _licence_name(facts)
    return _reason(
        "non-commercial",
        gettext_noop("%(licence)s does not allow commercial use."),
        f"{licence}: commercial use is not granted",
        licence=licence,
    )


def _threshold_state(threshold, band):
    """'above' when the whole band is at or over the threshold, 'straddles' when it may cross it."""
    low, high = band
    if low >= threshold:
        return "above"
    if high is None or high > threshold:
        return "straddles"
    return "below"


def _gate_applies(facts, hosted):
    licence = facts.licence
    return licence.get("threshold_effect") == "gate" and (
        hosted == "yes" or not licence.get("threshold_hosted_service_only")
    )


def _rule_users(facts, state):
    users, hosted = state
    threshold = facts.licence.get("mau_threshold")
    if not threshold or not _gate_applies(facts, hosted):
        return None
    if _threshold_state(threshold, USER_BANDS[users]) != "above":
        return None
    licence = _licence_name(facts)
    words = _count_words(threshold)
    clause = f"{licence}: a separate licence is needed above {words} monthly active users"
    if facts.licence.get("threshold_hosted_service_only"):
        clause += " (for businesses offering the model as a service)"
    return _reason(
        "user-threshold",
        gettext_noop(
            "Your product could reach %(band)s monthly active users, and above %(threshold)s %(licence)s "
            "requires a separate licence from its provider."
        ),
        clause,
        band=CHOICE_LABELS["users"][users].lower(),
        threshold=words,
        licence=licence,
    )


def _rule_revenue(facts, state):
    revenue, hosted = state
    threshold = facts.licence.get("revenue_threshold_usd")
    if not threshold or not _gate_applies(facts, hosted):
        return None
    if _threshold_state(threshold, REVENUE_BANDS[revenue]) != "above":
        return None
    licence = _licence_name(facts)
    words = _count_words(threshold)
    clause = f"{licence}: a separate licence is needed above USD {words} revenue"
    if facts.licence.get("threshold_hosted_service_only"):
        clause += " (for businesses offering the model as a service)"
    return _reason(
        "revenue-threshold",
        gettext_noop(
            "Your annual revenue is %(band)s USD, and above USD %(threshold)s %(licence)s requires a separate "
            "licence from its provider."
        ),
        clause,
        band=CHOICE_LABELS["revenue"][revenue].lower(),
        threshold=words,
        licence=licence,
    )


def _rule_jurisdiction(facts, state):
    (region,) = state
    licence = facts.licence
    if region not in facts.excluded_jurisdictions:
        return None
    name = _licence_name(facts)
    if licence.get("jurisdiction_exclusion_multimodal_only"):
        if not facts.multimodal:
            return None
        return _reason(
            "jurisdiction",
            gettext_noop(
                "%(licence)s grants no licence for its multimodal models to organisations based in %(region)s."
            ),
            f"{name}: no grant in {region} for models that take image, audio or video input",
            licence=name,
            region=REGION_WORDS[region],
        )
    return _reason(
        "jurisdiction",
        gettext_noop("%(licence)s grants no licence to organisations based in %(region)s."),
        f"{name}: no grant in {region}",
        licence=name,
        region=REGION_WORDS[region],
    )


def _rule_hosting(facts, state):
    (hosted,) = state
    if hosted != "yes" or not facts.licence.get("hosting_barred"):
        return None
    name = _licence_name(facts)
    return _reason(
        "hosting-barred",
        gettext_noop("%(licence)s bars offering the model to others as a hosted service without a separate licence."),
        f"{name}: hosted or API service barred without a separate licence",
        licence=name,
    )


def _rule_train(facts, state):
    (train,) = state
    if train != "yes" or facts.licence.get("outputs_may_train_models") != "no":
        return None
    name = _licence_name(facts)
    return _reason(
        "outputs-training",
        gettext_noop("%(licence)s forbids using outputs to train other models, which you plan to do."),
        f"{name}: outputs may not be used to train other models",
        licence=name,
    )


def _api_allowed(facts, deployment):
    if deployment == "any-api":
        return bool(facts.deployment & {"managed-api", "cloud-marketplace"})
    if deployment == "own-cloud":
        return "cloud-marketplace" in facts.deployment
    return False


def _rule_fine_tuning(facts, state):
    customisation, deployment = state
    if customisation != "fine-tune-required":
        return None
    options = facts.fine_tuning
    allowed = bool(facts.licence.get("may_fine_tune"))
    if allowed and facts.weights_available and options & {"full", "lora"}:
        return None
    if allowed and "api-fine-tuning" in options and _api_allowed(facts, deployment):
        return None
    name = _licence_name(facts)
    clause = (
        f"{name}: fine-tuning {'allowed' if allowed else 'not allowed'}; "
        f"{facts.name} fine-tuning options: {', '.join(sorted(options)) or 'none recorded'}"
    )
    if not allowed:
        text = gettext_noop("%(licence)s does not allow fine-tuning, and you must fine-tune.")
    elif options == {"api-fine-tuning"}:
        text = gettext_noop(
            "%(name)s can be tuned only through its vendor's hosted API, which your deployment answer rules out."
        )
    else:
        text = gettext_noop("No fine-tuning option is offered for %(name)s, and you must fine-tune.")
    return _reason("no-fine-tuning", text, clause, licence=name, name=facts.name)


def _rule_context(facts, state):
    (context,) = state
    needed = CONTEXT_TOKENS[context]
    window = facts.context_window
    if not needed or window is None or window >= needed:
        return None
    return _reason(
        "context",
        gettext_noop("Its context window (%(tokens)s tokens) is smaller than the %(needed)s tokens you need."),
        f"{facts.name}: context window {window:,} tokens",
        tokens=f"{window:,}",
        needed=f"{needed:,}",
    )


def _rule_modality(facts, item):
    if item in facts.modalities:
        return None
    return _reason(
        "modality",
        gettext_noop("%(name)s does not accept %(modality)s input."),
        f"{facts.name}: input modalities {', '.join(sorted(facts.modalities)) or 'none recorded'}",
        name=facts.name,
        modality=MODALITY_WORDS[item],
    )


def _rule_language(facts, item):
    if item in facts.language_codes or facts.entry.get("language_coverage") != "listed":
        return None
    documented = facts.entry.get("languages") or ", ".join(sorted(facts.language_codes)) or "none recorded"
    return _reason(
        "language",
        gettext_noop("The documented languages of %(name)s do not include %(language)s."),
        f"{facts.name}: documented languages: {documented}",
        name=facts.name,
        language=CHOICE_LABELS["languages"][item],
    )


def _rule_forbidden(facts, item):
    if item not in facts.forbidden_uses:
        return None
    name = _licence_name(facts)
    use = CHOICE_LABELS["restricted_uses"][item]
    return _reason(
        "forbidden-use",
        gettext_noop('%(licence)s or its use policy forbids a use you plan: "%(use)s".'),
        f"{name}: forbidden use: {use}",
        licence=name,
        use=use,
    )


# (group name, answer keys, multiple, rule)
GROUPS = (
    ("lifecycle", (), False, _rule_lifecycle),
    ("deployment", ("deployment",), False, _rule_deployment),
    ("commercial", ("commercial",), False, _rule_commercial),
    ("users", ("users", "hosted_service"), False, _rule_users),
    ("revenue", ("revenue", "hosted_service"), False, _rule_revenue),
    ("jurisdiction", ("jurisdiction",), False, _rule_jurisdiction),
    ("hosting", ("hosted_service",), False, _rule_hosting),
    ("train", ("train_on_outputs",), False, _rule_train),
    ("fine-tuning", ("customisation", "deployment"), False, _rule_fine_tuning),
    ("context", ("context",), False, _rule_context),
    ("modalities", ("modalities",), True, _rule_modality),
    ("languages", ("languages",), True, _rule_language),
    ("restricted_uses", ("restricted_uses",), True, _rule_forbidden),
)
CONSTRAINING = frozenset(key for _name, keys, _multiple, _rule in GROUPS for key in keys)


# -- The prepared catalogue ------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ModelFacts:
    index: int  # rank by (name, slug): the tie-break order
    slug: str
    name: str
    provider: str
    access: str
    is_open: bool
    entry: Mapping  # the snapshot entry, read for details of the top models only
    licence: Mapping
    values: tuple  # one int per CRITERIA, missing scores as MISSING_SCORE
    rationales: tuple
    missing: tuple  # slugs of the criteria without a score
    modalities: frozenset
    language_codes: frozenset
    deployment: frozenset
    fine_tuning: frozenset
    forbidden_uses: frozenset
    excluded_jurisdictions: frozenset
    multimodal: bool
    weights_available: bool
    context_window: int | None


@dataclass(frozen=True, slots=True)
class Group:
    name: str
    keys: tuple
    multiple: bool
    masks: Mapping  # state (tuple of values, or one item) -> int, one byte (0 or 1) per model
    fails: Mapping  # state -> ((model index, reason), ...)


@dataclass(frozen=True, slots=True)
class Catalogue:
    """A snapshot prepared for fast, repeated recommendations. Treat it as read-only.

    Sort keys are integers ``((raw + 1) << shift) | (size - 1 - index)``: the weighted sum in
    the high bits, the name order in the low bits, so comparing keys compares scores and then
    breaks ties by name and slug.
    """

    criteria: tuple  # ((slug, name), ...) in CRITERIA order
    models: tuple  # ModelFacts sorted by (name, slug)
    size: int
    shift: int
    all_mask: int
    open_select: bytes  # one byte per model: 1 for open weights
    closed_select: bytes
    open_mask: int
    closed_mask: int
    groups: tuple
    key_base: int  # packed 64-bit lanes, one per model
    packed: Mapping  # question -> value -> packed partial keys
    partial: Mapping  # question -> value -> tuple of partial keys
    rise: Mapping  # question -> (from value, to value) -> largest partial-key increase over all models


def _as_int(value):
    if value is None:
        return None
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _facts(index, entry):
    licence = entry.get("licence") or {}
    scores = entry.get("scores") or {}
    values, rationales, missing = [], [], []
    for slug in CRITERIA:
        score = scores.get(slug)
        value = None if score is None else _as_int(score.get("value"))
        if value is None:
            values.append(MISSING_SCORE)
            rationales.append(f"No score recorded yet, so it counts as {MISSING_SCORE} out of 10.")
            missing.append(slug)
        else:
            values.append(max(0, min(10, value)))
            rationales.append(str(score.get("rationale") or ""))
    modalities = frozenset(entry.get("modalities") or ())
    access = entry.get("access") or "closed-api"
    return ModelFacts(
        index=index,
        slug=entry["slug"],
        name=entry.get("name") or entry["slug"],
        provider=entry.get("provider") or "",
        access=access,
        is_open=access != "closed-api",
        entry=entry,
        licence=licence,
        values=tuple(values),
        rationales=tuple(rationales),
        missing=tuple(missing),
        modalities=modalities,
        language_codes=frozenset(entry.get("language_codes") or ()),
        deployment=frozenset(entry.get("deployment") or ()),
        fine_tuning=frozenset(entry.get("fine_tuning") or ()) - {"none"},
        forbidden_uses=frozenset(licence.get("forbidden_uses") or ()),
        excluded_jurisdictions=frozenset(licence.get("excluded_jurisdictions") or ()),
        multimodal=bool(modalities - {"text"}),
        weights_available=bool(entry.get("weights_available")),
        context_window=_as_int(entry.get("context_window")),
    )


def _mask(flags):
    return int.from_bytes(bytes(flags), "little")


def _pack(numbers):
    return int.from_bytes(array("Q", numbers).tobytes(), sys.byteorder)


def _unpack(number, size):
    return memoryview(number.to_bytes(8 * size, sys.byteorder)).cast("Q").tolist()


def _vector(points):
    return tuple(points.get(slug, 0) for slug in CRITERIA)


BASE_VECTOR = _vector(BASE_WEIGHTS)
WEIGHT_VECTORS = {key: {value: _vector(points) for value, points in table.items()} for key, table in WEIGHTS.items()}
WEIGHT_SUMS = {key: {value: sum(vector) for value, vector in table.items()} for key, table in WEIGHT_VECTORS.items()}


def prepare(snapshot):
    """Turn ``catalogue_snapshot()`` output into a ``Catalogue`` for ``recommend()``."""
    entries = sorted(
        snapshot.get("models") or (), key=lambda entry: (entry.get("name") or entry["slug"], entry["slug"])
    )
    models = tuple(_facts(index, entry) for index, entry in enumerate(entries))
    size = len(models)
    names = {item.get("slug"): item.get("name") for item in snapshot.get("criteria") or ()}
    criteria = tuple((slug, names.get(slug) or slug.replace("-", " ").capitalize()) for slug in CRITERIA)

    groups = []
    for name, keys, multiple, rule in GROUPS:
        states = CHOICES[keys[0]] if multiple else tuple(product(*(CHOICES[key] for key in keys)))
        masks, fails = {}, {}
        for state in states:
            flags, failed = [], []
            for facts in models:
                reason = rule(facts, state)
                flags.append(reason is None)
                if reason is not None:
                    failed.append((facts.index, reason))
            masks[state] = _mask(flags)
            fails[state] = tuple(failed)
        groups.append(Group(name, keys, multiple, masks, fails))

    shift = max(size, 1).bit_length()
    key_base = [
        ((1 + sum(w * v for w, v in zip(BASE_VECTOR, facts.values, strict=True))) << shift) | (size - 1 - facts.index)
        for facts in models
    ]
    packed, partial, rise = {}, {}, {}
    for key, table in WEIGHT_VECTORS.items():
        packed[key], partial[key], rise[key] = {}, {}, {}
        for value, vector in table.items():
            used = [(position, w) for position, w in enumerate(vector) if w]
            partial[key][value] = tuple(sum(w * facts.values[p] for p, w in used) << shift for facts in models)
            packed[key][value] = _pack(partial[key][value])
        for old, new in product(table, repeat=2):
            if old != new:
                rise[key][old, new] = max(map(sub, partial[key][new], partial[key][old]), default=0)
    return Catalogue(
        criteria=criteria,
        models=models,
        size=size,
        shift=shift,
        all_mask=_mask([True] * size),
        open_select=bytes(facts.is_open for facts in models),
        closed_select=bytes(not facts.is_open for facts in models),
        open_mask=_mask([facts.is_open for facts in models]),
        closed_mask=_mask([not facts.is_open for facts in models]),
        groups=tuple(groups),
        key_base=_pack(key_base),
        packed=packed,
        partial=partial,
        rise=rise,
    )


# -- Recommendation ----------------------------------------------------------------------------


def normalise(answers):
    """Complete answers: missing or unknown values take the default; multiple answers become tuples."""
    clean = {}
    for key in QUESTION_KEYS:
        allowed = CHOICES[key]
        value = answers.get(key, DEFAULTS[key])
        if key in MULTIPLE:
            chosen = {value} if isinstance(value, str) else set(value or ())
            clean[key] = tuple(item for item in allowed if item in chosen)
        else:
            clean[key] = value if value in allowed else DEFAULTS[key]
    return clean


def _group_mask(group, answers):
    if group.multiple:
        mask = -1
        for item in answers[group.keys[0]]:
            mask &= group.masks[item]
        return mask
    return group.masks[tuple(answers[key] for key in group.keys)]


def _weights(answers):
    weights = list(BASE_VECTOR)
    for key in WEIGHING:
        weights = list(map(add, weights, WEIGHT_VECTORS[key][answers[key]]))
    return weights


def _stance(answers):
    return sum(PULLS[key].get(answers[key], (0, ""))[0] for key in PULLING)


def _pull(key, value):
    return PULLS[key].get(value, (0, ""))[0] if key in PULLS else 0


def _first(order, select, low, last):
    """The best key in an order whose model is selected, or -1."""
    for key in order:
        if select[last - (key & low)]:
            return key
    return -1


def _scan(order, select, low, last, new, old, rise):
    """The best key after one question's weights change, or -1.

    ``order`` holds the current keys, best first; a model's key moves by ``new - old`` and by at
    most ``rise``, so the scan stops as soon as no later model can catch up.
    """
    best = -1
    for key in order:
        if key + rise <= best:
            break
        index = last - (key & low)
        if select[index]:
            moved = key + new[index] - old[index]
            if moved > best:
                best = moved
    return best


# Above this many newly eligible models on one side, a re-run scans the whole side instead.
ADDED_SCAN_LIMIT = 48


def _side_best(catalogue, state, side, mask, select, change):
    """The best key of one side (0 open, 1 closed) under a changed mask and weights, or -1."""
    side_mask = (catalogue.open_mask, catalogue.closed_mask)[side]
    if not mask & side_mask:
        return -1
    low, last = (1 << catalogue.shift) - 1, catalogue.size - 1
    added = mask & ~state.mask & side_mask
    if added and added.bit_count() > ADDED_SCAN_LIMIT:
        order = state.full_orders[side]
        if order is None:
            chosen = (catalogue.open_select, catalogue.closed_select)[side]
            order = state.full_orders[side] = sorted(compress(state.keys, chosen), reverse=True)
        added = 0
    else:
        order = state.orders[side]
    if change is None:
        if mask == state.mask:
            return state.best[side]
        best = _first(order, select, low, last)
    else:
        best = _scan(order, select, low, last, *change)
    if added:
        keys = state.keys
        bits = added.to_bytes(catalogue.size, "little")
        index = bits.find(1)
        while index >= 0:
            key = keys[index] if change is None else keys[index] + change[0][index] - change[1][index]
            if key > best:
                best = key
            index = bits.find(1, index + 1)
    return best


def _score(key, shift, total):
    return ((key >> shift) - 1) * 10 / total


# Answers _decide() reads besides the stance: a re-run changing one of them needs its own copy.
PATTERN_KEYS = frozenset(
    {"mlops", "time_to_market", "lock_in", "customisation", "data_sensitivity", "deployment", "use_case"}
) | frozenset(PULLS)


def _decide(answers, stance, open_score, closed_score):
    """Return (kind, pattern, margin, confidence) from the answers and the best scores."""
    gap = max(-GAP_CAP, min(GAP_CAP, ((open_score or 0) - (closed_score or 0)) * GAP_FACTOR))
    margin = round(stance + gap, 2)
    size = abs(margin)
    if open_score is None or closed_score is None:
        if open_score is None and closed_score is None:
            kind = "open" if stance > 0 else "closed"
            return kind, "none", margin, "low"
        kind = "open" if closed_score is None else "closed"
        return kind, "one-side", margin, "high"
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
        pulls = [_pull(key, answers[key]) for key in PULLING]
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


def _direction_points(kind, pattern, stance, total):
    """Weight points of the direction row: 0 unless the verdict is open or closed with both sides eligible.

    The row's share of the ranking total is ``min(DIRECTION_CAP, DIRECTION_PER_POINT * pull)`` percent,
    where ``pull`` is the stance towards the verdict's side (0 when the stance points the other way),
    rounded up to whole points so that integer sort keys stay exact.
    """
    if pattern != kind:  # hybrid, one side only, or no eligible model
        return 0
    pull = stance if kind == "open" else -stance
    if pull <= 0:
        return 0
    percent = min(DIRECTION_CAP, DIRECTION_PER_POINT * pull)
    return -(-total * percent // (100 - percent))


def _alternatives(answers):
    """Single-answer changes: (key, new value, label of the change, form, distance)."""
    for key in QUESTION_KEYS:
        current = answers[key]
        choices = CHOICES[key]
        labels = CHOICE_LABELS[key]
        if key in MULTIPLE:
            for item in choices:
                if item in current:
                    if len(current) == 1 and key != "restricted_uses":
                        continue
                    yield key, tuple(x for x in current if x != item), labels[item], "remove", 1
                else:
                    chosen = set(current) | {item}
                    yield key, tuple(x for x in choices if x in chosen), labels[item], "add", 1
            continue
        position = choices.index(current)
        for index, value in enumerate(choices):
            if value != current:
                yield key, value, labels[value], "set", abs(index - position) if key in ORDINAL else 1


@dataclass(slots=True)
class _Pass:
    """One evaluation of the answers: what the what-if re-runs start from."""

    answers: dict
    total: int
    keys: list  # current sort keys of every model, in name order
    group_masks: list
    mask: int
    select: bytes
    orders: tuple  # (open, closed) eligible keys, best first
    full_orders: list  # (open, closed) keys of every model of the side, best first; built on demand
    best: tuple  # (open, closed) best eligible key, or -1
    stance: int


def _what_if(catalogue, state, kind, top):
    """Re-run with every single-answer change; return (verdict flips, top-pick flips)."""
    answers = state.answers
    shift, size = catalogue.shift, catalogue.size
    low, last = (1 << shift) - 1, size - 1
    groups = catalogue.groups
    verdict_flips, top_flips = [], []
    rest = {}
    for key, value, label, form, distance in _alternatives(answers):
        current = answers[key]
        changed = answers
        if key in PATTERN_KEYS or key in CONSTRAINING:
            changed = dict(answers)
            changed[key] = value
        mask, select = state.mask, state.select
        if key in CONSTRAINING:
            if key not in rest:
                rest[key] = catalogue.all_mask
                for group, group_mask in zip(groups, state.group_masks, strict=True):
                    if key not in group.keys:
                        rest[key] &= group_mask
            mask = rest[key]
            for group in groups:
                if key in group.keys:
                    mask &= _group_mask(group, changed)
            if mask != state.mask:
                select = mask.to_bytes(size, "little")
        if key in WEIGHTS:
            change = (
                catalogue.partial[key][value],
                catalogue.partial[key][current],
                catalogue.rise[key][current, value],
            )
            total = state.total - WEIGHT_SUMS[key][current] + WEIGHT_SUMS[key][value]
        elif mask == state.mask:
            continue  # neither eligibility, weights nor pulls change
        else:
            change, total = None, state.total
        best_open = _side_best(catalogue, state, 0, mask, select, change)
        best_closed = _side_best(catalogue, state, 1, mask, select, change)
        stance = state.stance + _pull(key, value) - _pull(key, current)
        new_kind, new_pattern, new_margin, _confidence = _decide(
            changed,
            stance,
            None if best_open < 0 else _score(best_open, shift, total),
            None if best_closed < 0 else _score(best_closed, shift, total),
        )
        order = (distance, QUESTION_ORDER[key], CHOICES[key].index(value) if form == "set" else 0)
        if new_kind != kind:
            verdict_flips.append((order, new_margin, key, value, label, form, new_kind))
        direction = _direction_points(new_kind, new_pattern, stance, total)
        if direction:  # the direction row lifts every model of the verdict's side alike
            if new_kind == "open":
                best_open += (10 * direction) << shift
            else:
                best_closed += (10 * direction) << shift
        best = max(best_open, best_closed)
        if best >= 0 and top is not None and last - (best & low) != top:
            top_flips.append((order, key, value, label, form, last - (best & low)))
    return verdict_flips, top_flips


def _pick(flips, margin, shift):
    """The two most plausible flips, from different questions."""
    if shift:
        flips.sort(key=lambda flip: (flip[0][0], -abs(flip[1] - margin), flip[0][1], flip[0][2]))
    else:
        flips.sort(key=lambda flip: flip[0])
    chosen, seen = [], set()
    for flip in flips:
        key = flip[2] if shift else flip[1]
        if key not in seen:
            seen.add(key)
            chosen.append(flip)
        if len(chosen) == 2:
            break
    return chosen


def _answer_json(key, value):
    return list(value) if key in MULTIPLE else value


class Result:
    """What ``recommend()`` found; ``as_json()`` gives the plain data to store.

    The long lists (models also eligible, models excluded) are built by ``as_json()``. Reason
    dicts of excluded models are shared with the prepared catalogue: treat the output as
    read-only, or copy it before changing it.
    """

    __slots__ = (
        "_catalogue",
        "_reasons",
        "_rest",
        "_total",
        "answers",
        "counts",
        "ranking",
        "top_pick_change",
        "verdict",
        "weights",
    )

    def __init__(self, *, answers, verdict, weights, ranking, top_pick_change, counts, catalogue, rest, total, reasons):
        self.answers = answers
        self.verdict = verdict
        self.weights = weights
        self.ranking = ranking
        self.top_pick_change = top_pick_change
        self.counts = counts
        self._catalogue = catalogue
        self._rest = rest
        self._total = total
        self._reasons = reasons

    @property
    def also_eligible(self):
        """The eligible models after the top ``TOP_N``, best first."""
        catalogue = self._catalogue
        models, shift, total = catalogue.models, catalogue.shift, self._total
        low, last = (1 << shift) - 1, catalogue.size - 1
        rows = []
        for rank, key in enumerate(self._rest, start=TOP_N + 1):
            facts = models[last - (key & low)]
            score = round(((key >> shift) - 1) * 10 / total, 2)
            rows.append({"rank": rank, "slug": facts.slug, "name": facts.name, "access": facts.access, "score": score})
        return rows

    @property
    def excluded(self):
        """The excluded models by name, each with every rule that ruled it out."""
        models = self._catalogue.models
        reasons = self._reasons
        return [
            {
                "slug": models[index].slug,
                "name": models[index].name,
                "access": models[index].access,
                "reasons": reasons[index],
            }
            for index in sorted(reasons)
        ]

    def as_json(self):
        """The result as JSON-serialisable plain data, to store in a permalink."""
        return {
            "engine_version": VERSION,
            "answers": {key: list(value) if key in MULTIPLE else value for key, value in self.answers.items()},
            "verdict": self.verdict,
            "weights": self.weights,
            "ranking": self.ranking,
            "also_eligible": self.also_eligible,
            "top_pick_change": self.top_pick_change,
            "excluded": self.excluded,
            "counts": self.counts,
            "tie_break": msg(TIE_BREAK),
        }


def recommend(answers, catalogue, *, what_if=True):
    """Rank the catalogue for the answers; see the module docstring for the rules.

    ``what_if=False`` skips the what-would-change re-runs (both lists are then empty).
    """
    answers = normalise(answers)
    size, shift = catalogue.size, catalogue.shift
    low, last = (1 << shift) - 1, size - 1
    models = catalogue.models
    weights = _weights(answers)
    total = sum(weights)
    packed = catalogue.key_base
    for key in WEIGHING:
        packed += catalogue.packed[key][answers[key]]
    keys = _unpack(packed, size)
    group_masks = [_group_mask(group, answers) for group in catalogue.groups]
    mask = catalogue.all_mask
    for group_mask in group_masks:
        mask &= group_mask
    select = mask.to_bytes(size, "little")
    open_order = sorted(compress(keys, (mask & catalogue.open_mask).to_bytes(size, "little")), reverse=True)
    closed_order = sorted(compress(keys, (mask & catalogue.closed_mask).to_bytes(size, "little")), reverse=True)
    best_open = open_order[0] if open_order else -1
    best_closed = closed_order[0] if closed_order else -1
    state = _Pass(
        answers=answers,
        total=total,
        keys=keys,
        group_masks=group_masks,
        mask=mask,
        select=select,
        orders=(open_order, closed_order),
        full_orders=[None, None],
        best=(best_open, best_closed),
        stance=_stance(answers),
    )
    open_score = None if best_open < 0 else _score(best_open, shift, total)
    closed_score = None if best_closed < 0 else _score(best_closed, shift, total)
    kind, pattern, margin, confidence = _decide(answers, state.stance, open_score, closed_score)
    direction = _direction_points(kind, pattern, state.stance, total)
    ranked = _ranked_keys(open_order, closed_order, kind, (10 * direction) << shift)
    eligible = [last - (key & low) for key in ranked]
    top = eligible[0] if eligible else None

    verdict_flips, top_flips = _what_if(catalogue, state, kind, top) if what_if else ([], [])
    reasons = _exclusion_reasons(catalogue, answers, state)

    open_best = None if best_open < 0 else models[last - (best_open & low)]
    closed_best = None if best_closed < 0 else models[last - (best_closed & low)]
    verdict = {
        "kind": kind,
        "confidence": confidence,
        "margin": margin,
        "stance": state.stance,
        "pattern": pattern,
        "headline": msg(HEADLINES[pattern if kind == "hybrid" else kind]),
        "reasons": _verdict_reasons(
            answers, kind, pattern, open_best, closed_best, open_score, closed_score, catalogue, reasons
        ),
        "best_open": _side_json(open_best, open_score, eligible),
        "best_closed": _side_json(closed_best, closed_score, eligible),
        "what_would_change": [
            {
                "question": key,
                "answer": _answer_json(key, value),
                "verdict": new_kind,
                "margin": new_margin,
                "message": msg(CHANGE_MESSAGES[form, new_kind], question=QUESTION_LABELS[key], answer=label),
            }
            for _order, new_margin, key, value, label, form, new_kind in _pick(verdict_flips, margin, True)
        ],
    }
    rank_total = total + direction
    shares = [weight / rank_total for weight in weights]
    heavy = set(sorted(range(len(CRITERIA)), key=lambda c: (-weights[c], c))[:4])
    scoring = (weights, shares, rank_total, heavy, direction, kind, pattern)
    ranking = [
        _ranked_json(models[index], rank, answers, scoring, catalogue.criteria)
        for rank, index in enumerate(eligible[:TOP_N], start=1)
    ]
    top_pick_change = [
        {
            "question": key,
            "answer": _answer_json(key, value),
            "slug": models[new_top].slug,
            "name": models[new_top].name,
            "message": msg(
                TOP_CHANGE_MESSAGES[form], question=QUESTION_LABELS[key], answer=label, name=models[new_top].name
            ),
        }
        for _order, key, value, label, form, new_top in _pick(top_flips, margin, False)
    ]
    return Result(
        answers=answers,
        verdict=verdict,
        weights=_weights_json(answers, weights, shares, catalogue.criteria, direction, rank_total, kind),
        ranking=ranking,
        top_pick_change=top_pick_change,
        counts={"considered": size, "eligible": len(eligible), "excluded": size - len(eligible)},
        catalogue=catalogue,
        rest=ranked[TOP_N:],
        total=rank_total,
        reasons=reasons,
    )


def _ranked_keys(open_order, closed_order, kind, bonus):
    """Every eligible key, in ranking order (see the module docstring, "Ranking").

    ``bonus`` is what the direction row adds to the keys of the verdict's side: its weight points
    times 10, shifted into the score bits. For a hybrid verdict the top ``TOP_N`` keep room for
    the best ``HYBRID_SIDE_MIN`` models of each side, which take the places of the lowest others.
    """
    if bonus:
        if kind == "open":
            open_order = [key + bonus for key in open_order]
        else:
            closed_order = [key + bonus for key in closed_order]
    ranked = sorted(open_order + closed_order, reverse=True)
    if kind != "hybrid" or len(ranked) <= TOP_N:
        return ranked
    reserved = set(open_order[:HYBRID_SIDE_MIN]) | set(closed_order[:HYBRID_SIDE_MIN])
    if reserved <= set(ranked[:TOP_N]):
        return ranked
    others = [key for key in ranked if key not in reserved][: TOP_N - len(reserved)]
    head = sorted(reserved.union(others), reverse=True)
    chosen = set(head)
    return head + [key for key in ranked if key not in chosen]


def _side_json(facts, score, eligible):
    if facts is None:
        return None
    return {"slug": facts.slug, "name": facts.name, "score": round(score, 2), "rank": eligible.index(facts.index) + 1}


def _exclusion_reasons(catalogue, answers, state):
    """{model index: [reason, ...]} for every excluded model, in the order of GROUPS."""
    reasons = {}
    full = catalogue.all_mask
    for group, group_mask in zip(catalogue.groups, state.group_masks, strict=True):
        if group_mask & full == full:
            continue
        if group.multiple:
            fails = [pair for item in answers[group.keys[0]] for pair in group.fails[item]]
        else:
            fails = group.fails[tuple(answers[key] for key in group.keys)]
        for index, reason in fails:
            if index in reasons:
                reasons[index].append(reason)
            else:
                reasons[index] = [reason]
    return reasons


def _verdict_reasons(answers, kind, pattern, open_best, closed_best, open_score, closed_score, catalogue, excluded):
    reasons = []
    if pattern == "none":
        reasons.append(msg(NONE_ELIGIBLE_REASON))
    elif pattern == "one-side":
        other_open = kind == "closed"
        rules = {}
        count = 0
        for index, found in excluded.items():
            if catalogue.models[index].is_open == other_open:
                count += 1
                for code in {reason["rule"] for reason in found}:
                    rules[code] = rules.get(code, 0) + 1
        common = sorted(rules.items(), key=lambda item: (-item[1], item[0]))[:3]
        reasons.append(
            msg(
                RULED_OUT_REASONS[kind],
                count=count,
                rules=_join(f"{RULE_NAMES[code]} ({n})" for code, n in common),
            )
        )
    elif pattern in PLAN_REASONS:
        reasons.append(msg(PLAN_REASONS[pattern]))
    pulls = [
        (PULLS[key][answers[key]][0], QUESTION_ORDER[key], PULLS[key][answers[key]][1])
        for key in PULLING
        if answers[key] in PULLS[key]
    ]
    if kind == "open":
        chosen = sorted((p for p in pulls if p[0] > 0), key=lambda p: (-p[0], p[1]))[:2]
    elif kind == "closed":
        chosen = sorted((p for p in pulls if p[0] < 0), key=lambda p: (p[0], p[1]))[:2]
    else:
        towards_open = sorted((p for p in pulls if p[0] > 0), key=lambda p: (-p[0], p[1]))[:1]
        towards_closed = sorted((p for p in pulls if p[0] < 0), key=lambda p: (p[0], p[1]))[:1]
        chosen = towards_closed + towards_open
    reasons.extend(msg(text) for _points, _order, text in chosen)
    if open_best is not None and closed_best is not None and len(reasons) < 3:
        behind = (kind == "open" and open_score < closed_score) or (kind == "closed" and closed_score < open_score)
        reasons.append(
            msg(
                SCORE_AGAINST[kind] if behind else SCORE_REASON,
                open_name=open_best.name,
                open_score=round(open_score, 1),
                closed_name=closed_best.name,
                closed_score=round(closed_score, 1),
            )
        )
    return reasons[:3]


def _weights_json(answers, weights, shares, criteria, direction, rank_total, kind):
    rows = []
    for position, (slug, name) in enumerate(criteria):
        sources = []
        for key in WEIGHING:
            points = WEIGHTS[key][answers[key]].get(slug, 0)
            if points:
                sources.append({"question": key, "answer": answers[key], "points": points})
        if sources:
            strongest = max(sources, key=lambda source: (source["points"], -QUESTION_ORDER[source["question"]]))
            why = msg(
                WEIGHT_RAISED,
                question=QUESTION_LABELS[strongest["question"]],
                answer=CHOICE_LABELS[strongest["question"]][strongest["answer"]],
            )
        else:
            why = msg(WEIGHT_BASE)
        rows.append(
            {
                "criterion": slug,
                "name": name,
                "weight": round(shares[position], 4),
                "points": weights[position],
                "base": BASE_VECTOR[position],
                "sources": sources,
                "why": why,
            }
        )
    if direction:
        rows.append(
            {
                "criterion": DIRECTION,
                "name": DIRECTION_NAME,
                "weight": round(direction / rank_total, 4),
                "points": direction,
                "base": 0,
                "sources": [],
                "why": msg(DIRECTION_WHY[kind]),
            }
        )
    return rows


# -- Details of the top models -------------------------------------------------------------

FIT_HEAVY = gettext_noop("Scores %(value)s out of 10 on %(criterion)s, one of your most heavily weighted criteria.")
FIT_SCORE = gettext_noop("Scores %(value)s out of 10 on %(criterion)s.")
FIT_DEPLOYMENT = {
    "on-premises": gettext_noop("Can be self-hosted on your own servers, as you need."),
    "air-gapped": gettext_noop("Can be self-hosted without an internet connection, as you need."),
    "on-device": gettext_noop("Can run on users' devices, as you need."),
}
FIT_OWN_CLOUD_API = gettext_noop("Sold on cloud marketplaces, so it can run inside your own cloud account.")
FIT_FINE_TUNE = gettext_noop("Can be fine-tuned on your data (%(methods)s).")
FIT_CONTEXT = gettext_noop("Its context window of %(tokens)s tokens fits the %(needed)s tokens you need.")
FIT_LANGUAGES = gettext_noop("Its documentation lists %(languages)s.")

DUTY_LINE = gettext_noop("Licence duty: %(duty)s")
DUTY_ATTRIBUTION = gettext_noop("Give the attribution or notice that %(licence)s requires.")
DUTY_AUP = gettext_noop("Follow the acceptable use policy that comes with %(licence)s.")
DUTY_COMMERCIAL = gettext_noop("Commercial use is allowed only on the conditions set in %(licence)s.")
DUTY_NON_COMMERCIAL = gettext_noop("Non-commercial use only: %(licence)s does not allow commercial use.")
DUTY_USERS = gettext_noop("Above %(threshold)s monthly active users, %(licence)s adds duties: check its terms.")
DUTY_REVENUE = gettext_noop("Above USD %(threshold)s in revenue, %(licence)s adds duties: check its terms.")
DUTY_OUTPUTS = gettext_noop(
    "Training other models on its outputs is allowed only on the conditions of %(licence)s (such as naming or notices)."
)
DUTY_COMPETING = gettext_noop("Do not use its outputs to build models that compete with %(provider)s.")
DUTY_PROMPTS = {
    "yes": gettext_noop("%(provider)s trains on your prompts by default: opt out before sending real data."),
    "free-tier": gettext_noop("Prompts sent on free or unpaid use may be used for training: use a paid plan."),
    "no": gettext_noop("Under these terms, %(provider)s does not train on your prompts by default."),
}
DUTY_RETENTION = {
    True: gettext_noop("Zero data retention is offered: ask for it before sending sensitive data."),
    False: gettext_noop("Zero data retention is not offered: the provider keeps prompts for a period."),
    None: gettext_noop("The terms recorded here do not say whether zero data retention is offered."),
}
DUTY_RUN_GPU = gettext_noop(
    "Your team runs it: about %(gb)s GB of GPU memory for the 16-bit weights (less when quantised), "
    "plus serving, scaling and patching."
)
DUTY_RUN = gettext_noop("Your team runs it: serving, scaling and patching; its GPU memory needs are not recorded.")
DUTY_HOSTED_GPU = gettext_noop(
    "Use a hosted API for it, or self-host it with about %(gb)s GB of GPU memory for the 16-bit weights."
)

CAVEAT_DEPRECATED = gettext_noop("Deprecated: %(provider)s shuts it down on %(date)s, so plan a migration.")
CAVEAT_DEPRECATED_UNDATED = gettext_noop("Deprecated: %(provider)s has announced a shutdown, so plan a migration.")
CAVEAT_LANGUAGES = gettext_noop("Support for %(languages)s is not confirmed in its documentation.")
CAVEAT_CONTEXT = gettext_noop("Its context window is not recorded: check that it holds %(needed)s tokens.")
CAVEAT_REMOTE = gettext_noop("The licensor may restrict use of the model remotely.")
CAVEAT_MISSING = gettext_noop("No score yet for %(criteria)s: counted as 5 out of 10.")
CAVEAT_USER_GATE = gettext_noop(
    "If the product passes %(threshold)s monthly active users, %(licence)s requires a separate licence."
)
CAVEAT_REVENUE_GATE = gettext_noop("Above USD %(threshold)s in revenue, %(licence)s requires a separate licence.")
CAVEAT_THRESHOLD_UNCLEAR = gettext_noop(
    "%(licence)s sets a threshold of %(threshold)s, but what crossing it means is not recorded: check its terms."
)
CAVEAT_OUTPUTS_UNKNOWN = gettext_noop("%(licence)s does not say whether outputs may train other models.")


def _thresholds(facts, answers, obligations, caveats):
    licence = facts.licence
    name = _licence_name(facts)
    effect = licence.get("threshold_effect") or ""
    hosted_only = bool(licence.get("threshold_hosted_service_only"))
    if hosted_only and answers["hosted_service"] != "yes":
        return
    for threshold, band, duty, gate, unit in (
        (licence.get("mau_threshold"), USER_BANDS[answers["users"]], DUTY_USERS, CAVEAT_USER_GATE, ""),
        (
            licence.get("revenue_threshold_usd"),
            REVENUE_BANDS[answers["revenue"]],
            DUTY_REVENUE,
            CAVEAT_REVENUE_GATE,
            "USD ",
        ),
    ):
        if not threshold:
            continue
        state = _threshold_state(threshold, band)
        if state == "below":
            continue
        words = _count_words(threshold)
        if effect == "duty":
            obligations.append(msg(duty, threshold=words, licence=name))
        elif effect == "gate":
            if state == "straddles":
                caveats.append(msg(gate, threshold=words, licence=name))
        else:
            caveats.append(msg(CAVEAT_THRESHOLD_UNCLEAR, licence=name, threshold=unit + words))


def _obligations(facts, answers):
    licence = facts.licence
    name = _licence_name(facts)
    obligations, caveats = [], []
    lines = [line for line in licence.get("obligations") or () if str(line).strip()]
    obligations.extend(msg(DUTY_LINE, duty=str(line).strip()) for line in lines)
    if licence.get("attribution_required") and not lines:
        obligations.append(msg(DUTY_ATTRIBUTION, licence=name))
    if licence.get("acceptable_use_policy"):
        obligations.append(msg(DUTY_AUP, licence=name))
    commercial = licence.get("commercial_use")
    if answers["commercial"] == "yes" and commercial == "conditional":
        obligations.append(msg(DUTY_COMMERCIAL, licence=name))
    if answers["commercial"] == "no" and commercial == "no":
        obligations.append(msg(DUTY_NON_COMMERCIAL, licence=name))
    _thresholds(facts, answers, obligations, caveats)
    if answers["train_on_outputs"] == "yes":
        outputs = licence.get("outputs_may_train_models")
        if outputs == "conditional":
            obligations.append(msg(DUTY_OUTPUTS, licence=name))
        elif outputs in (None, "", "unknown"):
            caveats.append(msg(CAVEAT_OUTPUTS_UNKNOWN, licence=name))
        if "competing-models" in facts.forbidden_uses:
            obligations.append(msg(DUTY_COMPETING, provider=facts.provider or name))
    training = licence.get("prompts_train_by_default") or ""
    is_api_terms = not facts.is_open or licence.get("category") == "proprietary-api"
    if training in DUTY_PROMPTS:
        obligations.append(msg(DUTY_PROMPTS[training], provider=facts.provider or name))
    if is_api_terms or training:
        retention = licence.get("zero_retention_offered")
        obligations.append(msg(DUTY_RETENTION[retention if retention in (True, False) else None]))
    if facts.is_open:
        gb = facts.entry.get("min_gpu_memory_gb")
        hosted = facts.deployment & {"managed-api", "cloud-marketplace"}
        if answers["deployment"] in SELF_RUN or not hosted:
            obligations.append(msg(DUTY_RUN_GPU, gb=f"{gb:,}") if gb else msg(DUTY_RUN))
        elif gb:
            obligations.append(msg(DUTY_HOSTED_GPU, gb=f"{gb:,}"))
    if licence.get("remote_restriction"):
        caveats.append(msg(CAVEAT_REMOTE))
    return obligations, caveats


def _caveats(facts, answers, caveats, criteria):
    entry = facts.entry
    if entry.get("lifecycle") == "deprecated":
        date = entry.get("shutdown_date")
        if date:
            caveats.insert(0, msg(CAVEAT_DEPRECATED, provider=facts.provider or facts.name, date=date))
        else:
            caveats.insert(0, msg(CAVEAT_DEPRECATED_UNDATED, provider=facts.provider or facts.name))
    # Broadly multilingual models are documented in English; their codes are examples of the others.
    broad = entry.get("language_coverage") == "broad"
    unconfirmed = [
        CHOICE_LABELS["languages"][code]
        for code in answers["languages"]
        if code not in facts.language_codes and not (broad and code == "en")
    ]
    if unconfirmed:
        caveats.append(msg(CAVEAT_LANGUAGES, languages=_join(unconfirmed)))
    needed = CONTEXT_TOKENS[answers["context"]]
    if needed and facts.context_window is None:
        caveats.append(msg(CAVEAT_CONTEXT, needed=f"{needed:,}"))
    if facts.missing:
        names = dict(criteria)
        caveats.append(msg(CAVEAT_MISSING, criteria=_join(names[slug] for slug in facts.missing)))
    return caveats


def _fit_reasons(facts, answers, contributions, heavy):
    reasons = []
    # The direction row is explained by the verdict and the score table, not repeated here.
    criteria_only = [c for c in contributions if c["criterion"] != DIRECTION]
    for contribution in criteria_only[:3]:
        if contribution["value"] >= 6 and contribution["points"] > 0:
            text = FIT_HEAVY if CRITERION_INDEX[contribution["criterion"]] in heavy else FIT_SCORE
            reasons.append(msg(text, value=contribution["value"], criterion=contribution["name"]))
        if len(reasons) == 2:
            break
    deployment = answers["deployment"]
    if deployment in FIT_DEPLOYMENT:
        reasons.append(msg(FIT_DEPLOYMENT[deployment]))
    elif deployment == "own-cloud" and not facts.is_open:
        reasons.append(msg(FIT_OWN_CLOUD_API))
    if answers["customisation"] in ("fine-tune", "fine-tune-required") and facts.licence.get("may_fine_tune"):
        methods = [FINE_TUNING_WORDS[m] for m in ("full", "lora", "api-fine-tuning") if m in facts.fine_tuning]
        if methods:
            reasons.append(msg(FIT_FINE_TUNE, methods=_join(methods)))
    needed = CONTEXT_TOKENS[answers["context"]]
    if needed and facts.context_window and facts.context_window >= needed:
        reasons.append(msg(FIT_CONTEXT, tokens=f"{facts.context_window:,}", needed=f"{needed:,}"))
    wanted = [code for code in answers["languages"] if code != "en"]
    if wanted and all(code in facts.language_codes for code in wanted):
        reasons.append(msg(FIT_LANGUAGES, languages=_join(CHOICE_LABELS["languages"][code] for code in wanted)))
    return reasons


def _ranked_json(facts, rank, answers, scoring, criteria):
    weights, shares, total, heavy, direction, kind, pattern = scoring
    values = facts.values
    contributions = [
        {
            "criterion": slug,
            "name": name,
            "value": values[position],
            "weight": round(shares[position], 4),
            "points": round(weights[position] * values[position] * 10 / total, 2),
            "rationale": facts.rationales[position],
        }
        for position, (slug, name) in enumerate(criteria)
    ]
    raw = sum(w * v for w, v in zip(weights, values, strict=True))
    if direction:
        on_side = facts.is_open == (kind == "open")
        value = 10 if on_side else 0
        raw += direction * value
        contributions.append(
            {
                "criterion": DIRECTION,
                "name": DIRECTION_NAME,
                "value": value,
                "weight": round(direction / total, 4),
                "points": round(direction * value * 10 / total, 2),
                "rationale": DIRECTION_RATIONALES[kind, on_side],
            }
        )
    contributions.sort(key=lambda contribution: -contribution["points"])
    reasons = _fit_reasons(facts, answers, contributions, heavy)
    if kind == "hybrid":
        reasons.insert(0, msg(PLAN_PARTS[pattern, facts.is_open]))
    obligations, caveats = _obligations(facts, answers)
    licence = facts.licence
    return {
        "rank": rank,
        "slug": facts.slug,
        "name": facts.name,
        "provider": facts.provider,
        "access": facts.access,
        "licence": {
            "slug": licence.get("slug") or "",
            "name": licence.get("name") or "",
            "category": licence.get("category") or "",
            "url": licence.get("url") or "",
        },
        "score": round(raw * 10 / total, 2),
        "contributions": contributions,
        "reasons": reasons,
        "obligations": obligations,
        "caveats": _caveats(facts, answers, caveats, criteria),
    }
