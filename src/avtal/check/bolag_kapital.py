"""A co-owned company's share capital: room for the capital and exit routes the owners agree."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from avtal.check.base import Ctx, rule
from avtal.clauselib.textfmt import NBSP, kronor
from avtal.document import Paragraph, plain
from avtal.load.model.capital import RATIO, lowest_capital

#: A nyemission: new shares, a higher share capital.
_ISSUE = re.compile(r"\bnyemission", re.IGNORECASE)
#: The company redeeming (lösa in) shares: a lower share capital.
_REDEEM = re.compile(r"\blös(?:a|er|es) in\b", re.IGNORECASE)


def _kronor(amount: Decimal) -> str:
    """An amount as the documents print it, with plain spaces for a message."""
    return kronor(amount).replace(NBSP, " ")


def _points(ctx: Ctx, pattern: re.Pattern[str]) -> list[str]:
    """The numbers of the aktieägaravtal's points whose text matches ``pattern``."""
    return [
        block.number
        for doc, section in ctx.sections
        if doc.kind == "aktieagaravtal"
        for block in section.blocks
        if isinstance(block, Paragraph) and block.number and pattern.search(plain(block.runs))
    ]


@rule(
    "BOLAG-KAPITAL",
    "warning",
    "3 kap. 1 § aktiebolagslagen (2005:551)",
    "Where the aktieägaravtal provides for a nyemission or for the company to redeem (lösa in) an "
    "owner's shares, a bolagsordning that fixes the share capital and the number of shares must "
    "be changed first, with every owner's approval; a lowest and a highest capital "
    "(company.share_capital_min, company.share_capital_max) leave room for them, the lowest no "
    "higher than what remains when the largest holding is redeemed and at least a fourth of the "
    "highest; where no lawful range can let the company redeem the largest holding, it says so.",
    forms=("bolag",),
)
def _capital_room(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    company = ctx.params.company
    if company is None:
        return
    issue, redeem = _points(ctx, _ISSUE), _points(ctx, _REDEEM)
    if company.share_capital_max is None:
        points = sorted(set(issue + redeem), key=lambda n: [int(p) for p in n.split(".")])
        if points:
            yield (
                ctx.file,
                ctx.line("company.share_capital"),
                "company.share_capital: the bolagsordning fixes the share capital and the number "
                "of shares, but the aktieägaravtal provides for a nyemission or a redemption of "
                f"shares (points {', '.join(points)}), each of which then needs a change of the "
                "bolagsordning that every owner must approve; give company.share_capital_max, "
                "at most four times the lowest share capital",
            )
        return
    if not redeem:
        return
    lowest = lowest_capital(company)
    total = sum(owner.shares for owner in company.owners)
    largest = max(company.owners, key=lambda owner: owner.shares)
    left = company.share_capital * (total - largest.shares) / total
    if left >= lowest:
        return
    path = "company.share_capital_min"
    if company.share_capital_min is None:
        path = "company.share_capital_max"
    name = ctx.params.party(largest.party).name
    found = (
        f"{path}: redeeming the shares of {name} ({largest.shares} of {total}), as the "
        f"aktieägaravtal provides (points {', '.join(redeem)}), would leave a share capital of "
        f"{_kronor(left.quantize(Decimal(1)))}, below the lowest of {_kronor(lowest)} in the "
        "bolagsordning"
    )
    # The lowest may not be less than a fourth of the highest (3 kap. 1 §), and the highest
    # must be above the capital at formation: a remainder of a fourth of that capital or less
    # is below every lawful lowest.
    if RATIO * left <= company.share_capital:
        advice = (
            f"; no lowest capital that aktiebolagslagen allows (at least a fourth of a highest "
            f"above the {_kronor(company.share_capital)} the company is formed with) is that "
            f"low, so a redemption of the shares of {name} needs a change of the bolagsordning "
            "that every owner must approve"
        )
    elif RATIO * left < company.share_capital_max:
        highest = (RATIO * left).quantize(Decimal(1), ROUND_FLOOR)
        advice = (
            f"; give a company.share_capital_min of at most {_kronor(left.quantize(Decimal(1)))} "
            f"and a company.share_capital_max of at most {_kronor(highest)}, since the lowest "
            "may not be less than a fourth of the highest"
        )
    else:
        advice = (
            f"; give a company.share_capital_min of at most {_kronor(left.quantize(Decimal(1)))}"
            f" and at least {_kronor(_quarter(company.share_capital_max))}, a fourth of the "
            "highest"
        )
    yield ctx.file, ctx.line(path), found + advice


def _quarter(amount: Decimal) -> Decimal:
    """A fourth of ``amount``, in whole kronor rounded up."""
    return (amount / RATIO).quantize(Decimal(1), ROUND_CEILING)
