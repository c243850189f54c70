"""Live preview: build, serve the build folder on loopback, rebuild on save, reload the page.

One warm process: the renderers (and WeasyPrint) are imported once, so a save costs only the
parse and the render. Files are written to the build folder exactly as a build writes them;
the reload script is added to the served copy of a page only, never to the file.
"""

from __future__ import annotations

import functools
import html
import http.server
import json
import os
import signal
import socket
import socketserver
import sys
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import FrameType
from typing import Any
from urllib.parse import quote, urlsplit

from editions.build import render_edition, select_formats, select_publications
from editions.errors import EditionsError
from editions.interrupt import acknowledge
from editions.model.folder import THEME
from editions.model.translations import load_languages
from editions.output import prepare_folder
from editions.paths import TEMPLATES

POLL_SECONDS = 0.025  # a stat of a dozen files: about 0.1 ms
EVENTS = "/__editions/events"
STATUS = "/__editions/build"
PREVIEW = "/__editions/preview"
KEEPALIVE_SECONDS = 15.0

Status = dict[str, object]  # {"build": the last good build's number, "error": the last error}

# Reloads the page when a build after the one it shows succeeds; shows a failed build's error.
RELOAD_SCRIPT = """<script>
(() => {
  const shown = %(build)s;
  const events = new EventSource("%(events)s");
  events.onmessage = (message) => {
    const state = JSON.parse(message.data);
    if (state.build !== shown) { location.reload(); return; }
    let banner = document.getElementById("editions-preview-error");
    if (state.error && !banner) {
      banner = document.createElement("pre");
      banner.id = "editions-preview-error";
      banner.style.cssText = "position:fixed;inset:0 0 auto 0;margin:0;padding:0.6em 1em;"
        + "background:#fff4f4;color:#8a1010;border-bottom:2px solid #8a1010;"
        + "white-space:pre-wrap;z-index:2147483647";
      document.body.prepend(banner);
    }
    if (banner) { banner.hidden = !state.error; banner.textContent = state.error || ""; }
  };
})();
</script>
"""

PREVIEW_PAGE = """<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Preview: %(name)s</title>
<style>html, body, iframe { margin: 0; border: 0; width: 100%%; height: 100%%; }</style>
</head>
<body>
<iframe src="%(src)s" title="%(name)s"></iframe>
</body>
</html>
"""


WAITING_PAGE = """<!DOCTYPE html>
<html lang="en">
<head><meta charset="utf-8"><title>Waiting for a build</title></head>
<body>
<p>No edition here yet: this page reloads when the next build succeeds.</p>
</body>
</html>
"""


@dataclass
class BuildState:
    """The number of the last good build and the last error, shared with the server's threads."""

    build: int = 0
    error: str | None = None
    stopping: bool = False
    changed: threading.Condition = field(default_factory=threading.Condition)

    def succeeded(self) -> None:
        with self.changed:
            self.build += 1
            self.error = None
            self.changed.notify_all()

    def failed(self, message: str) -> None:
        with self.changed:
            self.error = message
            self.changed.notify_all()

    def stop(self) -> None:
        with self.changed:
            self.stopping = True
            self.changed.notify_all()

    def snapshot(self) -> Status:
        with self.changed:
            return {"build": self.build, "error": self.error}

    def next_change(self, last: Status | None, timeout: float) -> Status | None:
        """The state once it differs from last (or after timeout); None when stopping."""
        with self.changed:
            self.changed.wait_for(lambda: self.stopping or self.snapshot() != last, timeout)
            return None if self.stopping else self.snapshot()


def serve(
    source: Path,
    out_root: Path,
    slugs: Iterable[str] | None = None,
    formats: Iterable[str] | None = None,
    host: str = "127.0.0.1",
    port: int = 0,
) -> int:
    """Build, serve and rebuild until Ctrl-C; 0 once stopped."""
    format_names = select_formats(formats or ["html"])
    chosen = select_publications(source, slugs)
    state = BuildState()
    server = _server(host, port, out_root, state, _entry_path(chosen[0], format_names))
    thread = threading.Thread(target=server.serve_forever, name="preview-server", daemon=True)
    previous = signal.signal(signal.SIGTERM, _stop_on_terminate)
    try:
        from editions import formats

        # Read before the first build: a save made while it runs is a change to build again.
        watched = Watched(source, chosen)
        for slug in chosen:
            _rebuild(source, out_root, slug, format_names, state)
        thread.start()
        for slug in chosen:  # one line each, the first one's page at "/"
            print(f"serving {_url(server, _entry_path(slug, format_names))}", flush=True)
        print(f"watching {', '.join(chosen)} and the templates (Ctrl-C to stop)", flush=True)
        while True:
            time.sleep(POLL_SECONDS)
            for slug in watched.changed():
                _rebuild(source, out_root, slug, format_names, state)
    except KeyboardInterrupt:
        acknowledge()  # a stopping signal (editions/interrupt.py) is taken: raise it no more
    finally:
        signal.signal(signal.SIGTERM, previous)
        state.stop()
        if thread.is_alive():
            server.shutdown()
            thread.join()
        server.server_close()
    print("stopped", flush=True)
    return 0


def _stop_on_terminate(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt  # a terminate (a process manager's stop) stops as Ctrl-C does


def _rebuild(
    source: Path, out_root: Path, slug: str, format_names: list[str], state: BuildState
) -> None:
    """Build one publication's editions, in every language, in this process; an error leaves
    the last good ones."""
    started = time.perf_counter()
    try:
        publications = load_languages(source / slug)
        prepare_folder(out_root / slug)
        for publication in publications:
            for format_name in format_names:
                render_edition(publication, format_name, out_root)
    except Exception as error:
        # One line, and the preview goes on: the next save may fix it.
        message = str(error) if isinstance(error, EditionsError) else _unexpected(error)
        print(f"error: {message}", file=sys.stderr, flush=True)
        state.failed(message)
        return
    state.succeeded()
    seconds = time.perf_counter() - started
    print(f"built {slug} ({', '.join(format_names)}) in {seconds:.2f} s", flush=True)


def _unexpected(error: Exception) -> str:
    return f"unexpected {type(error).__name__}: {error}"


class Watched:
    """The publications' files and the templates, polled: which publications a change touches."""

    def __init__(self, source: Path, slugs: list[str]) -> None:
        self.folders = {slug: source / slug for slug in slugs}
        self.seen = {slug: _signature(folder) for slug, folder in self.folders.items()}
        self.theme = source / THEME  # the theme of every publication without its own
        self.templates = self._shared()

    def _shared(self) -> dict[str, tuple[int, int, int]]:
        """What every publication reads: the templates and the source folder's theme."""
        shared = _signature(TEMPLATES)
        try:
            stat = self.theme.stat()
        except OSError:
            return shared
        shared[str(self.theme)] = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
        return shared

    def changed(self) -> list[str]:
        templates = self._shared()
        changed = []
        for slug, folder in self.folders.items():
            now = _signature(folder)
            if now != self.seen[slug] or templates != self.templates:
                self.seen[slug] = now
                changed.append(slug)
        self.templates = templates
        return changed


def _signature(folder: Path) -> dict[str, tuple[int, int, int]]:
    """What a save changes: each file's modification time, size and inode (editors rename)."""
    files: dict[str, tuple[int, int, int]] = {}
    for path in _files(folder):
        try:
            stat = path.stat()
        except OSError:
            continue
        files[str(path)] = (stat.st_mtime_ns, stat.st_size, stat.st_ino)
    return files


def _files(folder: Path) -> Iterator[Path]:
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return
    for entry in entries:
        if entry.name.startswith("."):  # editors' swap and backup files
            continue
        if entry.is_dir(follow_symlinks=False):
            yield from _files(Path(entry.path))
        else:
            yield Path(entry.path)


def _entry_path(slug: str, format_names: list[str]) -> str:
    """The page to open: the HTML edition, or a page framing the first other edition."""
    if "html" in format_names:
        return f"/{quote(slug)}/{quote(slug)}.html"
    return f"{PREVIEW}/{quote(slug)}/{quote(slug)}.{format_names[0]}"


def _url(server: PreviewServer, path: str) -> str:
    host, port = server.server_address[:2]
    host = f"[{host}]" if ":" in str(host) else str(host)
    return f"http://{host}:{port}{path}"


class PreviewServer(http.server.ThreadingHTTPServer):
    daemon_threads = True  # an open event stream must not keep the process alive
    entry = "/"  # the page to open first

    def server_bind(self) -> None:
        # HTTPServer.server_bind would look the host name up (a DNS query); it is not needed.
        socketserver.TCPServer.server_bind(self)
        self.server_name, self.server_port = self.server_address[:2]


def _server(host: str, port: int, out_root: Path, state: BuildState, entry: str) -> PreviewServer:
    handler = functools.partial(PreviewHandler, state=state, entry=entry, directory=str(out_root))
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        server_class = type("Server", (PreviewServer,), {"address_family": family, "entry": entry})
        return server_class((host, port), handler)
    except OSError as error:
        reason = getattr(error, "strerror", None) or str(error)
        raise EditionsError(f"cannot listen on {host} port {port}: {reason}") from error


class PreviewHandler(http.server.SimpleHTTPRequestHandler):
    """build/ as files, pages with the reload script, the build number as events."""

    def __init__(self, *args: Any, state: BuildState, entry: str, **kwargs: Any) -> None:
        self.state = state
        self.entry = entry
        super().__init__(*args, **kwargs)

    def do_GET(self) -> None:
        path = urlsplit(self.path).path
        if path == "/":
            self.send_response(302)
            self.send_header("Location", self.entry)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif path == EVENTS:
            self._events()
        elif path == STATUS:
            self._send(json.dumps(self.state.snapshot()).encode(), "application/json")
        elif path.startswith(PREVIEW + "/"):
            self._preview(path.removeprefix(PREVIEW))
        elif path.endswith(".html"):
            self._page(Path(self.translate_path(path)))
        else:
            super().do_GET()

    def end_headers(self) -> None:
        # Never cached: a reload must fetch the new edition.
        self.send_header("Cache-Control", "no-store")
        super().end_headers()

    def log_message(self, format: str, *args: Any) -> None:
        pass  # one line per request would bury the build lines

    def _send(self, body: bytes, content_type: str, status: int = 200) -> None:
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def _page(self, file: Path) -> None:
        # The build number is read before the file: at worst the page reloads once too often.
        build = self.state.snapshot()["build"]
        try:
            page = file.read_bytes()
        except OSError:
            page, status = WAITING_PAGE.encode(), 404
        else:
            status = 200
        self._send(_with_reload_script(page, build), "text/html; charset=utf-8", status)

    def _preview(self, edition: str) -> None:
        build = self.state.snapshot()["build"]
        name = html.escape(edition.rsplit("/", 1)[-1])
        page = PREVIEW_PAGE % {"name": name, "src": html.escape(f"{edition}?build={build}")}
        self._send(_with_reload_script(page.encode(), build), "text/html; charset=utf-8")

    def _events(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.end_headers()
        last: Status | None = None
        try:
            while (current := self.state.next_change(last, KEEPALIVE_SECONDS)) is not None:
                line = ": waiting\n\n" if current == last else f"data: {json.dumps(current)}\n\n"
                self.wfile.write(line.encode())
                self.wfile.flush()
                last = current
        except (BrokenPipeError, ConnectionResetError):
            pass  # the page went away


def _with_reload_script(page: bytes, build: object) -> bytes:
    script = RELOAD_SCRIPT % {"build": build, "events": EVENTS}
    end = page.rfind(b"</body>")
    end = len(page) if end < 0 else end
    return page[:end] + script.encode() + page[end:]
