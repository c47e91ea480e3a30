"""The questions of ``avtal new --interactive``, form by form, as a lawyer can answer them.

Each function returns a section of the parameter file as plain data, keys in the order of
the form's starter file. Questions a lawyer seldom needs to change (payment days, settlement)
have the starter's defaults, so pressing Enter gives a file that passes ``avtal check``.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from avtal.load.asker import Asker, _typed, field_type
from avtal.load.model.capital import starting_range

PARTY_IDS = "Answer a party's short id"


def ask_document(asker: Asker, today: dt.date) -> dict[str, Any]:
    """The document's id, version, date and status."""
    asker.echo("The document")
    return {
        "id": asker.ask(
            "Document id (e.g. the diarienummer)",
            "Printed in the header: letters, digits, '.', '_' or '-', e.g. RS-2026-1234.",
            _document_id,
            None,
        ),
        "version": asker.ask(
            "Version",
            "Letters, digits, '.' or '-', e.g. 0.1 for a first draft.",
            _version,
            "0.1",
        ),
        "date": asker.date("Document date", "The date printed on the documents.", today),
        "status": asker.choice(
            "Status", "Whether this is a draft or the final text.", _STATUS, "utkast"
        ),
    }


_STATUS = {"utkast": "a draft", "slutlig": "the final text"}


def _document_id(raw: str) -> str:
    from avtal.load.model import DocumentMeta

    return str(_typed(field_type(DocumentMeta, "id"), raw))


def _version(raw: str) -> str:
    from avtal.load.model import DocumentMeta

    return str(_typed(field_type(DocumentMeta, "version"), raw))


def ask_activity(asker: Asker, form: str) -> dict[str, Any]:
    """The task: name, background, what it includes and excludes."""
    asker.echo("The task")
    return {
        "name": asker.text(
            "The task, in definite form (e.g. inköpsverksamheten)",
            "Used in running text: 'Parterna samverkar om inköpsverksamheten'.",
        ),
        "description": asker.text(
            "Background of the cooperation, in a sentence or more",
            "Why the parties cooperate; it opens the agreement's Bakgrund.",
            long=True,
        ),
        "scope": asker.lines(
            "What the task includes",
            "One part of the task per answer, e.g. upphandling av varor och tjänster.",
        ),
        "exclusions": asker.lines(
            "What it does not include",
            "One item per answer; an empty first answer means nothing is excluded.",
            least=0,
        ),
    }


def ask_term(asker: Asker, form: str, today: dt.date) -> dict[str, Any]:
    """Start, end, notice and renewal (agreements); start only for förbund and bolag."""
    asker.echo("The term")
    start = dt.date(today.year + 1, 1, 1)
    term: dict[str, Any] = {
        "start": asker.date("Start date", "The day the cooperation starts.", start),
    }
    if form in ("kommunalforbund", "bolag"):
        return term
    end = asker.date(
        "End date",
        "The last day of the agreement; leave it empty for an agreement until further notice.",
        dt.date(term["start"].year + 3, 12, 31),
        optional=True,
    )
    while end is not None and end <= term["start"]:
        asker.echo(f"  the end date must be after the start date {term['start']}")
        end = asker.date("End date", "The last day of the agreement.", None, optional=True)
    if end is not None:
        term["end"] = end
    term["notice_months"] = asker.number(
        "Notice period in months", "How long before the end a party must give notice.", 12, 1, 60
    )
    if end is not None:
        renewal = asker.number(
            "Extension in years unless notice is given (0 for none)",
            "The agreement runs on for this many years at a time unless a party gives notice.",
            4,
            0,
            10,
        )
        if renewal:
            term["renewal_years"] = renewal
    return term


def _styrelse(party: dict[str, Any]) -> str:
    return "regionstyrelsen" if party["kind"] == "region" else "kommunstyrelsen"


def _party_choice(parties: list[dict[str, Any]]) -> dict[str, str]:
    return {p["id"]: p["name"] for p in parties}


def ask_avtalssamverkan(
    asker: Asker, parties: list[dict[str, Any]], host: dict[str, Any]
) -> dict[str, Any]:
    """Governance, insight and delegation of an avtalssamverkan."""
    asker.echo("Steering and follow-up")
    ids = [p["id"] for p in parties]
    members = [
        {
            "party": p["id"],
            "position": asker.text(
                f"Position of {p['name']}'s member of the steering council",
                "An official, e.g. regiondirektör or inköpschef.",
                "regiondirektör" if p["kind"] == "region" else "kommundirektör",
            ),
        }
        for p in parties
    ]
    governance = {
        "responsible_body": asker.text(
            f"{host['name']}'s nämnd responsible for the task",
            "The host's nämnd that answers for the task, e.g. regionstyrelsen.",
            _styrelse(host),
        ),
        "policies": asker.choice(
            "Whose policies apply",
            "Which policies govern the task.",
            {"host": "the host's", "joint": "policies both adopt"},
            "host",
        ),
        "steering_council": {
            "name": asker.text(
                "Name of the officials' steering council", "e.g. Inköpsrådet.", "Samverkansrådet"
            ),
            "chair": asker.choice(
                "Party whose member chairs it", PARTY_IDS, _party_choice(parties), host["id"]
            ),
            "meetings_per_year": asker.number(
                "Council meetings a year", "Ordinary meetings a year.", 4, 1, 52
            ),
            "members": members,
            "adjunct": [],
            "mandate": asker.lines(
                "What the council does",
                "One task per answer, e.g. bereda gemensamma mål och riktlinjer.",
                first="bereda gemensamma mål och riktlinjer för verksamheten",
            ),
        },
    }
    insight = {
        "quarterly_reports": {
            "approved_by": ids,
            "deadline_days": asker.number(
                "Days after a quarter's end by which the host reports",
                "The quarterly report to every party's styrelse is due this many days after.",
                45,
                1,
                90,
            ),
            "contents": asker.lines(
                "What a quarterly report covers",
                "One item per answer, e.g. ekonomiskt utfall mot budget.",
                first="ekonomiskt utfall mot budget",
            ),
        },
        "annual_report_by": asker.ask(
            "Day by which the host gives input to each styrelse's yearly report (MM-DD)",
            "Input to the report under 9 kap. 38 §, written month-day, e.g. 02-15.",
            _month_day,
            "02-15",
        ),
        "information_rights": True,
    }
    matters = []
    asker.echo("Delegation: matters each party's nämnd may delegate to the host's employees")
    while True:
        matters.append(
            {
                "matter": asker.text(
                    "A matter, or group of matters, to delegate",
                    "e.g. beslut om tilldelning i upphandlingar under 10 miljoner kronor.",
                    long=True,
                ),
                "position": asker.text(
                    "Position of the employee who decides", "e.g. inköpschef.", "verksamhetschef"
                ),
                "employer": asker.choice(
                    "Party that employs the employee", PARTY_IDS, _party_choice(parties), host["id"]
                ),
            }
        )
        if not asker.yes("Another matter", "Add one more delegated matter.", False):
            break
    delegation = {
        "report_frequency": asker.choice(
            "How often delegated decisions are reported",
            "To the delegating nämnd.",
            {"monthly": "monthly", "each_meeting": "at each meeting", "quarterly": "quarterly"},
            "quarterly",
        ),
        "matters": matters,
    }
    return {"governance": governance, "insight": insight, "delegation": delegation}


def _month_day(raw: str) -> str:
    from avtal.load.model import MonthDay

    value = str(_typed(MonthDay, raw))
    try:
        dt.date(2024, int(value[:2]), int(value[3:]))
    except ValueError:
        raise ValueError(f"{value} is not a day of the year") from None
    return value


def _seats(asker: Asker, parties: list[dict[str, Any]], members: int) -> list[dict[str, Any]]:
    seats = []
    for party in parties:
        count = asker.number(
            f"Ledamöter for {party['name']}", "Members elected by its fullmäktige.", members, 1, 50
        )
        seats.append(
            {
                "party": party["id"],
                "members": count,
                "substitutes": asker.number(
                    f"Ersättare for {party['name']}", "Substitutes.", count, 1, 50
                ),
            }
        )
    return seats


def ask_committee(
    asker: Asker, parties: list[dict[str, Any]], host: dict[str, Any]
) -> dict[str, Any]:
    """The gemensam nämnd: name, chair, meetings and seats."""
    asker.echo("The gemensam nämnd")
    name = asker.text("Name of the nämnd", "e.g. Inköpsnämnden.")
    chair = asker.choice(
        "Party whose member chairs it", PARTY_IDS, _party_choice(parties), host["id"]
    )
    others = {i: n for i, n in _party_choice(parties).items() if i != chair}
    committee: dict[str, Any] = {
        "name": name,
        "chair": chair,
        "vice_chair": asker.choice(
            "Party whose member is vice chair", PARTY_IDS, others, next(iter(others))
        ),
        "meetings_per_year": asker.number("Meetings a year", "Ordinary meetings.", 6, 1, 52),
        "remote_participation": asker.yes(
            "May members take part at a distance", "Remote participation (5 kap. 16 §).", True
        ),
        "term_years": asker.number("Years of a term of office", "At most four.", 4, 1, 4),
        "seats": _seats(asker, parties, 3),
    }
    return committee


def ask_federation(
    asker: Asker, parties: list[dict[str, Any]], host: dict[str, Any]
) -> dict[str, Any]:
    """The kommunalförbund: the items of its förbundsordning a lawyer decides."""
    from avtal.load.model import Federation

    asker.echo("The kommunalförbund")
    url = field_type(Federation, "notice_board_url")
    return {
        "name": asker.text("Name of the förbund", "e.g. Sörmlands arkivförbund."),
        "seat": asker.text("Its seat (säte)", "A town, e.g. Nyköping.", host["seat"]),
        "purpose": asker.text(
            "Its purpose (ändamål), starting 'att'",
            "e.g. att vara gemensam arkivmyndighet för medlemmarna.",
            long=True,
        ),
        "organ": asker.choice(
            "Its assembly",
            "The förbund has förbundsfullmäktige or a direktion (9 kap. 3 §).",
            {"forbundsfullmaktige": "förbundsfullmäktige", "direktion": "a direktion"},
            "direktion",
        ),
        "term_years": asker.number("Years of a term of office", "At most four.", 4, 1, 4),
        "auditors": asker.number("Number of revisorer", "At least one.", 3, 1, 20),
        "member_initiative": True,
        "qualified_majority": asker.lines(
            "Matters needing a qualified majority",
            "One per answer, e.g. beslut om att uppta lån; none is a valid answer.",
            least=0,
        ),
        "notice_board_url": asker.ask(
            "Web address of its anslagstavla",
            "Starts with https://.",
            lambda raw: str(_typed(url, raw)),
            None,
        ),
        "budget_adopted_by": asker.ask(
            "Day by which the budget is adopted (MM-DD)", "e.g. 11-30.", _month_day, "11-30"
        ),
        "reporting_per_year": 2,
        "withdrawal_notice_years": asker.number(
            "Years of notice to withdraw", "At most three unless shorter (9 kap. 18 §).", 3, 1, 3
        ),
        "fees_set_by": "federation",
        "seats": _seats(asker, parties, 1),
    }


def ask_company(
    asker: Asker, parties: list[dict[str, Any]], host: dict[str, Any]
) -> dict[str, Any]:
    """The co-owned company: bolagsordning items and the owners' holdings."""
    asker.echo("The company")
    name = asker.text("Company name (företagsnamn)", "e.g. Mälardalens IT AB.")
    seat = asker.text("Its seat (säte)", "The kommun where the board sits.", host["seat"])
    owners = []
    for party in parties:
        owners.append(
            {
                "party": party["id"],
                "shares": asker.number(
                    f"Shares held by {party['name']}", "Number of shares.", 500, 1, 10**9
                ),
                "board_seats": asker.number(
                    f"Board members {party['name']} appoints", "Ledamöter.", 2, 0, 10
                ),
            }
        )
    board = max(1, sum(o["board_seats"] for o in owners))
    company = {
        "name": name,
        "seat": seat,
        "object": asker.text(
            "Its object (verksamhetsföremål), starting 'att'",
            "What the company does (ABL 3 kap. 1 §).",
            long=True,
        ),
        "purpose": asker.text(
            "Its municipal purpose, starting 'att'",
            "Why the owners run it (10 kap. 3 § kommunallagen).",
            long=True,
        ),
        "share_capital": asker.amount(
            "Share capital in kronor", "Aktiekapital, at least 25 000.", "100000", 25000
        ),
        "owners": owners,
        "board_min": board,
        "board_max": board,
        "deputies": False,
        "auditors": 1,
        "lay_auditor_per_owner": True,
        "non_profit": True,
        "surplus_use": asker.text(
            "How a surplus is used",
            "The company is not run for profit (ABL 3 kap. 3 §).",
            "Ett överskott ska återföras till ägarna genom lägre priser eller balanseras i "
            "ny räkning",
            long=True,
        ),
        "deadlock": asker.choice(
            "If the owners deadlock",
            "What the aktieägaravtal provides.",
            {"owners_meeting": "an owners' meeting", "mediation": "mediation"},
            "owners_meeting",
        ),
        "pre_emption": True,
        "exit_notice_months": asker.number(
            "Months of notice to leave the aktieägaravtal", "", 24, 1, 120
        ),
    }
    # A lowest and highest capital (3 kap. 1 § ABL): redemption or nyemission needs no amendment.
    lowest, highest = starting_range(company["share_capital"], [o["shares"] for o in owners])
    ordered = list(company.items())
    at = [key for key, _ in ordered].index("share_capital") + 1
    ordered[at:at] = [("share_capital_min", lowest), ("share_capital_max", highest)]
    return dict(ordered)
