"""The shipped claims: every fixture's deadline against its source, and the shipped ledger."""

import json
import shutil

from tests.conftest import REPO, Cli

# The deadline each source implies, worked out by hand from the quoted words (CLAIMS.md).
EXPECTED_DEADLINES = {
    "musk-2020-vastly-smarter": "2025-07-25",  # 2020-07-25 + "less than five years"
    "musk-2025-smarter-than-any-human": "2025-12-31",  # said 2024: "end of next year"
    "musk-2026-smarter-than-any-human": "2026-12-31",  # said 2026: "end of this year"
    "musk-2031-smarter-than-humanity": "2031-12-31",  # "by 2030 or 2031"
    "kurzweil-2002-turing-test": "2029-12-31",
    "kurzweil-2005-turing-test": "2029-12-31",
    "kurzweil-2017-turing-test": "2029-12-31",
    "kurzweil-2005-singularity": "2045-12-31",
    "espai-2016-hlmi": "2061-12-31",
    "espai-2022-hlmi": "2059-12-31",
    "espai-2023-hlmi": "2047-12-31",
    "espai-2022-faol": "2164-12-31",
    "espai-2023-faol": "2116-12-31",
    "balwit-2024-last-years-of-work": "2027-05-17",  # 2024-05-17 + three years
    "ba-2026-recursive-self-improvement": "2027-02-10",  # 2026-02-10 + 12 months
    "article-metr-days-1y": "2027-02-15",  # 2026-02-15 + 一年
    "article-metr-weeks-2y": "2028-02-15",  # + 两年
    "article-metr-month-3y": "2029-02-15",  # + 三年
    "agi-index-2020-q1": "2053-12-31",
    "agi-index-2022-q3": "2035-12-31",
    "agi-index-2025-q1": "2029-12-31",
}


def test_every_fixture_resolves_to_the_deadline_its_source_implies(seeded):
    rows = {r["key"]: r for r in seeded.ok("list", "--format", "json").json()}
    assert all(r["key"] for r in rows.values())
    for key, deadline in EXPECTED_DEADLINES.items():
        assert rows[key]["deadline"] == deadline, key
    assert sum(k.startswith("agi-index-") for k in rows) == 21  # 2020 Q1 … 2025 Q1


def test_musk_restatements_are_linked(seeded):
    rows = {r["key"]: r for r in seeded.ok("list", "--format", "json").json()}
    assert rows["musk-2026-smarter-than-any-human"]["supersedes"] == \
        rows["musk-2025-smarter-than-any-human"]["id"]
    assert rows["musk-2025-smarter-than-any-human"]["supersedes"] == \
        rows["musk-2020-vastly-smarter"]["id"]


def test_due_within_60_days_as_of_2026_11_29(seeded):
    rows = seeded.ok("due", "--within", "60d", "--format", "json").json()
    by_key = {r["key"]: r for r in rows}
    assert by_key["musk-2025-smarter-than-any-human"]["days_overdue"] == 333
    assert by_key["musk-2026-smarter-than-any-human"]["days_overdue"] == -32
    assert by_key["musk-2026-smarter-than-any-human"]["status"] == "pending"


def test_chinese_quotes_show_intact(seeded):
    out = seeded.ok("show", "ba-2026-recursive-self-improvement").stdout
    assert "递归式自我提升循环很可能在未来12个月内上线。" in out
    out = seeded.ok("show", "article-metr-month-3y").stdout
    assert "三年内,能独立完成长达一个月的项目。" in out


def _comparable(export_text: str) -> dict:
    """An export without the moments events were recorded (and so without their hashes)."""
    data = json.loads(export_text)
    for event in data["events"]:
        for field in ("recorded_at", "prev_hash", "hash"):
            event.pop(field)
    return data


def test_shipped_ledger_is_a_fresh_build_of_the_fixtures(tmp_path, seeded):
    copy = tmp_path / "shipped.sqlite"
    shutil.copy(REPO / "predictions.sqlite", copy)
    shipped = Cli(copy)
    assert _comparable(shipped.export()) == _comparable(seeded.export()), (
        "predictions.sqlite differs from fixtures/: rebuild it (README, 'Rebuilding the "
        "shipped ledger')")
    shipped.ok("verify")


def test_init_seed_works_from_a_wheel(tmp_path):
    """A normal (not editable) install carries the fixtures as package data."""
    import os
    import subprocess
    import sys

    subprocess.run([sys.executable, "-m", "pip", "wheel", "-q", "--no-deps", "-w",
                    str(tmp_path / "wheel"), str(REPO)], check=True, capture_output=True)
    [wheel] = (tmp_path / "wheel").glob("*.whl")
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps", "--target",
                    str(tmp_path / "site"), str(wheel)], check=True, capture_output=True)
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "site"), "LEDGER_TODAY": "2026-11-29"}
    done = subprocess.run([sys.executable, "-m", "forecast_ledger", "--db",
                           str(tmp_path / "l.sqlite"), "init", "--seed"], capture_output=True,
                          text=True, env=env, cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert "16 resolved, 54 predictions, 12 milestones" in done.stdout
    where = subprocess.run([sys.executable, "-c", "import forecast_ledger; "
                            "print(forecast_ledger.__file__)"], capture_output=True, text=True,
                           env=env, cwd=tmp_path)
    assert where.stdout.startswith(str(tmp_path / "site"))
    # every package of the source tree, and every file they read, is in the wheel
    source = {p.parent.relative_to(REPO) for p in (REPO / "forecast_ledger").rglob("__init__.py")}
    installed = {p.parent.relative_to(tmp_path / "site")
                 for p in (tmp_path / "site" / "forecast_ledger").rglob("__init__.py")}
    assert source <= installed
    for data in ("report/templates/report.html.j2",):
        assert (tmp_path / "site" / "forecast_ledger" / data).is_file()
