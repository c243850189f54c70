"""Writing editions: to a temporary file beside the target, renamed into place when complete.

A build replaces a publication's editions together or not at all: within staging(), each
edition is written whole to its temporary file (.SLUG.FMT.XXXX.part) and left there; the build
renames them all with commit() once every one is made, or removes them with discard().
"""

from __future__ import annotations

import contextlib
import errno
import os
import tempfile
from collections.abc import Iterator
from contextvars import ContextVar
from dataclasses import dataclass
from pathlib import Path

from editions.errors import EditionsError
from editions.interrupt import held


@dataclass(frozen=True)
class Staged:
    """An edition written whole to its temporary file, not yet renamed into place."""

    temporary: Path
    target: Path


# The temporary files this process made and has neither renamed nor removed: what an
# interrupted process removes (discard_pending) before it leaves.
_pending: set[Path] = set()
_staging: ContextVar[list[Staged] | None] = ContextVar("staging", default=None)

# What to do about the errors a full or locked-down disk gives.
ADVICE = {
    errno.ENOSPC: "no space left on the device; free some space",
    errno.EDQUOT: "over the disk quota; free some space",
    errno.EACCES: "permission denied; check the folder's permissions",
    errno.EPERM: "not permitted; check the folder's permissions",
    errno.EROFS: "the file system is read-only; build elsewhere (--out)",
    errno.EISDIR: "a folder is in the way; remove it",
}


def output_error(error: OSError, path: Path) -> EditionsError:
    """One line naming the file (the edition, unless the error names another) and what to do."""
    named = error.filename
    where = Path(named) if isinstance(named, str) and not named.endswith(".part") else path
    advice = ADVICE.get(error.errno or 0, error.strerror or str(error))
    return EditionsError(advice, where)


def prepare_folder(folder: Path) -> None:
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise EditionsError(f"cannot create the output folder: {error.strerror}", folder) from error
    if not os.access(folder, os.W_OK):
        raise EditionsError("the output folder cannot be written; check its permissions", folder)


@contextlib.contextmanager
def staging() -> Iterator[list[Staged]]:
    """Within, atomic_path leaves each finished file staged, listed in the list yielded."""
    staged: list[Staged] = []
    token = _staging.set(staged)
    try:
        yield staged
    finally:
        _staging.reset(token)


@contextlib.contextmanager
def atomic_path(target: Path) -> Iterator[Path]:
    """Yield a temporary path to write; on success it replaces target in one rename (or, within
    staging(), is staged to be renamed with the others)."""
    prepare_folder(target.parent)
    with held():
        handle, name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".part", dir=target.parent
        )
        temporary = Path(name)
        _pending.add(temporary)
    os.close(handle)
    staged = _staging.get()
    kept = False
    try:
        yield temporary
        with open(temporary, "rb+") as written:
            os.fsync(written.fileno())
        os.chmod(temporary, 0o644)
        if staged is None:
            commit([Staged(temporary, target)])
        else:
            staged.append(Staged(temporary, target))
            kept = True
    except OSError as error:
        raise output_error(error, target) from error
    finally:
        if not kept:
            _remove(temporary)


def write_atomically(target: Path, data: bytes) -> None:
    with atomic_path(target) as temporary:
        temporary.write_bytes(data)


def commit(staged: list[Staged]) -> None:
    """Rename every staged file into place, all of them or (when one cannot be) none."""
    for file in staged:
        if file.target.is_dir():
            raise EditionsError("a folder is in the way of the edition; remove it", file.target)
    with held():
        for file in staged:
            try:
                os.replace(file.temporary, file.target)
            except OSError as error:
                raise output_error(error, file.target) from error
            _pending.discard(file.temporary)


def discard(staged: list[Staged]) -> None:
    for file in staged:
        _remove(file.temporary)


def discard_pending() -> None:
    """Remove every temporary file this process made and has not renamed."""
    for temporary in list(_pending):
        _remove(temporary)


def _remove(temporary: Path) -> None:
    with contextlib.suppress(OSError):
        temporary.unlink(missing_ok=True)
    _pending.discard(temporary)
