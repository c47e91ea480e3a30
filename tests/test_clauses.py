"""Clause files and document definitions: errors name the file and line; overrides work."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from click.testing import CliRunner

from avtal.cli import main
from avtal.errors import ClauseError
from avtal.project import load_project

FRONT = """---
id: {id}
title: Egen klausul
version: 1.0.0
area: {area}
forms: [avtalssamverkan]
parameters: [{params}]
---
"""


def clause_dir(
    tmp_path: Path,
    body: str,
    *,
    cid: str = "avtalssamverkan.tvister",
    area: str = "tvister",
    params: str = "host.name",
) -> Path:
    root = tmp_path / "egna"
    (root / area).mkdir(parents=True, exist_ok=True)
    (root / area / "egen.md").write_text(
        FRONT.format(id=cid, area=area, params=params) + body, encoding="utf-8"
    )
    return root


def test_user_clause_overrides_builtin_by_id(
    write_params: Callable[..., Path], tmp_path: Path
) -> None:
    root = clause_dir(tmp_path, "Tvister avgörs av {{ host.name }} och motparten i samförstånd.\n")
    project = load_project(write_params(), [root])
    section = next(
        s for s in project.documents[0].sections if s.clause_id == "avtalssamverkan.tvister"
    )
    assert section.title == "Egen klausul"
    assert "".join(r.text for r in section.blocks[0].runs) == (
        "Tvister avgörs av Region Sörmland och motparten i samförstånd."
    )
    assert project.clause_library.overridden["avtalssamverkan.tvister"].name == "avtalssamverkan.md"


def test_unknown_parameter_in_front_matter_names_file_and_line(
    write_params: Callable[..., Path], tmp_path: Path
) -> None:
    root = clause_dir(tmp_path, "Text.\n", params="host.name, costs.rabatt")
    with pytest.raises(ClauseError) as info:
        load_project(write_params(), [root])
    assert (
        f"{root / 'tvister' / 'egen.md'}:7: parameters[1]: unknown parameter 'costs.rabatt'"
        in str(info.value)
    )


def test_undefined_name_in_body_names_file_and_line(
    write_params: Callable[..., Path], tmp_path: Path
) -> None:
    root = clause_dir(tmp_path, "Första stycket.\n\nAndra stycket {{ costs.rabatt }}.\n")
    with pytest.raises(ClauseError) as info:
        load_project(write_params(), [root])
    assert str(info.value).startswith(
        f"{root / 'tvister' / 'egen.md'}:11: clause avtalssamverkan.tvister: "
    )
    assert "rabatt" in str(info.value)


def test_jinja_syntax_error_names_file_and_line(
    write_params: Callable[..., Path], tmp_path: Path
) -> None:
    root = clause_dir(tmp_path, "Text.\n{% if host.name %}\nutan slut\n")
    with pytest.raises(ClauseError) as info:
        load_project(write_params(), [root])
    assert f"{root / 'tvister' / 'egen.md'}:" in str(info.value)


@pytest.mark.parametrize(
    "body",
    [
        "{{ ''.__class__.__mro__[1].__subclasses__() }}",
        "{{ cycler.__init__.__globals__.os }}",
        "{{ host.__class__ }}",
        "{% include '../../../etc/passwd' %}",
        "{{ range.__self__ }}",
    ],
)
def test_clause_cannot_reach_python_internals(
    write_params: Callable[..., Path], tmp_path: Path, body: str
) -> None:
    root = clause_dir(tmp_path, body + "\n")
    with pytest.raises(ClauseError) as info:
        load_project(write_params(), [root])
    assert "egen.md" in str(info.value)


def test_reference_to_missing_clause_names_the_clause_file(
    write_params: Callable[..., Path], tmp_path: Path
) -> None:
    root = clause_dir(tmp_path, "Se {{ ref('avtalssamverkan.finns_inte') }}.\n")
    result = CliRunner().invoke(
        main, ["build", str(write_params()), "-o", str(tmp_path / "out"), "--clauses", str(root)]
    )
    assert result.exit_code == 1
    assert (
        f"UTK-HANVISNING error {root / 'tvister' / 'egen.md'}:9 clause avtalssamverkan.tvister: "
        "reference to 'avtalssamverkan.finns_inte', which is not in samverkansavtal "
        "(avtalsteknik, ingen lagregel)"
    ) in result.output
    assert not (tmp_path / "out").exists()


def test_document_naming_a_missing_clause_names_the_definition_line(
    write_params: Callable[..., Path], tmp_path: Path
) -> None:
    defs = tmp_path / "defs"
    defs.mkdir()
    (defs / "samverkansavtal.yaml").write_text(
        "id: samverkansavtal\nforms: [avtalssamverkan]\nfile: samverkansavtal\n"
        "title: Avtal\nsections:\n  - clause: avtalssamverkan.parter\n  - clause: saknas.helt\n",
        encoding="utf-8",
    )
    with pytest.raises(ClauseError) as info:
        load_project(write_params(), [], [defs])
    assert str(info.value) == (
        f"{defs / 'samverkansavtal.yaml'}:7: no clause with id 'saknas.helt' in the library"
    )


def test_area_must_match_folder(write_params: Callable[..., Path], tmp_path: Path) -> None:
    root = clause_dir(tmp_path, "Text.\n", area="tvister")
    (root / "tvister" / "egen.md").rename(root / "tvister" / "egen.md")
    (root / "annat").mkdir()
    (root / "tvister" / "egen.md").rename(root / "annat" / "egen.md")
    with pytest.raises(ClauseError) as info:
        load_project(write_params(), [root])
    assert "area: is 'tvister' but the clause lies in folder 'annat'" in str(info.value)


def test_clauses_command_lists_library() -> None:
    result = CliRunner().invoke(main, ["clauses"])
    assert result.exit_code == 0
    lines = result.output.strip().split("\n")
    assert any(line.startswith("avtalssamverkan.revision\t1.1.0\trevision\t") for line in lines), (
        result.output
    )
    assert len(lines) >= 30


def test_own_folder_can_add_a_clause_to_the_agreement(
    write_params: Callable[..., Path], tmp_path: Path
) -> None:
    import yaml

    from conftest import ROOT

    root = clause_dir(
        tmp_path,
        "Varje Part ska hålla de försäkringar som behövs.\n",
        cid="egen.forsakring",
        area="forsakring",
        params="",
    )
    definition = yaml.safe_load(
        (ROOT / "templates" / "samverkansavtal.yaml").read_text(encoding="utf-8")
    )
    at = next(
        i for i, s in enumerate(definition["sections"]) if s["clause"] == "avtalssamverkan.tvister"
    )
    definition["sections"].insert(at, {"clause": "egen.forsakring"})
    (root / "samverkansavtal.yaml").write_text(
        yaml.safe_dump(definition, allow_unicode=True), encoding="utf-8"
    )
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        ["build", str(write_params()), "-o", str(out), "--format", "md", "--clauses", str(root)],
    )
    assert result.exit_code == 0, result.output
    text = (out / "samverkansavtal.md").read_text(encoding="utf-8")
    assert "## 17. Egen klausul" in text and "## 18. Tvister" in text
