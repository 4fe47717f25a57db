"""Kill rate per module from mutmut's results (mutants/**/*.meta), leaving out the mutants
listed in tools/equivalent-mutants.txt (one name per line, then '#' and the reason).

    python tools/mutation_report.py [EARLIER_RESULTS_DIR ...]

Results of an earlier run (a copy of its mutants/ folder) fill in mutants the latest run did
not check, e.g. after `mutmut run 'forecast_ledger.store.verify*'` re-ran one module. Only
the mutants of the code as it is now (those in mutants/) are counted: mutmut forgets the
results of a function that changed, and its old mutants' names may mean other changes."""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
KILLED = {1, 3, 36, 24, -24, 152, 255}  # a failing test, pytest's internal error, a timeout


def equivalent() -> set[str]:
    path = ROOT / "tools" / "equivalent-mutants.txt"
    if not path.exists():
        return set()
    return {line.split("#", 1)[0].strip() for line in path.read_text().splitlines()
            if line.split("#", 1)[0].strip()}


def _results(folder: Path) -> dict[str, tuple[str, int | None]]:
    """mutant name -> (module, exit code or None when not run) of one mutants/ folder."""
    results = {}
    for meta in sorted(folder.rglob("*.py.meta")):
        module = str(meta.relative_to(folder))[:-len(".meta")]
        for name, code in json.loads(meta.read_text())["exit_code_by_key"].items():
            results[name] = (module, code)
    return results


def main() -> int:
    skip = equivalent()
    killed: Counter[str] = Counter()
    total: Counter[str] = Counter()
    survivors: list[str] = []
    current = _results(ROOT / "mutants")
    latest: dict[str, tuple[str, int]] = {}
    for folder in [*(Path(a) for a in sys.argv[1:]), ROOT / "mutants"]:  # the last one wins
        for name, (module, code) in _results(folder).items():
            if code is not None and name in current:
                latest[name] = (module, code)
    for name, (module, code) in sorted(latest.items()):
        if name in skip:
            continue
        total[module] += 1
        if code in KILLED:
            killed[module] += 1
        else:
            survivors.append(f"{name} (exit {code})")
    if not total:
        print("no results: run tools/mutation.sh first")
        return 1
    print(f"{'module':<45} {'killed':>7} {'of':>5} {'rate':>7}")
    for module in sorted(total):
        print(f"{module:<45} {killed[module]:>7} {total[module]:>5} "
              f"{killed[module] / total[module]:>7.1%}")
    everything = sum(total.values())
    print(f"{'all':<45} {sum(killed.values()):>7} {everything:>5} "
          f"{sum(killed.values()) / everything:>7.1%}")
    print(f"equivalent mutants left out: {len(skip)}")
    if survivors:
        print("survivors:\n  " + "\n  ".join(survivors))
    return 0


if __name__ == "__main__":
    sys.exit(main())
