"""Hostile input to the checks: party names and texts that look like patterns or templates."""

from __future__ import annotations

from pathlib import Path

from avtal.check import lint
from avtal.check.base import Ctx
from avtal.project import load_project
from test_rules_gn import GN, findings, line_of, variant

BOLAG = GN.parent.parent / "it-bolag" / "bolag.yaml"


def test_party_name_with_pattern_characters_is_read_as_words(tmp_path: Path) -> None:
    params = variant(tmp_path, "name: Region Västmanland", "name: Region (Väst)+[a-z]*\\1")
    project = load_project(params)
    assert [f.rule for f in lint(project).findings] == []
    sentence = "Nämnden revideras av Region (Väst)+[a-z]*\\1s revisorer."
    params = variant(
        tmp_path,
        "    mandatperioden 2027–2030 med ett förnyat reglemente och samverkansavtal.",
        "    mandatperioden 2027–2030 med ett förnyat reglemente och samverkansavtal. " + sentence,
        source=params,
    )
    found = findings(params)
    assert [f.split(" ", 3)[:3] for f in found] == [
        ["GN-REVISION", "error", f"{params}:{line_of(params, 'description:')}"]
    ]


def test_template_syntax_in_a_parameter_is_text_and_still_checked(tmp_path: Path) -> None:
    params = variant(
        tmp_path,
        "    och Region Västmanland\n  purpose:",
        "    och Region Västmanland {{ 7 * 7 }} samt därmed förenlig verksamhet\n  purpose:",
        source=BOLAG,
    )
    project = load_project(params)
    text = Ctx(project).all_text
    assert "Region Västmanland {{ 7 * 7 }} samt" in text
    assert "Region Västmanland 49" not in text
    found = [str(f) for f in lint(project).findings]
    assert len(found) == 1
    assert found[0].startswith(f"BOLAG-FORENLIG error {params}:{line_of(params, 'object:')} ")
