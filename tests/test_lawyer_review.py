"""A kommunjurist's review of the built examples: each corrected point asserted in the text.

Every test builds Markdown (agreements) or the memo's Markdown (council matters) from an
example, as shipped or with its parties changed, and asserts the sentence a reviewer would
sign off, and that the wrong one is gone.
"""

from __future__ import annotations

import copy
import functools
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
import yaml

from avtal.build import check_project
from avtal.bundle.matter import attachments, check_matter, load_matter
from avtal.bundle.memo import make_memo
from avtal.project import load_project
from avtal.render.markdown import render_markdown
from avtextra import region, variant
from conftest import ROOT

EXAMPLES = ROOT / "examples"
AVT = EXAMPLES / "inkop-sormland-vastmanland" / "avtalssamverkan.yaml"
GN = EXAMPLES / "inkop-sormland-vastmanland" / "gemensam-namnd.yaml"
KF = EXAMPLES / "arkivforbund" / "kommunalforbund.yaml"
BOLAG = EXAMPLES / "it-bolag" / "bolag.yaml"

# Made-up regions with valid organisation numbers (check digit), for the five-party variants.
EXTRA_REGIONS = [
    ("ostervik", "Region Östervik", "232100-3002", "Östersund"),
    ("nordmark", "Region Nordmark", "232100-3077", "Nordstad"),
    ("sydlanda", "Region Sydlanda", "232100-3143", "Sydköping"),
]


def _flat(markdown: str) -> str:
    """Markdown as one line of words: emphasis and line breaks do not split a sentence."""
    return " ".join(markdown.replace("**", "").split())


@functools.cache
def _documents(params: Path) -> dict[str, str]:
    """Document file stem -> its Markdown text, flattened."""
    project = load_project(params)
    return {doc.file: _flat(render_markdown(doc).decode("utf-8")) for doc in project.documents}


@functools.cache
def _memo(params: Path, party_id: str) -> str:
    """One party's memo (tjänsteskrivelse) as flattened Markdown."""
    project = load_project(params)
    report = check_project(project)
    source = load_matter(project, None)
    entry = check_matter(project, source)[party_id]
    parts = attachments(project, source, None)
    party = next(p for p in project.params.parties if p.id == party_id)
    memo = make_memo(project, source, party, entry, parts, report, "0" * 64)
    return _flat(render_markdown(memo).decode("utf-8"))


def _write(tmp_path: Path, source: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    return variant(source, tmp_path, change)


def _add_regions(data: dict[str, Any]) -> None:
    """Three more regions in the avtalssamverkan example, everything per party filled in."""
    for pid, name, org, seat in EXTRA_REGIONS:
        data["parties"].append(region(pid, name, org, seat))
        if data["form"] == "avtalssamverkan":
            council = data["governance"]["steering_council"]
            council["members"].append({"party": pid, "position": "regiondirektör"})
            data["insight"]["quarterly_reports"]["approved_by"].append(pid)
            data["delegation"]["delegating_body"][pid] = "regionstyrelsen"
            contributions = data["procurement"]["contributions"]
            contributions[pid] = contributions["vastmanland"]
        if data["form"] == "gemensam_namnd":
            data["committee"]["seats"].append({"party": pid, "members": 2, "substitutes": 2})
        entry = copy.deepcopy(data["matter"]["parties"][-1])
        entry.update(party=pid, diarienummer=f"RX-2026-{pid}")
        data["matter"]["parties"].append(entry)
    # Texts written for two regions ("båda", "hälften på vardera") are reworded for five.
    activity = data["activity"]
    activity["description"] = activity["description"].replace(
        "med hälften på vardera regionen", "lika mellan Region Sörmland och Region Västmanland"
    )
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False)
    text = text.replace("båda regionernas", "regionernas").replace("båda regionerna", "regionerna")
    data.clear()
    data.update(yaml.safe_load(text))


# --- gemensam nämnd: the host dissolves the nämnd, every party repeals the reglemente ---------


def test_gn_nammd_dissolved_by_the_host_and_reglemente_repealed_by_each(tmp_path: Path) -> None:
    for params in (GN, _write(tmp_path, GN, _add_regions)):
        text = _documents(params)["samverkansavtal"]
        assert "Nämnden upplöses genom beslut av fullmäktige hos Värdparten." in text
        assert (
            "Fullmäktige hos varje Part beslutar att Reglementet upphör att gälla vid samma "
            "tidpunkt." in text
        )
        assert "upplöses genom beslut av fullmäktige hos varje Part" not in text
        assert "Reglementet upphör att gälla när Nämnden upplöses" not in text


# --- kommunalförbund: the auditors' consultation fits the number of members -----------------


def _members(count: int) -> Callable[[dict[str, Any]], None]:
    kommuner = [("ekby", "Ekby kommun", "212000-3005"), ("lindas", "Lindås kommun", "212000-3070")]

    def change(data: dict[str, Any]) -> None:
        keep = data["parties"][:count]
        ids = {p["id"] for p in keep}
        data["federation"]["seats"] = [s for s in data["federation"]["seats"] if s["party"] in ids]
        values = data["costs"]["basis"]["values"]
        data["costs"]["basis"]["values"] = {k: v for k, v in values.items() if k in ids}
        for pid, name, org in kommuner[: max(0, count - len(keep))]:
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
            data["federation"]["seats"].append({"party": pid, "members": 1, "substitutes": 1})
            data["costs"]["basis"]["values"][pid] = 10000
        data["parties"] = keep
        del data["matter"]

    return change


@pytest.mark.parametrize(
    ("members", "consult"), [(2, "den andra medlemmen"), (5, "övriga medlemmar")]
)
def test_forbund_auditors_elected_after_consulting_the_other_members(
    tmp_path: Path, members: int, consult: str
) -> None:
    def change(data: dict[str, Any]) -> None:
        _members(members)(data)
        data["federation"]["auditors_elected_by"] = "host"

    text = _documents(_write(tmp_path, KF, change))["forbundsordning"]
    sentence = re.search(r"Revisorerna väljs av fullmäktige hos Åkerby kommun efter [^.]*\.", text)
    assert sentence, text
    assert sentence.group(0).endswith(f"efter samråd med {consult}.")


# --- bolag: one ägardirektiv, board members appointed by fullmäktige ------------------------


def test_aktieagaravtal_speaks_of_the_one_agardirektiv() -> None:
    docs = _documents(BOLAG)
    assert docs["agardirektiv"].startswith("# Ägardirektiv för Mälardalens Regioners IT AB")
    assert "ägardirektiven" not in docs["aktieagaravtal"]
    assert "Parterna ska genom ägardirektivet se till att" in docs["aktieagaravtal"]
    assert "bolagsordningen och ägardirektivet tillsammans" in docs["aktieagaravtal"]


def test_bolag_memo_board_appointed_by_fullmaktige_as_the_bolagsordning_says() -> None:
    bolagsordning = _documents(BOLAG)["bolagsordning"]
    assert "Samtliga ledamöter utses i enlighet med 10 kap. 3 och 4 §§" in bolagsordning
    memo = _memo(BOLAG, "vastmanland")
    assert (
        "att utse Eva Ek, Fredrik Fors och Gunilla Gran till ledamöter i bolagets styrelse för "
        "tiden intill slutet av den årsstämma som följer närmast efter nästa val till fullmäktige, "
        "enligt bolagsordningen," in memo
    )
    assert "väljas av bolagsstämman" not in memo


# --- avtalssamverkan memo: the estimate is an estimate; the agreement's own terms -------------


def test_replaced_fees_are_stated_as_an_estimate() -> None:
    memo = _memo(AVT, "sormland")
    assert "De beräknas för nämnden som helhet till omkring 20 000 kronor per sammanträde" in memo
    assert "uppgår i dag" not in memo


def test_memo_uses_the_agreements_defined_roles() -> None:
    agreement = _documents(AVT)["samverkansavtal"]
    assert "Uppdragsgivande part: Region Västmanland" in agreement
    memo = _memo(AVT, "vastmanland")
    assert "beställande" not in memo
    assert "den uppdragsgivande partens nämnd fattar före samverkans början" in memo


def test_memo_genitive_on_every_name(tmp_path: Path) -> None:
    five = _write(tmp_path, AVT, _add_regions)
    names = "Region Västmanlands, Region Österviks, Region Nordmarks och Region Sydlandas räkning"
    host = _memo(five, "sormland")
    assert f"utför Region Sörmland inköpsverksamheten för {names}." in host
    assert f"för att utföra den för {names} enligt samverkansavtalet" in host
    assert "Region Nordmark och Region Sydlandas" not in host
    assert "för Region Västmanlands räkning" in _memo(AVT, "sormland")


def test_bolag_memo_asks_the_stamma_to_adopt_the_one_agardirektiv() -> None:
    memo = _memo(BOLAG, "sormland")
    assert "att verka för att stämman fastställer det," in memo
    assert "fastställer dem" not in memo


# --- avtalssamverkan agreement: delegation under 9:37, reporting under 7:8, wind-down ---------


def test_delegation_under_937_is_by_the_commissioning_party() -> None:
    text = _documents(AVT)["samverkansavtal"]
    assert (
        "får en Uppdragsgivande part inom ramen för Avtalet uppdra åt en anställd hos "
        "Region Sörmland att besluta på Partens vägnar" in text
    )
    assert "får en Part inom ramen för Avtalet" not in text


def test_reporting_of_delegated_decisions_left_to_the_delegating_nammd() -> None:
    text = _documents(AVT)["samverkansavtal"]
    assert (
        "anmälas till den delegerande nämnden, som bestämmer i vilken ordning det ska ske. "
        "Utförande part ska för varje Uppdragsgivande part föra en förteckning över besluten "
        "och lämna den till den delegerande nämnden i så god tid att anmälan kan göras varje "
        "kvartal, om inte nämnden har bestämt en annan ordning." in text
    )
    assert "Anmälan ska göras varje kvartal" not in text


def test_wind_down_waits_for_a_review_only_where_there_is_one() -> None:
    text = _documents(AVT)["samverkansavtal"]
    assert (
        "till dess att avtalsspärren har löpt ut och, om upphandlingen har överprövats, målet "
        "har avgjorts slutligt." in text
    )


# --- bolag: OSL 2 kap. 3 § for a company no owner controls alone is the owners' assessment ----


def test_public_access_to_a_co_owned_company_is_worded_as_an_assessment() -> None:
    docs = _documents(BOLAG)
    assert "även i den mån bestämmelsen inte skulle vara direkt tillämplig" in docs["bolagsordning"]
    assert (
        "Ägarna bedömer att de tillsammans utövar ett rättsligt bestämmande inflytande"
        in (docs["agardirektiv"])
    )
    assert (
        "Parterna bedömer att de tillsammans utövar ett rättsligt bestämmande inflytande"
        in (docs["aktieagaravtal"])
    )
    assert "Bolaget omfattas enligt 2 kap. 3 §" not in docs["agardirektiv"]
    assert (
        "Parterna utövar tillsammans ett rättsligt bestämmande inflytande"
        not in (docs["aktieagaravtal"])
    )
    memo = _memo(BOLAG, "sormland")
    assert "Ägarna bedömer att allmänheten har rätt att ta del av bolagets handlingar" in memo


# --- förbund memo: members, and the costs the contributions cover ----------------------------


def test_forbund_memo_speaks_of_members_and_of_the_costs_the_contributions_cover() -> None:
    memo = _memo(KF, "akerby")
    assert "| Medlem | Andel | Belopp i exemplet |" in memo
    assert (
        "av de 9 500 000 kronor som enligt medlemmarnas gemensamma förslag till budget för "
        "förbundets första budgetår ska täckas med medlemsbidrag" in memo
    )
    assert "av förbundets budget om" not in memo
