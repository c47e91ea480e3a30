"""A kommunjurist's second reading of the förbund and bolag documents: each point asserted.

The arkivförbund is built with its three members and with five, the it-bolag with its two
owners and with five, as Markdown; each test asserts the text a reviewer signs off and that the
text it replaced is gone. The builders are those of the first reading's tests.
"""

from __future__ import annotations

import re

import pytest

from test_lawyer_corp import BOLAG, _build, _owners


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
