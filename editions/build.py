"""Building editions: each publication parsed once, its editions rendered side by side.

A cold build lasts as long as its longest edition, the PDF, plus what must come before it:
Python's start and WeasyPrint's import (a third of a second). So the build forks its workers
first and hands them the parse (pandoc) of each publication, and the first PDF's markup; the
main process imports WeasyPrint meanwhile, then lays out that PDF itself. A thread hands every
other edition to the workers as soon as its publication is parsed, the longest first. How
many run at once is the cores, or what make's -j allows (see jobserver.py).

A publication's editions are replaced together or not at all: each is staged in a temporary
file beside its target (see output.py), and once all of them are made they are renamed into
place; if one fails, or the build is interrupted, none is, and the temporary files are removed.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import signal
import threading
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures import wait as wait_for
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import product
from pathlib import Path
from types import FrameType
from typing import TYPE_CHECKING, cast

from editions.errors import EditionsError
from editions.formats import BY_NAME, FORMATS, NAMES
from editions.interrupt import acknowledge, held, stop
from editions.jobserver import available_cores, job_slots
from editions.model.languages import translation_tags
from editions.model.publication import Publication, find_publications, load_publication
from editions.model.translations import drift, linked, load_languages
from editions.output import Staged, commit, discard, discard_pending, prepare_folder, staging

if TYPE_CHECKING:
    from editions.formats.base import LaidOutApart

# The order editions start in: the longest first, so that the shorter ones fill the cores.
LONGEST_FIRST = tuple(f.name for f in sorted(FORMATS, key=lambda f: f.start))
# The edition a build lays out in its main process: the longest of those laid out apart.
PRINT = next(name for name in LONGEST_FIRST if BY_NAME[name].laid_out_apart)


@dataclass(frozen=True)
class Edition:
    """One written file, for the progress line and the release manifest."""

    slug: str
    format: str
    path: Path
    size: int
    seconds: float
    translation: str = ""  # the language tag of a translation's edition; '' for the master's


Report = Callable[[Edition], None]
# A warning line that does not stop the build: a translation drifted from its master.
Warn = Callable[[str], None]
# An edition made and its files staged, not yet in place.
Made = tuple[Edition, list[Staged]]


def select_formats(names: Iterable[str] | None) -> list[str]:
    chosen = list(names) if names else list(NAMES)
    for name in chosen:
        if name not in BY_NAME:
            raise EditionsError(f"unknown format '{name}'; choose from {', '.join(NAMES)}")
    return chosen


def select_publications(source: Path, slugs: Iterable[str] | None) -> list[str]:
    available = find_publications(source)
    chosen = list(slugs) if slugs else available
    for slug in chosen:
        if slug not in available:
            raise EditionsError(
                f"unknown publication '{slug}'; "
                f"publications in {source}: {', '.join(available) or 'none'}"
            )
    if not chosen:
        raise EditionsError(f"no publications found (folders holding a master.md) in {source}")
    return chosen


def render_edition(publication: Publication, format_name: str, out_root: Path) -> Edition:
    """Write one edition into place (the preview and the tests; a build stages them)."""
    edition, staged = stage_edition(publication, format_name, out_root)
    commit(staged)
    return edition


def stage_edition(publication: Publication, format_name: str, out_root: Path) -> Made:
    started = time.perf_counter()
    with staging() as staged:
        # The renderer is imported on first use: the PDF's brings in WeasyPrint.
        path = BY_NAME[format_name].load().render(publication, out_root / publication.slug)
    return _edition(publication, format_name, path, started, staged), staged


def lay_out_print(publication: Publication, markup: str, out_root: Path) -> Made:
    """The PDF edition, from its markup made beforehand (see LaidOutApart.markup), staged."""
    started = time.perf_counter()
    with staging() as staged:
        path = _print_renderer().lay_out(publication, markup, out_root / publication.slug)
    return _edition(publication, PRINT, path, started, staged), staged


def _edition(
    publication: Publication, format_name: str, path: Path, started: float, staged: list[Staged]
) -> Edition:
    seconds = time.perf_counter() - started
    written = next((file.temporary for file in staged if file.target == path), path)
    size = written.stat().st_size
    return Edition(publication.slug, format_name, path, size, seconds, publication.translation)


def longest_first(format_names: Iterable[str]) -> list[str]:
    return sorted(format_names, key=LONGEST_FIRST.index)


def build(
    source: Path,
    out_root: Path,
    slugs: Iterable[str] | None = None,
    formats: Iterable[str] | None = None,
    jobs: int | None = None,
    report: Report = lambda edition: None,
    status: str | None = None,
    warn: Warn = lambda line: None,
) -> list[Edition]:
    """Build the chosen editions, in every language of each publication; raise the first
    error after all running work has ended. status, if given, overrides each master's
    ('draft' or 'final', --status); warn is told of each translation's drift."""
    format_names = select_formats(formats)
    chosen = select_publications(source, slugs)
    wanted = min(jobs or available_cores(), len(chosen) * len(format_names))
    with job_slots(wanted) as slots:
        if slots <= 1:
            editions = _build_in_turn(source, out_root, chosen, format_names, report, status, warn)
        else:
            editions = _build_side_by_side(
                source, out_root, chosen, format_names, slots, report, status, warn
            )
    return sorted(
        editions,
        key=lambda e: (
            chosen.index(e.slug),
            e.translation != "",
            e.translation,
            format_names.index(e.format),
        ),
    )


def _build_in_turn(
    source: Path,
    out_root: Path,
    slugs: list[str],
    format_names: list[str],
    report: Report,
    status: str | None,
    warn: Warn,
) -> list[Edition]:
    editions = []
    for slug in slugs:
        publications = load_languages(source / slug, status=status)
        for finding in drift(publications):
            warn(str(finding))
        prepare_folder(out_root / slug)
        staged: list[Staged] = []
        try:
            for publication, format_name in product(publications, format_names):
                edition, files = stage_edition(publication, format_name, out_root)
                staged += files
                editions.append(edition)
                report(edition)
            commit(staged)
        finally:
            discard(staged)  # what was not renamed into place
    return editions


def _build_side_by_side(
    source: Path,
    out_root: Path,
    slugs: list[str],
    format_names: list[str],
    slots: int,
    report: Report,
    status: str | None,
    warn: Warn,
) -> list[Edition]:
    """This process lays out the first publication's PDF, the longest edition, and imports
    WeasyPrint meanwhile; the workers parse the publications (pandoc), make that PDF's markup,
    and render every other edition. This process keeps only the import, the layout and the
    handing out, so that little else competes with them for its interpreter."""
    here = PRINT in format_names
    # Forked first, before any thread runs: a fork copies only the forking thread. With one
    # publication (every build make runs) this process takes one of the slots; with several,
    # it lays out the first PDF beside a full pool, one process over the slots for that time.
    workers = ProcessPoolExecutor(
        slots - 1 if here and len(slugs) == 1 else slots,
        mp_context=multiprocessing.get_context("fork"),
        initializer=_worker_signals,
    )
    tasks = _Tasks(report)
    with workers, ThreadPoolExecutor(1) as hand_out:
        try:
            # Each publication is parsed once per language: the master ('') and each translation.
            languages = {slug: ["", *translation_tags(source / slug)] for slug in slugs}
            # The first submit forks the workers: a signal waits until the forks are done, so
            # that it never lands in an at-fork hook (logging's, holding its lock).
            with held():
                loads = [
                    (
                        slug,
                        [
                            workers.submit(
                                _load_in_worker, source / slug, here and not index, status, tag
                            )
                            for tag in languages[slug]
                        ],
                    )
                    for index, slug in enumerate(slugs)
                ]
            handing = hand_out.submit(
                _hand_out, workers, loads, out_root, format_names, tasks, warn
            )
            if here:
                import weasyprint  # noqa: F401  (a third of a second, while pandoc parses)

                if (first := tasks.first.result()) is not None:
                    tasks.lay_out_here(*first, out_root)
            tasks.keep(handing.exception())
            tasks.wait()
        except KeyboardInterrupt:
            acknowledge()
            stop_workers(workers)
            tasks.discard()
            raise
    return tasks.settle()


class _Tasks:
    """The editions of a build, wherever they are rendered; reported as each is made."""

    def __init__(self, report: Report) -> None:
        # The first publication and its PDF's markup, laid out here; None if it did not load.
        self.first: Future[tuple[Publication, str] | None] = Future()
        self._report = report
        self._futures: list[tuple[str, Future[Made]]] = []  # with the slug of each
        self._lock = threading.Lock()
        self._error: BaseException | None = None

    def add(self, slug: str, future: Future[Made]) -> None:
        with self._lock:
            self._futures.append((slug, future))
        future.add_done_callback(self._done)

    def fail(self, slug: str, error: BaseException) -> None:
        """A language of the publication did not load: none of its editions is put in place."""
        future: Future[Made] = Future()
        self.add(slug, future)
        future.set_exception(error)

    def lay_out_here(self, publication: Publication, markup: str, out_root: Path) -> None:
        future: Future[Made] = Future()
        self.add(publication.slug, future)
        try:
            future.set_result(lay_out_print(publication, markup, out_root))
        except Exception as error:
            future.set_exception(error)

    def keep(self, error: BaseException | None) -> None:
        with self._lock:
            self._error = self._error or error

    def wait(self) -> None:
        with self._lock:
            futures = [future for _, future in self._futures]
        wait_for(futures)

    def settle(self) -> list[Edition]:
        """Once all have ended: rename into place the editions of each publication whose
        editions were all made, remove the others; every edition, or the first error."""
        by_slug: dict[str, list[Future[Made]]] = {}
        for slug, future in self._futures:
            by_slug.setdefault(slug, []).append(future)
        for futures in by_slug.values():
            staged = [file for future in futures if _made(future) for file in _made(future)[1]]
            if all(_made(future) for future in futures):
                try:
                    commit(staged)
                except EditionsError as error:
                    self.keep(error)
            discard(staged)  # what was not renamed into place
        if self._error is not None:
            raise self._error
        return [future.result()[0] for _, future in self._futures]

    def discard(self) -> None:
        """Remove every staged file: those of the editions made here and in the workers."""
        for _, future in self._futures:
            if made := _made(future):
                discard(made[1])
        discard_pending()

    def _done(self, future: Future[Made]) -> None:
        # Called in whichever thread ended the future: one report at a time.
        if future.cancelled():
            return  # the build is being stopped (asking a cancelled future raises)
        with self._lock:
            error = future.exception()
            if error is None:
                self._report(future.result()[0])
            elif self._error is None:
                self._error = error


def _made(future: Future[Made]) -> Made | None:
    """What an edition's task made; None if it failed, was cancelled or has not ended."""
    if not future.done() or future.cancelled() or future.exception() is not None:
        return None
    return future.result()


def _hand_out(
    workers: ProcessPoolExecutor,
    loads: list[tuple[str, list[Future[tuple[Publication, str | None]]]]],
    out_root: Path,
    format_names: list[str],
    tasks: _Tasks,
    warn: Warn,
) -> None:
    """As each publication is parsed, in order, hand its editions out: the first one's PDF
    to the main thread as soon as its master is parsed, every other edition to the workers
    once every language of its publication is (each links to the others).

    A publication that does not load, in any of its languages, ends the handing out, and none
    of its editions is put in place; the editions handed out go on."""
    try:
        for slug, languages in loads:
            try:
                master, markup = languages[0].result()
                prepare_folder(out_root / slug)
                if markup is not None:
                    tasks.first.set_result((master, markup))
                publications = linked([master, *(load.result()[0] for load in languages[1:])])
            except BaseException as error:
                tasks.fail(slug, error)
                raise
            for finding in drift(publications):
                warn(str(finding))
            for publication in publications:
                for format_name in longest_first(format_names):
                    if markup is not None and format_name == PRINT and not publication.translation:
                        continue  # laid out in the main process
                    tasks.add(
                        slug,
                        workers.submit(_render_in_worker, publication, format_name, out_root),
                    )
    finally:
        if not tasks.first.done():
            tasks.first.set_result(None)
        for _, languages in loads:
            for load in languages:
                load.cancel()  # the loads of publications after one that failed


def _load_in_worker(
    folder: Path, with_print_markup: bool, status: str | None, translation: str = ""
) -> tuple[Publication, str | None]:
    """The publication in one language (translation's tag, '' for the master), and the markup
    of its PDF when the main process lays it out."""
    with _task():
        try:
            publication = load_publication(folder, status=status, translation=translation)
            if not with_print_markup:
                return publication, None
            return publication, _print_renderer().markup(publication)
        except Exception as error:
            raise _picklable(error) from None


def _print_renderer() -> LaidOutApart:
    return cast("LaidOutApart", BY_NAME[PRINT].load())


# How long the workers have to remove their files and leave once told to (they need
# milliseconds); then they are killed.
STOP_SECONDS = 0.5


def stop_workers(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started and end what has: each worker removes its temporary files.

    (A build's only child processes are the pool's workers and their pandoc runs.)"""
    pool.shutdown(wait=False, cancel_futures=True)
    children = multiprocessing.active_children()
    for child in children:
        child.terminate()
    deadline = time.monotonic() + STOP_SECONDS
    for child in children:
        child.join(max(deadline - time.monotonic(), 0))
        if child.is_alive():
            child.kill()
            child.join()


def _render_in_worker(publication: Publication, format_name: str, out_root: Path) -> Made:
    with _task():
        try:
            return stage_edition(publication, format_name, out_root)
        except Exception as error:
            raise _picklable(error) from None


_in_task = False  # in a worker: whether it is loading or rendering (else it waits for work)


@contextmanager
def _task() -> Iterator[None]:
    global _in_task
    _in_task = True
    try:
        yield
    except KeyboardInterrupt as stopped:
        acknowledge()
        # Terminated: the scratch folders and the file being written are removed by now (the
        # exception unwound their cleanup, and killed a running pandoc); remove the editions
        # staged before, then leave at once rather than take the next task from the queue.
        discard_pending()
        os._exit(getattr(stopped, "code", 1))
    finally:
        _in_task = False


def _picklable(error: Exception) -> Exception:
    """error, or its text when it cannot cross to the main process (an lxml error holds its
    unpicklable log): otherwise the pool reports a pickling failure instead of the error."""
    try:
        pickle.dumps(error)
    except Exception:
        return RuntimeError(f"{type(error).__name__}: {error}")
    return error


def _worker_signals() -> None:
    # Ctrl-C and a hangup reach the whole process group: the main process decides, then ends
    # the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _on_terminate)


def _on_terminate(signum: int, frame: FrameType | None) -> None:
    # The pool may send a second SIGTERM; it must not interrupt the cleanup.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    if _in_task:
        stop(signum)  # raises Interrupted in the task (at the end of held(), if within one)
        return
    # Waiting for work: nothing is being written; remove what this worker staged and leave.
    discard_pending()
    os._exit(128 + signum)
