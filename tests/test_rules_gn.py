"""Gemensam nämnd rules that read what the documents say: each wrong text gives exactly its rule."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from avtal.check import lint
from avtal.check.base import Ctx
from avtal.project import load_project
from conftest import ROOT

GN = ROOT / "examples" / "inkop-sormland-vastmanland" / "gemensam-namnd.yaml"
GN_DEF = ROOT / "templates" / "samverkansavtal-gn.yaml"


def findings(params: Path = GN, *clause_dirs: Path) -> list[str]:
    return [str(f) for f in lint(load_project(params, clause_dirs)).findings]


def rule_ids(found: list[str]) -> set[str]:
    return {f.split(" ", 1)[0] for f in found}


def copy_clause(root: Path, rel: str, change: Callable[[str], str]) -> Path:
    """Copy the built-in clause ``rel`` into the user folder ``root``, changed by ``change``."""
    source = ROOT / "clauses" / rel
    target = root / rel
    target.parent.mkdir(parents=True, exist_ok=True)
    text = source.read_text(encoding="utf-8")
    changed = change(text)
    assert changed != text
    target.write_text(changed, encoding="utf-8")
    return target


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8").split("\n")
    return next(n for n, t in enumerate(lines, 1) if needle in t)


def variant(tmp_path: Path, old: str, new: str, source: Path = GN) -> Path:
    text = source.read_text(encoding="utf-8")
    assert old in text
    path = tmp_path / source.name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def test_example_has_no_finding() -> None:
    assert findings() == []


@pytest.mark.parametrize(
    "sentence",
    [
        "Nämnden revideras av Region Sörmlands revisorer.",
        "Värdpartens revisorer prövar Nämndens verksamhet och räkenskaper.",
        "Inköpsnämnden granskas uteslutande av revisorerna i Region Sörmland.",
        "Revisionen av Nämnden sköts av värdregionens revisorer.",
        "Nämndens verksamhet ingår i Region Sörmlands revision.",
        "Nämnden prövas av revisionen i Region Sörmland.",
    ],
)
def test_audit_by_one_party_in_a_clause_points_at_the_clause(tmp_path: Path, sentence: str) -> None:
    path = copy_clause(
        tmp_path / "egna",
        "revision/gemensam_namnd.md",
        lambda t: t.rstrip() + "\n\n" + sentence + "\n",
    )
    found = findings(GN, tmp_path / "egna")
    assert rule_ids(found) == {"GN-REVISION"}
    assert found == [
        f"GN-REVISION error {path}:{line_of(path, sentence)} says that only some auditors review "
        f"the nämnd: {sentence!r} (9 kap. 34 § kommunallagen (2017:725))"
    ]


def test_audit_by_one_party_in_the_parameters_points_at_the_parameter(tmp_path: Path) -> None:
    sentence = "Nämnden revideras enbart av Region Sörmlands revisorer."
    params = variant(
        tmp_path,
        "    mandatperioden 2027–2030 med ett förnyat reglemente och samverkansavtal.",
        "    mandatperioden 2027–2030 med ett förnyat reglemente och samverkansavtal. " + sentence,
    )
    found = findings(params)
    assert found == [
        f"GN-REVISION error {params}:{line_of(params, 'description:')} says that only some "
        f"auditors review the nämnd: {sentence!r} (9 kap. 34 § kommunallagen (2017:725))"
    ]


def test_every_party_auditors_is_not_flagged(tmp_path: Path) -> None:
    copy_clause(
        tmp_path / "egna",
        "revision/gemensam_namnd.md",
        lambda t: (
            t.rstrip()
            + "\n\nNämnden granskas inte bara av Region Sörmlands revisorer utan av revisorerna "
            "hos samtliga Parter.\n"
        ),
    )
    assert findings(GN, tmp_path / "egna") == []


@pytest.mark.parametrize(
    ("sentence", "words"),
    [
        ("Reglementet fastställs av Nämnden.", "by the nämnd"),
        ("Ändringar i Reglementet antas av regionfullmäktige i Region Sörmland.", "by one party"),
    ],
)
def test_reglemente_adopted_by_one_body(tmp_path: Path, sentence: str, words: str) -> None:
    path = copy_clause(
        tmp_path / "egna",
        "andringar/gemensam_namnd.md",
        lambda t: t.rstrip() + "\n\n" + sentence + "\n",
    )
    found = findings(GN, tmp_path / "egna")
    assert found == [
        f"GN-REGLEMENTE error {path}:{line_of(path, sentence)} gives the adoption of the "
        f"reglemente to one body: {sentence!r} (9 kap. 33 § kommunallagen (2017:725))"
    ], words


def test_discharge_by_the_host_only(tmp_path: Path) -> None:
    sentence = "Frågan om ansvarsfrihet för Nämnden prövas av Värdpartens fullmäktige."
    path = copy_clause(
        tmp_path / "egna",
        "revision/gemensam_namnd.md",
        lambda t: t.rstrip() + "\n\n" + sentence + "\n",
    )
    assert findings(GN, tmp_path / "egna") == [
        f"GN-ANSVARSFRIHET error {path}:{line_of(path, sentence)} gives the discharge to one "
        f"body: {sentence!r} (9 kap. 35 § kommunallagen (2017:725))"
    ]


def test_hojd_beredskap_given_to_the_namnd(tmp_path: Path) -> None:
    root = tmp_path / "egna"
    agreement = copy_clause(
        root, "uppgifter/gemensam_namnd.md", lambda t: t.replace("inte fullgöra", "fullgöra")
    )
    reglemente = copy_clause(
        root, "reglemente/uppgifter.md", lambda t: t.replace("inte fullgöra", "fullgöra")
    )
    found = findings(GN, root)
    assert rule_ids(found) == {"GN-HOJD-BEREDSKAP"}
    assert [f.split(" ", 3)[2] for f in found] == [
        f"{agreement}:{line_of(agreement, 'höjd beredskap. ')}",
        f"{reglemente}:{line_of(reglemente, 'höjd beredskap. ')}",
        f"{GN_DEF}:1",
    ]
    assert found[2].endswith(
        "no clause says that the nämnd does not take over the styrelse's tasks in höjd "
        "beredskap (9 kap. 21 § kommunallagen (2017:725))"
    )


def test_quorum_must_be_more_than_half(tmp_path: Path) -> None:
    path = copy_clause(
        tmp_path / "egna",
        "reglemente/beslutsforhet.md",
        lambda t: t.replace("mer än hälften", "minst hälften"),
    )
    found = findings(GN, tmp_path / "egna")
    assert found == [
        f"GN-BESLUTSFORHET error {path}:{line_of(path, 'minst hälften')} the quorum is more than "
        "half, not 'minst hälften av ledamöterna' (6 kap. 27 § kommunallagen (2017:725))",
        f"GN-BESLUTSFORHET error {ROOT / 'templates' / 'samverkansavtal-gn.yaml'}:1 no clause "
        "says that more than half of the ledamöter must be present "
        "(6 kap. 27 § kommunallagen (2017:725))",
    ]


def test_quorum_number_is_computed_from_the_seats(tmp_path: Path) -> None:
    path = copy_clause(
        tmp_path / "egna",
        "reglemente/beslutsforhet.md",
        lambda t: t.replace("minst {{ krav | ord }}", "minst tre"),
    )
    found = findings(GN, tmp_path / "egna")
    assert found == [
        f"GN-BESLUTSFORHET error {path}:{line_of(path, 'minst tre')} 'minst tre ledamöter ska "
        "vara närvarande': with 6 ledamöter, more than half is 4 "
        "(6 kap. 27 § kommunallagen (2017:725))"
    ]
    # With seven ledamöter the built-in clause says four, and the check agrees.
    params = variant(
        tmp_path,
        "      members: 3\n      substitutes: 3\n    - party: vastmanland",
        "      members: 4\n      substitutes: 4\n    - party: vastmanland",
    )
    project = load_project(params)
    assert "minst fyra ledamöter ska vara närvarande" in Ctx(project).all_text
    assert lint(project).findings == ()


def test_presidium_that_cannot_be_formed(tmp_path: Path) -> None:
    params = variant(
        tmp_path,
        "  vice_chair: vastmanland",
        "  vice_chair: sormland",
    )
    params = variant(
        tmp_path,
        "    - party: sormland\n      members: 3\n      substitutes: 3",
        "    - party: sormland\n      members: 1\n      substitutes: 1",
        source=params,
    )
    found = findings(params)
    assert rule_ids(found) == {"GN-PRESIDIUM"}
    assert found == [
        f"GN-PRESIDIUM error {params}:{line_of(params, 'vice_chair:')} committee.vice_chair: "
        "sormland elects one ledamot, who cannot be both chair and vice chair "
        "(6 kap. 21–22 §§ och 9 kap. 24 § kommunallagen (2017:725))"
    ]
