"""Sections of a parameter file shared by the forms: activity, term, costs, insight, audit."""

import datetime as dt
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import Field, model_validator

from avtal.load.model.base import MonthDay as MonthDay
from avtal.load.model.base import Name, PartyId, Strict, Text


class Activity(Strict):
    """The task the cooperation concerns."""

    name: Name = Field(description="Definite form, e.g. inköpsverksamheten")
    description: Text
    scope: list[Text] = Field(min_length=1, description="What the assignment includes")
    exclusions: list[Text] = Field(default_factory=list, description="What it does not include")


class Term(Strict):
    """Duration, notice and renewal."""

    start: dt.date
    end: dt.date | None = Field(None, description="Omit for an agreement until further notice")
    notice_months: int | None = Field(
        None, ge=1, le=60, description="Notice period in months (agreements)"
    )
    renewal_years: int | None = Field(
        None, ge=1, le=10, description="Automatic extension in years unless notice is given"
    )

    @model_validator(mode="after")
    def _order(self) -> "Term":
        if self.end is not None and self.end <= self.start:
            raise ValueError(f"end: {self.end} is not after start {self.start}")
        if self.end is None and self.renewal_years is not None:
            raise ValueError("renewal_years: needs an end date")
        return self


class CouncilMember(Strict):
    """One seat on the steering council."""

    party: PartyId
    position: Name = Field(description="e.g. regiondirektör")


class SteeringCouncil(Strict):
    """The officials' joint steering council, e.g. Inköpsrådet."""

    name: Name
    members: list[CouncilMember] = Field(min_length=2)
    adjunct: list[Name] = Field(default_factory=list, description="Attend without a seat")
    chair: PartyId = Field(description="Party whose member chairs the council (the first year)")
    chair_rotates: bool = Field(
        False,
        description="The chair passes to the next party every calendar year, in the order of "
        "parties, starting with chair",
    )
    meetings_per_year: int = Field(ge=1, le=52)
    mandate: list[Text] = Field(min_length=1)


class Governance(Strict):
    """Who steers the activity."""

    responsible_body: Name = Field(description="Host's responsible nämnd, e.g. regionstyrelsen")
    steering_council: SteeringCouncil
    policies: Literal["host", "joint"] = Field(
        "host",
        description="joint: a joint procurement policy and goals adopted by identical decisions "
        "of every party's fullmäktige (or of a styrelse fullmäktige has given the task); host: "
        "the host's policies govern how the work is done, each "
        "commissioning party keeps its own goals",
    )


Percent = Annotated[Decimal, Field(gt=0, le=100, max_digits=5, decimal_places=2)]
Amount = Annotated[Decimal, Field(gt=0, max_digits=15, decimal_places=2)]


class CostBasis(Strict):
    """A basis for proportional cost shares, e.g. population."""

    name: Name = Field(description="e.g. antal invånare den 31 december året före")
    heading: Name | None = Field(
        None,
        description="The basis as the column heading of the cost tables, e.g. Antal invånare; "
        "default: name, with a capital",
    )
    values: dict[PartyId, Amount]


class Costs(Strict):
    """How the costs of the activity are shared."""

    model: Literal["equal", "fixed", "proportional"]
    shares: dict[PartyId, Percent] | None = Field(None, description="Percent per party (fixed)")
    basis: CostBasis | None = Field(None, description="Basis per party (proportional)")
    direct_costs: bool = Field(
        True, description="Costs attributable to one party alone are charged to that party"
    )
    settlement: Literal["monthly", "quarterly", "half_yearly", "yearly"] = "quarterly"
    payment_days: int = Field(30, ge=1, le=90)
    budget_consultation_month: int = Field(
        4, ge=1, le=12, description="Month by which the host consults on next year's budget"
    )
    example_budget: Amount = Field(description="Budget figure for the worked example, SEK")

    @model_validator(mode="after")
    def _per_model(self) -> "Costs":
        if self.model == "fixed":
            if self.shares is None:
                raise ValueError("shares: model 'fixed' needs shares")
            total = sum(self.shares.values(), Decimal(0))
            if total != 100:
                raise ValueError(f"shares: must sum to 100; they sum to {total}")
        elif self.shares is not None:
            raise ValueError(f"shares: only used with model 'fixed', not {self.model!r}")
        if self.model == "proportional" and self.basis is None:
            raise ValueError("basis: model 'proportional' needs basis")
        if self.model != "proportional" and self.basis is not None:
            raise ValueError(f"basis: only used with model 'proportional', not {self.model!r}")
        return self


class QuarterlyReports(Strict):
    """Quarterly reports from the performing party."""

    approved_by: list[PartyId] = Field(
        min_length=1, description="Parties whose styrelse approves each report"
    )
    deadline_days: int = Field(ge=1, le=90, description="Days after the end of the quarter")
    contents: list[Text] = Field(min_length=1)


class Insight(Strict):
    """Insight and follow-up."""

    quarterly_reports: QuarterlyReports
    annual_report_by: MonthDay = Field(
        description="MM-DD by which the host supplies input to each styrelse's 9:38 report"
    )
    information_rights: bool = True


class DelegatedMatter(Strict):
    """A matter, or group of matters, delegated under 9 kap. 37 § to an employee."""

    matter: Text
    position: Name = Field(description="Position of the employee, e.g. inköpschef")
    employer: PartyId
    limit: Text | None = Field(None, description="e.g. avtal upp till 10 miljoner kronor")
    delegate_type: Literal["employee", "committee", "elected"] = Field(
        "employee",
        description="Who receives the delegation: an employee, a nämnd or an elected member",
    )


class Delegation(Strict):
    """The frame for each commissioning party's own delegation decision, and its reporting.

    The agreement delegates nothing: a commissioning party's nämnd delegates by its own
    decision (7 kap. 5 §) and receives the reports of the decisions (7 kap. 8 §).
    """

    matters: list[DelegatedMatter] = Field(min_length=1)
    report_frequency: Literal["monthly", "each_meeting", "quarterly"] = "quarterly"
    delegating_body: dict[PartyId, Name] = Field(
        default_factory=dict,
        description="Per commissioning party: the nämnd that decides on the delegation and to "
        "which decisions are reported, definite form (default: the party's styrelse)",
    )
    copies_for_information: bool = Field(
        False,
        description="With three or more parties: the list of decisions also goes to the other "
        "parties, for information only",
    )


class Audit(Strict):
    """Audit and access for auditors."""

    other_party_access: bool = Field(True, description="Other parties' auditors get insight")
    coordinated_review: bool = Field(True, description="Auditors may review jointly")


class PersonalData(Strict):
    """Personal data processed in the activity."""

    processed: bool = True
    processor_agreement: bool = Field(
        True, description="The host processes on the other parties' behalf (GDPR art. 28)"
    )


class Procurement(Strict):
    """Points specific to a joint procurement function."""

    lou_basis: Literal["cooperation", "central_purchasing"] = "cooperation"
    justification: Text = Field(description="Why the basis in LOU applies (recorded, not asserted)")
    signs_contracts: Literal["each", "host"] = Field(
        "each", description="each: each party signs its own contracts; host: the host signs"
    )
    contributions: dict[PartyId, Text] = Field(
        default_factory=dict,
        description="Per party: what it contributes to the cooperation itself, beyond paying "
        "(LOU 3 kap. 17 §; C-429/19 Remondis)",
    )


class Disputes(Strict):
    """How disputes are settled."""

    court: Name = Field("allmän domstol", description="e.g. Eskilstuna tingsrätt")


class DocumentMeta(Strict):
    """Metadata printed on every document of the build."""

    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")]
    version: Annotated[str, Field(pattern=r"^[0-9A-Za-z][0-9A-Za-z.\-]{0,15}$")]
    date: dt.date
    status: Literal["utkast", "slutlig"]


class ReplacedCommittee(Strict):
    """A body (a gemensam nämnd) that the new cooperation replaces.

    It ends at the close of the day before the cooperation starts (or, with ``continues``, goes
    on under the new reglemente and agreement). Its presence makes the agreement carry a
    transition clause and the council matters the decisions that end it; only ``members``
    repeal its reglemente and end its agreement.
    """

    name: Name = Field(description="definite form, e.g. den gemensamma inköpsnämnden")
    reglemente: Name = Field(description="definite form, e.g. reglementet för inköpsnämnden")
    host: PartyId | None = Field(
        default=None, description="the party in whose organisation the body sits"
    )
    agreement: Name | None = Field(
        default=None,
        description="the earlier cooperation agreement on the body, definite form, if any",
    )
    members: list[PartyId] | None = Field(
        default=None,
        min_length=1,
        description="the parties that were members of the body; default: every party",
    )
    continues: bool = Field(
        default=False,
        description="gemensam nämnd: the body goes on as the new nämnd under the new reglemente "
        "and agreement, instead of being dissolved",
    )

    def problems(self, ids: list[str], host: str, form: str) -> list[str]:
        """What is wrong with the body against the cooperation's parties, host and form."""
        out = [
            f"replaces.members[{index}]: unknown party {member!r}; parties are {', '.join(ids)}"
            for index, member in enumerate(self.members or [])
            if member not in ids
        ]
        members = self.members or ids
        for index, member in enumerate(members):
            if member in members[:index]:
                out.append(f"replaces.members[{index}]: {member!r} is listed twice")
        if self.host is not None and self.host in ids and self.host not in members:
            out.append(f"replaces.host: {self.host!r} is not one of replaces.members")
        elif self.host is None and host not in members:
            out.append(
                f"replaces.members: the body's host defaults to the new host {host!r}, which is "
                "not one of them; name the body's host in replaces.host"
            )
        if self.continues and form != "gemensam_namnd":
            out.append("replaces.continues: only used with form 'gemensam_namnd'")
        elif self.continues and (self.host or host) != host:
            out.append(
                f"replaces.continues: the body sits with {self.host!r}, the new nämnd with "
                f"{host!r}; a nämnd that moves to another party is dissolved, not continued"
            )
        return out
