"""The fifth reading of the memos: what a lawyer found, and how the memos now read.

Each test builds the bundled examples (with two and with five parties) and reads the memo's
sentences against the parameters and the documents that the memo cites.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from avtextra import texts
from test_bundle_matters import _decisions, _gn, _memo, _write
from test_bundle_memo_text import _section
from test_lawyer2_memo import NAMES, _avt, _flat, _number, _parties
from test_lawyer4_memo import _first_year, _kf, _names


def _economy(params: Path, party: str) -> str:
    """The memo's Ekonomiska konsekvenser, as one line."""
    return _flat(_section(_memo(params, party), "Ekonomiska konsekvenser", "Juridisk bedömning"))


# --- 8: the fees of the seats a party elects, singular for one of each -----------------------


@pytest.mark.parametrize("extra", [0, 3])
def test_the_fees_sentence_names_the_seats_the_party_elects(tmp_path: Path, extra: int) -> None:
    data = _gn(extra)
    if extra:
        data["committee"]["seats"][-1]["substitutes"] = 2
    params = _write(tmp_path, data)
    seats = {s["party"]: s for s in data["committee"]["seats"]}
    for party in _parties(2 + extra):
        economy = _economy(params, party)
        found = re.search(
            rf"och {NAMES[party]} betalar alltså endast arvodena till (.*?) som regionen väljer\.",
            economy,
        )
        assert found, party
        one = seats[party]["members"] == 1, seats[party]["substitutes"] == 1
        assert (
            found.group(1)
            == {
                (True, True): "den ledamot och den ersättare",
                (True, False): "den ledamot och de ersättare",
                (False, True): "de ledamöter och den ersättare",
                (False, False): "de ledamöter och ersättare",
            }[one]
        ), party


# --- 4: the delegation sats states the order of anmälan and cites the host's list -------------


@pytest.mark.parametrize("parties", [2, 5])
@pytest.mark.parametrize(
    ("frequency", "order"),
    [("quarterly", "varje kvartal"), ("monthly", "varje månad")],
)
def test_the_delegation_sats_states_the_order_of_anmalan(
    tmp_path: Path, parties: int, frequency: str, order: str
) -> None:
    def change(data: dict[str, Any]) -> None:
        data["delegation"]["report_frequency"] = frequency

    params = _avt(tmp_path, parties, change)
    agreement = texts(params)["samverkansavtal"]
    point = _number(agreement, "Beslut som har fattats på en Uppdragsgivande parts vägnar ska")
    assert f"anmälan kan göras {order}," in _flat(agreement)
    for party in _parties(parties)[1:]:
        _, own = _decisions(_memo(params, party))
        assert (
            "att besluta på regionstyrelsens vägnar i de ärenden och med de begränsningar som anges"
            f" där, och att besluten ska anmälas till regionstyrelsen {order}, på grundval av den"
            f" förteckning som Region Sörmland lämnar enligt punkt {point} i samverkansavtalet,"
            " under förutsättning att samverkansavtalet träder i kraft" in own
        ), party
        assert "i den ordning som samverkansavtalet anger" not in own, party


# --- 7: a former member's share changes because more parties share the costs ---------------


@pytest.mark.parametrize("form", ["avtalssamverkan", "gemensam_namnd"])
@pytest.mark.parametrize("parties", [2, 5])
def test_a_former_member_is_told_its_share_changes_with_more_parties(
    tmp_path: Path, form: str, parties: int
) -> None:
    if form == "avtalssamverkan":
        params = _avt(tmp_path, parties)
    else:
        params = _write(tmp_path, _gn(parties - 2))
    for party in _parties(parties):
        economy = _economy(params, party)
        row = re.search(rf"\| {NAMES[party]} \| ([0-9,]+ procent) \|", economy)
        assert row, party
        said = re.findall(
            rf"För {NAMES[party]} innebär förslaget att regionens andel av de gemensamma"
            r" kostnaderna blir ([0-9,]+ procent), eftersom fler regioner delar på kostnaderna\.",
            economy,
        )
        member = party in ("sormland", "vastmanland")
        assert said == ([row.group(1)] if member and parties > 2 else []), party
        assert "hälften" not in economy, party  # no earlier share the parameters do not hold


# --- the förbund's first period: the memo names it as the förbundsordning does ---------------


@pytest.mark.parametrize("five", [False, True])
@pytest.mark.parametrize(
    ("start", "settlement", "period"),
    [
        ("2027-01-01", "quarterly", "det första kvartalet 2027"),
        ("2027-04-01", "quarterly", "det andra kvartalet 2027"),
        (
            "2027-03-15",
            "quarterly",
            "tiden från och med den 15 mars 2027 till och med den 31 mars 2027",
        ),
        ("2027-03-01", "monthly", "mars 2027"),
    ],
)
def test_the_memo_names_the_first_period_as_the_forbundsordning_does(
    tmp_path: Path, five: bool, start: str, settlement: str, period: str
) -> None:
    params, data = _kf(tmp_path, five)
    data["term"]["start"] = start
    data["costs"]["settlement"] = settlement
    params = _write(tmp_path, data, params.name)
    first = _first_year(texts(params)["forbundsordning"])
    assert first["period"] == period
    for party in _names(data):
        economy = _flat(
            _section(_memo(params, party), "Ekonomiska konsekvenser", "Juridisk bedömning")
        )
        paid = re.search(r"Medlemsbidraget för (.+?)(?:, | ska enligt)", economy)
        assert paid, party
        assert paid.group(1) == period, party
        assert (
            f"ska enligt {first['number']} förbundsordningen betalas senast den {first['due']}"
            in economy
        ), party
        assert "förbundets första" not in paid.group(1), party


# --- a contribution moved a krona by the rounding cites the paragraph that explains it -------


@pytest.mark.parametrize("five", [False, True])
@pytest.mark.parametrize("same_budget", [True, False])
def test_a_contribution_moved_by_the_rounding_cites_the_forbundsordning(
    tmp_path: Path, five: bool, same_budget: bool
) -> None:
    params, data = _kf(tmp_path, five)
    if not same_budget:
        data["matter"]["economy"]["first_budget"]["amount"] = 9_400_000
        params = _write(tmp_path, data, params.name)
    ordning = _flat(texts(params)["forbundsordning"])
    point = _number(texts(params)["forbundsordning"], "Räkneexemplet i tabellen visar")
    moved = re.search(r"(Beloppe[nt] för .*?) är därför en krona (högre|lägre)", ordning)
    names = _names(data)
    for party, name in names.items():
        council, _ = _decisions(_memo(params, party))
        sats = re.search(r"anvisa högst [0-9 ]+ kronor, (.*?)motsvarande kommunens andel", council)
        assert sats, party
        cited = bool(moved) and name in moved.group(1) and same_budget
        assert sats.group(1) == (f"avrundat enligt {point} förbundsordningen, " if cited else "")
    if five and same_budget:  # the five-member example moves one member's amount
        assert moved
        assert any(name in moved.group(1) for name in names.values())
