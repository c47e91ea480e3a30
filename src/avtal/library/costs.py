"""Cost shares: computed once, rounded so that they sum to exactly 100."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_FLOOR, Decimal

from avtal.load.model import Params

CENT = Decimal("0.01")


def apportion(total: Decimal, weights: list[Decimal], unit: Decimal) -> list[Decimal]:
    """Split ``total`` in proportion to ``weights`` in multiples of ``unit``.

    Largest-remainder method (Hamilton): every part is the exact proportion rounded down
    to the unit, and the units left over go to the largest remainders (ties to the earlier
    party). The parts sum to ``total`` exactly and each differs from its exact proportion
    by less than one unit.
    """
    weight_sum = sum(weights, Decimal(0))
    if weight_sum <= 0 or any(w <= 0 for w in weights):
        raise ValueError("weights must be positive")
    exact = [total * w / weight_sum for w in weights]
    floors = [(e / unit).to_integral_value(rounding=ROUND_FLOOR) * unit for e in exact]
    left = int(((total - sum(floors, Decimal(0))) / unit).to_integral_value())
    order = sorted(range(len(weights)), key=lambda i: (-(exact[i] - floors[i]), i))
    for i in order[:left]:
        floors[i] += unit
    return floors


@dataclass(frozen=True)
class Share:
    """One party's share of the common costs."""

    party_id: str
    percent: Decimal
    basis_value: Decimal | None
    example_amount: Decimal


def compute_shares(params: Params) -> list[Share]:
    """Each party's percentage (2 decimals, sum 100) and its part of the example budget."""
    ids = [p.id for p in params.parties]
    costs = params.costs
    if costs is None:
        return []
    basis: list[Decimal | None] = [None] * len(ids)
    if costs.model == "fixed" and costs.shares is not None:
        percents = [costs.shares[i] for i in ids]
    else:
        if costs.model == "proportional" and costs.basis is not None:
            weights = [costs.basis.values[i] for i in ids]
            basis = list(weights)
        else:
            weights = [Decimal(1)] * len(ids)
        percents = apportion(Decimal(100), weights, CENT)
    amounts = apportion(costs.example_budget, percents, Decimal(1))
    return [
        Share(
            party_id,
            percent.normalize() if percent == percent.to_integral_value() else percent,
            value,
            amount,
        )
        for party_id, percent, value, amount in zip(ids, percents, basis, amounts, strict=True)
    ]
