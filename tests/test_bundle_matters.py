"""Council matters that agree with their documents: who adopts what, for whom, under which label.

The memos are assembled in process (no rendering), for two parties and for five, so that a
decision the memo proposes can be compared with what the agreement says of the same thing.
"""

from __future__ import annotations

import copy
import re
from pathlib import Path
from typing import Any

import pytest
import yaml

from avtextra import EXTRA_REGIONS, add_parties, texts
from conftest import EXAMPLE


def _memo(params: Path, party: str) -> str:
    """One party's memo as plain text, assembled without rendering the bundle."""
    from avtal.bundle.matter import attachments, check_matter, load_matter
    from avtal.bundle.memo import make_memo
    from avtal.check import lint
    from avtal.project import load_project
    from avtal.render.markdown import render_markdown, unescape

    project = load_project(params)
    source = load_matter(project, None)
    entries = check_matter(project, source)
    parts = attachments(project, source)
    memo = make_memo(
        project,
        source,
        project.params.party(party),
        entries[party],
        parts,
        lint(project),
        "0" * 64,
    )
    text = unescape(render_markdown(memo).decode("utf-8")).replace("\u00a0", " ")
    return " ".join(text.replace("**", "").split())


def _write(tmp_path: Path, data: dict[str, Any], name: str = "p.yaml") -> Path:
    path = tmp_path / name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _with_parties(data: dict[str, Any], count: int) -> dict[str, Any]:
    """The avtalssamverkan example with ``count`` more regions, each with its own matter."""
    data = copy.deepcopy(data)
    add_parties(data, count)
    template = data["matter"]["parties"][1]
    for index, (pid, _name, _org, _seat) in enumerate(EXTRA_REGIONS[:count]):
        data["matter"]["parties"].append(
            {**copy.deepcopy(template), "party": pid, "diarienummer": f"R-2026-{index + 10}"}
        )
    return data


def _example() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(EXAMPLE.read_text(encoding="utf-8"))
    return loaded


def _decisions(memo: str) -> tuple[str, str]:
    """The memo's proposed decisions: fullmäktige's, and the styrelse's own (may be empty)."""
    part = memo[memo.index("Förslag till beslut") : memo.index("Bakgrund")]
    own = re.search(r" \S+ beslutar för egen del", part)
    if own is None:
        return part, ""
    return part[: own.start()], part[own.start() :]


# --- the arbetsordning: adopted by the body that may amend it -------------------------------


def _agreement_body(agreement: str) -> str:
    """Who adopts and amends the arbetsordning according to the agreement's amendment clause."""
    found = re.search(r"Arbetsordningen antas därför av (\w+) hos varje Part", agreement)
    assert found, "the amendment clause does not say who adopts the arbetsordning"
    changes = re.search(r"ändringar i den beslutas på samma sätt", agreement)
    assert changes, "the amendment clause does not say who amends the arbetsordning"
    return {"styrelsen": "styrelse", "fullmäktige": "fullmaktige"}[found.group(1)]


def _memo_body(memo: str, styrelse: str, number: str) -> str:
    """Which body the memo has adopt the arbetsordning: fullmäktige or the styrelse itself."""
    council, own = _decisions(memo)
    sats = f"att anta arbetsordning för Inköpsrådet enligt bilaga {number}"
    in_council, in_own = sats in council, sats in own
    assert in_council != in_own, "the memo adopts the arbetsordning once, in one body's part"
    if in_own:
        assert own.startswith(f" {styrelse.capitalize()} beslutar för egen del")
        return "styrelse"
    return "fullmaktige"


@pytest.mark.parametrize("extra", [0, 3])
def test_the_arbetsordning_is_adopted_by_the_body_the_agreement_lets_amend_it(
    tmp_path: Path, extra: int
) -> None:
    params = _write(tmp_path, _with_parties(_example(), extra))
    built = texts(params)
    agreement = " ".join(built["samverkansavtal"].split())
    number = re.search(r"## Bilaga (\d+) – Arbetsordning", built["samverkansavtal"])
    assert number
    body = _agreement_body(agreement)
    # The definition of Avtalet names the annexes fullmäktige approves; the arbetsordning is
    # not one of them when the styrelser adopt it.
    avtalet = re.search(r"- Avtalet: detta samverkansavtal med (.*?)\. -", agreement)
    assert avtalet
    included = re.findall(r"bilaga (\d+)", avtalet.group(1))
    assert included == ["1", "2"]
    assert (number.group(1) in included) == (body == "fullmaktige")
    own = " ".join(built["arbetsordning"].split())
    assert "Arbetsordningen har antagits av styrelsen hos varje Part genom likalydande beslut" in (
        own
    )
    assert "Ändringar i Arbetsordningen beslutas av styrelsen hos varje Part" in own
    for party in ["sormland", "vastmanland", *[r[0] for r in EXTRA_REGIONS[:extra]]]:
        memo = _memo(params, party)
        assert _memo_body(memo, "regionstyrelsen", number.group(1)) == body, party
        council, _ = _decisions(memo)
        approved = re.search(
            r"att godkänna samverkansavtal .*? med bilagorna (\d+) och (\d+),", council
        )
        assert approved and list(approved.groups()) == included, party
        assert f"(bilaga {number.group(1)}) bifogas samverkansavtalet men ingår inte i det" in memo
