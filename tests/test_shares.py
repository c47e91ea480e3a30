"""Shares print as a lawyer expects: equal holdings equal, each rounded on its own, a sentence
saying so whenever the rounded percentages do not add up, and amounts from the exact weights
that add up to the total (the largest remainder method)."""

from __future__ import annotations

import copy
import re
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import yaml

from avtal.clauselib.costs import CENT, party_amounts, split
from avtal.project import load_project
from avtextra import add_parties, texts
from conftest import ROOT
from test_lawyer_review import _memo

AVT = ROOT / "examples" / "inkop-sormland-vastmanland" / "avtalssamverkan.yaml"
GN = AVT.with_name("gemensam-namnd.yaml")
KF = ROOT / "examples" / "arkivforbund" / "kommunalforbund.yaml"
BOLAG = ROOT / "examples" / "it-bolag" / "bolag.yaml"


def _write(tmp_path: Path, source: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    data = copy.deepcopy(yaml.safe_load(source.read_text(encoding="utf-8")))
    change(data)
    path = tmp_path / source.name
    path.write_text(yaml.safe_dump(data, allow_unicode=True, sort_keys=False), encoding="utf-8")
    return path


def _three_regions(data: dict[str, Any]) -> None:
    add_parties(data, 1)


def _flat(text: str) -> str:
    return " ".join(text.split())


def test_half_up_on_its_own() -> None:
    # 12,345 and 87,655 both round up: the column then sums to 100,01.
    assert split(Decimal(100), [Decimal(12345), Decimal(87655)], CENT) == [
        Decimal("12.35"),
        Decimal("87.66"),
    ]


def test_three_equal_parties_print_equal_shares_and_amounts_that_add_up(tmp_path: Path) -> None:
    text = _flat(texts(_write(tmp_path, AVT, _three_regions))["samverkansavtal"])
    assert (
        "Andelarna är Region Sörmland 33,33 procent, Region Västmanland 33,33 procent och "
        "Region Uppsala 33,33 procent. Andelarna är avrundade till två decimaler var för sig och "
        "summerar därför inte exakt till 100 procent; fördelningen görs med de oavrundade "
        "andelarna." in text
    )
    # The krona left over goes to the party listed first.
    assert "| Region Sörmland | 33,33 procent | 13 333 334 kronor |" in text
    for name in ("Region Västmanland", "Region Uppsala"):
        assert f"| {name} | 33,33 procent | 13 333 333 kronor |" in text
    assert "33,34" not in text
    assert (
        "Andelarna är avrundade till två decimaler var för sig och summerar därför till 99,99 "
        "procent. Beloppen är beräknade med de oavrundade andelarna och avrundade så att de "
        "tillsammans uppgår till 40 000 000 kronor: varje belopp har först avrundats nedåt till "
        "hela kronor, och det som då återstår har lagts med en krona var på de Parter vars "
        "belopp hade störst decimaldel, vid lika decimaldel på den Part som står först i "
        "tabellen. Beloppet för Region Sörmland är därför en krona högre än om det hade "
        "avrundats för sig." in text
    )
    assert "39 999 999" not in text


def test_two_equal_parties_need_no_rounding_sentence() -> None:
    text = _flat(texts(AVT)["samverkansavtal"])
    assert "Region Sörmland 50,00 procent och Region Västmanland 50,00 procent." in text
    assert "avrundade" not in text


def test_gemensam_namnd_three_parties(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["parties"].append(
            {
                "id": "uppsala",
                "name": "Region Uppsala",
                "org_number": "232100-0024",
                "kind": "region",
                "seat": "Uppsala",
                "signatory": {"name": "Namn Efternamn", "title": "regionstyrelsens ordförande"},
            }
        )
        data["committee"]["seats"].append({"party": "uppsala", "members": 3, "substitutes": 3})
        del data["matter"]

    path = _write(tmp_path, GN, change)
    text = _flat(texts(path)["samverkansavtal"])
    assert "Region Uppsala 33,33 procent. Andelarna är avrundade till två decimaler" in text
    assert "| Region Uppsala | 33,33 procent | 13 333 333 kronor |" in text
    assert "| Region Sörmland | 33,33 procent | 13 333 334 kronor |" in text
    assert (
        "Andelarna är avrundade till två decimaler var för sig och summerar därför till 99,99"
        in (text)
    )


def test_forbund_contributions_come_from_the_exact_weights(tmp_path: Path) -> None:
    def change(data: dict[str, Any]) -> None:
        data["costs"]["model"] = "equal"
        del data["costs"]["basis"]
        data["costs"]["example_budget"] = 5320000
        data["matter"]["economy"]["first_budget"]["amount"] = 5320000

    path = _write(tmp_path, KF, change)
    project = load_project(path)
    amounts = party_amounts(project.params, Decimal(5320000))
    assert list(amounts.values()) == [Decimal(1773334), Decimal(1773333), Decimal(1773333)]
    memo = _memo(path, "akerby")
    # The krona the rounding moved is explained in the förbundsordning, which the sats cites.
    point = re.search(r"(?m)^([0-9]+ §) Räkneexemplet i tabellen", texts(path)["forbundsordning"])
    assert point
    assert (
        f"anvisa högst 1 773 334 kronor, avrundat enligt {point.group(1)} förbundsordningen,"
        " motsvarande kommunens andel" in memo
    )
    assert "(avrundat 33,33 procent)" in memo
    assert "1 773 156" not in memo
    assert "anvisa högst 1 773 333 kronor" in _memo(path, "norrvik")
    ordning = _flat(texts(path)["forbundsordning"])
    assert "| Åkerby kommun | 33,33 procent | 1 773 334 kronor |" in ordning
    assert "| Norrviks kommun | 33,33 procent | 1 773 333 kronor |" in ordning
    assert "summerar därför till 99,99 procent. Beloppen är beräknade" in ordning
    assert "5 319 999" not in ordning


def test_owner_percent_rounded_says_so_only_when_it_is(tmp_path: Path) -> None:
    def thirds(data: dict[str, Any]) -> None:
        data["company"]["owners"][0]["shares"] = 1000
        data["company"]["owners"][1]["shares"] = 2000
        data["company"].update(
            share_capital=3000000, share_capital_min=1000000, share_capital_max=4000000
        )

    text = _flat(texts(_write(tmp_path, BOLAG, thirds))["aktieagaravtal"])
    assert "| 1 000 | 33,33 procent |" in text and "| 2 000 | 66,67 procent |" in text
    assert "Ägarandelarna i tabellen är avrundade till två decimaler var för sig. " in text
    plain = _flat(texts(BOLAG)["aktieagaravtal"])
    assert "| 500 | 50,00 procent |" in plain and "avrundade" not in plain
