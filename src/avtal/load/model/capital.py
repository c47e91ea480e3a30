"""The share capital a bolagsordning states: the limits of aktiebolagslagen (2005:551).

A bolagsordning states either the share capital and the number of shares, or a lowest and a
highest of each (minimikapital and maximikapital, 3 kap. 1 § aktiebolagslagen). The lowest
capital may not be less than a fourth of the highest, and the same holds for the number of
shares; the lowest capital is at least 25 000 kronor (1 kap. 5 §). A range that breaks these
limits cannot be registered, so it is refused when the parameter file is loaded.

The bolagsordning derives the numbers of shares from the capital with an unchanged kvotvärde,
the lowest rounded up and the highest down (:func:`share_range`). The lowest number is then at
least ``shares × lowest / capital`` and the highest at most ``shares × highest / capital``, so a
capital range within the limit gives a range of shares within it as well.
"""

from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal

from avtal.load.model.forms import Company

#: The highest capital (and number of shares) is at most this many times the lowest.
RATIO = 4
#: The smallest share capital of a private aktiebolag, in kronor (1 kap. 5 §).
SMALLEST = 25000
LAW = "3 kap. 1 § aktiebolagslagen (2005:551)"


def lowest_capital(company: Company) -> Decimal:
    """The lowest share capital the bolagsordning states (the capital itself if no range)."""
    if company.share_capital_min is None:
        return company.share_capital
    return company.share_capital_min


def share_range(company: Company) -> tuple[int, int]:
    """The lowest and highest number of shares the bolagsordning states.

    Without a highest capital both are the number of shares at formation.
    """
    total = sum(owner.shares for owner in company.owners)
    if company.share_capital_max is None:
        return total, total
    per_krona = Decimal(total) / company.share_capital
    lowest = (lowest_capital(company) * per_krona).to_integral_value(ROUND_CEILING)
    highest = (company.share_capital_max * per_krona).to_integral_value(ROUND_FLOOR)
    return int(lowest), int(highest)


def capital_problems(company: Company) -> list[str]:
    """What makes the stated capital unlawful or not enclose the capital at formation."""
    capital, lowest, highest = (
        company.share_capital,
        company.share_capital_min,
        company.share_capital_max,
    )
    problems = []
    if highest is not None and highest <= capital:
        problems.append(
            f"company.share_capital_max: {highest} is not more than share_capital {capital}"
        )
    if lowest is not None:
        if highest is None:
            problems.append("company.share_capital_min: only with share_capital_max")
        if lowest > capital:
            problems.append(
                f"company.share_capital_min: {lowest} is more than share_capital {capital}"
            )
        if lowest < SMALLEST:
            problems.append("company.share_capital_min: at least 25 000 kronor (ABL 1:5)")
    if highest is not None and highest > RATIO * lowest_capital(company):
        if lowest is None:
            where = (
                f"company.share_capital_max: {highest} is more than four times share_capital "
                f"{capital}, the lowest share capital when share_capital_min is not given"
            )
        else:
            where = (
                f"company.share_capital_min: {lowest} is less than a fourth of "
                f"share_capital_max {highest}"
            )
        problems.append(
            f"{where}; the lowest share capital may not be less than a fourth of the highest "
            f"({LAW})"
        )
    return problems


def starting_range(capital: int | Decimal, holdings: list[int]) -> tuple[int, int]:
    """A lawful lowest and highest capital, in whole kronor, for a company formed with ``capital``.

    The lowest leaves room to redeem the largest holding and the highest room for a nyemission
    that doubles the capital, as far as the highest may be at most four times the lowest. Where
    the largest holding is three fourths of the shares or more, no lawful range with room above
    the capital can let the company redeem it; the range then only doubles the capital.
    """
    total = sum(holdings)
    left = Decimal(capital) * (total - max(holdings)) / total
    lowest = max(SMALLEST, int(left.to_integral_value(ROUND_FLOOR)))
    doubled = int((2 * Decimal(capital)).to_integral_value(ROUND_FLOOR))
    highest = min(doubled, RATIO * lowest)
    if highest <= capital:
        highest = doubled
        lowest = max(SMALLEST, -(-highest // RATIO))
    return lowest, highest
