"""A kommunjurist's fourth reading of the förbund and bolag documents: each point asserted.

The it-bolag is built with its two owners and with five, the arkivförbund with its three
members and with five; the builders are those of the earlier readings' tests.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from avtal.check import lint
from avtal.clauselib.textfmt import working_day_on_or_before
from avtal.errors import InputError
from avtal.load.model.capital import share_range, starting_range
from avtal.load.params import load_params
from avtal.project import load_project
from avtextra import texts, variant
from conftest import ROOT
from test_interactive import ANSWERS, run_new
from test_lawyer2_corp import _kf
from test_lawyer_corp import BOLAG, KF, _build, _line, _owners, _write

AVT = ROOT / "examples" / "inkop-sormland-vastmanland" / "avtalssamverkan.yaml"
GN = ROOT / "examples" / "inkop-sormland-vastmanland" / "gemensam-namnd.yaml"

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


# --- 2, 4, 7, 11: the owners' approvals, the exit and the board's instruction ------------------


@pytest.fixture(scope="module", params=[2, 5], ids=["bolag2", "bolag5"])
def bolag(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    return _build(BOLAG, tmp_path_factory.mktemp("bolag"), _owners(request.param))


def test_every_matter_reserved_for_every_owner_is_fullmaktiges(bolag: dict[str, str]) -> None:
    avtal = bolag["aktieagaravtal"]
    assert "de frågor som anges i punkt 6.1 a–f alltid är sådana frågor." in avtal
    assert "styrelsen hos respektive Part" not in avtal
    assert "a–d alltid" not in avtal
    direktiv = bolag["agardirektiv"]
    assert (
        "7.2 Beslut om överlåtelse av bolagets verksamhet eller av en väsentlig del av den, om "
        "bildande eller förvärv av dotterföretag, om förvärv av aktier eller andelar i andra "
        "företag och om väsentliga förändringar av verksamhetens inriktning eller omfattning är "
        "alltid sådana beslut, oavsett omfattning. Till sådana beslut hör också till exempel "
        "beslut om att" in direktiv
    )
    assert "- avveckla dotterföretag eller avyttra aktier eller andelar i andra" in direktiv
    assert "dotterbolag" not in direktiv
    assert (
        "7.4 Bolaget får fatta beslut i ärendet först när fullmäktige hos samtliga ägare har "
        "tagit ställning eller tre månader har förflutit från det att bolaget skriftligen "
        "lämnade frågan till styrelsen hos varje ägare enligt punkt 7.3. Om ärendet avser "
        "överlåtelse av bolagets verksamhet eller av en väsentlig del av den, bildande eller "
        "förvärv av dotterföretag, förvärv av aktier eller andelar i andra företag eller en "
        "väsentlig förändring av verksamhetens inriktning eller omfattning, får bolaget dock inte "
        "fatta beslutet förrän fullmäktige hos samtliga ägare har godkänt det." in direktiv
    )
    assert "underrättades om ärendet" not in direktiv
    assert "godkänt det enligt aktieägaravtalet" not in direktiv


def test_the_ombud_of_a_silent_owner_votes_for_the_decision(bolag: dict[str, str]) -> None:
    assert (
        "6.4 Ett beslut i en fråga enligt punkt 6.1 som fattas av bolagsstämman kräver att "
        "samtliga Parter röstar för beslutet. En Parts ombud vid bolagsstämman ska rösta i "
        "enlighet med de ställningstaganden som fullmäktige hos Parten har gjort, och för beslutet "
        "när Parten enligt punkt 6.2 anses ha godkänt det." in bolag["aktieagaravtal"]
    )


def test_no_remaining_owner_can_block_the_redemption_of_the_exit(bolag: dict[str, str]) -> None:
    assert (
        "överlåta aktierna till en annan kommun eller region som tillträder Avtalet. Varje Part "
        "ska godkänna och genom sitt ombud vid bolagsstämman rösta för de beslut om minskning av "
        "aktiekapitalet som behövs för att Bolaget ska kunna lösa in den utträdande Partens "
        "aktier enligt denna punkt. Kravet på samtliga Parters godkännande i punkt 6.1 b gäller "
        "inte sådana beslut, och Parterna är överens om att fullmäktige hos varje Part genom att "
        "godkänna Avtalet har tagit ställning till dem." in bolag["aktieagaravtal"]
    )


def test_the_bolagsordning_names_what_the_owners_approve(bolag: dict[str, str]) -> None:
    text = bolag["bolagsordning"]
    assert (
        "Vilka frågor som avses anges närmare i ägardirektivet för bolaget. Där anges också de "
        "frågor i vilka bolaget inte får fatta beslut förrän fullmäktige hos samtliga ägare har "
        "godkänt beslutet." in text
    )
    assert "i vilka av dem" not in text


# --- 6: the krona the largest remainder moves is explained where the table is -----------------

ROUNDING = (
    "Beloppen är beräknade med de oavrundade andelarna och avrundade så att de tillsammans "
    "uppgår till {total}: varje belopp har först avrundats nedåt till hela kronor, och det som "
    "då återstår har lagts med en krona var på de {who} vars belopp hade störst decimaldel, vid "
    "lika decimaldel på den {one} som står först i tabellen."
)


def _forbund(tmp_path: Path, count: int, **costs: Any) -> str:
    def change(data: dict[str, Any]) -> None:
        _kf(count)(data)
        data["costs"].update(costs)
        if costs.get("model") == "equal":
            del data["costs"]["basis"]

    return " ".join(_build(KF, tmp_path, change)["forbundsordning"].split())


def test_a_moved_krona_is_explained_though_the_percentages_add_up(tmp_path: Path) -> None:
    text = _forbund(tmp_path, 5)
    assert "| 10,94 procent | 1 039 231 kronor |" in text
    assert "| Summa | 132 550 | 100,00 procent | 9 500 000 kronor |" in text
    assert (
        "Beloppen är ett räkneexempel och inte ett åtagande. "
        + ROUNDING.format(total="9 500 000 kronor", who="medlemmar", one="medlem")
        + " Beloppet för Sjöhamns kommun är därför en krona högre än om det hade avrundats för "
        "sig." in text
    )
    assert "summerar därför" not in text


def test_no_krona_moved_no_sentence(tmp_path: Path) -> None:
    text = _forbund(tmp_path, 3)
    assert "oavrundade" not in text and "decimaldel" not in text


@pytest.mark.parametrize(
    ("budget", "who", "how"),
    [(40000000, "Åkerby kommun", "högre"), (40000001, "Sjöhamns kommun", "lägre")],
)
def test_equal_shares_say_which_member_bears_the_krona(
    tmp_path: Path, budget: int, who: str, how: str
) -> None:
    text = _forbund(tmp_path, 3, model="equal", example_budget=budget)
    total = f"{budget:,} kronor".replace(",", " ")
    assert (
        "Andelarna är avrundade till två decimaler var för sig och summerar därför till 99,99 "
        "procent. "
        + ROUNDING.format(total=total, who="medlemmar", one="medlem")
        + f" Beloppet för {who} är därför en krona {how} än om det hade avrundats för sig."
        in text
    )


@pytest.mark.parametrize("source", [AVT, GN], ids=["avtalssamverkan", "gemensam_namnd"])
def test_the_annex_explains_the_krona_too(tmp_path: Path, source: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data.pop("matter", None)
        data["costs"]["model"] = "fixed"
        data["costs"]["shares"] = {p["id"]: 50 for p in data["parties"]}
        data["costs"].pop("basis", None)
        data["costs"]["example_budget"] = 9500001

    path = variant(source, tmp_path, change)
    agreement = texts(path)["samverkansavtal"]
    annex = " ".join(agreement[agreement.index("Bilaga") :].split())
    assert (
        ROUNDING.format(total="9 500 001 kronor", who="Parter", one="Part")
        + " Beloppet för Region Västmanland är därför en krona lägre än om det hade avrundats för "
        "sig." in annex
    )


# --- 3, 8, 9: the first budget year of the förbund ---------------------------------------------


@pytest.fixture(scope="module", params=[3, 5], ids=["kf3", "kf5"])
def forbund(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    text = _build(KF, tmp_path_factory.mktemp("kf"), _kf(request.param))["forbundsordning"]
    return " ".join(text.split())


def test_the_first_budget_rests_on_an_identified_proposal(forbund: str) -> None:
    assert (
        "53 § För förbundets första budgetår, 2027, fastställer direktionen budgeten vid sitt "
        "första sammanträde, på grundval av medlemmarnas gemensamma förslag till budget för 2027 "
        "och inom ramen för de medlemsbidrag som medlemmarnas fullmäktige har anvisat. Förslaget "
        "har upprättats av kommunstyrelsen i Åkerby kommun i samråd med styrelserna hos övriga "
        "medlemmar. "
        "Samråd enligt 49 § och fastställande före budgetåret enligt 50 § krävs inte för det "
        "första budgetåret. Medlemsbidraget för det första kvartalet 2027 betalas senast den 29 "
        "januari 2027 med det belopp som följer av det gemensamma förslaget; en skillnad mot den "
        "budget som direktionen fastställer regleras vid nästa betalning. Direktionens första "
        "sammanträde sammankallas av kommunstyrelsen i Åkerby kommun och ska hållas senast den "
        "29 januari 2027. Till dess att ordförande har valts leds sammanträdet av den till åldern "
        "äldsta ledamoten." in forbund
    )
    assert "verksamhetsår" not in forbund
    assert "31 januari 2027" not in forbund  # a Sunday


@pytest.mark.parametrize(
    ("day", "working"),
    [
        ("2027-01-31", "2027-01-29"),  # a Sunday
        ("2027-01-06", "2027-01-05"),  # trettondedag jul
        ("2026-12-24", "2026-12-23"),  # julafton
        ("2027-03-29", "2027-03-25"),  # annandag påsk, långfredag before it
        ("2027-01-04", "2027-01-04"),  # a Monday
    ],
)
def test_a_deadline_moves_back_to_a_working_day(day: str, working: str) -> None:
    assert working_day_on_or_before(dt.date.fromisoformat(day)) == dt.date.fromisoformat(working)


def _first_year(tmp_path: Path, start: str, count: int = 3, **changes: Any) -> str:
    def change(data: dict[str, Any]) -> None:
        _kf(count)(data)
        data["term"]["start"] = start
        for key, value in changes.items():
            section, name = key.split("__")
            data[section][name] = value

    text = _build(KF, tmp_path, change)["forbundsordning"]
    return " ".join(text.split("53 § ", 1)[1].split("54 § ", 1)[0].split())


def test_two_members_and_another_convener(tmp_path: Path) -> None:
    text = _first_year(tmp_path, "2027-01-01", 2, federation__convener="norrvik")
    assert (
        "Förslaget har upprättats av kommunstyrelsen i Norrviks kommun i samråd med styrelsen "
        "hos den andra medlemmen." in text
    )


def test_a_first_meeting_after_the_first_budget_year_is_warned(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["term"]["start"] = "2027-12-15"

    path = _write(KF, tmp_path, change)
    warnings = _warnings(path)
    # The first quarter's payment then also falls due after its period (KF-FORSTA-BETALNING).
    assert [w.split()[0] for w in warnings] == ["KF-FORSTA-BUDGET", "KF-FORSTA-BETALNING"]
    assert warnings[:1] == [
        f"KF-FORSTA-BUDGET warning {path}:{_line(path, 'federation:')} "
        "federation.first_meeting_days: the first meeting, which adopts the budget of the first "
        "budget year ending on 31 December 2027, may be held as late as 2028-01-14, after that "
        "year; give fewer days, or a term.start earlier in the year (avtalsteknik, ingen "
        "lagregel)"
    ]
    assert _warnings(KF) == []


def _first_payment(tmp_path: Path, start: str, settlement: str) -> str:
    def change(data: dict[str, Any]) -> None:
        data["term"]["start"] = start
        data["costs"]["settlement"] = settlement

    text = " ".join(_build(KF, tmp_path, change)["forbundsordning"].split())
    return text.split("Medlemsbidraget för ", 1)[1].split(" med det belopp", 1)[0]


@pytest.mark.parametrize(
    ("start", "settlement", "paid"),
    [
        (
            "2027-03-01",
            "quarterly",
            "tiden från och med den 1 mars 2027 till och med den 31 mars 2027 betalas senast den "
            "31 mars 2027",
        ),
        ("2027-04-01", "quarterly", "det andra kvartalet 2027 betalas senast den 30 april 2027"),
        ("2027-03-01", "monthly", "mars 2027 betalas senast den 31 mars 2027"),
        ("2027-07-01", "half_yearly", "det andra halvåret 2027 betalas senast den 30 juli 2027"),
        (
            "2027-05-15",
            "yearly",
            "tiden från och med den 15 maj 2027 till och med den 31 december 2027 betalas senast "
            "den 14 juni 2027",
        ),
        ("2027-01-01", "yearly", "2027 betalas senast den 29 januari 2027"),
    ],
)
def test_the_first_payment_is_for_the_rest_of_the_calendar_period(
    tmp_path: Path, start: str, settlement: str, paid: str
) -> None:
    assert _first_payment(tmp_path, start, settlement) == paid
