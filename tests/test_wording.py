"""Wording a Swedish region's lawyer expects: notices, the rotating chair."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

from avtextra import add_parties, texts
from conftest import ROOT

EXAMPLES = ROOT / "examples"
AVT = EXAMPLES / "inkop-sormland-vastmanland" / "avtalssamverkan.yaml"
GN = EXAMPLES / "inkop-sormland-vastmanland" / "gemensam-namnd.yaml"
KF = EXAMPLES / "arkivforbund" / "kommunalforbund.yaml"


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_notices_are_announced_never_posted() -> None:
    gn = {name: _flat(text) for name, text in texts(GN).items()}
    kf = {name: _flat(text) for name, text in texts(KF).items()}
    for text in (*gn.values(), *kf.values()):
        assert "anslås" not in text and "anslag av" not in text
    assert (
        "Justeringen av protokollet ska enligt 9 kap. 32 § kommunallagen (2017:725) "
        "tillkännages på samtliga parters anslagstavlor, det vill säga på - Region Sörmlands "
        "anslagstavla, - Region Västmanlands anslagstavla." in gn["reglemente"]
    )
    assert "Justering och tillkännagivande av protokoll" in gn["reglemente"]
    assert (
        "Varje part ansvarar för att justeringen tillkännages på partens egen" in gn["reglemente"]
    )
    assert (
        "Justeringen av Nämndens protokoll ska enligt 9 kap. 32 § kommunallagen tillkännages "
        "på varje Parts anslagstavla." in gn["samverkansavtal"]
    )
    assert (
        "Tillkännagivanden och andra meddelanden som förbundet enligt lag eller denna "
        "förbundsordning ska offentliggöra tillkännages på förbundets anslagstavla."
        in kf["forbundsordning"]
    )


def _rotation(
    tmp_path: Path, count: int, change: Callable[[dict[str, Any]], None] | None = None
) -> list[str]:
    data = copy.deepcopy(yaml.safe_load(AVT.read_text(encoding="utf-8")))
    add_parties(data, count - 2)
    if change is not None:
        change(data)
    path = tmp_path / f"p{count}.yaml"
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    built = texts(path)
    out = []
    for name, marker in (
        ("samverkansavtal", "Ordförandeskapet i Inköpsrådet"),
        ("arbetsordning", "Ordförandeskapet växlar"),
    ):
        text = _flat(built[name])
        start = text.index(marker)
        out.append(text[start : text.index(" Den Part som har ordförandeskapet", start)])
    return out


def test_rotation_with_two_parties(tmp_path: Path) -> None:
    agreement, bylaws = _rotation(tmp_path, 2)
    assert agreement == (
        "Ordförandeskapet i Inköpsrådet växlar mellan Parterna för ett kalenderår i taget: "
        "Region Sörmland har ordförandeskapet år 2027 och Region Västmanland år 2028. Därefter "
        "börjar turordningen om i samma ordning, och om Avtalet förlängs fortsätter den där den "
        "slutade."
    )
    assert bylaws == agreement.replace(" i Inköpsrådet", "")


def test_rotation_with_three_and_four_parties_fits_the_term(tmp_path: Path) -> None:
    three, _ = _rotation(tmp_path, 3)
    assert (
        "Region Sörmland har ordförandeskapet år 2027, Region Västmanland år 2028 och Region "
        "Uppsala år 2029." in three
    )
    four, _ = _rotation(tmp_path, 4)
    assert (
        "Region Uppsala år 2029 och Region Örebro län år 2030. Därefter börjar turordningen om"
        in four
    )


def test_rotation_with_five_parties_says_who_chairs_after_the_term(tmp_path: Path) -> None:
    agreement, bylaws = _rotation(tmp_path, 5)
    assert agreement.endswith(
        "Region Uppsala år 2029 och Region Örebro län år 2030. Om Avtalet förlängs har Region "
        "Östergötland ordförandeskapet år 2031, och därefter börjar turordningen om i samma "
        "ordning."
    )
    assert bylaws == agreement.replace(" i Inköpsrådet", "")


def test_rotation_until_further_notice_and_from_another_chair(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["term"] = {"start": data["term"]["start"], "notice_months": 12}
        data["governance"]["steering_council"]["chair"] = "uppsala"

    agreement, _ = _rotation(tmp_path, 5, change)
    assert agreement == (
        "Ordförandeskapet i Inköpsrådet växlar mellan Parterna för ett kalenderår i taget: "
        "Region Uppsala har ordförandeskapet år 2027, Region Örebro län år 2028, Region "
        "Östergötland år 2029, Region Sörmland år 2030 och Region Västmanland år 2031. "
        "Därefter börjar turordningen om i samma ordning."
    )


def test_company_chair_reaches_every_owner_before_any_has_it_again() -> None:
    text = _flat(texts(EXAMPLES / "it-bolag" / "bolag.yaml")["aktieagaravtal"])
    assert (
        "uppdraget som styrelsens ordförande ska växla mellan de Parter som utser ledamöter i "
        "styrelsen, en mandattid i taget och i den turordning som Parterna kommer överens om, så "
        "att varje sådan Part har haft uppdraget under en mandattid innan någon av dem får det på "
        "nytt." in text
    )
    assert "en annan Part än under föregående mandattid" not in text
