"""The fifth reading of the memos: what a lawyer found, and how the memos now read.

Each test builds the bundled examples (with two and with five parties) and reads the memo's
sentences against the parameters and the documents that the memo cites.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from test_bundle_matters import _gn, _memo, _write
from test_bundle_memo_text import _section
from test_lawyer2_memo import NAMES, _flat, _parties


def _economy(params: Path, party: str) -> str:
    """The memo's Ekonomiska konsekvenser, as one line."""
    return _flat(_section(_memo(params, party), "Ekonomiska konsekvenser", "Juridisk bedömning"))


# --- 8: the fees of the seats a party elects, singular for one of each -----------------------


@pytest.mark.parametrize("extra", [0, 3])
def test_the_fees_sentence_names_the_seats_the_party_elects(tmp_path: Path, extra: int) -> None:
    data = _gn(extra)
    if extra:
        data["committee"]["seats"][-1]["substitutes"] = 2
    params = _write(tmp_path, data)
    seats = {s["party"]: s for s in data["committee"]["seats"]}
    for party in _parties(2 + extra):
        economy = _economy(params, party)
        found = re.search(
            rf"och {NAMES[party]} betalar alltså endast arvodena till (.*?) som regionen väljer\.",
            economy,
        )
        assert found, party
        members = "den ledamot" if seats[party]["members"] == 1 else "de ledamöter"
        substitutes = "den ersättare" if seats[party]["substitutes"] == 1 else "de ersättare"
        assert found.group(1) == f"{members} och {substitutes}", party
