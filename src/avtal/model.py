"""The typed parameter model of a cooperation.

One YAML parameter file describes one cooperation. Every mapping forbids unknown keys, so
a misspelt key is an error and never a silently missing clause. Cross-field rules (one
host, shares that sum to 100, parties referred to by id exist) live here too, so that a
valid :class:`Params` is always buildable.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from decimal import Decimal
from typing import Annotated, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, field_validator, model_validator

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
    def _order(self) -> Term:
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
    chair: PartyId = Field(description="Party whose member chairs the council")
    meetings_per_year: int = Field(ge=1, le=52)
    mandate: list[Text] = Field(min_length=1)


class Governance(Strict):
    """Who steers the activity."""

    responsible_body: Name = Field(description="Host's responsible nämnd, e.g. regionstyrelsen")
    steering_council: SteeringCouncil
    policies: Literal["host", "joint"] = Field(
        "host", description="host: the host's policies apply; joint: adopted by both"
    )


Percent = Annotated[Decimal, Field(gt=0, le=100, max_digits=5, decimal_places=2)]
Amount = Annotated[Decimal, Field(gt=0, max_digits=15, decimal_places=2)]


class CostBasis(Strict):
    """A basis for proportional cost shares, e.g. population."""

    name: Name = Field(description="e.g. antal invånare den 31 december året före")
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
    def _per_model(self) -> Costs:
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


MonthDay = Annotated[str, Field(pattern=r"^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$")]


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
    """Delegation to employees of the other party and how decisions are reported."""

    matters: list[DelegatedMatter] = Field(min_length=1)
    report_frequency: Literal["monthly", "each_meeting", "quarterly"] = "quarterly"
    report_to: Literal["styrelse", "responsible_body"] = "styrelse"


class CommitteeSeats(Strict):
    """A party's seats in a gemensam nämnd."""

    party: PartyId
    members: int = Field(ge=0, le=50, description="Ledamöter elected by the party's fullmäktige")
    substitutes: int = Field(
        ge=0, le=50, description="Ersättare elected by the party's fullmäktige"
    )


class Committee(Strict):
    """A gemensam nämnd (9 kap. 19–35 §§ kommunallagen)."""

    name: Name = Field(description="e.g. Inköpsnämnden")
    seats: list[CommitteeSeats] = Field(min_length=2)
    chair: PartyId
    vice_chair: PartyId | None = None
    meetings_per_year: int = Field(ge=1, le=52)
    remote_participation: bool = True
    notice_days: int = Field(7, ge=1, le=30, description="Days before a meeting the notice is sent")
    cost_per_meeting: Amount | None = Field(None, description="Arvoden and travel per meeting, SEK")
    term_years: int = Field(4, ge=1, le=4, description="Years of a term of office")
    report_to_councils: Literal["yearly", "half_yearly"] = "yearly"


class FederationSeats(Strict):
    """A member's seats in the förbund's assembly (förbundsfullmäktige or direktion)."""

    party: PartyId
    members: int = Field(ge=0, le=50, description="Ledamöter")
    substitutes: int = Field(ge=0, le=50, description="Ersättare")


class Federation(Strict):
    """A kommunalförbund (9 kap. 3–18 §§ kommunallagen)."""

    name: Name = Field(description="e.g. Sörmlands arkivförbund")
    seat: Name = Field(description="Säte, e.g. Nyköping")
    purpose: Text = Field(description="The förbund's purpose (ändamål)")
    organ: Literal["forbundsfullmaktige", "direktion"]
    seats: list[FederationSeats] = Field(min_length=2)
    term_years: int = Field(ge=1, le=10, description="Term of office in years")
    auditors: int = Field(ge=1, le=20, description="Number of revisorer")
    member_initiative: bool = Field(True, description="Members may raise matters (item 6)")
    qualified_majority: list[Text] = Field(
        default_factory=list, description="Matters needing a qualified majority (item 7)"
    )
    notice_board_url: Annotated[str, Field(pattern=r"^https://[^\s]+$")] = Field(
        description="Website of the förbund's anslagstavla (item 10)"
    )
    budget_adopted_by: MonthDay = Field(description="MM-DD by which the budget is adopted")
    reporting_per_year: int = Field(2, ge=1, le=12, description="Reports to the members a year")
    withdrawal_notice_years: int = Field(ge=1, le=10, description="Notice of withdrawal (item 15)")
    fees_set_by: Literal["members", "federation"] = Field(
        "federation", description="Who sets the arvoden (item 18)"
    )


class Owner(Strict):
    """A party's holding in a co-owned company."""

    party: PartyId
    shares: int = Field(ge=1, description="Number of shares held")
    board_seats: int = Field(ge=0, le=10)


class Company(Strict):
    """A co-owned municipal company (10 kap. 3–4 §§ kommunallagen, aktiebolagslagen)."""

    name: Name = Field(description="Företagsnamn, e.g. Mälardalens IT AB")
    org_number: OrgNumber | None = Field(None, description="Once registered")
    seat: Name = Field(description="Säte: the kommun where the board has its seat")
    object: Text = Field(description="Verksamhetsföremål (ABL 3:1)")
    purpose: Text = Field(description="Municipal purpose (10 kap. 3 § kommunallagen)")
    share_capital: Amount = Field(description="Aktiekapital, SEK (at least 25 000)")
    share_capital_max: Amount | None = None
    owners: list[Owner] = Field(min_length=2)
    board_min: int = Field(ge=1, le=20)
    board_max: int = Field(ge=1, le=20)
    deputies: bool = Field(False, description="Suppleanter to the board")
    auditors: int = Field(1, ge=1, le=5, description="Revisorer")
    lay_auditor_per_owner: bool = Field(True, description="Each owner appoints a lekmannarevisor")
    non_profit: bool = Field(True, description="Not run for profit (ABL 3:3)")
    surplus_use: Text | None = Field(None, description="How a surplus is used, if non-profit")
    financial_year: Literal["kalenderår"] = "kalenderår"
    deadlock: Literal["owners_meeting", "mediation"] = "owners_meeting"
    pre_emption: bool = Field(True, description="Förköpsförbehåll in the bolagsordning")
    exit_notice_months: int = Field(24, ge=1, le=120)


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


class ReplacedCommittee(Strict):
    """A gemensam nämnd that the new cooperation replaces."""

    name: Name = Field(description="e.g. den gemensamma inköpsnämnden")
    reglemente: Name = Field(description="e.g. Reglemente för inköpsnämnden")


class Matter(Strict):
    """Council-matter data for ``avtal bundle``."""

    parties: list[PartyMatter] = Field(min_length=1)
    attachments: list[MatterAttachment] = Field(default_factory=list)
    replaces: ReplacedCommittee | None = None


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


class Disputes(Strict):
    """How disputes are settled."""

    court: Name = Field("allmän domstol", description="e.g. Eskilstuna tingsrätt")


class DocumentMeta(Strict):
    """Metadata printed on every document of the build."""

    id: Annotated[str, Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]{0,39}$")]
    version: Annotated[str, Field(pattern=r"^[0-9A-Za-z][0-9A-Za-z.\-]{0,15}$")]
    date: dt.date
    status: Literal["utkast", "slutlig"]


class Params(Strict):
    """A whole parameter file."""

    form: Form
    document: DocumentMeta
    activity: Activity
    parties: list[Party] = Field(min_length=2, max_length=50)
    term: Term
    governance: Governance | None = None
    committee: Committee | None = None
    federation: Federation | None = None
    company: Company | None = None
    costs: Costs | None = None
    insight: Insight | None = None
    delegation: Delegation | None = None
    audit: Audit = Audit()
    personal_data: PersonalData = PersonalData()
    procurement: Procurement | None = None
    disputes: Disputes = Disputes()
    matter: Matter | None = None

    @property
    def host(self) -> Party:
        """The party that performs the task."""
        return next(p for p in self.parties if p.host)

    def party(self, party_id: str) -> Party:
        """Look up a party by id."""
        return next(p for p in self.parties if p.id == party_id)

    @field_validator("parties")
    @classmethod
    def _parties(cls, parties: list[Party]) -> list[Party]:
        problems: list[str] = []
        for label, values in (
            ("id", [p.id for p in parties]),
            ("name", [p.name for p in parties]),
            ("org_number", [p.org_number for p in parties]),
        ):
            dupes = sorted({v for v in values if values.count(v) > 1})
            if dupes:
                problems.append(f"duplicate party {label}: {', '.join(dupes)}")
        hosts = [p.id for p in parties if p.host]
        if len(hosts) != 1:
            problems.append(
                "exactly one party must have host: true"
                + (f" (found {len(hosts)}: {', '.join(hosts)})" if hosts else " (found none)")
            )
        if problems:
            raise ValueError("; ".join(problems))
        return parties

    @model_validator(mode="after")
    def _cross_checks(self) -> Params:
        ids = [p.id for p in self.parties]
        problems: list[str] = []
        known = set(ids)

        def refs(path: str, values: list[str]) -> None:
            for value in values:
                if value not in known:
                    problems.append(
                        f"{path}: unknown party {value!r}; parties are {', '.join(ids)}"
                    )

        required = {
            "avtalssamverkan": ("governance", "insight", "delegation", "costs"),
            "gemensam_namnd": ("committee", "costs"),
            "kommunalforbund": ("federation", "costs"),
            "bolag": ("company",),
        }[self.form]
        for key in required:
            if getattr(self, key) is None:
                problems.append(f"{key}: required for form {self.form!r}")
        if self.form in ("avtalssamverkan", "gemensam_namnd") and self.term.notice_months is None:
            problems.append(f"term.notice_months: required for form {self.form!r}")
        only = {
            "governance": "avtalssamverkan",
            "insight": "avtalssamverkan",
            "committee": "gemensam_namnd",
            "federation": "kommunalforbund",
            "company": "bolag",
        }
        for key, form in only.items():
            if getattr(self, key) is not None and self.form != form:
                problems.append(f"{key}: only used with form {form!r}")
        if self.federation is not None:
            for index, fseat in enumerate(self.federation.seats):
                refs(f"federation.seats[{index}].party", [fseat.party])
            missing_f = [i for i in ids if i not in [f.party for f in self.federation.seats]]
            if missing_f:
                problems.append(f"federation.seats: no seats for {', '.join(missing_f)}")
        if self.matter is not None:
            for index, entry in enumerate(self.matter.parties):
                refs(f"matter.parties[{index}].party", [entry.party])
        if self.company is not None:
            for index, owner in enumerate(self.company.owners):
                refs(f"company.owners[{index}].party", [owner.party])
            missing_o = [i for i in ids if i not in [o.party for o in self.company.owners]]
            if missing_o:
                problems.append(f"company.owners: no holding for {', '.join(missing_o)}")
            if self.company.board_min > self.company.board_max:
                problems.append("company.board_min: larger than board_max")
            if self.company.share_capital < 25000:
                problems.append("company.share_capital: at least 25 000 kronor (ABL 1:5)")
        if self.governance is not None:
            council = self.governance.steering_council
            refs("governance.steering_council.members", [m.party for m in council.members])
            refs("governance.steering_council.chair", [council.chair])
        if self.insight is not None:
            refs(
                "insight.quarterly_reports.approved_by", self.insight.quarterly_reports.approved_by
            )
        if self.delegation is not None:
            for index, matter in enumerate(self.delegation.matters):
                refs(f"delegation.matters[{index}].employer", [matter.employer])
        if self.committee is not None:
            refs("committee.chair", [self.committee.chair])
            if self.committee.vice_chair is not None:
                refs("committee.vice_chair", [self.committee.vice_chair])
            for index, seat in enumerate(self.committee.seats):
                refs(f"committee.seats[{index}].party", [seat.party])
            seated = [seat.party for seat in self.committee.seats]
            missing_seats = [i for i in ids if i not in seated]
            if missing_seats:
                problems.append(f"committee.seats: no seats for {', '.join(missing_seats)}")
        costs = self.costs
        for label, mapping in (
            ("costs.shares", costs.shares if costs else None),
            ("costs.basis.values", costs.basis.values if costs and costs.basis else None),
        ):
            if mapping is not None:
                refs(label, list(mapping))
                missing = [i for i in ids if i not in mapping]
                if missing:
                    problems.append(f"{label}: no value for {', '.join(missing)}")
        if problems:
            # One line per problem, each "dotted.path: message", so that the loader can
            # place every problem on its own line of the parameter file.
            raise ValueError("\n".join(problems))
        return self
