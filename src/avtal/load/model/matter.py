"""Council-matter data: what each party's memo needs."""

import datetime as dt
import unicodedata
from pathlib import PurePosixPath
from typing import Annotated, Literal

from pydantic import AfterValidator, Field

from avtal.load.model.base import Name, PartyId, Strict, Text
from avtal.load.model.sections import Amount


class Handlaggare(Strict):
    """The official who prepared a council matter."""

    name: Name
    title: Name
    email: Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+$")] | None = None


class PartyMatter(Strict):
    """One party's council matter (ärende). Required fields are checked by ``avtal bundle``."""

    party: PartyId
    diarienummer: Annotated[str, Field(pattern=r"^[\w][\w .:/-]*$", max_length=40)] | None = None
    deciding_body: Name | None = Field(None, description="e.g. regionfullmäktige")
    prepared_by: Name | None = Field(None, description="e.g. regionstyrelsen")
    date: dt.date | None = Field(
        None, description="The memo's own date (default: document.date), not the meeting day"
    )
    meeting_date: dt.date | None = None
    status: Literal["utkast", "slutlig"] | None = Field(
        None, description="The memo's own status (default: document.status)"
    )
    handlaggare: Handlaggare | None = None
    send_to: list[Name] = Field(default_factory=list, description="Beslutet skickas till")
    board_members: list[Name] = Field(
        default_factory=list, description="bolag: the board members this party appoints"
    )
    lay_auditors: list[Name] = Field(
        default_factory=list, description="bolag: the lekmannarevisorer this party appoints"
    )


def _attachment_file(value: str) -> str:
    """A relative path to a PDF, without control characters or ``..``."""
    for char in value:
        if unicodedata.category(char) in {"Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp"}:
            raise ValueError(
                f"contains the control or invisible character U+{ord(char):04X}; rename the file"
            )
    path = PurePosixPath(value)
    if path.is_absolute() or "\\" in value:
        raise ValueError("must be a path relative to the folder of the parameter file")
    if ".." in path.parts:
        raise ValueError("must not contain '..': attachments stay inside the folder")
    if path.suffix.lower() != ".pdf":
        raise ValueError("must name a PDF file (.pdf)")
    return value


class MatterAttachment(Strict):
    """An extra attachment, e.g. the investigation, as a PDF beside the parameter file."""

    title: Name
    file: Annotated[str, Field(max_length=300), AfterValidator(_attachment_file)]


class ReplacedFees(Strict):
    """The fees of the replaced body's members, which end with it."""

    per_meeting: Amount = Field(description="Fees and allowances per meeting, all members, SEK")
    meetings_per_year: int = Field(ge=1, le=52)
    term_years: int = Field(4, ge=1, le=4, description="Years of a term of office")


class Budget(Strict):
    """A budget figure decided for one year (not the worked example)."""

    year: int = Field(ge=2000, le=2100)
    amount: Amount = Field(description="SEK")


class Economy(Strict):
    """Economic facts for the memo's "Ekonomiska konsekvenser"."""

    replaced_fees: ReplacedFees | None = None
    staff: Text | None = Field(None, description="The consequences for staff, in one sentence")
    first_budget: Budget | None = Field(
        None,
        description=(
            "kommunalförbund: the part of the first year's budget that the members' "
            "contributions cover, shared by the cost key"
        ),
    )


class Matter(Strict):
    """Council-matter data for ``avtal bundle``."""

    parties: list[PartyMatter] = Field(min_length=1)
    attachments: list[MatterAttachment] = Field(default_factory=list)
    background: Text | None = Field(
        None, description="The memo's Bakgrund, worded as a proposal (required by bundle)"
    )
    economy: Economy = Economy()
