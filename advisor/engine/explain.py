"""The details shown for a model: its score rows, why it fits, its route, duties and caveats."""

import re

from advisor import scoring
from advisor.engine import hardware, lifecycle, routes, rules, weights
from advisor.engine.questions import BY_KEY
from advisor.engine.text import gettext_noop as _
from advisor.engine.text import join, month_or_day, msg

CRITERIA = scoring.CRITERIA

FIT_HEAVY = _("Scores %(value)s out of 10 on %(criterion)s, one of your most heavily weighted criteria.")
FIT_SCORE = _("Scores %(value)s out of 10 on %(criterion)s.")
FIT_FINE_TUNE = _("Can be fine-tuned on your data (%(methods)s).")
FIT_CONTEXT = _("Its context window of %(tokens)s tokens fits the %(needed)s tokens you need.")
FIT_LANGUAGES = _("Its documentation lists %(languages)s.")
FINE_TUNING_WORDS = {"full": "full fine-tuning", "lora": "LoRA adapters", "api-fine-tuning": "a hosted tuning API"}

DUTY_LINE = _("Licence duty: %(duty)s")
DUTY_ATTRIBUTION = _("Give the attribution or notice that %(licence)s requires.")
DUTY_AUP = _("Follow the acceptable use policy that comes with %(licence)s.")
# A licence's own duty lines that already name its use policy ("follow the Llama 3.3 Acceptable Use
# Policy"): DUTY_AUP would say it twice.
NAMES_USE_POLICY = re.compile(r"acceptable use|\buse policy|\busage policy", re.IGNORECASE)
DUTY_COMMERCIAL = _("Commercial use is allowed only on the conditions set in %(licence)s.")
DUTY_NON_COMMERCIAL = _("Non-commercial use only: %(licence)s does not allow commercial use.")
DUTY_DISPLAY = _("Above %(threshold)s, %(licence)s adds a duty: %(note)s")
DUTY_DISPLAY_IF = _("If you pass %(threshold)s, %(licence)s adds a duty: %(note)s")
DUTY_CONDITIONAL_USE = _('"%(use)s" is allowed only with this condition: %(condition)s (%(clause)s).')
DUTY_OUTPUTS = _(
    "Training other models on its outputs is allowed only on the conditions of %(licence)s (such as naming or notices)."
)
DUTY_COMPETING = _("Do not use its outputs to build models that compete with %(provider)s.")
DUTY_PROMPTS = {
    "yes": _("%(provider)s trains on your prompts by default: opt out before sending real data."),
    "free-tier": _("Prompts sent on free or unpaid use may be used for training: use a paid plan."),
    "no": _("Under these terms, %(provider)s does not train on your prompts by default."),
}
DUTY_PROMPTS_UNCONFIRMED = _(
    "The terms recorded here say %(provider)s does not train on your prompts by default, but only a secondary "
    "source says so: confirm it in the data terms of %(provider)s before sending real data."
)
DUTY_RETENTION = {
    True: _("Zero data retention is offered: ask for it before sending sensitive data."),
    False: _("Zero data retention is not offered: the provider keeps prompts for a period."),
    None: _("The terms recorded here do not say whether zero data retention is offered."),
}
DUTY_SELF_YOUR_GPU = _(
    "Your team runs it on your %(size)s GB GPU: about %(gb)s GB at %(precision)s, plus serving, scaling and patching."
)
DUTY_SELF_ONE_GPU = _(
    "Your team runs it: about %(gb)s GB at %(precision)s, on one 80 GB GPU, plus serving, scaling and patching."
)
DUTY_SELF_GPUS = _(
    "Your team runs it: about %(gb)s GB at %(precision)s, across %(gpus)s GPUs of 80 GB, plus serving, scaling "
    "and patching."
)
DUTY_SELF_UNKNOWN = _("Your team runs it: serving, scaling and patching; its memory needs are not published.")
DUTY_DEVICE = _("Ship it in your app: about %(gb)s GB at %(precision)s on each device, and update it with the app.")
DUTY_HOSTED = _("Choose a hosted provider for it and check that provider's data terms before sending real data.")
DUTY_MARKETPLACE = _(
    "Deploy it from your cloud provider's marketplace into your own cloud account, and check the listing's terms "
    "before sending real data."
)
# Duties of how the model is run, not of its terms: the brief links them to the model's page.
ROUTE_DUTIES = frozenset(
    {
        DUTY_SELF_YOUR_GPU,
        DUTY_SELF_ONE_GPU,
        DUTY_SELF_GPUS,
        DUTY_SELF_UNKNOWN,
        DUTY_DEVICE,
        DUTY_HOSTED,
        DUTY_MARKETPLACE,
    }
)

CAVEAT_CHECK_GATE = _("Check before launch: above %(threshold)s, %(licence)s requires a separate licence.")
CAVEAT_THRESHOLD_OTHER = _("%(licence)s sets a threshold at %(threshold)s: %(note)s Check its terms.")
CAVEAT_THRESHOLDS_UNVERIFIED = _(
    "The user and revenue thresholds of %(licence)s are not verified here: check its terms."
)
LANGUAGES_RATIONALE = _("Documents %(languages)s of the %(needed)s languages you need.")
LANGUAGES_RATIONALE_NONE = _("Documents none of the %(needed)s languages you need.")
LANGUAGE_RATIONALE_ONE = _("Documents %(language)s, the language you need.")
LANGUAGE_RATIONALE_ONE_NONE = _("Its documentation does not confirm %(language)s, the language you need.")
CAVEAT_USES_UNVERIFIED = _("The use restrictions of %(licence)s are not verified here: check them for your uses.")
CAVEAT_SHUTDOWN = _("%(provider)s shuts it down on %(date)s: plan a migration%(replacement)s.")
CAVEAT_DEPRECATED = _("Deprecated: %(provider)s has announced a shutdown on %(date)s%(replacement)s.")
CAVEAT_LANGUAGES = _("Support for %(languages)s is not confirmed in its documentation.")
CAVEAT_LOW_CONFIDENCE = _(
    "The facts recorded here for %(entries)s come only from low-confidence (secondary) sources: check them in "
    "the provider's own documents before relying on them."
)
CAVEAT_UNVERIFIED = _(
    "No editor has verified the facts recorded here for %(name)s yet: check them against its sources before you "
    "rely on them."
)
CAVEAT_CONTEXT = _("Its context window is not recorded: check that it holds %(needed)s tokens.")
CAVEAT_REMOTE = _("The licensor may restrict use of the model remotely.")
CAVEAT_MISSING = _("No score yet for %(criteria)s: counted as 5 out of 10.")
CAVEAT_OUTPUTS_UNKNOWN = _("%(licence)s does not say whether outputs may train other models.")
CAVEAT_QUANTISED = _(
    "Fits your hardware only quantised to 4-bit (about %(gb_4)s GB instead of %(gb_16)s GB), which costs some quality."
)
CAVEAT_LAPTOP = _("Needs about %(gb)s GB: it fits only laptops with more than 16 GB of memory.")


def route_json(facts, route, deployment):
    if route is None:
        return None
    own_cloud = routes.in_own_cloud(route, deployment)
    if own_cloud:
        label = routes.API_MARKETPLACE_LABEL if route.kind == routes.API else routes.MARKETPLACE_LABEL
    else:
        label = routes.ROUTE_LABELS[route.kind]
    data = {
        "kind": route.kind,
        "precision": route.precision,
        "own_cloud": own_cloud,
        "label": msg(label, provider=facts.provider or facts.name),
    }
    memory = facts.memory
    if memory is not None:
        data["memory"] = {"gb_16bit": memory.gb_16bit, "gb_4bit": memory.gb_4bit, "parameters_b": memory.parameters_b}
    if route.kind in (routes.SELF, routes.DEVICE):
        fit = routes.ROUTE_FIT[route.precision]
        data["fit"] = (
            msg(fit, gb_16=f"{memory.gb_16bit:,}", gb_4=f"{memory.gb_4bit:,}", overhead=hardware.OVERHEAD_PERCENT)
            if memory
            else msg(fit)
        )
    return data


def contributions(catalogue, evaluation, facts):
    index = facts.index
    slot_values = catalogue.values[index, evaluation.slots[index]]
    route = evaluation.chosen_routes[index]
    route_rationales = {}
    if route is not None and facts.is_open:
        own_cloud = routes.in_own_cloud(route, evaluation.answers["deployment"])
        route_rationales = routes.route_values(facts, route, own_cloud=own_cloud)
    total = evaluation.total
    rows = []
    for position, (slug, name) in enumerate(catalogue.criteria):
        value = int(slot_values[position])
        points = evaluation.points[slug]
        rationale = route_rationales[slug].rationale if slug in route_rationales else facts.rationales[slug]
        rows.append(
            {
                "criterion": slug,
                "name": name,
                "value": value,
                "weight": round(points / total, 4),
                "points": round(points * value * 10 / total, 2),
                "rationale": rationale,
            }
        )
    if evaluation.language_points:
        value = int(evaluation.language_values[index])
        needed = evaluation.answers["languages"]
        confirmed = [BY_KEY["languages"].labels[c] for c in needed if facts.documents(c)]
        rows.append(
            {
                "criterion": weights.LANGUAGE_ROW,
                "name": weights.LANGUAGE_NAME,
                "value": value,
                "weight": round(evaluation.language_points / total, 4),
                "points": round(evaluation.language_points * value * 10 / total, 2),
                "rationale": _languages_rationale(needed, confirmed),
            }
        )
    rows.sort(key=lambda row: -row["points"])
    return rows


def _languages_rationale(needed, confirmed):
    if len(needed) == 1:
        language = BY_KEY["languages"].labels[needed[0]]
        return msg(LANGUAGE_RATIONALE_ONE if confirmed else LANGUAGE_RATIONALE_ONE_NONE, language=language)
    if confirmed:
        return msg(LANGUAGES_RATIONALE, languages=join(confirmed), needed=len(needed))
    return msg(LANGUAGES_RATIONALE_NONE, needed=len(needed))


def fit_reasons(facts, answers, rows, heavy):
    reasons = []
    for row in rows[:3]:
        if row["criterion"] in CRITERIA and row["value"] >= 6 and row["points"] > 0:
            text = FIT_HEAVY if row["criterion"] in heavy else FIT_SCORE
            reasons.append(msg(text, value=row["value"], criterion=row["name"]))
        if len(reasons) == 2:
            break
    if answers["customisation"] in ("fine-tune", "fine-tune-required") and facts.licence.get("may_fine_tune"):
        methods = [FINE_TUNING_WORDS[m] for m in ("full", "lora", "api-fine-tuning") if m in facts.fine_tuning]
        if methods:
            reasons.append(msg(FIT_FINE_TUNE, methods=join(methods)))
    needed = rules.CONTEXT_TOKENS[answers["context"]]
    if needed and facts.context_window and facts.context_window >= needed:
        reasons.append(msg(FIT_CONTEXT, tokens=f"{facts.context_window:,}", needed=f"{needed:,}"))
    wanted = [code for code in answers["languages"] if code != "en"]
    if wanted and all(facts.documents(code) for code in wanted):
        reasons.append(msg(FIT_LANGUAGES, languages=join(BY_KEY["languages"].labels[c] for c in wanted)))
    return reasons


def _thresholds(facts, answers, duties, caveats):
    name = facts.licence_name
    thresholds = facts.licence.get("thresholds")
    if thresholds is None:
        if facts.is_open:
            caveats.append(msg(CAVEAT_THRESHOLDS_UNVERIFIED, licence=name))
        return
    for threshold in thresholds:
        if not threshold.get("value"):
            continue
        band = rules.threshold_band(threshold, answers["users"], answers["revenue"], answers["hosted_service"])
        if band is None:
            continue
        state = rules.threshold_state(threshold, band)
        if state == "below":
            continue
        words = rules.threshold_words(threshold)
        note = threshold.get("note") or ""
        effect = threshold.get("effect")
        if effect == "display-duty":
            duties.append(
                msg(DUTY_DISPLAY if state == "above" else DUTY_DISPLAY_IF, threshold=words, licence=name, note=note)
            )
        elif effect == "separate-licence":
            if state == "straddles":
                caveats.append(msg(CAVEAT_CHECK_GATE, threshold=words, licence=name))
        else:
            caveats.append(msg(CAVEAT_THRESHOLD_OTHER, threshold=words, licence=name, note=note))


def _uses(facts, answers, duties, caveats):
    restrictions = facts.licence.get("use_restrictions")
    wanted = set(answers["restricted_uses"])
    if answers["train_on_outputs"] == "yes":
        wanted.add("competing-models")
    if restrictions is None:
        if answers["restricted_uses"]:
            caveats.append(msg(CAVEAT_USES_UNVERIFIED, licence=facts.licence_name))
        return
    for restriction in restrictions:
        use = restriction.get("use")
        if use not in wanted:
            continue
        if use == "competing-models":
            duties.append(msg(DUTY_COMPETING, provider=facts.provider or facts.licence_name))
        elif restriction.get("rule") == "conditional":
            duties.append(
                msg(
                    DUTY_CONDITIONAL_USE,
                    use=BY_KEY["restricted_uses"].labels.get(use, use),
                    condition=restriction.get("condition") or "",
                    clause=restriction.get("clause") or "",
                )
            )


def _route_duties(facts, route, deployment, hardware_answer, duties, caveats):
    memory = facts.memory
    if route.kind == routes.HOSTED:
        duties.append(msg(DUTY_MARKETPLACE if routes.in_own_cloud(route, deployment) else DUTY_HOSTED))
        return
    if route.kind not in (routes.SELF, routes.DEVICE):
        return
    if memory is None or route.precision == "unknown":
        duties.append(msg(DUTY_SELF_UNKNOWN))
        return
    gb = memory.gb_16bit if route.precision == "16-bit" else memory.gb_4bit
    if route.kind == routes.SELF:
        size = hardware.ONE_GPU.get(hardware_answer)
        gpus = hardware.gpus_needed(gb)
        if size:  # the team's one GPU, which the route was chosen to fit
            duties.append(msg(DUTY_SELF_YOUR_GPU, size=size, gb=f"{gb:,}", precision=route.precision))
        else:  # a node or a cluster of 80 GB GPUs
            said = DUTY_SELF_ONE_GPU if gpus == 1 else DUTY_SELF_GPUS
            duties.append(msg(said, gb=f"{gb:,}", precision=route.precision, gpus=gpus))
    else:
        duties.append(msg(DUTY_DEVICE, gb=f"{gb:,}", precision=route.precision))
    if route.precision == "4-bit":
        caveats.append(msg(CAVEAT_QUANTISED, gb_4=f"{memory.gb_4bit:,}", gb_16=f"{memory.gb_16bit:,}"))


def duties_and_caveats(facts, answers, route, criteria_names):
    licence = facts.licence
    name = facts.licence_name
    duties, caveats = [], []
    lines = [str(line).strip() for line in licence.get("obligations") or () if str(line).strip()]
    duties.extend(msg(DUTY_LINE, duty=line) for line in lines)
    if licence.get("attribution_required") and not lines:
        duties.append(msg(DUTY_ATTRIBUTION, licence=name))
    if licence.get("acceptable_use_policy") and not any(NAMES_USE_POLICY.search(line) for line in lines):
        duties.append(msg(DUTY_AUP, licence=name))
    commercial = licence.get("commercial_use")
    if answers["commercial"] == "yes" and commercial == "conditional":
        duties.append(msg(DUTY_COMMERCIAL, licence=name))
    if answers["commercial"] == "no" and commercial == "no":
        duties.append(msg(DUTY_NON_COMMERCIAL, licence=name))
    _thresholds(facts, answers, duties, caveats)
    _uses(facts, answers, duties, caveats)
    if answers["train_on_outputs"] == "yes":
        outputs = licence.get("outputs_may_train_models")
        if outputs == "conditional":
            duties.append(msg(DUTY_OUTPUTS, licence=name))
        elif outputs in (None, "", "unknown"):
            caveats.append(msg(CAVEAT_OUTPUTS_UNKNOWN, licence=name))
    if not facts.is_open:
        training = licence.get("prompts_train_by_default") or ""
        if training == "no" and licence.get("confidence") == "low":
            duties.append(msg(DUTY_PROMPTS_UNCONFIRMED, provider=facts.provider or name))
        elif training in DUTY_PROMPTS:
            duties.append(msg(DUTY_PROMPTS[training], provider=facts.provider or name))
        retention = licence.get("zero_retention_offered")
        duties.append(msg(DUTY_RETENTION[retention if retention in (True, False) else None]))
    if route is not None:
        _route_duties(facts, route, answers["deployment"], answers["hardware"], duties, caveats)
        if route.kind == routes.DEVICE and answers["hardware"] == "laptop" and facts.memory:
            gb = facts.memory.gb_16bit if route.precision == "16-bit" else facts.memory.gb_4bit
            if gb > 16:
                caveats.append(msg(CAVEAT_LAPTOP, gb=f"{gb:,}"))
    if licence.get("remote_restriction"):
        caveats.append(msg(CAVEAT_REMOTE))
    _lifecycle_caveat(facts, caveats)
    if facts.verified is False:
        caveats.append(msg(CAVEAT_UNVERIFIED, name=facts.name))
    unsure = [facts.name] if facts.confidence == "low" else []
    unsure += [name] if licence.get("confidence") == "low" else []
    if unsure:
        caveats.append(msg(CAVEAT_LOW_CONFIDENCE, entries=join(unsure)))
    unconfirmed = [BY_KEY["languages"].labels[c] for c in answers["languages"] if not facts.documents(c)]
    if unconfirmed:
        caveats.append(msg(CAVEAT_LANGUAGES, languages=join(unconfirmed)))
    needed = rules.CONTEXT_TOKENS[answers["context"]]
    if needed and facts.context_window is None:
        caveats.append(msg(CAVEAT_CONTEXT, needed=f"{needed:,}"))
    if facts.missing:
        caveats.append(msg(CAVEAT_MISSING, criteria=join(criteria_names[slug] for slug in facts.missing)))
    return duties, caveats


def _lifecycle_caveat(facts, caveats):
    replacement = f" (its named replacement: {facts.replacement})" if facts.replacement else ""
    provider = facts.provider or facts.name
    if facts.status == lifecycle.SHUTDOWN_SOON:
        caveats.insert(
            0, msg(CAVEAT_SHUTDOWN, provider=provider, date=month_or_day(facts.shutdown_date), replacement=replacement)
        )
    elif facts.status == lifecycle.DEPRECATED and facts.shutdown_date:
        caveats.insert(
            0,
            msg(CAVEAT_DEPRECATED, provider=provider, date=month_or_day(facts.shutdown_date), replacement=replacement),
        )
