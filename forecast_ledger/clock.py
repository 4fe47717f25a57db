"""The one module that reads the system clock.

Everything else receives "today" (a date) or "now" (a timestamp) as a parameter, so that every
report can be reproduced as of any date and every test pins it.
"""

from __future__ import annotations

import datetime as dt


def system_today() -> dt.date:
    return dt.date.today()


def system_now() -> str:
    """The current UTC time as an ISO-8601 string with seconds, for event timestamps."""
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()
