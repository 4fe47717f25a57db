"""Property-based tests: any input gets a result or the ledger's own error, never a crash."""

import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from forecast_ledger.domain.dates import parse_duration, parse_period, resolve_deadline
from forecast_ledger.domain.records import parse_probability
from forecast_ledger.errors import LedgerError
from tests.conftest import Cli

MADE = parse_period("2024-05-17")
FAST = settings(max_examples=300, deadline=None,
                suppress_health_check=[HealthCheck.function_scoped_fixture])
DATE_ALPHABET = st.sampled_from(list("0123456789-/. QHqh年月日内后半个一二两三十底前初中下上"
                                     "inwthyearsmondaykbfl"))


def _either(fn, text):
    try:
        fn(text)
    except LedgerError:
        pass


@FAST
@given(st.text(max_size=40))
def test_deadline_parser_any_text(text):
    _either(lambda t: resolve_deadline(t, MADE), text)
    _either(parse_period, text)
    _either(parse_duration, text)
    _either(parse_probability, text)


@FAST
@given(st.text(alphabet=DATE_ALPHABET, max_size=20))
def test_deadline_parser_date_like_text(text):
    try:
        period = resolve_deadline(text, MADE)
    except LedgerError:
        return
    assert period.last >= MADE.first and period.first <= period.last


@settings(max_examples=25, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_random_or_truncated_import_changes_nothing(tmp_path_factory, data):
    tmp = tmp_path_factory.mktemp("imp")
    cli = Cli(tmp / "l.sqlite")
    cli.ok("init")
    cli.ok("add", "Claim", "--by", "S", "--made", "2026-01-01", "--deadline", "2030")
    exported = cli.export()
    choice = data.draw(st.sampled_from(["truncate", "json", "mutate"]))
    if choice == "truncate":
        cut = data.draw(st.integers(0, len(exported) - 2))
        text = exported[:cut]
    elif choice == "json":
        text = json.dumps(data.draw(st.recursive(
            st.none() | st.booleans() | st.integers() | st.text(max_size=5),
            lambda children: st.lists(children, max_size=3)
            | st.dictionaries(st.text(max_size=5), children, max_size=3), max_leaves=10)))
    else:
        doc = json.loads(exported)
        field = data.draw(st.sampled_from(["claim", "deadline", "made_on", "probability",
                                           "made_precision", "tags", "id", "outcome"]))
        doc["predictions"][0][field] = data.draw(
            st.none() | st.integers() | st.text(max_size=8) | st.floats())
        text = json.dumps(doc)
    path = tmp / "in.json"
    path.write_text(text, encoding="utf-8")
    result = cli("import", str(path))
    assert result.exit_code in (0, 2), result.stderr
    assert "Traceback" not in result.stderr
    if result.exit_code == 2:
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
        assert cli.export() == exported
    else:
        cli.ok("verify")


TEXT = st.text(st.characters(blacklist_categories=("Cs",)), min_size=1, max_size=60) | \
    st.sampled_from(["مرحبا بالعالم", "שלום \u202e עולם", "a\x00b", "x" * 100_000, "\u200f",
                     "=cmd|' /C calc'!A0", "\ufeffBOM", "e\u0301", "   "])


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(claim=TEXT, claimant=TEXT, note=TEXT)
def test_free_text_round_trips_or_is_refused(tmp_path_factory, claim, claimant, note):
    cli = Cli(tmp_path_factory.mktemp("txt") / "l.sqlite")
    cli.ok("init")
    result = cli("add", claim, "--by", claimant, "--note", note, "--made", "2026-01-01",
                 "--deadline", "2030")
    if result.exit_code == 2:
        assert result.stderr.startswith("error: ") and result.stderr.count("\n") == 1
        assert cli.ok("list", "--format", "json").json() == []
        # refused only for a reason a user can see: empty, a NUL, or too long
        assert any(not t.strip() or "\x00" in t or len(t.strip()) > 100_000
                   for t in (claim, claimant, note)), result.stderr
        return
    assert result.exit_code == 0, result.stderr
    row = cli.ok("show", "1", "--format", "json").json()
    assert (row["claim"], row["claimant"], row["note"]) == \
        (claim.strip(), claimant.strip(), note.strip() or None)
    cli.ok("verify")
