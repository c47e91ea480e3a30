"""Council-matter data: what each party's memo needs."""

from __future__ import annotations

import datetime as dt
from typing import Annotated

from pydantic import Field

from avtal.load.model.base import Name, PartyId, Strict


class Handlaggare(Strict):
    """The official who prepared a council matter."""

    name: Name
    title: Name
    email: Annotated[str, Field(pattern=r"^[^@\s]+@[^@\s]+$")] | None = None


class PartyMatter(Strict):
    """One party's council matter (ärende). Required fields are checked by ``avtal bundle``."""

    party: PartyId
    diarienummer: Annotated[str, Field(pattern=r"^[\w][\w .:/-]{0,39}$")] | None = None
    deciding_body: Name | None = Field(None, description="e.g. regionfullmäktige")
    prepared_by: Name | None = Field(None, description="e.g. regionstyrelsen")
    meeting_date: dt.date | None = None
    handlaggare: Handlaggare | None = None
    send_to: list[Name] = Field(default_factory=list, description="Beslutet skickas till")


class MatterAttachment(Strict):
    """An extra attachment, e.g. the investigation, as a PDF beside the parameter file."""

    title: Name
    file: Annotated[str, Field(pattern=r"^[^/\\][^\\]*\.pdf$")]


class Matter(Strict):
    """Council-matter data for ``avtal bundle``."""

    parties: list[PartyMatter] = Field(min_length=1)
    attachments: list[MatterAttachment] = Field(default_factory=list)
