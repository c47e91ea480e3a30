"""A catalogue of hostile and broken inputs.

Each case gets a clear error (exit 1, a message, no traceback, nothing written) or a
correct document (exit 0, the value printed literally) -- never a crash, a hang or a
partial file.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from avtal.cli import main
from avtal.render.markdown import unescape
from conftest import EXAMPLE

BASE = EXAMPLE.read_text(encoding="utf-8")


def swap(old: str, new: str, count: int = 1) -> Callable[[], bytes]:
    assert old in BASE, old
    return lambda: BASE.replace(old, new, count).encode("utf-8")


def share(line: str) -> Callable[[], bytes]:
    """The example with fixed shares, the first one written as ``line``."""
    return swap("  model: equal\n", f"  model: fixed\n  shares:\n    {line}\n    vastmanland: 48\n")


def line(text: str) -> int:
    """The line of the example on which ``text`` starts."""
    return BASE[: BASE.index(text)].count("\n") + 1


PAY, REPORT_BY = line("payment_days: 30"), line("annual_report_by: 02-15")
PARTIES, NAME2 = line("parties:"), line("name: Region Västmanland")


def raw(data: bytes | str) -> Callable[[], bytes]:
    return lambda: data if isinstance(data, bytes) else data.encode("utf-8")


def nested(depth: int) -> bytes:
    text = "form: avtalssamverkan\nx:\n"
    for level in range(depth):
        text += "  " * (level + 1) + "a:\n"
    return text.encode()


BILLION_LAUGHS = (
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]\n'
    "b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]\n"
    "c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]\n"
    "d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]\n"
    "e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]\n"
    "f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]\n"
    "g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]\n"
)


def many_parties(count: int) -> bytes:
    head, tail = BASE.split("\nterm:", 1)
    head = head.split("parties:", 1)[0] + "parties:\n"
    for index in range(count):
        head += (
            f"  - id: p{index}\n    name: Kommun {index}\n    org_number: 212000-0001\n"
            f"    kind: kommun\n    host: {str(index == 0).lower()}\n    seat: Ort\n"
            "    signatory: {name: N N, title: ordförande}\n"
        )
    return (head + "\nterm:" + tail).encode()


@dataclass(frozen=True)
class Case:
    id: str
    make: Callable[[], bytes]
    error: str | None = None  # expected substring of the error; None: must build
    literal: str | None = None  # for a successful build: text that must appear literally


CASES = [
    # Malformed YAML
    Case("unclosed-bracket", raw("form: avtalssamverkan\nparties: [\n"), "YAML syntax error"),
    Case("tab-indent", raw("form: avtalssamverkan\ndocument:\n\tid: x\n"), "YAML syntax error"),
    Case(
        "bad-indent",
        swap("  id: RS-RV-INK-2027\n  version:", "  id: RS-RV-INK-2027\n version:"),
        "YAML syntax error",
    ),
    Case("unterminated-quote", swap('version: "0.9"', 'version: "0.9'), "YAML syntax error"),
    Case("stray-colon", swap("status: utkast", "status: utkast: slutlig"), "YAML syntax error"),
    Case("only-comment", raw("# nothing here\n"), "parameter file is empty"),
    Case("top-level-list", raw("- a\n- b\n"), "the top level must be a mapping"),
    Case("top-level-scalar", raw("just text\n"), "the top level must be a mapping"),
    # Encodings
    Case("latin-1", lambda: BASE.encode("latin-1", errors="replace"), "is not valid UTF-8"),
    Case("utf-16-le", lambda: "\ufeff".encode("utf-16-le") + BASE.encode("utf-16-le"), "is UTF-16"),
    Case("utf-16-be", lambda: "\ufeff".encode("utf-16-be") + BASE.encode("utf-16-be"), "is UTF-16"),
    Case("utf-8-bom", lambda: b"\xef\xbb\xbf" + BASE.encode("utf-8"), None),
    Case(
        "invalid-utf-8",
        lambda: BASE.encode("utf-8").replace(b"Region S", b"Region \xff", 1),
        "is not valid UTF-8",
    ),
    # Size and shape
    Case("huge-file", lambda: BASE.encode() + b"#" * 1_100_000, "the limit is 1000000"),
    Case("deeply-nested", lambda: nested(60), "nested deeper than 30 levels"),
    Case("billion-laughs", raw(BILLION_LAUGHS), "anchors and aliases (&, *) are not allowed"),
    Case(
        "merge-key", swap("document:\n", "document:\n  <<: {}\n"), "merge keys (<<) are not allowed"
    ),
    Case(
        "int-key",
        swap("form: avtalssamverkan", "form: avtalssamverkan\n1: x"),
        "must be a plain text key",
    ),
    Case(
        "null-key",
        swap("form: avtalssamverkan", "form: avtalssamverkan\nnull: x"),
        "must be a plain text key",
    ),
    Case(
        "complex-key",
        swap("form: avtalssamverkan", "form: avtalssamverkan\n? [a, b]\n: x"),
        "must be a plain text key",
    ),
    Case(
        "python-tag",
        swap("form: avtalssamverkan", "form: !!python/object/apply:os.system [id]"),
        "is not allowed",
    ),
    Case(
        "python-name",
        swap("form: avtalssamverkan", "form: !!python/name:os.system"),
        "is not allowed",
    ),
    Case("binary-tag", swap('version: "0.9"', "version: !!binary aGk="), "is not allowed"),
    Case("custom-tag", swap("status: utkast", "status: !secret utkast"), "is not allowed"),
    # Dates
    Case("date-us-format", swap("start: 2027-01-01", 'start: "01/01/2027"'), "term.start"),
    Case("date-month-13", swap("start: 2027-01-01", "start: 2027-13-01"), "term.start"),
    Case("date-words", swap("start: 2027-01-01", "start: nästa år"), "term.start"),
    Case(
        "datetime-with-time", swap("start: 2027-01-01", "start: 2027-01-01T10:30:00"), "term.start"
    ),
    Case("end-before-start", swap("end: 2030-12-31", "end: 2026-12-31"), "is not after start"),
    # Numbers and shares
    Case("negative-share", share("sormland: -52"), "costs.shares.sormland"),
    Case("zero-share", share("sormland: 0"), "costs.shares.sormland"),
    Case("nan-share", share("sormland: .nan"), "costs.shares.sormland"),
    Case("inf-share", share("sormland: .inf"), "costs.shares.sormland"),
    Case("percent-string", share('sormland: "52 %"'), "costs.shares.sormland"),
    Case("shares-sum-99", share("sormland: 51"), "must sum to 100"),
    Case("many-decimals", share("sormland: 52.0001\n    # x"), "costs.shares"),
    Case(
        "negative-budget",
        swap("example_budget: 40000000", "example_budget: -1"),
        "costs.example_budget",
    ),
    # Parties and names
    Case("hundreds-of-parties", lambda: many_parties(300), "List should have at most 50 items"),
    Case(
        "very-long-name", swap("name: Region Västmanland", "name: " + "Å" * 5000), "parties[1].name"
    ),
    Case(
        "control-char",
        swap("name: Region Västmanland", 'name: "Region\\aVästmanland"'),
        "invisible or control character",
    ),
    Case(
        "nul-char",
        swap("name: Region Västmanland", 'name: "Region\\0Västmanland"'),
        "invisible or control character",
    ),
    Case(
        "rtl-override",
        swap("name: Region Västmanland", "name: Region \u202eVästmanland"),
        "RIGHT-TO-LEFT OVERRIDE",
    ),
    Case(
        "rtl-mark",
        swap("name: Region Västmanland", "name: Region\u200f Västmanland"),
        "RIGHT-TO-LEFT MARK",
    ),
    Case(
        "zero-width-space",
        swap("name: Region Västmanland", "name: Region\u200bVästmanland"),
        "ZERO WIDTH SPACE",
    ),
    Case(
        "soft-hyphen",
        swap("name: Region Västmanland", "name: Regi\u00adon Västmanland"),
        "SOFT HYPHEN",
    ),
    Case(
        "private-use",
        swap("name: Region Västmanland", "name: Region \ue000Västmanland"),
        "invisible or control character",
    ),
    Case("empty-name", swap("name: Region Västmanland", 'name: "   "'), "must not be empty"),
    Case("bad-org-number", swap("232100-0172", "232100-0173"), "check digit"),
    Case("unknown-form", swap("form: avtalssamverkan", "form: konsortium"), "form"),
    Case(
        "form-without-section",
        swap("form: avtalssamverkan", "form: bolag"),
        "company: required for form 'bolag'",
    ),
    # YAML 1.1 readings that silently change a value
    Case(
        "yaml11-octal",
        swap("payment_days: 30", "payment_days: 030"),
        f":{PAY}: costs.payment_days: '030' is not a plain decimal integer (YAML 1.1 would read "
        "it as 24)",
    ),
    Case(
        "yaml11-base-60",
        swap("payment_days: 30", "payment_days: 1:00"),
        f":{PAY}: costs.payment_days: '1:00' is not a plain decimal integer (YAML 1.1 would read "
        "it as 60)",
    ),
    Case(
        "yaml11-hex",
        swap("payment_days: 30", "payment_days: 0x1E"),
        f":{PAY}: costs.payment_days: '0x1E' is not a plain decimal integer",
    ),
    Case(
        "yaml11-yes",
        swap("payment_days: 30", "payment_days: yes"),
        f":{PAY}: costs.payment_days: 'yes' is read as a yes/no value by YAML 1.1",
    ),
    Case(
        "yaml11-on-as-flag",
        swap("information_rights: true", "information_rights: on"),
        "insight.information_rights: 'on' is read as a yes/no value by YAML 1.1",
    ),
    Case(
        "true-as-number",
        swap("payment_days: 30", "payment_days: true"),
        f":{PAY}: costs.payment_days: a yes/no value (true) where a number is expected",
    ),
    Case(
        "month-day-02-30",
        swap("annual_report_by: 02-15", "annual_report_by: 02-30"),
        f":{REPORT_BY}: insight.annual_report_by: 02-30 is not a day of the year (MM-DD)",
    ),
    Case(
        "month-day-04-31",
        swap("annual_report_by: 02-15", "annual_report_by: 04-31"),
        f":{REPORT_BY}: insight.annual_report_by: 04-31 is not a day of the year (MM-DD)",
    ),
    Case("month-day-02-29", swap("annual_report_by: 02-15", "annual_report_by: 02-29"), None),
    # Look-alike and blank-looking names
    Case(
        "same-name-nfc-nfd",
        swap("name: Region Västmanland", "name: Region So\u0308rmland"),
        f":{PARTIES}: parties: duplicate party name: Region Sörmland",
    ),
    Case(
        "same-name-other-case",
        swap("name: Region Västmanland", "name: REGION SÖRMLAND"),
        f":{PARTIES}: parties: duplicate party name: REGION SÖRMLAND "
        "(looks the same as 'Region Sörmland')",
    ),
    Case(
        "cyrillic-look-alike",
        swap("name: Region Västmanland", "name: Region S\u00f6rml\u0430nd"),
        f":{NAME2}: parties[1].name: the word 'Sörmlаnd' mixes Latin and Cyrillic letters "
        "(CYRILLIC SMALL LETTER A (U+0430))",
    ),
    Case(
        "greek-look-alike",
        swap("name: Region Västmanland", "name: Regi\u03bfn Västmanland"),
        f":{NAME2}: parties[1].name: the word 'Regiοn' mixes Latin and Greek letters",
    ),
    Case(
        "fullwidth-look-alike",
        swap("name: Region Västmanland", "name: \uff32egion Sörmland"),
        f":{NAME2}: parties[1].name: contains the character FULLWIDTH LATIN CAPITAL LETTER R",
    ),
    Case(
        "combining-only-name",
        swap("name: Region Västmanland", 'name: "\u0301\u0308\u0301"'),
        f":{NAME2}: parties[1].name: contains the combining character COMBINING ACUTE ACCENT "
        "(U+0301) at position 1",
    ),
    Case(
        "hangul-filler-name",
        swap("name: Region Västmanland", "name: \u3164"),
        f":{NAME2}: parties[1].name: contains the character HANGUL FILLER (U+3164) at "
        "position 1, which the documents' fonts cannot show",
    ),
    Case(
        "braille-blank-name",
        swap("name: Region Västmanland", "name: \u2800\u2800"),
        f":{NAME2}: parties[1].name: contains the character BRAILLE PATTERN BLANK (U+2800)",
    ),
    Case(
        "emoji-name",
        swap("name: Region Västmanland", "name: Region V\u00e4stmanland \U0001f600"),
        f":{NAME2}: parties[1].name: contains the character GRINNING FACE (U+1F600) at position "
        "20, which the documents' fonts cannot show",
    ),
    Case(
        "cjk-name",
        swap("name: Region Västmanland", "name: \u6771\u4eac"),
        f":{NAME2}: parties[1].name: contains the character CJK UNIFIED IDEOGRAPH-6771 (U+6771)",
    ),
    Case(
        "nfd-name-is-normalised",
        swap("name: Region Västmanland", "name: Region Va\u0308stmanland"),
        None,
        "Region Västmanland",
    ),
    # Template syntax and markup in values: printed literally
    Case(
        "jinja-expression",
        swap("name: Region Västmanland", 'name: "Region {{ 7*7 }}"'),
        None,
        "Region {{ 7*7 }}",
    ),
    Case(
        "jinja-statement",
        swap(
            "title: regionstyrelsens ordförande", 'title: "{% for x in range(9**9) %}x{% endfor %}"'
        ),
        None,
        "{% for x in range(9**9) %}x{% endfor %}",
    ),
    Case(
        "markup-chars",
        swap("name: Region Västmanland", 'name: "**Region** | <b>&amp; _x_"'),
        None,
        "**Region** | <b>&amp; _x_",
    ),
    Case(
        "list-marker",
        swap(
            "    - analys och uppföljning av regionernas inköp", '    - "- a) | ### inte en rubrik"'
        ),
        None,
        "- a) | ### inte en rubrik",
    ),
]


def run_build(tmp_path: Path, data: bytes) -> tuple[Result, Path]:
    params = tmp_path / "p.yaml"
    params.write_bytes(data)
    out = tmp_path / "out"
    result = CliRunner().invoke(main, ["build", str(params), "-o", str(out), "--format", "md,docx"])
    return result, out


def test_catalogue_is_large_enough() -> None:
    assert len(CASES) >= 70
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input(tmp_path: Path, case: Case) -> None:
    result, out = run_build(tmp_path, case.make())
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert "Traceback" not in result.output
    if case.error is not None:
        assert result.exit_code == 1, result.output
        assert result.output.startswith("error: "), result.output
        assert case.error in result.output, result.output
        assert not out.exists()
        assert sorted(p.name for p in tmp_path.iterdir()) == ["p.yaml"]
    else:
        assert result.exit_code == 0, result.output
        assert (out / "samverkansavtal.md").is_file() and (out / "samverkansavtal.docx").is_file()
        if case.literal:
            text = unescape((out / "samverkansavtal.md").read_text(encoding="utf-8"))
            assert case.literal in text


SSTI = [
    "{{ ''.__class__.__mro__[1].__subclasses__() }}",
    "{{ cycler.__init__.__globals__.os.popen('id').read() }}",
    "{{ lipsum.__globals__['os'] }}",
    "{{ joiner.__init__.__globals__ }}",
    "{{ namespace.__init__.__globals__ }}",
    "{{ host.__class__.__base__ }}",
    "{{ self.__init__.__globals__ }}",
    "{{ ref.__globals__ }}",
    "{% include '../../../../etc/passwd' %}",
    "{% include '/etc/passwd' %}",
    "{% import 'os' as os %}",
    "{{ range(10**9) | list }}",
]


@pytest.mark.parametrize("body", SSTI)
def test_clause_cannot_escape_the_sandbox(tmp_path: Path, body: str) -> None:
    root = tmp_path / "egna" / "tvister"
    root.mkdir(parents=True)
    (root / "egen.md").write_text(
        "---\nid: avtalssamverkan.tvister\ntitle: T\nversion: 1.0.0\narea: tvister\n"
        f"forms: [avtalssamverkan]\n---\n{body}\n",
        encoding="utf-8",
    )
    params = tmp_path / "p.yaml"
    params.write_text(BASE, encoding="utf-8")
    out = tmp_path / "out"
    result = CliRunner().invoke(
        main,
        [
            "build",
            str(params),
            "-o",
            str(out),
            "--format",
            "md",
            "--clauses",
            str(tmp_path / "egna"),
        ],
    )
    assert result.exit_code == 1, result.output
    assert "egen.md" in result.output and "Traceback" not in result.output
    assert "root:" not in result.output
    assert not out.exists()


def test_output_folder_is_a_file(tmp_path: Path) -> None:
    blocker = tmp_path / "out"
    blocker.write_text("not a folder", encoding="utf-8")
    params = tmp_path / "p.yaml"
    params.write_text(BASE, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(params), "-o", str(blocker / "sub")])
    assert result.exit_code == 1
    assert "cannot create output folder" in result.output
    assert blocker.read_text(encoding="utf-8") == "not a folder"


def test_output_folder_cannot_be_written(tmp_path: Path) -> None:
    params = tmp_path / "p.yaml"
    params.write_text(BASE, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(params), "-o", "/proc/avtal-out"])
    assert result.exit_code == 1
    assert result.output.startswith("error: /proc/avtal-out")


def test_output_file_that_is_a_symlink_is_not_followed(tmp_path: Path) -> None:
    params = tmp_path / "p.yaml"
    params.write_text(BASE, encoding="utf-8")
    victim = tmp_path / "victim.txt"
    victim.write_text("keep me", encoding="utf-8")
    out = tmp_path / "out"
    out.mkdir()
    os.symlink(victim, out / "samverkansavtal.md")
    result = CliRunner().invoke(main, ["build", str(params), "-o", str(out), "--format", "md"])
    assert result.exit_code == 1
    assert "exists and is not a regular file; not replaced" in result.output
    assert victim.read_text(encoding="utf-8") == "keep me"
    assert sorted(p.name for p in out.iterdir()) == ["samverkansavtal.md"]


def test_output_folder_through_symlink_is_allowed(tmp_path: Path) -> None:
    params = tmp_path / "p.yaml"
    params.write_text(BASE, encoding="utf-8")
    real = tmp_path / "real"
    real.mkdir()
    os.symlink(real, tmp_path / "link")
    result = CliRunner().invoke(
        main, ["build", str(params), "-o", str(tmp_path / "link"), "--format", "md"]
    )
    assert result.exit_code == 0, result.output
    assert (real / "samverkansavtal.md").is_file()
    shutil.rmtree(real)
