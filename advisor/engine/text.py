"""Messages the engine returns, translated by the caller at display time.

Every user-facing text leaves the engine as ``{"msgid": "...%(name)s...", "params": {...}}``.
``gettext_noop`` marks the msgids so ``makemessages`` extracts them; the caller renders
``gettext(msgid) % params``. Params are plain strings and numbers.
"""

import datetime
from decimal import ROUND_HALF_UP, Decimal


def gettext_noop(message):
    """Mark a msgid for extraction; the caller translates it when rendering."""
    return message


def msg(msgid, **params):
    return {"msgid": msgid, "params": params}


def one_decimal(score):
    """A score as every page shows it: kept to two decimals, then one, rounded half up (81.95 -> 82.0)."""
    return float(Decimal(str(round(score, 2))).quantize(Decimal("0.1"), ROUND_HALF_UP))


def join(words):
    """['a', 'b', 'c'] -> 'a, b and c' (English, for message params)."""
    words = list(words)
    if len(words) <= 1:
        return "".join(words)
    return ", ".join(words[:-1]) + " and " + words[-1]


def count_words(number):
    """700000000 -> '700 million' (English, for message params)."""
    for size, word in ((1_000_000_000, "billion"), (1_000_000, "million")):
        if number >= size and number % (size // 10) == 0:
            return f"{number / size:g} {word}"
    return f"{number:,}"


def month_or_day(iso):
    """'2026-12-11' -> 'December 11, 2026'; '2026-04' -> 'April 2026' (English, for message params)."""
    if not iso:
        return ""
    if len(iso) == 7:
        return datetime.date.fromisoformat(iso + "-01").strftime("%B %Y")
    return datetime.date.fromisoformat(iso).strftime("%B %-d, %Y")
