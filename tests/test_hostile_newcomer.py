"""Hostile answers and values for `avtal new`: whatever is typed is written and read back."""

from __future__ import annotations

import copy
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from avtal.load.commented import commented_yaml
from avtal.load.params import load_params
from avtal.paths import templates_dir
from test_interactive import ANSWERS, run_new

#: Text as the model keeps it: printable, single spaces, trimmed, never empty.
TEXT = (
    st.text(
        st.characters(blacklist_categories=("Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp")),
        min_size=1,
        max_size=300,
    )
    .map(lambda s: " ".join(s.split()))
    .filter(bool)
)

STARTERS = {
    form: yaml.safe_load((templates_dir() / "starters" / f"{form}.yaml").read_text("utf-8"))
    for form in ("avtalssamverkan", "kommunalforbund", "bolag", "gemensam_namnd")
}


def _set(data: dict[str, Any], form: str, text: str) -> dict[str, Any]:
    changed = copy.deepcopy(data)
    changed["activity"]["description"] = text
    changed["activity"]["scope"] = [text, "b"]
    changed["parties"][0]["name"] = text
    changed["parties"][1]["signatory"]["title"] = text  # a one-line mapping in some starters
    if form == "avtalssamverkan":
        changed["governance"]["steering_council"]["members"][0]["position"] = text
    return changed


@pytest.mark.parametrize("form", sorted(STARTERS))
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(text=TEXT)
def test_any_text_reads_back_exactly_as_written(form: str, text: str) -> None:
    data = _set(STARTERS[form], form, text)
    written = commented_yaml(data, ["header"])
    assert yaml.safe_load(written) == data


HOSTILE = [
    "{{ 7*7 }} {% raw %}",
    "key: value # not a comment",
    "- a list?",
    "&anchor *alias !!python/object:os.system",
    "'single' and \"double\" quotes, [brackets], {braces}",
    "yes",
    "0.1",
    "2027-01-01",
    "null ~",
    "@at `tick` | pipe > greater %percent",
]


@pytest.mark.parametrize("text", HOSTILE)
def test_hostile_answers_are_written_literally(tmp_path: Path, text: str) -> None:
    answers = list(ANSWERS["kommunalforbund"])
    answers[answers.index("arkivverksamheten")] = text
    scope = answers.index("vara arkivmyndighet för medlemmarnas myndigheter")
    answers[scope] = "a " + text
    answers[answers.index("Arkivförbundet Mälarbygden")] = "Förbundet " + text
    target = tmp_path / "p.yaml"
    result = run_new("kommunalforbund", target, answers)
    assert result.exit_code == 0, result.output
    params, _ = load_params(target)
    assert params.activity.name == text
    assert params.activity.scope == ["a " + text]
    assert params.federation is not None and params.federation.name == "Förbundet " + text
