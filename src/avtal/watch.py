"""Rebuild a cooperation's documents whenever its inputs change: the edit-build loop.

A :class:`Session` keeps one warm process: the clause files read (per file, while
unchanged), the compiled clause code, the typst compiler and the last good outputs in
memory. After a change it loads and checks the parameter file again, then renders only
the documents whose assembled content changed (a clause edit re-renders the documents
that use the clause; an edit of the Word or typst template re-renders that format) and
writes only the files whose bytes changed, plus the manifest. An invalid edit prints its
error and writes nothing, so the folder keeps the last good outputs.

Changes are noticed with watchfiles (the operating system's file events: inotify,
FSEvents, ReadDirectoryChangesW) rather than by polling mtimes: it costs nothing while the
lawyer reads, notices a save within milliseconds, and copes with editors that save by
writing a new file and renaming it over the old one.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Collection, Iterable, Sequence
from concurrent.futures import Future
from dataclasses import dataclass, field
from pathlib import Path

from avtal.build import FORMATS, MANIFEST, render_documents, start_pdfs
from avtal.check import Finding, Report, lint
from avtal.document import Document
from avtal.errors import AvtalError
from avtal.output import write_files
from avtal.paths import clauses_dir, templates_dir
from avtal.project import load_project
from avtal.review.provenance import manifest, manifest_bytes

#: How often (ms) watchfiles looks at the changes the operating system reported. A
#: rebuild starts once a look finds no file changed since the one before: 10 to 20 ms
#: after a save, by which time an editor that writes a new file and renames it over the
#: old one has done both. An editor that writes a file in pieces further apart gets
#: another rebuild when its last piece lands.
SETTLE_MS = 10


@dataclass
class Round:
    """What one (re)build did."""

    changed: list[Path]
    written: list[Path] = field(default_factory=list)
    new_findings: list[Finding] = field(default_factory=list)
    resolved: int = 0
    error: str | None = None
    seconds: float = 0.0

    def lines(self) -> list[str]:
        """The round as the lines ``avtal watch`` prints."""
        out = [f"changed: {', '.join(p.name for p in self.changed)}"] if self.changed else []
        out += [str(f) for f in self.new_findings]
        if self.resolved:
            out.append(f"{self.resolved} finding{'s' if self.resolved != 1 else ''} resolved")
        ms = f"{self.seconds * 1000:.0f} ms"
        if self.error is not None:
            out.append(f"error: {self.error}")
            out.append("nothing written: the outputs are those of the last good build")
        elif self.written:
            out.append(f"wrote {', '.join(p.name for p in self.written)} ({ms})")
        else:
            out.append(f"the documents are unchanged ({ms})")
        return out


class Session:
    """A warm build of one parameter file into one folder, rebuilt on demand."""

    def __init__(
        self,
        params_path: Path,
        out_dir: Path,
        formats: Sequence[str] = FORMATS,
        clause_dirs: Sequence[Path] = (),
        docx_template: Path | None = None,
        strict: bool = False,
    ) -> None:
        self.params_path = params_path
        self.out_dir = out_dir
        self.formats = tuple(f for f in FORMATS if f in formats)
        self.clause_dirs = tuple(clause_dirs)
        self.docx_template = docx_template
        self.strict = strict
        self._docs: dict[str, Document] = {}
        self._files: dict[str, bytes] = {}
        self._findings: tuple[Finding, ...] = ()

    def template_formats(self, changed: Iterable[Path]) -> set[str]:
        """The formats whose template is among ``changed`` (their every file must render)."""
        formats: set[str] = set()
        for path in changed:
            if path.suffix == ".typ":
                formats.add("pdf")
            elif path.suffix == ".docx":
                formats.add("docx")
        return formats & set(self.formats)

    def build(self, changed: Collection[Path] = ()) -> Round:
        """Load, check and render what changed; write it, or nothing when anything fails."""
        start = time.perf_counter()
        result = Round(sorted(changed))
        pdfs: dict[str, Future[bytes]] = {}
        try:
            project = load_project(self.params_path, self.clause_dirs)
            dirty = self.template_formats(changed)
            # The PDFs compile on their thread while the lint runs (see build.build).
            pdfs = start_pdfs(self._pdf_documents(project.documents, dirty))
            report = lint(project)
            self._note_findings(report, result)
            if report.failed(self.strict):
                count = len(report.errors) + (len(report.warnings) if self.strict else 0)
                raise AvtalError(
                    f"{self.params_path}: {count} finding{'s' if count != 1 else ''} stop the build"
                )
            files = self._render(project.documents, dirty, pdfs)
            files[MANIFEST] = manifest_bytes(
                manifest(self.params_path, project.params, project.documents, files)
            )
            # Only files whose bytes changed are written: a viewer showing an unchanged
            # document does not reload it.
            fresh = {n: b for n, b in files.items() if self._files.get(n) != b}
            if fresh:
                result.written = write_files(self.out_dir, fresh)
        except AvtalError as exc:
            for future in pdfs.values():
                future.cancel()
            result.error = exc.format_message()
        else:
            self._files = files
            self._docs = {d.file: d for d in project.documents}
        result.seconds = time.perf_counter() - start
        return result

    def _note_findings(self, report: Report, result: Round) -> None:
        before = set(self._findings)
        now = set(report.findings)
        result.new_findings = [f for f in report.findings if f not in before]
        result.resolved = len(before - now)
        self._findings = report.findings

    def _pdf_documents(self, documents: list[Document], dirty_formats: set[str]) -> list[Document]:
        """The documents whose PDF must be compiled again."""
        if "pdf" not in self.formats:
            return []
        return [d for d in documents if "pdf" in dirty_formats or self._docs.get(d.file) != d]

    def _render(
        self,
        documents: list[Document],
        dirty_formats: set[str],
        pdfs: dict[str, Future[bytes]],
    ) -> dict[str, bytes]:
        """Every output of ``documents``: from the last build where still valid, else new."""
        changed_docs = [d for d in documents if self._docs.get(d.file) != d]
        same_docs = [d for d in documents if self._docs.get(d.file) == d]
        files: dict[str, bytes] = {}
        template = self.docx_template
        if changed_docs:
            files.update(render_documents(changed_docs, self.formats, template, pdfs=pdfs))
        if same_docs and dirty_formats:
            formats = [f for f in self.formats if f in dirty_formats]
            files.update(render_documents(same_docs, formats, template, pdfs=pdfs))
        for doc in same_docs:
            for fmt in self.formats:
                files.setdefault(f"{doc.file}.{fmt}", self._files[f"{doc.file}.{fmt}"])
        return files


def watched_folders(
    params_path: Path, clause_dirs: Sequence[Path] = (), docx_template: Path | None = None
) -> set[Path]:
    """The folders whose files a build reads, each watched without its sub-folders.

    Not recursive: the parameter file's folder may be a whole project (with the output
    folder, a virtual environment…) of which only one file matters. Clause folders are
    ``<root>/<area>/*.md``, so each root and each of its area folders is watched.
    """
    folders = {params_path.resolve().parent, templates_dir().resolve()}
    for root in (clauses_dir(), *clause_dirs):
        root = root.resolve()
        folders.add(root)
        folders.update(p for p in root.iterdir() if p.is_dir() and not p.name.startswith("."))
    if docx_template is not None:
        folders.add(docx_template.resolve().parent)
    return folders


def relevant(
    path: Path,
    params_path: Path,
    clause_dirs: Sequence[Path] = (),
    docx_template: Path | None = None,
) -> bool:
    """Whether a changed file is one a build reads (the outputs and editor files are not)."""
    path = path.resolve()
    if path == params_path.resolve():
        return True
    if docx_template is not None and path == docx_template.resolve():
        return True
    if path.parent == templates_dir().resolve():
        return path.suffix in (".yaml", ".typ", ".docx")
    for root in (clauses_dir(), *clause_dirs):
        root = root.resolve()
        if path.parent.parent == root and path.suffix == ".md":
            return True
        if path.parent == root and path.suffix == ".yaml":
            return True  # an own clause folder may hold document definitions
    return False


def watch(
    session: Session,
    echo: Callable[[str], None] = print,
    stop: threading.Event | None = None,
    on_round: Callable[[Round], None] | None = None,
) -> None:
    """Build once, then rebuild after every relevant change until ``stop`` is set.

    ``echo`` receives each printed line; ``on_round`` each :class:`Round`, after its
    lines are printed. The folders are watched before the first build starts, so an edit
    made while it runs is not missed.
    """
    import logging

    # Ctrl-C ends the loop quietly, without watchfiles' own log line about it.
    logging.getLogger("watchfiles.main").setLevel(logging.ERROR)

    def report(result: Round) -> None:
        for line in result.lines():
            echo(line)
        if on_round is not None:
            on_round(result)

    echo(f"watching {session.params_path}, its clauses and templates; writing to {session.out_dir}")
    # Ctrl-C during a rebuild ends quietly too: its files are written whole or not at all.
    with contextlib.suppress(KeyboardInterrupt):
        _loop(session, report, stop)


def _loop(session: Session, report: Callable[[Round], None], stop: threading.Event | None) -> None:
    import watchfiles

    params, clause_dirs = session.params_path, session.clause_dirs
    template = session.docx_template
    first = True
    while stop is None or not stop.is_set():
        folders = watched_folders(params, clause_dirs, template)
        roots = {r.resolve() for r in (clauses_dir(), *clause_dirs)}
        for changes in watchfiles.watch(
            *sorted(folders),
            watch_filter=None,
            recursive=False,
            step=SETTLE_MS,
            stop_event=stop,
            raise_interrupt=False,
            rust_timeout=100,
            yield_on_timeout=True,  # a first, empty batch says the watcher is running
        ):
            if first:
                first = False
                report(session.build())
            paths = {Path(p) for _, p in changes}
            new_area = any(p.parent in roots and p.is_dir() for p in paths)
            files = sorted(
                p for p in paths if new_area or relevant(p, params, clause_dirs, template)
            )
            if files:
                report(session.build(files))
            if new_area:
                break  # a new clause area folder: watch it too from now on
        else:
            return  # stopped (or interrupted)
