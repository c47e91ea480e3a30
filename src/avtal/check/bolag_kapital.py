"""A co-owned company's share capital: room for the capital and exit routes the owners agree."""

from __future__ import annotations

import re
from collections.abc import Iterator

from avtal.check.base import Ctx, rule
from avtal.document import Paragraph, plain

#: A nyemission, or the company redeeming (lösa in) shares: each changes the share capital.
_ROUTES = re.compile(r"\bnyemission|\blös(?:a|er|es) in\b", re.IGNORECASE)


@rule(
    "BOLAG-KAPITAL",
    "warning",
    "3 kap. 1 § aktiebolagslagen (2005:551)",
    "Where the aktieägaravtal provides for a nyemission or for the company to redeem (lösa in) an "
    "owner's shares, a bolagsordning that fixes the share capital and the number of shares must "
    "be changed first, with every owner's approval; a minimum and a maximum "
    "(company.share_capital_max) leave room for them.",
    forms=("bolag",),
)
def _fixed_capital(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    company = ctx.params.company
    if company is None or company.share_capital_max is not None:
        return
    points = [
        block.number
        for doc, section in ctx.sections
        if doc.kind == "aktieagaravtal"
        for block in section.blocks
        if isinstance(block, Paragraph) and block.number and _ROUTES.search(plain(block.runs))
    ]
    if points:
        yield (
            ctx.file,
            ctx.line("company.share_capital"),
            "company.share_capital: the bolagsordning fixes the share capital and the number of "
            f"shares, but the aktieägaravtal provides for a nyemission or a redemption of shares "
            f"(points {', '.join(points)}), each of which then needs a change of the bolagsordning "
            "that every owner must approve; give company.share_capital_max",
        )
