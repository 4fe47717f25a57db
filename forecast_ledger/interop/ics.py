"""Deadlines as a calendar (RFC 5545, through the ``icalendar`` library).

One all-day event per unresolved prediction, on its deadline, with a reminder a week
before. Each event's UID comes from the prediction's uid, so a calendar that subscribes to
the file, or imports it again, updates the events in place instead of adding copies.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

REMINDER = dt.timedelta(days=-7)
PRODID = "-//forecast-ledger//deadlines//EN"


def calendar(records: Iterable[dict], *, stamp: dt.datetime) -> bytes:
    """The iCalendar file of the unresolved ``records`` (export/JSON form); ``stamp`` is
    when it was written (DTSTAMP, in UTC)."""
    from icalendar import Alarm, Calendar, Event

    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("x-wr-calname", "forecast-ledger deadlines")
    for record in records:
        if record["outcome"] is not None:
            continue
        deadline = dt.date.fromisoformat(record["deadline"])
        event = Event()
        event.add("uid", f"{record['uid']}@forecast-ledger")
        event.add("dtstamp", stamp)
        event.add("dtstart", deadline)
        if deadline < dt.date.max:  # else one day long by default (RFC 5545 3.6.1)
            event.add("dtend", deadline + dt.timedelta(days=1))
        event.add("summary", f"Due: {record['claim']} ({record['claimant']})")
        event.add("description", _description(record))
        if record.get("source_url"):
            event.add("url", record["source_url"])
        event.add("transp", "TRANSPARENT")
        alarm = Alarm()
        alarm.add("action", "DISPLAY")
        alarm.add("description", f"Due in a week: {record['claim']}")
        alarm.add("trigger", REMINDER)
        event.add_component(alarm)
        cal.add_component(event)
    return cal.to_ical()


def _description(record: dict) -> str:
    lines = [record["claim"], f"by {record['claimant']}, made {record['made_on']}",
             f"deadline {record['deadline']} (from {record['deadline_expression']!r})"]
    if record.get("probability") is not None:
        lines.append(f"probability {record['probability']}")
    if record.get("key"):
        lines.append(f"resolve: ledger resolve {record['key']} --outcome yes|no")
    return "\n".join(lines)
