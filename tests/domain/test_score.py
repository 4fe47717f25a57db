"""Scores on hand-worked examples (SPEC section 6)."""

import datetime as dt
import math

import pytest

from forecast_ledger.domain.score import (
    Scored,
    brier,
    calibration,
    log_score,
    score,
    wilson_interval,
)

D = dt.date
TODAY = D(2026, 11, 29)


def item(p, outcome, who="A", deadline=D(2025, 12, 31), on=D(2026, 1, 1)):
    return Scored(who, p, outcome, deadline, on if outcome else None)


def test_brier_examples():
    assert brier([(0.99, 1), (0.01, 0)]) == pytest.approx(0.0001)  # near-perfect
    assert brier([(0.5, 1), (0.5, 0), (0.5, 1)]) == pytest.approx(0.25)  # always 0.5
    assert brier([(0.9, 0)]) == pytest.approx(0.81)  # 0.9 on a claim that failed
    assert brier([]) is None


def test_log_score_examples():
    assert log_score([(0.9, 1)]) == pytest.approx(math.log(0.9))
    assert log_score([(0.9, 0)]) == pytest.approx(math.log(0.1))
    assert log_score([(0.5, 1), (0.5, 0)]) == pytest.approx(math.log(0.5))


def test_wilson_interval():
    low, high = wilson_interval(1, 1)
    assert (round(low, 3), high) == (0.27, pytest.approx(1.0))
    low, high = wilson_interval(50, 100)
    assert low == pytest.approx(0.4188, abs=1e-4) and high == pytest.approx(0.5812, abs=1e-4)
    assert wilson_interval(0, 0) is None


def test_calibration_bins():
    bins = calibration([(0.05, 0), (0.72, 1), (0.78, 0), (0.99, 1), (0.95, 1)])
    assert len(bins) == 10
    assert [b.count for b in bins] == [1, 0, 0, 0, 0, 0, 0, 2, 0, 2]
    assert bins[7].mean_probability == pytest.approx(0.75)
    assert bins[7].observed_frequency == 0.5
    assert bins[9].bin_low == 0.9 and bins[9].bin_high == 1.0
    assert bins[1].mean_probability is None and bins[1].interval_low is None


def test_counts_ambiguous_and_annulled_score_nothing():
    items = [item(0.8, "yes"), item(0.8, "no"), item(0.7, "ambiguous"), item(0.3, "annulled"),
             item(None, "yes"), item(None, None), item(None, None, deadline=D(2030, 1, 1))]
    overall, [a] = score(items, TODAY)
    assert (a.resolved, a.yes, a.no, a.ambiguous, a.annulled, a.unresolved) == (5, 2, 1, 1, 1, 2)
    assert a.hit_rate == pytest.approx(2 / 3)
    assert a.scored_with_probability == 2
    assert a.brier == pytest.approx((0.04 + 0.64) / 2)
    assert overall.claimant is None and overall.resolved == 5


def test_missed_deadlines_and_lateness():
    items = [
        item(None, "no", who="Musk"),  # missed
        item(None, None, who="Musk"),  # due, unresolved: missed
        item(None, None, who="Musk", deadline=D(2027, 1, 1)),  # pending: not yet
        item(None, "yes", who="Musk", deadline=D(2025, 1, 1), on=D(2025, 3, 2)),  # 60 days late
        item(None, "yes", who="Musk", deadline=D(2025, 1, 1), on=D(2024, 12, 22)),  # 10 early
        item(None, "annulled", who="Musk"),  # void: not missed
    ]
    _, [musk] = score(items, TODAY)
    assert musk.missed_deadlines == 3
    assert musk.mean_lateness_days == 25.0
    assert musk.median_lateness_days == 25.0


def test_past_deadline_only_drops_early_resolutions():
    early = item(0.9, "yes", deadline=D(2026, 6, 1), on=D(2026, 1, 1))
    late = item(0.9, "no", deadline=D(2025, 6, 1), on=D(2025, 7, 1))
    overall, _ = score([early, late], TODAY)
    assert overall.resolved == 2
    overall, _ = score([early, late], TODAY, past_deadline_only=True)
    assert (overall.resolved, overall.no, overall.brier) == (1, 1, pytest.approx(0.81))


@pytest.mark.parametrize("n", range(1, 40))
def test_wilson_interval_reaches_the_bound_it_observed(n):
    """All yes: the interval ends at exactly 1 (it ended at 0.9999999999999999 for n = 1,
    below the observed frequency, and the calibration chart drew a negative error bar)."""
    assert wilson_interval(n, n)[1] == 1.0
    assert wilson_interval(0, n)[0] == 0.0
    low, high = wilson_interval(n // 2, n)
    assert low <= (n // 2) / n <= high
