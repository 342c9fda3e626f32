"""Scores that follow from a model's facts, with the rule that sets each one.

Pure module: no Django imports. The input is one model's facts as plain data,
shaped like a model entry of ``advisor.catalogue.catalogue_snapshot()`` without
its ``scores`` (the licence facts sit under ``"licence"``). ``compute_scores``
returns ``{criterion slug: (value, rationale)}`` for every computed criterion:
an integer from 0 to 10 (higher is better for a team that values the
criterion) and one plain-English sentence built from the facts.

Only ``capability`` is editorial: editors set it by hand, and the guidance for
it is in ``RULES["capability"]``. Every other criterion is computed here, by
the fixture builder (``tools/build_catalogue.py``) and again by the admin when
an editor saves a model or a licence, unless an editor overrode that score.

The rules in brief (``RULES`` holds the full text shown on the criteria page):

- code-access: what the developer published. Weights, training code and
  training data 10; weights and training code 8; weights and data 7; weights
  only 6; nothing (API only) 1.
- fine-tuning: the fine-tuning options, if the licence allows fine-tuning.
  Full fine-tuning of downloadable weights 9 (10 with a hosted fine-tuning API
  as well); LoRA/adapters only 8; a hosted fine-tuning API only 5; none 1.
- cost-at-scale: the better of two estimates. API list price, blended as
  three input tokens per output token: up to 0.50 USD per million tokens 9,
  1.50 8, 3 7, 5 6, 10 4, 20 3, above 2. Self-hosting memory for the fp16
  weights: up to 24 GB 9, 80 GB 8, 160 GB 6, 640 GB 4, 1,400 GB 3, above 2.
  Neither fact recorded: 5, saying so.
- transparency: weights, code and data published 9; weights and code 7;
  weights only 5; closed 1; plus 1 when the licence is OSI-approved.
- maintenance (10 = lightest burden): closed with a managed API 9; open
  weights with a hosted API 7, with a cloud marketplace only 6; self-host only
  by memory (up to 24 GB 5, 160 GB 4, 640 GB 3, above 2). A deprecated model
  loses 3 (a migration is due); a retired one scores 1.
- data-privacy: self-hosting possible 9, on-device too 10. API only: 5, plus 1
  when the terms do not train on prompts by default (minus 2 when they do),
  plus 1 when zero data retention is offered.
- lock-in (10 = least lock-in): open weights 6, plus 1 per extra deployment
  route (at most 2), plus 1 for a permissive licence and 1 when training code
  and data are public; minus 3 for a non-commercial licence and 1 when hosting
  is barred. Closed: 2, plus 1 when also sold through cloud marketplaces.
- usage-clarity: permissive 9 (minus 1 if not OSI-approved, minus 1 with a
  use policy); copyleft 7; proprietary API terms 8; open weights with
  restrictions 6 minus 1 for each of a user/revenue gate, a jurisdiction
  exclusion, a hosting bar and a remote-restriction right (never below 3);
  responsible-AI 5 (minus 1 for a remote-restriction right); non-commercial 2.
  A user/revenue gate is a ``thresholds`` entry whose effect is
  ``separate-licence``; a display duty is not a gate.
- control: open weights you can self-host 8 (plus 1 permissive), minus 4 for
  a non-commercial licence and 1 each for forbidden uses (``use_restrictions``
  entries whose rule is ``forbidden``), a use policy, a remote-restriction
  right, a hosting bar, a jurisdiction exclusion and a user/revenue gate
  (never below 2). Closed: 3, minus 1 with a use policy.
- security (10 = the team controls its own posture): self-hostable 8, plus 1
  when training code and data are public; closed 3.
- fast-development: a hosted API 7, a cloud marketplace only 6, self-host only
  4; plus 1 when any fine-tuning is offered.
- customisation: open weights the licence lets you modify 7, plus 1 for full
  fine-tuning and 1 for published training code. Closed: 3, plus 2 with a
  hosted fine-tuning API.

Rules are deliberately simple and monotonic: a fact that helps a team never
lowers a score. Change a rule here, describe it in ``RULES`` and the module
docstring, and rebuild the fixtures.
"""

from __future__ import annotations

SCORE_MIN = 0
SCORE_MAX = 10

# The 13 criteria, in display order: the one list of their slugs.
CRITERIA = (
    "transparency",
    "control",
    "customisation",
    "maintenance",
    "code-access",
    "fine-tuning",
    "security",
    "fast-development",
    "usage-clarity",
    "cost-at-scale",
    "data-privacy",
    "capability",
    "lock-in",
)
EDITORIAL = ("capability",)
# The rationale of the middle score that stands in for an editorial score nobody gave yet.
PLACEHOLDER_RATIONALE = (
    "Not rated by an editor yet: a middle score stands in until an editor rates it from the model's facts."
)
COMPUTED = tuple(slug for slug in CRITERIA if slug not in EDITORIAL)


def is_rated(rationale):
    """Whether an editorial score's rationale is an editor's: neither empty nor the placeholder's."""
    return rationale.strip() not in ("", PLACEHOLDER_RATIONALE)


# Vocabulary values (advisor.vocab), repeated as plain strings to keep this module pure.
SELF_HOST = "self-host"
MANAGED_API = "managed-api"
MARKETPLACE = "cloud-marketplace"
ON_DEVICE = "on-device"
FULL = "full"
LORA = "lora"
API_FT = "api-fine-tuning"
DEPRECATED = "deprecated"
RETIRED = "retired"
SEPARATE_LICENCE = "separate-licence"
FORBIDDEN = "forbidden"

RULES = {
    "code-access": (
        "Computed from what the developer published:\n\n"
        "- weights, training code and training data: **10**\n"
        "- weights and training code: **8**\n"
        "- weights and training data: **7**\n"
        "- weights only: **6**\n"
        "- nothing (reachable only through an API): **1**"
    ),
    "fine-tuning": (
        "Computed from the fine-tuning options, provided the licence or API terms allow fine-tuning:\n\n"
        "- full fine-tuning of downloadable weights: **9**, or **10** when a hosted fine-tuning API is offered too\n"
        "- LoRA or adapters only: **8**\n"
        "- a hosted fine-tuning API only (the tuned weights stay with the vendor): **5**\n"
        "- no fine-tuning, or a licence that forbids it: **1**"
    ),
    "cost-at-scale": (
        "Computed as the better of two estimates, when the facts exist.\n\n"
        "- **API list price**, blended as three input tokens per output token (USD per million): "
        "up to 0.50 → **9**, 1.50 → **8**, 3 → **7**, 5 → **6**, 10 → **4**, 20 → **3**, above → **2**.\n"
        "- **Self-hosting**, from the memory the fp16 weights need: up to 24 GB (one consumer GPU) → **9**, "
        "80 GB (one data-centre GPU) → **8**, 160 GB → **6**, 640 GB (one 8-GPU node) → **4**, "
        "1,400 GB → **3**, above → **2**. Quantisation can cut the memory two to four times.\n\n"
        "With neither a price nor a memory figure the score is a middle **5**, and the rationale says so."
    ),
    "transparency": (
        "Computed from how much of the model can be inspected:\n\n"
        "- weights, training code and training data published: **9**\n"
        "- weights and training code: **7**\n"
        "- weights only: **5**\n"
        "- closed (API only): **1**\n\n"
        "An OSI-approved licence adds **1**."
    ),
    "maintenance": (
        "Computed from who runs the model (10 = lightest burden for the team):\n\n"
        "- closed model behind the vendor's managed API: **9**\n"
        "- open weights also offered through hosted APIs: **7**\n"
        "- open weights with a cloud-marketplace option only: **6**\n"
        "- self-host only, by memory for the fp16 weights: up to 24 GB → **5**, 160 GB → **4**, "
        "640 GB → **3**, above → **2**\n\n"
        "A deprecated model loses **3** because a migration is already due; a retired model scores **1**."
    ),
    "data-privacy": (
        "Computed from where prompts go:\n\n"
        "- weights can be self-hosted, so prompts need never leave your infrastructure: **9**; "
        "on-device deployment as well: **10**\n"
        "- API only: **5**, plus **1** when the terms say prompts are not used for training by default "
        "(minus **2** when they are), plus **1** when zero data retention is offered"
    ),
    "lock-in": (
        "Computed from how easily you could leave (10 = least lock-in):\n\n"
        "- open weights: **6**, plus **1** per deployment route beyond the first (at most **2**), "
        "plus **1** for a permissive licence and **1** when training code and data are public; "
        "minus **3** for a non-commercial licence (commercial use ties you to the vendor) "
        "and **1** when offering it as a hosted service is barred\n"
        "- closed: **2**, plus **1** when it is also sold through cloud marketplaces"
    ),
    "usage-clarity": (
        "Computed from the licence category, for a business:\n\n"
        "- permissive: **9**, minus **1** if not OSI-approved and **1** if a use policy is attached\n"
        "- copyleft: **7**\n"
        "- proprietary API terms (clearly defined contract conditions): **8**\n"
        "- open weights with restrictions: **6**, minus **1** each for a user or revenue gate (a threshold above "
        "which a separate licence is needed; a display duty alone is not one), a jurisdiction exclusion, "
        "a hosting bar and a right to restrict use remotely (never below **3**)\n"
        "- responsible-AI licence: **5**, minus **1** for a right to restrict use remotely\n"
        "- non-commercial: **2** (a business needs a separate agreement)"
    ),
    "control": (
        "Computed from who decides how the model is used:\n\n"
        "- open weights you can self-host: **8**, plus **1** for a permissive licence; minus **4** for a "
        "non-commercial licence and **1** each for any use forbidden outright (a use allowed under a condition "
        "does not count), a use policy, a right to restrict use remotely, a hosting bar, a jurisdiction "
        "exclusion and a user or revenue gate (never below **2**)\n"
        "- closed: **3**, minus **1** when a use policy applies"
    ),
    "security": (
        "Computed from who controls the security posture (10 = the team does):\n\n"
        "- self-hostable weights: **8**, plus **1** when training code and data are public to audit\n"
        "- closed: **3** (you rely on the vendor's controls, certifications and incident handling)"
    ),
    "fast-development": (
        "Computed from how quickly a team can start and adapt:\n\n"
        "- a hosted API is available: **7**\n"
        "- a cloud-marketplace option only: **6**\n"
        "- self-host only: **4**\n\n"
        "Any fine-tuning option adds **1**."
    ),
    "customisation": (
        "Computed from how far the model itself can be changed:\n\n"
        "- open weights the licence lets you modify: **7**, plus **1** for full fine-tuning and **1** "
        "for published training code\n"
        "- closed: **3** (prompts, tools and system instructions only), plus **2** with a hosted "
        "fine-tuning API"
    ),
    "capability": (
        "**Editorial.** An editor rates general quality from the model's documented strengths, size and "
        "release date, conservatively and consistently across the catalogue: 9 for the current frontier "
        "tier, 7-8 for strong current or recent flagships, 5-6 for capable mid-size or older flagships, "
        "3-4 for small or specialised models and 1-2 for research checkpoints. No benchmark numbers "
        "are invented; the rationale cites the facts it rests on."
    ),
}


def _clamp(value):
    return max(SCORE_MIN, min(SCORE_MAX, int(value)))


def _money(value):
    return f"USD {value:,.2f}"


def _gb(value):
    return f"{value:,} GB"


def _is_open(facts):
    return bool(facts.get("weights_available"))


def _deployment(facts):
    return list(facts.get("deployment") or [])


def _fine_tuning(facts):
    return [option for option in (facts.get("fine_tuning") or []) if option != "none"]


def _licence(facts):
    return facts.get("licence") or {}


def _fully_open(facts):
    return bool(facts.get("training_code_available")) and bool(facts.get("training_data_available"))


def _has_gate(licence):
    """A user or revenue gate: a threshold above which a separate licence is needed (a display duty is not one)."""
    return any(threshold.get("effect") == SEPARATE_LICENCE for threshold in licence.get("thresholds") or ())


def _forbidden_uses(licence):
    """The uses the licence or its policy forbids outright; conditional ones stay allowed under their condition."""
    return [item.get("use") for item in licence.get("use_restrictions") or () if item.get("rule") == FORBIDDEN]


def _and_list(items):
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]


def _lifecycle_note(facts):
    if facts.get("lifecycle") == DEPRECATED:
        when = facts.get("shutdown_date") or "an announced date"
        return f", but the vendor has scheduled its shutdown for {when}"
    return ""


def code_access(facts):
    weights = _is_open(facts)
    code = bool(facts.get("training_code_available"))
    data = bool(facts.get("training_data_available"))
    if weights and code and data:
        return 10, "Weights, training code and training data are all published, so every part can be read and rerun."
    if weights and code:
        return 8, "Weights and training code are published, but the training data is not."
    if weights and data:
        return 7, "Weights and training data are published, but the training code is not."
    if weights:
        return 6, "Weights can be downloaded, but neither the training code nor the training data is published."
    return 1, "Only an API is offered: weights, training code and training data are not published."


def fine_tuning(facts):
    options = _fine_tuning(facts)
    allowed = bool(_licence(facts).get("may_fine_tune", False))
    if not _is_open(facts):
        if API_FT in options and allowed:
            return 5, "Fine-tuning is offered only through the vendor's hosted API, and the tuned weights stay with it."
        return 1, "No fine-tuning is offered for this model; prompting and retrieval are the only ways to adapt it."
    if options and not allowed:
        return 1, "The weights are published, but the licence does not allow fine-tuning them."
    if FULL in options:
        if API_FT in options:
            return 10, "Full fine-tuning of the published weights is possible, and a hosted fine-tuning API exists too."
        return 9, "The published weights can be fully fine-tuned (or adapted with LoRA) on your own data."
    if LORA in options:
        extra = " and through a hosted fine-tuning API" if API_FT in options else ""
        return 8, f"The published weights can be adapted with LoRA or adapters{extra}; full tuning is not documented."
    if API_FT in options:
        return 5, "Fine-tuning is documented only through a hosted API, although the weights are published."
    return 1, "No fine-tuning route is documented for this model."


def _price_score(blended):
    for limit, score in ((0.5, 9), (1.5, 8), (3, 7), (5, 6), (10, 4), (20, 3)):
        if blended <= limit:
            return score
    return 2


def _memory_score(gb):
    for limit, score in ((24, 9), (80, 8), (160, 6), (640, 4), (1400, 3)):
        if gb <= limit:
            return score
    return 2


def cost_at_scale(facts):
    price_in = facts.get("price_input_per_mtok")
    price_out = facts.get("price_output_per_mtok")
    memory = facts.get("min_gpu_memory_gb") if _is_open(facts) else None
    estimates = []
    if price_in is not None and price_out is not None:
        blended = (3 * float(price_in) + float(price_out)) / 4
        estimates.append(
            (
                _price_score(blended),
                f"the API lists {_money(float(price_in))} in and {_money(float(price_out))} out per million tokens",
            )
        )
    if memory is not None:
        estimates.append((_memory_score(memory), f"self-hosting needs about {_gb(memory)} for the fp16 weights"))
    if not estimates:
        return 5, "No API price or self-hosting memory figure is recorded, so this is a middle score until one is."
    best = max(score for score, _ in estimates)
    if len(estimates) == 1:
        reason = estimates[0][1]
        return best, reason[0].upper() + reason[1:] + "."
    reasons = " and ".join(reason for _, reason in estimates)
    return best, f"The cheaper of two routes sets the score: {reasons}."


def transparency(facts):
    licence = _licence(facts)
    if _is_open(facts) and _fully_open(facts):
        value, reason = 9, "Weights, training code and training data are public, so behaviour and biases can be traced"
    elif _is_open(facts) and facts.get("training_code_available"):
        value, reason = 7, "Weights and training code are public, but the training data behind the behaviour is not"
    elif _is_open(facts):
        value, reason = 5, "The weights can be inspected, but the training code and data behind them are not public"
    else:
        return 1, "The model is closed: its weights, training data and code cannot be inspected or verified."
    if licence.get("osi_approved"):
        value += 1
        reason += ", under an OSI-approved licence"
    return _clamp(value), reason + "."


def maintenance(facts):
    deployment = _deployment(facts)
    memory = facts.get("min_gpu_memory_gb")
    lifecycle = facts.get("lifecycle")
    if lifecycle == RETIRED:
        return 1, "The vendor has retired this model, so anything built on it must move to another model."
    if not _is_open(facts):
        if MANAGED_API in deployment or MARKETPLACE in deployment:
            value, reason = 9, "The vendor runs the servers, scaling and security updates behind its API"
        else:
            value, reason = 5, "No managed deployment route is recorded"
    elif MANAGED_API in deployment:
        value, reason = 7, "Hosted APIs can take the operations off your hands, though self-hosting means running it"
    elif MARKETPLACE in deployment:
        value, reason = 6, "Cloud marketplaces offer managed deployment, though self-hosting means running it"
    elif memory is None:
        value, reason = 3, "It must be self-hosted and operated by your team"
    else:
        for limit, score in ((24, 5), (160, 4), (640, 3)):
            if memory <= limit:
                value = score
                break
        else:
            value = 2
        reason = f"It must be self-hosted, on hardware with about {_gb(memory)} of GPU memory for the fp16 weights"
    if lifecycle == DEPRECATED:
        value -= 3
        reason += _lifecycle_note(facts) + ", so a migration is already due"
    return _clamp(value), reason + "."


def data_privacy(facts):
    deployment = _deployment(facts)
    licence = _licence(facts)
    if _is_open(facts) and (SELF_HOST in deployment or ON_DEVICE in deployment):
        if ON_DEVICE in deployment:
            return 10, "It runs on your own servers or on the user's device, so prompts need never leave your control."
        return 9, "It can be self-hosted, so prompts and data need never leave your own infrastructure."
    value = 5
    training = licence.get("prompts_train_by_default") or ""
    if training == "no":
        value += 1
        on_training = "the terms say they are not used for training by default"
    elif training == "yes":
        value -= 2
        on_training = "the terms let the vendor train on them by default"
    elif training == "free-tier":
        on_training = "free-tier prompts may be used to improve the vendor's products"
    else:
        on_training = "the terms recorded here do not say whether the vendor trains on them"
    retention = licence.get("zero_retention_offered")
    if retention is True:
        value += 1
        on_retention = "zero data retention is offered to approved customers"
    elif retention is False:
        on_retention = "zero data retention is not offered"
    else:
        on_retention = "zero data retention is not documented in these terms"
    return _clamp(value), f"Prompts go to the vendor's API; {on_training}, and {on_retention}."


def lock_in(facts):
    deployment = _deployment(facts)
    licence = _licence(facts)
    category = licence.get("category")
    if not _is_open(facts):
        if MARKETPLACE in deployment:
            return 3, "No weights are published, so you depend on one vendor, though cloud marketplaces also sell it."
        return 2, "No weights are published and only the vendor's own API serves it, so leaving means rebuilding."
    value = 6
    good = ["the weights can move with you"]
    bad = []
    extra_routes = min(max(len(deployment) - 1, 0), 2)
    if extra_routes:
        value += extra_routes
        good.append(f"{len(deployment)} deployment routes exist")
    if category == "permissive":
        value += 1
        good.append("the licence is permissive")
    if _fully_open(facts):
        value += 1
        good.append("training code and data are public")
    if category == "non-commercial":
        value -= 3
        bad.append("commercial use needs the vendor's API or a separate agreement")
    if licence.get("hosting_barred"):
        value -= 1
        bad.append("offering it as a hosted service needs the licensor's permission")
    text = _and_list(good)
    if bad:
        text += ", but " + _and_list(bad)
    return _clamp(value), text[0].upper() + text[1:] + "."


def usage_clarity(facts):
    licence = _licence(facts)
    category = licence.get("category")
    if category == "non-commercial":
        return 2, "The licence rules out commercial use, so a business needs a separate agreement before using it."
    if category == "permissive":
        value = 9
        notes = []
        if not licence.get("osi_approved"):
            value -= 1
            notes.append("it is not OSI-approved as a software licence")
        if licence.get("acceptable_use_policy"):
            value -= 1
            notes.append("a use policy is attached")
        known = f" ({licence['spdx_id']})" if licence.get("spdx_id") else ""
        tail = f", though {_and_list(notes)}" if notes else ""
        return value, f"The licence{known} is a well-known permissive one with few conditions{tail}."
    if category == "copyleft":
        return 7, "The licence is a standard copyleft one whose share-alike duties are well understood."
    if category == "proprietary-api":
        return 8, "The vendor's API terms set clearly defined contract conditions, though the vendor can revise them."
    if category == "responsible-ai-restricted":
        value = 5
        tail = ""
        if licence.get("remote_restriction"):
            value -= 1
            tail = ", and the licensor reserves the right to restrict use"
        return value, f"The licence adds use-based restrictions that pass to every derivative{tail}."
    if category == "open-weights-restricted":
        found = []
        if _has_gate(licence):
            found.append("a user or revenue threshold above which a separate licence is needed")
        if licence.get("excluded_jurisdictions"):
            found.append("a region whose residents or companies get no grant")
        if licence.get("hosting_barred"):
            found.append("a bar on offering it as a hosted service")
        if licence.get("remote_restriction"):
            found.append("a right for the licensor to restrict use remotely")
        value = max(3, 6 - len(found))
        if found:
            return value, f"The custom vendor licence has {_and_list(found)} to check before commercial use."
        return value, "The custom vendor licence has its own conditions that need reading before commercial use."
    return 5, "The licence category is not recorded, so the conditions need checking by hand."


def control(facts):
    licence = _licence(facts)
    category = licence.get("category")
    if not _is_open(facts):
        value = 3
        reason = "The vendor decides model versions, limits and retirement dates"
        if licence.get("acceptable_use_policy"):
            value -= 1
            reason += ", and its usage policy governs what you may do"
        return value, reason + "."
    value = 8
    limits = []
    if category == "permissive":
        value += 1
    if category == "non-commercial":
        value -= 4
        limits.append("a non-commercial limit")
    if _forbidden_uses(licence):
        value -= 1
        limits.append("forbidden uses")
    if licence.get("acceptable_use_policy"):
        value -= 1
        limits.append("a use policy")
    if licence.get("remote_restriction"):
        value -= 1
        limits.append("a right for the licensor to restrict use remotely")
    if licence.get("hosting_barred"):
        value -= 1
        limits.append("a hosting bar")
    if licence.get("excluded_jurisdictions"):
        value -= 1
        limits.append("a jurisdiction exclusion")
    if _has_gate(licence):
        value -= 1
        limits.append("a user or revenue gate")
    value = max(2, value)
    if not limits:
        return value, "You run the weights where you like, and the licence adds no use restrictions of its own."
    return value, f"You run the weights yourself, but the licence adds {_and_list(limits)}."


def security(facts):
    deployment = _deployment(facts)
    if _is_open(facts) and (SELF_HOST in deployment or ON_DEVICE in deployment):
        if _fully_open(facts):
            return 9, "Self-hosting puts the security posture in your hands, and public code and data can be audited."
        return 8, "Self-hosting puts access control, patching and network isolation in your team's hands."
    return 3, "Security depends on the vendor's controls, certifications and incident handling, not your own."


def fast_development(facts):
    deployment = _deployment(facts)
    if MANAGED_API in deployment:
        value, reason = 7, "A hosted API lets a team start calling it in minutes"
    elif MARKETPLACE in deployment:
        value, reason = 6, "Cloud marketplaces offer ready-made deployments"
    else:
        value, reason = 4, "It must be self-hosted before anyone can build on it"
    if _fine_tuning(facts):
        value += 1
        reason += ", though fine-tuning can then specialise it" if value <= 5 else ", and fine-tuning can specialise it"
    return _clamp(value), reason + "."


def customisation(facts):
    licence = _licence(facts)
    options = _fine_tuning(facts)
    if _is_open(facts) and licence.get("may_modify", False):
        value = 7
        reason = "The weights may be modified and retrained on your own data"
        if FULL in options:
            value += 1
            reason += ", including full fine-tuning"
        if facts.get("training_code_available"):
            value += 1
            reason += ", with the original training code to start from"
        return _clamp(value), reason + "."
    if _is_open(facts):
        return 3, "The weights are published, but the licence does not allow modifying them."
    if API_FT in options:
        return 5, "Behaviour is fixed apart from prompts, tools and the vendor's hosted fine-tuning."
    return 3, "Behaviour is fixed by the vendor; prompts, tools and system instructions are the only levers."


CALCULATORS = {
    "transparency": transparency,
    "control": control,
    "customisation": customisation,
    "maintenance": maintenance,
    "code-access": code_access,
    "fine-tuning": fine_tuning,
    "security": security,
    "fast-development": fast_development,
    "usage-clarity": usage_clarity,
    "cost-at-scale": cost_at_scale,
    "data-privacy": data_privacy,
    "lock-in": lock_in,
}


def compute_scores(facts):
    """Return ``{slug: (value, rationale)}`` for every computed criterion."""
    scores = {}
    for slug in COMPUTED:
        value, rationale = CALCULATORS[slug](facts)
        scores[slug] = (_clamp(value), rationale)
    return scores
