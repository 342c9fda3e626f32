"""Shutdown dates are dates: one rule for the engine and the catalogue pages.

``today`` is always passed in. A model whose shutdown date has passed (or that its vendor marks
retired) is retired; one shutting down within ``NEW_PROJECT_DAYS`` (180) of today is not for a
new project; within ``CAVEAT_DAYS`` (365) it carries a caveat; a shutdown further away is
"deprecated". Published open weights do not retire: they have no lifecycle, so they are active.
"""

import datetime

NEW_PROJECT_DAYS = 180
CAVEAT_DAYS = 365

RETIRED = "retired"
SHUTTING_DOWN = "shutting-down"  # within 180 days: excluded for a new project
SHUTDOWN_SOON = "shutdown-soon"  # within a year: a caveat
DEPRECATED = "deprecated"  # shutdown announced, further away
ACTIVE = "active"


def as_date(value):
    if value is None or isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        return None


def lifecycle_status(shutdown_date, status: str | None, today: datetime.date) -> str:
    """The state of a model on ``today``, from its vendor status and shutdown date."""
    shutdown_date = as_date(shutdown_date)
    if status == RETIRED or (shutdown_date is not None and shutdown_date <= today):
        return RETIRED
    if shutdown_date is None:
        return DEPRECATED if status == DEPRECATED else ACTIVE
    days = (shutdown_date - today).days
    if days <= NEW_PROJECT_DAYS:
        return SHUTTING_DOWN
    if days <= CAVEAT_DAYS:
        return SHUTDOWN_SOON
    return DEPRECATED


# When the team would ship, by its answer to "How soon must it work?".
SHIP_AFTER_DAYS = {"weeks": 60, "months": 180, "no-rush": 365}


def ship_date(time_to_market, today):
    return today + datetime.timedelta(days=SHIP_AFTER_DAYS[time_to_market])
