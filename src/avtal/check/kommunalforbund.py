"""Rules for a kommunalförbund (9 kap. 3–18 §§ kommunallagen)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from avtal.check.base import Ctx, _missing_items, rule
from avtal.check.gemensam_namnd import _seat_rule

if TYPE_CHECKING:
    pass


#: The 18 items a förbundsordning must state (9 kap. 6 § kommunallagen).
FORBUND_ITEMS: dict[str, str] = {
    "kl-9-6-1": "name, seat, members and purpose",
    "kl-9-6-2": "organs, their tasks and relations",
    "kl-9-6-3": "number of ledamöter and ersättare, representation and term",
    "kl-9-6-4": "number of auditors and their term",
    "kl-9-6-5": "how the auditors of a direktion are appointed",
    "kl-9-6-6": "the members' right to raise matters",
    "kl-9-6-7": "qualified-majority rules",
    "kl-9-6-8": "right to attend (5 kap. 40 §)",
    "kl-9-6-9": "right to be present (4 kap. 28 §)",
    "kl-9-6-10": "the website of the anslagstavla",
    "kl-9-6-11": "the members' shares of assets, liabilities and costs",
    "kl-9-6-12": "the members' steering of and insight into finances and activity",
    "kl-9-6-13": "guidelines for the budget process",
    "kl-9-6-14": "public questions on the annual report",
    "kl-9-6-15": "the withdrawal procedure",
    "kl-9-6-16": "liquidation and dissolution",
    "kl-9-6-17": "disputes between the förbund and its members",
    "kl-9-6-18": "how the arvoden are set",
}


@rule(
    "KF-PUNKTER",
    "error",
    "9 kap. 6 § kommunallagen (2017:725)",
    "A förbundsordning must state all 18 items of 9 kap. 6 § (item 5 only with a direktion).",
    forms=("kommunalforbund",),
)
def _forbund_items(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    federation = ctx.params.federation
    skip = ("kl-9-6-5",) if federation is not None and federation.organ != "direktion" else ()
    yield from _missing_items(ctx, FORBUND_ITEMS, ("forbundsordning",), skip)


@rule(
    "KF-PLATSER",
    "error",
    "9 kap. 3 § kommunallagen (2017:725)",
    "Each member has at least one ledamot and one ersättare, in equal numbers.",
    forms=("kommunalforbund",),
)
def _forbund_seats(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    if ctx.params.federation is not None:
        yield from _seat_rule(ctx, "federation.seats", ctx.params.federation.seats)


@rule(
    "KF-MANDATTID",
    "error",
    "9 kap. 4 § kommunallagen (2017:725)",
    "The term of office of a förbund's ledamöter and ersättare is at most four years.",
    forms=("kommunalforbund",),
)
def _forbund_term(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    federation = ctx.params.federation
    if federation is not None and federation.term_years > 4:
        yield (
            ctx.file,
            ctx.line("federation.term_years"),
            f"federation.term_years: {federation.term_years} years; at most 4",
        )


@rule(
    "KF-UTTRADE",
    "error",
    "9 kap. 18 § kommunallagen (2017:725)",
    "A member's notice of withdrawal is at most three years (shorter if the förbundsordning "
    "says so).",
    forms=("kommunalforbund",),
)
def _forbund_withdrawal(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    federation = ctx.params.federation
    if federation is not None and federation.withdrawal_notice_years > 3:
        yield (
            ctx.file,
            ctx.line("federation.withdrawal_notice_years"),
            f"federation.withdrawal_notice_years: {federation.withdrawal_notice_years} "
            "years; at most 3",
        )
