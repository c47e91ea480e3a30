"""The whole parameter file and its cross-field rules."""

from pydantic import Field, field_validator, model_validator

from avtal.load.model.base import Form, Party, Strict, look_alike_key
from avtal.load.model.capital import capital_problems
from avtal.load.model.forms import Committee, Company, Federation
from avtal.load.model.matter import Matter
from avtal.load.model.sections import (
    Activity,
    Audit,
    Costs,
    Delegation,
    Disputes,
    DocumentMeta,
    Governance,
    Insight,
    PersonalData,
    Procurement,
    ReplacedCommittee,
    Term,
)


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
    replaces: ReplacedCommittee | None = None
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
            ("org_number", [p.org_number for p in parties]),
        ):
            dupes = sorted({v for v in values if values.count(v) > 1})
            if dupes:
                problems.append(f"duplicate party {label}: {', '.join(dupes)}")
        # Names that differ only in case, width or look-alike letters are one party.
        seen: dict[str, str] = {}
        for party in parties:
            key = look_alike_key(party.name)
            if key in seen:
                same = "" if seen[key] == party.name else f" (looks the same as {seen[key]!r})"
                problems.append(f"duplicate party name: {party.name}{same}")
            seen.setdefault(key, party.name)
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
    def _cross_checks(self) -> "Params":
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
            if self.federation.convener is not None:
                refs("federation.convener", [self.federation.convener])
            missing_f = [i for i in ids if i not in [f.party for f in self.federation.seats]]
            if missing_f:
                problems.append(f"federation.seats: no seats for {', '.join(missing_f)}")
        if self.procurement is not None:
            refs("procurement.contributions", list(self.procurement.contributions))
        if self.replaces is not None:
            if self.replaces.host is not None:
                refs("replaces.host", [self.replaces.host])
            problems.extend(self.replaces.problems(ids, self.host.id, self.form))
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
            problems.extend(capital_problems(self.company))
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
            refs("delegation.delegating_body", list(self.delegation.delegating_body))
            if self.host.id in self.delegation.delegating_body:
                problems.append(
                    f"delegation.delegating_body: {self.host.id!r} is the performing party; "
                    "only commissioning parties delegate under the agreement"
                )
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
