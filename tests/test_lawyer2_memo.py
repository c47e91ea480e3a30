"""A municipal lawyer's second reading: the council memos and the agreements they approve.

Each memo is assembled in process next to the documents it proposes, with two parties and
with five, and what the memo decides is compared with what the documents say: who takes over
the replaced nämnd's matters, who delegates and who enters the personuppgiftsbiträdesavtal,
where a dispute goes after the steering council, how costs are met when a party leaves or
joins, and the basis of an amount a fullmäktige is asked to grant.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from typing import Any

import pytest

from avtextra import EXTRA_REGIONS, texts
from test_bundle_matters import _decisions, _example, _gn, _memo, _with_parties, _write
from test_bundle_memo_text import _data, _section

NAMES = {"sormland": "Region Sörmland", "vastmanland": "Region Västmanland"}
NAMES.update((pid, name) for pid, name, _org, _seat in EXTRA_REGIONS)


def _flat(text: str) -> str:
    return " ".join(text.replace("**", "").split())


def _number(document: str, starts: str) -> str:
    """The number ("15.3", "16 §") of the point of ``document`` whose text starts so."""
    found = re.search(r"(?m)^([0-9]+(?:\.[0-9]+)?(?: §)?) " + re.escape(starts), document)
    assert found, f"no point starts with {starts!r}"
    return found.group(1)


def _avt(tmp_path: Path, parties: int, change: Any = None) -> Path:
    data = _with_parties(_example(), parties - 2)
    if change is not None:
        change(data)
    return _write(tmp_path, data, f"avt{parties}.yaml")


def _parties(parties: int) -> list[str]:
    return ["sormland", "vastmanland", *[r[0] for r in EXTRA_REGIONS[: parties - 2]]]


# --- 2: the host takes over only its own unfinished matters ---------------------------------


@pytest.mark.parametrize("parties", [2, 5])
def test_the_host_takes_over_only_its_own_matters_as_the_transition_clause_says(
    tmp_path: Path, parties: int
) -> None:
    params = _avt(tmp_path, parties)
    council, _ = _decisions(_memo(params, "sormland"))
    point = _number(texts(params)["samverkansavtal"], "Parterna är överens om att ärenden hos")
    common = "båda regionerna" if parties == 2 else "både Region Sörmland och Region Västmanland"
    assert (
        "att regionstyrelsen från och med den 1 januari 2027 tar över de ärenden hos den"
        " gemensamma inköpsnämnden som avser Region Sörmland eller nämndens egen förvaltning och"
        " som inte har avslutats när nämnden upphör, och för regionens del de ärenden som avser"
        f" {common}, enligt punkt {point} i samverkansavtalet, och tar emot anmälan av de beslut"
        " som har fattats med stöd av nämndens delegationsordning efter nämndens sista"
        " sammanträde," in council
    )
    assert "nämnden som inte har avslutats" not in council
    agreement = _flat(texts(params)["samverkansavtal"])
    members = "den Part" if parties == 2 else "den av Region Sörmland och Region Västmanland"
    assert (
        "Parterna är överens om att ärenden hos den tidigare nämnden som inte har avslutats när"
        " nämnden upphör tas över från och med den 1 januari 2027 av behörigt organ hos"
        f" {members} som ärendet avser." in agreement
    )
    # Every other member's memo has its own body take over its own matters; a joining party's
    # memo takes over nothing, since it had no matters in the old nämnd.
    for party in _parties(parties)[1:]:
        council, _ = _decisions(_memo(params, party))
        taken = re.findall(
            r"tar över de ärenden hos den gemensamma inköpsnämnden som avser ([^,]*?) och", council
        )
        assert taken == ([NAMES[party]] if party == "vastmanland" else []), party


# --- 3: the host's styrelse delegates its own matters anew -----------------------------------


@pytest.mark.parametrize("parties", [2, 5])
def test_the_host_styrelse_decides_its_own_delegation_when_the_old_one_lapses(
    tmp_path: Path, parties: int
) -> None:
    params = _avt(tmp_path, parties)
    agreement = _flat(texts(params)["samverkansavtal"])
    assert "Den tidigare nämndens delegationsordning upphör att gälla när nämnden upphör." in (
        agreement
    )
    _, own = _decisions(_memo(params, "sormland"))
    assert own.startswith(" Regionstyrelsen beslutar för egen del")
    assert (
        "att från och med den 1 januari 2027 uppdra åt de anställda hos Region Sörmland som anges"
        " i bilaga 2 till samverkansavtalet (Ram för delegation) att besluta på regionstyrelsens"
        " vägnar i motsvarande ärenden som avser regionens egna upphandlingar, med de"
        " begränsningar som anges där, att besluten ska anmälas till regionstyrelsen enligt"
        " regionstyrelsens delegationsordning, och att delegationsordningen ändras i enlighet med"
        " detta, under förutsättning att samverkansavtalet träder i kraft." in own
    )
    # Without a replaced nämnd there is no delegationsordning that lapses.
    _, own = _decisions(_memo(_avt(tmp_path, parties, lambda d: d.pop("replaces")), "sormland"))
    assert "regionens egna upphandlingar" not in own


# --- 4: the personuppgiftsbiträdesavtal before the start -------------------------------------


@pytest.mark.parametrize("parties", [2, 5])
def test_each_commissioning_party_enters_the_processor_agreement_the_agreement_requires(
    tmp_path: Path, parties: int
) -> None:
    params = _avt(tmp_path, parties)
    point = _number(
        texts(params)["samverkansavtal"],
        "Utförande part och varje Uppdragsgivande part ska ingå ett personuppgiftsbiträdesavtal",
    )
    sats = (
        "att som personuppgiftsansvarig för regionens del av inköpsverksamheten ingå"
        f" personuppgiftsbiträdesavtal med Region Sörmland enligt punkt {point} i"
        " samverkansavtalet, så att det gäller från och med den 1 januari 2027, under"
        " förutsättning att samverkansavtalet träder i kraft"
    )
    for party in _parties(parties):
        council, own = _decisions(_memo(params, party))
        assert (sats in own) == (party != "sormland"), party
        assert "personuppgiftsbiträdesavtal" not in council, party


def test_a_delegating_nammd_other_than_the_styrelse_is_charged_with_the_processor_agreement(
    tmp_path: Path,
) -> None:
    def change(data: dict[str, Any]) -> None:
        data["delegation"]["delegating_body"]["vastmanland"] = "upphandlingsnämnden"

    council, own = _decisions(_memo(_avt(tmp_path, 2, change), "vastmanland"))
    assert (
        "att uppdra åt upphandlingsnämnden att som personuppgiftsansvarig för regionens del av"
        " inköpsverksamheten ingå personuppgiftsbiträdesavtal med Region Sörmland enligt punkt"
    ) in council
    assert "personuppgiftsbiträdesavtal" not in own

    def none(data: dict[str, Any]) -> None:
        data["personal_data"]["processor_agreement"] = False

    council, own = _decisions(_memo(_avt(tmp_path, 2, none), "vastmanland"))
    assert "personuppgiftsbiträdesavtal" not in council + own


# --- 7: a commissioning party leaves ---------------------------------------------------------


@pytest.mark.parametrize("parties", [2, 5])
def test_costs_after_a_party_leaves_have_a_payer(tmp_path: Path, parties: int) -> None:
    raw = texts(_avt(tmp_path, parties))["samverkansavtal"]
    agreement = _flat(raw)
    key = _number(raw, "Verksamhetens gemensamma kostnader fördelas lika mellan Parterna.")
    interim = (
        "Till dess att en ny fördelning har beslutats fördelas de gemensamma kostnaderna mellan"
        f" de kvarvarande Parterna i förhållande till deras andelar enligt punkt {key}."
    )
    own = (
        "Kostnader som uppkommer för att avveckla den del av Verksamheten som avser en Part som"
        " har sagt upp Avtalet bärs av den Parten. När Avtalet upphör i förhållande till samtliga"
        f" Parter fördelas kostnaderna för avvecklingen mellan Parterna enligt punkt {key}."
    )
    if parties == 2:
        # A notice ends the agreement: there is no remaining party and nothing to reallocate.
        assert "fortsätter att gälla mellan övriga Parter" not in agreement
        assert interim not in agreement and own not in agreement
        assert "Kostnaderna för avvecklingen fördelas mellan Parterna enligt bilaga 1." in agreement
    else:
        assert (
            "Om en Uppdragsgivande part säger upp Avtalet upphör Avtalet att gälla endast i"
            " förhållande till den Parten och fortsätter att gälla mellan övriga Parter."
            in agreement
        )
        assert interim in agreement and own in agreement
        assert "Kostnaderna för avvecklingen fördelas mellan Parterna" not in agreement


def test_a_fixed_term_without_renewal_has_no_partial_exit(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["term"].pop("renewal_years")
        data["costs"]["model"] = "fixed"
        data["costs"]["shares"] = {p: 20 for p in _parties(5)}

    agreement = _flat(texts(_avt(tmp_path, 5, change))["samverkansavtal"])
    assert "kvarvarande Parterna" not in agreement
    assert "Kostnaderna för avvecklingen fördelas mellan Parterna enligt bilaga 1." in agreement


# --- 8: the nämnd's processing in the host's systems -----------------------------------------


@pytest.mark.parametrize("extra", [0, 3])
def test_gemensam_namnd_does_not_deny_processing_in_the_host_systems(
    tmp_path: Path, extra: int
) -> None:
    agreement = _flat(texts(_write(tmp_path, _gn(extra)))["samverkansavtal"])
    assert "ingen Part behandlar personuppgifter" not in agreement
    assert (
        "När Värdpartens styrelse eller andra nämnder behandlar personuppgifter för Nämndens"
        " räkning, till exempel i gemensamma IT-system, ska Nämnden se till att behandlingen"
        " regleras i ett personuppgiftsbiträdesavtal eller i en annan rättsakt som uppfyller"
        " kraven i artikel 28.3 i dataskyddsförordningen. Parterna bedömer att en sådan rättsakt"
        " kan vara ett beslut av regionfullmäktige i Region Sörmland eller en skriftlig"
        " överenskommelse mellan Nämnden och den berörda nämnden. Regleringen ska finnas innan"
        " behandlingen påbörjas eller, om behandlingen redan pågår, senast den 1 januari 2027."
        " En Part som i övrigt ska behandla personuppgifter för Nämndens eller en annan Parts"
        " räkning ska ingå ett personuppgiftsbiträdesavtal innan behandlingen påbörjas."
        in agreement
    )
    assert "Värdparten: Region Sörmland" in agreement


# --- 9: a dispute leaves the steering council for other people -------------------------------


def _escalation(built: dict[str, str]) -> tuple[str, str]:
    agreement = _flat(built["samverkansavtal"])
    rules = _flat(built["arbetsordning"])
    found = re.search(
        r"inte kan enas i Inköpsrådet ska tvisten hänskjutas till förhandling mellan (.*?)\.",
        agreement,
    )
    again = re.search(
        r"Om enighet inte kan nås förs frågan vidare till (.*?)\. Gäller oenigheten",
        rules,
    )
    assert found and again
    return found.group(1), again.group(1)


@pytest.mark.parametrize("parties", [2, 5])
def test_a_dispute_goes_to_the_political_level_in_agreement_and_arbetsordning(
    tmp_path: Path, parties: int
) -> None:
    params = _avt(tmp_path, parties)
    agreement, rules = _escalation(texts(params))
    assert agreement == rules == "ordförandena i Parternas regionstyrelser"
    council = _flat(texts(params)["samverkansavtal"])
    members = re.search(r"Inköpsrådet består av följande ledamöter: (.*?) \*?\*?6\.3", council)
    assert members and "ordförande" not in members.group(1)


def test_a_dispute_never_goes_back_to_the_people_in_the_council(tmp_path: Path) -> None:
    def chairs(data: dict[str, Any]) -> None:
        data["governance"]["steering_council"]["members"][0]["position"] = (
            "regionstyrelsens ordförande"
        )

    agreement, rules = _escalation(texts(_avt(tmp_path, 2, chairs)))
    expected = (
        "företrädare som styrelsen hos varje Part utser bland sina ledamöter och som inte är"
        " ledamöter i Inköpsrådet"
    )
    assert agreement == rules == expected

    def mixed(data: dict[str, Any]) -> None:
        data["parties"][1]["styrelse"] = "landstingsstyrelsen"

    agreement, rules = _escalation(texts(_avt(tmp_path, 5, mixed)))
    assert agreement == rules == "ordförandena i styrelserna hos Parterna"


# --- 10: a joining party's new cost ----------------------------------------------------------


@pytest.mark.parametrize("form", ["avtalssamverkan", "gemensam_namnd"])
def test_a_joining_partys_memo_says_the_cost_is_new_and_how_it_is_met(
    tmp_path: Path, form: str
) -> None:
    params = _avt(tmp_path, 5) if form == "avtalssamverkan" else _write(tmp_path, _gn(3))
    built = texts(params)
    annex = built["samverkansavtal"]
    for party in _parties(5):
        economy = _section(_memo(params, party), "Ekonomiska konsekvenser", "Juridisk bedömning")
        row = re.search(rf"\| {NAMES[party]} \| [^|]* \| ([0-9\u00a0 ]+ kronor) \|", annex)
        assert row, party
        new = (
            f"För {NAMES[party]} är kostnaden ny, eftersom regionen inte samverkar i den"
            " gemensamma inköpsnämnden i dag. Regionens andel, i exemplet"
            f" {' '.join(row.group(1).split())} per år, ska rymmas i regionstyrelsens budget från"
            " och med 2027 och beaktas i regionens budgetprocess."
        )
        # Region Sörmland and Region Västmanland were the old nämnd's members; the rest join.
        assert (new in economy) == (party not in ("sormland", "vastmanland")), party
        assert ("är kostnaden ny" in economy) == (new in economy), party


# --- 11: the host's fullmäktige elects the presidium -----------------------------------------


@pytest.mark.parametrize("extra", [0, 3])
def test_the_host_memo_elects_the_presidium_the_reglemente_gives_it(
    tmp_path: Path, extra: int
) -> None:
    params = _write(tmp_path, _gn(extra))
    reglemente = texts(params)["reglemente"]
    first = _number(reglemente, "Fullmäktige hos Region Sörmland väljer bland nämndens ledamöter")
    second = _number(reglemente, "Enligt överenskommelse mellan parterna ska ordföranden väljas")
    cited = f"{first.removesuffix(' §')} och {second}§"
    for party in _parties(2 + extra):
        council, _ = _decisions(_memo(params, party))
        presidium = (
            "bland nämndens ledamöter välja ordförande och vice ordförande enligt"
            f" {cited} i reglementet, och att valen förrättas i särskilda ärenden"
        )
        assert (presidium in council) == (party == "sormland"), party
        assert council.count("ordförande och vice ordförande") == int(party == "sormland"), party


# --- 12 and 14: the memo's figures ----------------------------------------------------------


@pytest.mark.parametrize("five", [False, True])
def test_the_owners_subscribe_at_formation_in_the_economy_too(tmp_path: Path, five: bool) -> None:
    data = _data("bolag", five)
    params = _write(tmp_path, data)
    for owner in data["company"]["owners"]:
        memo = _memo(params, owner["party"])
        economy = _section(memo, "Ekonomiska konsekvenser", "Juridisk bedömning")
        assert "förvärvar" not in memo
        assert (
            f"{NAMES[owner['party']]} tecknar enligt förslaget {owner['shares']} av bolagets"
            " 1 000 aktier vid bolagets bildande för" in economy
        )


@pytest.mark.parametrize("five", [False, True])
def test_the_contribution_states_the_basis_it_follows(tmp_path: Path, five: bool) -> None:
    data = _data("kommunalforbund", five)
    params = _write(tmp_path, data)
    values = data["costs"]["basis"]["values"]
    total = sum(values.values())
    budget = Decimal(data["matter"]["economy"]["first_budget"]["amount"])
    for party, value in values.items():
        council, _ = _decisions(_memo(params, party))
        found = re.search(
            r"anvisa högst ([0-9 ]+) kronor, (?:avrundat enligt [0-9]+ § förbundsordningen, )?"
            r"motsvarande kommunens andel \(([0-9 ]+) av"
            r" ([0-9 ]+) invånare enligt de värden som anges i [0-9]+ § förbundsordningen,"
            r" avrundat ([0-9]+),([0-9]{2}) procent\) av de 9 500 000 kronor",
            council,
        )
        assert found, party
        amount, own, whole, units, cents = (g.replace(" ", "") for g in found.groups())
        # Recomputed from the stated basis: the share, the percentage and the amount agree.
        assert (int(own), int(whole)) == (value, total), party
        exact = budget * value / total
        assert abs(Decimal(amount) - exact) < 1, party
        percent = (Decimal(value) * 100 / total).quantize(Decimal("0.01"), ROUND_HALF_UP)
        assert Decimal(f"{units}.{cents}") == percent, party
