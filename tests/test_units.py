from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from hypothesis import given
from hypothesis import strategies as st

from avtal.clauselib import textfmt
from avtal.clauselib.costs import CENT, compute_shares, split
from avtal.cli import main
from avtal.load.params import load_params
from avtal.project import load_project

NB = "\u00a0"


def test_swedish_formats() -> None:
    assert textfmt.datum(dt.date(2027, 1, 1)) == "1 januari 2027"
    assert textfmt.datum("02-15") == "15 februari"
    assert textfmt.kronor(Decimal(40000000)) == f"40{NB}000{NB}000 kronor"
    assert textfmt.procent(Decimal("33.34")) == "33,34 procent"
    assert textfmt.procent(Decimal(52)) == "52,00 procent"
    assert textfmt.procent(Decimal("12.4")) == "12,40 procent"
    assert textfmt.ord_(12) == "tolv"
    assert textfmt.ord_(25) == "25"
    assert textfmt.lista(["A", "B", "C"]) == "A, B och C"
    assert textfmt.genitiv("Region Sörmland") == "Region Sörmlands"
    assert textfmt.genitiv("Västerås") == "Västerås"


def test_equal_shares_of_three_print_equal() -> None:
    assert split(Decimal(100), [Decimal(1)] * 3, CENT) == [Decimal("33.33")] * 3


@given(st.lists(st.integers(min_value=1, max_value=10**9), min_size=2, max_size=60))
def test_each_share_is_its_exact_proportion_rounded_half_up(bases: list[int]) -> None:
    weights = [Decimal(b) for b in bases]
    shares = split(Decimal(100), weights, CENT)
    total = sum(weights)
    for share, weight in zip(shares, weights, strict=True):
        assert abs(share - Decimal(100) * weight / total) <= CENT / 2
        # Equal weights give equal shares, whatever the others are.
        assert all(s == share for s, w in zip(shares, weights, strict=True) if w == weight)


def test_proportional_model_in_parameters(write_params: Callable[..., Path]) -> None:
    def change(d: dict[str, Any]) -> None:
        d["costs"] = {
            "model": "proportional",
            "basis": {
                "name": "antal invånare",
                "values": {"sormland": 303000, "vastmanland": 282000},
            },
            "example_budget": 1000000,
        }

    params, _ = load_params(write_params(change))
    shares = compute_shares(params)
    assert [s.percent for s in shares] == [Decimal("51.79"), Decimal("48.21")]
    assert sum(s.example_amount for s in shares) == Decimal(1000000)


def test_schema_command_prints_json_schema() -> None:
    result = CliRunner().invoke(main, ["schema"])
    assert result.exit_code == 0
    schema = json.loads(result.output)
    assert schema["additionalProperties"] is False
    assert "parties" in schema["required"]


def test_new_writes_a_starter_that_checks(tmp_path: Path) -> None:
    target = tmp_path / "ny.yaml"
    runner = CliRunner()
    assert runner.invoke(main, ["new", "avtalssamverkan", str(target)]).exit_code == 0
    assert target.read_text(encoding="utf-8").startswith("# Parameter file for an avtalssamverkan")
    result = runner.invoke(main, ["check", str(target)])
    assert result.exit_code == 0, result.output
    again = runner.invoke(main, ["new", "avtalssamverkan", str(target)])
    assert again.exit_code == 1 and "exists; use --force" in again.output
    assert load_project(target).documents[0].title == "Samverkansavtal"


def test_check_writes_nothing(tmp_path: Path, write_params: Callable[..., Path]) -> None:
    path = write_params()
    before = set(tmp_path.iterdir())
    result = CliRunner().invoke(main, ["check", str(path)])
    assert result.exit_code == 0
    assert result.output.strip() == f"{path}: ok (samverkansavtal, arbetsordning)"
    assert set(tmp_path.iterdir()) == before


@pytest.mark.parametrize("form", ["avtalssamverkan", "gemensam_namnd", "kommunalforbund", "bolag"])
def test_every_form_has_a_starter_that_checks(tmp_path: Path, form: str) -> None:
    target = tmp_path / f"{form}.yaml"
    runner = CliRunner()
    assert runner.invoke(main, ["new", form, str(target)]).exit_code == 0
    result = runner.invoke(main, ["check", "--strict", str(target)])
    assert result.exit_code == 0, result.output


def test_compiled_clause_cache_on_disk(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from avtal.clauselib import jinja_env

    monkeypatch.setenv("AVTAL_CACHE_DIR", str(tmp_path))
    monkeypatch.setattr(jinja_env, "_COMPILED", {})
    env = jinja_env.make_environment()
    first = jinja_env.compile_template(env, "Hej {{ namn }}!", "c.md")
    files = list((tmp_path / "jinja").glob("*.bin"))
    assert len(files) == 1
    monkeypatch.setattr(jinja_env, "_COMPILED", {})
    again = jinja_env.compile_template(env, "Hej {{ namn }}!", "c.md")
    assert again.render(namn="Ada") == first.render(namn="Ada") == "Hej \ue000Ada\ue001!"
    jinja_env.compile_template(env, "Hej då {{ namn }}!", "c.md")
    assert len(list((tmp_path / "jinja").glob("*.bin"))) == 2
    monkeypatch.setenv("AVTAL_CACHE_DIR", "")
    monkeypatch.setattr(jinja_env, "_COMPILED", {})
    jinja_env.compile_template(env, "Ny {{ namn }}", "c.md")
    assert len(list((tmp_path / "jinja").glob("*.bin"))) == 2
