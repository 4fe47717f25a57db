"""Accuracy: hit rate, Brier and log scores, calibration, lateness, missed deadlines (SPEC 6).

Conventions: Brier on a 0–1 scale (mean of (p − o)²); log score is the mean natural log of the
probability given to what happened (0 is perfect, more negative is worse). Ambiguous and
annulled predictions count in no score. Probabilities are strictly between 0 and 1 (refused
at entry), so the log score is always finite.
"""

from __future__ import annotations

import datetime as dt
import math
import statistics
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field

Z_90 = 1.6448536269514722  # two-sided 90%: the 95th percentile of the standard normal
BINS = 10


@dataclass(frozen=True)
class Scored:
    """One prediction as scoring needs it."""

    claimant: str
    probability: float | None
    outcome: str | None
    deadline: dt.date
    resolved_on: dt.date | None


@dataclass(frozen=True)
class CalibrationBin:
    bin_low: float
    bin_high: float
    count: int
    mean_probability: float | None
    observed_frequency: float | None
    interval_low: float | None
    interval_high: float | None


@dataclass
class Score:
    claimant: str | None
    resolved: int = 0
    yes: int = 0
    no: int = 0
    ambiguous: int = 0
    annulled: int = 0
    unresolved: int = 0
    missed_deadlines: int = 0
    hit_rate: float | None = None
    brier: float | None = None
    log_score: float | None = None
    scored_with_probability: int = 0
    mean_lateness_days: float | None = None
    median_lateness_days: float | None = None
    calibration: list[CalibrationBin] = field(default_factory=list)


def wilson_interval(successes: int, n: int, z: float = Z_90) -> tuple[float, float] | None:
    """The Wilson score interval for a proportion; None when n is 0."""
    if n == 0:
        return None
    p = successes / n
    denominator = 1 + z * z / n
    centre = (p + z * z / (2 * n)) / denominator
    half = z * math.sqrt(p * (1 - p) / n + z * z / (4 * n * n)) / denominator
    # At p = 0 or 1 one bound is exactly 0 or 1; rounding may miss it by 1e-16 and leave
    # the observed frequency outside its own interval.
    low = 0.0 if successes == 0 else max(0.0, centre - half)
    high = 1.0 if successes == n else min(1.0, centre + half)
    return low, high


def brier(pairs: list[tuple[float, int]]) -> float | None:
    return sum((p - o) ** 2 for p, o in pairs) / len(pairs) if pairs else None


def log_score(pairs: list[tuple[float, int]]) -> float | None:
    return sum(math.log(p if o else 1 - p) for p, o in pairs) / len(pairs) if pairs else None


def calibration(pairs: list[tuple[float, int]]) -> list[CalibrationBin]:
    """Ten bins of probability [0, 0.1) … [0.9, 1.0): mean p, frequency and its interval."""
    grouped: list[list[tuple[float, int]]] = [[] for _ in range(BINS)]
    for p, o in pairs:
        grouped[min(int(p * BINS), BINS - 1)].append((p, o))
    out = []
    for i, members in enumerate(grouped):
        n = len(members)
        hits = sum(o for _, o in members)
        interval = wilson_interval(hits, n)
        out.append(CalibrationBin(
            i / BINS, (i + 1) / BINS, n,
            sum(p for p, _ in members) / n if n else None,
            hits / n if n else None,
            interval[0] if interval else None,
            interval[1] if interval else None,
        ))
    return out


def score_group(claimant: str | None, items: list[Scored], today: dt.date) -> Score:
    s = Score(claimant)
    pairs: list[tuple[float, int]] = []
    lateness: list[int] = []
    for item in items:
        if item.outcome is None:
            s.unresolved += 1
        else:
            s.resolved += 1
            setattr(s, item.outcome, getattr(s, item.outcome) + 1)
        if item.outcome in ("yes", "no") and item.probability is not None:
            pairs.append((item.probability, 1 if item.outcome == "yes" else 0))
        if item.outcome == "yes" and item.resolved_on is not None:
            lateness.append((item.resolved_on - item.deadline).days)
        if _missed(item, today):
            s.missed_deadlines += 1
    s.hit_rate = s.yes / (s.yes + s.no) if s.yes + s.no else None
    s.brier, s.log_score = brier(pairs), log_score(pairs)
    s.scored_with_probability = len(pairs)
    s.calibration = calibration(pairs)
    if lateness:
        s.mean_lateness_days = statistics.fmean(lateness)
        s.median_lateness_days = float(statistics.median(lateness))
    return s


def _missed(item: Scored, today: dt.date) -> bool:
    """The deadline passed and the claim had not come true by it."""
    if item.deadline >= today or item.outcome in ("ambiguous", "annulled"):
        return False
    if item.outcome == "yes":
        return item.resolved_on is not None and item.resolved_on > item.deadline
    return True  # resolved no, or still unresolved after its deadline


def score(items: Iterable[Scored], today: dt.date, *,
          past_deadline_only: bool = False) -> tuple[Score, list[Score]]:
    """(overall, per claimant by name). ``past_deadline_only`` leaves out predictions
    resolved before their deadline (early "yes" resolutions bias calibration)."""
    kept = [i for i in items
            if not (past_deadline_only and i.resolved_on is not None
                    and i.resolved_on < i.deadline)]
    # "Alice" and "alice" are one claimant (SPEC §8), shown as most of their records spell it.
    by_claimant: dict[str, list[Scored]] = {}
    for item in kept:
        by_claimant.setdefault(item.claimant.casefold(), []).append(item)
    groups = [(Counter(i.claimant for i in group).most_common(1)[0][0], group)
              for group in by_claimant.values()]
    return (score_group(None, kept, today),
            [score_group(name, group, today) for name, group in sorted(groups)])
