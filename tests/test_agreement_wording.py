"""Reviewed wording of the avtalssamverkan and gemensam nämnd documents, with two and five parties.

Each test builds the bundled example as shipped and with three more regions, and asserts the
sentence a reviewing lawyer signed off and that the wording it replaced is gone.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from avtal.check import lint
from avtal.project import load_project
from avtextra import EXTRA_REGIONS, add_parties, region, texts, variant
from conftest import ROOT

AVT = ROOT / "examples" / "inkop-sormland-vastmanland" / "avtalssamverkan.yaml"
GN = ROOT / "examples" / "inkop-sormland-vastmanland" / "gemensam-namnd.yaml"


def _flat(text: str) -> str:
    return " ".join(text.split())


def _write(tmp_path: Path, source: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    return variant(source, tmp_path, change, "{parties}-{source}")


def _gn_regions(data: dict[str, Any]) -> None:
    """Three more regions in the gemensam nämnd example, each with two seats."""
    for pid, name, org, seat in EXTRA_REGIONS[:3]:
        data["parties"].append(region(pid, name, org, seat))
        data["committee"]["seats"].append({"party": pid, "members": 2, "substitutes": 2})
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    text = text.replace("båda regionernas", "regionernas").replace("båda regionerna", "regionerna")
    data.clear()
    data.update(yaml.safe_load(text))


def _built(tmp_path: Path, source: Path, parties: int) -> dict[str, str]:
    if parties == 2:
        path = source
    elif source == AVT:
        path = _write(tmp_path, AVT, lambda d: add_parties(d, parties - 2))
    else:
        path = _write(tmp_path, GN, _gn_regions)
    return texts(path)


def _point(text: str, label: str) -> str:
    """The numbered point ("7.2", "18 §") of a document's text, on one line."""
    return next(line for line in text.splitlines() if line.startswith(f"{label} "))


# --- avtalssamverkan -------------------------------------------------------------------------


@pytest.mark.parametrize(("parties", "other"), [(2, "den andra Parten"), (5, "övriga Parter")])
def test_avtalssamverkan_agreement(tmp_path: Path, parties: int, other: str) -> None:
    raw = _built(tmp_path, AVT, parties)["samverkansavtal"]
    text = _flat(raw)
    # Transition: decisions after the old nämnd's last meeting have a receiver.
    assert (
        "Beslut som har fattats med stöd av den tidigare nämndens delegationsordning ska anmälas "
        "till nämnden. Parterna är överens om att beslut som har fattats efter nämndens sista "
        "sammanträde ska anmälas till regionstyrelsen i Region Sörmland vid dess första "
        "sammanträde efter den 31 december 2026, och att en förteckning över besluten samtidigt "
        "ska lämnas för kännedom till Region Västmanland." in text
    )
    assert "senast vid dess sista sammanträde" not in text
    # The joint policy and goals: fullmäktige, the styrelse only where fullmäktige gave it the task.
    assert (
        "Policyn och målen, och ändringar i dem, antas genom likalydande beslut av fullmäktige hos "
        "varje Part, eller av styrelsen i den utsträckning fullmäktige har uppdragit åt styrelsen "
        "att besluta om dem." in text
    )
    assert "eller av fullmäktige om Partens egna regler kräver det" not in text
    # No onward delegation, in the clause and its annex.
    assert (
        "Parterna är därför överens om att beslutanderätt som uppdras enligt denna punkt inte ska "
        "vidaredelegeras. Behöver en Uppdragsgivande part fler delegater, beslutar den delegerande "
        "nämnden själv om det." in text
    )
    assert "Delegaten får inte uppdra åt någon annan att besluta i stället" in text
    assert "vidaredelegation får ske endast" not in text.lower()
    # An approval quashed on laglighetsprövning.
    assert (
        "Om ett beslut om godkännande upphävs efter laglighetsprövning enligt 13 kap. "
        "kommunallagen ska Parterna utan dröjsmål samråda om hur Verksamheten ska bedrivas till "
        "dess att ett nytt beslut har fattats." in text
    )
    # The styrelse's competence comes from its reglemente or fullmäktige, not "delegation".
    assert (
        "i den utsträckning styrelsen får besluta om ändringen enligt sitt reglemente eller "
        "fullmäktiges beslut." in text
    )
    assert "enligt de beslut om delegation som gäller hos Parten" not in text
    # The defined term, and the written request that 17.3 counts from.
    partners = "Region Västmanland" if parties == 2 else "varje Uppdragsgivande part"
    assert f"utföra de uppgifter som ingår i Verksamheten åt {partners}." in text
    assert "ingår i inköpsverksamheten åt" not in text
    assert f"En Part som vill inleda förhandling ska skriftligen begära det hos {other}." in (
        _point(raw, "17.1")
    )
    assert "skriftligen begärde förhandling enligt punkt 17.1" in text
    # The annex names the point that holds the arbetsordning rule, and that point holds it.
    cited = re.search(r"genom likalydande beslut enligt punkt (\d+\.\d+)\. Den är upprättad", text)
    assert cited, text
    assert "Arbetsordningen antas därför av styrelsen hos varje Part" in _point(raw, cited.group(1))
    # The definition cites the same point.
    defined = re.search(
        r"antas och ändras av styrelsen hos varje Part enligt punkt (\d+\.\d+)\.", text
    )
    assert defined and defined.group(1) == cited.group(1), text


@pytest.mark.parametrize("parties", [2, 5])
def test_arbetsordning(tmp_path: Path, parties: int) -> None:
    text = _flat(_built(tmp_path, AVT, parties)["arbetsordning"])
    assert "Inköpsrådet är Parternas gemensamma styrråd på tjänstepersonsnivå" in text
    assert "samverkansorgan" not in text
    # A disagreement goes to the step after the council, not back to it.
    assert (
        "Om enighet inte kan nås förs frågan vidare till ordförandena i Parternas"
        " regionstyrelser. Gäller oenigheten tolkningen eller tillämpningen av samverkansavtalet"
        " tillämpas punkt 17 i samverkansavtalet." in text
    )
    assert "förs frågan vidare till Parterna" not in text
    assert "sändas till ledamöterna och den adjungerade senast en vecka" in text


def test_arbetsordning_with_two_adjuncts_and_none(tmp_path: Path) -> None:
    def adjuncts(names: list[str]) -> Callable[[dict[str, Any]], None]:
        def change(data: dict[str, Any]) -> None:
            add_parties(data, 3)
            data["governance"]["steering_council"]["adjunct"] = names

        return change

    two = _flat(texts(_write(tmp_path, AVT, adjuncts(["inköpschef", "jurist"])))["arbetsordning"])
    assert "sändas till ledamöterna och de adjungerade senast" in two
    none = _flat(texts(_write(tmp_path, AVT, adjuncts([])))["arbetsordning"])
    assert "sändas till ledamöterna senast" in none


def test_transition_copy_goes_to_the_other_members_of_the_old_nammd(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        add_parties(data, 3)
        data["replaces"]["members"] = ["sormland", "vastmanland", "uppsala"]

    text = texts(_write(tmp_path, AVT, change))["samverkansavtal"]
    assert _point(text, "18.2").endswith(
        "ska lämnas för kännedom till övriga Parter som samverkade i nämnden."
    )


# --- gemensam nämnd --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("parties", "other"), [(2, "Region Västmanland"), (5, "de övriga parterna")]
)
def test_gemensam_namnd(tmp_path: Path, parties: int, other: str) -> None:
    built = {name: _flat(text) for name, text in _built(tmp_path, GN, parties).items()}
    raw = _built(tmp_path, GN, parties)["samverkansavtal"]
    text = built["samverkansavtal"]
    # Which party is the contracting authority is the parties' assessment.
    assert (
        "Parterna bedömer att varje Part är upphandlande myndighet i de upphandlingar som Nämnden "
        "genomför för Partens räkning. Kontrakt och ramavtal som följer av en sådan upphandling "
        "ingås i Partens namn, och Partens namn ska anges i upphandlingsdokumenten." in text
    )
    assert " Varje Part är upphandlande myndighet" not in text
    # The key covers the joint costs only, and the points it cites hold what it says.
    key = _point(raw, "7.1")
    assert key.startswith("7.1 Nämndens och Verksamhetens gemensamma kostnader fördelas lika")
    assert (
        "Andelarna avser endast de gemensamma kostnaderna, det vill säga kostnaderna enligt "
        "punkt 7.2 med avdrag för kostnader som belastar endast en Part enligt punkt 7.3." in key
    )
    assert _point(raw, "7.2").startswith("7.2 Med kostnaderna för Nämnden och Verksamheten avses")
    assert _point(raw, "7.3").startswith("7.3 Kostnader som kan hänföras till endast en Part")
    assert "Ett överskott eller underskott i de gemensamma kostnaderna fördelas" in text
    annex = "Nämndens och Verksamhetens gemensamma kostnader fördelas lika mellan Parterna enligt"
    assert annex in text
    # The fees in words, no arithmetic signs.
    assert (
        "beräknas till 20 000 kronor per sammanträde, vid sex sammanträden om året sammanlagt "
        "120 000 kronor per år och 480 000 kronor per mandatperiod om fyra år." in text
    )
    assert "×" not in text and " = " not in text
    assert (
        "Om ett beslut om godkännande av Avtalet eller om antagande av Reglementet upphävs efter "
        "laglighetsprövning enligt 13 kap. kommunallagen ska Parterna utan dröjsmål samråda" in text
    )
    reglemente = built["reglemente"]
    assert (
        "Ytterligare villkor för deltagande på distans beslutas av fullmäktige hos samtliga "
        "parter genom likalydande beslut." in reglemente
    )
    assert "som fullmäktige hos den part som har valt ledamoten" not in reglemente
    assert (
        "Nämnden ska en gång per år, i en verksamhetsberättelse för föregående år, rapportera"
        in reglemente
    )
    assert (
        f"Den ska lämnas vid den tidpunkt som Region Sörmland bestämmer efter samråd med {other}, "
        "så att parterna kan använda den i sina årsredovisningar." in reglemente
    )
    assert "vid de tidpunkter som behövs för parternas delårsrapporter" not in reglemente


def test_gemensam_namnd_half_yearly_reports(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["committee"]["report_to_councils"] = "half_yearly"

    text = _flat(texts(_write(tmp_path, GN, change))["reglemente"])
    assert "Nämnden ska två gånger per år rapportera" in text
    assert (
        "Rapporterna ska lämnas vid de tidpunkter som Region Sörmland bestämmer efter samråd med "
        "Region Västmanland, så att parterna kan använda dem i sina delårsrapporter och "
        "årsredovisningar." in text
    )


def test_gemensam_namnd_without_direct_costs_shares_all_costs(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["costs"]["direct_costs"] = False

    text = texts(_write(tmp_path, GN, change))["samverkansavtal"]
    assert _point(text, "7.1").startswith(
        "7.1 Kostnaderna för Nämnden och Verksamheten fördelas lika"
    )
    assert "Andelarna avser endast de gemensamma kostnaderna" not in text


# --- UTK-PARTSANTAL: a halving between two ---------------------------------------------------


def test_a_halving_between_two_is_refused_with_five_parties(tmp_path: Path) -> None:
    def keep_description(data: dict[str, Any]) -> None:
        description = data["activity"]["description"]
        add_parties(data, 3)
        data["activity"]["description"] = description

    path = _write(tmp_path, AVT, keep_description)
    found = [str(f) for f in lint(load_project(path)).findings]
    line = next(
        n
        for n, row in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if row.startswith("  description:")
    )
    halving = [f for f in found if "hälften" in f]
    assert len(halving) == 1, found
    assert halving[0].startswith(
        f"UTK-PARTSANTAL error {path}:{line} 5 parties, but the text says "
        "'hälften på vardera regionen'"
    )
    assert lint(load_project(AVT)).findings == ()
    # "mer än hälften av ledamöterna" (the quorum) assumes nothing about the parties.
    five = _write(tmp_path, GN, _gn_regions)
    assert "mer än hälften av ledamöterna" in _flat(texts(five)["reglemente"])
    assert not [f for f in lint(load_project(five)).findings if f.rule == "UTK-PARTSANTAL"]
