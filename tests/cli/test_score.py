"""`ledger score` end to end."""

import math

import pytest


def test_score_json(cli):
    cli.ok("add", "A", "--by", "Ann", "--made", "2024-01-01", "--deadline", "2025", "--p", "0.9")
    cli.ok("add", "B", "--by", "Ann", "--made", "2024-01-01", "--deadline", "2025", "--p", "0.9")
    cli.ok("add", "C", "--by", "Bob", "--made", "2024-01-01", "--deadline", "2025")
    cli.ok("add", "D", "--by", "Bob", "--made", "2024-01-01", "--deadline", "2030")
    cli.ok("resolve", "1", "--outcome", "yes", "--on", "2025-06-01")
    cli.ok("resolve", "2", "--outcome", "no", "--on", "2026-01-01")
    data = cli.ok("score", "--format", "json").json()
    assert data["as_of"] == "2026-11-29"
    ann, bob = data["claimants"]
    assert ann["claimant"] == "Ann" and bob["claimant"] == "Bob"
    assert (ann["yes"], ann["no"], ann["hit_rate"]) == (1, 1, 0.5)
    assert ann["brier"] == pytest.approx((0.01 + 0.81) / 2, rel=1e-12)
    assert ann["log_score"] == pytest.approx((math.log(0.9) + math.log(0.1)) / 2, rel=1e-12)
    assert ann["missed_deadlines"] == 1
    # came true 2025-06-01, deadline 2025-12-31: 213 days early
    assert ann["mean_lateness_days"] == -(29 + 31 + 31 + 30 + 31 + 30 + 31)
    assert (bob["unresolved"], bob["missed_deadlines"], bob["brier"]) == (2, 1, None)
    assert data["overall"]["claimant"] is None and data["overall"]["resolved"] == 2
    nine = data["overall"]["calibration"][9]
    assert (nine["count"], nine["observed_frequency"]) == (2, 0.5)
    for key in ("bin_low", "bin_high", "count", "mean_probability", "observed_frequency",
                "interval_low", "interval_high"):
        assert key in nine


def test_score_filters_and_table(cli):
    cli.ok("add", "A", "--by", "Ann", "--made", "2024-01-01", "--deadline", "2025", "--p", "0.7",
           "--topic", "t1")
    cli.ok("add", "C", "--by", "Bob", "--made", "2024-01-01", "--deadline", "2025",
           "--topic", "t2")
    cli.ok("resolve", "1", "--outcome", "yes", "--on", "2025-03-01")
    assert [c["claimant"] for c in cli.ok("score", "--by", "bob", "--format", "json")
            .json()["claimants"]] == ["Bob"]
    assert [c["claimant"] for c in cli.ok("score", "--topic", "t1", "--format", "json")
            .json()["claimants"]] == ["Ann"]
    out = cli.ok("score").stdout
    assert "calibration" in out and "0.7–0.8" in out and "(overall)" in out
    data = cli.ok("score", "--past-deadline-only", "--format", "json").json()
    assert data["overall"]["resolved"] == 0  # the one 'yes' came before its deadline
    csv = cli.ok("score", "--format", "csv").stdout.splitlines()
    assert csv[0].startswith("claimant,resolved,yes,no") and csv[-1].startswith("(overall)")


def test_shipped_ledger_counts_musk_missed_deadlines(seeded):
    data = seeded.ok("score", "--by", "Elon Musk", "--format", "json").json()
    [musk] = data["claimants"]
    # three deadlines missed on the record (coast to coast twice, robotaxis), the 2020 claim
    # ambiguous, and the end-of-2025 claim past its deadline with no verdict
    assert (musk["resolved"], musk["no"], musk["ambiguous"], musk["unresolved"]) == (4, 3, 1, 3)
    assert musk["missed_deadlines"] == 4 and musk["hit_rate"] == 0.0


def test_the_track_record_scores_each_claimant(seeded):
    claimants = {c["claimant"]: c for c in
                 seeded.ok("score", "--format", "json").json()["claimants"]}
    assert (claimants["Ray Kurzweil"]["yes"], claimants["Ray Kurzweil"]["no"]) == (1, 1)
    assert claimants["Ray Kurzweil"]["hit_rate"] == 0.5
    assert claimants["Gary Marcus"]["hit_rate"] == 1.0
    assert claimants["Dario Amodei"]["ambiguous"] == 1
    assert claimants["Dario Amodei"]["hit_rate"] is None  # ambiguous counts in no score
    overall = seeded.ok("score", "--format", "json").json()["overall"]
    assert (overall["resolved"], overall["yes"], overall["no"]) == (16, 2, 12)
    for row in seeded.ok("list", "--tag", "track-record", "--format", "json").json():
        assert row["outcome"] and row["source_url"], row["key"]
        shown = seeded.ok("show", row["key"], "--format", "json").json()
        assert shown["evidence"] and shown["quote"] and shown["note"]


def test_score_by_one_claimant_titles_its_calibration_with_the_name(cli):
    cli.ok("add", "x", "--by", "Alice Zhang", "--made", "2024-01-01", "--deadline", "2025",
           "--p", "0.8")
    cli.ok("resolve", "1", "--outcome", "yes", "--on", "2025-06-01")
    out = cli.ok("score", "--by", "Alice Zhang").stdout
    assert "calibration (Alice Zhang; 90% Wilson interval)" in out
    assert "all claimants" not in out
