"""Parameters of the forms with an organ of their own: gemensam nämnd, kommunalförbund, bolag."""

from typing import Annotated, Literal

from pydantic import Field

from avtal.load.model.base import Name, OrgNumber, PartyId, Strict, Text
from avtal.load.model.sections import Amount, MonthDay


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
    auditors_elected_by: Literal["members", "host"] | None = Field(
        None,
        description="With a direktion: each member's fullmäktige elects an equal number of the "
        "revisorer (members), or the host's after consulting the others (host); needed when "
        "the number does not divide among the members",
    )
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
    convener: PartyId | None = Field(
        None,
        description="The member whose styrelse convenes the first meeting of the direktion "
        "(förbundsfullmäktige) after the förbundsordning enters into force; default: the host",
    )
    first_meeting_days: int = Field(
        30,
        ge=1,
        le=90,
        description="The first meeting, which adopts the first year's budget, is held at the "
        "latest this many days after term.start",
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
    share_capital_max: Amount | None = Field(
        None,
        description="Highest aktiekapital, SEK: the bolagsordning then states a lowest and a "
        "highest capital, and the number of shares in the same proportion",
    )
    share_capital_min: Amount | None = Field(
        None,
        description="Lowest aktiekapital, SEK, with share_capital_max (default: share_capital); "
        "low enough that the company can redeem an owner's shares, at least a fourth of "
        "share_capital_max",
    )
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
    in_house: bool = Field(
        True,
        description="The owners buy the company's services without procurement, on the LOU rules "
        "for a company they jointly control (3 kap. 11–16 §§ LOU)",
    )
    outside_share_max: int | None = Field(
        None,
        ge=0,
        le=100,
        description="Most of the company's activity, in percent, it may carry out for others than "
        "the owners (under 20 for the in-house rules)",
    )
