"""A kommunjurist's second reading of the förbund and bolag documents: each point asserted.

The arkivförbund is built with its three members and with five, the it-bolag with its two
owners and with five, as Markdown; each test asserts the text a reviewer signs off and that the
text it replaced is gone. The builders are those of the first reading's tests.
"""

from __future__ import annotations

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
