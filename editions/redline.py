"""`editions redline SLUG --since REV`: what changed since an earlier version, as a DOCX with
real tracked changes, an HTML page and a PDF with change bars, beside the editions.

REV is a git revision of the repository that holds the source folder (a tag, a commit,
HEAD~3), read with `git archive` without touching the work tree, or the path of a folder
holding an earlier copy of the publication. The earlier version is read by the same model
as the current one, so a version that no longer validates is one error naming the revision.
A revision in which the publication did not exist yet is an error too: a redline against
nothing would mark every word, which the editions themselves say better.
"""

from __future__ import annotations

import dataclasses
import re
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from editions.build import Edition
from editions.errors import CombinedError, EditionsError
from editions.formats import BY_NAME
from editions.model.folder import MASTER
from editions.model.limits import MAX_REVISION_BYTES
from editions.model.publication import Publication, load_publication
from editions.model.redline import Redline, redline
from editions.output import commit, discard, prepare_folder, staging

# The editions a redline is made in: the reviewer's (tracked changes), the screen's, paper's.
FORMATS = ("docx", "html", "pdf")
UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
GIT_TIMEOUT = 60


def write_redline(
    source: Path,
    out_root: Path,
    slug: str,
    since: str,
    author: str = "",
    report: Callable[[Edition], None] | None = None,
) -> Redline:
    """Write build/SLUG/SLUG.changes-since-NAME.{docx,html,pdf}, all or none."""
    current = load_publication(source / slug)
    with earlier_copy(source, slug, since) as (folder, name):
        earlier = _load_earlier(folder, since)
    marked = redline(earlier, current, since, author)
    assert marked.redline is not None
    # Named as its files are: the renderers write SLUG.changes-since-NAME.FORMAT.
    marked = dataclasses.replace(marked, slug=f"{slug}.changes-since-{name}")
    out_dir = out_root / slug
    prepare_folder(out_dir)
    made: list[Edition] = []
    with staging() as staged:
        try:
            for format_name in FORMATS:
                started = time.perf_counter()
                path = BY_NAME[format_name].load().render(marked, out_dir)
                size = next(f.temporary for f in staged if f.target == path).stat().st_size
                made.append(Edition(slug, format_name, path, size, time.perf_counter() - started))
            commit(staged)
        except BaseException:
            discard(staged)
            raise
    for edition in made:
        if report:
            report(edition)
    return marked.redline


@contextmanager
def earlier_copy(source: Path, slug: str, since: str) -> Iterator[tuple[Path, str]]:
    """A private copy of the publication as it was at since, and since's name for files."""
    given = Path(since)
    if given.is_dir():
        if not (given / MASTER).is_file():
            raise EditionsError(f"has no {MASTER}: give the folder of an earlier copy", given)
        yield given, _safe(given.resolve().name)
        return
    with tempfile.TemporaryDirectory(prefix="editions-since-") as scratch:
        folder = Path(scratch) / slug
        commit_id = _extract(source / slug, since, folder)
        yield folder, _safe(since if _is_tag(source, since) else commit_id[:12])


def _extract(publication: Path, since: str, folder: Path) -> str:
    """The publication's folder at revision since, unpacked into folder; its commit."""
    if since.startswith("-"):
        # git would read it as an option, not a revision.
        raise EditionsError(f"'{since}' is not a revision: give a tag, a commit or a folder")
    top = _git(publication.parent, "rev-parse", "--show-toplevel", what="find the repository")
    commit_id = _git(
        publication.parent,
        "rev-parse",
        "--verify",
        "--quiet",
        "--end-of-options",
        f"{since}^{{commit}}",
        what=f"find the revision '{since}'",
    )
    inside = publication.resolve().relative_to(Path(top).resolve()).as_posix()
    listing = _git(
        Path(top),
        "ls-tree",
        "--name-only",
        commit_id,
        f"{inside}/{MASTER}",
        what="read the revision",
    )
    if not listing:
        raise EditionsError(
            f"the publication did not exist at revision '{since}' ({commit_id[:12]}): give a "
            "revision in which it did, or a folder holding an earlier copy",
            publication,
        )
    with tempfile.TemporaryFile() as tar_file:
        _archive(top, commit_id, inside, tar_file, since)
        tar_file.seek(0)
        with tarfile.open(fileobj=tar_file) as tar:
            # 'data': no absolute names, no links out of the folder, no devices.
            tar.extractall(folder.parent / ".tree", filter="data")
    (folder.parent / ".tree" / inside).rename(folder)
    return commit_id


def _archive(top: str, commit_id: str, inside: str, out: IO[bytes], since: str) -> None:
    """git archive of the folder at commit_id into out, refused past MAX_REVISION_BYTES: a
    revision is read before the model's limits can see it."""
    command = ["git", "-C", top, "archive", "--format=tar", commit_id, "--", inside]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE) as git:
        assert git.stdout is not None and git.stderr is not None
        written = 0
        while chunk := git.stdout.read(1 << 20):
            written += len(chunk)
            if written > MAX_REVISION_BYTES:
                git.kill()
                raise EditionsError(
                    f"the publication at revision '{since}' is larger than "
                    f"{MAX_REVISION_BYTES // (1 << 20)} MiB; give a folder holding an earlier "
                    "copy instead"
                )
            out.write(chunk)
        error = git.stderr.read().decode(errors="replace").strip()
        if git.wait(timeout=GIT_TIMEOUT):
            raise EditionsError(f"git archive failed: {error}")


def _git(cwd: Path, *args: str, what: str) -> str:
    try:
        done = subprocess.run(
            ["git", "-C", str(cwd), *args],
            capture_output=True,
            text=True,
            timeout=GIT_TIMEOUT,
            check=False,
        )
    except FileNotFoundError:
        raise EditionsError("git is not installed; install git, or give --since a folder") from None
    if done.returncode:
        reason = done.stderr.strip().splitlines()[-1] if done.stderr.strip() else "unknown"
        if "rev-parse" in args and "--verify" in args:
            reason = "no such tag, branch or commit"
        raise EditionsError(f"cannot {what}: {reason}", cwd)
    return done.stdout.strip()


def _is_tag(source: Path, since: str) -> bool:
    done = subprocess.run(
        ["git", "-C", str(source), "rev-parse", "--verify", "--quiet", f"refs/tags/{since}"],
        capture_output=True,
        timeout=GIT_TIMEOUT,
        check=False,
    )
    return done.returncode == 0


def _load_earlier(folder: Path, since: str) -> Publication:
    """The earlier version through the same model; its errors name the revision."""
    try:
        return load_publication(folder, check_limits=False)
    except CombinedError as error:
        raise CombinedError([_at_revision(e, folder, since) for e in error.errors]) from None
    except EditionsError as error:
        raise _at_revision(error, folder, since) from None


def _at_revision(error: EditionsError, folder: Path, since: str) -> EditionsError:
    path = error.path
    if path is not None and path.is_relative_to(folder):
        path = Path(f"{since}:{path.relative_to(folder)}")
    return EditionsError(
        f"{error.message} (in the version at '{since}', which cannot be compared)",
        path,
        error.line,
        error.column,
    )


def _safe(name: str) -> str:
    return UNSAFE.sub("-", name).strip("-.") or "earlier"
