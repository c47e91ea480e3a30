"""Hostile inputs, second round: clauses, definitions, caches, files and output folders.

Each case ends in an exact outcome: a clear error naming the file (exit 1, no traceback,
nothing written), or a correct document. Every case is bounded in time: reads that could
block run under an alarm, processes run with a timeout.
"""

from __future__ import annotations

import json
import marshal
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner, Result

from avtal.cli import main
from avtal.errors import AvtalError
from conftest import EXAMPLE, ROOT, foreground

BASE = EXAMPLE.read_text(encoding="utf-8")
GN_EXAMPLE = EXAMPLE.with_name("gemensam-namnd.yaml")
AVTAL = [sys.executable, "-m", "avtal"]


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Fail instead of hanging: a blocking open() or read() is interrupted by SIGALRM."""

    def expired(signum: int, frame: object) -> None:
        raise TimeoutError(f"took more than {seconds} s")

    previous = signal.signal(signal.SIGALRM, expired)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def clause(folder: Path, body: str, title: str = "T", area: str = "tvister") -> Path:
    """A user clause that replaces the agreement's disputes clause (body from line 8)."""
    root = folder / area
    root.mkdir(parents=True, exist_ok=True)
    path = root / "egen.md"
    path.write_text(
        f"---\nid: avtalssamverkan.tvister\ntitle: {title}\nversion: 1.0.0\narea: {area}\n"
        f"forms: [avtalssamverkan]\n---\n{body}\n",
        encoding="utf-8",
    )
    return path


def build(tmp_path: Path, *extra: str, params: str = BASE) -> tuple[Result, Path]:
    tmp_path.mkdir(exist_ok=True)
    source = tmp_path / "p.yaml"
    source.write_text(params, encoding="utf-8")
    out = tmp_path / "out"
    with deadline(20):
        result = CliRunner().invoke(
            main, ["build", str(source), "-o", str(out), "--format", "md", *extra]
        )
    return result, out


def assert_refused(result: Result, out: Path, *messages: str) -> None:
    assert result.exit_code == 1, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit), repr(
        result.exception
    )
    assert result.output.startswith("error: "), result.output
    assert "Traceback" not in result.output
    for message in messages:
        assert message in result.output, result.output
    assert not out.exists()


# --- Clauses: read-only data, no includes, bounded ------------------------------------

CLAUSE_CASES = {
    "mutate-party": (
        "{% if parties[1].update({'name': 'X'}) %}{% endif %}",
        ":8: clause avtalssamverkan.tvister: access to attribute 'update' of 'dict' object "
        "is unsafe",
    ),
    "mutate-share": (
        "{{ shares[0].update({'percent': 1}) }}",
        ":8: clause avtalssamverkan.tvister: access to attribute 'update' of 'dict' object",
    ),
    "clear-members": (
        "{{ governance.steering_council.members.clear() }}",
        ":8: clause avtalssamverkan.tvister: access to attribute 'clear' of 'list' object",
    ),
    "append-party": (
        "{{ parties.append(host) }}",
        ":8: clause avtalssamverkan.tvister: access to attribute 'append' of 'list' object",
    ),
    "include": (
        "x\n{% include 'tvister/egen.md' %}",
        ":9: clause avtalssamverkan.tvister: clauses cannot include, import or extend",
    ),
    "import": (
        "{% import 'tvister/egen.md' as x %}",
        ":8: clause avtalssamverkan.tvister: clauses cannot include, import or extend",
    ),
    "from-import": (
        "{% from 'a.md' import m %}",
        ":8: clause avtalssamverkan.tvister: clauses cannot include, import or extend",
    ),
    "extends": (
        "{% extends 'a.md' %}",
        ":8: clause avtalssamverkan.tvister: clauses cannot include, import or extend",
    ),
    "huge-power": (
        "{{ 10**(10**8) }}",
        ":8: clause avtalssamverkan.tvister: 10 ** 100000000 is too large a number",
    ),
    "huge-product": (
        "{{ (10**200) * (10**200) }}",
        ":8: clause avtalssamverkan.tvister: a product is too large a number",
    ),
    "big-range": (
        "{% for i in range(100000) %}{% for j in range(100000) %}{% endfor %}{% endfor %}",
        ":8: clause avtalssamverkan.tvister: range() of 100000 items; the limit is 10000",
    ),
    "nested-loops": (
        "{% for i in range(10000) %}{% for j in range(10000) %}{% endfor %}{% endfor %}",
        ":8: clause avtalssamverkan.tvister: takes more than 100000 loop steps and calls",
    ),
    "lipsum": ("{{ lipsum(n=10**6) }}", ":8: clause avtalssamverkan.tvister: "),
    "repeat-text": (
        "{{ 'a'*10**10 }}",
        ":8: clause avtalssamverkan.tvister: repetition would make more than 100000 items",
    ),
    "repeat-list": (
        "{{ [1] * 10**9 }}",
        ":8: clause avtalssamverkan.tvister: repetition would make more than 100000 items",
    ),
    "long-output": (
        "{% for i in range(10000) %}{% for j in range(10) %}{{ 'x'*1000 }}{% endfor %}{% endfor %}",
        "egen.md: clause avtalssamverkan.tvister: produces more than 500000 characters",
    ),
    "replace-blowup": (
        "{{ ('a'*10000) | replace('', 'b'*10000) }}",
        ":8: clause avtalssamverkan.tvister: replace() would make more than 100000",
    ),
    "padding-filter": ("{{ 'a'|center(10**9) }}", "No filter named 'center'"),
    "padding-method": (
        "{{ 'a'.ljust(10) }}",
        ":8: clause avtalssamverkan.tvister: access to attribute 'ljust' of 'str' object",
    ),
    "format-method": (
        "{{ '{:>999999999}'.format(1) }}",
        ":8: clause avtalssamverkan.tvister: access to attribute 'format' of 'str' object",
    ),
    "percent-format": (
        "{{ '%0999999999d' % 1 }}",
        ":8: clause avtalssamverkan.tvister: '%' text formatting is not allowed",
    ),
    "recursive-macro": (
        "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
        "clause avtalssamverkan.tvister: calls itself too deeply (a recursive macro or loop?)",
    ),
    "exponential-macro": (
        "{% macro f(n) %}{% if n %}{{ f(n-1) }}{{ f(n-1) }}{% endif %}{% endmacro %}{{ f(40) }}",
        ":8: clause avtalssamverkan.tvister: takes more than 100000 loop steps and calls",
    ),
    "nested-brackets": (
        "{{ " + "(" * 5000 + "1" + ")" * 5000 + " }}",
        "egen.md: clause avtalssamverkan.tvister: is nested too deeply to compile",
    ),
    "print-10-to-80": (
        "{{ 10**80 }}",
        ":8: clause avtalssamverkan.tvister: cannot print the number 1e+80: it is too large",
    ),
    "print-function": (
        "{{ namespace }}",
        ":8: clause avtalssamverkan.tvister: printed a type, not a value",
    ),
    "division-by-zero": (
        "{{ 1/0 }}",
        ":8: clause avtalssamverkan.tvister: ZeroDivisionError: division by zero",
    ),
    "reserved-name": (
        "{% set _avtal_steps = 1 %}",
        ":8: clause avtalssamverkan.tvister: reserved name _avtal_steps",
    ),
    "esc-in-body": (
        "Text\x1b[31m röd",
        ":8: contains the control or invisible character U+001B",
    ),
    "nul-in-body": ("Text\x00", "egen.md: is a binary file, not a clause file"),
    "private-use-in-body": (
        "Text \ue000x\ue001",
        ":8: contains the control or invisible character U+E000",
    ),
}


@pytest.mark.parametrize("body,message", CLAUSE_CASES.values(), ids=CLAUSE_CASES.keys())
def test_clause_is_bounded_and_read_only(tmp_path: Path, body: str, message: str) -> None:
    path = clause(tmp_path / "egna", body)
    result, out = build(tmp_path, "--clauses", str(tmp_path / "egna"))
    assert_refused(result, out, f"{path}", message)


@pytest.mark.parametrize(
    "title,message",
    [
        ('"A\\eB"', "title: contains the control or invisible character U+001B"),
        ('"A\\0B"', "title: contains the control or invisible character U+0000"),
    ],
    ids=["esc-in-title", "nul-in-title"],
)
def test_control_character_in_clause_title(tmp_path: Path, title: str, message: str) -> None:
    path = clause(tmp_path / "egna", "Text.", title=title)
    result, out = build(tmp_path, "--clauses", str(tmp_path / "egna"))
    assert_refused(result, out, f"{path}:3: ", message)


def test_data_is_the_same_for_every_clause(tmp_path: Path) -> None:
    """A clause sees read-only data: names and shares print as the parameters say."""
    body = (
        "{% set ns = namespace(n=0) %}{% for s in shares %}{% set ns.n = ns.n + 1 %}"
        "{% endfor %}Parter {{ parties | map(attribute='name') | join(', ') }}: {{ ns.n }}."
    )
    clause(tmp_path / "egna", body)
    result, out = build(tmp_path, "--clauses", str(tmp_path / "egna"))
    assert result.exit_code == 0, result.output
    text = (out / "samverkansavtal.md").read_text(encoding="utf-8")
    assert "Parter Region Sörmland, Region Västmanland: 2." in text.replace("\\", "")
    plain, _ = build(tmp_path / "plain")
    assert plain.exit_code == 0, plain.output
    reference = (tmp_path / "plain" / "out" / "samverkansavtal.md").read_text(encoding="utf-8")
    rows = [line for line in text.splitlines() if line.startswith("| Region")]
    assert rows and rows == [r for r in reference.splitlines() if r.startswith("| Region")]


def test_include_through_symlink_reads_nothing(tmp_path: Path) -> None:
    root = tmp_path / "egna"
    path = clause(root, "{% include 'tvister/passwd.md' %}")
    os.symlink("/etc/passwd", root / "tvister" / "passwd.md")
    result, out = build(tmp_path, "--clauses", str(root))
    assert_refused(result, out, str(root / "tvister" / "passwd.md"), "links outside")
    (root / "tvister" / "passwd.md").unlink()
    os.symlink("/etc/passwd", root / "passwd.md")
    result, out = build(tmp_path, "--clauses", str(root))
    assert_refused(result, out, f"{path}:8:", "clauses cannot include")
    assert "root:" not in result.output


def test_clause_with_crlf_line_ends_is_accepted(tmp_path: Path) -> None:
    root = tmp_path / "egna"
    clause(root, "Första stycket.\n\nAndra stycket.")
    path = root / "tvister" / "egen.md"
    lf = path.read_bytes()
    path.write_bytes(lf.replace(b"\n", b"\r\n"))
    result, out = build(tmp_path, "--clauses", str(root))
    assert result.exit_code == 0, result.output
    text = (out / "samverkansavtal.md").read_text(encoding="utf-8")
    assert "Första stycket." in text and "Andra stycket." in text and "\r" not in text
    crlf_manifest = (out / "manifest.json").read_text(encoding="utf-8")
    path.write_bytes(lf)
    result, out = build(tmp_path, "--clauses", str(root))
    assert result.exit_code == 0, result.output
    # The same text with either line end is the same clause: same hash, same fingerprint.
    assert (out / "manifest.json").read_text(encoding="utf-8") == crlf_manifest


def test_clause_file_that_is_a_fifo(tmp_path: Path) -> None:
    root = tmp_path / "egna"
    clause(root, "Text.")
    os.mkfifo(root / "tvister" / "fifo.md")
    result, out = build(tmp_path, "--clauses", str(root))
    assert_refused(result, out, f"{root / 'tvister' / 'fifo.md'}: is not a regular file")


def test_clause_file_linked_to_dev_zero(tmp_path: Path) -> None:
    root = tmp_path / "egna"
    (root / "tvister").mkdir(parents=True)
    os.symlink("/dev/zero", root / "tvister" / "zero.md")
    result, out = build(tmp_path, "--clauses", str(root))
    assert_refused(result, out, "zero.md: links outside the clause folder")


# --- Document definitions ----------------------------------------------------------------

DEFINITION = (
    "id: samverkansavtal\nforms: [avtalssamverkan]\nfile: samverkansavtal\n"
    "title: {title}\nsections:\n  - clause: avtalssamverkan.tvister\n    when: {when}\n"
)


def definition(folder: Path, when: str = '"true"', title: str = "Avtal", **extra: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / extra.get("name", "samverkansavtal.yaml")
    path.write_text(
        extra.get("text") or DEFINITION.format(title=title, when=when), encoding="utf-8"
    )
    return path


DEFINITION_CASES = {
    "when-cycler": ("cycler", "condition 'cycler': 'cycler' is undefined"),
    "when-function": ("namespace", "condition 'namespace': is not a yes/no value"),
    "when-nested": (
        "'" + "(" * 3000 + "1" + ")" * 3000 + "'",
        "is nested too deeply to compile",
    ),
    "when-mutates": ("parties.pop()", "access to attribute 'pop' of 'list' object is unsafe"),
}


@pytest.mark.parametrize("when,message", DEFINITION_CASES.values(), ids=DEFINITION_CASES.keys())
def test_bad_condition_is_a_clear_error(tmp_path: Path, when: str, message: str) -> None:
    path = definition(tmp_path / "egna", when=when)
    result, out = build(tmp_path, "--clauses", str(tmp_path / "egna"))
    assert_refused(result, out, f"{path}:7: ", message)


def test_title_that_includes_its_definition(tmp_path: Path) -> None:
    path = definition(tmp_path / "egna", title="\"{% include 'samverkansavtal.yaml' %}\"")
    result, out = build(tmp_path, "--clauses", str(tmp_path / "egna"))
    assert_refused(result, out, f"{path}:4: ", "clauses cannot include, import or extend")


def test_esc_in_definition_title(tmp_path: Path) -> None:
    path = definition(tmp_path / "egna", title='"Avtal\\e[2J"')
    result, out = build(tmp_path, "--clauses", str(tmp_path / "egna"))
    assert_refused(result, out, f"{path}:4: title: contains the control or invisible")


def test_two_definitions_writing_one_file(tmp_path: Path) -> None:
    text = DEFINITION.format(title="Kopia", when='"true"').replace(
        "id: samverkansavtal", "id: kopia"
    )
    path = definition(tmp_path / "egna", name="kopia.yaml", text=text)
    result, out = build(tmp_path, "--clauses", str(tmp_path / "egna"))
    assert_refused(
        result,
        out,
        f"{path}:3: file: 'samverkansavtal' is also written by "
        f"{ROOT / 'templates' / 'samverkansavtal.yaml'}",
    )


def test_definition_that_is_a_fifo(tmp_path: Path) -> None:
    (tmp_path / "egna").mkdir()
    os.mkfifo(tmp_path / "egna" / "fifo.yaml")
    result, out = build(tmp_path, "--clauses", str(tmp_path / "egna"))
    assert_refused(result, out, "fifo.yaml: is not a regular file")


# --- Files that are not what they seem ----------------------------------------------------


def test_parameter_file_that_is_a_fifo(tmp_path: Path) -> None:
    fifo = tmp_path / "p.yaml"
    os.mkfifo(fifo)
    with deadline(20):
        result = CliRunner().invoke(main, ["build", str(fifo), "-o", str(tmp_path / "out")])
    assert_refused(result, tmp_path / "out", f"{fifo}: is not a regular file")


def test_parameter_file_linked_to_dev_zero(tmp_path: Path) -> None:
    link = tmp_path / "p.yaml"
    os.symlink("/dev/zero", link)
    with deadline(20):
        result = CliRunner().invoke(main, ["check", str(link)])
    assert result.exit_code == 1
    assert f"{link}: is not a regular file (a pipe, device or socket)" in result.output


def test_sparse_8_gb_parameter_file_is_not_read(tmp_path: Path) -> None:
    sparse = tmp_path / "p.yaml"
    with open(sparse, "wb") as handle:
        handle.truncate(8_000_000_000)
    with deadline(5):
        result = CliRunner().invoke(main, ["check", str(sparse)])
    assert result.exit_code == 1
    assert "parameter file is 8000000000 bytes; the limit is 1000000" in result.output


# --- The compiled-clause cache ----------------------------------------------------------


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    from avtal.clauselib import codecache, jinja_env

    monkeypatch.setenv("AVTAL_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(jinja_env, "_COMPILED", {})
    monkeypatch.setattr(codecache, "_secrets", {})
    return tmp_path / "cache" / "jinja"


def compile_fresh(source: str, name: str) -> str:
    from avtal.clauselib import jinja_env

    jinja_env._COMPILED.clear()
    env = jinja_env.make_environment()
    template = jinja_env.compile_template(env, source, name)
    return jinja_env.render(template, {"namn": "Ada"}, name)


def entry_for(cache: Path, source: str, name: str) -> Path:
    from avtal.clauselib import codecache

    return cache / f"{codecache._source_digest(name, source).hex()}.bin"


def test_cache_flipped_byte_is_a_miss(cache: Path) -> None:
    assert compile_fresh("Hej {{ namn }}!", "a.md") == "Hej \ue000Ada\ue001!"
    entry = entry_for(cache, "Hej {{ namn }}!", "a.md")
    data = bytearray(entry.read_bytes())
    index = bytes(data).find(b"Hej ")
    data[index] = ord("N")  # the compiled text would now say "Nej"
    entry.write_bytes(bytes(data))
    assert compile_fresh("Hej {{ namn }}!", "a.md") == "Hej \ue000Ada\ue001!"
    assert entry.read_bytes() != bytes(data)  # the bad entry was replaced


def test_cache_swapped_entries_are_misses(cache: Path) -> None:
    compile_fresh("Första {{ namn }}", "a.md")
    compile_fresh("Andra {{ namn }}", "b.md")
    first, second = (
        entry_for(cache, "Första {{ namn }}", "a.md"),
        entry_for(cache, "Andra {{ namn }}", "b.md"),
    )
    one, two = first.read_bytes(), second.read_bytes()
    first.write_bytes(two)
    second.write_bytes(one)
    assert compile_fresh("Första {{ namn }}", "a.md") == "Första \ue000Ada\ue001"
    assert compile_fresh("Andra {{ namn }}", "b.md") == "Andra \ue000Ada\ue001"


def test_cache_crafted_entry_does_not_run(cache: Path, tmp_path: Path) -> None:
    from avtal.clauselib import codecache

    compile_fresh("Hej {{ namn }}!", "a.md")
    marker = tmp_path / "ran"
    payload = marshal.dumps(compile(f"open({str(marker)!r}, 'w')", "a.md", "exec"))
    entry = entry_for(cache, "Hej {{ namn }}!", "a.md")
    digest = codecache._source_digest("a.md", "Hej {{ namn }}!")
    import hashlib

    for forged in (payload, hashlib.sha256(digest + payload).digest() + payload):
        entry.write_bytes(forged)
        assert compile_fresh("Hej {{ namn }}!", "a.md") == "Hej \ue000Ada\ue001!"
        assert not marker.exists()


def test_cache_entry_that_is_a_fifo(cache: Path) -> None:
    compile_fresh("Hej {{ namn }}!", "a.md")
    entry = entry_for(cache, "Hej {{ namn }}!", "a.md")
    entry.unlink()
    os.mkfifo(entry)
    with deadline(5):
        assert compile_fresh("Hej {{ namn }}!", "a.md") == "Hej \ue000Ada\ue001!"


def test_cache_in_a_folder_others_can_write_is_not_used(cache: Path) -> None:
    cache.mkdir(parents=True)
    cache.chmod(0o777)
    compile_fresh("Hej {{ namn }}!", "a.md")
    assert not list(cache.iterdir())


# --- Output folders -----------------------------------------------------------------------


def test_empty_output_folder_is_a_usage_error(tmp_path: Path) -> None:
    source = tmp_path / "p.yaml"
    source.write_text(BASE, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(source), "-o", ""])
    assert result.exit_code == 2
    assert "Invalid value for '-o' / '--out': is empty" in result.output
    assert sorted(p.name for p in tmp_path.iterdir()) == ["p.yaml"]


@pytest.mark.parametrize("name", ["manifest.json", "arbetsordning.md", "samverkansavtal.md"])
def test_files_avtal_did_not_write_are_not_replaced(tmp_path: Path, name: str) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / name).write_text("mine", encoding="utf-8")
    source = tmp_path / "p.yaml"
    source.write_text(BASE, encoding="utf-8")
    result = CliRunner().invoke(main, ["build", str(source), "-o", str(out), "--format", "md"])
    assert result.exit_code == 1
    assert "not replaced" in result.output and "--force" in result.output
    assert sorted(p.name for p in out.iterdir()) == [name]
    assert (out / name).read_text(encoding="utf-8") == "mine"
    result = CliRunner().invoke(
        main, ["build", str(source), "-o", str(out), "--format", "md", "--force"]
    )
    assert result.exit_code == 0, result.output
    assert (out / name).read_text(encoding="utf-8") != "mine"


def test_rebuild_replaces_and_removes_only_listed_outputs(tmp_path: Path) -> None:
    out = tmp_path / "out"
    source = tmp_path / "p.yaml"
    source.write_text(BASE, encoding="utf-8")
    runner = CliRunner()
    assert runner.invoke(main, ["build", str(source), "-o", str(out), "--format", "md,docx"])
    (out / "anteckningar.txt").write_text("mine", encoding="utf-8")
    (out / ".avtal-dead1234").mkdir()  # left by a build that was killed
    (out / ".avtal-dead1234" / "samverkansavtal.md").write_text("half", encoding="utf-8")
    result = runner.invoke(main, ["build", str(source), "-o", str(out), "--format", "md"])
    assert result.exit_code == 0, result.output
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert sorted(p.name for p in out.iterdir()) == sorted(
        [*manifest["outputs"], "manifest.json", "anteckningar.txt"]
    )
    assert not any(name.endswith(".docx") for name in manifest["outputs"])


def test_forged_manifest_cannot_make_avtal_delete_files(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    victim = tmp_path / "victim.txt"
    victim.write_text("keep", encoding="utf-8")
    (out / "manifest.json").write_text(
        json.dumps({"tool": {"name": "avtal"}, "outputs": {"../victim.txt": "x"}}),
        encoding="utf-8",
    )
    result, _ = build(tmp_path)
    assert result.exit_code == 1
    assert "exists but is not an avtal build manifest; not replaced" in result.output
    assert victim.read_text(encoding="utf-8") == "keep"


def test_manifest_that_is_a_fifo(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    os.mkfifo(out / "manifest.json")
    result, _ = build(tmp_path)
    assert result.exit_code == 1
    assert "manifest.json: exists but is not an avtal build manifest" in result.output


def test_output_folder_is_locked_while_writing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from avtal import output

    out = tmp_path / "out"
    out.mkdir()
    monkeypatch.setattr(output, "LOCK_WAIT", 0.3)
    with output.folder_lock(out):
        result, _ = build(tmp_path)
    assert result.exit_code == 1
    assert f"{out}: another avtal process is writing into this folder" in result.output
    assert list(out.iterdir()) == []


def test_two_builds_into_one_folder_leave_a_true_manifest(tmp_path: Path) -> None:
    out = tmp_path / "out"
    runs = [
        subprocess.Popen(
            [*AVTAL, "build", str(source), "-o", str(out), "--format", "md"],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
        )
        for source in (EXAMPLE, GN_EXAMPLE)
    ]
    for run in runs:
        run.wait(timeout=60)
        assert run.returncode == 0, run.stderr.read() if run.stderr else ""
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    import hashlib

    files = {p.name for p in out.iterdir()} - {"manifest.json"}
    assert files == set(manifest["outputs"])
    for name, digest in manifest["outputs"].items():
        assert hashlib.sha256((out / name).read_bytes()).hexdigest() == digest


# --- Interrupted multi-file builds ----------------------------------------------------------


def _children(pid: int) -> set[int]:
    try:
        text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    except OSError:
        return set()
    return {int(x) for x in text.split()}


def _running(pid: int) -> bool:
    try:
        status = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return False
    return "\nState:\tZ" not in status


def _start_many(tmp_path: Path) -> tuple[subprocess.Popen[bytes], set[int]]:
    sources = []
    # Enough builds that the workers are still at them when the test interrupts them,
    # however fast a build is: a worker keeps its imports and, in a whole test run, finds
    # the cache warm, so that one build takes a tenth of a second.
    for index in range(200):
        path = tmp_path / f"p{index:03d}.yaml"
        path.write_text(BASE, encoding="utf-8")
        sources.append(str(path))
    process = subprocess.Popen(
        [*AVTAL, "build", *sources, "-o", str(tmp_path / "out")],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        start_new_session=True,
        preexec_fn=foreground,
    )
    workers: set[int] = set()
    limit = time.monotonic() + 30
    while time.monotonic() < limit:
        # The resource tracker is a child too; the workers are the python processes
        # that run the spawn entry point.
        workers = {
            pid
            for pid in _children(process.pid)
            if b"spawn_main" in Path(f"/proc/{pid}/cmdline").read_bytes()
        }
        if len(workers) >= 2:
            break
        time.sleep(0.05)
    assert len(workers) >= 2, "the workers did not start"
    # Interrupt once the workers build: the first build's folder is there.
    while time.monotonic() < limit and not any((tmp_path / "out").glob("p*")):
        time.sleep(0.02)
    return process, workers


def _gone(pids: set[int], seconds: float) -> bool:
    limit = time.monotonic() + seconds
    while time.monotonic() < limit:
        if not any(_running(pid) for pid in pids):
            return True
        time.sleep(0.05)
    return False


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_killed_multi_file_build_leaves_no_workers(tmp_path: Path) -> None:
    process, workers = _start_many(tmp_path)
    process.kill()
    process.wait(timeout=10)
    try:
        assert _gone(workers, 20), "orphaned workers still run"
    finally:
        for pid in workers:
            if _running(pid):
                os.kill(pid, signal.SIGKILL)


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs Linux /proc")
def test_ctrl_c_in_multi_file_build_prints_no_worker_traceback(tmp_path: Path) -> None:
    process, workers = _start_many(tmp_path)
    os.killpg(process.pid, signal.SIGINT)  # as a terminal does: the whole group
    _, stderr = process.communicate(timeout=20)
    text = stderr.decode()
    assert process.returncode == 1, text
    assert text.strip().endswith("Aborted!"), text
    assert "Traceback" not in text and "KeyboardInterrupt" not in text
    assert _gone(workers, 20)
    out = tmp_path / "out"
    assert not [p for p in out.rglob(".avtal-*")] if out.exists() else True


# --- Clear errors ----------------------------------------------------------------------------


def test_check_json_on_invalid_parameters(tmp_path: Path) -> None:
    source = tmp_path / "p.yaml"
    source.write_text(BASE.replace("payment_days: 30", "payment_days: 030"), encoding="utf-8")
    result = CliRunner().invoke(main, ["check", str(source), "--format", "json"])
    assert result.exit_code == 1
    data = json.loads(result.stdout)
    assert data["ok"] is False and data["file"] == str(source)
    [problem] = data["problems"]
    assert problem["file"] == str(source) and problem["path"] == "costs.payment_days"
    assert problem["line"] == BASE.split("payment_days: 30")[0].count("\n") + 1
    assert "'030' is not a plain decimal integer" in problem["message"]
    assert result.stderr.startswith("error: ")


def test_avtal_error_root_for_unreadable_files(tmp_path: Path) -> None:
    from avtal.load.yamlio import read_bytes

    os.mkfifo(tmp_path / "fifo")
    with deadline(5), pytest.raises(AvtalError, match="is not a regular file"):
        read_bytes(tmp_path / "fifo")


def test_every_character_allowed_in_text_renders_in_the_pdf(write_params: Any) -> None:
    """The characters the model lets through are ones the PDF fonts can show."""
    import unicodedata

    from avtal.build import render_documents
    from avtal.load.model.base import _SHOWN
    from avtal.project import load_project

    sample = []
    for start, end in _SHOWN:
        for code in range(start, end + 1):
            char = chr(code)
            if unicodedata.category(char)[0] in "LNPS":
                sample.append(char)
                break
    text = " ".join(sample)
    source = write_params(lambda data: data["activity"].update(description=text))
    project = load_project(source)
    assert project.params.activity.description == unicodedata.normalize("NFC", text)
    files = render_documents(project.documents, ["pdf"])
    assert files["samverkansavtal.pdf"].startswith(b"%PDF")


def test_checked_clause_cache_crafted_pickle_does_not_run(cache: Path, tmp_path: Path) -> None:
    """The cache of checked clauses unpickles only entries signed with the user's secret."""
    import hashlib
    import pickle

    from avtal.clauselib import diskcache

    marker = tmp_path / "ran"

    class Boom:
        def __reduce__(self) -> tuple[object, tuple[str, str]]:
            return (open, (str(marker), "w"))

    diskcache.store("probe", ["fine"])
    assert diskcache.load("probe") == ["fine"]
    entry = cache.parent / "checked" / "probe.pickle"
    payload = pickle.dumps(Boom())
    for forged in (payload, hashlib.sha256(payload).digest() + payload):
        entry.write_bytes(forged)
        assert diskcache.load("probe") is None
        assert not marker.exists()
    entry.unlink()
    os.mkfifo(entry)
    with deadline(5):
        assert diskcache.load("probe") is None
