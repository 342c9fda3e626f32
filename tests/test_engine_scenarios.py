"""Scenario tests from the domain.

One table of teams, written from the article's four audiences (/work/shared/seed/article.txt:
researchers and development teams, enterprise IT in regulated sectors, startups and small teams,
educators) and from the dated reference facts (/work/shared/reference/models.yaml and
licenses.yaml, as of 2026-12-02), never from the engine's own output. Each row says what the
engine must conclude for that team: the side to start on, the models a named rule must rule out
(citing a non-empty clause), the models that must stay eligible, and properties the start pick,
the picks, the detailed ranking or every eligible model must have.

The seed catalogue is loaded once per module inside a rolled-back transaction, so no row leaks
into other tests.
"""

import datetime
import math
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.core.management import call_command
from django.db import transaction

from advisor import engine
from advisor.catalogue import catalogue_snapshot
from advisor.models import AIModel, AudiencePreset
from tests.conftest import complete_answers

# The seed fixture reads the database: pytest-django sets up a test database only for a run that
# selects a test marked for it, so a run of one scenario needs the mark too.
pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 12, 2)

# -- Reference facts (models.yaml / licenses.yaml, schema 2, generated 2026-12-02) ------------

OPENAI = ("gpt-4o", "gpt-4.1", "o3", "gpt-5", "gpt-6.2-astra", "gpt-6.2-sol")
ANTHROPIC = (
    "claude-3.7-sonnet",
    "claude-sonnet-4.5",
    "claude-haiku-4.5",
    "claude-opus-5.5",
    "claude-sonnet-5.5",
    "claude-fable-5.2",
)
GOOGLE = (
    "gemini-2.0-flash",
    "gemini-2.5-pro",
    "gemini-2.5-flash",
    "gemini-3-pro",
    "gemini-3.1-pro",
    "gemini-3.8-flash",
)
CLOSED = (*OPENAI, *ANTHROPIC, *GOOGLE, "grok-4", "amazon-nova-pro")
# Closed models still served on 2026-12-02 with no shutdown within 180 days.
CLOSED_CURRENT = (
    "gpt-6.2-astra",
    "gpt-6.2-sol",
    "claude-haiku-4.5",
    "claude-opus-5.5",
    "claude-sonnet-5.5",
    "claude-fable-5.2",
    "gemini-3.1-pro",
    "gemini-3.8-flash",
    "amazon-nova-pro",
)
# Shutdown date before 2026-12-02 (README: "As of 2026-12-02 the retired entries are ...").
RETIRED = (
    "claude-3.7-sonnet",
    "claude-sonnet-4.5",
    "gemini-2.0-flash",
    "gemini-2.5-pro",
    "gemini-2.5-flash",
    "gemini-3-pro",
    "grok-4",
)
# GPT-5 and o3 shut down on 2026-12-11, GPT-4o and GPT-4.1 on 2027-01-14: within 180 days.
SHUTTING_DOWN = ("gpt-5", "o3", "gpt-4o", "gpt-4.1")
LLAMA = ("llama-3.1-8b", "llama-3.1-70b", "llama-3.1-405b", "llama-3.3-70b", "llama-4-scout", "llama-4-maverick")
# cc-by-nc-4.0 (Cohere), mistral-research-license, mistral-non-production-license.
NON_COMMERCIAL = ("command-r-plus-08-2024", "command-a", "mistral-large-2", "codestral-22b")


def every(slugs, rule):
    return dict.fromkeys(slugs, rule)


# -- Predicates -----------------------------------------------------------------------------
# ``check(facts, entry)``: ``facts`` is the model's snapshot entry; ``entry`` its detailed
# ranking entry, or None when the model is eligible but not detailed (scope "eligible" only).


@dataclass(frozen=True)
class Prop:
    label: str
    check: Callable
    # "start" (the first pick), a pick role ("later", "alternative", ...), "picks" (every pick),
    # "ranking" (every detailed ranking entry, the picks included) or "eligible" (every eligible model).
    scope: str = "ranking"


def render(message):
    return message["msgid"] % message["params"]


def fits_4bit(gb, scope="ranking"):
    """Weights times 0.5 byte + 20 % (the reference's fp16 memory is 2 bytes a parameter) fit in ``gb``."""

    def check(facts, entry):
        fp16 = facts.get("min_gpu_memory_gb")
        ok = fp16 is not None and math.ceil(fp16 / 4 * 1.2) <= gb
        if entry is not None:
            memory = (entry["route"] or {}).get("memory")
            ok = ok and memory is not None and memory["gb_4bit"] <= gb
        return ok

    return Prop(f"fits {gb} GB at 4-bit", check, scope)


def route_kind(*kinds, scope="ranking"):
    return Prop(
        f"runs as {'/'.join(kinds)}", lambda facts, entry: entry is None or entry["route"]["kind"] in kinds, scope
    )


def documents(code, scope="start"):
    return Prop(f"documents {code!r}", lambda facts, entry: code in (facts.get("language_codes") or ()), scope)


def accepts(modality, scope="ranking"):
    return Prop(f"accepts {modality}", lambda facts, entry: modality in facts["modalities"], scope)


def not_shutting_down(days=180, scope="ranking"):
    def check(facts, entry):
        when = facts.get("shutdown_date")
        return facts.get("lifecycle") != "retired" and (
            when is None or datetime.date.fromisoformat(when) > TODAY + datetime.timedelta(days=days)
        )

    return Prop(f"not shutting down within {days} days of {TODAY}", check, scope)


def capability_at_least(value, scope="start"):
    return Prop(f"capability >= {value}", lambda facts, entry: facts["scores"]["capability"]["value"] >= value, scope)


def publishes_weights(scope="ranking"):
    return Prop("publishes weights", lambda facts, entry: facts["weights_available"], scope)


def fully_open(scope="eligible"):
    return Prop(
        "publishes weights, training code and training data",
        lambda facts, entry: (
            facts["access"] == "fully-open"
            and facts["weights_available"]
            and facts["training_code_available"]
            and facts["training_data_available"]
        ),
        scope,
    )


def on_marketplace(scope="start"):
    return Prop("sold on a cloud marketplace", lambda facts, entry: "cloud-marketplace" in facts["deployment"], scope)


def licence_allows_commercial(scope="eligible"):
    return Prop("licence allows commercial use", lambda facts, entry: facts["licence"]["commercial_use"] != "no", scope)


def closed_side(scope="start"):
    return Prop("closed API model", lambda facts, entry: facts["access"] == "closed-api", scope)


def open_side(scope="start"):
    return Prop("open weights", lambda facts, entry: facts["access"] != "closed-api", scope)


def can_be_fine_tuned(scope="later"):
    return Prop(
        "weights that can be fine-tuned",
        lambda facts, entry: facts["licence"]["may_fine_tune"] and bool({"full", "lora"} & set(facts["fine_tuning"])),
        scope,
    )


def language_caveat(code, scope="ranking"):
    """A model that does not document the language says so in its caveats."""

    def check(facts, entry):
        if code in (facts.get("language_codes") or ()):
            return True
        return any("is not confirmed" in render(c) for c in entry["caveats"])

    return Prop(f"documents {code!r} or flags it as not confirmed", check, scope)


def conditional_use_as_obligation(use, scope="ranking"):
    """Every condition a licence sets on the use appears among the model's obligations."""

    def check(facts, entry):
        conditions = [
            r["condition"]
            for r in facts["licence"].get("use_restrictions") or ()
            if r["use"] == use and r["rule"] == "conditional"
        ]
        obligations = " ".join(render(m) for m in entry["obligations"])
        return all(condition in obligations for condition in conditions)

    return Prop(f"carries the {use} conditions as obligations", check, scope)


def openai_needs_licensed_professional(scope="ranking"):
    def check(facts, entry):
        if facts["slug"] not in OPENAI:
            return True
        return any("licensed professional" in render(m) for m in entry["obligations"])

    return Prop("an OpenAI model carries the licensed-professional condition", check, scope)


def gate_flagged(scope="ranking"):
    """A model whose licence needs a separate licence above a user count says 'check before launch'."""

    def check(facts, entry):
        gated = any(
            t["kind"] == "mau" and t["effect"] == "separate-licence" for t in facts["licence"].get("thresholds") or ()
        )
        return not gated or any(render(c).startswith("Check before launch") for c in entry["caveats"])

    return Prop("a user-count gate shows 'check before launch'", check, scope)


def not_below_bar(scope="ranking"):
    return Prop(
        "capability above 5 (critical quality)",
        lambda facts, entry: facts["scores"]["capability"]["value"] > 5,
        scope,
    )


# -- The table --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Scenario:
    id: str
    team: str
    answers: dict
    verdict: frozenset  # acceptable verdict kinds
    preset: str | None = None
    pattern: str | None = None
    forced: bool | None = None  # True: the verdict is forced by the constraints (one side only)
    # slug -> rule code it must cite, or (rule code, text its clause must contain)
    excluded: dict = field(default_factory=dict)
    not_excluded_by: dict = field(default_factory=dict)  # slug -> rule code it must NOT cite
    eligible: tuple = ()  # slugs that must stay eligible
    detailed: tuple = ()  # slugs that must be in the detailed ranking
    pick_properties: tuple = ()
    xfail: str | None = None

    def build(self, presets):
        answers = complete_answers()
        if self.preset:
            answers.update(presets[self.preset])
        answers.update(self.answers)
        return answers


def kinds(*values):
    return frozenset(values)


SCENARIOS = [
    # -- Startups and small teams --------------------------------------------------------------
    Scenario(
        id="onprem-startup-80gb",
        team="A five-person startup that keeps customer data on its own server with one 80 GB GPU.",
        answers={
            "deployment": "on-premises",
            "hardware": "gpu-80",
            "data_sensitivity": "confidential",
            "budget": "fixed",
        },
        verdict=kinds("open"),
        forced=True,
        excluded={
            # MoE models count every expert: 1.6T, 2.8T, 671B, 675B, 397B, 405B parameters.
            "deepseek-v4-pro": "too-large",
            "kimi-k3": "too-large",
            "deepseek-r1": "too-large",
            "mistral-large-3": "too-large",
            "qwen3.5-397b-a17b": "too-large",
            "llama-3.1-405b": "too-large",
            **every(CLOSED_CURRENT, "api-only"),
        },
        # gpt-oss-120b (117B total, about 70 GB at 4-bit) and Llama 3.3 70B (about 42 GB) fit.
        eligible=("gpt-oss-120b", "llama-3.3-70b"),
        pick_properties=(fits_4bit(80), route_kind("self"), publishes_weights()),
    ),
    Scenario(
        id="startups-preset",
        team="The startups preset (no one to run GPUs, pay per use, live within weeks) on neutral answers.",
        preset="startups",
        answers={},
        verdict=kinds("closed"),
        pick_properties=(closed_side(), not_shutting_down(scope="picks")),
    ),
    Scenario(
        id="startup-wants-independence",
        team="A startup that must ship within weeks with no ML-ops, but wants independence from vendors later.",
        preset="startups",
        answers={"lock_in": "low"},
        verdict=kinds("hybrid"),
        pattern="start-closed",
        pick_properties=(closed_side(), open_side(scope="later"), can_be_fine_tuned(scope="later")),
    ),
    Scenario(
        id="phone-app",
        team="A language-learning app that runs the model offline on users' phones (about 8 GB).",
        answers={"deployment": "on-device", "hardware": "phone"},
        verdict=kinds("open"),
        forced=True,
        excluded={
            # 24B+ models need 15 GB or more even at 4-bit; Phi-4 (14B) about 9 GB.
            "mistral-small-3.1": "too-large",
            "gemma-3-27b": "too-large",
            "qwen3-30b-a3b": "too-large",
            "gpt-oss-20b": "too-large",
            "phi-4": "too-large",
            "llama-3.3-70b": "no-on-device",
            **every(CLOSED_CURRENT, "api-only"),
        },
        eligible=("llama-3.1-8b", "phi-3-mini"),
        pick_properties=(fits_4bit(8, scope="eligible"), route_kind("device", scope="eligible")),
    ),
    Scenario(
        id="phone-app-users-not-sure",
        team="A consumer phone-app startup that cannot yet say how many users it will reach.",
        answers={"deployment": "on-device", "hardware": "phone", "users": "not-sure"},
        verdict=kinds("open"),
        forced=True,
        not_excluded_by=every(LLAMA, "user-threshold"),
        eligible=("llama-3.1-8b",),
        detailed=("llama-3.1-8b",),
        pick_properties=(gate_flagged(), fits_4bit(8, scope="eligible")),
    ),
    Scenario(
        id="hindi-thai-users-not-sure",
        team="A travel-booking assistant answering in Hindi and Thai, unsure how many users it will reach.",
        answers={"languages": ["hi", "th"], "users": "not-sure"},
        verdict=kinds("open", "closed"),
        # The Llama licences document both languages; their 700M MAU gate is a check, not an exclusion.
        not_excluded_by=every(LLAMA, "user-threshold"),
        eligible=LLAMA,
        detailed=LLAMA,
        pick_properties=(gate_flagged(),),
    ),
    Scenario(
        id="laptop-app",
        team="A note-taking desktop app that runs the model on users' laptops (16 to 32 GB).",
        answers={"deployment": "on-device", "hardware": "laptop", "data_sensitivity": "confidential"},
        verdict=kinds("open"),
        forced=True,
        excluded={
            "llama-3.3-70b": "no-on-device",
            "deepseek-r1": "no-on-device",
            "claude-opus-5.5": "api-only",
            "gpt-6.2-astra": "api-only",
        },
        # Mistral Small 3.1 (24B) and Qwen3 30B-A3B fit a 32 GB laptop only at 4-bit.
        eligible=("mistral-small-3.1", "qwen3-30b-a3b", "phi-4"),
        pick_properties=(fits_4bit(32, scope="eligible"), route_kind("device", scope="eligible")),
    ),
    Scenario(
        id="air-gapped-laptop-newsroom",
        team="An investigative newsroom that analyses leaked documents on an air-gapped laptop (16 to 32 GB).",
        answers={
            "deployment": "air-gapped",
            "hardware": "laptop",
            "data_sensitivity": "confidential",
            "use_case": "documents",
        },
        verdict=kinds("open"),
        forced=True,
        # Phi-3 mini (3.8B, about 3 GB at 4-bit) and Gemma 4 E4B are self-hostable and fit a laptop.
        excluded={"llama-3.3-70b": "too-large", "gpt-6.2-astra": "api-only"},
        eligible=("phi-3-mini", "gemma-4-e4b", "mistral-7b"),
        pick_properties=(fits_4bit(32, scope="eligible"), route_kind("self")),
    ),
    Scenario(
        id="on-device-1m-context",
        team="A legal-discovery laptop app that must read several books (1M tokens) on the device.",
        answers={"deployment": "on-device", "hardware": "laptop", "context": "1m", "use_case": "documents"},
        # No on-device model in the reference has more than 262,144 tokens of context.
        verdict=kinds("none"),
        excluded={"qwen3-30b-a3b": "context", "llama-3.1-8b": "context", "gpt-6.2-astra": "api-only"},
    ),
    Scenario(
        id="offline-course-app-fully-open-1m",
        team="A course app on students' phones, offline, built on a fully open model, reading whole textbooks (1M).",
        answers={
            "deployment": "on-device",
            "hardware": "phone",
            "context": "1m",
            "transparency": "weights-code-data",
            "use_case": "teaching",
            "sector": "education",
            "commercial": "no",
        },
        # The fully open models (OLMo 2, Pythia, StarCoder2) are neither on-device nor long-context:
        # no single change admits a model, so the engine must offer pairs of changes.
        verdict=kinds("none"),
        excluded={"olmo-2-32b": "no-on-device", "pythia-12b": "context", "gemma-4-e4b": "inspect"},
    ),
    Scenario(
        id="lab-auditing-weights-code-data-32k",
        team="A research lab on its own 8-GPU node that must audit weights, code and training data, on 32K inputs.",
        answers={
            "use_case": "research",
            "deployment": "on-premises",
            "hardware": "node-8x80",
            "context": "32k",
            "transparency": "weights-code-data",
            "customisation": "fine-tune-required",
            "mlops": "strong",
            "commercial": "no",
        },
        # The fully open models read at most 16K tokens (OLMo 2: 4,096; Pythia: 2,048; StarCoder2:
        # 16,384), and the long-context open ones publish no training data.
        verdict=kinds("none"),
        excluded={"olmo-2-32b": "context", "pythia-12b": "context", "starcoder2-15b": "context"},
    ),
    Scenario(
        id="maas-over-240m-hosting",
        team="An inference provider with over USD 240M revenue that would host open models for others on its cluster.",
        answers={
            "deployment": "on-premises",
            "hardware": "cluster",
            "mlops": "strong",
            "revenue": "over-240m",
            "hosted_service": "yes",
            "volume": "high",
        },
        verdict=kinds("open"),
        forced=True,
        # Kimi K3 section 2: a MaaS group above USD 20M in 12 months needs a separate agreement.
        # Falcon 180B TII License: hosting use needs a separate licence.
        excluded={"kimi-k3": ("revenue-threshold", "Model-as-a-Service"), "falcon-180b": "hosting-barred"},
        eligible=("kimi-k2", "deepseek-v4-pro"),
    ),
    Scenario(
        id="large-enterprise-internal-cluster",
        team="A large enterprise (over USD 240M) running open models only for its own staff on its cluster.",
        answers={
            "deployment": "on-premises",
            "hardware": "cluster",
            "mlops": "strong",
            "revenue": "over-240m",
            "hosted_service": "no",
        },
        verdict=kinds("open"),
        forced=True,
        not_excluded_by={"kimi-k3": "revenue-threshold", "falcon-180b": "hosting-barred"},
        eligible=("kimi-k3", "falcon-180b"),
    ),
    Scenario(
        id="falcon-as-a-service",
        team="A small regional cloud that wants to offer Falcon 180B to its customers as an API.",
        answers={"deployment": "on-premises", "hardware": "node-8x80", "mlops": "strong", "hosted_service": "yes"},
        verdict=kinds("open"),
        forced=True,
        excluded={"falcon-180b": "hosting-barred"},
        # Under USD 20M revenue, the Kimi K3 MaaS gate does not bite (it is too large anyway).
        not_excluded_by={"kimi-k3": "revenue-threshold"},
    ),
    # -- Researchers and development teams -------------------------------------------------------
    Scenario(
        id="researchers-preset",
        team="The researchers preset (research, inspect weights, fine-tuning helps, strong ML-ops) on neutral answers.",
        preset="researchers",
        answers={},
        verdict=kinds("open"),
        forced=True,
        excluded=every(CLOSED, "inspect"),
        pick_properties=(publishes_weights(),),
    ),
    Scenario(
        id="bias-audit-inspect-weights",
        team="An AI-safety team that must inspect model weights for a bias audit.",
        answers={"use_case": "research", "transparency": "weights", "mlops": "strong", "data_sensitivity": "public"},
        verdict=kinds("open"),
        forced=True,
        excluded=every(CLOSED, "inspect"),
        pick_properties=(publishes_weights(scope="start"), publishes_weights()),
    ),
    Scenario(
        id="reproduce-training",
        team="A university lab that must inspect weights, training code and training data, on one 80 GB GPU.",
        answers={
            "use_case": "research",
            "transparency": "weights-code-data",
            "deployment": "on-premises",
            "hardware": "gpu-80",
            "mlops": "strong",
            "commercial": "no",
        },
        verdict=kinds("open"),
        forced=True,
        excluded={
            "nemotron-nano-9b-v2": "inspect",  # training code published, data not
            "bloom-176b": "inspect",
            "llama-3.3-70b": "inspect",
            "gpt-oss-120b": "inspect",
            **every(CLOSED_CURRENT, "inspect"),
        },
        eligible=("olmo-2-32b", "pythia-12b", "starcoder2-15b"),
        pick_properties=(fully_open(),),
    ),
    Scenario(
        id="distillation-lab",
        team="A distillation lab training small models on a large model's outputs; quality is critical.",
        answers={
            "use_case": "research",
            "quality": "critical",
            "train_on_outputs": "yes",
            "mlops": "strong",
            "commercial": "yes",
        },
        verdict=kinds("open"),
        forced=True,
        excluded={
            **every(OPENAI + ANTHROPIC + GOOGLE, "outputs-training"),
            "amazon-nova-pro": "outputs-training",
            "grok-2": "outputs-training",
        },
        eligible=("deepseek-r1",),  # MIT: DeepSeek states R1 explicitly allows distillation
        pick_properties=(capability_at_least(8), not_below_bar()),
    ),
    Scenario(
        id="non-commercial-benchmark",
        team="A non-profit research group benchmarking models for a paper, with no commercial use.",
        answers={"use_case": "research", "commercial": "no", "transparency": "medium", "mlops": "strong"},
        verdict=kinds("open"),
        not_excluded_by=every(NON_COMMERCIAL, "non-commercial"),
        eligible=("command-a", "mistral-large-2", "codestral-22b"),
    ),
    # -- Enterprise IT in regulated sectors ------------------------------------------------------
    Scenario(
        id="enterprise-it-preset",
        team="The enterprise-IT preset (regulated data, own cloud, no hardware, no ML-ops) on neutral answers.",
        preset="enterprise-it",
        answers={},
        verdict=kinds("closed"),
        pick_properties=(on_marketplace(), on_marketplace(scope="ranking")),
    ),
    Scenario(
        id="bank-own-cloud",
        team="A bank's IT department: document search on regulated data, only in its own cloud account, no servers.",
        preset="enterprise-it",
        answers={"sector": "finance", "use_case": "documents"},
        verdict=kinds("closed"),
        excluded={
            "mistral-7b": "no-hardware",
            "olmo-2-32b": "no-hardware",
            "glm-4.5": "no-hardware",
            "gpt-5": "shutting-down",
        },
        pick_properties=(closed_side(), on_marketplace(), on_marketplace(scope="ranking"), not_shutting_down()),
    ),
    Scenario(
        id="telehealth-medical-advice",
        team="A telehealth startup whose assistant gives medical advice, reviewed by licensed doctors.",
        answers={
            "restricted_uses": ["medical-advice"],
            "sector": "healthcare",
            "data_sensitivity": "regulated",
            "mlops": "none",
        },
        verdict=kinds("closed"),
        excluded={
            "bloom-176b": "forbidden-use",  # BigScience RAIL: no medical advice
            "gemini-3.1-pro": "forbidden-use",  # Gemini API terms: no clinical practice or medical advice
            "gemini-3.8-flash": "forbidden-use",
        },
        not_excluded_by={"gpt-6.2-astra": "forbidden-use", "claude-opus-5.5": "forbidden-use"},
        pick_properties=(closed_side(), conditional_use_as_obligation("medical-advice")),
    ),
    Scenario(
        id="hospital-whole-record-medical",
        team="A hospital assistant reading a patient's whole record (1M tokens) and giving medical advice to doctors.",
        answers={
            "restricted_uses": ["medical-advice"],
            "sector": "healthcare",
            "data_sensitivity": "regulated",
            "context": "1m",
            "mlops": "none",
        },
        verdict=kinds("closed"),
        excluded={"gemini-3.1-pro": "forbidden-use", "bloom-176b": "forbidden-use", "gpt-4.1": "shutting-down"},
        # OpenAI's usage policy allows medical advice with a licensed professional involved.
        not_excluded_by={"gpt-6.2-astra": "forbidden-use", "gpt-6.2-sol": "forbidden-use"},
        detailed=("gpt-6.2-astra", "gpt-6.2-sol"),
        pick_properties=(
            openai_needs_licensed_professional(),
            conditional_use_as_obligation("medical-advice"),
            Prop("holds 1M tokens", lambda facts, entry: facts["context_window"] >= 1_000_000),
        ),
    ),
    Scenario(
        id="paris-insurer-images",
        team="A Paris insurer's claims team reading photos of damage (EU-headquartered, image input).",
        answers={"jurisdiction": "EU", "modalities": ["text", "image"], "sector": "finance", "use_case": "extraction"},
        verdict=kinds("closed"),
        # Llama 4 AUP: no licence for its multimodal models to EU-headquartered companies.
        excluded={"llama-4-scout": "jurisdiction", "llama-4-maverick": "jurisdiction", "llama-3.3-70b": "modality"},
        # The carve-out is for multimodal models only: text-only Llama 3.3 keeps its EU grant.
        not_excluded_by={"llama-3.3-70b": "jurisdiction"},
        eligible=("gemma-3-27b", "mistral-small-3.1"),
        pick_properties=(accepts("image"),),
    ),
    Scenario(
        id="air-gapped-government",
        team="A government agency on an air-gapped network with one server of 8 GPUs (80 GB each) and ML-ops staff.",
        answers={
            "deployment": "air-gapped",
            "hardware": "node-8x80",
            "sector": "public",
            "data_sensitivity": "regulated",
            "mlops": "strong",
        },
        verdict=kinds("open"),
        forced=True,
        excluded=every(CLOSED_CURRENT, "api-only"),
        pick_properties=(route_kind("self"), publishes_weights(), fits_4bit(640)),
    ),
    Scenario(
        id="defence-contractor",
        team="A defence contractor building an analysis tool for military planning, on its own servers.",
        answers={
            "restricted_uses": ["military"],
            "sector": "public",
            "deployment": "on-premises",
            "hardware": "node-8x80",
            "mlops": "strong",
        },
        verdict=kinds("open"),
        forced=True,
        excluded={
            **every(LLAMA, "forbidden-use"),
            "deepseek-v3": "forbidden-use",  # DeepSeek model licence, Attachment A: no military use
        },
        eligible=("deepseek-v3-0324",),  # the same weights family under MIT
    ),
    Scenario(
        id="social-network-over-700m",
        team="A social network with over 700 million monthly users adding an assistant.",
        answers={"users": "over-700m", "revenue": "over-240m", "mlops": "strong", "volume": "high"},
        verdict=kinds("open", "closed"),
        excluded={**every(LLAMA, "user-threshold"), "qwen2.5-72b": "user-threshold"},
        # Kimi K2's 100M MAU clause is a display duty, not a permission gate.
        eligible=("kimi-k2",),
        not_excluded_by={"kimi-k2": "user-threshold"},
    ),
    # -- Startups / product teams on APIs --------------------------------------------------------
    Scenario(
        id="call-centre-audio",
        team="A call-centre analytics team with no ML-ops that sends recorded calls (audio) to a cloud API.",
        answers={"modalities": ["text", "audio"], "mlops": "none", "use_case": "extraction"},
        verdict=kinds("closed"),
        excluded={
            "gemini-2.5-pro": "retired",  # shut down 2026-12-01
            "gemini-2.5-flash": "retired",
            "gemini-2.0-flash": "retired",
            "gpt-6.2-astra": "modality",
            "claude-opus-5.5": "modality",
        },
        eligible=("gemini-3.1-pro", "gemini-3.8-flash"),
        pick_properties=(accepts("audio"), not_shutting_down()),
    ),
    Scenario(
        id="korean-support",
        team="A Seoul retailer's customer-support chatbot that must answer in Korean.",
        answers={"languages": ["ko"], "jurisdiction": "KR"},
        verdict=kinds("open", "closed"),
        excluded={
            # Complete documented lists without Korean.
            "llama-3.1-8b": "language",
            "llama-4-scout": "language",
            "mixtral-8x7b": "language",
            "deepseek-r1": "language",
        },
        not_excluded_by={"llama-4-scout": "jurisdiction"},  # the Llama 4 carve-out is for the EU only
        pick_properties=(documents("ko"), language_caveat("ko")),
    ),
    Scenario(
        id="legal-fine-tune-months",
        team="A legal-tech company that must fine-tune on its own contracts and ship within a few months.",
        answers={
            "customisation": "fine-tune-required",
            "time_to_market": "months",
            "sector": "legal",
            "use_case": "documents",
            "mlops": "strong",
        },
        verdict=kinds("open"),
        excluded={
            # OpenAI self-serve fine-tuning takes no new jobs from 2027-01-06, before a launch in months.
            **every(OPENAI, "no-fine-tuning"),
            "gpt-4o": ("no-fine-tuning", "2027-01-06"),
            "gpt-4.1": ("no-fine-tuning", "2027-01-06"),
            "claude-opus-5.5": "no-fine-tuning",
            "gemini-3.1-pro": "no-fine-tuning",
        },
        eligible=("amazon-nova-pro", "mistral-small-3.1"),  # Bedrock tuning; open weights
        pick_properties=(Prop("can be fine-tuned", lambda facts, entry: bool(facts["fine_tuning"]), "picks"),),
    ),
    Scenario(
        id="commercial-writing-saas",
        team="A SaaS company selling an AI writing assistant.",
        answers={"use_case": "content", "commercial": "yes"},
        verdict=kinds("open", "closed"),
        excluded=every(NON_COMMERCIAL, "non-commercial"),
        pick_properties=(licence_allows_commercial(),),
    ),
    Scenario(
        id="new-project-december-2026",
        team="A product team starting a new project on a cloud API in December 2026.",
        answers={"time_to_market": "months"},
        verdict=kinds("open", "closed"),
        excluded={
            **every(RETIRED, "retired"),
            "gpt-5": ("shutting-down", "December 11, 2026"),
            "o3": ("shutting-down", "December 11, 2026"),
            "gpt-4o": ("shutting-down", "January 14, 2027"),
            "gpt-4.1": ("shutting-down", "January 14, 2027"),
        },
        pick_properties=(not_shutting_down(), not_shutting_down(scope="picks")),
    ),
    # -- Educators -----------------------------------------------------------------------------
    Scenario(
        id="educators-preset",
        team="The educators preset (teaching how models work, inspect weights) on neutral answers.",
        preset="educators",
        answers={},
        verdict=kinds("open"),
        forced=True,
        excluded=every(CLOSED_CURRENT, "inspect"),
        pick_properties=(publishes_weights(),),
    ),
    Scenario(
        id="educator-demo-chatbot",
        team="A teacher building a simple chatbot for a class presentation, with no one to run models.",
        preset="educators",
        answers={"use_case": "assistant", "transparency": "low", "mlops": "none", "time_to_market": "weeks"},
        verdict=kinds("closed"),
        pick_properties=(closed_side(),),
    ),
]

assert len({s.id for s in SCENARIOS}) == len(SCENARIOS) >= 22


# -- Fixtures and helpers -----------------------------------------------------------------------


@pytest.fixture(scope="module")
def seed(django_db_setup, django_db_blocker):
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("loaddata", "catalogue.json", "presets.json", verbosity=0)
        snapshot = catalogue_snapshot()
        presets = {p.slug: p.answers for p in AudiencePreset.objects.all()}
        transaction.set_rollback(True)
    facts = {entry["slug"]: entry for entry in snapshot["models"]}
    return engine.prepare(snapshot, today=TODAY), presets, facts


@pytest.fixture(scope="module")
def results(seed):
    prepared, presets, _facts = seed
    cache = {}

    def get(scenario):
        if scenario.id not in cache:
            answers = scenario.build(presets)
            cache[scenario.id] = answers, engine.recommend(answers, prepared).as_json()
        return cache[scenario.id]

    return get


def eligible_slugs(result):
    return (
        {e["slug"] for e in result["ranking"]}
        | {e["slug"] for e in result["also_eligible"]}
        | {e["slug"] for e in result["below_bar"]}
    )


def rerun(prepared, answers, changes):
    changed = dict(answers)
    for change in changes:
        changed[change["question"]] = change["answer"]
    return engine.recommend(changed, prepared, what_if=False).as_json()


def params(scenarios, *, xfail=True):
    return [
        pytest.param(s, id=s.id, marks=pytest.mark.xfail(strict=True, reason=s.xfail) if xfail and s.xfail else ())
        for s in scenarios
    ]


# -- Tests ------------------------------------------------------------------------------------


def test_seed_rows_do_not_leak(seed):
    prepared, presets, facts = seed
    assert prepared.size == len(facts) == 65
    assert set(presets) == {"researchers", "enterprise-it", "startups", "educators"}
    assert not AIModel.objects.exists()
    assert not AudiencePreset.objects.exists()


@pytest.mark.parametrize("scenario", params(SCENARIOS))
def test_scenario(scenario, seed, results):
    prepared, _presets, facts = seed
    answers, result = results(scenario)
    verdict = result["verdict"]
    assert verdict["kind"] in scenario.verdict, (verdict["kind"], render(verdict["headline"]))
    if scenario.pattern:
        assert verdict["pattern"] == scenario.pattern
    if scenario.forced is True:
        assert verdict["forced"], "the verdict should say which constraint forced it"
        assert render(verdict["forced"])
    elif scenario.forced is False:
        assert not verdict["forced"]

    eligible = eligible_slugs(result)
    assert len(eligible) == result["counts"]["eligible"]
    excluded = {e["slug"]: e["reasons"] for e in result["excluded"]}
    assert not eligible & set(excluded)
    for slug, expected in scenario.excluded.items():
        rule, clause_text = expected if isinstance(expected, tuple) else (expected, "")
        assert slug in facts, f"{slug} is not in the seed catalogue"
        cited = [r for r in excluded.get(slug, ()) if r["rule"] == rule]
        assert cited, f"{slug} should be excluded by {rule!r}; reasons: {[r['rule'] for r in excluded.get(slug, ())]}"
        for reason in cited:
            assert reason["clause"].strip(), f"{slug}: the {rule!r} exclusion cites no clause"
            assert clause_text in reason["clause"], (slug, reason["clause"])
            assert render(reason["message"]).strip()
    # A model is never "too large" for hardware its 4-bit weights fit (the message says both numbers).
    for slug, reasons in excluded.items():
        for reason in reasons:
            if reason["rule"] == "too-large" and "gb_4" in reason["message"]["params"]:
                need, have = (int(reason["message"]["params"][k].replace(",", "")) for k in ("gb_4", "budget"))
                assert need > have, f"{slug}: {render(reason['message'])}"
    for slug, rule in scenario.not_excluded_by.items():
        assert rule not in {r["rule"] for r in excluded.get(slug, ())}, f"{slug} should not be excluded by {rule!r}"
    for slug in scenario.eligible:
        assert slug in eligible, f"{slug} should be eligible; reasons: {excluded.get(slug)}"
    detailed = {e["slug"]: e for e in result["ranking"]}
    for slug in scenario.detailed:
        assert slug in detailed, f"{slug} should be in the detailed ranking"

    picks = result["picks"]
    if verdict["kind"] == "none":
        assert not picks and not result["ranking"] and not eligible
        # Every change offered to admit models does admit them, checked through recommend().
        assert result["admit"], "no change is offered to admit models"
        for admit in result["admit"]:
            again = rerun(prepared, answers, admit["changes"])
            assert again["counts"]["eligible"] == admit["count"] > 0, admit["message"]
            assert set(admit["models"]) <= eligible_slugs(again)
            count = admit["count"]
            said = "one model would fit" if count == 1 else f"{count} models would fit"
            assert said in render(admit["message"]), render(admit["message"])
        return
    assert picks, "a verdict with eligible models names a pick"
    assert all(p["slug"] in detailed for p in picks)
    for prop in scenario.pick_properties:
        if prop.scope == "start":
            targets = [(picks[0]["slug"], detailed[picks[0]["slug"]])]
        elif prop.scope == "picks":
            targets = [(p["slug"], detailed[p["slug"]]) for p in picks]
        elif prop.scope == "ranking":
            targets = list(detailed.items())
        elif prop.scope == "eligible":
            targets = [(slug, detailed.get(slug)) for slug in sorted(eligible)]
        else:  # a pick role
            targets = [(p["slug"], detailed[p["slug"]]) for p in picks if p["role"] == prop.scope]
            assert targets, f"no {prop.scope!r} pick"
        failing = [slug for slug, entry in targets if not prop.check(facts[slug], entry)]
        assert not failing, f"{prop.scope}: not {prop.label}: {failing}"


@pytest.mark.parametrize("scenario", params(SCENARIOS, xfail=False))
def test_what_would_change_never_empties_the_catalogue(scenario, seed, results):
    """Each offered change, re-run through recommend(), leaves models eligible and gives the verdict it promised."""
    prepared, _presets, _facts = seed
    answers, result = results(scenario)
    for change in result["verdict"]["what_would_change"]:
        again = rerun(prepared, answers, [change])
        assert again["counts"]["eligible"] > 0, render(change["message"])
        assert again["verdict"]["kind"] == change["verdict"] != "none", render(change["message"])
    for change in result["top_pick_change"]:
        again = rerun(prepared, answers, [change])
        assert again["counts"]["eligible"] > 0, render(change["message"])
        assert again["picks"][0]["slug"] == change["slug"], render(change["message"])
