"""What a model needs to run, and what the team can run it on.

The rule, stated once (the criteria page shows it): a model's memory need is its total
parameters (all experts for a mixture-of-experts model) times the bytes per parameter, plus 20 %
for the KV cache and the runtime. At 16-bit that is 2 bytes per parameter, at 4-bit half a byte:
a 70B model needs about 168 GB at 16-bit and 42 GB at 4-bit.

Total parameters come from the published ``parameters`` text ("70B", "MoE 400B total / 17B
active"); when the text gives no plain total (for example "4B effective"), from the memory the
16-bit weights take (``min_gpu_memory_gb``, 2 bytes per parameter). Neither known: unknown.
"""

import math
import re
from dataclasses import dataclass

OVERHEAD = 1.2  # + 20 % for the KV cache and the runtime
OVERHEAD_PERCENT = round((OVERHEAD - 1) * 100)  # as messages say it
BYTES_PER_PARAMETER = {"16-bit": 2.0, "4-bit": 0.5}

# Memory the team can run a model in, by the answer to "What can you run models on?".
# None means no fixed limit (a cluster); 0 means no hardware of its own.
BUDGET_GB = {
    "none": 0,
    "gpu-24": 24,
    "gpu-48": 48,
    "gpu-80": 80,
    "node-8x80": 640,
    "cluster": None,
    "phone": 8,
    "laptop": 32,
}
# The answers that mean one GPU, by its memory: a model run there runs on that GPU.
ONE_GPU = {answer: BUDGET_GB[answer] for answer in ("gpu-24", "gpu-48", "gpu-80")}
LAPTOP_SMALL_GB = 16  # laptops have 16 to 32 GB: above 16 GB only the larger ones fit it
DEVICES = frozenset({"phone", "laptop"})

_TOTAL = re.compile(r"(\d+(?:\.\d+)?)\s*([BT])\s+total", re.IGNORECASE)
_PLAIN = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([BT])\s*$", re.IGNORECASE)


def parameters_billion(text, fp16_gb):
    """Total parameters in billions, or None when neither the text nor the memory says."""
    match = _TOTAL.search(text or "") or _PLAIN.match(text or "")
    if match:
        number = float(match.group(1))
        return number * 1000 if match.group(2).upper() == "T" else number
    if fp16_gb:
        return fp16_gb / 2
    return None


@dataclass(frozen=True, slots=True)
class Memory:
    parameters_b: float
    gb_16bit: int
    gb_4bit: int


def memory_of(parameters_b):
    if parameters_b is None:
        return None
    return Memory(
        parameters_b=parameters_b,
        gb_16bit=math.ceil(parameters_b * BYTES_PER_PARAMETER["16-bit"] * OVERHEAD),
        gb_4bit=math.ceil(parameters_b * BYTES_PER_PARAMETER["4-bit"] * OVERHEAD),
    )


def precision_that_fits(memory, hardware):
    """'16-bit', '4-bit' (fits only when quantised), None (does not fit) or 'unknown' (size not published)."""
    budget = BUDGET_GB[hardware]
    if budget == 0:
        return None
    if memory is None:
        return "unknown"
    if budget is None or memory.gb_16bit <= budget:
        return "16-bit"
    if memory.gb_4bit <= budget:
        return "4-bit"
    return None


def gpus_needed(gb):
    """80 GB GPUs the weights need (at least one)."""
    return max(1, math.ceil(gb / 80))
