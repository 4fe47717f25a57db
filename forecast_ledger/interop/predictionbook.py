"""PredictionBook's JSON (its API's ``my_predictions``, what Fatebook's importer reads).

``{"predictions": [{id, description, created_at, deadline, outcome, updated_at, withdrawn,
responses: [{id, confidence, user_label, created_at, comment}]}]}`` (a bare list of
predictions is read too). Each response with a confidence (0–100) becomes one prediction
by its user; responses without one are comments and are left out. ``outcome`` true/false
is the verdict, null is unresolved; a withdrawn question is annulled. PredictionBook does
not record when a question was judged, so ``updated_at`` stands for it (as Fatebook's own
importer does).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from forecast_ledger.interop.common import Where, field, iso_moment, utc_day


def convert(document: Any, name: str) -> Iterator[dict]:
    if isinstance(document, dict):
        questions = field(document, "predictions", Where(name, "$"), list)
        path = "$.predictions"
    elif isinstance(document, list):
        questions, path = document, "$"
    else:
        raise Where(name, "$").fail("expected an object with 'predictions' or a list")
    for number, question in enumerate(questions):
        yield from _question(question, Where(name, f"{path}[{number}]"))


def _question(question: Any, where: Where) -> Iterator[dict]:
    qid = field(question, "id", where, int)
    description = field(question, "description", where, str)
    deadline = utc_day(iso_moment(field(question, "deadline", where, str), where,
                                  "deadline"))
    outcome = question.get("outcome")
    if outcome not in (True, False, None):
        raise Where(where.name, f"{where.at}.outcome").fail(
            f"{outcome!r} is not true, false or null")
    verdict: dict[str, Any] = {}
    if outcome is not None or question.get("withdrawn") is True:
        judged = utc_day(iso_moment(field(question, "updated_at", where, str), where,
                                    "updated_at"))
        verdict = {"outcome": "annulled" if outcome is None else "yes" if outcome else "no",
                   "resolved_on": judged.isoformat(),
                   "evidence": "judged on PredictionBook"
                   + (" (withdrawn)" if outcome is None else "")}
    responses = field(question, "responses", where, list, required=False) or []
    for number, response in enumerate(responses):
        at = Where(where.name, f"{where.at}.responses[{number}]")
        confidence = field(response, "confidence", at, (int, float), required=False)
        if confidence is None:
            continue
        if not 0 <= confidence <= 100:
            raise Where(at.name, f"{at.at}.confidence").fail(
                f"{confidence!r} is not between 0 and 100")
        made = utc_day(iso_moment(field(response, "created_at", at, str), at, "created_at"))
        rid = field(response, "id", at, int, required=False)
        yield at.record({
            "uid": f"predictionbook:{qid}:{rid if rid is not None else number}",
            "claim": description,
            "claimant": field(response, "user_label", at, str),
            "made_on": made.isoformat(),
            "deadline": deadline.isoformat(),
            "deadline_expression": f"deadline {deadline.isoformat()} (PredictionBook)",
            "probability": confidence / 100,
            "source_url": f"https://predictionbook.com/predictions/{qid}",
            "source_title": "PredictionBook",
            **verdict,
        })
