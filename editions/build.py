"""Building editions: each publication parsed once, its editions rendered side by side."""

from __future__ import annotations

import os
import time
from collections.abc import Callable, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from .errors import EditionsError
from .output import prepare_folder
from .publication import Publication, find_publications, load_publication
from .renderers import RENDERERS


@dataclass(frozen=True)
class Edition:
    """One written file, for the progress line and the release manifest."""

    slug: str
    format: str
    path: Path
    size: int
    seconds: float


def select_formats(names: Iterable[str] | None) -> list[str]:
    chosen = list(names) if names else list(RENDERERS)
    for name in chosen:
        if name not in RENDERERS:
            raise EditionsError(f"unknown format '{name}'; choose from {', '.join(RENDERERS)}")
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
    started = time.perf_counter()
    path = RENDERERS[format_name].render(publication, out_root / publication.slug)
    return Edition(
        publication.slug, format_name, path, path.stat().st_size, time.perf_counter() - started
    )


def build(
    source: Path,
    out_root: Path,
    slugs: Iterable[str] | None = None,
    formats: Iterable[str] | None = None,
    jobs: int | None = None,
    report: Callable[[Edition], None] = lambda edition: None,
) -> list[Edition]:
    """Build the chosen editions; raise the first error after all running work has ended."""
    format_names = select_formats(formats)
    publications = [load_publication(source / slug) for slug in select_publications(source, slugs)]
    for publication in publications:
        prepare_folder(out_root / publication.slug)
    tasks = [(p, f) for p in publications for f in format_names]
    workers = min(jobs or os.cpu_count() or 1, len(tasks))
    if workers <= 1:
        editions = [render_edition(p, f, out_root) for p, f in tasks]
        for edition in editions:
            report(edition)
        return editions
    return _build_in_pool(tasks, out_root, workers, report)


def _build_in_pool(
    tasks: list[tuple[Publication, str]],
    out_root: Path,
    workers: int,
    report: Callable[[Edition], None],
) -> list[Edition]:
    editions: list[Edition] = []
    # The slowest edition (the PDF's layout) starts first so the others hide behind it.
    order = sorted(tasks, key=lambda task: task[1] != "pdf")
    with ProcessPoolExecutor(max_workers=workers) as pool:
        futures: list[Future[Edition]] = [
            pool.submit(render_edition, p, f, out_root) for p, f in order
        ]
        first_error: BaseException | None = None
        for future in futures:
            try:
                edition = future.result()
            except BaseException as error:
                first_error = first_error or error
                continue
            report(edition)
            editions.append(edition)
    if first_error is not None:
        raise first_error
    return editions
