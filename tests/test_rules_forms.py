"""Rules for parties, kommunalförbund, bolag and the number of parties: each wrong input gives
exactly its rule, pointing at where the words were written."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from avtal.check import RULES, lint
from avtal.cli import main
from avtal.project import load_project
from conftest import ROOT
from test_rules_gn import GN, copy_clause, findings, line_of, rule_ids, variant

KF = ROOT / "examples" / "arkivforbund" / "kommunalforbund.yaml"
BOLAG = ROOT / "examples" / "it-bolag" / "bolag.yaml"
AVT = ROOT / "examples" / "inkop-sormland-vastmanland" / "avtalssamverkan.yaml"
EXAMPLES = [AVT, GN, KF, BOLAG]


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda p: p.stem)
def test_every_example_has_no_finding(example: Path) -> None:
    assert findings(example) == []


def test_at_least_forty_rules_each_documented_in_the_readme() -> None:
    assert len(RULES) >= 48
    ids = [r.id for r in RULES]
    assert len(ids) == len(set(ids))
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = readme.split("## Checks", 1)[1].split("\n## ", 1)[0]
    for rule_id in ids:
        assert f"`{rule_id}`" in table, rule_id
    listed = set(re.findall(r"`([A-Z]+(?:-[A-Z]+)+)`", table)) - {"RULE-ID"}
    assert listed <= set(ids)


def test_rules_as_json() -> None:
    result = CliRunner().invoke(main, ["rules", "--format", "json"])
    assert result.exit_code == 0, result.output
    data = json.loads(result.output)
    assert [r["id"] for r in data] == [r.id for r in RULES]
    first = data[0]
    assert set(first) == {"id", "severity", "citation", "explanation", "forms"}
    by_id = {r["id"]: r for r in data}
    assert by_id["GN-PRESIDIUM"]["forms"] == ["gemensam_namnd"]
    assert by_id["KL-ORGNR"]["forms"] == []


# --- Parties ------------------------------------------------------------------------------------


def test_company_entered_as_kommun(tmp_path: Path) -> None:
    params = variant(
        tmp_path,
        "    org_number: 212000-9010\n    kind: kommun",
        "    org_number: 556123-4567\n    kind: kommun",
        source=KF,
    )
    found = findings(params)
    assert found == [
        f"KL-ORGNR error {params}:{line_of(params, '556123-4567') + 1} parties[1]: Norrviks kommun "
        "is entered as kind: kommun, but 556123-4567 is the number of a bolag (kommuner have "
        "212000-…) (lagen (1974:174) om identitetsbeteckning för juridiska personer m.fl.)"
    ]


def test_region_with_a_kommun_number(tmp_path: Path) -> None:
    params = variant(tmp_path, "org_number: 232100-0172", "org_number: 212000-0175")
    assert rule_ids(findings(params)) == {"KL-ORGNR"}


# --- Kommunalförbund ----------------------------------------------------------------------------


def test_forbund_without_a_styrelse(tmp_path: Path) -> None:
    path = copy_clause(
        tmp_path / "egna",
        "forbund/organisation.md",
        lambda t: t.replace(
            "Förbundet ska enligt 9 kap. 5 § kommunallagen (2017:725) ha en styrelse, och "
            "direktionen är förbundets styrelse.",
            "Förbundet ska inte ha någon styrelse.",
        ),
    )
    found = findings(KF, tmp_path / "egna")
    assert rule_ids(found) == {"KF-STYRELSE"}
    assert found[0] == (
        f"KF-STYRELSE error {path}:{line_of(path, 'inte ha någon styrelse')} says the förbund has "
        "no styrelse: 'Förbundet ska inte ha någon styrelse.' (9 kap. 5 § kommunallagen "
        "(2017:725))"
    )
    assert found[1].startswith(f"KF-STYRELSE error {ROOT / 'templates' / 'forbundsordning.yaml'}:1")


def test_forbund_deficit_limited(tmp_path: Path) -> None:
    path = copy_clause(
        tmp_path / "egna",
        "forbund/andelar.md",
        lambda t: t.replace(
            "täcka ett underskott i förbundets verksamhet i förhållande till sina andelar.",
            "täcka ett underskott i förbundets verksamhet med högst 100 000 kronor var.",
        ),
    )
    found = findings(KF, tmp_path / "egna")
    assert rule_ids(found) == {"KF-UNDERSKOTT"}
    assert found[0].startswith(f"KF-UNDERSKOTT error {path}:{line_of(path, 'högst 100 000')} ")
    assert "limits the members' duty to cover a deficit" in found[0]


# --- Bolag --------------------------------------------------------------------------------------


def test_object_wider_than_the_purpose_in_the_parameters(tmp_path: Path) -> None:
    params = variant(
        tmp_path,
        "    och Region Västmanland\n  purpose:",
        "    och Region Västmanland samt bedriva därmed förenlig verksamhet\n  purpose:",
        source=BOLAG,
    )
    found = findings(params)
    assert rule_ids(found) == {"BOLAG-FORENLIG"}
    assert found[0].startswith(f"BOLAG-FORENLIG error {params}:{line_of(params, 'object:')} ")


def test_object_wider_than_the_purpose_in_a_clause(tmp_path: Path) -> None:
    path = copy_clause(
        tmp_path / "egna",
        "bolagsordning/verksamhet.md",
        lambda t: t.replace(
            "{{ company.object }}.",
            "{{ company.object }} och annan därmed sammanhängande verksamhet.",
        ),
    )
    found = findings(BOLAG, tmp_path / "egna")
    assert [f.split(" ", 3)[:3] for f in found] == [
        ["BOLAG-FORENLIG", "error", f"{path}:{line_of(path, 'sammanhängande')}"]
    ]


def test_in_house_needs_every_owner_on_the_board(tmp_path: Path) -> None:
    params = variant(
        tmp_path,
        "{party: vastmanland, shares: 500, board_seats: 3}",
        "{party: vastmanland, shares: 500, board_seats: 0}",
        source=BOLAG,
    )
    params = variant(
        tmp_path, "  board_min: 6\n  board_max: 6", "  board_min: 3\n  board_max: 3", source=params
    )
    found = [f for f in findings(params) if f.startswith("BOLAG-INHOUSE")]
    assert found == [
        f"BOLAG-INHOUSE error {params}:{line_of(params, 'board_seats: 0')} "
        "company.owners[1].board_seats: vastmanland has no seat on the board, so the owners do not "
        "control the company jointly (3 kap. 11–16 §§ lagen (2016:1145) om offentlig upphandling)"
    ]


def test_in_house_share_and_wording(tmp_path: Path) -> None:
    params = variant(
        tmp_path,
        "  exit_notice_months: 24",
        "  exit_notice_months: 24\n  outside_share_max: 25",
        source=BOLAG,
    )
    found = findings(params)
    assert rule_ids(found) == {"BOLAG-INHOUSE"}
    assert found[0].startswith(f"BOLAG-INHOUSE error {params}:{line_of(params, 'outside_share')} ")
    path = copy_clause(
        tmp_path / "egna",
        "agardirektiv/upphandling.md",
        lambda t: t.replace("bolaget utför mer än 80 procent", "bolaget utför minst 80 procent"),
    )
    found = findings(BOLAG, tmp_path / "egna")
    assert [f.split(" ", 3)[:3] for f in found] == [
        ["BOLAG-INHOUSE", "error", f"{path}:{line_of(path, 'minst 80 procent')}"]
    ]


def test_in_house_clause_is_required(tmp_path: Path) -> None:
    root = tmp_path / "egna"
    root.mkdir()
    definition = (ROOT / "templates" / "agardirektiv.yaml").read_text(encoding="utf-8")
    (root / "agardirektiv.yaml").write_text(
        definition.replace("  - clause: bolag.ad.upphandling\n    when: company.in_house\n", ""),
        encoding="utf-8",
    )
    found = findings(BOLAG, root)
    assert found == [
        f"BOLAG-INHOUSE error {root / 'agardirektiv.yaml'}:1 no clause states the in-house basis "
        "of the owners' purchases from the company (3 kap. 11–16 §§ lagen (2016:1145) om "
        "offentlig upphandling)"
    ]
    # Without purchases in-house, no such clause is needed.
    params = variant(
        tmp_path,
        "  exit_notice_months: 24",
        "  exit_notice_months: 24\n  in_house: false",
        source=BOLAG,
    )
    assert findings(params, root) == []
    assert "3 kap. 11–16 §§" not in "\n".join(
        s.heading for d in load_project(params).documents for s in d.sections
    )


def test_yearly_review_every_other_year(tmp_path: Path) -> None:
    path = copy_clause(
        tmp_path / "egna",
        "agardirektiv/uppsikt.md",
        lambda t: t.replace("varje år pröva", "vartannat år pröva"),
    )
    found = findings(BOLAG, tmp_path / "egna")
    assert rule_ids(found) == {"BOLAG-PROVNING"}
    assert found[0].startswith(f"BOLAG-PROVNING error {path}:{line_of(path, 'vartannat år')} ")


def test_no_lay_auditor(tmp_path: Path) -> None:
    path = copy_clause(
        tmp_path / "egna",
        "bolagsordning/revisorer.md",
        lambda t: (
            t.split("{% if company.lay_auditor_per_owner %}")[0]
            + "Bolaget ska inte ha någon lekmannarevisor.\n"
        ),
    )
    found = findings(BOLAG, tmp_path / "egna")
    assert rule_ids(found) == {"BOLAG-LEKMANNAREVISOR"}
    assert found[0].startswith(
        f"BOLAG-LEKMANNAREVISOR error {path}:{line_of(path, 'någon lekmannarevisor')} "
    )


def test_processor_agreement_required(tmp_path: Path) -> None:
    path = copy_clause(
        tmp_path / "egna",
        "personuppgifter/bolag.md",
        lambda t: t.replace(
            "Bolaget ska ingå ett personuppgiftsbiträdesavtal enligt artikel 28 i "
            "dataskyddsförordningen med den personuppgiftsansvarige innan bolaget börjar "
            "behandla personuppgifter för dennes räkning.",
            "Något personuppgiftsbiträdesavtal behöver inte ingås.",
        ),
    )
    found = findings(BOLAG, tmp_path / "egna")
    assert rule_ids(found) == {"BOLAG-PUB"}
    assert found[0].startswith(f"BOLAG-PUB error {path}:{line_of(path, 'behöver inte')} ")


def test_agreed_secrecy(tmp_path: Path) -> None:
    path = copy_clause(
        tmp_path / "egna",
        "aktieagaravtal/sekretess_insyn.md",
        lambda t: t.rstrip() + "\n\nParterna ska hålla Avtalets innehåll hemligt.\n",
    )
    found = findings(BOLAG, tmp_path / "egna")
    assert [f.split(" ", 3)[:3] for f in found] == [
        ["DATA-SEKRETESS", "error", f"{path}:{line_of(path, 'hemligt')}"]
    ]


# --- The number of parties ----------------------------------------------------------------------

THIRD_GN = """  - id: orebro
    name: Region Örebro län
    org_number: 232100-0164
    kind: region
    seat: Örebro
    signatory:
      name: Namn Efternamn
      title: regionstyrelsens ordförande

term:"""


def gn_with_three(tmp_path: Path) -> Path:
    params = variant(tmp_path, "\nterm:", "\n" + THIRD_GN)
    params = variant(
        tmp_path,
        "    - party: vastmanland\n      members: 3\n      substitutes: 3",
        "    - party: vastmanland\n      members: 3\n      substitutes: 3\n"
        "    - party: orebro\n      members: 1\n      substitutes: 1",
        source=params,
    )
    text = params.read_text(encoding="utf-8").replace("båda regionernas", "regionernas")
    text = text.replace("båda regionerna", "regionerna")
    params.write_text(text, encoding="utf-8")
    return params


def test_two_party_words_with_three_parties_point_at_the_parameter(tmp_path: Path) -> None:
    params = variant(tmp_path, "\nterm:", "\n" + THIRD_GN)
    params = variant(
        tmp_path,
        "    - party: vastmanland\n      members: 3\n      substitutes: 3",
        "    - party: vastmanland\n      members: 3\n      substitutes: 3\n"
        "    - party: orebro\n      members: 1\n      substitutes: 1",
        source=params,
    )
    found = findings(params)
    assert rule_ids(found) == {"UTK-PARTSANTAL"}
    lines = {int(f.split(" ")[2].rsplit(":", 1)[1]) for f in found}
    scope = line_of(params, "  scope:")
    assert lines <= set(range(scope, scope + 6)) | {line_of(params, "justification:")}
    assert any("3 parties, but the text says 'båda regionernas'" in f for f in found)


def test_gemensam_namnd_with_a_third_party_reads_right(tmp_path: Path) -> None:
    params = gn_with_three(tmp_path)
    project = load_project(params)
    assert lint(project).findings == ()
    agreement = "\n".join(s.heading + "\n" + repr(s.blocks) for s in project.documents[0].sections)
    assert "tre likalydande exemplar" in agreement
    assert "övriga Parter" in agreement
    assert "den andra Parten" not in agreement
    assert "Region Västmanland" in agreement


def test_gemensam_namnd_two_parties_name_the_other(tmp_path: Path) -> None:
    project = load_project(GN)
    from avtal.check.base import Ctx

    text = Ctx(project).all_text
    assert "efter samråd med Region Västmanland" in text
    assert "fakturera Region Västmanland" in text
    assert "anställer en chef för Verksamheten ska Värdparten informera Region Västmanland" in text
    assert "övriga Parter" not in text
    assert "övriga parterna" not in text


def test_two_party_wording_is_a_warning(tmp_path: Path) -> None:
    path = copy_clause(
        tmp_path / "egna",
        "personal/gemensam_namnd.md",
        lambda t: t.replace(
            '{{ partners[0].name if partners | length == 1 else "övriga Parter" }}',
            "övriga Parter",
        ),
    )
    found = findings(GN, tmp_path / "egna")
    assert [f.split(" ", 3)[:3] for f in found] == [
        ["UTK-TVA-PARTER", "warning", f"{path}:{line_of(path, 'informera övriga Parter')}"]
    ]


def test_forbund_with_two_members_reads_right(tmp_path: Path) -> None:
    text = KF.read_text(encoding="utf-8")
    text = text.replace(
        "  - id: sjohamn\n    name: Sjöhamns kommun\n    org_number: 212000-9028\n"
        "    kind: kommun\n    seat: Sjöhamn\n"
        "    signatory: {name: Namn Efternamn, title: kommunstyrelsens ordförande}\n",
        "",
    )
    text = text.replace("    - {party: sjohamn, members: 1, substitutes: 1}\n", "")
    text = text.replace(", sjohamn: 14500}", "}").replace("  auditors: 3", "  auditors: 2")
    text = text.split("\n# Council matters")[0] + "\n"  # the matter names the third member
    params = tmp_path / "kf.yaml"
    params.write_text(text, encoding="utf-8")
    project = load_project(params)
    assert lint(project).findings == ()
    from avtal.check.base import Ctx

    body = Ctx(project).all_text
    assert "övriga medlemmar" not in body
    assert "den andra medlemmen" in body
    assert "Om en medlem träder ut" in body
    assert "en eller båda medlemmarna" in body
    assert "Om minst två medlemmar återstår" not in body


def test_bolag_with_a_third_owner_reads_right(tmp_path: Path) -> None:
    text = BOLAG.read_text(encoding="utf-8")
    text = text.replace(
        "\nterm:",
        "\n  - id: orebro\n    name: Region Örebro län\n    org_number: 232100-0164\n"
        "    kind: region\n    seat: Örebro\n"
        "    signatory: {name: Namn Efternamn, title: regionstyrelsens ordförande}\n\nterm:",
    )
    text = text.replace(
        "    - {party: vastmanland, shares: 500, board_seats: 3}",
        "    - {party: vastmanland, shares: 500, board_seats: 3}\n"
        "    - {party: orebro, shares: 500, board_seats: 1}",
    )
    text = text.replace("board_min: 6\n  board_max: 6", "board_min: 7\n  board_max: 7")
    text = text.replace(
        "Region Sörmland\n    och Region Västmanland\n",
        "Region Sörmland,\n    Region Västmanland och Region Örebro län\n",
    )
    params = tmp_path / "bolag.yaml"
    params.write_text(text, encoding="utf-8")
    project = load_project(params)
    assert [str(f) for f in lint(project).findings] == []
    from avtal.check.base import Ctx

    body = Ctx(project).all_text
    assert "den andra Parten" not in body
    assert "tre likalydande exemplar" in body
    assert "övriga Parter" in body


_INTERNAL = re.compile(
    r"(?<!kap\. )(?<![\d–])\b(punkt \d+(?:\.\d+)?|\d+ §(?!§))"
    r"(?! (?:\w+ )?(?:lagen|LOU|kommunallagen|aktiebolagslagen|offentlighets))"
)


@pytest.mark.parametrize("example", [GN, KF, BOLAG], ids=lambda p: p.stem)
def test_internal_references_are_references(example: Path) -> None:
    """ "enligt punkt 7.1" and "enligt 37 §" are made by ref(), so they follow the clause."""
    from avtal.document import ListBlock, Paragraph

    loose = []
    for doc in load_project(example).documents:
        for section in (*doc.sections, *(s for a in doc.annexes for s in a.sections)):
            for block in section.blocks:
                runs_list = (
                    [block.runs]
                    if isinstance(block, Paragraph)
                    else [r for _, r in block.items]
                    if isinstance(block, ListBlock)
                    else []
                )
                for runs in runs_list:
                    for run in runs:
                        if run.ref is None and _INTERNAL.search(run.text):
                            loose.append((section.clause_id, run.text))
    assert loose == []


def test_both_documents_is_not_two_parties(tmp_path: Path) -> None:
    params = gn_with_three(tmp_path)
    copy_clause(
        tmp_path / "egna",
        "andringar/gemensam_namnd.md",
        lambda t: (
            t.rstrip() + "\n\nBåda handlingarna ska hållas tillgängliga för samtliga Parter.\n"
        ),
    )
    assert findings(params, tmp_path / "egna") == []
