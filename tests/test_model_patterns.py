"""Patterns of the parameter model accept and refuse what their words in messages say."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from avtal.load.model.matter import PartyMatter


@pytest.mark.parametrize("value", ["RS-2026-1234", "Dnr 2026/12:3", "Å" * 40])
def test_diarienummer_accepted(value: str) -> None:
    assert PartyMatter(party="sormland", diarienummer=value).diarienummer == value


@pytest.mark.parametrize("value", ["A" * 41, "-RS-1", "RS_1;x", "RS\n1"])
def test_diarienummer_refused(value: str) -> None:
    with pytest.raises(ValidationError):
        PartyMatter(party="sormland", diarienummer=value)
