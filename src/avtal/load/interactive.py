"""``avtal new --interactive``: ask a lawyer the questions of a form, write the parameter file.

The questions are those a lawyer can answer (the parties, the task, the term, the seats, the
cost model); each has a default where one is usual and a help text (answer ``?``). The
answers become a commented parameter file (:mod:`avtal.load.commented`), loaded and validated
again before it is written, so what is written is exactly what was answered.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path
from typing import Any

from avtal.errors import AvtalError, OutputError
from avtal.load.asker import FORM_WORDS, HELP_KEYS, KIND_WORDS, Asker, _typed, kind_of, slug
from avtal.load.commented import commented_yaml
from avtal.load.model import Name, OrgNumber, Params, PartyId
from avtal.load.params import load_params
from avtal.load.questions import (
    ask_activity,
    ask_avtalssamverkan,
    ask_committee,
    ask_company,
    ask_document,
    ask_federation,
    ask_term,
)
from avtal.output import write_files


def ask_parties(asker: Asker, form: str) -> list[dict[str, Any]]:
    """The parties: name, organisation number (kind checked against it), seat, signatory."""
    count = asker.number(
        "How many parties (kommuner and regioner) take part?",
        "Two or more; each is a kommun or a region.",
        3 if form == "kommunalforbund" else 2,
        2,
        50,
    )
    parties: list[dict[str, Any]] = []
    for number in range(1, count + 1):
        asker.echo(f"Party {number} of {count}")
        names = [p["name"] for p in parties]

        def name_parse(raw: str, names: list[str] = names) -> str:
            value = str(_typed(Name, raw))
            if value in names:
                raise ValueError(f"{value} is already another party")
            return value

        name = asker.ask(
            "  Legal name",
            "The party's legal name, e.g. Region Sörmland or Åkerby kommun.",
            name_parse,
            None,
        )
        taken = [p["org_number"] for p in parties]

        def org(raw: str, taken: list[str] = taken) -> str:
            value = str(_typed(OrgNumber, raw))
            kind = kind_of(value)
            if kind in ("kommunalforbund", "bolag"):
                raise ValueError(
                    f"{value} is the number of {KIND_WORDS[str(kind)]}; the parties of "
                    f"{FORM_WORDS[form]} are kommuner and regioner"
                )
            if kind is None:
                raise ValueError(
                    f"{value} is not the number of {KIND_WORDS['kommun']} or of "
                    f"{KIND_WORDS['region']}"
                )
            if value in taken:
                raise ValueError(f"{value} is already given for another party")
            return value

        org_number = asker.ask(
            "  Organisation number (NNNNNN-NNNN)",
            "Ten digits with a check digit: a kommun's number starts 212000-, a region's 232100-.",
            org,
            None,
        )
        expected = kind_of(org_number)

        def kind_parse(
            raw: str, expected: str | None = expected, org_number: str = org_number
        ) -> str:
            if raw not in ("kommun", "region"):
                raise ValueError("answer kommun or region")
            if raw != expected:
                raise ValueError(
                    f"{org_number} is the number of {KIND_WORDS[str(expected)]}, not of "
                    f"{KIND_WORDS[raw]}"
                )
            return raw

        kind = asker.ask(
            "  Kind (kommun | region)",
            "kommun or region; it must agree with the organisation number.",
            kind_parse,
            expected,
        )
        ids = [p["id"] for p in parties]
        proposed = slug(name)
        while proposed in ids:
            proposed += "-2"

        def id_parse(raw: str, ids: list[str] = ids) -> str:
            value = str(_typed(PartyId, raw))
            if value in ids:
                raise ValueError(f"{value} is already the id of another party")
            return value

        party_id = asker.ask(
            "  Short id used in the file",
            "Lowercase letters, digits, - or _, e.g. sormland; other answers refer to it.",
            id_parse,
            proposed,
        )
        # "Åkerby kommun" signs in Åkerby; "Norrviks kommun" is a genitive, so no guess.
        town = name.removesuffix(" kommun") if name.endswith(" kommun") else ""
        seat = asker.text(
            "  Town where the party signs",
            "The seat of the party, e.g. Nyköping; printed at the signature.",
            town if town and not town.endswith("s") else None,
        )
        styrelse = "regionstyrelsen" if kind == "region" else "kommunstyrelsen"
        signatory = asker.text(
            "  Name of the signatory", "Who signs for the party.", "Namn Efternamn"
        )
        title = asker.text(
            "  Position of the signatory",
            "The signatory's position, e.g. regionstyrelsens ordförande.",
            f"{styrelse.removesuffix('n')}ns ordförande",
        )
        parties.append(
            {
                "id": party_id,
                "name": name,
                "org_number": org_number,
                "kind": kind,
                "host": False,
                "seat": seat,
                "signatory": {"name": signatory, "title": title},
            }
        )
    ids = [p["id"] for p in parties]
    host = asker.choice(
        "Which party is the host" if form != "avtalssamverkan" else "Which party performs the task",
        {
            "avtalssamverkan": "The party that performs the task for the others.",
            "gemensam_namnd": "The party in whose organisation the nämnd sits (9 kap. 20 §).",
            "kommunalforbund": "One member is marked host; it is named first.",
            "bolag": "One owner is marked host; it is named first.",
        }[form],
        {i: p["name"] for i, p in zip(ids, parties, strict=True)},
        ids[0],
    )
    for party in parties:
        if party["id"] == host:
            party["host"] = True
        else:
            del party["host"]
    return parties


def ask_form(form: str, asker: Asker, today: dt.date) -> dict[str, Any]:
    """Every section of a parameter file of ``form``."""
    data: dict[str, Any] = {"form": form}
    data["document"] = ask_document(asker, today)
    data["activity"] = ask_activity(asker, form)
    data["parties"] = parties = ask_parties(asker, form)
    ids = [p["id"] for p in parties]
    host = next(p for p in parties if p.get("host"))
    data["term"] = ask_term(asker, form, today)
    if form == "avtalssamverkan":
        data.update(ask_avtalssamverkan(asker, parties, host))
    elif form == "gemensam_namnd":
        data["committee"] = ask_committee(asker, parties, host)
    elif form == "kommunalforbund":
        data["federation"] = ask_federation(asker, parties, host)
    else:
        data["company"] = ask_company(asker, parties, host)
    if form != "bolag":
        data["costs"] = ask_costs(asker, ids)
    data["disputes"] = {
        "court": asker.text(
            "Court for disputes",
            "Where disputes the parties cannot settle go, e.g. allmän domstol or a tingsrätt.",
            "allmän domstol",
        )
    }
    return data


def write_answers(
    form: str, target: Path, asker: Asker, today: dt.date, force: bool = False
) -> Path:
    """Ask the questions of ``form`` and write the commented parameter file to ``target``."""
    if target.exists() and not force:
        raise OutputError(f"{target}: exists; use --force to overwrite it")
    asker.echo(f"A parameter file for {FORM_WORDS[form]}. {HELP_KEYS}")
    data = ask_form(form, asker, today)
    header = [
        f"Parameter file for {FORM_WORDS[form]}, written by `avtal new --interactive` from the",
        "answers given; edit it freely. `avtal check THIS-FILE` validates it, `avtal build",
        "THIS-FILE` builds it; `avtal schema` is the full reference.",
    ]
    text = commented_yaml(data, header)
    params, _ = load_params(target, text=text)
    if params != Params.model_validate(data):  # pragma: no cover - a defect of the writer
        raise AvtalError(f"{target}: the written file does not read back as answered")
    folder = target.parent if str(target.parent) else Path(".")
    write_files(folder, {target.name: text.encode("utf-8")})
    return target


def ask_costs(asker: Asker, ids: list[str]) -> dict[str, Any]:
    """The cost model and its shares or basis."""
    asker.echo("The costs")
    model = asker.choice(
        "How the costs are shared",
        "equal parts; fixed percentages; or in proportion to a basis such as population.",
        {"equal": "equal parts", "fixed": "fixed shares", "proportional": "by a basis"},
        "equal",
    )
    costs: dict[str, Any] = {"model": model}
    if model == "fixed":
        while True:
            shares = {
                i: asker.amount(f"Share of {i} in percent", "e.g. 50 or 33,34.", "") for i in ids
            }
            total = sum((Decimal(str(v)) for v in shares.values()), Decimal(0))
            if total == 100:
                break
            asker.echo(f"  the shares sum to {total}; they must sum to 100")
        costs["shares"] = shares
    elif model == "proportional":
        costs["basis"] = {
            "name": asker.text(
                "What the shares are in proportion to",
                "e.g. antal invånare den 31 december året före.",
                "antal invånare den 31 december året före",
            ),
            "values": {
                i: asker.amount(f"Its figure for {i}", "e.g. the population.", "") for i in ids
            },
        }
    costs.update(
        {
            "direct_costs": True,
            "settlement": "quarterly",
            "payment_days": 30,
            "budget_consultation_month": 4,
            "example_budget": asker.amount(
                "Yearly budget in kronor, for the worked example",
                "The cost annex shows each party's share of this figure.",
                "1000000",
            ),
        }
    )
    return costs
