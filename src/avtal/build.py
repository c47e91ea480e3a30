"""The library entry points: load a cooperation, assemble its documents, render them."""

from __future__ import annotations

import os
import queue
import signal
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from concurrent.futures import Future
from contextlib import contextmanager
from dataclasses import dataclass, replace
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from avtal.check import Report, lint
from avtal.document import Document
from avtal.errors import AvtalError, InputError, LintError
from avtal.output import write_files
from avtal.project import Project, load_project
from avtal.review.provenance import (
    check_lock,
    lock_data,
    lock_path,
    manifest,
    manifest_bytes,
)

if TYPE_CHECKING:
    from concurrent.futures import ProcessPoolExecutor

FORMATS = ("docx", "pdf", "md")
MANIFEST = "manifest.json"


class _PdfThread:
    """One daemon thread that compiles PDFs while the calling thread renders the DOCX files.

    A daemon thread rather than a ``ThreadPoolExecutor``: an executor's threads are joined
    when the interpreter exits, and a SIGTERM that lands while the executor starts its
    thread leaves a worker nobody wakes, so the process never ends. A daemon thread never
    holds the exit up; a build interrupted meanwhile writes nothing anyway.
    """

    def __init__(self) -> None:
        self._queue: queue.SimpleQueue[tuple[Future[bytes], Callable[[], bytes]]] = (
            queue.SimpleQueue()
        )
        self._lock = threading.Lock()
        self._thread: threading.Thread | None = None

    def submit(self, job: Callable[[], bytes]) -> Future[bytes]:
        """Queue ``job``; its result (or exception) comes back through the future."""
        future: Future[bytes] = Future()
        with self._lock:
            if self._thread is None:
                self._thread = threading.Thread(target=self._run, name="avtal-pdf", daemon=True)
                self._thread.start()
        self._queue.put((future, job))
        return future

    def _run(self) -> None:
        while True:
            future, job = self._queue.get()
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(job())
            except BaseException as exc:  # handed to the caller through the future
                future.set_exception(exc)


_PDF_THREAD = _PdfThread()


def _check_formats(formats: Sequence[str]) -> None:
    unknown = [f for f in formats if f not in FORMATS]
    if unknown:
        raise InputError(
            f"unknown format(s) {', '.join(unknown)}; choose from {', '.join(FORMATS)}"
        )


def start_pdfs(documents: Sequence[Document]) -> dict[str, Future[bytes]]:
    """Start compiling the PDFs of ``documents`` on the PDF thread: file name -> future.

    typst releases the GIL while it compiles: the PDFs take the second core while the
    calling thread checks the documents and renders the DOCX files. One thread: a typst
    compiler is not shared.
    """
    from avtal.render.pdf import render_pdf

    return {doc.file: _PDF_THREAD.submit(partial(render_pdf, doc)) for doc in documents}


def _cancel(pdfs: dict[str, Future[bytes]]) -> None:
    """Drop PDFs not yet started (one being compiled runs to its end, unused)."""
    for future in pdfs.values():
        future.cancel()


def render_documents(
    documents: Sequence[Document],
    formats: Sequence[str] = FORMATS,
    docx_template: Path | None = None,
    show_fingerprint: bool = False,
    pdfs: dict[str, Future[bytes]] | None = None,
) -> dict[str, bytes]:
    """Render every document in every format, in memory: file name -> bytes.

    The fingerprint is printed on drafts; on a final version only with ``show_fingerprint``.
    ``pdfs`` are PDFs of these documents already started (:func:`start_pdfs`).
    """
    _check_formats(formats)
    files: dict[str, bytes] = {}
    if show_fingerprint:
        documents = [replace(doc, show_fingerprint=True) for doc in documents]
    if pdfs is None:
        pdfs = start_pdfs(documents) if "pdf" in formats else {}
    try:
        for doc in documents:
            if "docx" in formats:
                from avtal.render.docx import render_docx

                files[f"{doc.file}.docx"] = render_docx(doc, docx_template)
            if doc.file in pdfs:
                files[f"{doc.file}.pdf"] = pdfs[doc.file].result()
            if "md" in formats:
                from avtal.render.markdown import render_markdown

                files[f"{doc.file}.md"] = render_markdown(doc)
    except BaseException:
        _cancel(pdfs)
        raise
    return files


@dataclass
class BuildResult:
    """What a build wrote and what the lint found (warnings only, or it would have failed)."""

    paths: list[Path]
    report: Report


def check_project(project: Project, strict: bool = False) -> Report:
    """Lint a project; raise :class:`LintError` listing the findings if it fails."""
    report = lint(project)
    if report.failed(strict):
        count = len(report.errors) + (len(report.warnings) if strict else 0)
        counted = "1 lint finding stops" if count == 1 else f"{count} lint findings stop"
        raise LintError(
            f"{project.params_path}: {counted} the build:\n"
            + "\n".join(f"  {f}" for f in report.findings)
        )
    return report


def build(
    params_path: Path,
    out_dir: Path,
    formats: Sequence[str] = FORMATS,
    clause_dirs: Sequence[Path] = (),
    docx_template: Path | None = None,
    strict: bool = False,
    frozen: bool = False,
    show_fingerprint: bool = False,
    annotate: bool = False,
    force: bool = False,
) -> BuildResult:
    """Build all documents of a parameter file into ``out_dir``; nothing is written on error.

    The lint runs first: errors (and warnings, when ``strict``) stop the build. With
    ``frozen`` the clauses must match the lock beside the parameter file. A
    ``manifest.json`` beside the outputs records inputs, clauses, fingerprints and hashes.
    With ``annotate`` each DOCX also comes as ``<name>-granskning.docx`` with a Word
    comment on each clause (legal basis, id and version, uncertain points).
    A file already in ``out_dir`` is replaced only if the previous manifest lists
    it (or with ``force``).
    """
    project = load_project(params_path, clause_dirs)
    documents = project.documents
    if show_fingerprint:
        documents = [replace(doc, show_fingerprint=True) for doc in documents]
    # The PDFs start compiling at once, while the lint runs: should it (or the lock)
    # stop the build, nothing is written anyway.
    pdfs = start_pdfs(documents) if "pdf" in formats and not set(formats) - set(FORMATS) else {}
    try:
        if frozen:
            check_lock(params_path, project.documents)
        report = check_project(project, strict)
    except BaseException:
        _cancel(pdfs)
        raise
    files = render_documents(documents, formats, docx_template, pdfs=pdfs)
    if annotate and "docx" in formats:
        from avtal.review.annotate import annotate_docx, library_notes

        notes = library_notes(project.clause_library)
        for doc in project.documents:
            data = files[f"{doc.file}.docx"]
            files[f"{doc.file}-granskning.docx"] = annotate_docx(data, doc, notes)
    files[MANIFEST] = manifest_bytes(
        manifest(params_path, project.params, project.documents, files)
    )
    return BuildResult(write_files(out_dir, files, MANIFEST, force), report)


def write_lock(params_path: Path, clause_dirs: Sequence[Path] = ()) -> Path:
    """Write the clause lock beside the parameter file and return its path."""
    project = load_project(params_path, clause_dirs)
    target = lock_path(params_path)
    write_files(target.parent, {target.name: manifest_bytes(lock_data(project.documents))})
    return target


def _build_one(
    args: tuple[Path, Path, tuple[str, ...], tuple[Path, ...], Path | None, bool, bool, bool],
) -> BuildResult:
    params_path, out_dir, formats, clause_dirs, docx_template, strict, show, force = args
    return build(
        params_path,
        out_dir,
        formats,
        clause_dirs,
        docx_template,
        strict,
        show_fingerprint=show,
        force=force,
    )


def _worker_stopped(signum: int, frame: object) -> None:
    raise SystemExit(128 + signum)


def _worker_start(parent: int) -> None:
    """Set up a build worker: Ctrl-C is the parent's, and the worker dies with it.

    Ctrl-C reaches every process of the terminal's group; the parent alone reports it
    (workers print no traceback). A watchdog thread ends the worker as soon as its
    parent is gone, even when the parent was killed and could not stop it.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    # The parent stops its workers with SIGTERM: a build being written then removes its
    # staging folder on the way out, as a build interrupted in the parent does.
    signal.signal(signal.SIGTERM, _worker_stopped)
    # Started with Ctrl-C blocked (see _sigint_held): a press that came meanwhile is
    # discarded now that it is ignored.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(0.2)
        os._exit(1)

    threading.Thread(target=watch, name="avtal-parent-watch", daemon=True).start()


@contextmanager
def _sigint_held() -> Iterator[None]:
    """Block Ctrl-C while workers start.

    The workers inherit the blocked signal and ignore it before they unblock it, so a
    press never reaches one while it is still starting up (it would print a traceback).
    The parent gets a press made meanwhile as soon as the workers are started: blocking,
    unlike ignoring, keeps it pending instead of losing it.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    signal.pthread_sigmask(signal.SIG_BLOCK, {signal.SIGINT})
    try:
        yield
    finally:
        signal.pthread_sigmask(signal.SIG_UNBLOCK, {signal.SIGINT})


def build_many(
    params_paths: Sequence[Path],
    out_dir: Path,
    formats: Sequence[str] = FORMATS,
    clause_dirs: Sequence[Path] = (),
    docx_template: Path | None = None,
    strict: bool = False,
    workers: int | None = None,
    show_fingerprint: bool = False,
    force: bool = False,
) -> list[tuple[Path, BuildResult | AvtalError]]:
    """Build several parameter files in parallel, each into ``out_dir/<file stem>``.

    Each build is independent and atomic; one that fails does not stop the others. The
    results come back in the order of ``params_paths``. An interrupted call (Ctrl-C,
    SIGTERM) stops its workers before it returns.
    """
    from concurrent.futures import ProcessPoolExecutor

    stems = [p.stem for p in params_paths]
    clashes = sorted({s for s in stems if stems.count(s) > 1})
    if clashes:
        raise InputError(
            f"several parameter files share the name {', '.join(clashes)}; "
            "their outputs would collide"
        )
    jobs = [
        (
            path,
            out_dir / path.stem,
            tuple(formats),
            tuple(clause_dirs),
            docx_template,
            strict,
            show_fingerprint,
            force,
        )
        for path in params_paths
    ]
    count = workers or min(len(jobs), os.cpu_count() or 1)
    results: list[tuple[Path, BuildResult | AvtalError]] = []
    if count <= 1:
        for job in jobs:
            try:
                results.append((job[0], _build_one(job)))
            except AvtalError as exc:
                results.append((job[0], exc))
        return results
    # "spawn", not "fork": a forked child inherits locks held by the parent's threads
    # (typst renders with a thread pool) and can hang.
    import multiprocessing

    context = multiprocessing.get_context("spawn")
    pool = ProcessPoolExecutor(
        max_workers=count,
        mp_context=context,
        initializer=_worker_start,
        initargs=(os.getpid(),),
    )
    try:
        with _sigint_held():
            futures = [pool.submit(_build_one, job) for job in jobs]
        for job, future in zip(jobs, futures, strict=True):
            try:
                results.append((job[0], future.result()))
            except AvtalError as exc:
                results.append((job[0], exc))
    except BaseException:
        _stop(pool)
        raise
    pool.shutdown()
    return results


def _stop(pool: ProcessPoolExecutor) -> None:
    """Stop a pool's workers now: queued builds are dropped, running ones end."""
    processes = list((getattr(pool, "_processes", None) or {}).values())
    pool.shutdown(wait=False, cancel_futures=True)
    for process in processes:
        if process.is_alive():
            process.terminate()
    for process in processes:
        process.join(timeout=5)
