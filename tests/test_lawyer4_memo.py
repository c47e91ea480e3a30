"""A municipal lawyer's fourth reading: what the förbund and bolag memos tell fullmäktige.

Each memo is assembled in process next to the documents it proposes, with three and five
members, and what it says is compared with what the assembled förbundsordning says: the first
contribution and its due date, who convenes the direktion's first meeting, and the
förbundsordning's term for the first year.
"""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from avtextra import texts, variant
from test_bundle_matters import _decisions, _memo, _write
from test_bundle_memo_text import FILES, _data, _section
from test_lawyer2_memo import _number
from test_lawyer3 import _point

FIRST_YEAR = "För förbundets första"


def _kf(tmp_path: Path, five: bool) -> tuple[Path, dict[str, Any]]:
    """The förbund example, with five members electing one revisor each (five revisorer)."""
    data = _data("kommunalforbund", five)
    if five:
        data["federation"]["auditors"] = 5
    return _write(tmp_path, data, f"kf{len(data['parties'])}.yaml"), data


def _kronor(text: str) -> Decimal:
    return Decimal(text.replace(" ", "").replace(",", "."))


def _belopp(value: Decimal) -> str:
    """An amount as the memo writes it: thousands apart, öre only when there are öre."""
    whole, _, cents = f"{value:.2f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", " ")
    return grouped if cents == "00" else f"{grouped},{cents}"


def _first_year(ordning: str) -> dict[str, str]:
    """The first-year paragraph of the förbundsordning: its number, period, due date, meeting."""
    text = _point(ordning, FIRST_YEAR)
    paid = re.search(
        r"Medlemsbidraget för (.+?) betalas senast den ([0-9]+ [a-z]+ [0-9]{4}) ", text
    )
    meeting = re.search(
        r"(\w+) första sammanträde sammankallas av (\w+) i (.+?) och ska hållas senast den"
        r" ([0-9]+ [a-z]+ [0-9]{4})\.",
        text,
    )
    assert paid and meeting, text
    return {
        "number": _number(ordning, FIRST_YEAR),
        "period": paid.group(1),
        "due": paid.group(2),
        "organ": meeting.group(1).lower(),
        "styrelse": meeting.group(2),
        "convener": meeting.group(3),
        "meeting": meeting.group(4),
        "term": re.match(r"För förbundets (första \w+)", text).group(1),  # type: ignore[union-attr]
    }


def _load(params: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(params.read_text(encoding="utf-8"))
    return loaded


def _names(data: dict[str, Any]) -> dict[str, str]:
    return {p["id"]: p["name"] for p in data["parties"]}


# --- 3: the first contribution, its due date, and who convenes the first meeting --------------


def _check_first_payment(params: Path, data: dict[str, Any], part: int, word: str) -> None:
    """Every member's memo states the first period's payment and date as the förbundsordning."""
    first = _first_year(texts(params)["forbundsordning"])
    names = _names(data)
    for party in names:
        memo = _memo(params, party)
        economy = _section(memo, "Ekonomiska konsekvenser", "Juridisk bedömning")
        own = re.search(r" andel av dem är ([0-9 ]+) kronor,", economy)
        assert own, party
        share = _kronor(own.group(1)) / part
        exact = share == share.quantize(Decimal("0.01"))
        amount = _belopp(share) if exact else "omkring " + _belopp(share.quantize(Decimal(1)))
        assert (
            f"Medlemsbidraget för {first['period']}, {word} av kommunens andel eller {amount}"
            f" kronor, ska enligt {first['number']} förbundsordningen betalas senast den"
            f" {first['due']}; en skillnad mot den budget som direktionen fastställer regleras"
            " vid nästa betalning." in economy
        ), party
        council, _ = _decisions(memo)
        charged = (
            f"att uppdra åt {first['styrelse']} att sammankalla {first['organ']} första"
            f" sammanträde enligt {first['number']} förbundsordningen, så att det hålls senast den"
            f" {first['meeting']}"
        )
        # Only the convener's fullmäktige charges its styrelse with the first meeting.
        assert (charged in council) == (names[party] == first["convener"]), party
        assert council.count("första sammanträde") == int(names[party] == first["convener"])


@pytest.mark.parametrize("five", [False, True])
def test_every_member_memo_states_the_first_payment_and_the_convener_is_charged(
    tmp_path: Path, five: bool
) -> None:
    params, data = _kf(tmp_path, five)
    _check_first_payment(params, data, 4, "en fjärdedel")
    # The example's quarters: a fourth of each member's amount, öre only where the quarter has.
    memo = _memo(params, "sjohamn")
    quarter = "259 807,75 kronor" if five else "376 366 kronor"
    assert f"en fjärdedel av kommunens andel eller {quarter}, ska enligt 53 §" in memo


def test_another_convener_date_and_settlement_follow_the_parameters(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["federation"]["convener"] = "norrvik"
        data["federation"]["first_meeting_days"] = 20
        data["costs"]["payment_days"] = 25
        data["costs"]["settlement"] = "monthly"

    params = variant(FILES["kommunalforbund"], tmp_path, change)
    first = _first_year(texts(params)["forbundsordning"])
    assert (first["convener"], first["period"], first["due"], first["meeting"]) == (
        "Norrviks kommun",
        "januari 2027",
        "26 januari 2027",
        "21 januari 2027",
    )
    _check_first_payment(params, _load(params), 12, "en tolftedel")
    # A twelfth of 5 814 208 kronor is no whole number of öre: the memo gives it in kronor.
    assert "en tolftedel av kommunens andel eller omkring 484 517 kronor," in _memo(
        params, "akerby"
    )
    assert "en tolftedel av kommunens andel eller 181 694 kronor," in _memo(params, "norrvik")


def test_a_later_start_pays_the_first_period_on_the_joint_proposal(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["term"]["start"] = "2027-03-01"

    params = variant(FILES["kommunalforbund"], tmp_path, change)
    first = _first_year(texts(params)["forbundsordning"])
    economy = _section(_memo(params, "sjohamn"), "Ekonomiska konsekvenser", "Juridisk bedömning")
    # The first budget year is shorter than a year: no fourth of a year's amount is stated.
    assert (
        f"Medlemsbidraget för {first['period']} ska enligt {first['number']} förbundsordningen"
        f" betalas senast den {first['due']} med det belopp som följer av medlemmarnas"
        " gemensamma förslag till budget; en skillnad" in economy
    )
    assert "fjärdedel" not in economy


# --- 12: the memo and the förbundsordning call the first year the same --------------------------


@pytest.mark.parametrize("five", [False, True])
def test_the_memo_names_the_first_year_as_the_forbundsordning_does(
    tmp_path: Path, five: bool
) -> None:
    params, data = _kf(tmp_path, five)
    term = _first_year(texts(params)["forbundsordning"])["term"]
    assert term == "första budgetår"
    for party in _names(data):
        memo = _memo(params, party)
        council, _ = _decisions(memo)
        economy = _section(memo, "Ekonomiska konsekvenser", "Juridisk bedömning")
        assert f"förslag till budget för förbundets {term} ska täckas med medlemsbidrag" in council
        assert f"förslag till budget för förbundets {term}, 2027, ska" in economy
        assert "verksamhetsår" not in memo, party


# --- 10: a member electing one substitute decides no order -------------------------------------


@pytest.mark.parametrize("five", [False, True])
def test_one_substitute_has_no_order_with_three_and_five_members(
    tmp_path: Path, five: bool
) -> None:
    params, data = _kf(tmp_path, five)
    seats = {s["party"]: s for s in data["federation"]["seats"]}
    for party, seat in seats.items():
        council, _ = _decisions(_memo(params, party))
        election = re.search(r"att kommunen ska välja (.*?), och att valen förrättas i", council)
        assert election, party
        ordered = "i vilken ordning ersättarna ska tjänstgöra" in election.group(1)
        assert ordered == (seat["substitutes"] > 1), party
        assert "en revisor i förbundet" in election.group(1), party
