"""forecast-ledger: keep score on dated predictions.

``from forecast_ledger import Ledger`` gives the Python API that the ``ledger`` command uses.
"""

from typing import Any

__version__ = "0.1.0"
__all__ = ["Ledger", "__version__"]


def __getattr__(name: str) -> Any:
    # Lazy, so that importing the package (and `ledger --help`) does not load SQLAlchemy.
    if name == "Ledger":
        from forecast_ledger.store.ledger import Ledger

        return Ledger
    raise AttributeError(name)
