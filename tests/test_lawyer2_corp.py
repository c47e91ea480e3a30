"""A kommunjurist's second reading of the förbund and bolag documents: each point asserted.

The arkivförbund is built with its three members and with five, the it-bolag with its two
owners and with five, as Markdown; each test asserts the text a reviewer signs off and that the
text it replaced is gone. The builders are those of the first reading's tests.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from types import SimpleNamespace
from typing import Any, cast

import pytest

from avtal.bundle.matter import MatterSource
from avtal.bundle.memo import _contribution
from avtal.clauselib.costs import allocate
from avtal.project import load_project
from test_lawyer_corp import BOLAG, KF, _build, _members, _owners, _write


@pytest.fixture(scope="module", params=[2, 5], ids=["bolag2", "bolag5"])
def bolag(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    return _build(BOLAG, tmp_path_factory.mktemp("bolag"), _owners(request.param))


# --- 13: the offer and the right to acquire ----------------------------------------------------


def test_transfer_to_others_follows_the_whole_offer_procedure(bolag: dict[str, str]) -> None:
    text = bolag["aktieagaravtal"]
    assert "enligt punkterna 9.1–9.2 får överlåtas till någon annan" in text
    assert (
        "Förköpsförbehållet i bolagsordningen tillämpas först när förfarandet enligt punkterna "
        "9.1–9.2 har avslutats." in text
    )
    assert "enligt punkt 9.1" not in text
    # 9.2 is the right to acquire within three months, the end of the range.
    assert "9.2 Den andra Parten har rätt" in text or "9.2 Övriga Parter har rätt" in text


# --- 12: the agreement forms the company; it does not say the company exists ------------------


def test_the_parties_form_the_company(bolag: dict[str, str]) -> None:
    text = bolag["aktieagaravtal"]
    assert "2.1 Parterna bildar Bolaget för att driva och utveckla" in text
    assert "har bildat" not in text


# --- 5: the three documents say the same about an owner's silence ------------------------------


def test_silence_of_a_fullmaktige_lets_the_company_decide_in_all_three_documents(
    bolag: dict[str, str],
) -> None:
    three_months = (
        "tre månader har förflutit från det att bolaget skriftligen lämnade frågan till "
        "styrelsen hos varje ägare."
    )
    assert three_months in bolag["bolagsordning"]
    assert (
        "tre månader har förflutit från det att styrelsen hos varje ägare underrättades om "
        "ärendet enligt punkt 7.3." in bolag["agardirektiv"]
    )
    text = bolag["aktieagaravtal"]
    assert (
        "En Part vars fullmäktige inte har tagit ställning inom tre månader från det att Bolaget "
        "skriftligen lämnade frågan till styrelsen hos varje Part enligt bolagsordningen anses "
        "ha godkänt ett beslut i en fråga enligt punkt 6.1 g." in text
    )
    assert "g) andra beslut i frågor av principiell beskaffenhet eller annars av större vikt." in (
        text
    )


def test_the_matters_reserved_for_every_owner_are_the_same_in_all_three_documents(
    bolag: dict[str, str],
) -> None:
    assert (
        "Vilka frågor som avses, och i vilka av dem bolaget inte får fatta beslut förrän samtliga "
        "ägare har godkänt det, anges närmare i ägardirektivet för bolaget."
        in bolag["bolagsordning"]
    )
    reserved = re.search(
        r"Om ärendet avser (.*?), får bolaget dock inte fatta beslutet förrän samtliga ägare har "
        r"godkänt det enligt aktieägaravtalet\.",
        bolag["agardirektiv"],
    )
    assert reserved is not None
    # Items d–f of the aktieägaravtal, the matters the board decides, each in the ägardirektiv.
    point = bolag["aktieagaravtal"].split("6.1 Följande beslut", 1)[1].split("6.2 ", 1)[0]
    items = dict(re.findall(r"\b([d-f])\) (.*?),(?: och)? (?=[e-g]\))", point))
    assert items == {
        "d": "överlåtelse av Bolagets verksamhet eller av en väsentlig del av den",
        "e": "bildande eller förvärv av dotterföretag och förvärv av aktier eller andelar i andra "
        "företag",
        "f": "väsentliga förändringar av verksamhetens inriktning eller omfattning",
    }
    said = reserved.group(1)
    for needle in (
        "överlåtelse av bolagets verksamhet eller av en väsentlig del av den",
        "bildande eller förvärv av dotterföretag",
        "förvärv av aktier eller andelar i andra företag",
        "väsentlig förändring av verksamhetens inriktning eller omfattning",
    ):
        assert needle in said


def test_matters_of_lesser_weight_are_approved_by_each_owners_styrelse(
    bolag: dict[str, str],
) -> None:
    text = bolag["aktieagaravtal"]
    assert (
        "6.4 I frågor enligt punkt 6.1 e och f som inte är av principiell beskaffenhet eller "
        "annars av större vikt lämnas godkännandet av styrelsen hos respektive Part." in text
    )
    assert "det organ som är behörigt hos respektive Part" not in text
    assert "fullmäktige eller, enligt punkt 6.4, styrelsen hos Parten har gjort." in text


# --- 14: amounts in kronor add up to the total; the basis column says what it counts ------------


def _kf(count: int) -> Callable[[dict[str, Any]], None]:
    """The arkivförbund with ``count`` members; with five, the populations of the reading."""

    def change(data: dict[str, Any]) -> None:
        _members(count)(data)
        if count == 5:
            data["costs"]["basis"]["values"].update(ekby=9800, lindas=31250)

    return change


@pytest.fixture(scope="module", params=[3, 5], ids=["kf3", "kf5"])
def forbund(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    return _build(KF, tmp_path_factory.mktemp("kf"), _kf(request.param))["forbundsordning"]


def _table(text: str) -> list[list[str]]:
    rows = re.findall(
        r"\| ([^|]+kommun|Summa) \| ([\d ]+) \| ([\d,]+) procent \| ([\d ]+) kronor \|", text
    )
    return [list(row) for row in rows]


def _number(text: str) -> int:
    return int(text.replace("\u00a0", "").replace(" ", ""))


def test_contributions_add_up_to_the_budget(forbund: str) -> None:
    rows = _table(forbund)
    *members, total = rows
    assert total[0] == "Summa" and _number(total[3]) == 9_500_000
    assert sum(_number(row[3]) for row in members) == 9_500_000
    assert sum(_number(row[1]) for row in members) == _number(total[1])
    assert "summerar därför till" not in forbund
    assert "| Medlem | Antal invånare | Andel | Räkneexempel |" in forbund
    assert "Underlag" not in forbund


def test_five_members_amounts_by_largest_remainder(forbund: str) -> None:
    amounts = {row[0]: _number(row[3]) for row in _table(forbund)}
    if len(amounts) == 4:  # three members: each amount its exact share rounded half up
        assert amounts == {
            "Åkerby kommun": 5_814_208,
            "Norrviks kommun": 2_180_328,
            "Sjöhamns kommun": 1_505_464,
            "Summa": 9_500_000,
        }
    else:  # rounded half up they summed to 9 499 999; Sjöhamn has the largest remainder
        assert amounts["Sjöhamns kommun"] == 1_039_231
        assert amounts["Åkerby kommun"] == 4_013_580


def test_the_basis_heading_defaults_to_the_basis_name(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        del data["costs"]["basis"]["heading"]

    text = _build(KF, tmp_path, change)["forbundsordning"]
    assert "| Medlem | Antal invånare den 1 november året före budgetåret | Andel |" in text


def test_the_memo_contribution_is_the_table_amount(tmp_path: Path) -> None:
    path = _write(KF, tmp_path, _kf(5))
    project = load_project(path)
    budget = SimpleNamespace(year=2027, amount=Decimal(9_500_000))
    source = cast(
        MatterSource,
        SimpleNamespace(matter=SimpleNamespace(economy=SimpleNamespace(first_budget=budget))),
    )
    table = {
        row[0]: _number(row[3]) for row in _table(_build(KF, tmp_path, _kf(5))["forbundsordning"])
    }
    paid = {}
    for party in project.params.parties:
        found = _contribution(project, source, party)
        assert found is not None
        paid[party.name] = found["amount"]
    assert sum(paid.values()) == Decimal(9_500_000)
    assert all(table[name] == amount for name, amount in paid.items())


@pytest.mark.parametrize(
    ("total", "weights", "unit", "parts"),
    [
        ("10000000", ["1", "1", "1"], "1", ["3333334", "3333333", "3333333"]),
        ("100", ["1", "1", "1", "1", "1", "1", "1"], "1", ["15", "15"] + ["14"] * 5),
        (
            "9500000",
            ["56000", "21000", "14500", "9800", "31250"],
            "1",
            ["4013580", "1505092", "1039231", "702376", "2239721"],
        ),
        ("100.01", ["1", "2"], "0.01", ["33.34", "66.67"]),
    ],
)
def test_allocate_adds_up_and_breaks_ties_by_order(
    total: str, weights: list[str], unit: str, parts: list[str]
) -> None:
    got = allocate(Decimal(total), [Decimal(w) for w in weights], Decimal(unit))
    assert got == [Decimal(p) for p in parts]
    assert sum(got) == Decimal(total)
    weight_sum = sum(Decimal(w) for w in weights)
    for part, weight in zip(got, weights, strict=True):
        assert abs(part - Decimal(total) * Decimal(weight) / weight_sum) < Decimal(unit)
