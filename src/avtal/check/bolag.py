"""Rules for a co-owned company (10 kap. kommunallagen, aktiebolagslagen)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from avtal.check.base import Ctx, _missing_items, rule

if TYPE_CHECKING:
    pass


#: What a bolagsordning must contain (aktiebolagslagen 3 kap. 1 § and 10 kap. 3 § KL).
BOLAGSORDNING_ITEMS: dict[str, str] = {
    "abl-3-1-firma": "the company name",
    "abl-3-1-sate": "the kommun where the board has its seat",
    "abl-3-1-verksamhet": "the object of the business",
    "abl-3-1-aktiekapital": "the share capital",
    "abl-3-1-aktier": "the number of shares",
    "abl-3-1-styrelse": "the number of board members",
    "abl-3-1-revisorer": "the number of auditors",
    "abl-3-1-kallelse": "how the general meeting is called",
    "abl-3-1-rakenskapsar": "the financial year",
    "kl-10-3-andamal": "the municipal purpose",
    "kl-10-3-befogenheter": "the municipal powers that frame the purpose",
    "kl-10-3-fullmaktige": "fullmäktige's right to take a position before decisions of principle",
}

#: What a co-owned company's documents must secure (10 kap. 3–4 §§ KL).
DELAGT_ITEMS: dict[str, str] = {
    "kl-10-4": "the 10 kap. 3 § conditions secured to a reasonable extent for a co-owned company",
    "kl-10-3-styrelse": "fullmäktige (of each owner) appoints board members",
    "kl-10-3-lekmannarevisor": "at least one lekmannarevisor",
    "insyn": "the public's access to the company's documents",
}


@rule(
    "BOLAG-ORDNING",
    "error",
    "3 kap. 1 och 3 §§ aktiebolagslagen (2005:551) och 10 kap. 3 § kommunallagen (2017:725)",
    "The bolagsordning contains the ABL 3:1 items, the municipal purpose and powers, and, for a "
    "non-profit company, how a surplus is used (ABL 3:3).",
    forms=("bolag",),
)
def _bolagsordning(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    items = dict(BOLAGSORDNING_ITEMS)
    if ctx.params.company is not None and ctx.params.company.non_profit:
        items["abl-3-3"] = "that the company is not run for profit and how a surplus is used"
    yield from _missing_items(ctx, items, ("bolagsordning",))


@rule(
    "BOLAG-DELAGT",
    "error",
    "10 kap. 3–4 §§ kommunallagen (2017:725) och 2 kap. 3 § offentlighets- och sekretesslagen "
    "(2009:400)",
    "A co-owned company's documents secure the 10 kap. 3 § conditions to a reasonable extent and "
    "give the public access to its documents.",
    forms=("bolag",),
)
def _delagt(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    yield from _missing_items(
        ctx, DELAGT_ITEMS, ("bolagsordning", "agardirektiv", "aktieagaravtal")
    )
