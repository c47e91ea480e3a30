"""A kommunjurist's fifth reading: personal data in a continuing gemensam nämnd, the
controller sentence of the avtalssamverkan, and who keeps the replaced nämnd's handlingar."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from avtextra import add_parties, texts, variant
from conftest import ROOT

AVT = ROOT / "examples" / "inkop-sormland-vastmanland" / "avtalssamverkan.yaml"
GN = AVT.parent / "gemensam-namnd.yaml"


def _flat(text: str) -> str:
    return " ".join(text.split())


def _as_new_nammd(data: dict[str, Any]) -> None:
    data["replaces"]["continues"] = False


def test_a_continuing_nammd_regulates_processing_already_going_on(tmp_path: Path) -> None:
    built = texts(GN)
    agreement, reglemente = _flat(built["samverkansavtal"]), _flat(built["reglemente"])
    assert (
        "Regleringen ska finnas innan behandlingen påbörjas eller, om behandlingen redan pågår, "
        "senast den 1 januari 2027." in agreement
    )
    assert (
        "Regleringen ska finnas innan behandlingen påbörjas eller, om behandlingen redan pågår "
        "när detta reglemente börjar gälla, från den dagen." in reglemente
    )
    fresh = texts(variant(GN, tmp_path, _as_new_nammd))
    for text in (_flat(fresh["samverkansavtal"]), _flat(fresh["reglemente"])):
        assert "Regleringen ska finnas innan behandlingen påbörjas." in text
        assert "redan pågår" not in text


def test_the_other_legal_act_is_the_parties_assessment_and_names_the_hosts_fullmaktige() -> None:
    built = texts(GN)
    agreement, reglemente = _flat(built["samverkansavtal"]), _flat(built["reglemente"])
    assert (
        "Parterna bedömer att en sådan rättsakt kan vara ett beslut av regionfullmäktige i "
        "Region Sörmland eller en skriftlig överenskommelse mellan Nämnden och den berörda "
        "nämnden." in agreement
    )
    assert "till exempel en skriftlig överenskommelse mellan Nämnden" not in agreement
    # The reglemente, which every party's fullmäktige adopts, names the host's organs as its.
    assert (
        "när det gäller regionstyrelsen i Region Sörmland eller någon annan nämnd i Region "
        "Sörmland, i en annan rättsakt" in reglemente
    )
    assert "till exempel ett beslut av regionfullmäktige i Region Sörmland" in reglemente


def test_each_party_is_controller_through_the_nammd_responsible_for_each_task(
    tmp_path: Path,
) -> None:
    five = variant(AVT, tmp_path, lambda d: add_parties(d, 3))
    for path in (AVT, five):
        text = _flat(texts(path)["samverkansavtal"])
        assert (
            "Varje Part är, genom den nämnd som ansvarar för respektive uppgift, "
            "personuppgiftsansvarig för den behandling" in text
        )
        assert "ansvarar för uppgiften" not in text


def test_the_replaced_nammds_handlingar_go_to_the_body_that_answers_requests_for_them(
    tmp_path: Path,
) -> None:
    five = variant(AVT, tmp_path, lambda d: add_parties(d, 3))
    for path in (AVT, five):
        text = _flat(texts(path)["samverkansavtal"])
        assert (
            "däribland frågor om utlämnande av nämndens handlingar, tas över av regionstyrelsen "
            "i Region Sörmland." in text
        )
        assert (
            "Den tidigare nämndens handlingar tas om hand av regionstyrelsen i Region Sörmland "
            "och arkiveras" in text
        )


KF = ROOT / "examples" / "arkivforbund" / "kommunalforbund.yaml"


def _kf_start(start: str) -> Any:
    def change(data: dict[str, Any]) -> None:
        data.pop("matter", None)
        data["term"]["start"] = start

    return change


def test_a_first_payment_due_after_its_period_is_warned_of(tmp_path: Path) -> None:
    from avtal.build import check_project
    from avtal.project import load_project

    late = load_project(variant(KF, tmp_path, _kf_start("2027-03-20"), "late.yaml"))
    found = [f for f in check_project(late).findings if f.rule == "KF-FORSTA-BETALNING"]
    assert len(found) == 1
    assert "period ending on 2027-03-31, falls due on 2027-04-19" in str(found[0])
    for start in ("2027-01-01", "2027-03-01"):
        fine = load_project(variant(KF, tmp_path, _kf_start(start), f"{start}.yaml"))
        assert not [f for f in check_project(fine).findings if f.rule == "KF-FORSTA-BETALNING"]
