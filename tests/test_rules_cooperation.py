"""Rules on the cooperation itself: every party's own contribution, a fair rotation of the chair."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

from avtal.check import RULES
from avtextra import add_parties, variant
from conftest import ROOT
from test_rules_gn import findings, line_of, rule_ids

AVT = ROOT / "examples" / "inkop-sormland-vastmanland" / "avtalssamverkan.yaml"


def _write(tmp_path: Path, change: Callable[[dict[str, Any]], None]) -> Path:
    return variant(AVT, tmp_path, change)


def test_contribution_rule_is_listed_with_its_basis() -> None:
    (found,) = [r for r in RULES if r.id == "LOU-BIDRAG"]
    assert found.forms == ("avtalssamverkan",)
    assert "3 kap. 17 § lagen (2016:1145)" in found.citation and "C-429/19" in found.citation


def test_a_party_without_a_contribution_is_exactly_lou_bidrag(tmp_path: Path) -> None:
    path = _write(tmp_path, lambda d: d["procurement"]["contributions"].pop("vastmanland"))
    assert findings(path) == [
        f"LOU-BIDRAG error {path}:{line_of(path, 'contributions:')} procurement.contributions: "
        "no contribution for Region Västmanland (vastmanland); the agreement lists what every "
        "party contributes, or leaves the list out (3 kap. 17 § lagen (2016:1145) om offentlig "
        "upphandling; jfr EU-domstolens dom i mål C-429/19 (Remondis))"
    ]


def test_a_party_added_without_a_contribution_is_found(tmp_path: Path) -> None:
    path = _write(tmp_path, lambda d: add_parties(d, 1, contributions=False))
    found = [f for f in findings(path) if f.startswith("LOU-BIDRAG")]
    assert len(found) == 1 and "Region Uppsala (uppsala)" in found[0]
    covered = _write(tmp_path, lambda d: add_parties(d, 1))
    assert "LOU-BIDRAG" not in rule_ids(findings(covered))


def test_no_list_at_all_is_not_this_rule(tmp_path: Path) -> None:
    path = _write(tmp_path, lambda d: d["procurement"].pop("contributions"))
    assert "LOU-BIDRAG" not in rule_ids(findings(path))


def _without_renewal(count: int, rotates: bool = True) -> Callable[[dict[str, Any]], None]:
    def change(data: dict[str, Any]) -> None:
        add_parties(data, count)
        del data["term"]["renewal_years"]
        data["governance"]["steering_council"]["chair_rotates"] = rotates

    return change


def test_five_parties_over_four_years_is_exactly_utk_ordforande(tmp_path: Path) -> None:
    renewed = findings(_write(tmp_path, lambda d: add_parties(d, 3)))
    assert "UTK-ORDFORANDE" not in rule_ids(renewed)
    # A term without renewal brings findings of its own; the rotation adds exactly one.
    fixed = set(findings(_write(tmp_path, _without_renewal(3, rotates=False))))
    path = _write(tmp_path, _without_renewal(3))
    added = [f for f in findings(path) if f not in fixed]
    assert added == [
        f"UTK-ORDFORANDE warning {path}:{line_of(path, 'chair_rotates:')} "
        "governance.steering_council.chair_rotates: 5 parties chair one calendar year each, but "
        "the term 2027–2030 has 4: Region Östergötland never chairs unless the agreement is "
        "extended (rotate among fewer, or give term.renewal_years) (avtalsteknik, ingen lagregel)"
    ]


def test_four_parties_over_four_years_is_fine(tmp_path: Path) -> None:
    assert "UTK-ORDFORANDE" not in rule_ids(findings(_write(tmp_path, _without_renewal(2))))
