"""A killed import leaves none or all (SPEC §7)."""


import json
import signal
import subprocess
import sys
import time

from forecast_ledger import Ledger
from tests.conftest import Cli

# --- crashes --------------------------------------------------------------------------------

def test_sigkill_during_a_large_import_leaves_none_or_all(tmp_path):
    db = tmp_path / "crash.sqlite"
    cli = Cli(db)
    cli.ok("init")
    cli.ok("add", "Existing", "--by", "A", "--made", "2024-01-01", "--deadline", "2030")
    record = json.loads(cli.export())["predictions"][0]
    rows = [{**record, "id": i, "uid": f"bulk:{i}", "key": f"bulk-{i}", "claim": f"claim {i}"}
            for i in range(1, 50_001)]
    path = tmp_path / "big.json"
    path.write_text(json.dumps({"format": "forecast-ledger", "version": 1,
                                "predictions": rows}), encoding="utf-8")
    proc = subprocess.Popen([sys.executable, "-m", "forecast_ledger", "--db", str(db), "import",
                             str(path)], stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    wal = tmp_path / "crash.sqlite-wal"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and (not wal.exists() or wal.stat().st_size < 2_000_000):
        time.sleep(0.05)  # wait until the import is well under way, writing pages
    proc.send_signal(signal.SIGKILL)
    assert proc.wait() == -signal.SIGKILL, "the import finished before it could be killed"
    with Ledger.open(str(db)) as ledger:
        report = ledger.verify()
    assert report.predictions in (1, 50_001)
