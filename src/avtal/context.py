"""The data a clause sees: the parameters as plain data with parties resolved.

Wherever the parameter file names a party by id (chair, employer, approved_by…), the
context holds the whole party, so ``{{ host.name }}`` and ``{{ m.employer.name }}`` work.
Defaults that depend on other values (a party's styrelse) are filled in here, once.
"""

from __future__ import annotations

from typing import Any

from avtal.costs import compute_shares
from avtal.model import Params, Party

#: Names a clause may use at top level (besides ``ref``).
CONTEXT_NAMES = (
    "form",
    "document",
    "activity",
    "parties",
    "host",
    "partners",
    "term",
    "governance",
    "costs",
    "shares",
    "insight",
    "delegation",
    "audit",
    "personal_data",
    "procurement",
    "disputes",
)


def _party(party: Party) -> dict[str, Any]:
    data = party.model_dump()
    data["styrelse"] = party.styrelse_name
    data["fullmaktige"] = party.fullmaktige_name
    return data


def build_context(params: Params) -> dict[str, Any]:
    """Turn validated parameters into the clause context."""
    parties = {p.id: _party(p) for p in params.parties}
    data = params.model_dump()
    council = data["governance"]["steering_council"]
    council["chair"] = parties[council["chair"]]
    for member in council["members"]:
        member["party"] = parties[member["party"]]
    reports = data["insight"]["quarterly_reports"]
    reports["approved_by"] = [parties[i] for i in reports["approved_by"]]
    for matter in data["delegation"]["matters"]:
        matter["employer"] = parties[matter["employer"]]
    data["parties"] = list(parties.values())
    data["host"] = parties[params.host.id]
    data["partners"] = [parties[p.id] for p in params.parties if not p.host]
    data["shares"] = [
        {
            "party": parties[s.party_id],
            "percent": s.percent,
            "basis_value": s.basis_value,
            "example_amount": s.example_amount,
        }
        for s in compute_shares(params)
    ]
    return data
