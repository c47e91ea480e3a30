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
from avtal.check import lint
from avtal.clauselib.costs import allocate
from avtal.errors import InputError
from avtal.project import load_project
from avtextra import texts
from conftest import ROOT
from test_lawyer_corp import BOLAG, KF, _build, _line, _members, _owners, _write


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
        "tre månader har förflutit från det att bolaget skriftligen lämnade frågan till "
        "styrelsen hos varje ägare enligt punkt 7.3." in bolag["agardirektiv"]
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
        "Vilka frågor som avses anges närmare i ägardirektivet för bolaget. Där anges också de "
        "frågor i vilka bolaget inte får fatta beslut förrän fullmäktige hos samtliga ägare har "
        "godkänt beslutet." in bolag["bolagsordning"]
    )
    reserved = re.search(
        r"Om ärendet avser (.*?), får bolaget dock inte fatta beslutet förrän fullmäktige hos "
        r"samtliga ägare har godkänt det\.",
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


def test_no_matter_reserved_for_every_owner_is_left_to_an_owners_styrelse(
    bolag: dict[str, str],
) -> None:
    text = bolag["aktieagaravtal"]
    assert "lämnas godkännandet av styrelsen hos respektive Part" not in text
    assert "det organ som är behörigt hos respektive Part" not in text
    assert "ställningstaganden som fullmäktige hos Parten har gjort, och för beslutet" in text


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


# --- 1: the first budget year --------------------------------------------------------------------


def test_the_first_budget_year_has_a_rule(forbund: str) -> None:
    match = re.search(
        r"(\d+) § Om förbundet under budgetåret behöver ytterligare medlemsbidrag.*? (\d+) § För "
        r"förbundets första budgetår, 2027, fastställer direktionen budgeten vid sitt första "
        r"sammanträde, på grundval av medlemmarnas gemensamma förslag till budget för 2027 och "
        r"inom ramen för de medlemsbidrag som medlemmarnas fullmäktige har anvisat\. Förslaget "
        r"har upprättats av kommunstyrelsen i Åkerby kommun i samråd med styrelserna hos övriga "
        r"medlemmar\. "
        r"Samråd enligt (\d+) § "
        r"och fastställande före budgetåret enligt (\d+) § krävs inte för det första budgetåret\. "
        r"Medlemsbidraget för det första kvartalet 2027 betalas senast den 29 januari 2027 med "
        r"det belopp som följer av det gemensamma förslaget; en skillnad mot "
        r"den budget som direktionen fastställer regleras vid nästa betalning\. Direktionens "
        r"första sammanträde sammankallas av kommunstyrelsen i Åkerby kommun och ska hållas "
        r"senast den 29 januari 2027\.",
        forbund,
    )
    assert match is not None
    extra, first, samrad, faststallande = (int(n) for n in match.groups())
    assert first == extra + 1
    assert f"{samrad} § Förbundet ska senast vid utgången av april varje år samråda" in forbund
    assert f"{faststallande} § Direktionen fastställer budgeten senast den 30 november" in forbund


def test_the_first_year_follows_the_start_the_organ_and_the_convener(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["term"]["start"] = "2027-07-01"
        data["costs"]["settlement"] = "monthly"
        data["costs"]["payment_days"] = 20
        fed = data["federation"]
        fed.update(organ="forbundsfullmaktige", convener="sjohamn", first_meeting_days=45)
        fed.pop("auditors_elected_by")

    text = _build(KF, tmp_path, change)["forbundsordning"]
    assert (
        "För förbundets första budgetår, som omfattar tiden från och med den 1 juli 2027 till och "
        "med den 31 december 2027, fastställer förbundsfullmäktige budgeten vid sitt första "
        "sammanträde," in text
    )
    assert "Medlemsbidraget för juli 2027 betalas senast den 21 juli 2027" in text
    assert (
        "Förbundsfullmäktiges första sammanträde sammankallas av kommunstyrelsen i Sjöhamns "
        "kommun och ska hållas senast den 13 augusti 2027." in text
    )
    # The förbund starts after the consultation on next year's budget was due (April).
    assert (
        "krävs inte för det första budgetåret. Samrådet enligt 49 § om budgeten för 2028 ska ske "
        "så snart det kan ske efter det att denna förbundsordning har börjat gälla." in text
    )


def test_a_start_after_the_budget_date_treats_the_next_year_as_the_first(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["term"]["start"] = "2027-12-15"

    text = _build(KF, tmp_path, change)["forbundsordning"]
    assert (
        "krävs inte för det första budgetåret. Detsamma gäller budgeten för 2028, som direktionen "
        "fastställer vid samma sammanträde och på samma sätt. Medlemsbidraget för tiden från och "
        "med den 15 december 2027 till och med den 31 december 2027" in text
    )
    assert "Samrådet enligt" not in text


def test_the_convener_must_be_a_member(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["federation"]["convener"] = "ekby"

    path = _write(KF, tmp_path, change)
    with pytest.raises(InputError) as caught:
        load_project(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:{_line(path, 'convener:')}: federation.convener: unknown party 'ekby'; parties "
        "are akerby, norrvik, sjohamn"
    ]


# --- 6: a share capital with room for the agreement's capital and exit routes -------------------


def test_bolagsordning_states_a_lowest_and_highest_capital(bolag: dict[str, str]) -> None:
    # Five owners hold 1 300 shares of the same capital: the numbers keep the ratio.
    assert re.search(
        r"7 § Aktiekapitalet ska vara lägst 500 000 kronor och högst 2 000 000 kronor\. Antalet "
        r"aktier ska vara lägst (500 och högst 2 000|650 och högst 2 600)\.",
        bolag["bolagsordning"].replace("\u00a0", " "),
    )
    assert "Aktiekapitalet ska vara 1 000 000 kronor" not in bolag["bolagsordning"]


def test_a_fixed_capital_with_nyemission_and_inlosen_is_warned(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        del data["company"]["share_capital_max"]
        del data["company"]["share_capital_min"]

    path = _write(BOLAG, tmp_path, change)
    found = [str(f) for f in lint(load_project(path)).findings]
    assert found == [
        f"BOLAG-KAPITAL warning {path}:{_line(path, 'share_capital:')} company.share_capital: the "
        "bolagsordning fixes the share capital and the number of shares, but the aktieägaravtal "
        "provides for a nyemission or a redemption of shares (points 8.2, 10.2, 10.3), each of "
        "which then needs a change of the bolagsordning that every owner must approve; give "
        "company.share_capital_max, at most four times the lowest share capital (3 kap. 1 § "
        "aktiebolagslagen (2005:551))"
    ]
    assert lint(load_project(BOLAG)).findings == ()


def test_the_lowest_capital_leaves_room_to_redeem_the_largest_holding(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["company"]["share_capital_min"] = 600000

    path = _write(BOLAG, tmp_path, change)
    found = [str(f) for f in lint(load_project(path)).findings]
    assert found == [
        f"BOLAG-KAPITAL warning {path}:{_line(path, 'share_capital_min:')} "
        "company.share_capital_min: redeeming the shares of Region Sörmland (500 of 1000), as the "
        "aktieägaravtal provides (points 10.2, 10.3), would leave a share capital of 500 000 "
        "kronor, below the lowest of 600 000 kronor in the bolagsordning; give a "
        "company.share_capital_min of at most 500 000 kronor and at least 500 000 kronor, a "
        "fourth of the highest (3 kap. 1 § aktiebolagslagen (2005:551))"
    ]


@pytest.mark.parametrize(
    ("change", "needle", "message"),
    [
        (
            {"share_capital_max": 1000000},
            "share_capital_max:",
            "company.share_capital_max: 1000000 is not more than share_capital 1000000",
        ),
        (
            {"share_capital_min": 1200000},
            "share_capital_min:",
            "company.share_capital_min: 1200000 is more than share_capital 1000000",
        ),
        (
            {"share_capital_min": 20000},
            "share_capital_min:",
            "company.share_capital_min: at least 25 000 kronor (ABL 1:5)\n"
            "company.share_capital_min: 20000 is less than a fourth of share_capital_max 2000000; "
            "the lowest share capital may not be less than a fourth of the highest (3 kap. 1 § "
            "aktiebolagslagen (2005:551))",
        ),
        (
            {"share_capital_max": None},
            "share_capital_min:",
            "company.share_capital_min: only with share_capital_max",
        ),
    ],
)
def test_the_capital_range_encloses_the_capital(
    tmp_path: Path, change: dict[str, Any], needle: str, message: str
) -> None:
    def edit(data: dict[str, Any]) -> None:
        for key, value in change.items():
            if value is None:
                del data["company"][key]
            else:
                data["company"][key] = value

    path = _write(BOLAG, tmp_path, edit)
    with pytest.raises(InputError) as caught:
        load_project(path)
    assert [str(p) for p in caught.value.problems] == [
        f"{path}:{_line(path, needle)}: {line}" for line in message.split("\n")
    ]


# --- references to a range of points -----------------------------------------------------------


def test_a_range_of_paragraphs_and_a_missing_end(tmp_path: Path) -> None:
    folder = tmp_path / "clauses" / "forbund"
    folder.mkdir(parents=True)
    source = (ROOT / "clauses" / "forbund" / "giltighet.md").read_text(encoding="utf-8")
    folder.joinpath("giltighet.md").write_text(
        source.replace("version: 1.0.0", "version: 1.0.1")
        + '\nBudgeten behandlas i {{ ref("forbund.budget#samrad", '
        '"forbund.budget#faststallande") }} och i {{ ref("forbund.budget#samrad", '
        '"forbund.budget#saknas") }}.\n',
        encoding="utf-8",
    )
    text = texts(KF, (tmp_path / "clauses",))["forbundsordning"]
    assert (
        "Budgeten behandlas i 49–50 §§ och i 49 §–[hänvisning saknas: forbund.budget#saknas]."
        in (" ".join(text.split()))
    )
