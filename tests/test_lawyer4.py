"""A kommunjurist's fourth reading of the förbund and bolag documents: each point asserted.

The it-bolag is built with its two owners and with five, the arkivförbund with its three
members and with five; the builders are those of the earlier readings' tests.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from avtal.check import lint
from avtal.errors import InputError
from avtal.load.model.capital import share_range, starting_range
from avtal.load.params import load_params
from avtal.project import load_project
from avtextra import texts
from test_interactive import ANSWERS, run_new
from test_lawyer_corp import BOLAG, _line, _write

LAW = "3 kap. 1 § aktiebolagslagen (2005:551)"
REFUSED = f"the lowest share capital may not be less than a fourth of the highest ({LAW})"


def _company(**values: Any) -> Any:
    """A change of the it-bolag's company: a value of None removes the key."""

    def edit(data: dict[str, Any]) -> None:
        for key, value in values.items():
            if value is None:
                del data["company"][key]
            elif key == "holdings":
                for owner, shares in zip(data["company"]["owners"], value, strict=True):
                    owner["shares"] = shares
            else:
                data["company"][key] = value

    return edit


def _warnings(path: Path) -> list[str]:
    return [str(f) for f in lint(load_project(path)).findings]


# --- 1: the lowest share capital is at least a fourth of the highest ---------------------------


@pytest.mark.parametrize(
    ("change", "needle", "message"),
    [
        (
            {"share_capital_min": 200000},
            "share_capital_min:",
            "company.share_capital_min: 200000 is less than a fourth of share_capital_max "
            f"2000000; {REFUSED}",
        ),
        (
            {"share_capital_max": 5000000},
            "share_capital_min:",
            "company.share_capital_min: 500000 is less than a fourth of share_capital_max "
            f"5000000; {REFUSED}",
        ),
        (
            {"share_capital_min": None, "share_capital_max": 4000001},
            "share_capital_max:",
            "company.share_capital_max: 4000001 is more than four times share_capital 1000000, "
            f"the lowest share capital when share_capital_min is not given; {REFUSED}",
        ),
    ],
)
def test_a_range_wider_than_one_to_four_is_refused(
    tmp_path: Path, change: dict[str, Any], needle: str, message: str
) -> None:
    path = _write(BOLAG, tmp_path, _company(**change))
    with pytest.raises(InputError) as caught:
        load_project(path)
    assert [str(p) for p in caught.value.problems] == [f"{path}:{_line(path, needle)}: {message}"]


@pytest.mark.parametrize(
    ("lowest", "highest"), [(500000, 2000000), (None, 4000000), (250000.25, 1000001)]
)
def test_a_range_of_one_to_four_is_built_and_its_numbers_of_shares_keep_it(
    tmp_path: Path, lowest: float | None, highest: int
) -> None:
    # 667 shares: a kvotvärde that divides neither limit, so both numbers are rounded.
    path = _write(
        BOLAG,
        tmp_path,
        _company(share_capital_min=lowest, share_capital_max=highest, holdings=[333, 334]),
    )
    company = load_project(path).params.company
    assert company is not None
    least, most = share_range(company)
    assert least * 4 >= most
    text = texts(path)["bolagsordning"]
    assert f"Antalet aktier ska vara lägst {least:,} och högst {most:,}.".replace(",", " ") in text


def test_no_lawful_range_lets_the_company_redeem_a_holding_above_three_fourths(
    tmp_path: Path,
) -> None:
    path = _write(BOLAG, tmp_path, _company(holdings=[800, 200]))
    assert _warnings(path) == [
        f"BOLAG-KAPITAL warning {path}:{_line(path, 'share_capital_min:')} "
        "company.share_capital_min: redeeming the shares of Region Sörmland (800 of 1000), as "
        "the aktieägaravtal provides (points 10.2, 10.3), would leave a share capital of 200 000 "
        "kronor, below the lowest of 500 000 kronor in the bolagsordning; no lowest capital "
        "that aktiebolagslagen allows (at least a fourth of a highest above the 1 000 000 "
        "kronor the company is formed with) is that low, so a redemption of the shares of "
        "Region Sörmland needs a change of the bolagsordning that every owner must approve "
        f"({LAW})"
    ]
    assert "give a lower" not in _warnings(path)[0]


def test_the_advice_on_a_redemption_keeps_one_to_four_and_following_it_clears_it(
    tmp_path: Path,
) -> None:
    path = _write(BOLAG, tmp_path, _company(holdings=[700, 300]))
    assert _warnings(path) == [
        f"BOLAG-KAPITAL warning {path}:{_line(path, 'share_capital_min:')} "
        "company.share_capital_min: redeeming the shares of Region Sörmland (700 of 1000), as "
        "the aktieägaravtal provides (points 10.2, 10.3), would leave a share capital of 300 000 "
        "kronor, below the lowest of 500 000 kronor in the bolagsordning; give a "
        "company.share_capital_min of at most 300 000 kronor and a company.share_capital_max "
        "of at most 1 200 000 kronor, since the lowest may not be less than a fourth of the "
        f"highest ({LAW})"
    ]
    # Only a lower lowest, as the advice used to say, is refused by the same rule.
    with pytest.raises(InputError):
        load_project(
            _write(BOLAG, tmp_path, _company(holdings=[700, 300], share_capital_min=300000))
        )
    followed = _company(holdings=[700, 300], share_capital_min=300000, share_capital_max=1200000)
    assert _warnings(_write(BOLAG, tmp_path, followed)) == []


def _starter(tmp_path: Path, holdings: tuple[str, str]) -> Path:
    answers = list(ANSWERS["bolag"])
    at = answers.index("500")
    answers[at] = holdings[0]
    answers[at + 2] = holdings[1]
    target = tmp_path / "bolag.yaml"
    result = run_new("bolag", target, answers)
    assert result.exit_code == 0, result.output
    return target


@pytest.mark.parametrize(
    ("holdings", "expected"),
    [(("700", "300"), (300000, 1200000)), (("800", "200"), (500000, 2000000))],
)
def test_the_starter_proposes_a_lawful_range(
    tmp_path: Path, holdings: tuple[str, str], expected: tuple[int, int]
) -> None:
    company = load_params(_starter(tmp_path, holdings))[0].company
    assert company is not None
    assert (company.share_capital_min, company.share_capital_max) == expected
    assert company.share_capital_max <= 4 * company.share_capital_min


@pytest.mark.parametrize(
    "holdings",
    [[500, 500], [900, 100], [750, 250], [740, 260], [1, 1, 1], [300, 300, 200, 100, 100]],
)
@pytest.mark.parametrize("capital", [25000, 49999, 100000, 1000000, 12345678])
def test_the_starting_range_is_lawful_and_encloses_the_capital(
    capital: int, holdings: list[int]
) -> None:
    lowest, highest = starting_range(capital, holdings)
    assert 25000 <= lowest <= capital < highest <= 4 * lowest
    left = capital * (sum(holdings) - max(holdings)) / sum(holdings)
    if 4 * left > capital and left >= 25000:
        assert lowest <= left  # the largest holding can be redeemed
