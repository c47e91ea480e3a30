"""Shared types of the parameter model: text, names, organisation numbers, parties."""

from __future__ import annotations

import re
import unicodedata
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field

Form = Literal["avtalssamverkan", "gemensam_namnd", "kommunalforbund", "bolag"]
FORMS: tuple[str, ...] = ("avtalssamverkan", "gemensam_namnd", "kommunalforbund", "bolag")

_FORBIDDEN_CATEGORIES = {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}


def _clean_text(value: str) -> str:
    """Refuse invisible and control characters; collapse runs of white space.

    Contract text must show exactly what it says: a control character, a bidirectional
    override or a private-use character could hide or reorder words in one output format
    and not another. Soft hyphen and zero-width characters are refused for the same reason.
    """
    for index, char in enumerate(value):
        if char in "\n\t\r":
            continue
        if unicodedata.category(char) in _FORBIDDEN_CATEGORIES:
            name = unicodedata.name(char, f"U+{ord(char):04X}")
            raise ValueError(
                f"contains the invisible or control character {name} (U+{ord(char):04X}) "
                f"at position {index + 1}"
            )
    cleaned = " ".join(value.split())
    if not cleaned:
        raise ValueError("must not be empty")
    return cleaned


#: Free text that ends up in a document: printable, trimmed, never empty.
Text = Annotated[str, Field(max_length=2000), AfterValidator(_clean_text)]
#: A short name, e.g. a party or a position.
Name = Annotated[str, Field(max_length=200), AfterValidator(_clean_text)]
#: Identifier of a party inside the parameter file.
PartyId = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_-]{0,39}$")]


def _org_number(value: str) -> str:
    digits = value.replace("-", "")
    if not re.fullmatch(r"\d{10}", digits):
        raise ValueError("must be ten digits written NNNNNN-NNNN, e.g. 232100-0032")
    total = 0
    for position, char in enumerate(digits):
        product = int(char) * (2 if position % 2 == 0 else 1)
        total += product - 9 if product > 9 else product
    if total % 10:
        raise ValueError(f"{value} fails the organisation number check digit")
    return f"{digits[:6]}-{digits[6:]}"


OrgNumber = Annotated[str, AfterValidator(_org_number)]


class Strict(BaseModel):
    """Base of every parameter mapping: unknown keys are errors, values are immutable."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)


class Signatory(Strict):
    """Who signs for a party."""

    name: Name
    title: Name = Field(description="e.g. regionstyrelsens ordförande")


class Party(Strict):
    """A kommun or region that is a party to the cooperation."""

    id: PartyId = Field(description="Short id used elsewhere in the file, e.g. sormland")
    name: Name = Field(description="Legal name, e.g. Region Sörmland")
    org_number: OrgNumber = Field(description="Organisation number NNNNNN-NNNN")
    kind: Literal["region", "kommun", "kommunalforbund", "bolag"] = Field(
        description="Only kommuner and regioner can cooperate by avtalssamverkan or gemensam nämnd"
    )
    host: bool = Field(False, description="True for the party that performs the task")
    seat: Name = Field(description="Town where the party signs, e.g. Nyköping")
    signatory: Signatory
    styrelse: Name | None = Field(None, description="Defaults to regionstyrelsen/kommunstyrelsen")
    fullmaktige: Name | None = Field(
        None, description="Defaults to regionfullmäktige/kommunfullmäktige"
    )

    @property
    def styrelse_name(self) -> str:
        """The party's styrelse, as written in running text."""
        if self.styrelse:
            return self.styrelse
        return {"region": "regionstyrelsen", "kommun": "kommunstyrelsen"}.get(
            self.kind, "styrelsen"
        )

    @property
    def fullmaktige_name(self) -> str:
        """The party's fullmäktige, as written in running text."""
        if self.fullmaktige:
            return self.fullmaktige
        return {"region": "regionfullmäktige", "kommun": "kommunfullmäktige"}.get(
            self.kind, "fullmäktige"
        )
