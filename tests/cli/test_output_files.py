"""Files the ledger writes: never over the ledger, never half-written (issue 11, item 1)."""

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from forecast_ledger.files import replaced_on_success, text_output
from tests.conftest import Cli


def _add(cli):
    cli.ok("add", "Kept", "--by", "A", "--made", "2024-01-01", "--deadline", "2030",
           "--key", "kept")


@pytest.mark.parametrize("fmt", ["json", "csv"])
@pytest.mark.parametrize("suffix", ["", "-wal", "-shm"])
def test_export_onto_the_ledger_or_its_side_files_is_refused(sqlite_cli, fmt, suffix):
    _add(sqlite_cli)
    size = sqlite_cli.db.stat().st_size
    sqlite_cli.refused("export", "--format", fmt, "-o", f"{sqlite_cli.db}{suffix}", match="destroy")
    assert sqlite_cli.db.stat().st_size == size
    sqlite_cli.ok("verify")


def test_export_onto_the_ledger_by_another_name_is_refused(sqlite_cli, tmp_path):
    _add(sqlite_cli)
    (tmp_path / "sub").mkdir()
    hard = tmp_path / "hard.sqlite"
    os.link(sqlite_cli.db, hard)
    soft = tmp_path / "soft.sqlite"
    soft.symlink_to(sqlite_cli.db)
    for alias in (hard, soft, tmp_path / "sub" / ".." / sqlite_cli.db.name):
        sqlite_cli.refused("export", "-o", str(alias), match="destroy")
    sqlite_cli.ok("verify")


def test_backup_onto_the_ledger_is_refused(sqlite_cli):
    _add(sqlite_cli)
    sqlite_cli.refused("backup", str(sqlite_cli.db), match="destroy")
    sqlite_cli.ok("verify")


@pytest.mark.parametrize("command", [["export", "-o"], ["backup"]])
def test_an_output_in_a_missing_folder_or_that_is_a_folder_is_refused(cli, tmp_path, command):
    cli.refused(*command, str(tmp_path / "nowhere" / "x.json"), match="does not exist")
    cli.refused(*command, str(tmp_path), match="is a folder")


def test_export_replaces_an_old_file_whole(cli, tmp_path):
    _add(cli)
    target = tmp_path / "out.json"
    target.write_text("old", encoding="utf-8")
    cli.ok("export", "-o", str(target))
    assert json.loads(target.read_text(encoding="utf-8"))["predictions"][0]["key"] == "kept"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".out")] == []


def test_a_failed_write_leaves_the_old_file_and_no_temporary(tmp_path):
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")
    with pytest.raises(RuntimeError), text_output(target) as out:
        out.write("half of the new")
        raise RuntimeError("killed midway")
    assert target.read_text(encoding="utf-8") == "old"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["out.txt"]


def test_a_new_file_gets_ordinary_permissions(tmp_path):
    target = tmp_path / "new.txt"
    with replaced_on_success(target) as temporary:
        temporary.write_text("x", encoding="utf-8")
    umask = os.umask(0)
    os.umask(umask)
    assert target.stat().st_mode & 0o777 == 0o666 & ~umask


def test_a_failed_import_into_a_new_path_leaves_no_file(tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text('{"format": "forecast-ledger", "version": 2, "predictions": [{}]}',
                   encoding="utf-8")
    target = tmp_path / "new.sqlite"
    Cli(target).refused("import", str(bad), is_ledger=False, match="malformed")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.json"]


def _big_export(tmp_path, n):
    cli = Cli(tmp_path / "source.sqlite")
    cli.ok("init")
    _add(cli)
    data = json.loads(cli.export())
    record = data["predictions"][0]
    rows = [{**record, "id": i, "uid": f"bulk:{i}", "key": f"bulk-{i}", "claim": f"claim {i}"}
            for i in range(1, n + 1)]
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"format": "forecast-ledger", "version": 2,
                                "predictions": rows}), encoding="utf-8")
    return path


def _size(path):
    """The file's size, 0 if it went away meanwhile (SQLite's journal comes and goes)."""
    try:
        return path.stat().st_size
    except FileNotFoundError:
        return 0


def test_a_killed_import_into_a_new_path_leaves_no_ledger_and_can_be_rerun(tmp_path):
    path = _big_export(tmp_path, 60_000)
    target = tmp_path / "new.sqlite"
    command = [sys.executable, "-m", "forecast_ledger", "--db", str(target), "import", str(path)]
    proc = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not any(
            p.name.startswith(".new.sqlite.") and _size(p) > 1_000_000
            for p in tmp_path.iterdir()):
        time.sleep(0.02)  # until the import is well under way
    proc.send_signal(signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL, "the import finished before it could be killed"
    assert not target.exists()
    done = subprocess.run(command, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert Cli(target).ok("verify").stdout.startswith("ok: 60000 events, 60000 predictions")
