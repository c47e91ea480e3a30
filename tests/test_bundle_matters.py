"""Council matters that agree with their documents: who adopts what, for whom, under which label.

The memos are assembled in process (no rendering), for two parties and for five, so that a
decision the memo proposes can be compared with what the agreement says of the same thing.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from avtextra import EXTRA_REGIONS, add_parties, region, texts
from conftest import EXAMPLE


def _memo(params: Path, party: str) -> str:
    """One party's memo as plain text, assembled without rendering the bundle."""
    from avtal.bundle.matter import attachments, check_matter, load_matter
    from avtal.bundle.memo import make_memo
    from avtal.check import lint
    from avtal.project import load_project
    from avtal.render.markdown import render_markdown, unescape

    project = load_project(params)
    source = load_matter(project, None)
    entries = check_matter(project, source)
    parts = attachments(project, source)
    memo = make_memo(
        project,
        source,
        project.params.party(party),
        entries[party],
        parts,
        lint(project),
        "0" * 64,
    )
    text = unescape(render_markdown(memo).decode("utf-8")).replace("\u00a0", " ")
    return " ".join(text.replace("**", "").split())


def _write(tmp_path: Path, data: dict[str, Any], name: str = "p.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _with_parties(data: dict[str, Any], count: int) -> dict[str, Any]:
    """The avtalssamverkan example with ``count`` more regions, each with its own matter."""
    data = copy.deepcopy(data)
    add_parties(data, count)
    template = data["matter"]["parties"][1]
    for index, (pid, _name, _org, _seat) in enumerate(EXTRA_REGIONS[:count]):
        data["matter"]["parties"].append(
            {**copy.deepcopy(template), "party": pid, "diarienummer": f"R-2026-{index + 10}"}
        )
    return data


def _example() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    return loaded


def _decisions(memo: str) -> tuple[str, str]:
    """The memo's proposed decisions: fullmäktige's, and the styrelse's own (may be empty)."""
    part = memo[memo.index("Förslag till beslut") : memo.index("Bakgrund")].rstrip(" #")
    own = re.search(r" \S+ beslutar för egen del", part)
    if own is None:
        return part, ""
    return part[: own.start()], part[own.start() :]


# --- the arbetsordning: adopted by the body that may amend it -------------------------------


def _agreement_body(agreement: str) -> str:
    """Who adopts and amends the arbetsordning according to the agreement's amendment clause."""
    found = re.search(r"Arbetsordningen antas därför av (\w+) hos varje Part", agreement)
    assert found, "the amendment clause does not say who adopts the arbetsordning"
    changes = re.search(r"ändringar i den beslutas på samma sätt", agreement)
    assert changes, "the amendment clause does not say who amends the arbetsordning"
    return {"styrelsen": "styrelse", "fullmäktige": "fullmaktige"}[found.group(1)]


def _memo_body(memo: str, styrelse: str, number: str) -> str:
    """Which body the memo has adopt the arbetsordning: fullmäktige or the styrelse itself."""
    council, own = _decisions(memo)
    sats = f"att anta arbetsordning för Inköpsrådet enligt bilaga {number}"
    in_council, in_own = sats in council, sats in own
    assert in_council != in_own, "the memo adopts the arbetsordning once, in one body's part"
    if in_own:
        assert own.startswith(f" {styrelse.capitalize()} beslutar för egen del")
        return "styrelse"
    return "fullmaktige"


@pytest.mark.parametrize("extra", [0, 3])
def test_the_arbetsordning_is_adopted_by_the_body_the_agreement_lets_amend_it(
    tmp_path: Path, extra: int
) -> None:
    params = _write(tmp_path, _with_parties(_example(), extra))
    built = texts(params)
    agreement = " ".join(built["samverkansavtal"].split())
    number = re.search(r"## Bilaga (\d+) – Arbetsordning", built["samverkansavtal"])
    assert number
    body = _agreement_body(agreement)
    # The definition of Avtalet names the annexes fullmäktige approves; the arbetsordning is
    # not one of them when the styrelser adopt it.
    avtalet = re.search(r"- Avtalet: detta samverkansavtal med (.*?)\. -", agreement)
    assert avtalet
    included = re.findall(r"bilaga (\d+)", avtalet.group(1))
    assert included == ["1", "2"]
    assert (number.group(1) in included) == (body == "fullmaktige")
    own = " ".join(built["arbetsordning"].split())
    assert "Arbetsordningen har antagits av styrelsen hos varje Part genom likalydande beslut" in (
        own
    )
    assert "Ändringar i Arbetsordningen beslutas av styrelsen hos varje Part" in own
    for party in ["sormland", "vastmanland", *[r[0] for r in EXTRA_REGIONS[:extra]]]:
        memo = _memo(params, party)
        assert _memo_body(memo, "regionstyrelsen", number.group(1)) == body, party
        council, _ = _decisions(memo)
        approved = re.search(
            r"att godkänna samverkansavtal .*? med bilagorna (\d+) och (\d+),", council
        )
        assert approved and list(approved.groups()) == included, party
        assert f"(bilaga {number.group(1)}) bifogas samverkansavtalet men ingår inte i det" in memo


# --- replaces.members: only the members of the replaced nämnd end it ------------------------


def _att(memo: str) -> list[str]:
    council, _ = _decisions(memo)
    return [s.strip() for s in council.split(" - ")[1:] if s.startswith("att ")]


def test_only_the_members_of_the_replaced_nammd_repeal_it(tmp_path: Path) -> None:
    data = _with_parties(_example(), 3)
    assert data["replaces"]["members"] == ["sormland", "vastmanland"]  # as the example says
    params = _write(tmp_path, data)
    joining = (
        "regionfullmäktige i Region Uppsala, regionfullmäktige i Region Örebro län och"
        " regionfullmäktige i Region Östergötland fattar beslut om samverkan enligt förslaget"
    )
    host = _att(_memo(params, "sormland"))
    assert (
        "att den gemensamma inköpsnämnden upplöses vid utgången av den 31 december 2026, under"
        " förutsättning att regionfullmäktige i Region Västmanland beslutar att upphäva"
        f" reglementet för inköpsnämnden vid samma tidpunkt och att {joining}," in host
    )
    member = _att(_memo(params, "vastmanland"))
    assert (
        "att upphäva reglementet för inköpsnämnden vid utgången av den 31 december 2026, under"
        " förutsättning att regionfullmäktige i Region Sörmland fattar likalydande beslut och"
        f" att {joining}," in member
    )
    assert not any("upplöses" in s for s in member)
    for party in ("uppsala", "orebro", "ostergotland"):
        memo = _memo(params, party)
        satser = _att(memo)
        assert len(satser) >= 3, party
        assert not any("inköpsnämnden" in s for s in satser), (party, satser)
        assert "var och en av Region Sörmland och Region Västmanland, som samverkar i nämnden" in (
            memo
        )
        assert (
            "Samverkan ersätter den gemensamma inköpsnämnden, där Region Sörmland och Region"
            " Västmanland samverkar i dag och som föreslås upphöra vid utgången" in memo
        )
        assert "i stället för genom den gemensamma inköpsnämnden" not in memo
        assert "bortfaller arvodena" not in memo  # the fees saved are the members'
    assert "bortfaller arvodena" in _memo(params, "vastmanland")
    agreement = " ".join(texts(params)["samverkansavtal"].split())
    assert (
        "Region Sörmland och Region Västmanland, som samverkade i nämnden, ska var och en besluta"
        " att reglementet för inköpsnämnden upphör att gälla vid samma tidpunkt." in agreement
    )
    assert "fördelas mellan de Parter som samverkade i nämnden enligt de villkor" in agreement


def test_by_default_every_party_was_a_member(tmp_path: Path) -> None:
    data = _with_parties(_example(), 3)
    del data["replaces"]["members"]
    params = _write(tmp_path, data)
    for party in ("vastmanland", "uppsala", "ostergotland"):
        satser = _att(_memo(params, party))
        assert any(
            s.startswith("att upphäva reglementet för inköpsnämnden vid utgången") for s in satser
        )
    agreement = " ".join(texts(params)["samverkansavtal"].split())
    assert "Varje Part ska besluta att reglementet för inköpsnämnden upphör att gälla" in agreement


@pytest.mark.parametrize(
    ("replaces", "path", "message"),
    [
        ({"members": ["sormland", "uppsala"]}, "replaces.members[1]", "unknown party 'uppsala'"),
        (
            {"members": ["sormland", "vastmanland", "sormland"]},
            "replaces.members[2]",
            "'sormland' is listed twice",
        ),
        ({"members": ["vastmanland"]}, "replaces.host", "'sormland' is not one of"),
        ({"continues": True}, "replaces.continues", "only used with form 'gemensam_namnd'"),
        (
            {"members": ["vastmanland"], "host": None},
            "replaces.members",
            "the body's host defaults to the new host 'sormland', which is not one of them",
        ),
    ],
)
def test_bad_replaces_names_file_line_and_path(
    tmp_path: Path, replaces: dict[str, Any], path: str, message: str
) -> None:
    from click.testing import CliRunner

    from avtal.cli import main

    data = _example()
    data["replaces"].update(replaces)
    params = _write(tmp_path, data)
    result = CliRunner().invoke(main, ["check", str(params)])
    assert result.exit_code != 0
    lines = params.read_text(encoding="utf-8").splitlines()
    key = path.rsplit(".", 1)[-1].split("[")[0]
    start = next(i for i, line in enumerate(lines) if line.startswith("replaces:"))
    line = next(i for i in range(start, len(lines)) if lines[i].strip().startswith(f"{key}:")) + 1
    if "[" in path:
        line += int(path.rsplit("[", 1)[1].rstrip("]")) + 1
    assert f"p.yaml:{line}: {path}: {message}" in result.output, result.output
    assert "Traceback" not in result.output


# --- gemensam nämnd: the current reglemente and agreement end, the nämnd goes on or ends -----

GN = EXAMPLE.parent / "gemensam-namnd.yaml"


def _gn(extra: int = 0) -> dict[str, Any]:
    """The gemensam nämnd example with ``extra`` more regions, each with seats and a matter."""
    data: dict[str, Any] = yaml.safe_load(GN.read_text(encoding="utf-8"))
    for index, (pid, name, org, seat) in enumerate(EXTRA_REGIONS[:extra]):
        data["parties"].append(region(pid, name, org, seat))
        data["committee"]["seats"].append({"party": pid, "members": 1, "substitutes": 1})
        data["matter"]["parties"].append(
            {
                **copy.deepcopy(data["matter"]["parties"][1]),
                "party": pid,
                "diarienummer": f"R-2026-{index + 10}",
            }
        )
    data["activity"]["scope"] = [
        t.replace("båda regionerna", "regionerna") for t in data["activity"]["scope"]
    ]
    data["activity"]["scope"] = [
        t.replace("båda regionernas", "regionernas") for t in data["activity"]["scope"]
    ]
    return data


def test_gemensam_namnd_memo_ends_the_current_reglemente_and_agreement(tmp_path: Path) -> None:
    params = _write(tmp_path, _gn())
    end = "vid utgången av den 31 december 2026"
    for party, other in (("sormland", "Region Västmanland"), ("vastmanland", "Region Sörmland")):
        satser = _att(_memo(params, party))
        villkor = f"under förutsättning att regionfullmäktige i {other} fattar likalydande beslut"
        assert satser == [
            f"att godkänna samverkansavtal om gemensam nämnd för inköpsverksamheten med bilaga 1,"
            f" {villkor},",
            f"att anta reglemente för Inköpsnämnden enligt bilaga 2, {villkor},",
            "att Inköpsnämnden från och med den 1 januari 2027 fortsätter som gemensam nämnd med"
            " Region Sörmland som värdregion, med det reglemente och det samverkansavtal som"
            f" anges ovan, {villkor},",
            "att regionen ska välja tre ledamöter och tre ersättare i Inköpsnämnden"
            + (
                ", bestämma i vilken ordning ersättarna ska tjänstgöra och, sedan Region"
                " Västmanland har valt sina ledamöter, bland nämndens ledamöter välja ordförande"
                " och vice ordförande enligt 15 och 16 §§ i reglementet, och att valen förrättas"
                " i särskilda ärenden,"
                if party == "sormland"
                else " och bestämma i vilken ordning ersättarna ska tjänstgöra, och att valen"
                " förrättas i ett särskilt ärende,"
            ),
            f"att upphäva det nuvarande reglementet för inköpsnämnden {end}, {villkor},",
            "att det nuvarande samverkansavtalet om den gemensamma inköpsnämnden upphör att gälla"
            f" {end}, {villkor},",
            f"att uppdra åt regionstyrelsens ordförande att underteckna avtalet, {villkor}.",
        ], party
    agreement = " ".join(texts(params)["samverkansavtal"].split())
    assert (
        "Varje Part ska besluta att det nuvarande reglementet för inköpsnämnden och det nuvarande"
        f" samverkansavtalet om den gemensamma inköpsnämnden upphör att gälla {end}." in agreement
    )


def test_gemensam_namnd_joined_by_parties_that_were_not_members(tmp_path: Path) -> None:
    params = _write(tmp_path, _gn(3))
    for party in ("uppsala", "ostergotland"):
        satser = _att(_memo(params, party))
        assert not any("nuvarande" in s for s in satser), satser
        assert any(
            s.startswith("att Region ")
            and "från och med den 1 januari 2027 deltar i Inköpsnämnden, som är en gemensam nämnd"
            " med Region Sörmland som värdregion"
            in s
            for s in satser
        ), satser
        joins = next(s for s in satser if " deltar i Inköpsnämnden" in s)
        assert joins.endswith("fattar motsvarande beslut,"), joins
    assert (
        "Region Uppsala, Region Örebro län och Region Östergötland tillkommer som parter i nämnden"
        in _memo(params, "uppsala")
    )
    satser = _att(_memo(params, "vastmanland"))
    goes_on = next(s for s in satser if "fortsätter som gemensam nämnd" in s)
    assert goes_on.endswith("fattar motsvarande beslut,"), goes_on
    repeal = next(s for s in satser if s.startswith("att upphäva"))
    assert repeal.endswith(
        "under förutsättning att regionfullmäktige i Region Sörmland fattar likalydande beslut och"
        " att regionfullmäktige i Region Uppsala, regionfullmäktige i Region Örebro län och"
        " regionfullmäktige i Region Östergötland fattar beslut om samverkan enligt förslaget,"
    )
    agreement = " ".join(texts(params)["samverkansavtal"].split())
    assert "Region Sörmland och Region Västmanland, som samverkade i den tidigare nämnden, ska" in (
        agreement
    )


def test_gemensam_namnd_that_moves_host_dissolves_the_old_one(tmp_path: Path) -> None:
    data = _gn()
    data["replaces"].update(continues=False, host="vastmanland")
    params = _write(tmp_path, data)
    old_host = _att(_memo(params, "vastmanland"))
    assert any(
        s.startswith("att den gemensamma inköpsnämnden upplöses vid utgången av den 31 december")
        for s in old_host
    )
    for party, other in (("sormland", "Region Västmanland"), ("vastmanland", "Region Sörmland")):
        satser = _att(_memo(params, party))
        assert any(
            s.startswith(
                f"att {data['parties'][0 if party == 'sormland' else 1]['name']} tillsammans med"
                f" {other} inrättar Inköpsnämnden som gemensam nämnd i Region Sörmlands"
                " organisation från och med den 1 januari 2027,"
            )
            for s in satser
        ), satser
    assert not any("upplöses" in s for s in _att(_memo(params, "sormland")))
    agreement = " ".join(texts(params)["samverkansavtal"].split())
    assert (
        "Den tidigare nämnden upplöses vid utgången av den 31 december 2026 genom beslut av"
        " regionfullmäktige i Region Västmanland." in agreement
    )

    data["replaces"]["continues"] = True
    bad = _write(tmp_path, data, "bad.yaml")
    from click.testing import CliRunner

    from avtal.cli import main

    result = CliRunner().invoke(main, ["check", str(bad)])
    assert result.exit_code != 0
    assert re.search(
        r"bad\.yaml:\d+: replaces\.continues: the body sits with 'vastmanland', the new nämnd"
        r" with 'sormland'",
        result.output,
    ), result.output


def test_memo_needs_its_own_background(tmp_path: Path) -> None:
    """The agreement's description states the cooperation as agreed: no memo background."""
    from click.testing import CliRunner

    from avtal.cli import main

    data = _example()
    del data["matter"]["background"]
    params = _write(tmp_path, data)
    out = tmp_path / "arende"
    result = CliRunner().invoke(main, ["bundle", str(params), "-o", str(out)])
    assert result.exit_code == 1
    line = params.read_text(encoding="utf-8").splitlines().index("matter:") + 1
    assert (
        f"p.yaml:{line}: matter.background: missing: the memo's Bakgrund, worded as a proposal"
        in result.output
    ), result.output
    assert not out.exists()
    # with a background of its own, the memo's Bakgrund is that text, not the description
    data["matter"]["background"] = "Utredningen föreslår att samverkan fortsätter."
    memo = _memo(_write(tmp_path, data, "ok.yaml"), "sormland")
    background = memo[memo.index("## Bakgrund") :]
    assert background.startswith("## Bakgrund Utredningen föreslår att samverkan fortsätter.")
    assert data["activity"]["description"].split(".")[0] not in memo


def test_bolag_purchase_of_unequal_holdings_is_a_corresponding_decision(tmp_path: Path) -> None:
    data: dict[str, Any] = yaml.safe_load(
        (EXAMPLE.parent.parent / "it-bolag" / "bolag.yaml").read_text(encoding="utf-8")
    )
    for shares in ((500, 500), (600, 400)):
        for owner, count in zip(data["company"]["owners"], shares, strict=True):
            owner["shares"] = count
        memo = _memo(_write(tmp_path, data, f"b{shares[0]}.yaml"), "vastmanland")
        buy = next(s for s in _att(memo) if "tecknar" in s)
        same = shares[0] == shares[1]
        assert buy.endswith("fattar likalydande beslut," if same else "fattar motsvarande beslut,")


# --- the decisions each party takes in its own organisation ---------------------------------


def _load(*parts: str) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(
        EXAMPLE.parent.parent.joinpath(*parts).read_text(encoding="utf-8")
    )
    return loaded


@pytest.mark.parametrize("extra", [0, 3])
def test_the_delegating_styrelse_decides_its_delegation_for_its_own_part(
    tmp_path: Path, extra: int
) -> None:
    data = _with_parties(_example(), extra)
    params = _write(tmp_path, data)
    agreement = " ".join(texts(params)["samverkansavtal"].split())
    sats = (
        "att från och med den 1 januari 2027 uppdra åt de anställda hos Region Sörmland som "
        "anges i bilaga 2 till samverkansavtalet (Ram för delegation) att besluta på"
        " regionstyrelsens vägnar i de ärenden"
    )
    for party in ["sormland", "vastmanland", *[r[0] for r in EXTRA_REGIONS[:extra]]]:
        council, own = _decisions(_memo(params, party))
        name = data["parties"][[p["id"] for p in data["parties"]].index(party)]["name"]
        delegates = bool(
            re.search(f"[Hh]os {name} (är den delegerande nämnden )?regionstyrelsen", agreement)
        )
        assert delegates == (party != "sormland"), party
        assert (sats in own) == delegates, party
        assert sats not in council
        if delegates:
            assert "anmälas till regionstyrelsen" in own
            assert "under förutsättning att samverkansavtalet träder i kraft" in own


def test_a_delegating_nammd_other_than_the_styrelse_is_charged_with_the_delegation(
    tmp_path: Path,
) -> None:
    data = _example()
    data["delegation"]["delegating_body"]["vastmanland"] = "upphandlingsnämnden"
    council, own = _decisions(_memo(_write(tmp_path, data), "vastmanland"))
    assert (
        "att uppdra åt upphandlingsnämnden att före den 1 januari 2027 besluta om delegation"
        in (council)
    )
    assert "uppdra åt de anställda" not in own


def test_each_member_of_the_replaced_nammd_takes_over_only_its_own_matters(
    tmp_path: Path,
) -> None:
    data = _with_parties(_example(), 3)
    params = _write(tmp_path, data)
    sats = "att regionstyrelsen från och med den 1 januari 2027 tar över de ärenden hos "
    names = {"sormland": "Region Sörmland", "vastmanland": "Region Västmanland"}
    for party in ["sormland", "vastmanland", "uppsala"]:
        council, _ = _decisions(_memo(params, party))
        # A joining party had no matters in the old nämnd; a member takes over its own only.
        assert (sats in council) == (party in names), party
        for pid, name in names.items():
            # The host of the old nämnd also takes over the nämnd's own administration.
            admin = " eller nämndens egen förvaltning" if pid == "sormland" else ""
            own = (
                f"{sats}den gemensamma inköpsnämnden som avser {name}{admin} och som inte har"
                " avslutats"
            )
            assert (own in council) == (pid == party), (party, name)
        # Only the host of the old nämnd receives the decisions taken after its last meeting.
        assert ("sista sammanträde" in council) == (party == "sormland"), party
    del data["replaces"]
    council, _ = _decisions(_memo(_write(tmp_path, data, "ny.yaml"), "sormland"))
    assert sats not in council


def test_gemensam_namnd_members_elect_their_seats_in_a_separate_matter(tmp_path: Path) -> None:
    data = _load("inkop-sormland-vastmanland", "gemensam-namnd.yaml")
    data["committee"]["seats"] = [
        {"party": "sormland", "members": 3, "substitutes": 3},
        {"party": "vastmanland", "members": 1, "substitutes": 1},
    ]
    data["committee"].pop("quorum", None)
    params = _write(tmp_path, data)
    for party, words, order in [
        (
            "sormland",
            "tre ledamöter och tre ersättare",
            ", bestämma i vilken ordning ersättarna ska tjänstgöra och, sedan Region Västmanland"
            " har valt sin ledamot, bland nämndens ledamöter välja ordförande och vice ordförande"
            " enligt 15 och 16 §§ i reglementet, och att valen förrättas i särskilda ärenden",
        ),
        (
            "vastmanland",
            "en ledamot och en ersättare",
            # One substitute has no order in which to serve.
            ", och att valen förrättas i ett särskilt ärende",
        ),
    ]:
        council, _ = _decisions(_memo(params, party))
        assert f"att regionen ska välja {words} i Inköpsnämnden{order}" in council, party


def _forbund(tmp_path: Path, auditors: int, by: str = "members") -> tuple[Path, str]:
    data = _load("arkivforbund", "kommunalforbund.yaml")
    data["federation"]["auditors"] = auditors
    data["federation"]["auditors_elected_by"] = by
    params = _write(tmp_path, data, f"kf{auditors}.yaml")
    return params, " ".join(texts(params)["forbundsordning"].split())


@pytest.mark.parametrize(("auditors", "by"), [(3, "members"), (2, "host")])
def test_forbund_members_amend_their_rules_and_elect_what_the_forbundsordning_gives_them(
    tmp_path: Path, auditors: int, by: str
) -> None:
    params, ordning = _forbund(tmp_path, auditors, by)
    each = "Fullmäktige hos varje medlem väljer en revisor." in ordning
    by_host = "väljs av fullmäktige hos Åkerby kommun efter samråd" in ordning
    assert each != by_host
    for party, seats in [
        ("akerby", "två ledamöter och två ersättare"),
        ("norrvik", "en ledamot och en ersättare"),
    ]:
        council, _ = _decisions(_memo(params, party))
        assert (
            "att ändra reglementet för kommunstyrelsen och de andra reglementen och föreskrifter "
            "hos kommunen som avser de uppgifter som enligt förbundsordningen överlämnas till "
            "Arkivförbundet Mälarbygden, så att uppgifterna från och med den 1 januari 2027 inte "
            "längre ligger hos kommunstyrelsen"
        ) in council
        election = re.search(
            r"att kommunen ska välja (.*?)(?: och bestämma i vilken ordning ersättarna ska"
            r" tjänstgöra)?, och att valen förrättas i ett särskilt ärende",
            council,
        )
        assert election, party
        assert election.group(1).startswith(f"{seats} i förbundets direktion"), party
        elects_auditor = "revisor" in election.group(1)
        assert elects_auditor == (each or party == "akerby"), party
        # Only several substitutes serve in an order the council decides.
        ordered = "i vilken ordning ersättarna ska tjänstgöra" in election.group(0)
        assert ordered == (party == "akerby"), party


def test_forbund_contribution_is_the_founding_members_budget_proposal(tmp_path: Path) -> None:
    params, _ = _forbund(tmp_path, 3)
    memo = _memo(params, "norrvik")
    council, _ = _decisions(memo)
    sats = next(s for s in _att(memo) if "medlemsbidrag" in s)
    assert sats.startswith(
        "att för kommunens medlemsbidrag till Arkivförbundet Mälarbygden år 2027 anvisa högst "
    )
    assert (
        "enligt medlemmarnas gemensamma förslag till budget för förbundets första budgetår ska"
        in sats
    )
    # The proposal is the members' budget for the förbund's first budgetår, not its budget.
    assert not re.search(r"förbundets första budget\b", council)
    assert sats.endswith("fattar motsvarande beslut,")


def test_bolag_owners_found_the_company_and_elect_for_the_bolagsordning_term(
    tmp_path: Path,
) -> None:
    data = _load("it-bolag", "bolag.yaml")
    params = _write(tmp_path, data)
    ordning = " ".join(texts(params)["bolagsordning"].split())
    assert "till slutet av den årsstämma som följer närmast efter nästa val till fullmäktige" in (
        ordning
    )
    assert (
        "Styrelsens ordförande och vice ordförande utses bland ledamöterna genom likalydande"
        in (ordning)
    )
    memo = _memo(params, "vastmanland")
    council, _ = _decisions(memo)
    assert "förvärva" not in council
    assert (
        "att Region Västmanland tillsammans med Region Sörmland bildar Mälardalens Regioners IT AB "
        "och tecknar 500 aktier i bolaget"
    ) in council
    assert "underteckna stiftelseurkunden" in council
    board = next(s for s in _att(memo) if "i bolagets styrelse" in s)
    assert "för tiden intill slutet av den årsstämma som följer närmast efter nästa val till " in (
        board
    )
    assert (
        "att styrelsens ordförande och vice ordförande utses bland ledamöterna genom likalydande "
        "beslut av fullmäktige hos samtliga ägare"
    ) in council


@pytest.mark.parametrize("per_owner", [True, False])
def test_bolag_lay_auditor_condition_follows_who_appoints_it(
    tmp_path: Path, per_owner: bool
) -> None:
    data = _load("it-bolag", "bolag.yaml")
    data["company"]["lay_auditor_per_owner"] = per_owner
    for entry in data["matter"]["parties"]:
        entry["lay_auditors"] = ["Hans Holm"]
    sats = next(s for s in _att(_memo(_write(tmp_path, data), "vastmanland")) if "lekmann" in s)
    assert sats.endswith(
        "fattar motsvarande beslut," if per_owner else "fattar likalydande beslut,"
    )
