"""The starting parameter files of `avtal new`: commented, and valid under the current model."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml
from click.testing import CliRunner

from avtal.cli import main
from avtal.load.model import FORMS
from avtal.load.params import load_params
from avtal.paths import templates_dir


def key_lines(text: str) -> list[tuple[int, str]]:
    """The 0-based line and dotted path (list indices left out) of every key in a YAML text."""
    found: list[tuple[int, str]] = []

    def walk(node: yaml.Node, path: str) -> None:
        if isinstance(node, yaml.MappingNode):
            for key, value in node.value:
                here = f"{path}.{key.value}" if path else str(key.value)
                found.append((key.start_mark.line, here))
                walk(value, here)
        elif isinstance(node, yaml.SequenceNode):
            for item in node.value:
                walk(item, path + "[]")

    root = yaml.compose(text, Loader=yaml.SafeLoader)
    assert root is not None
    walk(root, "")
    return found


def uncommented_keys(text: str) -> list[str]:
    """Keys never explained: no comment on their line or on a comment line right above them.

    A key of a list item (the second party's ``name``) counts as explained when the same
    key is explained anywhere in the list.
    """
    lines = text.splitlines()
    explained: set[str] = set()
    places: dict[str, int] = {}
    for line, key in key_lines(text):
        above = lines[line - 1].strip() if line > 0 else ""
        places.setdefault(key, line + 1)
        if " #" in lines[line] or above.startswith("#"):
            explained.add(key)
    return [f"{line}: {key}" for key, line in places.items() if key not in explained]


def test_the_comment_check_finds_an_uncommented_key() -> None:
    text = (
        "# about a\na: 1\nb:          # about b\n  c: 2\n  d: {e: 1}  # d and e\n"
        "f:  # a list\n  - g: 1  # g\n  - g: 2\n    h: 3\n"
    )
    assert uncommented_keys(text) == ["4: b.c", "9: f[].h"]


@pytest.mark.parametrize("form", FORMS)
def test_every_key_of_every_starter_has_a_comment(form: str) -> None:
    text = (templates_dir() / "starters" / f"{form}.yaml").read_text(encoding="utf-8")
    assert uncommented_keys(text) == []


@pytest.mark.parametrize("form", FORMS)
def test_every_starter_loads_with_the_current_model_and_passes_strict_check(
    tmp_path: Path, form: str
) -> None:
    target = tmp_path / f"{form}.yaml"
    runner = CliRunner()
    result = runner.invoke(main, ["new", form, str(target)])
    assert result.exit_code == 0, result.output
    assert result.output == f"{target}\n"
    params, _ = load_params(target)
    assert params.form == form
    checked = runner.invoke(main, ["check", "--strict", str(target)])
    assert checked.exit_code == 0, checked.output
    assert checked.output.startswith(f"{target}: ok (")


def literal_options(path: str) -> set[str] | None:
    """The values a Literal model field allows at a key path, or None for other fields."""
    from typing import Literal, get_args, get_origin

    from pydantic import BaseModel

    from avtal.load.model import Params
    from avtal.load.params import _inner_model

    model: type[BaseModel] | None = Params
    annotation: object = None
    for part in path.replace("[]", "").split("."):
        if model is None or part not in model.model_fields:
            return None
        annotation = model.model_fields[part].annotation
        model = _inner_model(annotation)
    for candidate in (annotation, *get_args(annotation)):
        if get_origin(candidate) is Literal:
            return {str(a) for a in get_args(candidate)}
    return None


@pytest.mark.parametrize("form", FORMS)
def test_the_choices_a_comment_lists_are_the_model_s(form: str) -> None:
    from avtal.load.commented import Comments

    text = (templates_dir() / "starters" / f"{form}.yaml").read_text(encoding="utf-8")
    checked = 0
    for path, note in Comments(text).inline.items():
        allowed = literal_options(path)
        if allowed is None or "|" not in note:
            continue
        # "equal | fixed (with shares) | proportional (with basis)", "how often: a | b"
        listed = {re.split(r"[\s(:]", part.strip())[0] for part in note.split(":")[-1].split("|")}
        if not listed <= allowed:
            listed = {re.split(r"[\s(:]", p.strip())[0] for p in note.split("|")}
        assert listed <= allowed, f"{form}: {path}: {sorted(listed - allowed)} not in {allowed}"
        checked += 1
    assert checked >= 2
