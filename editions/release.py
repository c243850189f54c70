"""The release bundle: checksums, a manifest and a landing page beside the editions."""

from __future__ import annotations

import hashlib
import io
import json
import re
import subprocess
import zipfile
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from importlib import metadata as package_metadata
from pathlib import Path

from editions.adapters import templates
from editions.adapters.pandoc import pandoc_version
from editions.errors import EditionsError
from editions.formats import BY_NAME, FORMATS
from editions.model.languages import autonym
from editions.model.publication import Publication
from editions.output import write_atomically
from editions.paths import PROJECT

# The marks of a draft in its editions (see status in editions/model/metadata.py).
DRAFT_CLASS = b'class="draft-notice"'
DRAFT_STYLE_ID = b'w:val="DraftNotice"'
DRAFT_INFO = b"/Status (Draft)"


@dataclass(frozen=True)
class ReleasedFile:
    format: str
    label: str
    purpose: str
    media_type: str
    file: str
    size: int
    sha256: str
    language: str  # the edition's language tag
    language_name: str  # what the language calls itself


def refuse_drafts(publications: list[Publication]) -> None:
    """A draft is never released: the first one stops the release, naming its status line."""
    for publication in publications:
        if publication.metadata.is_draft:
            raise EditionsError(
                "is a draft (status: draft), and a draft is never released; when its text is "
                f"agreed, write 'status: final' in {publication.master.name}, then run make "
                "release again",
                publication.master,
                publication.metadata.status_line,
            )


def write_release(publications: Sequence[Publication], out_dir: Path) -> list[Path]:
    """Write SHA256SUMS, manifest.json and index.html for the editions found in out_dir: those
    of the publication in each of its languages (publications, the master first)."""
    publication = publications[0]
    files = [file for language in publications for file in _released_files(language, out_dir)]
    sums = "".join(f"{f.sha256}  {f.file}\n" for f in files)
    manifest = {
        "publication": publication.slug,
        "title": publication.metadata.title,
        "identifier": publication.metadata.identifier,
        "language": publication.metadata.lang,
        "languages": [language.metadata.lang for language in publications],
        "date": publication.metadata.date.isoformat(),
        "version": publication.metadata.version,
        "built": publication.build_date.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "source_commit": source_commit(),
        "tools": tool_versions(),
        "editions": [
            {
                "edition": f"{f.file.removesuffix(BY_NAME[f.format].suffix)}-{f.format}",
                "format": f.format,
                "language": f.language,
                "media_type": f.media_type,
                "file": f.file,
                "size": f.size,
                "sha256": f.sha256,
            }
            for f in files
        ],
    }
    page = _landing_page(publication, files)
    written = []
    for name, data in (
        ("SHA256SUMS", sums),
        ("manifest.json", json.dumps(manifest, indent=2, ensure_ascii=False) + "\n"),
        ("index.html", page),
    ):
        write_atomically(out_dir / name, data.encode("utf-8"))
        written.append(out_dir / name)
    return written


def _released_files(publication: Publication, out_dir: Path) -> list[ReleasedFile]:
    files = []
    for format in FORMATS:
        path = out_dir / f"{publication.edition_name}{format.suffix}"
        if not path.is_file():
            continue
        data = path.read_bytes()
        if built_as_draft(format.name, data):
            # A final master, but an edition built with --status draft since.
            raise EditionsError(
                "was built as a draft (editions build --status draft) and a draft is never "
                f"released; rebuild it final with `.venv/bin/python -m editions build "
                f"{publication.slug}`, then run make release again",
                path,
            )
        files.append(
            ReleasedFile(
                format.name,
                format.label,
                format.purpose,
                format.media_type,
                path.name,
                len(data),
                hashlib.sha256(data).hexdigest(),
                publication.metadata.lang,
                autonym(publication.metadata.lang),
            )
        )
    return files


def built_as_draft(format_name: str, data: bytes) -> bool:
    """Whether an edition carries a draft's marks: its notice's class (HTML, EPUB), its style
    (DOCX), its document information (PDF, whose objects are compressed)."""
    if format_name == "html":
        return DRAFT_CLASS in data
    if format_name in ("epub", "docx"):
        try:
            with zipfile.ZipFile(io.BytesIO(data)) as archive:
                return any(
                    DRAFT_CLASS in archive.read(name) or DRAFT_STYLE_ID in archive.read(name)
                    for name in archive.namelist()
                    if name.endswith((".xhtml", ".xml"))
                )
        except zipfile.BadZipFile:
            return False
    if format_name == "pdf":
        return any(DRAFT_INFO in stream for stream in _inflated_streams(data))
    return False


def _inflated_streams(data: bytes) -> Iterator[bytes]:
    for start in re.finditer(rb"stream\r?\n", data):
        try:
            yield zlib.decompressobj().decompress(data[start.end() :])
        except zlib.error:
            continue


def source_commit() -> str:
    """The commit the sources come from, with '-dirty' when the work tree has changes."""
    try:
        commit = subprocess.run(
            ["git", "rev-parse", "HEAD"], cwd=PROJECT, capture_output=True, text=True, check=True
        ).stdout.strip()
        dirty = subprocess.run(
            ["git", "status", "--porcelain", "--", "source", "templates", "editions"],
            cwd=PROJECT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return "unknown"
    return f"{commit}-dirty" if dirty else commit


def tool_versions() -> dict[str, str]:
    versions = {"pandoc": pandoc_version()}
    for package in ("weasyprint", "python-docx", "ebooklib", "pypandoc_binary"):
        try:
            versions[package] = package_metadata.version(package)
        except package_metadata.PackageNotFoundError:
            versions[package] = "not installed"
    return versions


def _landing_page(publication: Publication, files: list[ReleasedFile]) -> str:
    return templates.render(
        "release/index.html.j2",
        meta=publication.metadata,
        files=files,
        stylesheet=templates.read("release/index.css"),
        human_size=_human_size,
    )


def _human_size(size: int) -> str:
    if size < 1024 * 1024:
        return f"{size / 1024:.0f} KB"
    return f"{size / 1024 / 1024:.1f} MB"
