"""Docs that cannot drift: every command has help, and the README's commands exist."""

import re

import pytest
from typer.main import get_command
from typer.testing import CliRunner

from forecast_ledger.cli import app
from tests.conftest import REPO


def _commands(group, prefix=()):
    for name, command in group.commands.items():
        yield (*prefix, name), command
        if hasattr(command, "commands"):
            yield from _commands(command, (*prefix, name))


COMMANDS = list(_commands(get_command(app)))


@pytest.mark.parametrize(("path", "command"), COMMANDS, ids=[" ".join(p) for p, _ in COMMANDS])
def test_every_command_has_help(path, command):
    assert command.help and command.help.strip()
    result = CliRunner().invoke(app, [*path, "--help"])
    assert result.exit_code == 0


def test_readme_shows_only_commands_that_exist():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    names = {" ".join(p) for p, _ in COMMANDS}
    code = "\n".join(re.findall(r"```[a-z]*\n(.*?)```", readme, re.S))
    used = re.findall(r"(?:^\$ |&& |^)(?:\.venv/bin/)?ledger (?:--\S+ \S+ )*([a-z]+(?: [a-z]+)?)",
                      code, re.M)
    assert used
    for phrase in used:
        first = phrase.split()[0]
        assert phrase in names or first in names, phrase


def test_readme_opens_with_install_and_test_commands():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    head = readme[:1500]
    assert "pip install" in head and "ledger due" in head and "pytest" in head


def test_readme_due_output_is_what_the_shipped_ledger_prints(tmp_path):
    import shutil

    from tests.conftest import Cli

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = readme.split("$ ledger due --within 60d\n", 1)[1].split("\n\n", 1)[0]
    copy = tmp_path / "shipped.sqlite"
    shutil.copy(REPO / "predictions.sqlite", copy)
    assert Cli(copy).ok("due", "--within", "60d").stdout.rstrip("\n") == shown


def test_readme_compression_and_fit_outputs_are_real(seeded):
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = readme.split("$ ledger compression --topic hlmi-expert-survey\n", 1)[1]
    shown = shown.split("\n```", 1)[0]
    out = seeded.ok("compression", "--topic", "hlmi-expert-survey").stdout
    assert out.split("\n\n", 1)[1].rstrip("\n") == shown  # after the "as of" line
    shown = readme.split("$ ledger trend fit metr-50pct-horizon --to 2025-02-25\n", 1)[1]
    shown = shown.split("\n```", 1)[0]
    out = seeded.ok("trend", "fit", "metr-50pct-horizon", "--to", "2025-02-25").stdout
    assert out.rstrip("\n") == shown


def test_every_command_appears_in_the_readme():
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    missing = [" ".join(path) for path, _ in COMMANDS
               if f"ledger {' '.join(path)}" not in readme
               and not (len(path) == 2 and re.search(rf"ledger {path[0]} [a-z|\\\\]*\b{path[1]}\b",
                                                      readme))]
    assert missing == []


def test_the_readme_python_example_runs(tmp_path, monkeypatch):
    """The README's Python section is run as written, on a copy of the shipped ledger."""
    import shutil

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    code = readme.split("## Python API", 1)[1].split("```python\n", 1)[1].split("```", 1)[0]
    shutil.copy(REPO / "predictions.sqlite", tmp_path / "predictions.sqlite")
    monkeypatch.chdir(tmp_path)
    exec(compile(code, "README.md", "exec"), {})


def test_the_readme_first_session_prints_what_it_shows(tmp_path):
    """Every `ledger` command of the first session runs, in order, on a copy of the shipped
    ledger, and prints exactly the output the README shows under it."""
    import shlex
    import shutil

    from tests.conftest import Cli

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("## A first session", 1)[1].split("```console\n", 1)[1]
    block = block.split("```", 1)[0].replace("\\\n", " ")
    steps, current = [], None
    for line in block.splitlines():
        if line.startswith("$ "):
            current = [line[2:], []]
            steps.append(current)
        elif current is not None:
            current[1].append(line)
    shutil.copy(REPO / "predictions.sqlite", tmp_path / "my.sqlite")
    cli = Cli(tmp_path / "my.sqlite")
    ran = 0
    for command, shown in steps:
        words = shlex.split(command.split("  #")[0])
        if words[0] != "ledger":
            continue
        out = cli.ok(*words[1:]).stdout.rstrip("\n")
        ran += 1
        if shown:
            assert out == "\n".join(shown).rstrip("\n"), command
    assert ran >= 6


def test_readme_score_output_is_what_the_shipped_ledger_prints(tmp_path):
    import shutil

    from tests.conftest import Cli

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    shown = readme.split("$ ledger score\n", 1)[1].split("\n```", 1)[0]
    shutil.copy(REPO / "predictions.sqlite", tmp_path / "shipped.sqlite")
    assert Cli(tmp_path / "shipped.sqlite").ok("score").stdout.rstrip("\n") == shown


def test_readme_metaculus_import_prints_what_it_shows(tmp_path):
    """The "Coming from another tool" example, run as written on a new ledger."""
    from tests.conftest import Cli

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Coming from another tool", 1)[1]
    shown = section.split("$ ledger compression --topic metaculus-5121\n", 1)[1]
    shown = shown.split("\n```", 1)[0]
    cli = Cli(tmp_path / "my.sqlite")
    cli.ok("import", str(REPO / "tests" / "data" / "interop" / "metaculus-5121.json"))
    out = cli.ok("compression", "--topic", "metaculus-5121").stdout
    assert out.split("\n\n", 1)[1].rstrip("\n") == shown


def test_readme_images_are_what_the_commands_make(tmp_path):
    """The two pictures in the README are made by the commands it shows, from the shipped
    ledger: made again, they are the same files."""
    import shlex
    import shutil

    from tests.conftest import Cli

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Charts and the report", 1)[1].split("```console\n", 1)[1]
    commands = [line[2:] for line in section.split("```", 1)[0].splitlines()
                if line.startswith("$ ")]
    assert len(commands) == 2
    shutil.copy(REPO / "predictions.sqlite", tmp_path / "p.sqlite")
    cli = Cli(tmp_path / "p.sqlite")
    for command in commands:
        words = shlex.split(command)
        committed = REPO / words[-1]
        words[-1] = str(tmp_path / committed.name)
        cli.ok(*words[1:])
        assert (tmp_path / committed.name).read_bytes() == committed.read_bytes(), command
        assert f"]({words[-1].replace(str(tmp_path), 'docs')})" in readme


def test_readme_extract_output_is_real(tmp_path):
    import shutil

    from tests.conftest import Cli

    readme = (REPO / "README.md").read_text(encoding="utf-8")
    command = "$ ledger extract tests/data/extract/article.txt --made 2026-02-15\n"
    shown = readme.split(command, 1)[1].split("\n```", 1)[0]
    shutil.copy(REPO / "predictions.sqlite", tmp_path / "p.sqlite")
    out = Cli(tmp_path / "p.sqlite").ok("extract", str(REPO / "tests/data/extract/article.txt"),
                                        "--made", "2026-02-15").stdout
    assert out.rstrip("\n") == shown
