"""The core commands end to end: add, list, show, due, resolve, export/import."""


import pytest

from forecast_ledger import Ledger


def add_musk(cli, **extra):
    args = ["add", "AI smarter than any human", "--by", "Elon Musk", "--made", "2024-04-08",
            "--deadline", "end of 2025", "--key", "musk-2025", "--topic", "ai-smartest",
            "--quote", "甚至可能不需要等到明年,也许就在2026年"]
    for k, v in extra.items():
        args += [f"--{k}", v]
    return cli.ok(*args)


def test_add_echoes_the_deadline_as_understood(cli):
    out = add_musk(cli).stdout
    assert "added #1 (musk-2025): deadline 2025-12-31 (year precision, from 'end of 2025'" in out
    out = cli.ok("add", "Balwit stops working", "--by", "Avital Balwit", "--made", "2024-05",
                 "--within", "三年内").stdout
    assert "deadline 2027-05-31 (month precision, from '三年内'" in out


def test_added_prediction_is_stored_as_typed(cli, today):
    add_musk(cli, p="70%", tag="musk")
    with Ledger.open(str(cli.db)) as ledger:
        p = ledger.get("musk-2025")
    assert p.probability == 0.7
    assert p.quote == "甚至可能不需要等到明年,也许就在2026年"
    assert p.tags == ("musk",)
    assert p.status(today) == "due"


def test_list_json_has_the_spec_fields(cli):
    add_musk(cli)
    [row] = cli.ok("list", "--format", "json").json()
    for field in ("id", "key", "claim", "claimant", "made_on", "deadline", "deadline_expression",
                  "probability", "topic", "status", "outcome", "resolved_on", "days_overdue"):
        assert field in row
    assert row["deadline"] == "2025-12-31"
    assert row["days_overdue"] == 333
    assert row["status"] == "due"


def test_list_filters(cli):
    add_musk(cli)
    cli.ok("add", "X", "--by", "Someone", "--made", "2026-01-01", "--deadline", "2030",
           "--tag", "far")
    assert [r["key"] for r in cli.ok("list", "--status", "due", "--format", "json").json()] \
        == ["musk-2025"]
    assert len(cli.ok("list", "--status", "pending", "--format", "json").json()) == 1
    assert len(cli.ok("list", "--by", "elon musk", "--format", "json").json()) == 1
    assert len(cli.ok("list", "--tag", "far", "--format", "json").json()) == 1
    assert cli.ok("list", "--topic", "nothing").stdout.strip() == "(none)"


def test_csv_listing_and_formula_neutralisation(cli):
    cli.ok("add", "=HYPERLINK(\"x\")", "--by", "@someone", "--made", "2026-01-01",
           "--deadline", "2030")
    lines = cli.ok("list", "--format", "csv").stdout.splitlines()
    assert lines[0].startswith("id,key,claim,claimant")
    assert "'=HYPERLINK" in lines[1] and "'@someone" in lines[1]


def test_due_orders_most_overdue_first_and_within_adds_upcoming(cli):
    add_musk(cli)
    cli.ok("add", "Older", "--by", "A", "--made", "2020-01-01", "--deadline", "2021")
    cli.ok("add", "Soon", "--by", "B", "--made", "2026-01-01", "--deadline", "2026-12-31")
    cli.ok("add", "Later", "--by", "C", "--made", "2026-01-01", "--deadline", "2027-06")
    rows = cli.ok("due", "--format", "json").json()
    assert [r["claim"] for r in rows] == ["Older", "AI smarter than any human"]
    assert rows[0]["days_overdue"] == 1461 + 333  # 2021-12-31 → 2025-12-31 → 2026-11-29
    rows = cli.ok("due", "--within", "60d", "--format", "json").json()
    assert [r["claim"] for r in rows] == ["Older", "AI smarter than any human", "Soon"]
    assert rows[-1]["days_overdue"] == -32
    table = cli.ok("due", "--within", "60d").stdout
    assert "333d overdue" in table and "in 32d" in table


def test_due_fail_if_any_exits_1_only_when_something_is_due(cli):
    cli.ok("add", "Soon", "--by", "B", "--made", "2026-01-01", "--deadline", "2026-12-31")
    for fmt in ("table", "json", "csv"):
        assert cli("due", "--fail-if-any", "--within", "60d", "--format", fmt).exit_code == 0
    add_musk(cli)
    for fmt in ("table", "json", "csv"):
        assert cli("due", "--fail-if-any", "--format", fmt).exit_code == 1


def test_today_comes_from_the_option_or_the_environment(cli):
    from typer.testing import CliRunner

    from forecast_ledger.cli import app

    add_musk(cli)
    assert cli.ok("due", "--format", "json", today="2025-12-31").json() == []
    assert len(cli.ok("due", "--format", "json", today="2026-01-01").json()) == 1

    def due_without_option(env):
        result = CliRunner().invoke(app, ["--db", str(cli.db), "due", "--format", "json"],
                                    env=env)
        assert result.exit_code == 0, result.stderr
        return result.stdout

    assert due_without_option({"LEDGER_TODAY": "2025-12-31"}).strip() == "[]"
    assert '"musk-2025"' in due_without_option({"LEDGER_TODAY": "2026-01-01"})
    # the option wins over the environment
    result = CliRunner().invoke(app, ["--db", str(cli.db), "--today", "2025-12-31", "due",
                                      "--format", "json"], env={"LEDGER_TODAY": "2026-01-01"})
    assert result.stdout.strip() == "[]"


def test_resolve_and_re_resolve_keep_history(cli):
    add_musk(cli)
    cli.ok("resolve", "musk-2025", "--outcome", "false", "--on", "2026-01-01",
           "--evidence", "no AI surpassed the best humans by 2025")
    shown = cli.ok("show", "musk-2025", "--format", "json").json()
    assert (shown["outcome"], shown["resolved_on"], shown["status"]) == \
        ("no", "2026-01-01", "resolved")
    cli.refused("resolve", "musk-2025", "--outcome", "yes", match="--reason")
    cli.ok("resolve", "1", "--outcome", "ambiguous", "--reason", "criteria disputed")
    shown = cli.ok("show", "1", "--format", "json").json()
    assert shown["outcome"] == "ambiguous"
    kinds = [e["kind"] for e in shown["history"]]
    assert kinds == ["add", "resolve", "re-resolve"]
    assert shown["history"][2]["payload"]["previous"]["outcome"] == "no"
    text = cli.ok("show", "1").stdout
    assert "replaces no on 2026-01-01" in text and "criteria disputed" in text


def test_no_before_the_deadline_needs_force_and_reason(cli):
    cli.ok("add", "Soon", "--by", "B", "--made", "2026-01-01", "--deadline", "2026-12-31")
    cli.refused("resolve", "1", "--outcome", "no", match="can still come true")
    cli.refused("resolve", "1", "--outcome", "no", "--force", match="--reason")
    cli.ok("resolve", "1", "--outcome", "no", "--force", "--reason", "the company closed")
    assert cli.ok("show", "1", "--format", "json").json()["outcome"] == "no"


def test_show_prints_everything_and_the_history(cli):
    add_musk(cli)
    out = cli.ok("show", "musk-2025").stdout
    assert "甚至可能不需要等到明年,也许就在2026年" in out
    assert "due (333 days overdue)" in out
    assert "history:" in out and "add: recorded, deadline 2025-12-31" in out


def test_supersedes_links_restatements(cli):
    add_musk(cli)
    cli.ok("add", "AI smarter than any human by end of 2026", "--by", "Elon Musk",
           "--made", "2026-01-22", "--deadline", "end of 2026", "--supersedes", "musk-2025")
    assert cli.ok("show", "2", "--format", "json").json()["supersedes"] == 1
    history = cli.ok("show", "1", "--format", "json").json()["history"]
    assert history[-1]["kind"] == "supersede"
    cli.refused("add", "x", "--by", "Someone Else", "--made", "2026-01-22", "--deadline",
                "2027", "--supersedes", "1", match="same claimant")


def test_export_import_reproduces_the_ledger_exactly(cli, tmp_path):
    add_musk(cli, tag="musk", p="0.6")
    cli.ok("add", "两年内实现", "--by", "某人", "--made", "2024-05", "--within", "两年内")
    cli.ok("resolve", "1", "--outcome", "no", "--evidence", "none")
    exported = cli.export()
    (tmp_path / "x.json").write_text(exported, encoding="utf-8")
    from tests.conftest import Cli

    other = Cli(tmp_path / "copy.sqlite")
    other.ok("import", str(tmp_path / "x.json"))
    assert other.export() == exported
    other.ok("verify")


def test_import_into_a_nonempty_ledger_adds_new_predictions(cli, tmp_path):
    add_musk(cli)
    from tests.conftest import Cli

    other = Cli(tmp_path / "other.sqlite")
    other.ok("init")
    other.ok("add", "Something", "--by", "Me", "--made", "2026-01-01", "--deadline", "2027")
    (tmp_path / "x.json").write_text(cli.export(), encoding="utf-8")
    other.ok("import", str(tmp_path / "x.json"))
    rows = other.ok("list", "--format", "json").json()
    assert [(r["id"], r["key"]) for r in rows] == [(1, "me-2026-something"), (2, "musk-2025")]
    # The merged prediction keeps its own history: its add, at the time it was recorded.
    here = other.ok("show", "2", "--format", "json").json()["history"]
    there = cli.ok("show", "1", "--format", "json").json()["history"]
    assert [(e["kind"], e["recorded_at"]) for e in here] == \
        [(e["kind"], e["recorded_at"]) for e in there]
    other.ok("verify")
    again = other.ok("import", str(tmp_path / "x.json")).stdout
    assert "0 added, 1 already present" in again


def test_text_in_any_script_round_trips(cli):
    claim = "مرحبا — 你好 — שלום — 🤖 — e\u0301"
    cli.ok("add", claim, "--by", "Ärger Ñandú", "--made", "2026-01-01", "--deadline", "2027",
           "--note", "line one\nline two")
    row = cli.ok("show", "1", "--format", "json").json()
    assert row["claim"] == claim and row["claimant"] == "Ärger Ñandú"
    assert row["note"] == "line one\nline two"


def test_export_to_a_file_and_as_csv(cli, tmp_path):
    add_musk(cli)
    target = tmp_path / "out.json"
    cli.ok("export", "-o", str(target))
    assert target.read_text(encoding="utf-8") == cli.export()
    lines = cli.ok("export", "--format", "csv").stdout.splitlines()
    assert lines[0].startswith("uid,key,claim,claimant,made_on") and "musk-2025" in lines[1]


def test_seeding_a_ledger_that_holds_records_is_refused(seeded):
    seeded.refused("init", "--seed", match="already holds records")


def test_init_on_an_existing_ledger_keeps_it(cli):
    add_musk(cli)
    cli.ok("init")
    assert len(cli.ok("list", "--format", "json").json()) == 1


def test_record_listings_equal_prediction_listings(seeded, today):
    """JSON and CSV come from plain records (fast); they must match the Prediction path."""
    from forecast_ledger import render

    with Ledger.open(str(seeded.db)) as ledger:
        for fmt in ("json", "csv"):
            slow = render.listing(ledger.predictions(today=today), today, fmt)
            fast = render.record_listing(ledger.iter_records(today=today),
                                         today, fmt)
            assert fast == slow
            slow = render.listing(ledger.due(today=today), today, fmt)
            fast = render.record_listing(ledger.due_records(today=today), today, fmt)
            assert fast == slow


def test_add_can_answer_in_json(cli):
    [row] = cli.ok("add", "X", "--by", "Y", "--made", "2026-01-01", "--deadline", "Q3 2027",
                   "--format", "json").json()
    assert (row["id"], row["deadline"], row["deadline_precision"], row["status"]) == \
        (1, "2027-09-30", "quarter", "pending")


def test_a_merged_import_renumbers_supersedes_and_needs_them_in_order(cli, tmp_path):
    import json

    from tests.conftest import Cli

    add_musk(cli)
    cli.ok("add", "AI smarter than any human", "--by", "Elon Musk", "--made", "2026-01-22",
           "--deadline", "end of 2026", "--supersedes", "musk-2025", "--key", "musk-2026")
    other = Cli(tmp_path / "other.sqlite")
    other.ok("init")
    other.ok("add", "Something", "--by", "Me", "--made", "2026-01-01", "--deadline", "2027")
    doc = json.loads(cli.export())
    (tmp_path / "in-order.json").write_text(json.dumps(doc), encoding="utf-8")
    doc["predictions"].reverse()
    del doc["events"]  # without a history, the file's order is the only order
    (tmp_path / "reversed.json").write_text(json.dumps(doc), encoding="utf-8")

    other.refused("import", str(tmp_path / "reversed.json"), match="not earlier in the file")
    other.ok("import", str(tmp_path / "in-order.json"))
    merged = other.ok("show", "musk-2026", "--format", "json").json()
    assert merged["id"] == 3 and merged["supersedes"] == 2


def test_made_defaults_to_today(cli):
    out = cli.ok("add", "Quick capture", "--by", "me", "--within", "6 months", "--p", "0.7")
    assert "deadline 2027-05-29 (day precision" in out.stdout
    assert cli.ok("show", "1", "--format", "json").json()["made_on"] == "2026-11-29"


def test_by_topic_and_tag_match_without_case_and_score_groups_claimants(cli):
    for claimant, topic, tag in (("Alice Zhang", "AI-Timelines", "Musk"),
                                 ("alice zhang", "ai-timelines", "musk"),
                                 ("Ärger", "Straße", "ÉTÉ")):
        cli.ok("add", f"claim by {claimant}", "--by", claimant, "--made", "2024-01-01",
               "--deadline", "2025", "--topic", topic, "--tag", tag, "--p", "0.6")
    assert len(cli.ok("list", "--by", "ALICE ZHANG", "--format", "json").json()) == 2
    assert len(cli.ok("list", "--topic", "ai-TIMELINES", "--format", "json").json()) == 2
    assert len(cli.ok("list", "--tag", "MUSK", "--format", "json").json()) == 2
    assert len(cli.ok("list", "--by", "ärger", "--format", "json").json()) == 1
    assert len(cli.ok("list", "--tag", "été", "--format", "json").json()) == 1
    for pid in (1, 2):
        cli.ok("resolve", str(pid), "--outcome", "yes", "--on", "2025-06-01")
    claimants = cli.ok("score", "--format", "json").json()["claimants"]
    alice = [c for c in claimants if c["claimant"].casefold() == "alice zhang"]
    assert len(alice) == 1 and alice[0]["yes"] == 2
    assert cli.ok("score", "--by", "alice zhang", "--format", "json").json()["overall"][
        "yes"] == 2


@pytest.mark.parametrize("args", [[], ["trend"]])
def test_no_command_prints_help_as_help(args):
    from typer.testing import CliRunner

    from forecast_ledger.cli import app

    result = CliRunner().invoke(app, args, prog_name="ledger")
    assert result.exit_code == 0 and result.stderr == ""
    assert result.stdout.startswith("Usage: ledger") and "Commands:" in result.stdout


def test_version():
    from typer.testing import CliRunner

    from forecast_ledger import __version__
    from forecast_ledger.cli import app

    result = CliRunner().invoke(app, ["--version"])
    assert (result.exit_code, result.stdout) == (0, f"forecast-ledger {__version__}\n")


@pytest.mark.parametrize("width", ["80", "100", "160"])
def test_tables_fit_the_terminal_and_wide_never_shortens(seeded, monkeypatch, width):
    from wcwidth import wcswidth

    monkeypatch.setenv("COLUMNS", width)
    for args in (["list"], ["due", "--within", "60d"], ["list", "--status", "due"]):
        out = seeded.ok(*args).stdout
        assert max(wcswidth(line) for line in out.splitlines()) <= int(width), (args, out)
    wide = seeded.ok("list", "--wide").stdout
    assert "…" not in wide
    assert "METR trend, as extrapolated by the" in wide
    if width == "160":  # room enough: claimants and tags are not cut
        out = seeded.ok("list").stdout
        assert "Elon Musk" in out and "p" in out.splitlines()[0].split()
        assert "tags" in out.splitlines()[0] and "0.50" in out


def test_list_search_sort_and_limit(seeded):
    found = seeded.ok("list", "--search", "smarter", "--format", "json").json()
    assert found and all("smarter" in (r["claim"] + (r["quote"] or "")).casefold() or
                         "smarter" in (r["note"] or "").casefold() for r in found)
    chinese = seeded.ok("list", "--search", "人类", "--format", "json").json()
    assert chinese and all("人类" in (r["claim"] + (r["quote"] or "") + (r["note"] or ""))
                           for r in chinese)
    latest = seeded.ok("list", "--sort", "-deadline", "--limit", "3", "--format", "json").json()
    deadlines = [r["deadline"] for r in latest]
    assert len(latest) == 3 and deadlines == sorted(deadlines, reverse=True)
    everything = [r["deadline"] for r in seeded.ok("list", "--format", "json").json()]
    assert deadlines[0] == max(everything)
    seeded.refused("list", "--sort", "colour", match="cannot sort by")
    seeded.refused("list", "--limit", "0", match="limit")
    seeded.refused("list", "--search", " ", match="search text is empty")
