"""Council-matter bundles: the memo's decisions and text, the merged PDF, verification."""

from __future__ import annotations

import copy
import hashlib
import json
import re
import shutil
import zipfile
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner
from pypdf import PdfReader

from avtal.cli import main
from conftest import EXAMPLE, ROOT

EXAMPLES = {
    "avtalssamverkan": EXAMPLE,
    "gemensam_namnd": ROOT / "examples" / "inkop-sormland-vastmanland" / "gemensam-namnd.yaml",
    "kommunalforbund": ROOT / "examples" / "arkivforbund" / "kommunalforbund.yaml",
    "bolag": ROOT / "examples" / "it-bolag" / "bolag.yaml",
}


def _text(path: Path) -> str:
    return " ".join(" ".join((p.extract_text() or "").split()) for p in PdfReader(path).pages)


def _att_satser(memo: str) -> list[str]:
    """The proposed decisions: each "– att …" up to its closing comma or full stop."""
    part = memo[memo.index("Förslag till beslut") : memo.index("Bakgrund")]
    part = re.split(r" \w+ beslutar för egen del", part)[0].strip()
    return [s.strip() for s in part.split(" – ")[1:] if s.startswith("att ")]


@pytest.fixture(scope="session")
def bundles(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every example bundled once, as a user would: `avtal bundle` with no options."""
    out: dict[str, Path] = {}
    for form, params in EXAMPLES.items():
        folder = tmp_path_factory.mktemp(form) / "arende"
        result = CliRunner().invoke(main, ["bundle", str(params), "-o", str(folder)])
        assert result.exit_code == 0, result.output
        out[form] = folder
    return out


@pytest.fixture(scope="session")
def bundled(bundles: dict[str, Path]) -> Path:
    return bundles["avtalssamverkan"]


@pytest.fixture(scope="session")
def memos(bundles: dict[str, Path]) -> dict[str, str]:
    """form/party -> the memo's text, from its PDF, without page headers and footers."""
    running = re.compile(
        r" ?(Fingeravtryck [0-9a-f]{12} )?Sida \d+ av \d+"
        r" Tjänsteskrivelse .{1,40}? · (Utkast|Slutlig)"
    )
    return {
        f"{form}/{memo.parent.name}": running.sub("", _text(memo))
        for form, folder in bundles.items()
        for memo in sorted(folder.glob("*/tjansteskrivelse.pdf"))
    }


def test_one_matter_per_party(bundled: Path) -> None:
    assert sorted(p.name for p in bundled.iterdir()) == [
        "arenden.json",
        "manifest.json",
        "sormland",
        "sormland.zip",
        "vastmanland",
        "vastmanland.zip",
    ]
    for party in ("sormland", "vastmanland"):
        names = {p.name for p in (bundled / party).iterdir()}
        assert {
            "tjansteskrivelse.docx",
            "tjansteskrivelse.pdf",
            f"arende-{party}.pdf",
            "samverkansavtal.pdf",
            "bilaga-3-arbetsordning.pdf",
        } <= names
        assert not any("lasexemplar" in n for n in names)  # no extra attachment, no copy


def test_every_example_bundles_with_a_memo_per_party(bundles: dict[str, Path]) -> None:
    parties = {
        form: sorted(p.name for p in folder.iterdir() if p.is_dir())
        for form, folder in bundles.items()
    }
    assert parties["kommunalforbund"] == ["akerby", "norrvik", "sjohamn"]
    assert parties["bolag"] == ["sormland", "vastmanland"]
    for folder in bundles.values():
        assert CliRunner().invoke(main, ["verify", str(folder)]).exit_code == 0


def test_replaced_nammd_ends_at_the_close_of_the_day_host_dissolves(memos: dict[str, str]) -> None:
    host, other = memos["avtalssamverkan/sormland"], memos["avtalssamverkan/vastmanland"]
    for memo in (host, other):
        assert "från och med den 31 december" not in memo
        assert "dagen före" not in memo
        assert (
            "att upphäva reglementet för inköpsnämnden vid utgången av den 31 december 2026" in memo
        )
        assert (
            "att avtalet om den gemensamma inköpsnämnden upphör att gälla vid utgången av den"
            " 31 december 2026" in memo
        )
    assert "att den gemensamma inköpsnämnden upplöses vid utgången av den 31 december 2026" in host
    assert "upplöses" not in other.split("Bakgrund")[0]  # only the host dissolves its nämnd


@pytest.mark.parametrize(
    "memo_id",
    [
        "avtalssamverkan/sormland",
        "avtalssamverkan/vastmanland",
        "gemensam_namnd/sormland",
        "kommunalforbund/norrvik",
        "bolag/vastmanland",
    ],
)
def test_every_att_sats_is_conditional_on_the_others(memos: dict[str, str], memo_id: str) -> None:
    memo = memos[memo_id]
    satser = _att_satser(memo)
    assert len(satser) >= 3, memo
    for sats in satser:
        if "särskilt ärende" in sats or "särskilda ärenden" in sats:
            continue
        assert "under förutsättning att" in sats, sats
    assert satser[-1].endswith(".") and all(s.endswith(",") for s in satser[:-1])
    if "beslutar för egen del" in memo:
        assert re.search(
            r"beslutar för egen del, under förutsättning att \w+ beslutar enligt förslaget ovan,",
            memo,
        )
        own = memo[memo.index("beslutar för egen del") : memo.index("Bakgrund")]
        satser = [s.strip() for s in own.split(" – ")[1:]]
        assert satser and all("under förutsättning att" in s for s in satser), own


def test_avtalssamverkan_amends_each_styrelse_reglemente(memos: dict[str, str]) -> None:
    host, other = memos["avtalssamverkan/sormland"], memos["avtalssamverkan/vastmanland"]
    assert (
        "att ändra reglementet för regionstyrelsen så att styrelsen från och med den 1 januari"
        " 2027 ansvarar för inköpsverksamheten och för att utföra den för Region Västmanlands"
        " räkning" in host
    )
    assert "beslutar om delegation till anställda hos Region Sörmland och tar emot anmälan" in other
    for memo in (host, other):
        assert "varje år rapporterar om den till regionfullmäktige enligt 9 kap. 38 §" in memo


def test_styrelse_adopts_the_arbetsordning_as_the_amendment_clause_allows(
    memos: dict[str, str], bundled: Path
) -> None:
    agreement = (bundled / "sormland" / "samverkansavtal.md").read_text(encoding="utf-8")
    agreement = " ".join(agreement.split())
    assert "Arbetsordningen antas därför av styrelsen hos varje Part" in agreement
    memo = memos["avtalssamverkan/sormland"]
    fullmaktige_part = memo[: memo.index("beslutar för egen del")]
    assert "arbetsordning" not in fullmaktige_part.split("Förslag till beslut")[1]
    assert "Regionstyrelsen beslutar för egen del" in memo
    assert (
        "– att anta arbetsordning för Inköpsrådet enligt bilaga 3, under förutsättning att"
        " regionstyrelsen i Region Västmanland fattar likalydande beslut," in memo
    )


def test_kommunalforbund_decisions_and_contributions_sum_to_the_budget(
    memos: dict[str, str],
) -> None:
    total = Decimal(0)
    for party, name in (("akerby", "Åkerby"), ("norrvik", "Norrviks"), ("sjohamn", "Sjöhamns")):
        memo = memos[f"kommunalforbund/{party}"]
        assert "att anta förbundsordning för Arkivförbundet Mälarbygden enligt bilaga 1" in memo
        assert f"att {name}" in memo and "bildar Arkivförbundet Mälarbygden och är medlem" in memo
        found = re.search(
            r"att för kommunens medlemsbidrag till Arkivförbundet Mälarbygden år 2027 anvisa "
            r"högst ([\d  ]+) kronor",
            memo,
        )
        assert found, memo
        total += Decimal(re.sub(r"\D", "", found.group(1)))
        # the amounts differ per member: their decisions correspond, they are not identical
        anvisa = re.split(r"[,.] (– |Bakgrund)", memo[found.start() :])[0]
        assert anvisa.endswith("fattar motsvarande beslut"), anvisa
        assert "kommunstyrelsen" in memo.lower() and "region" not in memo.lower()
        assert "den andra parten" not in memo and "den andra partens" not in memo
    assert total == 9_500_000


def test_bolag_decisions(memos: dict[str, str]) -> None:
    memo = memos["bolag/vastmanland"]
    for words in (
        "att fastställa bolagsordning för Mälardalens Regioners IT AB enligt bilaga 1",
        "att anta ägardirektiv för Mälardalens Regioners IT AB enligt bilaga 2",
        "att godkänna aktieägaravtal avseende Mälardalens Regioners IT AB enligt bilaga 3",
        "att det kommunala ändamålet med bolagets verksamhet",
        "10 kap. 3 § kommunallagen",
        "bildar Mälardalens Regioners IT AB och tecknar 500 aktier i bolaget mot betalning av"
        " 500 000 kronor (1 000 kronor per aktie)",
        "att utse Eva Ek, Fredrik Fors och Gunilla Gran till ledamöter i bolagets styrelse",
        "att utse Hans Holm till lekmannarevisor i bolaget",
        "att uppdra åt regionstyrelsens ordförande att underteckna avtalet enligt bilaga 3",
    ):
        assert words in memo, words
    assert "3 kap. 11–16 §§ lagen (2016:1145)" in memo  # the in-house basis, as an assessment


def test_memo_words_fit_the_parties(memos: dict[str, str]) -> None:
    regions = memos["avtalssamverkan/vastmanland"]
    assert "kommunstyrelsen" not in regions.lower() and "kommunfullmäktige" not in regions
    assert "den andra parten" in regions  # two parties: the other one is named so
    assert "Regionstyrelsen respektive kommunstyrelsen" not in regions


def test_delegation_sentence_states_937_right(memos: dict[str, str]) -> None:
    memo = memos["avtalssamverkan/vastmanland"]
    assert "Beslut får delegeras endast till anställda hos den andra parten" not in memo
    assert (
        "får en nämnd uppdra åt en anställd hos den andra parten att besluta på nämndens vägnar"
        in memo
    )
    assert "Uppdraget får inte lämnas till den andra partens nämnder eller förtroendevalda" in memo
    assert "Bestämmelsen begränsar inte en parts delegation inom den egna organisationen" in memo


def test_legal_assessment_is_words_not_a_lint_report(memos: dict[str, str]) -> None:
    memo = memos["avtalssamverkan/sormland"]
    assert "regelkontroll" not in memo and "noll fel" not in memo and "varningar" not in memo
    for words in (
        "9 kap. 37 §",
        "6 kap. 38 §",
        "C-429/19",
        "revisorer insyn",
        "7 kap. 6 §",
        "Vid beredningen har det kontrollerats att",
        "5 kap. 1 §",
    ):
        assert words in memo, words
    assert (
        "förbundsordningen innehåller samtliga uppgifter som anges i 9 kap. 6 §"
        in memos["kommunalforbund/akerby"]
    )


def test_memo_rule_references_exist() -> None:
    from avtal.check.base import RULES

    ids = {r.id for r in RULES}
    text = (ROOT / "clauses" / "arende" / "juridik.md").read_text(encoding="utf-8")
    named = set(re.findall(r'"([A-Z]+-[A-Z-]+)" in checked', text))
    assert named and named <= ids, named - ids


def test_economy_from_the_parameters_and_the_example_called_an_example(
    memos: dict[str, str],
) -> None:
    memo = memos["avtalssamverkan/sormland"]
    economy = memo[memo.index("Ekonomiska konsekvenser") : memo.index("Juridisk bedömning")]
    for words in (
        "20 000 kronor per sammanträde",
        "120 000 kronor per år",
        "sex sammanträden",
        "480 000 kronor under en mandatperiod",
        "ingen förändring för personalen",
        "exempelbudget om 40 000 000 kronor",
        "är ett exempel och inte en budget",
    ):
        assert words in economy, words
    assert "per år vid den angivna budgeten" not in economy


def test_memo_dated_on_its_own_date_with_handlaggare_in_the_header(memos: dict[str, str]) -> None:
    memo = memos["avtalssamverkan/vastmanland"]
    head = memo[: memo.index("Förslag till beslut")]
    assert (
        "Handläggare Datum Diarienummer Förnamn Efternamn, kanslichef 30 november 2026"
        " RV-2026-5678" in head
    )
    assert "16 december" not in head
    assert "kanslichef" not in memo[memo.index("Beslutet skickas till") :]
    assert "Ärendet gäller ett förslag att Region Västmanland från och med den 1 januari 2027" in (
        head
    )
    assert "Samverkan föreslås omfatta" in memo


def test_merged_pdf_is_pdfa_with_bookmarks_and_labels(bundled: Path) -> None:
    reader = PdfReader(str(bundled / "sormland" / "arende-sormland.pdf"))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert "pdfaid:part>2<" in xmp and "pdfaid:conformance>B<" in xmp
    top = [item.title for item in reader.outline if not isinstance(item, list)]
    assert top == [
        "Tjänsteskrivelse",
        "Samverkansavtal",
        "Bilaga 3 – Arbetsordning för Inköpsrådet",
    ]
    labels = reader.page_labels
    assert len(labels) == len(reader.pages) == len(set(labels))
    assert labels[0] == "Innehåll" and labels[1] == "Tjänsteskrivelse:1"
    first = labels.index("Samverkansavtal:1")
    assert labels[first - 1].startswith("Tjänsteskrivelse:")
    ones = [i for i, label in enumerate(labels) if label.startswith("Samverkansavtal:")]
    assert labels[ones[-1]] == f"Samverkansavtal:{len(ones)}"
    assert labels[ones[-1] + 1] == "Bilaga 3:1"
    # every page of an attachment is stamped, and its labels agree with the stamp
    for index in range(ones[-1] + 1, len(labels)):
        assert "Bilaga 3" in (reader.pages[index].extract_text() or "")
    contents = " ".join((reader.pages[0].extract_text() or "").split())
    assert re.search(r"Samverkansavtal[ .]*Samverkansavtal:1", contents)
    assert re.search(r"Bilaga 3 – Arbetsordning för Inköpsrådet[ .]*Bilaga 3:1", contents)
    assert re.search(r"Tjänsteskrivelse[ .]*Tjänsteskrivelse:1", contents)


def test_attachments_are_the_build_outputs(bundled: Path, tmp_path: Path) -> None:
    out = tmp_path / "build"
    assert CliRunner().invoke(main, ["build", str(EXAMPLE), "-o", str(out)]).exit_code == 0
    for party in ("sormland", "vastmanland"):
        for prefix, name in (("", "samverkansavtal"), ("bilaga-3-", "arbetsordning")):
            for ext in ("pdf", "docx", "md"):
                bundled_file = bundled / party / f"{prefix}{name}.{ext}"
                assert bundled_file.read_bytes() == (out / f"{name}.{ext}").read_bytes()
    manifest = json.loads((bundled / "manifest.json").read_text(encoding="utf-8"))
    built = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert [d["fingerprint"] for d in manifest["documents"]] == [
        d["fingerprint"] for d in built["documents"]
    ]
    assert CliRunner().invoke(main, ["verify", str(out)]).exit_code == 0
    (out / "arbetsordning.md").write_text("changed", encoding="utf-8")
    changed = CliRunner().invoke(main, ["verify", str(out)])
    assert changed.exit_code == 1 and "changed: arbetsordning.md" in changed.output


def _memo_hash(folder: Path) -> str:
    with zipfile.ZipFile(folder / "sormland" / "tjansteskrivelse.docx") as archive:
        xml = archive.read("word/document.xml").decode()
    found = re.search(r"[0-9a-f]{64}", xml)
    assert found
    return found.group(0)


def test_memo_prints_the_manifest_hash_and_verify_checks_it(bundled: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(bundled, copy)
    printed = _memo_hash(copy)
    assert printed == hashlib.sha256((copy / "manifest.json").read_bytes()).hexdigest()
    runner = CliRunner()
    assert runner.invoke(main, ["verify", str(copy), "--sha256", printed]).exit_code == 0
    # A forger rewrites an attachment and every hash that covers it: verify alone passes,
    # the hash from the diarium does not.
    target = copy / "vastmanland" / "bilaga-3-arbetsordning.md"
    target.write_text("Arbetsordningen gäller inte.", encoding="utf-8")
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"]["vastmanland/bilaga-3-arbetsordning.md"] = hashlib.sha256(
        target.read_bytes()
    ).hexdigest()
    raw = (json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True) + "\n").encode()
    (copy / "manifest.json").write_bytes(raw)
    seals = json.loads((copy / "arenden.json").read_text(encoding="utf-8"))
    seals["manifest_sha256"] = hashlib.sha256(raw).hexdigest()
    (copy / "arenden.json").write_text(json.dumps(seals), encoding="utf-8")
    forged = runner.invoke(main, ["verify", str(copy)])
    assert "changed: vastmanland/bilaga-3-arbetsordning.md" not in forged.output
    assert "zip vastmanland.zip: vastmanland/bilaga-3-arbetsordning.md differs" in forged.output
    result = runner.invoke(main, ["verify", str(copy), "--sha256", printed])
    assert result.exit_code == 1
    assert "the manifest is not the one the memo names" in result.output


def test_verify_finds_changed_missing_extra_and_fingerprints(bundled: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(bundled, copy)
    runner = CliRunner()
    assert runner.invoke(main, ["verify", str(copy)]).output.strip() == f"{copy}: ok"
    target = copy / "vastmanland" / "tjansteskrivelse.pdf"
    data = bytearray(target.read_bytes())
    data[len(data) // 2] ^= 0x01
    target.write_bytes(bytes(data))
    (copy / "sormland" / "extra.txt").write_text("x", encoding="utf-8")
    (copy / "vastmanland.zip").unlink()
    result = runner.invoke(main, ["verify", str(copy)])
    assert result.exit_code == 1
    assert "changed: vastmanland/tjansteskrivelse.pdf" in result.output
    assert "extra: sormland/extra.txt" in result.output
    assert "missing: vastmanland.zip" in result.output
    # a document swapped for the other one, with the manifest's hashes made to match
    shutil.rmtree(copy)
    shutil.copytree(bundled, copy)
    one, two = (
        copy / "sormland" / f"{n}.docx" for n in ("samverkansavtal", "bilaga-3-arbetsordning")
    )
    one.write_bytes(two.read_bytes())
    manifest = json.loads((copy / "manifest.json").read_text(encoding="utf-8"))
    manifest["files"]["sormland/samverkansavtal.docx"] = hashlib.sha256(
        one.read_bytes()
    ).hexdigest()
    (copy / "manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    result = runner.invoke(main, ["verify", str(copy)])
    assert "fingerprint: sormland/samverkansavtal.docx does not carry" in result.output


def test_missing_matter_data_names_the_party_and_line(
    write_params: Callable[..., Path], tmp_path: Path
) -> None:
    def change(d: dict[str, Any]) -> None:
        del d["matter"]["parties"][1]["diarienummer"]

    params = write_params(change)
    out = tmp_path / "arende"
    result = CliRunner().invoke(main, ["bundle", str(params), "-o", str(out)])
    assert result.exit_code == 1
    assert re.search(
        r"p\.yaml:\d+: matter\.parties\[1\]\.diarienummer: missing for Region Västmanland",
        result.output,
    )
    assert not out.exists()
    assert [p.name for p in tmp_path.iterdir()] == [params.name]


def test_no_matter_at_all(write_params: Callable[..., Path], tmp_path: Path) -> None:
    params = write_params(lambda d: d.pop("matter"))
    result = CliRunner().invoke(main, ["bundle", str(params), "-o", str(tmp_path / "a")])
    assert result.exit_code == 1
    assert (
        "no matter data; add `matter:` to the parameter file or pass --matter FILE" in result.output
    )


def _readme_matter() -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("### The matter file") :]
    return section[
        section.index("```yaml") + 7 : section.index("```", section.index("```yaml") + 7)
    ]


def test_readme_matter_file_example_works_and_errors_name_the_line(
    write_params: Callable[..., Path], tmp_path: Path
) -> None:
    from avtal.bundle.matter import check_matter, load_matter
    from avtal.project import load_project

    params = write_params(lambda d: d.pop("matter"))
    matter = tmp_path / "arende.yaml"
    matter.write_text(_readme_matter(), encoding="utf-8")
    project = load_project(params)
    source = load_matter(project, matter)
    assert sorted(check_matter(project, source)) == ["sormland", "vastmanland"]
    broken = _readme_matter().replace("diarienummer: RV", "diarienr: RV", 1)
    matter.write_text(broken, encoding="utf-8")
    result = CliRunner().invoke(
        main, ["bundle", str(params), "--matter", str(matter), "-o", str(tmp_path / "o")]
    )
    line = broken.splitlines().index(next(x for x in broken.splitlines() if "diarienr:" in x)) + 1
    assert result.exit_code == 1
    assert f"arende.yaml:{line}: parties[1].diarienr: unknown key 'diarienr'" in result.output
    assert "did you mean 'diarienummer'?" in result.output


def test_extra_attachment_reading_copy_and_json_summary(
    write_params: Callable[..., Path], tmp_path: Path
) -> None:
    from avtal.build import render_documents
    from avtal.project import load_project

    pdf = render_documents(load_project(EXAMPLE).documents[1:], ["pdf"])["arbetsordning.pdf"]
    (tmp_path / "utredning.pdf").write_bytes(pdf)

    def change(d: dict[str, Any]) -> None:
        d["matter"]["attachments"] = [
            {"title": "Utredning om samverkansform", "file": "utredning.pdf"}
        ]

    params = write_params(change)
    out = tmp_path / "arende"
    result = CliRunner().invoke(main, ["bundle", "--format", "json", str(params), "-o", str(out)])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.output[result.output.index("{") :])
    assert [p["folder"] for p in summary["parties"]] == ["sormland", "vastmanland"]
    assert summary["parties"][0]["reading_copy"] == "arende-sormland-lasexemplar.pdf"
    assert (out / "sormland" / "bilaga-4-utredning.pdf").read_bytes() == pdf
    pure = PdfReader(str(out / "sormland" / "arende-sormland.pdf"))
    assert "Bilaga 4: Utredning om samverkansform — bifogas som separat fil" in _text(
        out / "sormland" / "arende-sormland.pdf"
    )
    assert not any(label.startswith("Bilaga 4") for label in pure.page_labels)
    reading = PdfReader(str(out / "sormland" / "arende-sormland-lasexemplar.pdf"))
    xmp = reading.trailer["/Root"].get("/Metadata")
    assert xmp is None or "pdfaid" not in xmp.get_object().get_data().decode()
    first = " ".join((reading.pages[0].extract_text() or "").split())
    assert "läsexemplar" in first and "Filen är inte PDF/A" in first
    labels = reading.page_labels
    extra = PdfReader(str(tmp_path / "utredning.pdf"))
    assert labels[-len(extra.pages) :] == [f"Bilaga 4:{i + 1}" for i in range(len(extra.pages))]
    assert len(set(labels)) == len(labels) == len(reading.pages)
    assert CliRunner().invoke(main, ["verify", str(out)]).exit_code == 0


def test_bundle_never_replaces_a_folder_that_is_not_a_bundle(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / "samverkansavtal.docx").write_bytes(b"a lawyer's edited copy")
    result = CliRunner().invoke(main, ["bundle", "-q", str(EXAMPLE), "-o", str(out)])
    assert result.exit_code == 1
    assert "exists and is not an avtal bundle" in result.output
    assert (out / "samverkansavtal.docx").read_bytes() == b"a lawyer's edited copy"
    assert sorted(p.name for p in tmp_path.iterdir() if not p.name.startswith(".")) == ["out"]


def test_bundle_is_reproducible_and_replaces_an_earlier_bundle(
    bundled: Path, tmp_path: Path
) -> None:
    out = tmp_path / "arende"
    shutil.copytree(bundled, out)
    (out / "sormland" / "stale.txt").write_text("old", encoding="utf-8")
    assert CliRunner().invoke(main, ["bundle", "-q", str(EXAMPLE), "-o", str(out)]).exit_code == 0
    assert not (out / "sormland" / "stale.txt").exists()
    for path in bundled.rglob("*"):
        if path.is_file():
            assert (out / path.relative_to(bundled)).read_bytes() == path.read_bytes(), path
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == sorted(
        p.relative_to(bundled) for p in bundled.rglob("*")
    )
    assert [p.name for p in tmp_path.iterdir() if p.is_dir()] == ["arende"]


def _memo_text(params: Path, party: str) -> str:
    """One party's memo as Markdown, assembled without rendering the bundle."""
    from avtal.bundle.matter import attachments, check_matter, load_matter
    from avtal.bundle.memo import make_memo
    from avtal.check import lint
    from avtal.project import load_project
    from avtal.render.markdown import render_markdown

    project = load_project(params)
    report = lint(project)  # the memo says in words only what passed
    source = load_matter(project, None)
    entries = check_matter(project, source)
    parts = attachments(project, source)
    target = project.params.party(party)
    memo = make_memo(project, source, target, entries[party], parts, report, "0" * 64)
    return " ".join(render_markdown(memo).decode().split())


def test_three_parties_and_another_delegating_nammd(
    write_params: Callable[..., Path],
) -> None:
    def change(d: dict[str, Any]) -> None:
        d["parties"].append(
            {
                "id": "orebro",
                "name": "Region Örebro län",
                "org_number": "232100-0164",
                "kind": "region",
                "seat": "Örebro",
                "signatory": {"name": "Namn Efternamn", "title": "regionstyrelsens ordförande"},
            }
        )
        d["costs"] = {**d["costs"], "model": "equal"}
        d["costs"].pop("shares", None)
        d["governance"]["steering_council"]["members"].append(
            {"party": "orebro", "position": "regiondirektör"}
        )
        d["insight"]["quarterly_reports"]["approved_by"].append("orebro")
        d["delegation"]["delegating_body"] = {"orebro": "hälso- och sjukvårdsnämnden"}
        d["matter"]["parties"].append(
            {
                **copy.deepcopy(d["matter"]["parties"][1]),
                "party": "orebro",
                "diarienummer": "RÖ-2026-1",
                "send_to": ["Region Sörmland"],
            }
        )

    params = write_params(change)
    memo = _memo_text(params, "orebro")
    assert "den andra parten" not in memo and "den andra partens" not in memo
    assert "en anställd hos en annan part" in memo
    assert (
        "under förutsättning att regionfullmäktige i Region Sörmland och regionfullmäktige i"
        " Region Västmanland fattar likalydande beslut" in memo
    )
    assert (
        "att ändra reglementet för hälso- och sjukvårdsnämnden så att nämnden från och med den"
        " 1 januari 2027 ansvarar för den del av inköpsverksamheten" in memo
    )
    assert "beslutar om delegation till anställda hos Region Sörmland" in memo
    styrelse = memo[memo.index("att ändra reglementet för regionstyrelsen") :]
    assert "delegation" not in styrelse[: styrelse.index("motsvarande beslut")]


def test_arbetsordning_has_one_number_in_agreement_memo_and_bundle(
    bundled: Path, memos: dict[str, str]
) -> None:
    from avtal.project import load_project

    agreement = load_project(EXAMPLE).documents[0]
    number = next(a.label for a in agreement.annexes if a.id == "bilaga.arbetsordning")
    assert number == "Bilaga 3"
    folder = bundled / "sormland"
    assert (folder / "bilaga-3-arbetsordning.pdf").is_file()
    own = (folder / "bilaga-3-arbetsordning.md").read_text(encoding="utf-8")
    assert "Bilaga 3 till samverkansavtal" in own
    memo = memos["avtalssamverkan/sormland"]
    assert "att anta arbetsordning för Inköpsrådet enligt bilaga 3" in memo
    assert "Bilaga 3: Arbetsordning för Inköpsrådet" in memo
    assert "med bilagorna 1 och 2, under förutsättning" in memo  # the agreement's own annexes
    labels = PdfReader(str(folder / "arende-sormland.pdf")).page_labels
    assert "Bilaga 3:1" in labels
    assert not any(x.startswith(("Bilaga 1", "Bilaga 2")) for x in labels)


@pytest.mark.parametrize("form", list(EXAMPLES))
def test_one_label_one_thing_in_every_matter(bundles: dict[str, Path], form: str) -> None:
    """No "Bilaga N" of the memo is also an annex inside one of its documents."""
    from avtal.bundle.matter import attachments, load_matter
    from avtal.project import load_project

    project = load_project(EXAMPLES[form])
    parts = attachments(project, load_matter(project, None))
    things: dict[str, set[str]] = {}
    for part in parts:
        if part.number is not None:
            things.setdefault(f"Bilaga {part.number}", set()).add(part.title)
        else:
            assert part.document is not None
            for annex in part.document.annexes:
                kind = annex.id.removeprefix("bilaga.")
                same = [p.title for p in parts if p.kind == kind]
                things.setdefault(annex.label, set()).add(same[0] if same else annex.title)
        if part.document is not None and part.document.annexes:
            assert part.number is None, f"{part.title} holds annexes but is itself numbered"
    assert all(len(v) == 1 for v in things.values()), things
    for merged in sorted(bundles[form].glob("*/arende-*.pdf")):
        reader = PdfReader(str(merged))
        labels = reader.page_labels
        assert len(labels) == len(set(labels)) == len(reader.pages)
        prefixes = {label.rsplit(":", 1)[0] for label in labels[1:]}
        numbered = {f"Bilaga {p.number}" for p in parts if p.number is not None}
        assert {p for p in prefixes if p.startswith("Bilaga ")} == numbered
        contents = " ".join((reader.pages[0].extract_text() or "").split())
        for part in parts:
            label = part.label
            heading = label if part.number is None else f"{label} – {part.title}"
            assert re.search(rf"{re.escape(heading)}[ .]*{re.escape(label)}:1", contents), (
                heading,
                contents,
            )


def test_verify_reports_zip_members_avtal_never_writes(bundled: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy"
    shutil.copytree(bundled, copy)
    archive_path = copy / "vastmanland.zip"
    with zipfile.ZipFile(archive_path) as archive:
        members = [(info.filename, archive.read(info)) for info in archive.infolist()]
    with zipfile.ZipFile(archive_path, "w", zipfile.ZIP_BZIP2) as archive:
        for member, data in members:
            archive.writestr(member, data)
    result = CliRunner().invoke(main, ["verify", str(copy)])
    assert result.exit_code == 1
    assert f"zip vastmanland.zip: {members[0][0]} is stored in a way avtal never writes" in (
        result.output
    )
    archive_path.write_bytes(archive_path.read_bytes()[:200])
    result = CliRunner().invoke(main, ["verify", str(copy)])
    assert result.exit_code == 1
    assert "changed: vastmanland.zip (not a readable zip)" in result.output
