"""Imports merge by uid: idempotent, lossless, conflicts refused (SPEC §9, issue 11 item 2)."""

import json

import pytest

from forecast_ledger import Ledger
from tests.conftest import Cli


def _write(tmp_path, name, text):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def source(tmp_path):
    """A ledger with a restatement, a resolution, a re-resolution and trend data."""
    cli = Cli(tmp_path / "source.sqlite")
    cli.ok("init")
    cli.ok("add", "Done by 2025", "--by", "Ann", "--made", "2024-01-01", "--deadline", "2025",
           "--key", "ann-2025", "--p", "0.7", "--tag", "t")
    cli.ok("add", "Done by 2027", "--by", "Ann", "--made", "2025-06-01", "--deadline", "2027",
           "--key", "ann-2027", "--supersedes", "ann-2025", "--p", "0.6")
    cli.ok("resolve", "ann-2025", "--outcome", "no", "--on", "2026-01-02")
    cli.ok("resolve", "ann-2025", "--outcome", "yes", "--on", "2025-12-30",
           "--reason", "found a late report")
    cli.ok("trend", "series", "s", "--unit", "minutes")
    cli.ok("trend", "import", "s", _write(tmp_path, "points.csv",
                                          "2024-01-01,10,a\n2024-06-01,20,b\n2025-01-01,40,c\n"))
    return cli


@pytest.fixture
def target(tmp_path):
    cli = Cli(tmp_path / "target.sqlite")
    cli.ok("init")
    cli.ok("add", "Already mine", "--by", "Me", "--made", "2026-01-01", "--deadline", "2027")
    return cli


def test_importing_the_same_export_twice_adds_nothing_the_second_time(source, target,
                                                                      tmp_path):
    path = _write(tmp_path, "x.json", source.export())
    first = target.ok("import", path).stdout
    assert "2 added, 0 already present" in first
    scores = target.ok("score", "--format", "json").json()["overall"]
    second = target.ok("import", path).stdout
    assert "0 added, 2 already present" in second
    assert "0 added, 4 already present" in second  # the series and its three observations
    assert len(target.ok("list", "--format", "json").json()) == 3
    assert target.ok("score", "--format", "json").json()["overall"] == scores
    fit = target.ok("trend", "fit", "s", "--format", "json").json()
    assert fit["points"] == 3
    target.ok("verify")


def test_a_merged_prediction_keeps_its_whole_history(source, target, tmp_path):
    target.ok("import", _write(tmp_path, "x.json", source.export()))
    mine = target.ok("show", "ann-2025", "--format", "json").json()
    theirs = source.ok("show", "ann-2025", "--format", "json").json()
    assert [e["kind"] for e in mine["history"]] == ["add", "supersede", "resolve", "re-resolve"]
    for here, there in zip(mine["history"], theirs["history"], strict=True):
        assert here["recorded_at"] == there["recorded_at"]
    assert mine["history"][-1]["payload"]["reason"] == "found a late report"
    assert (mine["outcome"], mine["resolved_on"]) == ("yes", "2025-12-30")
    # the restatement points at the merged prediction's id here, not its id there
    restated = target.ok("show", "ann-2027", "--format", "json").json()
    assert restated["supersedes"] == mine["id"] != theirs["id"]


def _imported_once(tmp_path, target):
    """A ledger with one unresolved prediction, whose export (old.json) target imported."""
    source = Cli(tmp_path / "s.sqlite")
    source.ok("init")
    source.ok("add", "Done by 2025", "--by", "Ann", "--made", "2024-01-01", "--deadline",
              "2025", "--key", "ann-2025")
    target.ok("import", _write(tmp_path, "old.json", source.export()))
    return source


def test_history_gained_elsewhere_is_appended(tmp_path, target):
    source = _imported_once(tmp_path, target)
    source.ok("resolve", "ann-2025", "--outcome", "no", "--on", "2026-01-02",
              "--evidence", "it did not happen")
    out = target.ok("import", _write(tmp_path, "new.json", source.export())).stdout
    assert "0 added, 0 already present, 1 updated" in out
    merged = target.ok("show", "ann-2025", "--format", "json").json()
    assert (merged["outcome"], merged["resolved_on"]) == ("no", "2026-01-02")
    assert [e["kind"] for e in merged["history"]] == ["add", "resolve"]
    target.ok("verify")
    # an older export, imported after the newer one, adds nothing either
    assert "0 added, 1 already present" in target.ok("import", str(tmp_path / "old.json")).stdout


def test_a_conflicting_history_refuses_the_whole_import(tmp_path, target):
    source = _imported_once(tmp_path, target)
    target.ok("resolve", "ann-2025", "--outcome", "yes", "--on", "2025-06-01")
    source.ok("resolve", "ann-2025", "--outcome", "no", "--on", "2026-01-02")
    source.ok("add", "Another", "--by", "Bo", "--made", "2024-01-01", "--deadline", "2030")
    result = target.refused("import", _write(tmp_path, "new.json", source.export()),
                            match="has another history here")
    assert "resolve yes on 2025-06-01 here but resolve no on 2026-01-02 in the file" \
        in result.stderr


def test_a_tampered_export_is_refused_by_a_merge_too(source, target, tmp_path):
    data = json.loads(source.export())
    data["events"][0]["payload"]["claim"] = "Rewritten"
    target.refused("import", _write(tmp_path, "x.json", json.dumps(data)),
                   match="was altered")


def test_a_repeated_observation_is_a_no_op_that_says_so(source, tmp_path):
    out = source.ok("trend", "observe", "s", "2024-06-01", "20", "--label", "b").stdout
    assert out.startswith("already recorded: s = 20 minutes on 2024-06-01 (b); nothing added")
    again = source.ok("trend", "import", "s", str(tmp_path / "points.csv")).stdout
    assert "0 observations added, 3 already recorded" in again
    assert source.ok("trend", "fit", "s", "--format", "json").json()["points"] == 3
    # another label on the same day is another observation
    assert source.ok("trend", "observe", "s", "2024-06-01", "20", "--label", "other") \
        .stdout.startswith("observed ")


@pytest.mark.parametrize(("field", "value"), [
    ("target_value", float("nan")), ("target_value", float("inf")), ("target_value", -0.0),
    ("probability", float("nan")), ("probability", -0.0),
])
def test_non_finite_numbers_in_a_merge_import_are_refused(target, tmp_path, field, value):
    record = {"id": 7, "uid": "x:7", "claim": "c", "claimant": "a", "made_on": "2024-01-01",
              "made_precision": "day", "deadline": "2025-01-01", "deadline_precision": "day",
              "deadline_expression": "2025", field: value}
    text = json.dumps({"format": "forecast-ledger", "version": 2, "predictions": [record]})
    target.refused("import", _write(tmp_path, "x.json", text), match=field)
    target.ok("verify")


def test_a_non_finite_observation_is_refused(target, tmp_path):
    series = {"id": 1, "name": "s", "unit": None, "description": None}
    point = {"id": 1, "series_id": 1, "observed_on": "2024-01-01", "value": float("nan"),
             "label": None, "source": None}
    text = json.dumps({"format": "forecast-ledger", "version": 2, "series": [series],
                       "observations": [point], "predictions": []})
    target.refused("import", _write(tmp_path, "x.json", text), match="finite")


def test_a_file_without_history_imports_into_an_empty_ledger_and_verifies(tmp_path):
    record = {"id": 1, "claim": "c", "claimant": "a", "made_on": "2024-01-01",
              "made_precision": "day", "deadline": "2025-01-01", "deadline_precision": "day",
              "deadline_expression": "2025", "outcome": "no", "resolved_on": "2025-01-02"}
    path = _write(tmp_path, "x.json", json.dumps(
        {"format": "forecast-ledger", "version": 1, "predictions": [record]}))
    cli = Cli(tmp_path / "new.sqlite")
    cli.ok("import", path)
    assert [e["kind"] for e in cli.ok("show", "1", "--format", "json").json()["history"]] == \
        ["add", "resolve"]
    cli.ok("verify")
    assert "0 added, 1 already present" in cli.ok("import", path).stdout


def test_uids_are_kept_by_export_and_the_shipped_ones_come_from_keys(seeded):
    from forecast_ledger.domain.records import key_uid

    rows = json.loads(seeded.export())["predictions"]
    assert all(r["uid"] == key_uid(r["key"]) for r in rows)
    with Ledger.open(str(seeded.db)) as ledger:
        assert ledger.get("musk-2026-smarter-than-any-human").uid == \
            key_uid("musk-2026-smarter-than-any-human")


def test_two_copies_of_the_shipped_ledger_merge_into_one(seeded, tmp_path):
    other = Cli(tmp_path / "other.sqlite")
    other.ok("init", "--seed")
    out = other.ok("import", _write(tmp_path, "x.json", seeded.export())).stdout
    assert "0 added, 66 already present" in out
    assert "22 already present" in out  # 1 series, 4 trend claims, 17 observations
    other.ok("verify")


def test_a_resolved_record_without_id_or_history_merges(target, tmp_path):
    record = {"claim": "c", "claimant": "a", "made_on": "2024-01-01", "made_precision": "day",
              "deadline": "2025-01-01", "deadline_precision": "day",
              "deadline_expression": "2025", "outcome": "yes", "resolved_on": "2024-06-01"}
    path = _write(tmp_path, "x.json", json.dumps(
        {"format": "forecast-ledger", "version": 2, "predictions": [record]}))
    assert "1 added" in target.ok("import", path).stdout
    assert target.ok("show", "2", "--format", "json").json()["outcome"] == "yes"
    assert "0 added, 1 already present" in target.ok("import", path).stdout
    target.ok("verify")


def test_two_records_with_one_id_are_refused_on_restore(cli, tmp_path):
    record = {"id": 1, "claim": "c", "claimant": "a", "made_on": "2024-01-01",
              "made_precision": "day", "deadline": "2025-01-01", "deadline_precision": "day",
              "deadline_expression": "2025"}
    path = _write(tmp_path, "x.json", json.dumps(
        {"format": "forecast-ledger", "version": 2,
         "predictions": [record, {**record, "uid": "other", "claim": "d"}]}))
    new = Cli(tmp_path / "new.sqlite") if not isinstance(cli.db, str) else cli
    if isinstance(cli.db, str):  # an empty PostgreSQL database
        from tests.conftest import postgres_url

        new = Cli(postgres_url())
    result = new("import", path)
    assert result.exit_code == 2 and result.stderr.startswith("error: "), result.stderr
    assert "Traceback" not in result.stderr
