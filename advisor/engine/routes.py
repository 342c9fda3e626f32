"""How a team would run each model, and the criteria that depend on it.

A route is one of:

- ``api``: a closed model through its vendor's API (or bought on a cloud marketplace, which
  runs in the team's own cloud account);
- ``hosted``: open weights through a hosted provider or a cloud marketplace;
- ``self``: open weights on the team's own GPUs or servers;
- ``device``: open weights on the users' phones or laptops.

``possible_routes()`` lists the routes the answers allow; ``chosen_route()`` picks the one the
team would take. Five criteria are then scored for that route (``route_values()``), so a model is
never praised for a hosted API the team cannot use, nor scored as if it had one.
"""

from dataclasses import dataclass
from typing import NamedTuple

from advisor.engine import hardware
from advisor.engine.text import gettext_noop as _
from advisor.engine.text import msg

API, HOSTED, SELF, DEVICE = "api", "hosted", "self", "device"
SELF_RUN_DEPLOYMENTS = frozenset({"on-premises", "air-gapped"})
HOSTED_OPTIONS = frozenset({"managed-api", "cloud-marketplace"})
ROUTE_CRITERIA = ("cost-at-scale", "maintenance", "fast-development", "data-privacy", "security")


@dataclass(frozen=True, slots=True)
class Route:
    kind: str
    precision: str | None = None  # for self and device: "16-bit", "4-bit" or "unknown"

    @property
    def slot(self):
        """Index of this route's values in the prepared catalogue."""
        return ROUTE_SLOTS[self.kind, self.precision]


ROUTE_SLOTS = {
    (API, None): 0,
    (HOSTED, None): 1,
    (SELF, "16-bit"): 2,
    (SELF, "4-bit"): 3,
    (SELF, "unknown"): 4,
    (DEVICE, "16-bit"): 5,
    (DEVICE, "4-bit"): 6,
}
ALL_ROUTES = tuple(Route(kind, precision) for kind, precision in ROUTE_SLOTS)


def hosted_allowed(facts, deployment):
    """An open model through a hosted provider: any API, or a marketplace inside the team's own cloud."""
    if deployment == "any-api":
        return bool(facts.deployment & HOSTED_OPTIONS)
    if deployment == "own-cloud":
        return "cloud-marketplace" in facts.deployment
    return False


def possible_routes(facts, deployment, hardware_answer):
    """The routes the answers allow for this model (``chosen_route()`` picks one)."""
    if not facts.is_open:
        if deployment == "any-api" and facts.deployment & HOSTED_OPTIONS:
            return [Route(API)]
        if deployment == "own-cloud" and "cloud-marketplace" in facts.deployment:
            return [Route(API)]
        return []
    routes = []
    if hosted_allowed(facts, deployment):
        routes.append(Route(HOSTED))
    if deployment == "on-device":
        if "on-device" in facts.deployment and hardware_answer in hardware.DEVICES:
            precision = hardware.precision_that_fits(facts.memory, hardware_answer)
            if precision not in (None, "unknown"):  # on a device, an unknown size is never proposed
                routes.append(Route(DEVICE, precision))
    elif "self-host" in facts.deployment:
        precision = hardware.precision_that_fits(facts.memory, hardware_answer)
        if precision is not None:
            routes.append(Route(SELF, precision))
    return routes


def prefers_own_hardware(answers):
    """Whether a team that could use either would run an open model itself rather than through a host.

    It would when it has people to run models and a reason to: sensitive data, heavy volume, a fixed
    infrastructure budget, or a wish for independence.
    """
    return answers["mlops"] != "none" and (
        answers["data_sensitivity"] in ("confidential", "regulated")
        or answers["volume"] == "high"
        or answers["budget"] == "fixed"
        or answers["lock_in"] == "low"
    )


ROUTE_KEYS = ("deployment", "hardware", "mlops", "data_sensitivity", "volume", "budget", "lock_in")


def chosen_route(facts, answers):
    routes = possible_routes(facts, answers["deployment"], answers["hardware"])
    if not routes:
        return None
    if len(routes) == 1:
        return routes[0]
    own = [route for route in routes if route.kind in (SELF, DEVICE)]
    if own and prefers_own_hardware(answers):
        return own[0]
    return next(route for route in routes if route.kind == HOSTED)


# -- Criteria scored for the route ------------------------------------------------------------
# Each returns (value 0-10, rationale). The rationale names the route.


def _price_value(facts):
    """The stored API-price rule (advisor.scoring), blended as three input tokens per output token."""
    if facts.price_input is None or facts.price_output is None:
        return None
    blended = (3 * facts.price_input + facts.price_output) / 4
    for limit, value in ((0.5, 9), (1.5, 8), (3, 7), (5, 6), (10, 4), (20, 3)):
        if blended <= limit:
            return value
    return 2


def _memory_value(gb):
    for limit, value in ((24, 9), (80, 8), (160, 6), (640, 4), (1400, 3)):
        if gb <= limit:
            return value
    return 2


def _gb(facts, precision):
    memory = facts.memory
    return memory.gb_16bit if precision == "16-bit" else memory.gb_4bit


class RouteValue(NamedTuple):
    """A criterion's value on a route, and the rationale shown for it (a message)."""

    value: int
    rationale: dict


UNPRICED_VALUE = 5  # a hosted route with no list price recorded

# What each route-dependent criterion's value rests on, worded for where the model runs. The
# memory rows come in two forms: with the memory the route needs, or when it is not published.
HOSTED_RATIONALES = {
    "cost-at-scale": _("Through a hosted provider, priced from the list price recorded here."),
    "cost-at-scale-unpriced": _(
        "Through a hosted provider: no list price is recorded here, so it counts as %(value)s out of 10."
    ),
    "maintenance": _("Through a hosted provider: no servers of your own to run."),
    "fast-development": _("Through a hosted provider: an API on the first day."),
    "fast-development-tuning": _("Through a hosted provider: an API on the first day, with fine-tuning options."),
    "data-privacy": _(
        "Through a hosted provider: prompts go to that provider, whose data terms are not recorded here."
    ),
    "security": _("Through a hosted provider: the provider sets much of the security posture."),
}
MARKETPLACE_RATIONALES = {
    "cost-at-scale": _("From a cloud marketplace in your own account, priced from the list price recorded here."),
    "cost-at-scale-unpriced": _(
        "From a cloud marketplace in your own account: no list price is recorded here, so it counts as "
        "%(value)s out of 10."
    ),
    "maintenance": _("From a cloud marketplace in your own account: no servers of your own to run."),
    "fast-development": _("From a cloud marketplace in your own account: an API on the first day."),
    "fast-development-tuning": _(
        "From a cloud marketplace in your own account: an API on the first day, with fine-tuning options."
    ),
    "data-privacy": _(
        "In your own cloud account, under your cloud provider's terms for the marketplace listing, which are not "
        "recorded here."
    ),
    "security": _(
        "From a cloud marketplace in your own account: your cloud provider sets much of the security posture."
    ),
}
SELF_RATIONALES = {
    "cost-at-scale": _(
        "Runs on your own hardware, needing about %(gb)s GB at %(precision)s: the hardware is the cost, busy or idle."
    ),
    "cost-at-scale-unknown": _(
        "Runs on your own hardware, needing an unpublished amount of memory: the hardware is the cost, busy or idle."
    ),
    "maintenance": _(
        "Runs on your own hardware, needing about %(gb)s GB at %(precision)s: your team serves, scales and patches it."
    ),
    "maintenance-unknown": _(
        "Runs on your own hardware, needing an unpublished amount of memory: your team serves, scales and patches it."
    ),
    "fast-development": _("Runs on your own hardware: setting up serving takes weeks."),
    "fast-development-tuning": _(
        "Runs on your own hardware: setting up serving takes weeks, but you can tune it freely."
    ),
    "data-privacy": _("Runs on your own hardware: prompts stay with you."),
}
DEVICE_RATIONALES = {
    "cost-at-scale": _("Runs on your users' devices (about %(gb)s GB at %(precision)s): no serving cost per request."),
    "cost-at-scale-unknown": _(
        "Runs on your users' devices (an unpublished amount of memory): no serving cost per request."
    ),
    "maintenance": _(
        "Runs on your users' devices (about %(gb)s GB at %(precision)s): no servers, but you ship and update the "
        "model in your app."
    ),
    "maintenance-unknown": _(
        "Runs on your users' devices (an unpublished amount of memory): no servers, but you ship and update the "
        "model in your app."
    ),
    "fast-development": _("Runs on your users' devices: packaging a model for devices takes time."),
    "data-privacy": _("Runs on your users' devices: prompts never leave the device."),
}


def route_values(facts, route, *, own_cloud=False):
    """{criterion: RouteValue} for the route-dependent criteria; editor overrides win.

    ``own_cloud`` (``in_own_cloud()``) words the hosted route as a cloud marketplace deployment
    in the team's own account: the same values, said for where the model runs.
    """
    values = {slug: RouteValue(*pair) for slug, pair in _route_values(facts, route, own_cloud).items()}
    for slug in facts.overridden & set(values):
        values[slug] = RouteValue(facts.values[slug], facts.rationales[slug])
    return values


def _route_values(facts, route, own_cloud=False):
    tuning = bool(facts.fine_tuning)
    fast = "fast-development-tuning" if tuning else "fast-development"
    if route.kind == API:
        return {slug: (facts.values[slug], facts.rationales[slug]) for slug in ROUTE_CRITERIA}
    if route.kind == HOSTED:
        said = MARKETPLACE_RATIONALES if own_cloud else HOSTED_RATIONALES
        price = _price_value(facts)
        return {
            "cost-at-scale": (price, msg(said["cost-at-scale"]))
            if price is not None
            else (UNPRICED_VALUE, msg(said["cost-at-scale-unpriced"], value=UNPRICED_VALUE)),
            "maintenance": (7, msg(said["maintenance"])),
            "fast-development": (7 + tuning, msg(said[fast])),
            "data-privacy": (5, msg(said["data-privacy"])),
            "security": (4, msg(said["security"])),
        }
    if route.precision == "unknown" or facts.memory is None:
        memory, memory_value, maintenance = {}, 5, 4
    else:
        gb = _gb(facts, route.precision)
        memory = {"gb": f"{gb:,}", "precision": route.precision}
        memory_value = _memory_value(gb)
        maintenance = 6 if gb <= 24 else 5 if gb <= 80 else 3 if gb <= 640 else 2

    def memory_msg(said, key):
        return msg(said[key], **memory) if memory else msg(said[f"{key}-unknown"])

    if route.kind == DEVICE:
        said = DEVICE_RATIONALES
        return {
            "cost-at-scale": (10, memory_msg(said, "cost-at-scale")),
            "maintenance": (6, memory_msg(said, "maintenance")),
            "fast-development": (4 + tuning, msg(said["fast-development"])),
            "data-privacy": (10, msg(said["data-privacy"])),
            "security": (facts.values["security"], facts.rationales["security"]),
        }
    said = SELF_RATIONALES
    return {
        "cost-at-scale": (memory_value, memory_msg(said, "cost-at-scale")),
        "maintenance": (maintenance, memory_msg(said, "maintenance")),
        "fast-development": (4 + tuning, msg(said[fast])),
        "data-privacy": (10, msg(said["data-privacy"])),
        "security": (facts.values["security"], facts.rationales["security"]),
    }


ROUTE_LABELS = {
    API: _("Through the %(provider)s API"),
    HOSTED: _("Open weights through a hosted provider"),
    SELF: _("On your own hardware"),
    DEVICE: _("On your users' devices"),
}
# Open weights when the answers keep the model in the team's own cloud account: the hosted route
# is then a cloud marketplace deployment there, never a third party's API (hosted_allowed()).
MARKETPLACE_LABEL = _("Open weights from a cloud marketplace, in your own cloud account")
API_MARKETPLACE_LABEL = _("Through %(provider)s on a cloud marketplace, in your own cloud account")


def in_own_cloud(route, deployment):
    """Whether ``route`` runs in the team's own cloud account: a marketplace deployment under "own-cloud".

    Under "own-cloud" a closed model is reached only through a cloud marketplace, and open weights
    only from one (``possible_routes()``, ``hosted_allowed()``).
    """
    return route.kind in (API, HOSTED) and deployment == "own-cloud"


ROUTE_FIT = {
    "16-bit": _(
        "needs about %(gb_16)s GB to run at 16-bit (%(gb_4)s GB at 4-bit), its weights plus %(overhead)s %% for "
        "the cache and runtime; fits your hardware at 16-bit"
    ),
    "4-bit": _(
        "needs about %(gb_16)s GB to run at 16-bit (its weights plus %(overhead)s %% for the cache and runtime), "
        "more than your hardware holds; fits only quantised to 4-bit (about %(gb_4)s GB), which costs some quality"
    ),
    "unknown": _("its size is not published, so check that it fits your hardware"),
}
