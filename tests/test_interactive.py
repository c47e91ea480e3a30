"""`avtal new --interactive`: the questions, driven as a user answers them, for every form."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner

from avtal.cli import main
from avtal.load.asker import Asker, kind_of, slug
from avtal.load.interactive import write_answers
from avtal.load.params import load_params
from test_starters import uncommented_keys

ENTER = ""

DOCUMENT = ["RS-2026-1234", ENTER, "2026-12-01", ENTER]
ACTIVITY = [
    "inköpsverksamheten",
    "Parterna samordnar sina inköp för att nå bättre villkor.",
    "upphandling av varor och tjänster",
    "avtalsförvaltning",
    ENTER,
    ENTER,
]
TWO_REGIONS = [
    "2",
    "Region Sörmland",
    "232100-0032",
    ENTER,
    ENTER,
    "Nyköping",
    "Anna Andersson",
    ENTER,
    "Region Västmanland",
    "232100-0172",
    ENTER,
    "vastmanland",
    "Västerås",
    "Bo Berg",
    ENTER,
    ENTER,  # host: the first party
]
AGREEMENT_TERM = [ENTER, "2030-12-31", ENTER, "4"]
COSTS_EQUAL = [ENTER, "40 000 000"]

ANSWERS: dict[str, list[str]] = {
    "avtalssamverkan": [
        *DOCUMENT,
        *ACTIVITY,
        *TWO_REGIONS,
        *AGREEMENT_TERM,
        "regiondirektör",
        "hälso- och sjukvårdsdirektör",
        ENTER,
        ENTER,
        "Inköpsrådet",
        ENTER,
        ENTER,
        ENTER,
        ENTER,
        ENTER,
        ENTER,
        ENTER,
        ENTER,
        "beslut om tilldelning i upphandlingar under 10 miljoner kronor",
        "inköpschef",
        ENTER,
        "no",
        ENTER,
        *COSTS_EQUAL,
        ENTER,
    ],
    "gemensam_namnd": [
        *DOCUMENT,
        *ACTIVITY,
        *TWO_REGIONS,
        *AGREEMENT_TERM,
        "Inköpsnämnden",
        ENTER,
        ENTER,
        ENTER,
        ENTER,
        ENTER,
        "3",
        ENTER,
        "2",
        "2",
        "fixed",
        "60",
        "40",
        "40 000 000",
        "Nyköpings tingsrätt",
    ],
    "kommunalforbund": [
        *DOCUMENT,
        "arkivverksamheten",
        "Medlemmarna bildar ett kommunalförbund för gemensam arkivverksamhet.",
        "vara arkivmyndighet för medlemmarnas myndigheter",
        ENTER,
        ENTER,
        ENTER,  # three parties
        "Åkerby kommun",
        "212000-9002",
        ENTER,
        ENTER,
        ENTER,
        ENTER,
        ENTER,
        "Norrviks kommun",
        "212000-9010",
        ENTER,
        ENTER,
        "Norrvik",
        ENTER,
        ENTER,
        "Sjöhamns kommun",
        "212000-9028",
        ENTER,
        ENTER,
        "Sjöhamn",
        ENTER,
        ENTER,
        ENTER,
        ENTER,  # start
        "Arkivförbundet Mälarbygden",
        ENTER,
        "att vara gemensam arkivmyndighet för medlemmarna",
        ENTER,
        ENTER,
        ENTER,
        "beslut om att uppta lån eller ingå borgen",
        ENTER,
        "https://www.arkivforbundet.se/anslagstavla",
        ENTER,
        ENTER,
        "2",
        "2",
        ENTER,
        ENTER,
        ENTER,
        ENTER,
        "proportional",
        ENTER,
        "56000",
        "21000",
        "14500",
        "9 500 000",
        ENTER,
    ],
    "bolag": [
        *DOCUMENT,
        "IT-driften",
        "Regionerna bildar ett gemensamt ägt aktiebolag för IT-driften.",
        "drift av gemensamma datacenter",
        ENTER,
        ENTER,
        *TWO_REGIONS,
        ENTER,  # start
        "Mälardalens Regioners IT AB",
        ENTER,
        "500",
        "3",
        "500",
        "3",
        "att driva IT-infrastruktur åt ägarna",
        "att till självkostnad tillhandahålla ägarna en säker IT-infrastruktur",
        "1 000 000",
        ENTER,
        ENTER,
        ENTER,
        ENTER,
    ],
}


def run_new(form: str, target: Path, answers: list[str], *extra: str) -> Any:
    return CliRunner().invoke(
        main, ["new", form, str(target), "--interactive", *extra], input="\n".join(answers) + "\n"
    )


@pytest.mark.parametrize("form", list(ANSWERS))
def test_answers_give_a_commented_file_that_passes_strict_check(tmp_path: Path, form: str) -> None:
    target = tmp_path / f"{form}.yaml"
    result = run_new(form, target, ANSWERS[form])
    assert result.exit_code == 0, result.output
    assert result.output.endswith(f"Wrote {target}; check it with: avtal check {target}\n")
    text = target.read_text(encoding="utf-8")
    assert uncommented_keys(text) == []
    checked = CliRunner().invoke(main, ["check", "--strict", str(target)])
    assert checked.exit_code == 0, checked.output
    data = yaml.safe_load(text)
    assert data["form"] == form
    assert data["document"] == {
        "id": "RS-2026-1234",
        "version": "0.1",
        "date": dt.date(2026, 12, 1),
        "status": "utkast",
    }
    assert data["parties"][0]["host"] is True
    assert all("host" not in p for p in data["parties"][1:])


def luhn(nine: str) -> str:
    """Complete nine digits with the check digit: NNNNNN-NNNN."""
    for last in "0123456789":
        digits = nine + last
        total = sum((p - 9 if (p := int(c) * (2 - i % 2)) > 9 else p) for i, c in enumerate(digits))
        if total % 10 == 0:
            return f"{digits[:6]}-{digits[6:]}"
    raise AssertionError(nine)


def test_the_written_file_holds_the_answers(tmp_path: Path) -> None:
    target = tmp_path / "gn.yaml"
    assert run_new("gemensam_namnd", target, ANSWERS["gemensam_namnd"]).exit_code == 0
    params, _ = load_params(target)
    assert [(p.id, p.name, p.org_number, p.kind, p.seat) for p in params.parties] == [
        ("sormland", "Region Sörmland", "232100-0032", "region", "Nyköping"),
        ("vastmanland", "Region Västmanland", "232100-0172", "region", "Västerås"),
    ]
    assert params.parties[0].signatory.name == "Anna Andersson"
    assert params.parties[0].signatory.title == "regionstyrelsens ordförande"
    assert params.activity.scope == ["upphandling av varor och tjänster", "avtalsförvaltning"]
    assert params.activity.exclusions == []
    assert (params.term.start, params.term.end) == (dt.date(2027, 1, 1), dt.date(2030, 12, 31))
    assert (params.term.notice_months, params.term.renewal_years) == (12, 4)
    assert params.committee is not None
    assert params.committee.name == "Inköpsnämnden"
    assert [(s.party, s.members, s.substitutes) for s in params.committee.seats] == [
        ("sormland", 3, 3),
        ("vastmanland", 2, 2),
    ]
    assert params.costs is not None and params.costs.model == "fixed"
    assert params.costs.shares == {"sormland": 60, "vastmanland": 40}
    assert params.costs.example_budget == 40_000_000
    assert params.disputes.court == "Nyköpings tingsrätt"


def test_the_same_answers_write_the_same_bytes(tmp_path: Path) -> None:
    first, second = tmp_path / "a.yaml", tmp_path / "b.yaml"
    assert run_new("kommunalforbund", first, ANSWERS["kommunalforbund"]).exit_code == 0
    assert run_new("kommunalforbund", second, ANSWERS["kommunalforbund"]).exit_code == 0
    assert first.read_bytes() == second.read_bytes()


def test_organisation_numbers_are_checked_as_typed(tmp_path: Path) -> None:
    forbund = luhn("222000001")
    company = luhn("556677889")
    other = luhn("802000000")
    answers = list(ANSWERS["avtalssamverkan"])
    at = answers.index("232100-0032")
    answers[at : at + 2] = ["232100-0033", forbund, company, other, "232100-0032", "kommun", ENTER]
    target = tmp_path / "p.yaml"
    result = run_new("avtalssamverkan", target, answers)
    assert result.exit_code == 0, result.output
    assert "  232100-0033 fails the organisation number check digit\n" in result.output
    assert (
        f"  {forbund} is the number of a kommunalförbund (222000-…); the parties of an "
        "avtalssamverkan are kommuner and regioner\n"
    ) in result.output
    assert (
        f"  {company} is the number of an aktiebolag (5…); the parties of an avtalssamverkan "
        "are kommuner and regioner\n"
    ) in result.output
    assert (
        f"  {other} is not the number of a kommun (212000-…) or of a region (232100-…)\n"
    ) in result.output
    assert (
        "  232100-0032 is the number of a region (232100-…), not of a kommun (212000-…)\n"
    ) in result.output
    assert load_params(target)[0].parties[0].kind == "region"


def test_a_question_mark_gives_help_and_a_bad_date_asks_for_yyyy_mm_dd(tmp_path: Path) -> None:
    answers = list(ANSWERS["bolag"])
    answers[2:3] = ["?", "1/12/2026", "2026-02-30", "2026-12-01"]
    target = tmp_path / "p.yaml"
    result = run_new("bolag", target, answers)
    assert result.exit_code == 0, result.output
    assert "  The date printed on the documents.\n" in result.output
    message = "  write the date as year-month-day, YYYY-MM-DD, e.g. 2027-01-01\n"
    assert result.output.count(message) == 2


def test_shares_that_do_not_sum_to_100_are_asked_again(tmp_path: Path) -> None:
    answers = list(ANSWERS["gemensam_namnd"])
    at = answers.index("fixed")
    answers[at + 1 : at + 3] = ["60", "39,5", "60,5", "39,5"]
    target = tmp_path / "p.yaml"
    result = run_new("gemensam_namnd", target, answers)
    assert result.exit_code == 0, result.output
    assert "  the shares sum to 99.5; they must sum to 100\n" in result.output
    costs = load_params(target)[0].costs
    assert costs is not None and costs.shares is not None
    assert [str(v) for v in costs.shares.values()] == ["60.5", "39.5"]


def test_an_agreement_until_further_notice(tmp_path: Path) -> None:
    answers = list(ANSWERS["avtalssamverkan"])
    at = answers.index("2030-12-31")
    answers[at : at + 3] = ["none", "6"]
    target = tmp_path / "p.yaml"
    result = run_new("avtalssamverkan", target, answers)
    assert result.exit_code == 0, result.output
    term = load_params(target)[0].term
    assert (term.end, term.notice_months, term.renewal_years) == (None, 6, None)
    assert CliRunner().invoke(main, ["check", "--strict", str(target)]).exit_code == 0


def test_an_existing_file_is_kept_unless_forced(tmp_path: Path) -> None:
    target = tmp_path / "p.yaml"
    target.write_text("kept\n", encoding="utf-8")
    result = run_new("bolag", target, ANSWERS["bolag"])
    assert result.exit_code == 1
    assert result.output == f"error: {target}: exists; use --force to overwrite it\n"
    assert target.read_text(encoding="utf-8") == "kept\n"
    assert run_new("bolag", target, ANSWERS["bolag"], "--force").exit_code == 0
    assert load_params(target)[0].form == "bolag"


def test_stopping_half_way_writes_nothing(tmp_path: Path) -> None:
    target = tmp_path / "p.yaml"
    result = run_new("bolag", target, ANSWERS["bolag"][:10])
    assert result.exit_code == 1
    assert not target.exists() and list(tmp_path.iterdir()) == []


def test_kind_and_id_from_the_number_and_the_name() -> None:
    assert [kind_of(n) for n in ("212000-9002", "232100-0032", "222000-0013", "556012-5790")] == [
        "kommun",
        "region",
        "kommunalforbund",
        "bolag",
    ]
    assert kind_of("802000-1234") is None
    assert [slug(n) for n in ("Region Sörmland", "Åkerby kommun", "Malmö stad", "1 Region")] == [
        "sormland",
        "akerby",
        "malmo",
        "p-1",
    ]


def test_the_library_asks_without_the_command_line(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    answers = iter(ANSWERS["bolag"])
    monkeypatch.setattr("click.prompt", lambda *a, **k: next(answers) or k.get("default") or "")
    said: list[str] = []
    target = write_answers("bolag", tmp_path / "p.yaml", Asker(said.append), dt.date(2026, 6, 1))
    assert said[0].startswith("A parameter file for a co-owned company.")
    assert load_params(target)[0].term.start == dt.date(2027, 1, 1)


def test_an_answer_is_checked_with_the_model_s_own_rule(tmp_path: Path) -> None:
    answers = list(ANSWERS["kommunalforbund"])
    answers[0:1] = ["RS 2026/1", "RS-2026-1234"]
    at = answers.index("https://www.arkivforbundet.se/anslagstavla")
    answers[at : at + 1] = ["www.arkivforbundet.se", "https://www.arkivforbundet.se/anslagstavla"]
    target = tmp_path / "p.yaml"
    result = run_new("kommunalforbund", target, answers)
    assert result.exit_code == 0, result.output
    assert (
        "  must be letters, digits, '.', '_' or '-' (at most 40 characters), e.g. DNR-2027-001\n"
    ) in result.output
    assert "  must be a web address starting with https://\n" in result.output


THIRD_PARTY = ["Åkerby kommun", "212000-9002", ENTER, ENTER, ENTER, ENTER, ENTER]


def three_parties(form: str) -> list[str]:
    """The answers of ``form`` with a kommun as a third party beside the two regions."""
    answers = list(ANSWERS[form])
    answers[answers.index("2")] = "3"
    after = answers.index("Bo Berg") + 2
    answers[after:after] = THIRD_PARTY
    if form == "avtalssamverkan":  # the kommun's member of the steering council
        answers.insert(answers.index("hälso- och sjukvårdsdirektör") + 1, ENTER)
    elif form == "gemensam_namnd":  # its seats; shares for three
        seats = answers.index("2", answers.index("Inköpsnämnden"))
        answers[seats + 2 : seats + 2] = [ENTER, ENTER]
        fixed = answers.index("fixed")
        answers[fixed + 1 : fixed + 3] = ["50", "30", "20"]
    else:  # its shares and board seat
        answers[answers.index("500") + 4 : answers.index("500") + 4] = ["100", "1"]
    return answers


@pytest.mark.parametrize("form", ["avtalssamverkan", "gemensam_namnd", "bolag"])
def test_three_parties_of_both_kinds_pass_strict_check(tmp_path: Path, form: str) -> None:
    target = tmp_path / "p.yaml"
    result = run_new(form, target, three_parties(form))
    assert result.exit_code == 0, result.output
    params, _ = load_params(target)
    assert [(p.id, p.kind) for p in params.parties] == [
        ("sormland", "region"),
        ("vastmanland", "region"),
        ("akerby", "kommun"),
    ]
    assert params.parties[2].seat == "Åkerby"
    assert params.parties[2].signatory.title == "kommunstyrelsens ordförande"
    checked = CliRunner().invoke(main, ["check", "--strict", str(target)])
    assert checked.exit_code == 0, checked.output
