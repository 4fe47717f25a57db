"""`ledger compression` and `ledger trend` end to end."""

import json

import pytest

from forecast_ledger import Ledger
from tests.conftest import REPO


def test_compression_json_shape_and_findings_on_the_shipped_claims(seeded):
    data = seeded.ok("compression", "--format", "json").json()
    assert data["as_of"] == "2026-11-29"
    topics = {t["topic"]: t for t in data["topics"]}
    assert topics["turing-test-2029"]["trend"] == "holding"
    assert topics["turing-test-2029"]["convergence_date"] == "2029-12-31"
    assert topics["hlmi-expert-survey"]["trend"] == "compressing"
    assert topics["agi-community-forecast"]["trend"] == "compressing"
    assert "singularity" not in topics  # one prediction: nothing to compare
    t = topics["hlmi-expert-survey"]
    for key in ("topic", "trend", "predictions", "lead_ratio", "drift", "lead_halving_years",
                "convergence_date"):
        assert key in t
    first = t["predictions"][0]
    assert set(first) >= {"id", "key", "claimant", "made_on", "deadline", "lead_years",
                          "pull_in_years", "status"}
    assert [p["key"] for p in t["predictions"]] == ["espai-2016-hlmi", "espai-2022-hlmi",
                                                    "espai-2023-hlmi"]
    assert t["predictions"][2]["pull_in_years"] == pytest.approx((12 * 365 + 3) / 365.25, abs=1e-12)


def test_compression_table_reads_like_a_finding(seeded):
    out = seeded.ok("compression", "--topic", "hlmi-expert-survey").stdout
    assert "hlmi-expert-survey — compressing: the predicted date moved 14.0 years earlier, " \
           "2061 → 2047" in out
    assert "converges on" in out


def test_compression_since_until_and_csv(seeded):
    data = seeded.ok("compression", "--topic", "agi-community-forecast", "--since", "2024-01-01",
                     "--format", "json").json()
    [topic] = data["topics"]
    assert len(topic["predictions"]) == 5 and topic["trend"] == "holding"
    csv = seeded.ok("compression", "--topic", "turing-test-2029", "--format", "csv").stdout
    lines = csv.splitlines()
    assert lines[0].startswith("topic,trend,lead_ratio,drift")
    assert len(lines) == 4
    assert all(line.startswith("turing-test-2029,holding") for line in lines[1:])


def test_trend_fit_reproduces_metr_212_days(seeded):
    data = seeded.ok("trend", "fit", "metr-50pct-horizon", "--to", "2025-02-25",
                     "--format", "json").json()
    assert data["points"] == 11
    assert abs(data["doubling_days"] - 212) < 1
    assert data["doubling_months"] == pytest.approx(data["doubling_days"] / 30.436875, rel=1e-12)
    assert set(data) == {"series", "from", "to", "points", "doubling_days", "doubling_months",
                         "r2"}


def test_trend_compare_claims_and_windows(seeded):
    out = seeded.ok("trend", "compare", "metr-50pct-horizon", "--claim",
                    "metr-2025-doubling-7-months", "--claim", "metr-2025-doubling-4-months").stdout
    assert "ratio (second / first): 0.57" in out
    data = seeded.ok("trend", "compare", "metr-50pct-horizon", "--window", "2019:2023",
                     "--window", "2024:2025", "--format", "json").json()
    assert data["ratio"] < 1  # the 2024–2025 doubling is faster than 2019–2023's


def test_series_observe_claim_project_and_auto_resolve(cli, tmp_path):
    cli.ok("trend", "series", "horizon", "--unit", "minutes")
    path = tmp_path / "obs.csv"
    path.write_text("date,value,label\n2024-01-01,30,a\n2024-07-01,60,b\n", encoding="utf-8")
    cli.ok("trend", "import", "horizon", str(path))
    out = cli.ok("trend", "claim", "horizon", "--doubling", "6 months", "--by", "Lab",
                 "--made", "2024-08-01", "--key", "lab-6mo").stdout
    assert "anchor 60 on 2024-07-01" in out
    out = cli.ok("trend", "project", "lab-6mo", "--target", "4 hours", "--key", "m4h").stdout
    # 60 → 240 minutes: two doublings of 182.6 days = 365 days after 2024-07-01
    assert "projected for 2025-07-01" in out
    m = cli.ok("show", "m4h", "--format", "json").json()
    assert (m["deadline"], m["status"], m["target_value"]) == ("2025-07-01", "due", 240)
    # an observation below the target changes nothing; one at or above it resolves yes
    cli.ok("trend", "observe", "horizon", "2025-01-01", "120", "--label", "c")
    assert cli.ok("show", "m4h", "--format", "json").json()["outcome"] is None
    out = cli.ok("trend", "observe", "horizon", "2025-05-01", "4 hours", "--label", "d").stdout
    assert "milestone #1 (m4h) reached: resolved yes" in out
    m = cli.ok("show", "m4h", "--format", "json").json()
    assert (m["outcome"], m["resolved_on"]) == ("yes", "2025-05-01")
    assert "observation d on 2025-05-01" in m["evidence"]
    assert [e["kind"] for e in m["history"]] == ["project", "resolve"]
    cli.ok("verify")


def test_late_observation_does_not_resolve(cli):
    cli.ok("trend", "series", "s", "--unit", "minutes")
    cli.ok("trend", "claim", "s", "--doubling", "100 days", "--by", "X", "--made", "2024-01-01",
           "--anchor-date", "2024-01-01", "--anchor-value", "10", "--key", "c")
    cli.ok("trend", "project", "c", "--target", "20", "--key", "m")  # deadline 2024-04-10
    cli.ok("trend", "observe", "s", "2024-06-01", "50")
    assert cli.ok("show", "m", "--format", "json").json()["status"] == "due"


def test_trend_import_metr_file(cli):
    cli.ok("trend", "series", "metr", "--unit", "minutes")
    out = cli.ok("trend", "import", "metr", str(REPO / "fixtures/metr/benchmark_results_1_0.yaml"),
                 "--format", "metr", "--sota-only").stdout
    assert "imported into metr: 17 observations added, 0 already recorded" in out
    with Ledger.open(str(cli.db)) as ledger:
        _, points = ledger.series_points("metr")
    assert points[0].label == "gpt2" and points[0].value == 0.039762


def test_trend_bad_input(cli, tmp_path):
    cli.ok("trend", "series", "s", "--unit", "minutes")
    bad = tmp_path / "bad.csv"
    bad.write_text("2024-01-01,5\n2024-02-30,6\n", encoding="utf-8")
    cli.refused("trend", "import", "s", str(bad), match="line 2")
    cli.refused("trend", "series", "s", match="already exists")
    cli.refused("trend", "series", "Bad Name", match="slug")
    cli.refused("trend", "observe", "nope", "2024-01-01", "5", match="no series")
    cli.refused("trend", "observe", "s", "2027-01-01", "5", match="after today")
    cli.refused("trend", "observe", "s", "2024-01-01", "--", "-5", match="cannot read")
    cli.refused("trend", "claim", "s", "--doubling", "soon", "--by", "X", "--made", "2024",
                match="duration")
    cli.refused("trend", "claim", "s", "--doubling", "7 months", "--by", "X", "--made", "2024",
                match="no observation")
    cli.refused("trend", "project", "nope", "--target", "8 hours", match="no trend claim")
    cli.refused("trend", "fit", "s", "--from", "garbage", match="cannot read")
    cli.refused("trend", "compare", "s", "--window", "2020:2021", match="two")


def test_trend_list_counts(seeded):
    [row] = seeded.ok("trend", "list", "--format", "json").json()
    assert (row["series"], row["unit"], row["observations"], row["claims"]) == \
        ("metr-50pct-horizon", "minutes", 17, 4)
    assert "metr-50pct-horizon" in seeded.ok("trend", "list").stdout


def test_a_ledger_with_trend_data_round_trips_through_export(seeded, tmp_path):
    from tests.conftest import Cli

    exported = seeded.export()
    path = tmp_path / "full.json"
    path.write_text(exported, encoding="utf-8")
    copy = Cli(tmp_path / "copy.sqlite")
    copy.ok("import", str(path))
    assert copy.export() == exported
    copy.ok("verify")
    assert copy.ok("trend", "show", "metr-50pct-horizon", "--format", "json").json() == \
        seeded.ok("trend", "show", "metr-50pct-horizon", "--format", "json").json()


@pytest.mark.parametrize("layout", ["pretty", "reordered", "one-line"])
def test_an_export_in_another_layout_imports_the_same(seeded, tmp_path, layout):
    """The importer streams the file, but not by its lines: any JSON layout reads alike,
    and the sections may come in any order after the header."""
    from tests.conftest import Cli

    exported = seeded.export()
    doc = json.loads(exported)
    if layout == "pretty":
        text = json.dumps(doc, indent=2, ensure_ascii=False)
    elif layout == "reordered":  # predictions before the trend claims they point to
        header = {k: doc.pop(k) for k in ("format", "version")}
        text = json.dumps({**header, **dict(reversed(doc.items()))}, ensure_ascii=True)
    else:
        text = json.dumps(doc, separators=(",", ":"))
    path = tmp_path / "other.json"
    path.write_text(text, encoding="utf-8")
    copy = Cli(tmp_path / "copy.sqlite")
    copy.ok("import", str(path))
    assert copy.export() == exported


def test_compression_names_an_unknown_topic_and_the_nearest(seeded):
    seeded.refused("compression", "--topic", "hlmi-expert-survy",
                   match="did you mean 'hlmi-expert-survey'")
    seeded.refused("compression", "--since", "2025", "--until", "2020", match="after --until")
    assert seeded.ok("compression", "--topic", "HLMI-expert-survey", "--format",
                     "json").json()["topics"][0]["topic"] == "hlmi-expert-survey"


def test_a_milestone_in_millions_reads_as_people_write_it(cli):
    cli.ok("trend", "series", "context", "--unit", "tokens")
    cli.ok("trend", "claim", "context", "--doubling", "6 months", "--by", "Lab", "--made",
           "2025-01-01", "--anchor-date", "2025-01-01", "--anchor-value", "1M tokens",
           "--key", "ctx")
    out = cli.ok("trend", "project", "ctx", "--target", "10M tokens").stdout
    assert "context reaches 10M tokens (10,000,000 tokens)" in out
    shown = cli.ok("list", "--format", "json").json()[0]
    assert shown["topic"] == "context-reaches-10000000-tokens"
    assert "1,000,000 on 2025-01-01" in cli.ok("trend", "show", "context").stdout


def test_empty_claimant_says_who(cli):
    cli.refused("add", "x", "--by", " ", "--within", "1y", match="write who made the claim")


def test_fit_of_an_empty_window_names_its_bounds(seeded):
    out = seeded.ok("trend", "fit", "metr-50pct-horizon", "--from", "2030-01-01").stdout
    assert "None" not in out and "0 points, no doubling time" in out


def test_trend_show_csv_has_observations_claims_and_milestones(seeded):
    import csv
    import io

    rows = list(csv.DictReader(io.StringIO(seeded.ok("trend", "show", "metr-50pct-horizon",
                                                     "--format", "csv").stdout)))
    kinds = {r["kind"] for r in rows}
    assert kinds == {"observation", "claim", "milestone"}
    assert sum(r["kind"] == "milestone" for r in rows) == 12


def test_one_observation_is_counted_in_the_singular(cli, tmp_path):
    cli.ok("trend", "series", "s")
    path = tmp_path / "one.csv"
    path.write_text("2024-01-01,5\n", encoding="utf-8")
    assert "1 observation added, 0 already recorded" in \
        cli.ok("trend", "import", "s", str(path)).stdout


def test_trend_import_reads_a_csv_saved_with_a_byte_order_mark(cli, tmp_path):
    cli.ok("trend", "series", "horizon", "--unit", "minutes")
    path = tmp_path / "obs.csv"
    path.write_bytes(b"\xef\xbb\xbfdate,value,label\n2024-01-01,30,a\n2024-07-01,60,b\n")
    cli.ok("trend", "import", "horizon", str(path))
    assert [p["value"] for p in cli.ok("trend", "show", "horizon", "--format",
                                        "json").json()["observations"]] == [30, 60]
