"""Deadlines as a calendar: parsed back with icalendar, stable UIDs, one per open claim."""

import datetime as dt

from icalendar import Calendar


def _events(text):
    return [c for c in Calendar.from_ical(text).walk() if c.name == "VEVENT"]


def test_one_all_day_event_per_unresolved_deadline_with_a_reminder(seeded, tmp_path):
    seeded.ok("resolve", "musk-2025-smarter-than-any-human", "--outcome", "no", "--on",
              "2026-01-01")
    target = tmp_path / "deadlines.ics"
    seeded.ok("export", "--format", "ics", "-o", str(target))
    events = _events(target.read_bytes())
    unresolved = [r for r in seeded.ok("list", "--format", "json").json()
                  if r["outcome"] is None]
    assert len(events) == len(unresolved) == 49
    by_uid = {str(e["uid"]): e for e in events}
    musk = next(r for r in unresolved if r["key"] == "musk-2026-smarter-than-any-human")
    event = by_uid[f"{musk['uid']}@forecast-ledger"]
    assert event.decoded("dtstart") == dt.date(2026, 12, 31)
    assert event.decoded("dtend") == dt.date(2027, 1, 1)
    assert "AI is smarter than any human" in str(event["summary"])
    [alarm] = [c for c in event.walk() if c.name == "VALARM"]
    assert alarm.decoded("trigger") == dt.timedelta(days=-7)
    assert not any("musk-2025-smarter-than-any-human" in str(e["description"])
                   for e in events)


def test_uids_stay_the_same_so_a_calendar_updates_in_place(cli):
    cli.ok("add", "中文的预测", "--by", "某人", "--made", "2026-01-01", "--deadline", "9999")
    first = {str(e["uid"]) for e in _events(cli.ok("export", "--format", "ics").stdout)}
    cli.ok("edit", "1", "--claim", "中文的预测（修订）", "--reason", "wording")
    [event] = _events(cli.ok("export", "--format", "ics").stdout)
    assert {str(event["uid"])} == first
    assert "中文的预测（修订）" in str(event["summary"])
    assert event.decoded("dtstart") == dt.date(9999, 12, 31)  # the calendar's last day
