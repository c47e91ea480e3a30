"""The data a clause sees: the parameters as plain data with parties resolved.

Wherever the parameter file names a party by id (chair, employer, approved_by…), the
context holds the whole party, so ``{{ host.name }}`` and ``{{ m.employer.name }}`` work.
Defaults that depend on other values (a party's styrelse) are filled in here, once.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from avtal.clauselib.costs import CENT, HUNDRED, compute_shares, first_period, split
from avtal.load.model import Params, Party

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
    "replaces",
)


def _party(party: Party, data: dict[str, Any]) -> dict[str, Any]:
    """The party's dumped data with the names that default from its kind filled in."""
    data["styrelse"] = party.styrelse_name
    data["fullmaktige"] = party.fullmaktige_name
    return data


def build_context(params: Params) -> dict[str, Any]:
    """Turn validated parameters into the clause context."""
    data = params.model_dump()
    # The parties as Params dumps them: dumping each Party on its own would build a
    # serializer for Party alone, at start-up, for the same result.
    parties = {
        p.id: _party(p, dumped) for p, dumped in zip(params.parties, data["parties"], strict=True)
    }
    if data["governance"] is not None:
        council = data["governance"]["steering_council"]
        council["chair"] = parties[council["chair"]]
        for member in council["members"]:
            member["party"] = parties[member["party"]]
    if data["insight"] is not None:
        reports = data["insight"]["quarterly_reports"]
        reports["approved_by"] = [parties[i] for i in reports["approved_by"]]
    if data["delegation"] is not None:
        for matter in data["delegation"]["matters"]:
            matter["employer"] = parties[matter["employer"]]
    committee = data["committee"]
    if committee is not None:
        committee["chair"] = parties[committee["chair"]]
        if committee["vice_chair"] is not None:
            committee["vice_chair"] = parties[committee["vice_chair"]]
        for seat in committee["seats"]:
            seat["party"] = parties[seat["party"]]
        committee["total_members"] = sum(seat["members"] for seat in committee["seats"])
        committee["total_substitutes"] = sum(seat["substitutes"] for seat in committee["seats"])
        per_meeting = committee["cost_per_meeting"]
        if per_meeting is not None:
            committee["fees_per_year"] = per_meeting * committee["meetings_per_year"]
            committee["fees_per_term"] = committee["fees_per_year"] * committee["term_years"]
        else:
            committee["fees_per_year"] = committee["fees_per_term"] = None
    replaced = data["replaces"]
    if replaced is not None:
        if replaced["host"] is not None:
            replaced["host"] = parties[replaced["host"]]
        # The members of the replaced body: by default every party.
        replaced["members"] = [parties[i] for i in replaced["members"] or list(parties)]
    costs = data["costs"]
    if costs is not None and costs["basis"] is not None and costs["basis"]["heading"] is None:
        name = costs["basis"]["name"]
        costs["basis"]["heading"] = name[:1].upper() + name[1:]
    data["parties"] = list(parties.values())
    data["host"] = parties[params.host.id]
    data["partners"] = [parties[p.id] for p in params.parties if not p.host]
    data["shares"] = [
        {
            "party": parties[s.party_id],
            "percent": s.percent,
            "basis_value": s.basis_value,
            "example_amount": s.example_amount,
            "adjusted": s.adjusted,
        }
        for s in (compute_shares(params) if params.costs is not None else [])
    ]
    federation = data["federation"]
    if federation is not None:
        for seat in federation["seats"]:
            seat["party"] = parties[seat["party"]]
        federation["convener"] = parties[federation["convener"] or params.host.id]
        federation["total_members"] = sum(seat["members"] for seat in federation["seats"])
        federation["total_substitutes"] = sum(seat["substitutes"] for seat in federation["seats"])
        federation["first_period"] = first_period(params)
    company = data["company"]
    if company is not None:
        total = sum(owner["shares"] for owner in company["owners"])
        company["total_shares"] = total
        percents = split(HUNDRED, [Decimal(owner["shares"]) for owner in company["owners"]], CENT)
        for owner, percent in zip(company["owners"], percents, strict=True):
            owner["party"] = parties[owner["party"]]
            owner["percent"] = percent
        company["board_seats"] = sum(owner["board_seats"] for owner in company["owners"])
    return data
