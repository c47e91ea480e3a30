"""The legal substance of the avtalssamverkan documents, read from their built text."""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any

from avtextra import add_parties, sentences, texts
from conftest import EXAMPLE


def agreement_and_annexes(path: Path = EXAMPLE) -> tuple[str, str]:
    """The agreement's own text and the text of its annexes."""
    text = texts(path)["samverkansavtal"]
    body, _, annexes = text.partition("\n## Bilaga 1")
    return body, "## Bilaga 1" + annexes


# --- Delegation (9 kap. 37 §, 7 kap. 5–8 §§) -------------------------------------------------


def test_the_annex_is_the_frame_for_the_nämnds_own_decision() -> None:
    body, annexes = agreement_and_annexes()
    delegation = annexes.partition("## Bilaga 2")[2]
    assert "Ram för delegation" in delegation.split("\n")[0]
    assert "vägnar i följande ärenden" not in delegation
    assert "Bilagan innebär inte i sig någon delegation" in delegation
    assert "ram för nämndens eget beslut om delegation, som ska fattas före den 1 januari 2027" in (
        delegation
    )
    assert "Hos Region Västmanland är den delegerande nämnden regionstyrelsen." in body
    assert "beslut om delegation enligt 7 kap. 5 § kommunallagen" in body
    # Onward delegation across parties is the parties' assessment, not settled law.
    assert "Det är inte klarlagt om en anställd hos en annan kommun eller region" in body
    assert "| Region Sörmlands inköpschef |" in delegation


def test_decisions_are_reported_to_the_delegating_nämnd_once() -> None:
    text = texts(EXAMPLE)["samverkansavtal"]
    receivers = [
        s.split(" anmälas till ", 1)[1]
        for s in sentences(text)
        if " anmälas till " in s or " anmäls till " in s
    ]
    assert receivers == ["den delegerande nämnden, som bestämmer i vilken ordning det ska ske."]
    assert "anmälas till styrelsen" not in text


def test_three_parties_name_each_delegating_nämnd(write_params: Callable[..., Path]) -> None:
    def change(d: dict[str, Any]) -> None:
        add_parties(d, 1)
        d["delegation"]["delegating_body"]["uppsala"] = "hälso- och sjukvårdsnämnden"
        d["delegation"]["copies_for_information"] = True

    body, _ = agreement_and_annexes(write_params(change))
    assert (
        "Den delegerande nämnden är hos Region Västmanland regionstyrelsen och hos Region Uppsala "
        "hälso- och sjukvårdsnämnden." in body
    )
    assert "för kännedom till övriga Parter" in body
    assert "innebär inte att besluten anmäls där" in body
    assert not re.search(r"anmälas till (?!den delegerande nämnden)", body)
