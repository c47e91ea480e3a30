"""The memo (tjänsteskrivelse) of each party's council matter.

The memo is a Document assembled from the clauses in ``clauses/arende/``, like any other
document. This module gathers what those clauses see under ``arende``: the party and the
other parties, in words that fit their kind and number; the condition that makes every
proposed decision depend on the other parties' identical decisions; the economic facts the
parameter file gives; the checks that passed; the manifest's SHA-256 for the diarium.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from decimal import Decimal
from pathlib import Path
from typing import Any

from avtal.assemble import assemble
from avtal.bundle.matter import Attachment, MatterSource
from avtal.check import Report
from avtal.check.base import RULES
from avtal.clauselib.context import build_context
from avtal.clauselib.costs import HUNDRED, compute_shares, party_amounts, period_months
from avtal.clauselib.definitions import definitions_for
from avtal.clauselib.jinja_env import make_environment
from avtal.clauselib.textfmt import lista
from avtal.document import Document, ListBlock, Paragraph
from avtal.errors import InputError
from avtal.load.model import Party, PartyMatter
from avtal.load.model.capital import lowest_capital, share_range
from avtal.paths import clauses_dir, templates_dir
from avtal.project import Project
from avtal.review.provenance import fingerprint


def passed_rules(project: Project, report: Report) -> list[str]:
    """The ids of the checks that apply to the form and found nothing."""
    form = project.params.form
    found = {f.rule for f in report.findings}
    return sorted(r.id for r in RULES if (not r.forms or form in r.forms) and r.id not in found)


def memo_date(project: Project, entry: PartyMatter) -> dt.date:
    """The memo's own date: the matter's ``date``, else the documents' date."""
    return entry.date or project.params.document.date


def _contribution(project: Project, source: MatterSource, party: Party) -> dict[str, Any] | None:
    budget = source.matter.economy.first_budget
    costs = project.params.costs
    if budget is None or costs is None:
        return None
    amounts = party_amounts(project.params, budget.amount)
    shares = compute_shares(project.params)
    total = sum((s.basis_value for s in shares if s.basis_value is not None), Decimal(0))
    for share in shares:
        if share.party_id != party.id:
            continue
        # The amount follows the exact proportion; the memo states that proportion and says
        # when the percentage printed beside it is rounded.
        if share.basis_value is not None:
            exact = share.basis_value * HUNDRED / total
        elif costs.model == "equal":
            exact = HUNDRED / len(shares)
        else:
            exact = share.percent
        return {
            "year": budget.year,
            "budget": budget.amount,
            "amount": amounts[party.id],
            "percent": share.percent,
            "basis_value": share.basis_value,
            "basis_total": total if share.basis_value is not None else None,
            "basis_name": costs.basis.name if costs.basis is not None else None,
            "basis_unit": _unit(costs.basis.heading or costs.basis.name)
            if costs.basis is not None
            else None,
            "rounded": exact != share.percent,
            # The förbundsordning explains the krona moved by the rounding of its worked
            # example, which is this contribution only when the budget is the example's.
            "adjusted": share.adjusted != 0 and budget.amount == costs.example_budget,
            "first_payment": _first_payment(project, amounts[party.id]),
        }
    return None  # pragma: no cover - every party has a share


def _first_payment(project: Project, amount: Decimal) -> dict[str, Any] | None:
    """The first payment of a year's contribution, when the förbund starts on 1 January.

    The förbundsordning's first-year rule has the first period's contribution paid on the
    members' joint budget proposal; with a start on 1 January that period is a whole month,
    quarter or half of the year, so the payment is that part of the member's amount (in whole
    kronor and called approximate where it is not a whole number of öre). A förbund that
    starts later has a first budget year shorter than a year, whose first period the proposal
    alone measures: None.
    """
    costs = project.params.costs
    start = project.params.term.start
    if costs is None or (start.month, start.day) != (1, 1):
        return None
    exact = Decimal(amount) * period_months(costs.settlement) / 12
    paid = exact.quantize(Decimal("0.01"))
    if paid != exact:
        return {"amount": exact.quantize(Decimal(1)), "exact": False}
    return {"amount": paid.normalize(), "exact": True}


def _unit(basis: str) -> str | None:
    """What a basis counts ("invånare" in "antal invånare den 1 november ..."), if it says.

    The memo states a share as "21 000 av 91 500 invånare"; a basis that is not a count
    ("antal ...") has no such word, and the memo then gives the figures without a unit.
    """
    words = basis.split()
    if len(words) > 1 and words[0].lower() == "antal":
        return words[1]
    return None


def _points(attachments: Sequence[Attachment]) -> dict[str, dict[str, list[str]]]:
    """Each attached document's numbered points: file -> clause id (and "id#anchor") -> numbers.

    The memo cites a point of an attachment ("punkt 15.3 i samverkansavtalet") only by what
    the assembled document numbered, never by a number written into a clause.
    """
    out: dict[str, dict[str, list[str]]] = {}
    for attachment in attachments:
        doc = attachment.document
        if doc is None:
            continue
        found: dict[str, list[str]] = {}
        for section in [*doc.sections, *(s for a in doc.annexes for s in a.sections)]:
            for block in section.blocks:
                number = getattr(block, "number", None)
                if number is None:
                    continue
                found.setdefault(section.clause_id, []).append(number)
                anchor = getattr(block, "anchor", None)
                if anchor:
                    found.setdefault(f"{section.clause_id}#{anchor}", []).append(number)
        # An annex is cited by its number and title: "bilaga 2 till samverkansavtalet (Ram
        # för delegation)".
        for annex in doc.annexes:
            found[annex.id] = [annex.label.lower(), annex.title]
        out[doc.file] = found
    return out


def _text(block: Paragraph) -> str:
    return "".join(run.text for run in block.runs)


def _approval(attachments: Sequence[Attachment]) -> dict[str, Any] | None:
    """What the aktieägaravtal and the bolagsordning say of the owners' approval, as numbered.

    The aktieägaravtal lists the matters that need every owner's approval (its point anchored
    ``bolag.aa.beslut#samtycke``, a lettered list whose last item is the other matters of
    principle or greater importance) and says when a silent owner is deemed to approve (the
    point anchored ``#fullmaktige``); the bolagsordning gives the time after which the company
    may decide (``bolag.bo.fullmaktige#stallningstagande``); the point on the exit's
    redemption (``bolag.aa.uttrade#losen``) may exempt the reduction of the share capital it
    needs from that list, and then cites the list. The memo cites each of them by
    the number and letter the assembled document gives it, and the time as the bolagsordning
    words it. None when the documents have no such points.
    """
    blocks: dict[str, list[Any]] = {}
    for attachment in attachments:
        if attachment.document is None:
            continue
        for section in attachment.document.sections:
            blocks.setdefault(section.clause_id, []).extend(section.blocks)

    def anchored(clause: str, anchor: str) -> tuple[Paragraph | None, ListBlock | None]:
        found = blocks.get(clause, [])
        for index, block in enumerate(found):
            if isinstance(block, Paragraph) and block.anchor == anchor and block.number:
                after = found[index + 1] if index + 1 < len(found) else None
                return block, after if isinstance(after, ListBlock) else None
        return None, None

    listed, letters = anchored("bolag.aa.beslut", "samtycke")
    # The exit's redemption: a point that exempts the reduction it needs from the list's
    # unanimity refers to the list.
    redemption, _ = anchored("bolag.aa.uttrade", "losen")
    deemed, _ = anchored("bolag.aa.beslut", "fullmaktige")
    paragraph, _ = anchored("bolag.bo.fullmaktige", "stallningstagande")
    if listed is None or letters is None or deemed is None or paragraph is None:
        return None
    items = [(label.rstrip(")."), "".join(r.text for r in runs)) for label, runs in letters.items]
    every = [label for label, _ in items[:-1]]
    # "tre månader har förflutit": the time as the bolagsordning states it.
    period = re.search(r"(\S+ (?:månader|månad|veckor|dagar)) har förflutit", _text(paragraph))
    return {
        "point": listed.number,
        "every": every[0] if len(every) == 1 else f"{every[0]}\u2013{every[-1]}",
        "other": items[-1][0],
        "capital": next((label for label, text in items if "aktiekapital" in text), None),
        "deemed": deemed.number,
        "paragraph": paragraph.number,
        "period": period.group(1) if period else None,
        "redemption": redemption.number
        if redemption is not None
        and any(run.ref == "bolag.aa.beslut#samtycke" for run in redemption.runs)
        else None,
    }


def _capital(project: Project) -> dict[str, Any] | None:
    """The lowest and highest share capital and number of shares the bolagsordning states."""
    company = project.params.company
    if company is None:
        return None
    lowest, highest = share_range(company)
    return {
        "lowest": lowest_capital(company),
        "highest": company.share_capital_max,
        "lowest_shares": lowest,
        "highest_shares": highest,
    }


def _owner(context: dict[str, Any], party: Party) -> dict[str, Any] | None:
    company = context["company"]
    if company is None:
        return None
    for owner in company["owners"]:
        if owner["party"]["id"] == party.id:
            # Shares are subscribed at formation at their quota value: capital / number.
            per_share = Decimal(company["share_capital"]) / company["total_shares"]
            price = per_share * owner["shares"]
            return {
                **owner,
                "price": price.quantize(Decimal(1)),
                "price_per_share": per_share.quantize(Decimal("0.01")).normalize(),
            }
    return None


def memo_context(
    project: Project,
    source: MatterSource,
    party: Party,
    entry: PartyMatter,
    attachments: Sequence[Attachment],
    report: Report,
    manifest_sha256: str,
) -> dict[str, Any]:
    """Everything the memo clauses see."""
    context = build_context(project.params)
    parties = {p["id"]: p for p in context["parties"]}
    others = [parties[p.id] for p in project.params.parties if p.id != party.id]
    replaces = context["replaces"]
    arende = entry.model_dump()
    arende.update(
        party=parties[party.id],
        others=others,
        others_fullmaktige=lista(f"{p['fullmaktige']} i {p['name']}" for p in others),
        others_styrelse=lista(f"{p['styrelse']} i {p['name']}" for p in others),
        self={"region": "regionen", "kommun": "kommunen"}.get(party.kind, "parten"),
        two_parties=len(project.params.parties) == 2,
        members={"kommunalforbund": "medlemmarna", "bolag": "ägarna"}.get(
            project.params.form, "parterna"
        ),
        kinds=lista(
            sorted(
                {
                    {"region": "regioner", "kommun": "kommuner"}.get(p.kind, p.kind)
                    for p in project.params.parties
                }
            )
        ),
        is_host=party.host,
        hosts_replaced=replaces is not None
        and (replaces["host"] or context["host"])["id"] == party.id,
        # Only the members of the replaced body repeal its reglemente and end its agreement.
        was_member=replaces is not None and party.id in [m["id"] for m in replaces["members"]],
        other_members_fullmaktige=lista(
            f"{m['fullmaktige']} i {m['name']}"
            for m in (replaces["members"] if replaces is not None else [])
            if m["id"] != party.id
        ),
        others_not_members_fullmaktige=lista(
            f"{p['fullmaktige']} i {p['name']}"
            for p in others
            if replaces is not None and p["id"] not in [m["id"] for m in replaces["members"]]
        ),
        joining=[
            p
            for p in context["parties"]
            if replaces is not None and p["id"] not in [m["id"] for m in replaces["members"]]
        ],
        every_party_member=replaces is not None
        and len(replaces["members"]) == len(project.params.parties),
        replaces=replaces,
        delegating_body=(
            project.params.delegation.delegating_body.get(party.id)
            if project.params.delegation is not None
            else None
        )
        or parties[party.id]["styrelse"],
        date=memo_date(project, entry),
        prepared_by=entry.prepared_by or parties[party.id]["styrelse"],
        manifest_sha256=manifest_sha256,
        background=source.matter.background,
        economy=source.matter.economy.model_dump(),
        contribution=_contribution(project, source, party),
        points=_points(attachments),
        owner=_owner(context, party),
        approval=_approval(attachments),
        capital=_capital(project),
        signed=[
            "avtalet" if a.number is None else f"avtalet enligt bilaga {a.number}"
            for a in attachments
            if a.document and a.document.signatures
        ],
    )
    context["arende"] = arende
    context["bilagor"] = [
        {
            "number": a.number,
            "label": a.label,
            "title": a.title,
            "kind": a.kind,
            "file": a.stem,
            "internal": a.internal,
        }
        for a in attachments
    ]
    context["granskning"] = {
        "passed": passed_rules(project, report),
        "errors": len(report.errors),
        "warnings": len(report.warnings),
    }
    return context


def make_memo(
    project: Project,
    source: MatterSource,
    party: Party,
    entry: PartyMatter,
    attachments: Sequence[Attachment],
    report: Report,
    manifest_sha256: str,
    clause_dirs: Sequence[Path] = (),
) -> Document:
    """Assemble one party's memo, dated with its own date, identified by its diarienummer."""
    context = memo_context(project, source, party, entry, attachments, report, manifest_sha256)
    env = make_environment([clauses_dir(), *clause_dirs])
    found = definitions_for(project.params.form, [templates_dir(), *clause_dirs], role="matter")
    if not found:
        raise InputError(f"no council-matter memo definition for form {project.params.form!r}")
    def_path, definition, def_lines = found[0]
    doc = assemble(
        project.params, context, project.clause_library, env, definition, def_path, def_lines
    )
    # The memo is identified by its diarienummer and has its own date and status; the
    # agreement's version is not the memo's, so none is printed.
    doc = Memo(
        **{
            **{f.name: getattr(doc, f.name) for f in fields(doc)},
            "doc_id": f"{entry.diarienummer}",
            "date": memo_date(project, entry),
            "version": "",
            "status": entry.status or project.params.document.status,
        }
    )
    return replace(doc, fingerprint=fingerprint(project.params, doc))


@dataclass(frozen=True)
class Memo(Document):
    """A memo: its diarienummer and date are in the table under the heading "Ärendet"."""

    @property
    def meta_line(self) -> str:
        """The memo's own status (and the fingerprint where it is printed), nothing repeated."""
        printed = self.printed_fingerprint
        return f"{self.status_label} · Fingeravtryck {printed}" if printed else self.status_label
