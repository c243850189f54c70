"""What WeasyPrint may read: files in the publication folder and templates/, nothing else."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint.urls import URLFetcher, URLFetcherResponse

from editions.errors import EditionsError
from editions.model.images import ImageError, check_image, decode_data_uri

# Types WeasyPrint needs to tell a stylesheet or an SVG from other bytes; the table is
# explicit so that nothing is read from the system's MIME database.
CONTENT_TYPES = {
    ".css": "text/css",
    ".svg": "image/svg+xml",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".gif": "image/gif",
    ".webp": "image/webp",
    ".otf": "font/otf",
    ".ttf": "font/ttf",
    ".woff": "font/woff",
    ".woff2": "font/woff2",
}


class FolderFetcher(URLFetcher):
    """Serve file: URLs inside the allowed folders and data: URLs; refuse every other URL.

    A refusal is an EditionsError; fail_on_errors makes WeasyPrint stop on it instead of
    leaving the resource out with a warning.
    """

    def __init__(self, allowed: list[Path], document: Path) -> None:
        super().__init__(allowed_protocols=("file", "data"), fail_on_errors=True)
        self._allowed = [folder.resolve() for folder in allowed]
        self._document = document

    def fetch(self, url: str, headers: dict[str, str] | None = None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data" and url[5:].lstrip().lower().startswith("image/"):
            return self._data_image(url)
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme != "file":
            raise self._refusal(url, "the PDF edition fetches nothing from the network")
        path = self._local_path(url)
        try:
            body = path.read_bytes()
        except OSError as error:
            raise EditionsError(
                f"cannot read {path.name} for the PDF: {error.strerror}", self._document
            ) from error
        content_type = CONTENT_TYPES.get(path.suffix.lower(), "application/octet-stream")
        return URLFetcherResponse(url, body, {"Content-Type": content_type})

    def _data_image(self, url: str) -> URLFetcherResponse:
        # The loader embedded every image checked; check again what reaches the layout.
        try:
            image = check_image(decode_data_uri(url))
        except ImageError as refused:
            raise self._refusal(url[:40] + "...", f"the image {refused}") from None
        return URLFetcherResponse(url, image.data, {"Content-Type": image.media_type})

    def _local_path(self, url: str) -> Path:
        parts = urlsplit(url)
        if parts.netloc not in ("", "localhost"):
            raise self._refusal(url, "file URLs must name a local file")
        # resolve() follows symbolic links, so a link cannot lead out of the folders.
        path = Path(unquote(parts.path)).resolve()
        if not any(path.is_relative_to(folder) for folder in self._allowed):
            raise self._refusal(url, "only files in the publication folder may be used")
        if not path.is_file():
            raise self._refusal(url, "no such file")
        return path

    def _refusal(self, url: str, reason: str) -> EditionsError:
        return EditionsError(f"refused to read {url}: {reason}", self._document)
