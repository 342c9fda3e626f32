"""What a pick would cost a month, from list prices and the GPU prices editors keep.

The rules, stated once (the result shows them with each figure):

- Volume: the answer to "How much will you send to the model?" stands for a number of tokens a
  month (``TOKENS_PER_MONTH``), input and output together, three input tokens for every output
  token.
- Through an API (the vendor's, or a hosted provider's for open weights): the list price per
  million input and output tokens times that volume. No list price recorded: no estimate.
- On your own hardware: the GPUs the model needs at the precision that fits (its memory need
  divided by the memory of one GPU of the kind the team has, rounded up) times the cheapest
  hourly price editors recorded for such a GPU, for every hour of a month (one copy of the
  model, always on; more traffic needs more copies, which is not estimated). No GPU price
  recorded for that size: no estimate. The ML-ops work is a duty of its own, not priced.
- On users' devices: no serving cost to you.
"""

import math

from advisor.engine.text import gettext_noop as _
from advisor.engine.text import msg

TOKENS_PER_MONTH = {"low": 5_000_000, "medium": 100_000_000, "high": 2_000_000_000}
INPUT_SHARE = 0.75  # three input tokens for every output token
HOURS_PER_MONTH = 730
# Memory of one GPU for each answer to "What can you run models on?" that names GPUs.
GPU_GB = {"gpu-24": 24, "gpu-48": 48, "gpu-80": 80, "node-8x80": 80, "cluster": 80}

API_COST = _("About %(amount)s a month at %(tokens)s tokens, from the list price of %(price)s per million tokens.")
NO_LIST_PRICE = _("No list price is recorded, so there is no estimate.")
SELF_COST = _(
    "About %(amount)s a month: %(gpus)s x %(gpu)s at %(hourly)s an hour (as of %(as_of)s), always on; "
    "plus the ML-ops work your team carries."
)
NO_GPU_PRICE = _("No price is recorded for GPUs with %(gb)s GB, so there is no estimate for running it yourself.")
SIZE_UNKNOWN = _("Its size is not published, so the GPUs it needs and their cost are unknown.")
DEVICE_COST = _("Runs on your users' devices: no serving cost to you.")


def blended_price(price_input, price_output):
    """USD per million tokens at three input tokens per output token, or None."""
    if price_input is None or price_output is None:
        return None
    return INPUT_SHARE * price_input + (1 - INPUT_SHARE) * price_output


def money(amount):
    if amount >= 100:
        return f"${amount:,.0f}"
    return f"${amount:,.2f}"


def tokens_words(tokens):
    if tokens >= 1_000_000_000:
        return f"{tokens / 1_000_000_000:g} billion"
    return f"{tokens / 1_000_000:g} million"


def cheapest_gpu(gpu_prices, memory_gb):
    fitting = [price for price in gpu_prices if price.get("memory_gb") == memory_gb]
    return min(fitting, key=lambda price: price["hourly_usd"]) if fitting else None


def monthly_cost(facts, route, answers, gpu_prices):
    """{"monthly_usd": float or None, "per_mtok": float or None, "message": msg} for a pick's route."""
    tokens = TOKENS_PER_MONTH[answers["volume"]]
    if route is None:
        return None
    if route.kind in ("api", "hosted"):
        price = blended_price(facts.price_input, facts.price_output)
        if price is None:
            return {"monthly_usd": None, "per_mtok": None, "message": msg(NO_LIST_PRICE)}
        amount = price * tokens / 1_000_000
        return {
            "monthly_usd": round(amount, 2),
            "per_mtok": round(price, 4),
            "message": msg(API_COST, amount=money(amount), tokens=tokens_words(tokens), price=money(price)),
        }
    if route.kind == "device":
        return {"monthly_usd": 0.0, "per_mtok": None, "message": msg(DEVICE_COST)}
    memory = facts.memory
    if memory is None:
        return {"monthly_usd": None, "per_mtok": None, "message": msg(SIZE_UNKNOWN)}
    gpu_gb = GPU_GB.get(answers["hardware"], 80)
    gpu = cheapest_gpu(gpu_prices, gpu_gb)
    if gpu is None:
        return {"monthly_usd": None, "per_mtok": None, "message": msg(NO_GPU_PRICE, gb=gpu_gb)}
    needed = memory.gb_16bit if route.precision == "16-bit" else memory.gb_4bit
    gpus = max(1, math.ceil(needed / gpu_gb))
    amount = gpus * gpu["hourly_usd"] * HOURS_PER_MONTH
    return {
        "monthly_usd": round(amount, 2),
        "per_mtok": None,
        "gpus": gpus,
        "gpu": gpu["name"],
        "hourly_usd": gpu["hourly_usd"],
        "source": gpu.get("source") or "",
        "as_of": gpu.get("as_of") or "",
        "message": msg(
            SELF_COST,
            amount=money(amount),
            gpus=gpus,
            gpu=gpu["name"],
            hourly=money(gpu["hourly_usd"]),
            as_of=gpu.get("as_of") or "?",
        ),
    }
