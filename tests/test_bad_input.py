"""Every kind of bad parameter input gives its error, exit code 1 and no output."""

from __future__ import annotations

import copy
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from avtal.cli import main
from conftest import EXAMPLE as EXAMPLE_PATH


def run(*args: str) -> Any:
    return CliRunner().invoke(main, list(args))


def build_fails(params: Path, out: Path) -> str:
    result = run("build", str(params), "-o", str(out))
    assert result.exit_code == 1, result.output
    assert not out.exists() or not any(out.iterdir()), "a failed build left output behind"
    return result.output


def test_yaml_syntax_error_names_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "p.yaml"
    path.write_text("form: avtalssamverkan\ndocument: [\n", encoding="utf-8")
    out = build_fails(path, tmp_path / "out")
    assert f"error: {path}:3:1: YAML syntax error" in out


def test_unknown_key_is_named_with_a_suggestion(
    write_params: Callable[..., Path], tmp_path: Path
) -> None:
    def change(d: dict[str, Any]) -> None:
        d["term"]["notice_month"] = d["term"].pop("notice_months")

    path = write_params(change)
    out = build_fails(path, tmp_path / "out")
    assert "term.notice_month: unknown key 'notice_month'; did you mean 'notice_months'?" in out


def test_wrong_type_gives_dotted_path_and_all_errors_at_once(
    write_params: Callable[..., Path], tmp_path: Path
) -> None:
    def change(d: dict[str, Any]) -> None:
        d["parties"][1]["kind"] = "landsting"
        d["insight"]["quarterly_reports"]["deadline_days"] = "snart"
        d["parties"][0]["org_number"] = "232100-0033"

    path = write_params(change)
    out = build_fails(path, tmp_path / "out")
    assert "3 problems in the parameter file" in out
    assert (
        "parties[1].kind: Input should be 'region', 'kommun', 'kommunalforbund' or 'bolag' "
        "(got 'landsting')"
    ) in out
    assert "insight.quarterly_reports.deadline_days: Input should be a valid integer" in out
    assert "parties[0].org_number: 232100-0033 fails the organisation number check digit" in out
    # Each problem carries the line of its key in the file.
    lines = path.read_text(encoding="utf-8").split("\n")
    kind_line = next(i for i, t in enumerate(lines, 1) if "kind: landsting" in t)
    assert f"{path}:{kind_line}: parties[1].kind" in out


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda d: d["costs"].update(model="fixed", shares={"sormland": 51, "vastmanland": 48}),
            "costs.shares: must sum to 100; they sum to 99",
        ),
        (
            lambda d: d["term"].update(end="2026-06-30"),
            "term.end: 2026-06-30 is not after start 2027-01-01",
        ),
        (
            lambda d: d["parties"][0].update(host=False),
            "parties: exactly one party must have host: true (found none)",
        ),
        (
            lambda d: d["parties"][1].update(host=True),
            "exactly one party must have host: true (found 2: sormland, vastmanland)",
        ),
        (
            lambda d: d["parties"].append(copy.deepcopy(d["parties"][1])),
            "duplicate party id: vastmanland",
        ),
        (
            lambda d: d.update(parties=d["parties"][:1]),
            "parties: List should have at least 2 items",
        ),
        (
            lambda d: d["costs"].update(shares={"sormland": 52, "vastmanland": 48}),
            "costs.shares: only used with model 'fixed', not 'equal'",
        ),
        (
            lambda d: d["governance"]["steering_council"].update(chair="uppsala"),
            "governance.steering_council.chair: unknown party 'uppsala'",
        ),
        (
            lambda d: d["parties"][0].update(name="Region\u202eSörmland"),
            "parties[0].name: contains the invisible or control character RIGHT-TO-LEFT OVERRIDE",
        ),
    ],
)
def test_cross_field_errors(
    write_params: Callable[..., Path],
    tmp_path: Path,
    change: Callable[[dict[str, Any]], Any],
    message: str,
) -> None:
    out = build_fails(write_params(change), tmp_path / "out")
    assert message in out, out


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            "form: !!python/object/apply:os.system ['echo owned']\n",
            "tag 'tag:yaml.org,2002:python/object/apply:os.system' is not allowed",
        ),
        ("", "parameter file is empty"),
        ("- a\n- b\n", "the top level must be a mapping of keys"),
        ("a: &x [1]\nb: *x\n", "anchors and aliases (&, *) are not allowed"),
        ("form: a\nform: b\n", "form: duplicate key (first given on line 1)"),
    ],
)
def test_unsafe_or_empty_yaml_is_refused(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "p.yaml"
    path.write_text(text, encoding="utf-8")
    out = build_fails(path, tmp_path / "out")
    assert message in out
    assert "owned" not in out


def test_failed_build_keeps_previous_outputs(
    write_params: Callable[..., Path], tmp_path: Path
) -> None:
    out = tmp_path / "out"
    good = write_params()
    assert run("build", str(good), "-o", str(out), "--format", "md").exit_code == 0
    before = {p.name: p.read_bytes() for p in out.iterdir()}
    bad = write_params(
        lambda d: d["costs"].update(model="fixed", shares={"sormland": 1, "vastmanland": 48}),
        name="bad.yaml",
    )
    result = run("build", str(bad), "-o", str(out), "--format", "md")
    assert result.exit_code == 1
    assert {p.name: p.read_bytes() for p in out.iterdir()} == before


def test_usage_errors_exit_2(tmp_path: Path) -> None:
    assert run("no-such-command").exit_code == 2
    bad_format = run("build", str(EXAMPLE_PATH), "--format", "docx,odt", "-o", str(tmp_path / "o"))
    assert bad_format.exit_code == 2 and "odt; choose from docx, pdf, md" in bad_format.output
    assert not (tmp_path / "o").exists()
    assert run("new", "konsortium", str(tmp_path / "x.yaml")).exit_code == 2
