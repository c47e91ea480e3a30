"""Rules for a kommunalförbund (9 kap. 3–18 §§ kommunallagen)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

from avtal.check.base import Ctx, _missing_items, rule
from avtal.check.gemensam_namnd import _seat_rule
from avtal.check.text import NEGATION, locate, located, quote, sentences
from avtal.clauselib.costs import first_period_end
from avtal.clauselib.textfmt import dagar_efter

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


_NO_BOARD = re.compile(
    r"\b(?:ingen|inte (?:ha )?någon|utan)\s+(?:förbunds)?styrelse\b|styrelse\w*\s+(?:ska\s+)?"
    r"(?:inte|ej)\s+(?:finnas|inrättas|utses)",
    re.IGNORECASE,
)


@rule(
    "KF-STYRELSE",
    "error",
    "9 kap. 5 § kommunallagen (2017:725)",
    "A kommunalförbund must have a förbundsstyrelse (a direktion is at the same time its "
    "styrelse); a förbundsordning without one, or saying there is none, is wrong.",
    forms=("kommunalforbund",),
)
def _board(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    for sentence, match in located(ctx, _NO_BOARD, ("forbundsordning",)):
        file, line = locate(ctx, sentence, match.group(0))
        yield file, line, f"says the förbund has no styrelse: {quote(sentence.text)}"
    federation = ctx.params.federation
    board = "direktionen är förbundets styrelse"
    if federation is not None and federation.organ == "forbundsfullmaktige":
        board = "förbundsstyrelse"
    said = any(
        board in s.text.lower() and "9 kap. 5 §" in s.text
        for s in sentences(ctx, ("forbundsordning",))
    ) or (
        board == "förbundsstyrelse"
        and any("förbundsstyrelsen ska leda" in s.text.lower() for s in sentences(ctx))
    )
    if not said:
        yield (
            ctx.definition_file(ctx.main_document()),
            1,
            f"the förbundsordning does not establish the förbund's styrelse ({board!r})",
        )


_DEFICIT = re.compile(r"underskott", re.IGNORECASE)


@rule(
    "KF-UNDERSKOTT",
    "error",
    "9 kap. 11 § kommunallagen (2017:725)",
    "The members cover a deficit of the förbund by their shares; a förbundsordning must say so "
    "and nothing may limit or shift that duty.",
    forms=("kommunalforbund",),
)
def _deficit(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    said = False
    for sentence, _match in located(ctx, _DEFICIT, ("forbundsordning",)):
        text = sentence.text
        if not re.search(r"medlem", text, re.IGNORECASE) or not re.search(r"täck", text):
            continue
        wrong = NEGATION.search(text) or re.search(r"begräns|högst|maximer", text)
        if wrong:
            file, line = locate(ctx, sentence, wrong.group(0))
            yield file, line, f"limits the members' duty to cover a deficit: {quote(text)}"
        elif re.search(r"andel", text):
            said = True
    if not said:
        yield (
            ctx.definition_file(ctx.main_document()),
            1,
            "no clause says that the members cover a deficit by their shares",
        )


@rule(
    "KF-REVISORER",
    "error",
    "9 kap. 6 § kommunallagen (2017:725)",
    "With a direktion the förbundsordning says how the auditors are appointed: when their number "
    "does not divide equally among the members, `federation.auditors_elected_by` must say who "
    "elects them; `members` needs a number that divides, and the choice is for a direktion only.",
    forms=("kommunalforbund",),
)
def _auditors(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    federation = ctx.params.federation
    if federation is None:
        return
    chosen = federation.auditors_elected_by
    members = len(federation.seats)
    if federation.organ != "direktion":
        if chosen is not None:
            yield (
                ctx.file,
                ctx.line("federation.auditors_elected_by"),
                "federation.auditors_elected_by: only with a direktion; förbundsfullmäktige "
                "elects the auditors",
            )
        return
    if chosen == "host" or federation.auditors % members == 0:
        return
    if chosen == "members":
        yield (
            ctx.file,
            ctx.line("federation.auditors_elected_by"),
            f"federation.auditors_elected_by: members, but {federation.auditors} auditors do not "
            f"divide equally among {members} members",
        )
        return
    yield (
        ctx.file,
        ctx.line("federation.auditors"),
        f"federation.auditors: {federation.auditors} auditors do not divide equally among "
        f"{members} members; say who elects them in federation.auditors_elected_by "
        "(members or host)",
    )


@rule(
    "KF-FORSTA-BUDGET",
    "warning",
    "avtalsteknik, ingen lagregel",
    "The förbundsordning lets the first meeting adopt the budget of the first budget year, which "
    "ends on 31 December of the year the förbund starts; a last day for that meeting in the next "
    "year lets the budget be adopted after its year has ended.",
    forms=("kommunalforbund",),
)
def _first_budget_in_time(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    federation = ctx.params.federation
    if federation is None:
        return
    start = ctx.params.term.start
    last = dagar_efter(start, federation.first_meeting_days)
    if last.year == start.year:
        return
    yield (
        ctx.file,
        ctx.line("federation.first_meeting_days"),
        f"federation.first_meeting_days: the first meeting, which adopts the budget of the first "
        f"budget year ending on 31 December {start.year}, may be held as late as "
        f"{last.isoformat()}, after that year; give fewer days, or a term.start earlier in the "
        "year",
    )


@rule(
    "KF-FORSTA-BETALNING",
    "warning",
    "avtalsteknik, ingen lagregel",
    "The förbundsordning has the members pay the first settlement period on the joint budget "
    "proposal, by term.start plus costs.payment_days; a due date after that period has ended "
    "leaves the next period without a basis until the budget is adopted.",
    forms=("kommunalforbund",),
)
def _first_payment_in_its_period(ctx: Ctx) -> Iterator[tuple[str, int, str]]:
    costs = ctx.params.costs
    if ctx.params.federation is None or costs is None:
        return
    start = ctx.params.term.start
    due = dagar_efter(start, costs.payment_days)
    end = first_period_end(start, costs.settlement)
    if due <= end:
        return
    yield (
        ctx.file,
        ctx.line("costs.payment_days"),
        f"costs.payment_days: the first contribution, for the period ending on "
        f"{end.isoformat()}, falls due on {due.isoformat()}, after that period has ended; give "
        "fewer days, or a term.start at the beginning of a settlement period",
    )
