"""Cost and ownership shares: exact weights; percentages rounded each on its own, amounts whole.

Equal holdings must print equal percentages. So every percentage is the exact proportion
rounded half up to two decimals on its own; the rounded percentages may then sum to 99,99 or
100,01 procent, and the clauses that print them say so when they do.

Amounts in kronor must add up to the total they divide, since a budget is paid in full. So
each amount is its exact proportion of the total rounded down to whole kronor, and the kronor
left over go one each to the largest remainders, ties to the party listed first (the largest
remainder method: every amount stays within a krona of its exact proportion, and the result
never depends on anything but the weights and their order). A total with öre is divided in
öre the same way. No amount is ever derived from a rounded percentage.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_FLOOR, ROUND_HALF_UP, Decimal

from avtal.clauselib.textfmt import datum, manad
from avtal.load.model import Params

CENT = Decimal("0.01")
KRONA = Decimal(1)
HUNDRED = Decimal(100)


def split(total: Decimal, weights: Sequence[Decimal], unit: Decimal) -> list[Decimal]:
    """``total`` in proportion to ``weights``, each part rounded half up to ``unit`` on its own.

    Equal weights give equal parts. The parts may miss ``total`` by a few units; each part
    differs from its exact proportion by at most half a unit.
    """
    weight_sum = sum(weights, Decimal(0))
    if weight_sum <= 0 or any(w <= 0 for w in weights):
        raise ValueError("weights must be positive")
    return [(total * w / weight_sum).quantize(unit, rounding=ROUND_HALF_UP) for w in weights]


def allocate(total: Decimal, weights: Sequence[Decimal], unit: Decimal) -> list[Decimal]:
    """``total`` in proportion to ``weights``, in whole ``unit``s that add up to ``total``.

    The largest remainder method: each part is its exact proportion rounded down to ``unit``,
    and the units left over go one each to the parts with the largest remainders; equal
    remainders go to the earlier part. ``total`` must be a whole number of ``unit``s.
    """
    weight_sum = sum(weights, Decimal(0))
    if weight_sum <= 0 or any(w <= 0 for w in weights):
        raise ValueError("weights must be positive")
    if total % unit:
        raise ValueError(f"total {total} is not a whole number of {unit}")
    exact = [total * w / weight_sum for w in weights]
    parts = [(e / unit).to_integral_value(rounding=ROUND_FLOOR) * unit for e in exact]
    left = int((total - sum(parts, Decimal(0))) / unit)
    order = sorted(range(len(parts)), key=lambda i: (parts[i] - exact[i], i))
    for index in order[:left]:
        parts[index] += unit
    return parts


def _display(value: Decimal) -> Decimal:
    """A whole number without trailing zeros ("50", not "50.00"); other values as they are."""
    return value.quantize(KRONA) if value == value.to_integral_value() else value


@dataclass(frozen=True)
class Share:
    """One party's share of the common costs."""

    party_id: str
    percent: Decimal
    basis_value: Decimal | None
    example_amount: Decimal
    #: The amount less its exact proportion rounded on its own: one unit up or down where the
    #: amounts must add up to the total, else zero (the clauses say so where the table is).
    adjusted: Decimal = Decimal(0)


def _weights(params: Params) -> list[Decimal]:
    """Each party's weight in the cost key: its fixed percent, basis value, or 1 (equal)."""
    costs = params.costs
    ids = [p.id for p in params.parties]
    if costs is None:
        raise ValueError("no costs section")
    if costs.model == "fixed" and costs.shares is not None:
        return [costs.shares[i] for i in ids]
    if costs.model == "proportional" and costs.basis is not None:
        return [costs.basis.values[i] for i in ids]
    return [Decimal(1)] * len(ids)


def party_amounts(params: Params, total: Decimal) -> dict[str, Decimal]:
    """Each party's part of ``total`` kronor by the cost key, adding up to ``total``.

    The one computation of an amount per party: the agreement's worked example and the
    council memo's contributions both come from here, so they always agree. Whole kronor,
    or öre when ``total`` has öre (see :func:`allocate`).
    """
    unit = KRONA if total == total.to_integral_value() else CENT
    amounts = allocate(total, _weights(params), unit)
    return {p.id: amount for p, amount in zip(params.parties, amounts, strict=True)}


def compute_shares(params: Params) -> list[Share]:
    """Each party's percentage (2 decimals, rounded on its own) and its part of the example."""
    costs = params.costs
    if costs is None:
        return []
    weights = _weights(params)
    percents = list(weights) if costs.model == "fixed" else split(HUNDRED, weights, CENT)
    basis = weights if costs.model == "proportional" else [None] * len(weights)
    amounts = party_amounts(params, costs.example_budget)
    unit = KRONA if costs.example_budget == costs.example_budget.to_integral_value() else CENT
    own = split(costs.example_budget, weights, unit)
    return [
        Share(party.id, _display(percent), value, amounts[party.id], amounts[party.id] - alone)
        for party, percent, value, alone in zip(params.parties, percents, basis, own, strict=True)
    ]


#: Months in one settlement period (costs.settlement), and the name of such a period.
PERIODS = {"monthly": (1, ""), "quarterly": (3, "kvartalet"), "half_yearly": (6, "halvåret")}
ORDINALS = ("första", "andra", "tredje", "fjärde")


def period_months(settlement: str) -> int:
    """Months in one settlement period: 12 for a yearly settlement."""
    return PERIODS.get(settlement, (12, ""))[0]


def first_period(params: Params) -> str | None:
    """The first period a new förbund's members pay for, named as the documents name it.

    Contributions are paid for calendar periods (51 § of the example: "kvartalsvis i förskott"),
    so the first one runs from the start to the end of the calendar period the start falls in:
    "det andra kvartalet 2027" when the förbund starts on 1 April, "tiden från och med den 1 mars
    2027 till och med den 31 mars 2027" when it starts on 1 March.
    """
    if params.costs is None or params.federation is None:
        return None
    start = params.term.start
    months = period_months(params.costs.settlement)
    name = PERIODS.get(params.costs.settlement, (12, ""))[1]
    number = (start.month - 1) // months + 1
    first_month = (number - 1) * months + 1
    if start.day == 1 and start.month == first_month:
        if months == 12:
            return str(start.year)
        if months == 1:
            return f"{manad(start.month)} {start.year}"
        return f"det {ORDINALS[number - 1]} {name} {start.year}"
    end = first_period_end(params.term.start, params.costs.settlement)
    return f"tiden från och med den {datum(start)} till och med den {datum(end)}"


def first_period_end(start: dt.date, settlement: str) -> dt.date:
    """The last day of the calendar settlement period that ``start`` falls in."""
    months = period_months(settlement)
    last_month = ((start.month - 1) // months + 1) * months
    if last_month == 12:
        return dt.date(start.year, 12, 31)
    return dt.date(start.year, last_month + 1, 1) - dt.timedelta(days=1)
