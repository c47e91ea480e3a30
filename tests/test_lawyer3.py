"""A municipal lawyer's third reading: the agreements and the memos that approve them.

Each point builds the bundled examples, with two parties and with five, and compares what a
document says with what the memo decides or with the other document that rules the same thing:
who takes over the replaced nämnd's unfinished matters, the form of a personuppgiftsbiträdes-
avtal inside one region, who pays to wind up a leaving party's part, the basis of a
contribution, what a steering council's disagreement leads to, the annex a delegation cites,
who is personuppgiftsansvarig, when the presidium is elected, and how shares are subscribed.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from avtextra import texts
from test_bundle_matters import _decisions, _gn, _memo, _write
from test_bundle_memo_text import _data, _section
from test_lawyer2_memo import NAMES, _avt, _flat, _number, _parties

# --- 1: the replaced nämnd's unfinished matters ----------------------------------------------


def _point(document: str, starts: str) -> str:
    """The whole text of the numbered point of ``document`` that starts so."""
    number = _number(document, starts)
    found = re.search(rf"(?m)^{re.escape(number)} (.*)$", document)
    assert found, number
    return _flat(found.group(1))


TAKEN = "Parterna är överens om att ärenden hos den tidigare nämnden som inte har avslutats"


@pytest.mark.parametrize("parties", [2, 5])
def test_every_unfinished_matter_of_the_old_nammd_has_a_body_to_take_it_over(
    tmp_path: Path, parties: int
) -> None:
    params = _avt(tmp_path, parties)
    raw = texts(params)["samverkansavtal"]
    point = _number(raw, TAKEN)
    agreement = _flat(raw)
    # The date belongs to "tas över": the nämnd ends on 31 December 2026 (the point before).
    assert "när nämnden upphör från och med" not in agreement
    assert "det vill säga någon av" not in agreement
    which, both, each = (
        ("den Part som ärendet avser", "båda Parterna", "var och en av Parterna")
        if parties == 2
        else (
            "den av Region Sörmland och Region Västmanland som ärendet avser",
            "både Region Sörmland och Region Västmanland",
            "var och en av dem",
        )
    )
    assert (
        f"{TAKEN} när nämnden upphör tas över från och med den 1 januari 2027 av behörigt organ"
        f" hos {which}. Ett ärende som avser {both} handläggs av behörigt organ hos {each} för"
        " dess del, efter samråd i Inköpsrådet. Ärenden som avser den tidigare nämndens egen"
        " förvaltning, däribland frågor om utlämnande av nämndens handlingar, tas över av"
        " regionstyrelsen i Region Sörmland." in agreement
    )
    # The memos take over what the point gives each member, and cite the point.
    common = "båda regionerna" if parties == 2 else "både Region Sörmland och Region Västmanland"
    for party in _parties(parties):
        council, _ = _decisions(_memo(params, party))
        taken = re.findall(
            r"tar över de ärenden hos den gemensamma inköpsnämnden (.*?) under", council
        )
        if party not in ("sormland", "vastmanland"):
            assert taken == [], party
            continue
        own = (
            "Region Sörmland eller nämndens egen förvaltning"
            if party == "sormland"
            else (NAMES[party])
        )
        assert taken == [
            f"som avser {own} och som inte har avslutats när nämnden upphör, och för regionens del"
            f" de ärenden som avser {common}, enligt punkt {point} i samverkansavtalet,"
            + (
                " och tar emot anmälan av de beslut som har fattats med stöd av nämndens"
                " delegationsordning efter nämndens sista sammanträde,"
                if party == "sormland"
                else ""
            )
        ], party


def test_three_former_members_share_a_common_matter_each_for_its_part(tmp_path: Path) -> None:
    def three(data: dict[str, Any]) -> None:
        data["replaces"]["members"] = ["sormland", "vastmanland", "uppsala"]

    params = _avt(tmp_path, 5, three)
    agreement = _flat(texts(params)["samverkansavtal"])
    assert (
        "av behörigt organ hos den av Region Sörmland, Region Västmanland och Region Uppsala som"
        " ärendet avser. Ett ärende som avser flera av dem handläggs av behörigt organ hos var"
        " och en av dem för dess del, efter samråd i Inköpsrådet." in agreement
    )
    council, _ = _decisions(_memo(params, "uppsala"))
    assert (
        "som avser Region Uppsala och som inte har avslutats när nämnden upphör, och för"
        " regionens del de ärenden som avser flera av Region Sörmland, Region Västmanland och"
        " Region Uppsala, enligt punkt" in council
    )


# --- 2: a gemensam nämnd's processing in the host's other nämnder ----------------------------


@pytest.mark.parametrize("extra", [0, 3])
def test_agreement_and_reglemente_give_the_same_form_for_the_hosts_processing(
    tmp_path: Path, extra: int
) -> None:
    built = texts(_write(tmp_path, _gn(extra)))
    agreement, reglemente = built["samverkansavtal"], built["reglemente"]
    point = _point(agreement, "När Värdpartens styrelse eller andra nämnder")
    section = _point(reglemente, "Om nämnden behandlar personuppgifter för någon annans")
    # Article 28.3 knows an agreement or another legal act; the Nämnden instructs no equal organ.
    assert "instruktion" not in point
    assert point.startswith(
        "När Värdpartens styrelse eller andra nämnder behandlar personuppgifter för Nämndens"
        " räkning, till exempel i gemensamma IT-system, ska Nämnden se till att behandlingen"
        " regleras i ett personuppgiftsbiträdesavtal eller i en annan rättsakt som uppfyller"
        " kraven i artikel 28.3 i dataskyddsförordningen. Parterna bedömer att en sådan rättsakt"
        " kan vara ett beslut av regionfullmäktige i Region Sörmland eller en skriftlig"
        " överenskommelse mellan Nämnden och den berörda nämnden."
    )
    assert "Värdparten: Region Sörmland" in _flat(agreement)
    # The reglemente every fullmäktige adopts admits the same form for the same organs.
    assert section.startswith(
        "Om nämnden behandlar personuppgifter för någon annans räkning, eller låter någon annan"
        " behandla personuppgifter för nämndens räkning, ska behandlingen regleras i ett"
        " personuppgiftsbiträdesavtal eller, när det gäller regionstyrelsen i Region Sörmland"
        " eller någon annan nämnd i Region Sörmland, i en annan rättsakt som uppfyller kraven i"
        " artikel 28.3 i dataskyddsförordningen, till exempel ett beslut av regionfullmäktige i"
        " Region Sörmland eller en skriftlig överenskommelse mellan nämnderna."
    )


# --- 3: winding up when one party leaves -----------------------------------------------------


@pytest.mark.parametrize("parties", [2, 5])
def test_a_leaving_party_pays_for_winding_up_its_own_part_only(
    tmp_path: Path, parties: int
) -> None:
    raw = texts(_avt(tmp_path, parties))["samverkansavtal"]
    agreement = _flat(raw)
    key = _number(raw, "Verksamhetens gemensamma kostnader fördelas lika mellan Parterna.")
    if parties == 2:
        # A notice ends the whole agreement: the two-party text is what it was.
        assert "När Avtalet upphör ska Verksamheten avvecklas i samråd mellan de berörda" in (
            agreement
        )
        assert "Kostnaderna för avvecklingen fördelas mellan Parterna enligt bilaga 1." in agreement
        assert "den del av Verksamheten" not in agreement
        return
    assert (
        "När Avtalet upphör, helt eller i förhållande till en Part, ska Verksamheten, eller den"
        " del av Verksamheten som avser den Parten, avvecklas i samråd mellan de berörda Parterna"
        " enligt följande:" in agreement
    )
    assert (
        "- Kostnader som uppkommer för att avveckla den del av Verksamheten som avser en Part som"
        " har sagt upp Avtalet bärs av den Parten. När Avtalet upphör i förhållande till samtliga"
        f" Parter fördelas kostnaderna för avvecklingen mellan Parterna enligt punkt {key}."
        in agreement
    )
    assert "i övrigt av Parterna" not in agreement


# --- 4: the contribution cites the förbundsordning's values ----------------------------------


@pytest.mark.parametrize("five", [False, True])
def test_the_contribution_cites_the_paragraph_that_holds_its_values(
    tmp_path: Path, five: bool
) -> None:
    data = _data("kommunalforbund", five)
    params = _write(tmp_path, data)
    ordning = texts(params)["forbundsordning"]
    paragraph = _number(ordning, "Medlemmarnas andelar i förbundets tillgångar och skulder")
    assert "Med de värden som gäller när denna förbundsordning antas" in _point(
        ordning, "Medlemmarnas andelar i förbundets tillgångar och skulder"
    )
    values = data["costs"]["basis"]["values"]
    total = f"{sum(values.values()):,}".replace(",", " ")
    for party, value in values.items():
        memo = _memo(params, party)
        council, _ = _decisions(memo)
        economy = _section(memo, "Ekonomiska konsekvenser", "Juridisk bedömning")
        own = f"{value:,}".replace(",", " ")
        # Not the population on a date, which the sats cannot know: the förbundsordning's values.
        assert "enligt fördelningsgrunden antal invånare" not in council, party
        assert (
            f"motsvarande kommunens andel ({own} av {total} invånare enligt de värden som anges i"
            f" {paragraph} förbundsordningen, avrundat " in council
        ), party
        assert (
            f"beräknad på kommunens {own} av medlemmarnas sammanlagt {total} invånare enligt de"
            f" värden som anges i {paragraph} förbundsordningen, avrundat " in economy
        ), party


# --- 5: what a disagreement in the steering council leads to ---------------------------------


@pytest.mark.parametrize("parties", [2, 5])
def test_a_disagreement_goes_up_and_only_a_dispute_follows_the_dispute_clause(
    tmp_path: Path, parties: int
) -> None:
    built = texts(_avt(tmp_path, parties))
    section = re.search(r"(?m)^## ([0-9]+)\. Tvister$", built["samverkansavtal"])
    assert section
    rules = _point(built["arbetsordning"], "Inköpsrådets ställningstaganden ska grunda sig")
    assert rules == (
        "Inköpsrådets ställningstaganden ska grunda sig på enighet mellan Parternas företrädare."
        " Om enighet inte kan nås förs frågan vidare till ordförandena i Parternas"
        " regionstyrelser. Gäller oenigheten tolkningen eller tillämpningen av samverkansavtalet"
        f" tillämpas punkt {section.group(1)} i samverkansavtalet."
    )


def test_a_document_cites_a_point_of_a_document_assembled_before_it(tmp_path: Path) -> None:
    """The cited number follows the other document: a clause moved there moves the citation."""
    from avtal.assemble import document_labels
    from avtal.project import load_project

    project = load_project(_avt(tmp_path, 2))
    agreement, rules = project.documents[0], project.documents[1]
    labels = document_labels(agreement)
    number = {s.clause_id: s.number for s in agreement.sections}["avtalssamverkan.tvister"]
    assert labels["samverkansavtal:avtalssamverkan.tvister"] == f"punkt {number}"
    pub = _number(texts(_avt(tmp_path, 2))["samverkansavtal"], "Utförande part och varje")
    assert labels["samverkansavtal:avtalssamverkan.personuppgifter#pub"] == f"punkt {pub}"
    assert rules.unresolved == ()
    cited = [
        run
        for section in rules.sections
        for block in section.blocks
        for run in getattr(block, "runs", ())
        if run.ref
    ]
    assert [(r.ref, r.text) for r in cited] == [
        ("samverkansavtal:avtalssamverkan.tvister", f"punkt {number}")
    ]


# --- 6: a delegation names its frame by the annex's number -----------------------------------


@pytest.mark.parametrize("parties", [2, 5])
def test_every_delegation_sats_cites_the_annex_the_agreement_numbers(
    tmp_path: Path, parties: int
) -> None:
    params = _avt(tmp_path, parties)
    annex = re.search(
        r"(?m)^## Bilaga ([0-9]+) – Ram för delegation$", texts(params)["samverkansavtal"]
    )
    assert annex
    frame = f"som anges i bilaga {annex.group(1)} till samverkansavtalet (Ram för delegation)"
    for party in _parties(parties):
        memo = _memo(params, party)
        _, own = _decisions(memo)
        assert "bilaga om ram för delegation" not in memo, party
        if party == "sormland":
            # The host's styrelse delegates its own matters anew, and says where they are reported.
            assert (
                f"att från och med den 1 januari 2027 uppdra åt de anställda hos Region Sörmland"
                f" {frame} att besluta på regionstyrelsens vägnar i motsvarande ärenden som avser"
                " regionens egna upphandlingar, med de begränsningar som anges där, att besluten"
                " ska anmälas till regionstyrelsen enligt regionstyrelsens delegationsordning, och"
                " att delegationsordningen ändras i enlighet med detta, under förutsättning att"
                " samverkansavtalet träder i kraft." in own
            )
        else:
            assert (
                f"att från och med den 1 januari 2027 uppdra åt de anställda hos Region Sörmland"
                f" {frame} att besluta på regionstyrelsens vägnar i de ärenden och med de"
                " begränsningar som anges där, och att besluten ska anmälas till regionstyrelsen"
                in own
            ), party


def test_a_delegating_nammd_is_charged_with_the_frame_the_annex_holds(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["delegation"]["delegating_body"]["vastmanland"] = "upphandlingsnämnden"

    council, _ = _decisions(_memo(_avt(tmp_path, 2, change), "vastmanland"))
    assert (
        "att uppdra åt upphandlingsnämnden att före den 1 januari 2027 besluta om delegation till"
        " de anställda hos Region Sörmland som anges i bilaga 2 till samverkansavtalet (Ram för"
        " delegation), i de ärenden" in council
    )


# --- 7: the controller is the nämnd, in the agreement as in the memo -------------------------


@pytest.mark.parametrize("parties", [2, 5])
def test_the_agreement_and_the_memo_name_the_same_controller(tmp_path: Path, parties: int) -> None:
    params = _avt(tmp_path, parties)
    agreement = texts(params)["samverkansavtal"]
    section = re.search(r"(?m)^## ([0-9]+)\. Personuppgifter$", agreement)
    assert section
    first = re.search(rf"(?m)^{section.group(1)}\.1 (.*)$", agreement)
    assert first
    controller = _flat(first.group(1))
    assert controller.startswith(
        "Varje Part är, genom den nämnd som ansvarar för respektive uppgift, personuppgiftsansvarig"
        " för den behandling av personuppgifter som sker för att fullgöra Partens egna uppgifter"
    )
    for party in _parties(parties)[1:]:
        # The memo has the nämnd responsible for the party's part, here its styrelse, enter
        # the agreement as controller: the body 15.1 now names.
        _, own = _decisions(_memo(params, party))
        assert own.startswith(" Regionstyrelsen beslutar för egen del"), party
        assert "att som personuppgiftsansvarig för regionens del av inköpsverksamheten ingå" in (
            own
        ), party


# --- 8: the presidium after the other parties' elections; one substitute has no order ---------


@pytest.mark.parametrize("extra", [0, 3])
def test_the_presidium_is_elected_after_the_others_and_one_substitute_has_no_order(
    tmp_path: Path, extra: int
) -> None:
    data = _gn(extra)
    params = _write(tmp_path, data)
    seats = {s["party"]: s for s in data["committee"]["seats"]}
    after = (
        "sedan Region Västmanland har valt sina ledamöter"
        if extra == 0
        else ("sedan övriga parter har valt sina ledamöter")
    )
    for party in _parties(2 + extra):
        council, _ = _decisions(_memo(params, party))
        election = re.search(r"att regionen ska välja (.*?) i Inköpsnämnden(.*?ärenden?),", council)
        assert election, party
        ordered = "bestämma i vilken ordning ersättarna ska tjänstgöra" in election.group(2)
        assert ordered == (seats[party]["substitutes"] > 1), party
        if party == "sormland":
            assert election.group(2) == (
                f", bestämma i vilken ordning ersättarna ska tjänstgöra och, {after}, bland"
                " nämndens ledamöter välja ordförande och vice ordförande enligt 15 och 16 §§ i"
                " reglementet, och att valen förrättas i särskilda ärenden"
            )
        else:
            assert "ordförande" not in election.group(2), party
            assert election.group(2).endswith("och att valen förrättas i ett särskilt ärende")


# --- 9: shares are subscribed against payment, not bought at a price --------------------------


@pytest.mark.parametrize("five", [False, True])
def test_the_owners_subscribe_their_shares_against_payment(tmp_path: Path, five: bool) -> None:
    data = _data("bolag", five)
    params = _write(tmp_path, data)
    company = data["company"]
    # The company is formed by its owners: their shares are all its shares.
    per_share = company["share_capital"] // sum(o["shares"] for o in company["owners"])
    for owner in company["owners"]:
        council, _ = _decisions(_memo(params, owner["party"]))
        paid = f"{owner['shares'] * per_share:,}".replace(",", " ")
        each = f"{per_share:,}".replace(",", " ")
        assert "till ett pris om" not in council, owner["party"]
        assert (
            f"och tecknar {owner['shares']} aktier i bolaget mot betalning av {paid} kronor"
            f" ({each} kronor per aktie), motsvarande" in council
        ), owner["party"]
