"""Building editions: each publication parsed once, its editions rendered side by side.

A cold build lasts as long as its longest edition (the PDF's layout, the EPUB's fonts) plus
what comes before: Python's start, the parse, WeasyPrint's import. So the main process imports
the renderers (and WeasyPrint, when a PDF is wanted) while pandoc parses the first publication,
then forks one worker per core: the workers inherit what was imported instead of importing it
again. The longest editions start first, so that the others finish behind them.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import time
from collections.abc import Callable, Iterable
from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, ThreadPoolExecutor
from concurrent.futures import wait as wait_for
from dataclasses import dataclass
from pathlib import Path
from types import FrameType

from .errors import EditionsError
from .output import prepare_folder
from .publication import Publication, find_publications, load_publication

# The renderers' names, in the order of editions.renderers.RENDERERS (a test keeps them equal):
# naming them here lets a build start pandoc before the renderers (and WeasyPrint) are imported.
FORMATS = ("html", "pdf", "docx", "epub")
# The order editions start in: the longest first (as measured on the flagship), so that the
# shorter ones fill the cores around them. The PDF also needs WeasyPrint.
LONGEST_FIRST = ("pdf", "epub", "docx", "html")


@dataclass(frozen=True)
class Edition:
    """One written file, for the progress line and the release manifest."""

    slug: str
    format: str
    path: Path
    size: int
    seconds: float


Report = Callable[[Edition], None]


def select_formats(names: Iterable[str] | None) -> list[str]:
    chosen = list(names) if names else list(FORMATS)
    for name in chosen:
        if name not in FORMATS:
            raise EditionsError(f"unknown format '{name}'; choose from {', '.join(FORMATS)}")
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


def available_cores() -> int:
    """The cores this process may run on (a container or taskset may allow fewer)."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def render_edition(publication: Publication, format_name: str, out_root: Path) -> Edition:
    from .renderers import RENDERERS  # imported on first use: it brings in WeasyPrint

    started = time.perf_counter()
    path = RENDERERS[format_name].render(publication, out_root / publication.slug)
    return Edition(
        publication.slug, format_name, path, path.stat().st_size, time.perf_counter() - started
    )


def longest_first(format_names: Iterable[str]) -> list[str]:
    return sorted(format_names, key=LONGEST_FIRST.index)


def build(
    source: Path,
    out_root: Path,
    slugs: Iterable[str] | None = None,
    formats: Iterable[str] | None = None,
    jobs: int | None = None,
    report: Report = lambda edition: None,
) -> list[Edition]:
    """Build the chosen editions; raise the first error after all running work has ended."""
    format_names = select_formats(formats)
    chosen = select_publications(source, slugs)
    first = load_while_importing_renderers(source / chosen[0], format_names)
    workers = min(jobs or available_cores(), len(chosen) * len(format_names))
    if workers <= 1:
        return _build_in_turn(source, out_root, first, chosen, format_names, report)
    return _build_in_pool(source, out_root, first, chosen, format_names, workers, report)


def load_while_importing_renderers(folder: Path, format_names: list[str]) -> Publication:
    """Load a publication (mostly waiting for pandoc) while this thread imports the renderers."""
    with ThreadPoolExecutor(1) as loader:
        loading = loader.submit(load_publication, folder)
        from . import renderers  # noqa: F401

        if "pdf" in format_names:
            import weasyprint  # noqa: F401  (a third of a second: the PDF renderer imports it late)
        return loading.result()


def _load(source: Path, slug: str, first: Publication) -> Publication:
    return first if slug == first.slug else load_publication(source / slug)


def _build_in_turn(
    source: Path,
    out_root: Path,
    first: Publication,
    slugs: list[str],
    format_names: list[str],
    report: Report,
) -> list[Edition]:
    editions = []
    for slug in slugs:
        publication = _load(source, slug, first)
        prepare_folder(out_root / slug)
        for format_name in format_names:
            editions.append(render_edition(publication, format_name, out_root))
            report(editions[-1])
    return editions


def _build_in_pool(
    source: Path,
    out_root: Path,
    first: Publication,
    slugs: list[str],
    format_names: list[str],
    workers: int,
    report: Report,
) -> list[Edition]:
    futures: list[Future[Edition]] = []
    first_error: BaseException | None = None
    # Forked now that the imports are done and no other thread runs: the workers start warm.
    context = multiprocessing.get_context("fork")
    with ProcessPoolExecutor(workers, mp_context=context, initializer=_worker_signals) as pool:
        try:
            for slug in slugs:
                publication = _load(source, slug, first)
                prepare_folder(out_root / slug)
                futures += [
                    pool.submit(_render_in_worker, publication, format_name, out_root)
                    for format_name in longest_first(format_names)
                ]
            first_error = _collect(futures, report)
        except EditionsError as error:
            # A publication that does not load: let the editions already started finish.
            first_error = _collect(futures, report) or error
        except KeyboardInterrupt:
            stop_workers(pool)
            raise
    if first_error is not None:
        raise first_error
    return [future.result() for future in futures]


def _collect(futures: list[Future[Edition]], report: Report) -> BaseException | None:
    """Report editions as they are written; the first error, once every edition has ended."""
    first_error: BaseException | None = None
    pending = set(futures)
    while pending:
        done, pending = wait_for(pending, return_when=FIRST_COMPLETED)
        for future in sorted(done, key=futures.index):
            error = future.exception()
            if error is None:
                report(future.result())
            elif first_error is None:
                first_error = error
    return first_error


def stop_workers(pool: ProcessPoolExecutor) -> None:
    """Cancel what has not started and end what has: each worker removes its partial file.

    (A build's only child processes are the pool's workers and their pandoc runs.)"""
    pool.shutdown(wait=False, cancel_futures=True)
    for child in multiprocessing.active_children():
        child.terminate()


def _render_in_worker(publication: Publication, format_name: str, out_root: Path) -> Edition:
    try:
        return render_edition(publication, format_name, out_root)
    except SystemExit as stop:
        # Terminated (Ctrl-C in the main process): the partial file is removed by now. Leave
        # at once rather than take the next edition from the queue.
        os._exit(stop.code if isinstance(stop.code, int) else 1)


def _worker_signals() -> None:
    # Ctrl-C reaches the whole process group: the main process decides, then ends the workers.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _exit_on_terminate)


def _exit_on_terminate(signum: int, frame: FrameType | None) -> None:
    # An exception, not a silent death: atomic_path's cleanup removes the temporary file. The
    # pool may send a second SIGTERM; it must not interrupt that cleanup.
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    raise SystemExit(128 + signum)
