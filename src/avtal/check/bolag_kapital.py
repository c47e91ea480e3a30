"""A co-owned company's share capital: room for the capital and exit routes the owners agree."""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal

from avtal.check.base import Ctx, rule
from avtal.clauselib.textfmt import NBSP, kronor
from avtal.document import Paragraph, plain

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
    "higher than what remains when the largest holding is redeemed.",
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
                "bolagsordning that every owner must approve; give company.share_capital_max",
            )
        return
    if not redeem:
        return
    lowest = company.share_capital_min or company.share_capital
    total = sum(owner.shares for owner in company.owners)
    largest = max(company.owners, key=lambda owner: owner.shares)
    left = company.share_capital * (total - largest.shares) / total
    if left < lowest:
        path = "company.share_capital_min"
        if company.share_capital_min is None:
            path = "company.share_capital_max"
        name = ctx.params.party(largest.party).name
        yield (
            ctx.file,
            ctx.line(path),
            f"{path}: redeeming the shares of {name} ({largest.shares} of {total}), "
            f"as the aktieägaravtal provides (points {', '.join(redeem)}), would leave a share "
            f"capital of {_kronor(left.quantize(Decimal(1)))}, below the lowest of "
            f"{_kronor(lowest)} in the bolagsordning; give a lower company.share_capital_min",
        )
