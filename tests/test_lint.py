"""Every lint rule: a parameter file or clause that breaks it, and the finding it must give."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from avtal.check import RULES, lint
from avtal.cli import main
from avtal.project import load_project
from conftest import EXAMPLE, ROOT

GN_EXAMPLE = ROOT / "examples" / "inkop-sormland-vastmanland" / "gemensam-namnd.yaml"
AGREEMENT_DEF = ROOT / "templates" / "samverkansavtal.yaml"


def findings(params: Path, *clause_dirs: Path) -> list[str]:
    return [str(f) for f in lint(load_project(params, clause_dirs)).findings]


def line_of(path: Path, needle: str) -> int:
    return next(
        n for n, t in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if needle in t
    )


def user_clause(
    root: Path,
    area: str,
    cid: str,
    body: str,
    *,
    params: str = "",
    defines: str = "",
    form: str = "avtalssamverkan",
) -> Path:
    (root / area).mkdir(parents=True, exist_ok=True)
    path = root / area / f"{cid.replace('.', '_')}.md"
    path.write_text(
        f"---\nid: {cid}\ntitle: Egen\nversion: 9.0.0\narea: {area}\nforms: [{form}]\n"
        f"parameters: [{params}]\ndefines: [{defines}]\n---\n{body}\n",
        encoding="utf-8",
    )
    return path


@pytest.mark.parametrize(
    "example", [EXAMPLE, GN_EXAMPLE], ids=["avtalssamverkan", "gemensam_namnd"]
)
def test_examples_pass_strict_check(example: Path) -> None:
    result = CliRunner().invoke(main, ["check", "--strict", str(example)])
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith(
        "ok (samverkansavtal, " + ("arbetsordning)" if example == EXAMPLE else "reglemente)")
    )


def test_rules_command_lists_every_rule() -> None:
    result = CliRunner().invoke(main, ["rules"])
    assert result.exit_code == 0
    for item in RULES:
        assert f"{item.id}\t{item.severity}\t{item.citation}\t" in result.output
    assert len(RULES) >= 17


def test_parties_must_be_kommuner_or_regioner(write_params: Callable[..., Path]) -> None:
    path = write_params(lambda d: d["parties"][1].update(kind="bolag"))
    line = line_of(path, "kind: bolag")
    assert (
        f"KL-PARTER error {path}:{line} Region Västmanland is a bolag; only kommuner and regioner "
        "can be parties (9 kap. 37 § och 3 kap. 9 § kommunallagen (2017:725))"
    ) in findings(path)


def test_delegation_only_to_employees(write_params: Callable[..., Path]) -> None:
    def change(d: dict[str, Any]) -> None:
        d["delegation"]["matters"][0]["delegate_type"] = "committee"
        d["delegation"]["matters"][1]["position"] = "regionstyrelsens ordförande"

    path = write_params(change)
    found = findings(path)
    assert (
        f"KL-DELEGAT error {path}:{line_of(path, 'delegate_type: committee')} "
        "delegation.matters[0]: delegation to a committee; only an employee may decide "
        "(9 kap. 37 § andra stycket kommunallagen (2017:725))"
    ) in found
    assert (
        f"KL-DELEGAT error {path}:{line_of(path, 'position: regionstyrelsens ordförande')} "
        "delegation.matters[1]: 'regionstyrelsens ordförande' is not an employee's position "
        "(9 kap. 37 § andra stycket kommunallagen (2017:725))"
    ) in found


def test_non_delegable_matters(write_params: Callable[..., Path]) -> None:
    path = write_params(
        lambda d: d["delegation"]["matters"][0].update(matter="fastställa verksamhetens mål")
    )
    assert (
        f"KL-EJ-DELEGERBART error {path}:{line_of(path, 'fastställa verksamhetens mål')} "
        "delegation.matters[0]: 'fastställa verksamhetens mål' concerns the activity's goals, "
        "direction, scope or quality, which may not be delegated (6 kap. 38 § kommunallagen "
        "(2017:725))"
    ) in findings(path)


def test_reporting_of_delegated_decisions(
    write_params: Callable[..., Path], tmp_path: Path
) -> None:
    root = tmp_path / "egna"
    user_clause(root, "delegation", "avtalssamverkan.delegation", "Delegation får ske.")
    assert (
        f"KL-ANMALAN error {AGREEMENT_DEF}:1 no clause on reporting delegated decisions (anmälan) "
        "(7 kap. 8 § kommunallagen (2017:725))"
    ) in findings(write_params(), root)


def test_supervision_and_yearly_report(write_params: Callable[..., Path], tmp_path: Path) -> None:
    root = tmp_path / "egna"
    user_clause(
        root,
        "insyn",
        "avtalssamverkan.insyn",
        "Parterna har rätt till insyn enligt 6 kap. 1 § kommunallagen.",
    )
    assert (
        f"KL-UPPSIKT error {AGREEMENT_DEF}:1 no insight clause feeds each styrelse's supervision "
        "and yearly report (missing 9 kap. 38 §) (6 kap. 1 § och 9 kap. 38 § kommunallagen "
        "(2017:725))"
    ) in findings(write_params(), root)


def test_personal_data_roles(write_params: Callable[..., Path], tmp_path: Path) -> None:
    root = tmp_path / "egna"
    user_clause(
        root,
        "personuppgifter",
        "avtalssamverkan.personuppgifter",
        "Parterna ska följa dataskyddsförordningen.",
    )
    path = write_params()
    assert (
        f"DATA-ROLLER error {path}:{line_of(path, 'processed: true')} personal data is processed "
        "but no clause states the personal-data roles (artiklarna 4.7, 26 och 28 i "
        "dataskyddsförordningen (EU) 2016/679)"
    ) in findings(path, root)


def test_archives_clause(write_params: Callable[..., Path], tmp_path: Path) -> None:
    root = tmp_path / "egna"
    user_clause(root, "ovrigt", "avtalssamverkan.handlingar", "Parterna samarbetar.")
    assert (
        f"DATA-ARKIV error {AGREEMENT_DEF}:1 no clause on allmänna handlingar and arkiv "
        "(2 kap. tryckfrihetsförordningen och arkivlagen (1990:782))"
    ) in findings(write_params(), root)


def test_term_used_but_not_defined(write_params: Callable[..., Path], tmp_path: Path) -> None:
    root = tmp_path / "egna"
    builtin = (ROOT / "clauses" / "definitioner" / "avtalssamverkan.md").read_text(encoding="utf-8")
    front, body = builtin.split("---\n", 2)[1:]
    front = front.replace("  - Arbetsordningen\n", "").replace(", Arbetsordningen", "")
    (root / "definitioner").mkdir(parents=True)
    (root / "definitioner" / "avtalssamverkan.md").write_text(
        f"---\n{front}---\n{body}", encoding="utf-8"
    )
    extra = user_clause(root, "ovrigt", "egen.arbetsordning", "Oanvänd.", defines="Arbetsordningen")
    assert extra.exists()
    found = [f for f in findings(write_params(), root) if f.startswith("UTK-ODEFINIERAD")]
    assert found and "the term 'Arbetsordningen' is used but not defined in this build" in found[0]


def test_term_defined_but_never_used(write_params: Callable[..., Path], tmp_path: Path) -> None:
    root = tmp_path / "egna"
    path = user_clause(
        root,
        "bakgrund",
        "avtalssamverkan.bakgrund",
        "Med Tjänsteköpet avses köp av tjänster.",
        defines="Tjänsteköpet",
    )
    assert (
        f"UTK-OANVAND warning {path}:10 the term 'Tjänsteköpet' is defined but never used "
        "(avtalsteknik, ingen lagregel)"
    ) in findings(write_params(), root)


def test_parameter_used_by_no_clause(write_params: Callable[..., Path], tmp_path: Path) -> None:
    root = tmp_path / "egna"
    user_clause(
        root,
        "revision",
        "avtalssamverkan.revision",
        "Revisorerna hos {{ host.name }} granskar Verksamheten.",
        params="host.name",
    )
    path = write_params()
    found = findings(path, root)
    assert (
        f"UTK-OANVAND-PARAMETER warning {path}:{line_of(path, 'coordinated_review')} "
        "audit.coordinated_review is given but no clause uses it (avtalsteknik, ingen lagregel)"
    ) in found
    result = CliRunner().invoke(main, ["check", "--strict", str(path), "--clauses", str(root)])
    assert result.exit_code == 1
    relaxed = CliRunner().invoke(main, ["check", str(path), "--clauses", str(root)])
    assert relaxed.exit_code == 0, relaxed.output


def test_check_json_output(write_params: Callable[..., Path]) -> None:
    path = write_params(lambda d: d["parties"][1].update(kind="bolag"))
    result = CliRunner().invoke(main, ["check", "--format", "json", str(path)])
    assert result.exit_code == 1
    data = json.loads(result.output[: result.output.rindex("}") + 1])
    assert data["ok"] is False
    assert data["findings"][0]["rule"] == "KL-PARTER"
    assert data["findings"][0]["line"] == line_of(path, "kind: bolag")


def test_build_stops_on_lint_error(write_params: Callable[..., Path], tmp_path: Path) -> None:
    path = write_params(lambda d: d["parties"][1].update(kind="bolag"))
    result = CliRunner().invoke(main, ["build", str(path), "-o", str(tmp_path / "out")])
    assert result.exit_code == 1
    assert "KL-PARTER error" in result.output
    assert not (tmp_path / "out").exists()


# --- Gemensam nämnd -----------------------------------------------------------------------------

GN_AGREEMENT_DEF = ROOT / "templates" / "samverkansavtal-gn.yaml"


def neutralise(root: Path, pattern: str, replacement: str) -> Path:
    """Copy every gemensam nämnd clause matching ``pattern`` into ``root``, with it replaced."""
    import re

    for path in sorted((ROOT / "clauses").glob("*/*.md")):
        text = path.read_text(encoding="utf-8")
        if "gemensam_namnd" not in text.split("---")[1] or not re.search(pattern, text):
            continue
        target = root / path.parent.name / path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(re.sub(pattern, replacement, text), encoding="utf-8")
    return root


def gn_findings(*clause_dirs: Path, params: Path = GN_EXAMPLE) -> list[str]:
    return findings(params, *clause_dirs)


def test_gn_example_is_clean() -> None:
    assert gn_findings() == []


def test_gn_host_is_named(tmp_path: Path) -> None:
    root = neutralise(tmp_path / "egna", r"[Vv]ärd", "Huvud")
    params = tmp_path / "gn.yaml"
    params.write_text(
        GN_EXAMPLE.read_text(encoding="utf-8").replace("värdregion", "huvudman"), encoding="utf-8"
    )
    assert (
        f"GN-VARD error {GN_AGREEMENT_DEF}:1 no clause names Region Sörmland as host (värd) of "
        "the nämnd (9 kap. 20 § kommunallagen (2017:725))"
    ) in gn_findings(root, params=params)


def test_gn_tasks_spelled_out(tmp_path: Path) -> None:
    root = tmp_path / "egna"
    user_clause(
        root,
        "uppgifter",
        "gemensam_namnd.uppgifter",
        "Nämnden sköter inköp.",
        form="gemensam_namnd",
    )
    found = [f for f in gn_findings(root) if f.startswith("GN-UPPGIFTER")]
    assert found == [
        f"GN-UPPGIFTER error {GN_EXAMPLE}:{line_of(GN_EXAMPLE, '  scope:')} task not spelled out: "
        "'upphandling av varor, tjänster och byggentreprenader för båda regionernas räkning' "
        "(9 kap. 22 § kommunallagen (2017:725))"
    ]


@pytest.mark.parametrize(
    ("rule_id", "citation", "message"),
    [
        (
            "GN-VAL",
            "9 kap. 24 §",
            "no clause says that each party's fullmäktige elects its ledamöter and ersättare",
        ),
        (
            "GN-ARVODEN",
            "9 kap. 25 §",
            "no clause on each party paying its members' arvoden (the documents never mention "
            "'9 kap. 25 §')",
        ),
        (
            "GN-ANSLAG",
            "9 kap. 32 §",
            "no clause announces the minutes on every party's anslagstavla",
        ),
        (
            "GN-REVISION",
            "9 kap. 34 §",
            "no clause on audit by every party's auditors (the documents never mention "
            "'9 kap. 34 §')",
        ),
    ],
)
def test_gn_required_provisions(tmp_path: Path, rule_id: str, citation: str, message: str) -> None:
    root = neutralise(tmp_path / "egna", re.escape(citation), "kommunallagen")
    assert (
        f"{rule_id} error {GN_AGREEMENT_DEF}:1 {message} ({citation} kommunallagen (2017:725))"
    ) in gn_findings(root)


def test_gn_audit_by_host_only_is_wrong(tmp_path: Path) -> None:
    root = tmp_path / "egna"
    path = user_clause(
        root,
        "revision",
        "gemensam_namnd.revision",
        "Nämnden granskas enligt 9 kap. 34 § kommunallagen.\n\n"
        "Nämnden granskas endast av revisorerna i {{ host.name }}.",
        params="host.name",
        form="gemensam_namnd",
    )
    assert (
        f"GN-REVISION error {path}:12 says that only some auditors review the nämnd: "
        "'Nämnden granskas endast av revisorerna i Region Sörmland.' "
        "(9 kap. 34 § kommunallagen (2017:725))"
    ) in gn_findings(root)


def test_gn_seats(tmp_path: Path) -> None:
    text = GN_EXAMPLE.read_text(encoding="utf-8")
    fewer = text.replace(
        "      members: 3\n      substitutes: 3\n    - party: vastmanland",
        "      members: 3\n      substitutes: 2\n    - party: vastmanland",
    )
    params = tmp_path / "gn.yaml"
    params.write_text(fewer, encoding="utf-8")
    assert (
        f"GN-PLATSER error {params}:{line_of(params, 'substitutes: 2')} committee.seats[0]: "
        "sormland has 3 ledamöter but 2 ersättare; the numbers must be equal "
        "(9 kap. 24 § kommunallagen (2017:725))"
    ) in findings(params)
    none = text.replace(
        "      members: 3\n      substitutes: 3\n\n", "      members: 0\n      substitutes: 0\n\n"
    )
    none = none.replace(
        "    - party: vastmanland\n      members: 3\n      substitutes: 3",
        "    - party: vastmanland\n      members: 0\n      substitutes: 0",
    )
    params.write_text(none, encoding="utf-8")
    assert any(
        f.startswith(f"GN-PLATSER error {params}:")
        and "vastmanland needs at least one ledamot and one ersättare" in f
        for f in findings(params)
    )
