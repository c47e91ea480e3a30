"""The legal substance of the avtalssamverkan documents, read from their built text."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from avtal.check import lint
from avtal.project import load_project
from avtextra import add_parties, sentences, texts
from conftest import EXAMPLE


def agreement_and_annexes(path: Path = EXAMPLE) -> tuple[str, str]:
    """The agreement's own text and the text of its annexes."""
    text = texts(path)["samverkansavtal"]
    body, _, annexes = text.partition("\n## Bilaga 1")
    return body, "## Bilaga 1" + annexes


# --- Delegation (9 kap. 37 §, 7 kap. 5–8 §§) -------------------------------------------------


def test_the_annex_is_the_frame_for_the_nämnds_own_decision() -> None:
    body, annexes = agreement_and_annexes()
    delegation = annexes.partition("## Bilaga 2")[2]
    assert "Ram för delegation" in delegation.split("\n")[0]
    assert "vägnar i följande ärenden" not in delegation
    assert "Bilagan innebär inte i sig någon delegation" in delegation
    assert "ram för nämndens eget beslut om delegation, som ska fattas före den 1 januari 2027" in (
        delegation
    )
    assert "Hos Region Västmanland är den delegerande nämnden regionstyrelsen." in body
    assert "beslut om delegation enligt 7 kap. 5 § kommunallagen" in body
    # Onward delegation across parties is the parties' assessment, not settled law.
    assert "Det är inte klarlagt om en anställd hos en annan kommun eller region" in body
    assert "| Region Sörmlands inköpschef |" in delegation


def test_decisions_are_reported_to_the_delegating_nämnd_once() -> None:
    full = texts(EXAMPLE)["samverkansavtal"]
    text = (
        titled(full, "Delegation och anmälan av delegationsbeslut")
        + full.partition("## Bilaga 2")[2]
    )
    receivers = [
        s.split(" anmälas till ", 1)[1]
        for s in sentences(text)
        if " anmälas till " in s or " anmäls till " in s
    ]
    assert receivers == ["den delegerande nämnden, som bestämmer i vilken ordning det ska ske."]
    assert "anmälas till styrelsen" not in text


def test_three_parties_name_each_delegating_nämnd(write_params: Callable[..., Path]) -> None:
    def change(d: dict[str, Any]) -> None:
        add_parties(d, 1)
        d["delegation"]["delegating_body"]["uppsala"] = "hälso- och sjukvårdsnämnden"
        d["delegation"]["copies_for_information"] = True

    body = titled(
        agreement_and_annexes(write_params(change))[0],
        "Delegation och anmälan av delegationsbeslut",
    )
    assert (
        "Den delegerande nämnden är hos Region Västmanland regionstyrelsen och hos Region Uppsala "
        "hälso- och sjukvårdsnämnden." in body
    )
    assert "för kännedom till övriga Parter" in body
    assert "innebär inte att besluten anmäls där" in body
    assert not re.search(r"anmälas till (?!den delegerande nämnden)", body)


# --- Transition, termination, amendment, public documents, procurement ---------------------


def section(text: str, number: int) -> str:
    """The text of numbered section ``number`` of an agreement."""
    match = re.search(rf"^## {number}\. .*?(?=^## )", text, re.S | re.M)
    assert match, number
    return match.group(0)


def titled(text: str, title: str) -> str:
    """The text of the section with ``title``."""
    match = re.search(rf"^## \d+\. {title}\n.*?(?=^## )", text, re.S | re.M)
    assert match, title
    return match.group(0)


def test_transition_from_the_replaced_nämnd_is_complete() -> None:
    text = texts(EXAMPLE)["samverkansavtal"]
    overgang = titled(text, "Övergång från den tidigare nämnden")
    for needle in (
        "upphör vid utgången av den 31 december 2026 genom beslut av regionfullmäktige i "
        "Region Sörmland",
        "Upphandlingar som den tidigare nämnden har påbörjat men inte avslutat",
        "tilldelningsbeslut",
        "mål om överprövning där den tidigare nämnden är part",
        "Kontrakt och ramavtal där den tidigare nämnden anges som part",
        "Den tidigare nämndens delegationsordning upphör att gälla",
        "ska gälla från och med den 1 januari 2027",
        "Bokslut för den tidigare nämnden för 2026",
        "slutavräkningen",
        "granskas av revisorerna hos var och en av de Parter som samverkade i nämnden",
        "beslutar om ansvarsfrihet för nämndens ledamöter",
        "9 kap. 34 och 35 §§ kommunallagen",
        "Den tidigare nämndens handlingar tas om hand av regionstyrelsen i Region Sörmland",
    ):
        assert needle in overgang, needle


def test_after_termination_procurements_contracts_and_data() -> None:
    text = texts(EXAMPLE)["samverkansavtal"]
    avtalstid = titled(text, "Avtalstid, uppsägning och avveckling")
    assert "avtalsspärren har löpt ut och, om upphandlingen har överprövats, målet" in avtalstid
    assert "förvaltar och följer varje Part själv upp de kontrakt och ramavtal" in avtalstid
    assert "systemet för elektronisk upphandling" in avtalstid
    assert "förteckning över gällande kontrakt och ramavtal" in avtalstid


def test_termination_and_amendment_at_fullmäktige_level() -> None:
    text = texts(EXAMPLE)["samverkansavtal"]
    assert "behörigt organ hos den Part som säger upp" not in text
    avtalstid = titled(text, "Avtalstid, uppsägning och avveckling")
    assert "grundas på ett beslut av fullmäktige hos den Part som säger upp Avtalet" in avtalstid
    andringar = titled(text, "Ändringar och tillägg")
    assert "beslutas av fullmäktige hos varje Part (5 kap. 1 § kommunallagen" in andringar
    assert "Avtalet är villkorat av att fullmäktige hos varje Part godkänner det." in andringar


def test_commissioning_party_can_register_and_decide_on_disclosure() -> None:
    text = texts(EXAMPLE)["samverkansavtal"]
    handlingar = titled(text, "Allmänna handlingar, sekretess och arkiv")
    assert "Parterna konstaterar att det inte är klarlagt hos vilken Part ett beslut" in handlingar
    assert "registrera sådana beslut och sådan dokumentation i den Partens diarium" in handlingar
    assert "dokumentera upphandlingen enligt 12 kap. 14 §" in handlingar


def test_procurement_contribution_of_each_party_and_one_open_market_statement() -> None:
    text = texts(EXAMPLE)["samverkansavtal"]
    upphandling = titled(text, "Upphandlingsrättsliga förutsättningar")
    assert "C-429/19" in upphandling
    assert "- Region Sörmland: utför Verksamheten med egen personal" in upphandling
    assert "- Region Västmanland: deltar med egna företrädare" in upphandling
    # The facts (no activity on the open market) and the condition (under 20 per cent) agree.
    assert "ingen av parterna utför verksamheten på den öppna marknaden" not in upphandling
    assert "Ingen av Parterna utför den verksamhet som samverkan avser på den öppna marknaden" in (
        upphandling
    )
    assert "Parterna tillsammans utför mindre än 20 procent" in upphandling


# --- Equal influence and costs --------------------------------------------------------------


def test_equal_influence_joint_policy_rotating_chair_budget_shares() -> None:
    text = texts(EXAMPLE)["samverkansavtal"]
    styrning = titled(text, "Styrning och ledning")
    assert "antas genom likalydande beslut av fullmäktige hos varje Part" in styrning
    assert "får inte delegeras (6 kap. 38 § 1 kommunallagen)" in styrning
    assert "För Verksamheten gäller Region Sörmlands policyer" not in styrning
    assert "Ordförandeskapet i Inköpsrådet växlar mellan Parterna för ett kalenderår i taget" in (
        styrning
    )
    assert "utses bland de ledamöter som företräder Region Sörmland" not in styrning
    kostnader = titled(text, "Ekonomi och kostnadsfördelning")
    assert "Därefter godkänner varje Part sin andel av budgeten" in kostnader
    ordning = texts(EXAMPLE)["arbetsordning"]
    assert "Ordförandeskapet växlar mellan Parterna" in ordning


def test_host_policies_leave_each_party_its_own_goals(write_params: Callable[..., Path]) -> None:
    def change(d: dict[str, Any]) -> None:
        d["governance"]["policies"] = "host"
        d["governance"]["steering_council"]["chair_rotates"] = False

    styrning = titled(texts(write_params(change))["samverkansavtal"], "Styrning och ledning")
    assert "För hur Utförande part genomför upphandlingar och inköp inom Verksamheten gäller " in (
        styrning
    )
    assert "Varje Uppdragsgivande part beslutar själv om mål och inriktning för sina inköp" in (
        styrning
    )
    assert "ska förslaget beredas i Inköpsrådet och Region Västmanland ges tillfälle" in styrning
    assert "Ordföranden i Inköpsrådet utses bland de ledamöter som företräder Region Sörmland" in (
        styrning
    )


def test_equal_shares_and_attributable_costs_are_not_counted_twice() -> None:
    text = texts(EXAMPLE)["samverkansavtal"]
    kostnader = titled(text, "Ekonomi och kostnadsfördelning")
    assert "Verksamhetens gemensamma kostnader fördelas lika mellan Parterna." in kostnader
    assert "Region Sörmland 50,00 procent och Region Västmanland 50,00 procent" in kostnader
    assert "Andelarna avser endast de gemensamma kostnaderna." in kostnader
    assert "52 procent" not in kostnader
    bakgrund = titled(text, "Bakgrund och syfte")
    assert "cirka 52 procent för Region Sörmland och 48 procent för Region Västmanland" in bakgrund
    annex = text.partition("## Bilaga 1")[2].partition("## Bilaga 2")[0]
    assert "| Summa | 100,00 procent | 40 000 000 kronor |" in annex
    assert "bär Region Västmanland för året 20 000 000 kronor i andel av de gemensamma" in annex
    assert "sammanlagt 20 400 000 kronor. Region Sörmlands kostnader påverkas inte." in annex


def test_fixed_key_with_direct_costs_covers_joint_costs_only(
    write_params: Callable[..., Path],
) -> None:
    def change(d: dict[str, Any]) -> None:
        d["costs"].update(model="fixed", shares={"sormland": "12.4", "vastmanland": "87.6"})

    text = texts(write_params(change))["samverkansavtal"]
    kostnader = titled(text, "Ekonomi och kostnadsfördelning")
    assert (
        "Verksamhetens gemensamma kostnader fördelas mellan Parterna med fasta andelar. Andelarna "
        "är Region Sörmland 12,40 procent och Region Västmanland 87,60 procent. Andelarna avser "
        "endast de gemensamma kostnaderna." in kostnader
    )
    assert "| Region Sörmland | 12,40 procent | 4 960 000 kronor |" in text


# --- Language for any number of parties ---------------------------------------------------


def paragraph(text: str, label: str) -> str:
    """The paragraph numbered ``label`` (e.g. "9.1"), up to the next numbered paragraph."""
    match = re.search(rf"^{re.escape(label)} (.*?)(?=^\d+\.\d+ |^## )", text, re.S | re.M)
    assert match, label
    return match.group(1)


def test_two_parties_name_the_other_party() -> None:
    for name, text in texts(EXAMPLE).items():
        assert not re.search(r"övriga Parter|tre eller fler", text), name
    agreement = texts(EXAMPLE)["samverkansavtal"]
    assert "helt eller delvis åt Region Västmanland." in agreement
    assert "ingår i Verksamheten åt Region Västmanland." in agreement
    assert "samråda med Region Västmanland om budget" in agreement
    assert "Region Sörmlands kostnader påverkas inte." in agreement


def test_three_and_five_parties_read_right(write_params: Callable[..., Path]) -> None:
    for extra in (1, 3):
        path = write_params(lambda d, n=extra: add_parties(d, n), name=f"p{extra}.yaml")
        for name, text in texts(path).items():
            for wrong in ("den andra Parten", "den andra Partens", "båda", "bägge"):
                assert wrong not in text, (extra, name, wrong)
        agreement = texts(path)["samverkansavtal"]
        assert "helt eller delvis åt övriga Parter." in agreement
        assert "samråda med övriga Parter om budget" in agreement
        assert "Övriga Parters kostnader påverkas inte." in agreement
        assert f"upprättats i {['tre', 'fem'][extra // 2]} likalydande exemplar" in agreement


def test_definite_forms_of_positions() -> None:
    built = texts(EXAMPLE)
    assert "Till Inköpsrådet adjungeras Region Sörmlands inköpschef." in built["samverkansavtal"]
    assert "adjungeras inköpschef" not in built["samverkansavtal"]
    assert "Region Sörmlands inköpschef adjungerad" in built["arbetsordning"]
    assert "- Region Sörmlands regiondirektör och ekonomidirektör," in built["arbetsordning"]


def test_arbetsordning_is_a_numbered_annex_with_the_same_number() -> None:
    built = texts(EXAMPLE)
    agreement = built["samverkansavtal"]
    number = re.search(r"^## Bilaga (\d+) – Arbetsordning$", agreement, re.M)
    assert number
    assert f"som bifogas Avtalet som bilaga {number.group(1)} men inte ingår i det" in agreement
    assert built["arbetsordning"].split("\n")[2] == (
        f"Bilaga {number.group(1)} till samverkansavtal om inköpsverksamheten"
    )


def test_cross_references_point_to_the_paragraph_that_holds_it() -> None:
    text = texts(EXAMPLE)["samverkansavtal"]
    # (the referring words, the section that holds the point, what the point says)
    refs = (
        (
            "Kostnader för överprövning",
            "Upphandlingsrättsliga förutsättningar",
            "mål om överprövning",
        ),
        (
            "när Avtalet upphör framgår av",
            "Avtalstid, uppsägning och avveckling",
            "Avtalet fortsätter att gälla för upphandlingar",
        ),
        (
            "bärs av Parterna enligt den kostnadsfördelning",
            "Ekonomi och kostnadsfördelning",
            "Verksamhetens gemensamma kostnader fördelas",
        ),
        ("de styrdokument som gäller enligt", "Styrning och ledning", "upphandlingspolicy"),
        (
            "med samma andelar och regleras enligt",
            "Ekonomi och kostnadsfördelning",
            "stämma av Verksamhetens faktiska kostnader",
        ),
    )
    for sentence, title, held in refs:
        target = re.compile(r"punkt (\d+\.\d+)").search(text, text.index(sentence))
        assert target, sentence
        assert held in paragraph(text, target.group(1)), (sentence, target.group(1))
        assert f"\n{target.group(1)} " in titled(text, title), (sentence, title)


def test_one_rule_for_counts_in_words(write_params: Callable[..., Path]) -> None:
    def change(d: dict[str, Any]) -> None:
        d["insight"]["quarterly_reports"]["deadline_days"] = 10
        d["costs"]["payment_days"] = 12

    text = texts(write_params(change))["samverkansavtal"]
    assert "senast tio dagar efter kvartalets utgång" in text
    assert "Betalning ska ske inom tolv dagar från fakturadatum." in text
    assert "senast 45 dagar efter kvartalets utgång" in texts(EXAMPLE)["samverkansavtal"]


# --- Checks that read what the agreement says -------------------------------------------------


def own_clause(root: Path, area: str, cid: str, body: str, params: str = "") -> Path:
    """A clause of the user's own folder that replaces ``cid``."""
    (root / area).mkdir(parents=True, exist_ok=True)
    path = root / area / f"{cid.replace('.', '_')}.md"
    path.write_text(
        f"---\nid: {cid}\ntitle: Egen\nversion: 9.0.0\narea: {area}\nforms: [avtalssamverkan]\n"
        f"parameters: [{params}]\n---\n{body}\n",
        encoding="utf-8",
    )
    return path


def line_in(path: Path, needle: str) -> int:
    return next(
        n for n, t in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if needle in t
    )


def rule_ids(params: Path, *clause_dirs: Path) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for finding in lint(load_project(params, list(clause_dirs))).findings:
        found.setdefault(finding.rule, []).append(str(finding))
    return found


def test_the_example_gives_no_finding() -> None:
    assert rule_ids(EXAMPLE) == {}


DELEGATION_PARAMS = (
    "delegation.report_frequency, delegation.delegating_body, delegation.copies_for_information"
)


def test_reports_to_every_styrelse_are_not_to_the_delegating_nämnd(
    write_params: Callable[..., Path], tmp_path: Path
) -> None:
    root = tmp_path / "egna"
    clause = own_clause(
        root,
        "delegation",
        "avtalssamverkan.delegation",
        "{#delegerande} Avtalet innebär inte i sig någon delegation.\n\n"
        "{#vidare} För uppdragen gäller 7 kap. 4–8 §§ kommunallagen.\n\n"
        "{#anmalan} Beslut som har fattats med stöd av delegation ska enligt 7 kap. 8 § "
        "kommunallagen anmälas till styrelsen hos varje Part.",
        DELEGATION_PARAMS,
    )
    found = rule_ids(write_params(), root)
    assert list(found) == ["KL-ANMALAN-NAMND"]
    assert found["KL-ANMALAN-NAMND"] == [
        f"KL-ANMALAN-NAMND error {clause}:{line_in(clause, '{#anmalan}')} "
        "delegated decisions are reported to 'styrelsen hos "
        "varje Part', not to the nämnd that delegated them: 'Beslut som har fattats med stöd av "
        "delegation ska enligt 7 kap. 8 § kommunallagen anmälas till styrelsen hos varje Part.' "
        "(7 kap. 8 § kommunallagen (2017:725))"
    ]


def test_reports_named_twice_with_different_receivers(
    write_params: Callable[..., Path], tmp_path: Path
) -> None:
    root = tmp_path / "egna"
    clause = own_clause(
        root,
        "bilaga",
        "avtalssamverkan.bilaga.delegation",
        "Beslut enligt bilagan ska anmälas till regionstyrelsen i Region Västmanland.",
        "delegation.matters",
    )
    found = rule_ids(write_params(), root)
    assert list(found) == ["KL-ANMALAN-ENHETLIG"]
    assert found["KL-ANMALAN-ENHETLIG"][0].startswith(
        f"KL-ANMALAN-ENHETLIG error {clause}:{line_in(clause, 'anmälas')} "
        "delegated decisions are reported to "
        "'regionstyrelsen i Region Västmanland' here but to 'den delegerande nämnden' elsewhere"
    )


def test_entry_into_force_without_every_fullmäktige(
    write_params: Callable[..., Path], tmp_path: Path
) -> None:
    root = tmp_path / "egna"
    clause = own_clause(
        root,
        "andringar",
        "avtalssamverkan.andringar",
        "{#fullmaktige} Ändringar i Avtalet beslutas av fullmäktige hos varje Part.\n\n"
        "{#arbetsordning} Arbetsordningen antas av styrelsen hos varje Part.\n\n"
        "Avtalet träder i kraft när det har undertecknats av Parterna.",
    )
    found = rule_ids(write_params(), root)
    assert list(found) == ["KL-IKRAFT"]
    assert found["KL-IKRAFT"] == [
        f"KL-IKRAFT error {clause}:{line_in(clause, 'träder i kraft')} "
        "entry into force is not conditional on the approval of "
        "every party's fullmäktige: 'Avtalet träder i kraft när det har undertecknats av "
        "Parterna.' (5 kap. 1 § och 9 kap. 37 § kommunallagen (2017:725))"
    ]


def test_termination_by_behörigt_organ(write_params: Callable[..., Path], tmp_path: Path) -> None:
    root = tmp_path / "egna"
    clause = own_clause(
        root,
        "avtalstid",
        "avtalssamverkan.avtalstid",
        "Avtalet gäller från och med den {{ term.start | datum }}.\n\n"
        "En uppsägning ska föregås av beslut av behörigt organ hos den Part som säger upp "
        "Avtalet.\n\n{#avveckling} När Avtalet upphör ska Verksamheten avvecklas.",
        "term.start, term.end, term.notice_months, term.renewal_years",
    )
    found = rule_ids(write_params(), root)
    assert list(found) == ["KL-FULLMAKTIGE"]
    assert found["KL-FULLMAKTIGE"] == [
        f"KL-FULLMAKTIGE error {clause}:{line_in(clause, 'En uppsägning')} "
        "termination is not decided by fullmäktige: 'En "
        "uppsägning ska föregås av beslut av behörigt organ hos den Part som säger upp "
        "Avtalet.' (5 kap. 1 § kommunallagen (2017:725))"
    ]


def test_transition_clause_that_says_too_little(
    write_params: Callable[..., Path], tmp_path: Path
) -> None:
    root = tmp_path / "egna"
    clause = own_clause(
        root,
        "overgang",
        "avtalssamverkan.overgang",
        "Samverkan enligt Avtalet ersätter {{ replaces.name }}. Var och en av Parterna ska "
        "besluta att {{ replaces.reglemente }} upphör att gälla.",
        "replaces.name, replaces.reglemente, replaces.host",
    )
    found = rule_ids(write_params(lambda d: d["replaces"].pop("members")), root)
    assert list(found) == ["KL-OVERGANG"]
    assert found["KL-OVERGANG"] == [
        f"KL-OVERGANG error {clause}:{line_in(clause, 'Samverkan enligt')} "
        "the transition from den gemensamma inköpsnämnden does not "
        "deal with ongoing procurements, award decisions, review proceedings (överprövning), "
        "contracts and framework agreements that name it, its delegation ordinance and the new "
        "delegation decisions, closing accounts and settlement of its last year, audit of its "
        "last year by every party's auditors, discharge by every fullmäktige, its archive "
        "(9 kap. 34 och 35 §§ kommunallagen (2017:725))"
    ]


def test_no_insight_for_the_other_parties_auditors(write_params: Callable[..., Path]) -> None:
    path = write_params(lambda d: d["audit"].update(other_party_access=False))
    found = rule_ids(path)
    assert list(found) == ["KL-REVISION-INSYN"]
    line = next(
        n
        for n, t in enumerate(path.read_text(encoding="utf-8").split("\n"), 1)
        if "other_party_access: false" in t
    )
    assert found["KL-REVISION-INSYN"] == [
        f"KL-REVISION-INSYN warning {path}:{line} no clause gives the other parties' auditors "
        "insight into the activity (9 kap. 37 § och 12 kap. kommunallagen (2017:725))"
    ]
