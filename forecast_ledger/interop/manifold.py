"""Manifold markets as its API gives them (``/v0/market/ID``; a list of them is read too).

A binary market becomes one prediction by "Manifold market": its probability as of the
market's last update (its last trade), due at its close time. YES/NO resolve it; MKT (the
creator resolved to a percentage) is ambiguous; CANCEL annuls it. Times are Unix
milliseconds. A newer export of the same market is the same prediction (uid
``manifold:ID``): the store takes its resolution, or its moved probability as an edit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Any

from forecast_ledger.interop.common import Where, field, unix_moment, utc_day

CLAIMANT = "Manifold market"
OUTCOMES = {"YES": "yes", "NO": "no", "MKT": "ambiguous", "CANCEL": "annulled"}


def is_manifold(document: Any) -> bool:
    first = document[0] if isinstance(document, list) and document else document
    return isinstance(first, dict) and "createdTime" in first and "question" in first


def convert(document: Any, name: str) -> Iterator[dict]:
    if isinstance(document, dict):
        yield _market(document, Where(name, "$"))
    elif isinstance(document, list):
        for number, market in enumerate(document):
            yield _market(market, Where(name, f"$[{number}]"))
    else:
        raise Where(name, "$").fail("expected a Manifold market object or a list of them")


def _ms(market: dict, key: str, where: Where, *, required: bool = True) -> dt.date | None:
    value = field(market, key, where, (int, float), required=required)
    if value is None:
        return None
    return utc_day(unix_moment(value, Where(where.name, f"{where.at}.{key}"), key,
                               per_second=1000))


def _market(market: Any, where: Where) -> dict:
    mid = field(market, "id", where, str)
    kind = market.get("outcomeType", "BINARY") if isinstance(market, dict) else None
    if kind != "BINARY":
        raise Where(where.name, f"{where.at}.outcomeType").fail(
            f"{kind!r} markets are not read (binary markets are)")
    close = _ms(market, "closeTime", where)
    assert close is not None
    made = (_ms(market, "lastBetTime", where, required=False)
            or _ms(market, "lastUpdatedTime", where, required=False)
            or _ms(market, "createdTime", where))
    assert made is not None
    made = min(made, close)  # trading stops at the close; a later update is the verdict's
    fields: dict[str, Any] = {
        "uid": f"manifold:{mid}",
        "claim": field(market, "question", where, str),
        "claimant": CLAIMANT,
        "made_on": made.isoformat(),
        "deadline": close.isoformat(),
        "deadline_expression": f"market closes {close.isoformat()}",
        "probability": field(market, "probability", where, (int, float)),
        "source_url": market.get("url") if isinstance(market.get("url"), str) else None,
        "source_title": "Manifold",
    }
    if market.get("isResolved") is True:
        resolution = field(market, "resolution", where, str)
        if resolution not in OUTCOMES:
            raise Where(where.name, f"{where.at}.resolution").fail(
                f"{resolution!r} is not YES, NO, MKT or CANCEL")
        resolved = _ms(market, "resolutionTime", where)
        fields |= {"outcome": OUTCOMES[resolution], "resolved_on": resolved.isoformat(),
                   "evidence": f"Manifold resolved the market {resolution}"}
    return where.record(fields)
