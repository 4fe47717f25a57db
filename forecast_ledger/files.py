"""Writing files safely: never over the ledger, never half-written.

Every file the ledger writes (an export, a backup, a chart, a report, a ledger built by an
import) is written to a temporary file in the target's folder and renamed into place when
it is complete, so a failure or a kill leaves the old file or none, never a partial one.
A hidden ``.NAME.*.tmp`` file may stay behind after a kill; it is never the target.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from forecast_ledger.errors import InputError

# The files SQLite keeps beside a ledger file.
SIDE_SUFFIXES = ("", "-wal", "-shm", "-journal")


def check_output(target: Path, ledger: Path | None = None) -> Path:
    """Refuse an output path that is the ledger or one of its side files (by path or by
    inode), a folder, or in a folder that does not exist. Returns the target."""
    if target.is_dir():
        raise InputError(f"{target} is a folder; give a file name to write")
    folder = target.parent
    if not folder.is_dir():
        raise InputError(f"the folder {folder} does not exist; create it first")
    if ledger is not None:
        for suffix in SIDE_SUFFIXES:
            side = Path(f"{ledger}{suffix}")
            same = side.resolve() == target.resolve() or (
                side.exists() and target.exists() and os.path.samefile(side, target))
            if same:
                what = f"the ledger's {suffix[1:]} file" if suffix else "the ledger itself"
                raise InputError(f"{target} is {what}; writing there would destroy the "
                                 "ledger. Choose another file")
    return target


@contextmanager
def replaced_on_success(target: Path) -> Iterator[Path]:
    """A temporary path beside ``target``, renamed to ``target`` if the block succeeds
    and removed if it fails."""
    fd, name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    os.close(fd)
    temporary = Path(name)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(temporary, 0o666 & ~umask)  # as an ordinary new file (mkstemp makes it 0600)
    try:
        yield temporary
        os.replace(temporary, target)
    except BaseException:
        for suffix in SIDE_SUFFIXES:
            Path(f"{temporary}{suffix}").unlink(missing_ok=True)
        raise


@contextmanager
def text_output(target: Path) -> Iterator[IO[str]]:
    """A text file (UTF-8, no newline translation) that appears at ``target`` complete,
    or not at all."""
    with replaced_on_success(target) as temporary, \
            open(temporary, "w", encoding="utf-8", newline="") as out:
        yield out
