"""A municipal lawyer's fourth reading: what the förbund and bolag memos tell fullmäktige.

Each memo is assembled in process next to the documents it proposes, with three and five
members (two and five owners), and what it says is compared with what the assembled
förbundsordning, bolagsordning and aktieägaravtal say: the first contribution and its due date,
who convenes the direktion's first meeting, an owner's silence that counts as approval, the
share capital's limits, and the förbundsordning's term for the first year.
"""

from __future__ import annotations

import math
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml

from avtextra import texts, variant
from test_bundle_matters import _decisions, _memo, _write
from test_bundle_memo_text import FILES, _data, _section
from test_lawyer2_memo import NAMES, _number
from test_lawyer3 import _point

FIRST_YEAR = "För förbundets första"


def _kf(tmp_path: Path, five: bool) -> tuple[Path, dict[str, Any]]:
    """The förbund example, with five members electing one revisor each (five revisorer)."""
    data = _data("kommunalforbund", five)
    if five:
        data["federation"]["auditors"] = 5
    return _write(tmp_path, data, f"kf{len(data['parties'])}.yaml"), data


def _kronor(text: str) -> Decimal:
    return Decimal(text.replace(" ", "").replace(",", "."))


def _belopp(value: Decimal) -> str:
    """An amount as the memo writes it: thousands apart, öre only when there are öre."""
    whole, _, cents = f"{value:.2f}".partition(".")
    grouped = f"{int(whole):,}".replace(",", " ")
    return grouped if cents == "00" else f"{grouped},{cents}"


def _first_year(ordning: str) -> dict[str, str]:
    """The first-year paragraph of the förbundsordning: its number, period, due date, meeting."""
    text = _point(ordning, FIRST_YEAR)
    paid = re.search(
        r"Medlemsbidraget för (.+?) betalas senast den ([0-9]+ [a-z]+ [0-9]{4}) ", text
    )
    meeting = re.search(
        r"(\w+) första sammanträde sammankallas av (\w+) i (.+?) och ska hållas senast den"
        r" ([0-9]+ [a-z]+ [0-9]{4})\.",
        text,
    )
    assert paid and meeting, text
    return {
        "number": _number(ordning, FIRST_YEAR),
        "period": paid.group(1),
        "due": paid.group(2),
        "organ": meeting.group(1).lower(),
        "styrelse": meeting.group(2),
        "convener": meeting.group(3),
        "meeting": meeting.group(4),
        "term": re.match(r"För förbundets (första \w+)", text).group(1),  # type: ignore[union-attr]
    }


def _load(params: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(params.read_text(encoding="utf-8"))
    return loaded


def _names(data: dict[str, Any]) -> dict[str, str]:
    return {p["id"]: p["name"] for p in data["parties"]}


# --- 3: the first contribution, its due date, and who convenes the first meeting --------------


def _check_first_payment(params: Path, data: dict[str, Any], part: int, word: str) -> None:
    """Every member's memo states the first period's payment and date as the förbundsordning."""
    first = _first_year(texts(params)["forbundsordning"])
    names = _names(data)
    for party in names:
        memo = _memo(params, party)
        economy = _section(memo, "Ekonomiska konsekvenser", "Juridisk bedömning")
        own = re.search(r" andel av dem är ([0-9 ]+) kronor,", economy)
        assert own, party
        share = _kronor(own.group(1)) / part
        exact = share == share.quantize(Decimal("0.01"))
        amount = _belopp(share) if exact else "omkring " + _belopp(share.quantize(Decimal(1)))
        assert (
            f"Medlemsbidraget för {first['period']}, {word} av kommunens andel eller {amount}"
            f" kronor, ska enligt {first['number']} förbundsordningen betalas senast den"
            f" {first['due']}; en skillnad mot den budget som direktionen fastställer regleras"
            " vid nästa betalning." in economy
        ), party
        council, _ = _decisions(memo)
        charged = (
            f"att uppdra åt {first['styrelse']} att sammankalla {first['organ']} första"
            f" sammanträde enligt {first['number']} förbundsordningen, så att det hålls senast den"
            f" {first['meeting']}"
        )
        # Only the convener's fullmäktige charges its styrelse with the first meeting.
        assert (charged in council) == (names[party] == first["convener"]), party
        assert council.count("första sammanträde") == int(names[party] == first["convener"])


@pytest.mark.parametrize("five", [False, True])
def test_every_member_memo_states_the_first_payment_and_the_convener_is_charged(
    tmp_path: Path, five: bool
) -> None:
    params, data = _kf(tmp_path, five)
    _check_first_payment(params, data, 4, "en fjärdedel")
    # The example's quarters: a fourth of each member's amount, öre only where the quarter has.
    memo = _memo(params, "sjohamn")
    quarter = "259 807,75 kronor" if five else "376 366 kronor"
    assert f"en fjärdedel av kommunens andel eller {quarter}, ska enligt 53 §" in memo


def test_another_convener_date_and_settlement_follow_the_parameters(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["federation"]["convener"] = "norrvik"
        data["federation"]["first_meeting_days"] = 20
        data["costs"]["payment_days"] = 25
        data["costs"]["settlement"] = "monthly"

    params = variant(FILES["kommunalforbund"], tmp_path, change)
    first = _first_year(texts(params)["forbundsordning"])
    assert (first["convener"], first["period"], first["due"], first["meeting"]) == (
        "Norrviks kommun",
        "januari 2027",
        "26 januari 2027",
        "21 januari 2027",
    )
    _check_first_payment(params, _load(params), 12, "en tolftedel")
    # A twelfth of 5 814 208 kronor is no whole number of öre: the memo gives it in kronor.
    assert "en tolftedel av kommunens andel eller omkring 484 517 kronor," in _memo(
        params, "akerby"
    )
    assert "en tolftedel av kommunens andel eller 181 694 kronor," in _memo(params, "norrvik")


def test_a_later_start_pays_the_first_period_on_the_joint_proposal(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["term"]["start"] = "2027-03-01"

    params = variant(FILES["kommunalforbund"], tmp_path, change)
    first = _first_year(texts(params)["forbundsordning"])
    economy = _section(_memo(params, "sjohamn"), "Ekonomiska konsekvenser", "Juridisk bedömning")
    # The first budget year is shorter than a year: no fourth of a year's amount is stated.
    assert (
        f"Medlemsbidraget för {first['period']} ska enligt {first['number']} förbundsordningen"
        f" betalas senast den {first['due']} med det belopp som följer av medlemmarnas"
        " gemensamma förslag till budget; en skillnad" in economy
    )
    assert "fjärdedel" not in economy


# --- 12: the memo and the förbundsordning call the first year the same --------------------------


@pytest.mark.parametrize("five", [False, True])
def test_the_memo_names_the_first_year_as_the_forbundsordning_does(
    tmp_path: Path, five: bool
) -> None:
    params, data = _kf(tmp_path, five)
    term = _first_year(texts(params)["forbundsordning"])["term"]
    assert term == "första budgetår"
    for party in _names(data):
        memo = _memo(params, party)
        council, _ = _decisions(memo)
        economy = _section(memo, "Ekonomiska konsekvenser", "Juridisk bedömning")
        assert f"förslag till budget för förbundets {term} ska täckas med medlemsbidrag" in council
        assert f"förslag till budget för förbundets {term}, 2027, ska" in economy
        assert "verksamhetsår" not in memo, party


# --- 10: a member electing one substitute decides no order -------------------------------------


@pytest.mark.parametrize("five", [False, True])
def test_one_substitute_has_no_order_with_three_and_five_members(
    tmp_path: Path, five: bool
) -> None:
    params, data = _kf(tmp_path, five)
    seats = {s["party"]: s for s in data["federation"]["seats"]}
    for party, seat in seats.items():
        council, _ = _decisions(_memo(params, party))
        election = re.search(r"att kommunen ska välja (.*?), och att valen förrättas i", council)
        assert election, party
        ordered = "i vilken ordning ersättarna ska tjänstgöra" in election.group(1)
        assert ordered == (seat["substitutes"] > 1), party
        assert "en revisor i förbundet" in election.group(1), party


# --- 5: an owner's silence counts as approval; what the capital range allows ------------------


def _letters(agreement: str, point: str) -> list[str]:
    """The letters of the list under a numbered point of the aktieägaravtal."""
    after = agreement[agreement.index(f"\n{point} ") + 1 :]
    block = re.split(r"(?m)^[0-9]+\.[0-9]+ ", after[len(point) + 1 :])[0]
    return re.findall(r"(?m)^([a-z])\) ", block)


@pytest.mark.parametrize("five", [False, True])
def test_each_owner_memo_says_what_silence_means_as_the_documents_number_it(
    tmp_path: Path, five: bool
) -> None:
    data = _data("bolag", five)
    params = _write(tmp_path, data)
    built = texts(params)
    ordning, agreement = built["bolagsordning"], built["aktieagaravtal"]
    paragraph = _number(ordning, "Bolaget ska ge fullmäktige hos var och en av ägarna")
    listed = _number(agreement, "Följande beslut i Bolaget får fattas endast om samtliga Parter")
    deemed = _number(agreement, "Innan Bolaget fattar beslut i en fråga av principiell")
    letters = _letters(agreement, listed)
    period = re.search(r"(\S+ månader) har förflutit", _point(ordning, "Bolaget ska ge"))
    assert period
    months = period.group(1)
    # The aktieägaravtal's silent owner and its time are the bolagsordning's.
    silent = _point(agreement, "Innan Bolaget fattar beslut i en fråga av principiell")
    assert f"inom {months} från det att Bolaget" in silent
    assert silent.endswith(f"enligt punkt {listed} {letters[-1]}.")
    for owner in data["company"]["owners"]:
        party = owner["party"]
        memo = _memo(params, party)
        legal = _section(memo, "Juridisk bedömning", "Bilagor")
        assert (
            f"Enligt {paragraph} bolagsordningen får bolaget inte fatta beslut i en fråga av"
            " principiell beskaffenhet eller annars av större vikt förrän fullmäktige hos samtliga"
            f" ägare har tagit ställning i frågan eller {months} har förflutit från det att"
            " bolaget skriftligen lämnade frågan till styrelsen hos varje ägare. Enligt"
            " aktieägaravtalet får ett beslut i en fråga som anges i punkt"
            f" {listed} {letters[0]}–{letters[-2]} fattas endast om samtliga ägare har godkänt"
            " beslutet. I andra frågor av principiell beskaffenhet eller annars av större vikt"
            f" (punkt {listed} {letters[-1]}) anses en ägare vars fullmäktige inte har tagit"
            f" ställning inom {months} ha godkänt beslutet (punkt {deemed} i aktieägaravtalet)."
            " Genom att godkänna aktieägaravtalet godtar regionfullmäktige alltså att regionen i"
            " sådana frågor anses ha godkänt ett beslut som regionfullmäktige inte har tagit"
            " ställning till inom den tiden. Regionstyrelsen behöver därför bereda sådana frågor"
            f" så att regionfullmäktige hinner ta ställning inom {months}." in legal
        ), NAMES[party]


def _capital_sentence(ordning: str) -> tuple[str, str]:
    number = _number(ordning, "Aktiekapitalet ska vara")
    return number, _point(ordning, "Aktiekapitalet ska vara")


@pytest.mark.parametrize("five", [False, True])
def test_each_owner_memo_states_the_capital_range_the_bolagsordning_gives(
    tmp_path: Path, five: bool
) -> None:
    data = _data("bolag", five)
    params = _write(tmp_path, data)
    company = data["company"]
    capital, total = company["share_capital"], sum(o["shares"] for o in company["owners"])
    lowest, highest = company["share_capital_min"], company["share_capital_max"]
    shares = (math.ceil(total * lowest / capital), total * highest // capital)
    number, stated = _capital_sentence(texts(params)["bolagsordning"])
    kr = [f"{v:,}".replace(",", " ") for v in (lowest, highest, *shares)]
    # The bolagsordning states the same limits as the parameters give.
    assert stated == (
        f"Aktiekapitalet ska vara lägst {kr[0]} kronor och högst {kr[1]} kronor. Antalet aktier"
        f" ska vara lägst {kr[2]} och högst {kr[3]}."
    )
    agreement = texts(params)["aktieagaravtal"]
    listed = _number(agreement, "Följande beslut i Bolaget får fattas endast om samtliga Parter")
    letter = re.search(r"(?m)^([a-z])\) ökning eller minskning av aktiekapitalet", agreement)
    assert letter
    # The exit's redemption is exempt from that approval, as the aktieägaravtal says.
    exit_point = _number(agreement, "Om det inte senast sex månader före uppsägningstidens")
    assert (
        f"Kravet på samtliga Parters godkännande i punkt {listed} {letter.group(1)} gäller inte"
        " sådana beslut, och Parterna är överens om att fullmäktige hos varje Part genom att"
        " godkänna Avtalet har tagit ställning till dem."
        in _point(agreement, "Om det inte senast sex månader före uppsägningstidens")
    )
    for owner in company["owners"]:
        economy = _section(
            _memo(params, owner["party"]), "Ekonomiska konsekvenser", "Juridisk bedömning"
        )
        assert (
            f"Enligt {number} bolagsordningen ska aktiekapitalet vara lägst {kr[0]} kronor och"
            f" högst {kr[1]} kronor och antalet aktier lägst {kr[2]} och högst {kr[3]}. Inom"
            " dessa gränser kan aktiekapitalet efter bildandet ökas, till exempel genom"
            " nyemission, eller minskas, till exempel genom inlösen av en ägares aktier, utan att"
            " bolagsordningen ändras. Ett beslut om att öka eller minska aktiekapitalet får"
            f" enligt punkt {listed} {letter.group(1)} i aktieägaravtalet fattas endast om"
            " samtliga ägare har godkänt det. Det gäller inte en minskning som behövs för att"
            " bolaget ska kunna lösa in en utträdande ägares aktier enligt punkt"
            f" {exit_point} i aktieägaravtalet. En sådan minskning har varje ägare åtagit sig att"
            " godkänna och att rösta för vid bolagsstämman, och genom att godkänna"
            " aktieägaravtalet tar regionfullmäktige ställning till den redan nu." in economy
        ), owner["party"]


@pytest.mark.parametrize(
    ("lowest", "highest", "expected"),
    [
        (
            600000,
            1800000,
            "Enligt 7 § bolagsordningen ska aktiekapitalet vara lägst 600 000 kronor och högst"
            " 1 800 000 kronor och antalet aktier lägst 600 och högst 1 800. Inom dessa gränser"
            " kan aktiekapitalet efter bildandet ökas, till exempel genom nyemission, eller"
            " minskas,",
        ),
        (
            None,
            3000000,
            "Enligt 7 § bolagsordningen ska aktiekapitalet vara lägst 1 000 000 kronor och högst"
            " 3 000 000 kronor och antalet aktier lägst 1 000 och högst 3 000. Inom dessa gränser"
            " kan aktiekapitalet efter bildandet ökas, till exempel genom nyemission, utan att"
            " bolagsordningen ändras, men det kan inte minskas utan en sådan ändring.",
        ),
        (
            None,
            None,
            "Enligt 7 § bolagsordningen ska aktiekapitalet vara 1 000 000 kronor och antalet"
            " aktier 1 000. Aktiekapitalet kan därför inte ökas eller minskas utan att"
            " bolagsordningen ändras.",
        ),
    ],
)
def test_the_capital_sentence_follows_the_parameters(
    tmp_path: Path, lowest: int | None, highest: int | None, expected: str
) -> None:
    data = _data("bolag", False)
    data["company"]["share_capital_min"] = lowest
    data["company"]["share_capital_max"] = highest
    params = _write(tmp_path, data)
    number, _ = _capital_sentence(texts(params)["bolagsordning"])
    assert number == "7 §"
    economy = _section(_memo(params, "sormland"), "Ekonomiska konsekvenser", "Juridisk bedömning")
    assert expected in economy
