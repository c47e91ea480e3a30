"""Kommunalförbund and co-owned company: builds, the 18 items of 9 kap. 6 §, and their rules."""

from __future__ import annotations

import re
from collections import Counter
from pathlib import Path

import pytest

from avtal.build import render_documents
from avtal.check import BOLAGSORDNING_ITEMS, DELAGT_ITEMS, FORBUND_ITEMS, lint
from avtal.project import load_project
from conftest import ROOT
from textutil import docx_paragraphs, md_words, pdf_body_words, rejoin, words

KF = ROOT / "examples" / "arkivforbund" / "kommunalforbund.yaml"
BOLAG = ROOT / "examples" / "it-bolag" / "bolag.yaml"
KF_DEF = ROOT / "templates" / "forbundsordning.yaml"
BO_DEF = ROOT / "templates" / "bolagsordning.yaml"


def findings(params: Path, *clause_dirs: Path) -> list[str]:
    return [str(f) for f in lint(load_project(params, clause_dirs)).findings]


@pytest.mark.parametrize("example", [KF, BOLAG], ids=["kommunalforbund", "bolag"])
def test_examples_build_in_all_formats_with_the_same_words(example: Path) -> None:
    project = load_project(example)
    assert lint(project).findings == ()
    files = render_documents(project.documents)
    for doc in project.documents:
        md = md_words(files[f"{doc.file}.md"])
        assert words("\n".join(docx_paragraphs(files[f"{doc.file}.docx"]))) == md
        pdf = pdf_body_words(files[f"{doc.file}.pdf"], doc.title, doc.doc_id, doc.status_label)
        assert Counter(rejoin(pdf, md)) == Counter(md)


def test_bolag_documents() -> None:
    project = load_project(BOLAG)
    assert [d.file for d in project.documents] == [
        "bolagsordning",
        "agardirektiv",
        "aktieagaravtal",
    ]
    assert project.documents[2].signatures  # the shareholders' agreement is signed


def _covering(item: str) -> list[str]:
    project = load_project(KF)
    doc = project.documents[0]
    return [
        s.clause_id
        for s in doc.sections
        if item in project.clause_library.clauses[s.clause_id].meta.covers
    ]


@pytest.mark.parametrize("item", list(FORBUND_ITEMS))
def test_each_item_of_9_6_is_stated_and_checked(item: str, tmp_path: Path) -> None:
    covering = _covering(item)
    assert covering, f"no part of the förbundsordning states {item}"
    # Break it: the same clauses without that item in `covers` -> the rule names the item.
    project = load_project(KF)
    for clause_id in covering:
        clause = project.clause_library.clauses[clause_id]
        text = clause.path.read_text(encoding="utf-8")
        text = _without_item(text, item)
        target = tmp_path / "egna" / clause.path.parent.name / clause.path.name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    found = findings(KF, tmp_path / "egna")
    assert (
        f"KF-PUNKTER error {KF_DEF}:1 forbundsordning lacks item {item}: {FORBUND_ITEMS[item]} "
        "(9 kap. 6 § kommunallagen (2017:725))"
    ) in found


def test_item_5_only_with_a_direktion(tmp_path: Path) -> None:
    params = tmp_path / "kf.yaml"
    params.write_text(
        KF.read_text(encoding="utf-8").replace("organ: direktion", "organ: forbundsfullmaktige"),
        encoding="utf-8",
    )
    assert not [f for f in findings(params) if f.startswith("KF-PUNKTER")]


def _variant(tmp_path: Path, old: str, new: str, source: Path = KF) -> Path:
    text = source.read_text(encoding="utf-8")
    assert old in text, old
    path = tmp_path / source.name
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def _line(path: Path, needle: str) -> int:
    return next(
        n for n, t in enumerate(path.read_text(encoding="utf-8").split("\n"), 1) if needle in t
    )


def test_seats_per_member(tmp_path: Path) -> None:
    path = _variant(
        tmp_path,
        "{party: norrvik, members: 1, substitutes: 1}",
        "{party: norrvik, members: 2, substitutes: 1}",
    )
    assert (
        f"KF-PLATSER error {path}:{_line(path, 'party: norrvik')} federation.seats[1]: norrvik "
        "has 2 ledamöter but 1 ersättare; the numbers must be equal "
        "(9 kap. 3 § kommunallagen (2017:725))"
    ) in findings(path)


def test_term_at_most_four_years(tmp_path: Path) -> None:
    path = _variant(tmp_path, "term_years: 4", "term_years: 5")
    assert (
        f"KF-MANDATTID error {path}:{_line(path, 'term_years: 5')} federation.term_years: 5 years; "
        "at most 4 (9 kap. 4 § kommunallagen (2017:725))"
    ) in findings(path)


def test_withdrawal_notice_at_most_three_years(tmp_path: Path) -> None:
    path = _variant(tmp_path, "withdrawal_notice_years: 3", "withdrawal_notice_years: 5")
    assert (
        f"KF-UTTRADE error {path}:{_line(path, 'withdrawal_notice_years')} "
        "federation.withdrawal_notice_years: 5 years; at most 3 "
        "(9 kap. 18 § kommunallagen (2017:725))"
    ) in findings(path)


def _without_item(text: str, item: str) -> str:
    """The clause text with ``item`` taken out of its ``covers:`` line."""

    def fix(match: re.Match[str]) -> str:
        items = [i.strip() for i in match.group(1).split(",") if i.strip() and i.strip() != item]
        return f"covers: [{', '.join(items)}]"

    return re.sub(r"^covers: \[([^\]]*)\]", fix, text, flags=re.M)


def _strip_covers(tmp_path: Path, params: Path, items: set[str]) -> Path:
    project = load_project(params)
    root = tmp_path / "egna"
    for clause in project.clause_library.clauses.values():
        if set(clause.meta.covers) & items:
            text = clause.path.read_text(encoding="utf-8")
            for item in items:
                text = _without_item(text, item)
            target = root / clause.path.parent.name / clause.path.name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(text, encoding="utf-8")
    return root


@pytest.mark.parametrize("item", ["abl-3-1-kallelse", "kl-10-3-andamal", "abl-3-3"])
def test_bolagsordning_items(tmp_path: Path, item: str) -> None:
    root = _strip_covers(tmp_path, BOLAG, {item})
    what = {
        **BOLAGSORDNING_ITEMS,
        "abl-3-3": "that the company is not run for profit and how a surplus is used",
    }[item]
    assert (
        f"BOLAG-ORDNING error {BO_DEF}:1 bolagsordning lacks item {item}: {what} "
        "(3 kap. 1 och 3 §§ aktiebolagslagen (2005:551) och 10 kap. 3 § kommunallagen (2017:725))"
    ) in findings(BOLAG, root)


def test_co_owned_company_conditions(tmp_path: Path) -> None:
    root = _strip_covers(tmp_path, BOLAG, {"insyn"})
    assert any(
        f.startswith("BOLAG-DELAGT error") and f"lacks item insyn: {DELAGT_ITEMS['insyn']}" in f
        for f in findings(BOLAG, root)
    )
