"""A kommunjurist's review of the förbund and bolag documents: each corrected point asserted.

Every test builds the arkivförbund or it-bolag example as Markdown, with its members or owners
as shipped and with five, and asserts the sentence a reviewer would sign off, and that the wrong
one is gone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from avtal.check import lint
from avtal.project import load_project
from avtal.render.markdown import render_markdown
from avtextra import region, variant
from conftest import ROOT

EXAMPLES = ROOT / "examples"
KF = EXAMPLES / "arkivforbund" / "kommunalforbund.yaml"
BOLAG = EXAMPLES / "it-bolag" / "bolag.yaml"

# Made-up kommuner and regions with valid organisation numbers (check digit).
KOMMUNER = [("ekby", "Ekby kommun", "212000-3005"), ("lindas", "Lindås kommun", "212000-3070")]
REGIONER = [
    ("ostervik", "Region Östervik", "232100-3002", "Östersund"),
    ("nordmark", "Region Nordmark", "232100-3077", "Nordstad"),
    ("sydlanda", "Region Sydlanda", "232100-3143", "Sydköping"),
]


def _flat(markdown: str) -> str:
    return " ".join(markdown.replace("**", "").replace("\\", "").split())


def _write(source: Path, tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    def without_matter(data: dict[str, Any]) -> None:
        data.pop("matter", None)
        change(data)

    return variant(source, tmp_path, without_matter)


def _build(
    source: Path, tmp_path: Path, change: Callable[[dict[str, Any]], None]
) -> dict[str, str]:
    project = load_project(_write(source, tmp_path, change))
    return {doc.file: _flat(render_markdown(doc).decode("utf-8")) for doc in project.documents}


def _members(count: int) -> Callable[[dict[str, Any]], None]:
    """The arkivförbund with its first ``count`` members, or more kommuner added."""

    def change(data: dict[str, Any]) -> None:
        keep = data["parties"][:count]
        ids = {p["id"] for p in keep}
        fed = data["federation"]
        fed["seats"] = [s for s in fed["seats"] if s["party"] in ids]
        values = data["costs"]["basis"]["values"]
        data["costs"]["basis"]["values"] = {k: v for k, v in values.items() if k in ids}
        for pid, name, org in KOMMUNER[: max(0, count - len(keep))]:
            keep.append(
                {
                    "id": pid,
                    "name": name,
                    "org_number": org,
                    "kind": "kommun",
                    "seat": name.split()[0],
                    "signatory": {"name": "Namn Efternamn", "title": "kommunstyrelsens ordförande"},
                }
            )
            fed["seats"].append({"party": pid, "members": 1, "substitutes": 1})
            data["costs"]["basis"]["values"][pid] = 10000
        data["parties"] = keep
        fed["auditors"] = count

    return change


def _owners(count: int) -> Callable[[dict[str, Any]], None]:
    """The it-bolag with its two owners, or with regions added up to ``count`` owners."""

    def change(data: dict[str, Any]) -> None:
        for pid, name, org, seat in REGIONER[: count - len(data["parties"])]:
            data["parties"].append(region(pid, name, org, seat))
            data["company"]["owners"].append({"party": pid, "shares": 100, "board_seats": 1})
        seats = sum(o["board_seats"] for o in data["company"]["owners"])
        data["company"]["board_min"] = data["company"]["board_max"] = seats

    return change


@pytest.fixture(scope="module", params=[3, 5], ids=["kf3", "kf5"])
def forbund(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    return _build(KF, tmp_path_factory.mktemp("kf"), _members(request.param))["forbundsordning"]


@pytest.fixture(scope="module", params=[2, 5], ids=["bolag2", "bolag5"])
def bolag(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> dict[str, str]:
    return _build(BOLAG, tmp_path_factory.mktemp("bolag"), _owners(request.param))


def _line(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    return next(n for n, text in enumerate(lines, 1) if needle in text)


# --- förbundsordning ---------------------------------------------------------------------------


def test_forbund_notice_of_three_years_is_compared_with_the_statute(forbund: str) -> None:
    assert "Uppsägningstiden är tre år (jfr 9 kap. 18 § kommunallagen (2017:725))." in forbund
    assert "tre år enligt 9 kap. 18 §" not in forbund


def test_forbund_members_archives_go_back_to_each_member(forbund: str) -> None:
    assert (
        "När förbundet upplöses ska de arkiv som en medlems myndigheter har överlämnat till "
        "förbundet återlämnas till den medlemmens arkivmyndighet. Förbundets eget arkiv lämnas "
        "över till arkivmyndigheten hos Åkerby kommun, om inte medlemmarna kommer överens om "
        "något annat." in forbund
    )
    assert "Förbundets arkiv ska när förbundet upplöses" not in forbund
    assert (
        "vara arkivmyndighet enligt arkivlagen (1990:782) för de arkiv som medlemmarnas "
        "myndigheter har överlämnat till förbundet," in forbund
    )
    assert "för medlemmarnas myndigheter," not in forbund


def test_forbund_direktion_does_not_set_its_auditors_pay(forbund: str) -> None:
    assert re.search(
        r"Direktionen fastställer bestämmelser om arvoden, ersättning för förlorad arbetsinkomst, "
        r"reseersättning och andra ekonomiska förmåner till förbundets förtroendevalda, med stöd "
        r"av 4 kap\. kommunallagen \(2017:725\)\. Bestämmelserna gäller för ledamöter och "
        r"ersättare i direktionen\. \d+ § Arvoden och ersättningar till förbundets revisorer "
        r"betalas enligt de bestämmelser som fullmäktige hos den medlem som har valt revisorn har "
        r"beslutat med stöd av 4 kap\. kommunallagen\.",
        forbund,
    )
    assert "i direktionen och för förbundets revisorer" not in forbund


def test_forbund_states_its_purpose_not_a_narrative(forbund: str) -> None:
    assert (
        "Förbundets ändamål är att bedriva gemensam arkivverksamhet för medlemmarnas räkning. "
        "7 § Förbundet ska säkra långsiktigt bevarande, tillgänglighet och kompetens i "
        "arkivfrågor som ingen av medlemmarna ensam kan upprätthålla." in forbund
    )
    assert "Medlemmarna bildar" not in forbund


def test_forbund_each_member_elects_an_auditor_when_they_divide(forbund: str) -> None:
    assert "Fullmäktige hos varje medlem väljer en revisor." in forbund
    assert "väljs av fullmäktige hos Åkerby kommun" not in forbund


def _auditors(count: int, organ: str = "direktion", **federation: Any) -> Callable[..., None]:
    def change(data: dict[str, Any]) -> None:
        _members(5)(data)
        data["federation"].pop("auditors_elected_by", None)
        data["federation"].update(organ=organ, auditors=count, **federation)

    return change


def test_forbund_auditors_that_do_not_divide_need_a_choice(tmp_path: Path) -> None:
    path = _write(KF, tmp_path, _auditors(3))
    project = load_project(path)
    found = [str(f) for f in lint(project).findings]
    assert found == [
        f"KF-REVISORER error {path}:{_line(path, 'auditors: 3')} federation.auditors: 3 "
        "auditors do not divide equally among 5 members; say who elects them in "
        "federation.auditors_elected_by (members or host) (9 kap. 6 § kommunallagen (2017:725))"
    ]
    text = _flat(render_markdown(project.documents[0]).decode("utf-8"))
    assert re.search(r"Förbundet ska ha tre revisorer\. \d+ § Revisorerna väljs för samma", text)
    assert "Revisorerna väljs av" not in text


def test_forbund_auditors_elected_by_members_must_divide(tmp_path: Path) -> None:
    path = _write(KF, tmp_path, _auditors(3, auditors_elected_by="members"))
    found = [str(f) for f in lint(load_project(path)).findings]
    assert found == [
        f"KF-REVISORER error {path}:{_line(path, 'auditors_elected_by')} "
        "federation.auditors_elected_by: members, but 3 auditors do not divide equally among 5 "
        "members (9 kap. 6 § kommunallagen (2017:725))"
    ]


def test_forbund_auditors_choice_only_with_a_direktion(tmp_path: Path) -> None:
    path = _write(KF, tmp_path, _auditors(3, "forbundsfullmaktige", auditors_elected_by="host"))
    found = [str(f) for f in lint(load_project(path)).findings if f.rule == "KF-REVISORER"]
    assert [str(f) for f in found] == [
        f"KF-REVISORER error {path}:{_line(path, 'auditors_elected_by')} "
        "federation.auditors_elected_by: only with a direktion; förbundsfullmäktige elects the "
        "auditors (9 kap. 6 § kommunallagen (2017:725))"
    ]


def test_forbund_auditors_elected_by_the_host_when_the_members_say_so(tmp_path: Path) -> None:
    path = _write(KF, tmp_path, _auditors(3, auditors_elected_by="host"))
    project = load_project(path)
    assert [f for f in lint(project).findings if f.rule == "KF-REVISORER"] == []
    text = _flat(render_markdown(project.documents[0]).decode("utf-8"))
    assert (
        "Förbundet ska ha tre revisorer. Revisorerna väljs av fullmäktige hos Åkerby kommun "
        "efter samråd med övriga medlemmar." in text
    )


# --- bolag: bolagsordning, ägardirektiv, aktieägaravtal ----------------------------------------


def test_aktieagaravtal_capital_and_share_purchases_are_for_fullmaktige(
    bolag: dict[str, str],
) -> None:
    text = bolag["aktieagaravtal"]
    assert "Ett kapitaltillskott förutsätter beslut av fullmäktige hos varje Part." in text
    assert (
        text.count("Ett förvärv förutsätter beslut av fullmäktige hos den förvärvande Parten") == 2
    )
    assert "behörigt organ hos den förvärvande" not in text
    assert "behörigt organ hos varje Part." not in text
    assert (
        "Varje Part ansvarar för att en ändring eller ett tillägg har beslutats av fullmäktige "
        "hos Parten eller, i den utsträckning fullmäktige har uppdragit åt styrelsen att besluta "
        "om ändringen, av styrelsen." in text
    )


def test_aktieagaravtal_exit_is_secured_when_no_purchase_is_decided(
    bolag: dict[str, str],
) -> None:
    text = bolag["aktieagaravtal"]
    assert (
        "i så god tid att beslutet kan fattas senast sex månader före uppsägningstidens utgång."
        in text
    )
    assert re.search(
        r"Om det inte senast sex månader före uppsägningstidens utgång har beslutats att samtliga "
        r"den utträdande Partens aktier ska förvärvas, ska Parterna verka för att Bolaget löser in "
        r"aktierna enligt aktiebolagslagen \(2005:551\), och den utträdande Parten har rätt att, "
        r"utan hinder av punkt \d+, överlåta aktierna till en annan kommun eller region som "
        r"tillträder Avtalet\.",
        text,
    )


def test_aktieagaravtal_begins_with_its_background_and_defines_its_terms(
    bolag: dict[str, str],
) -> None:
    text = bolag["aktieagaravtal"]
    assert (
        "## 2. Bakgrund och syfte 2.1 Parterna bildar Bolaget för att driva och utveckla den "
        "gemensamma IT-infrastrukturen för Parternas verksamheter" in text
    )
    assert "## 3. Definitioner 3.1 I Avtalet har följande begrepp den betydelse" in text
    assert "Regionerna bildar" not in text


def test_aktieagaravtal_no_vote_for_members_fullmaktige_appoints_itself(
    bolag: dict[str, str],
) -> None:
    assert "rösta för att de personer som fullmäktige" not in bolag["aktieagaravtal"]
    assert "Samtliga ledamöter utses i enlighet med 10 kap. 3 och 4 §§" in bolag["bolagsordning"]


def test_hembud_comes_before_the_forkop_of_the_bolagsordning(bolag: dict[str, str]) -> None:
    assert re.search(
        r"Förköpsförbehållet i bolagsordningen tillämpas först när förfarandet enligt punkterna "
        r"(\d+)\.1–\1\.2 har avslutats\.",
        bolag["aktieagaravtal"],
    )
    assert (
        "förköpsförbehåll som finns i bolagsordningen gäller därutöver"
        not in (bolag["aktieagaravtal"])
    )


def test_lekmannarevisor_chosen_among_the_owners_revisorer(bolag: dict[str, str]) -> None:
    text = bolag["bolagsordning"]
    assert re.search(
        r"Fullmäktige hos varje ägare, det vill säga regionfullmäktige i Region Sörmland(, "
        r"regionfullmäktige i Region \w+)* och regionfullmäktige i Region \w+, utser en "
        r"lekmannarevisor var \(10 kap\. 3 och 4 §§ kommunallagen \(2017:725\)\)\. Varje ägares "
        r"fullmäktige väljer sin lekmannarevisor bland ägarens egna revisorer\.",
        text,
    )
    assert "I enlighet med 10 kap. 3 och 4 §§ kommunallagen (2017:725) utser" not in text


def test_one_owners_silence_does_not_block_the_company(bolag: dict[str, str]) -> None:
    assert (
        "Bolaget får inte fatta ett sådant beslut förrän fullmäktige hos samtliga ägare har tagit "
        "ställning i frågan eller tre månader har förflutit från det att bolaget skriftligen "
        "lämnade frågan till styrelsen hos varje ägare." in bolag["bolagsordning"]
    )
    assert re.search(
        r"Bolaget får fatta beslut i ärendet först när fullmäktige hos samtliga ägare har tagit "
        r"ställning eller tre månader har förflutit från det att bolaget skriftligen lämnade "
        r"frågan till styrelsen hos varje ägare enligt punkt \d+\.\d+\.",
        bolag["agardirektiv"],
    )


def test_one_lekmannarevisor_for_all_owners_chosen_among_an_owners_revisorer(
    tmp_path: Path,
) -> None:
    def change(data: dict[str, Any]) -> None:
        _owners(5)(data)
        data["company"]["lay_auditor_per_owner"] = False

    text = _build(BOLAG, tmp_path, change)["bolagsordning"]
    assert re.search(
        r"Bolaget ska ha en lekmannarevisor\. Lekmannarevisorn utses genom likalydande beslut av "
        r"fullmäktige hos samtliga ägare \(10 kap\. 3 och 4 §§ kommunallagen \(2017:725\)\), för "
        r"samma mandattid som styrelsens ledamöter enligt \d+ §\. Lekmannarevisorn väljs bland "
        r"revisorerna hos någon av ägarna\.",
        text,
    )
