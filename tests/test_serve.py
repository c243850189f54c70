"""The live preview: serves the HTML edition on loopback, rebuilds on save, stops on Ctrl-C."""

from __future__ import annotations

import json
import os
import shutil
import signal
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from editions.paths import TEMPLATES
from editions.serve_driver import RunningPreview as Preview
from editions.serve_driver import launch

from publications import copy_fixture, edit

pytestmark = pytest.mark.slow

FLAGSHIP = "tccm-wsis20"
STARTUP_SECONDS = 30.0
REBUILD_SECONDS = 10.0


def wait_until(condition: Callable[[], bool], seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return False


@pytest.fixture
def preview(tmp_path: Path) -> Iterator[Preview]:
    source = tmp_path / "source"
    copy_fixture(source / FLAGSHIP, FLAGSHIP)
    # The templates too are a copy, for a test to edit.
    templates = shutil.copytree(TEMPLATES, tmp_path / "templates")
    env = {**os.environ, "EDITIONS_TEMPLATES": str(templates)}
    running = Preview.start(source, tmp_path / "build", FLAGSHIP, env=env)
    try:
        yield running
    finally:
        running.kill()


def listening_addresses(port: int) -> list[str]:
    """The local addresses of the sockets listening on port (IPv4 and IPv6), from /proc."""
    found = []
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for row in Path(table).read_text().splitlines()[1:]:
            local, state = row.split()[1], row.split()[3]
            address, port_hex = local.split(":")
            if state == "0A" and int(port_hex, 16) == port:
                found.append(address)
    return found


def test_the_preview_serves_rebuilds_on_save_and_stops_on_ctrl_c(preview: Preview):
    port = int(preview.base.rsplit(":", 1)[1])
    assert preview.base.startswith("http://127.0.0.1:")
    assert listening_addresses(port) == ["0100007F"]  # 127.0.0.1, and nothing else

    page = preview.get(preview.page)
    assert "Technical Community Coalition for Multistakeholderism" in page
    assert "EventSource" in page  # the reload script, in the served page ...
    written = preview.edition.read_text(encoding="utf-8")
    assert "EventSource" not in written and "<script" not in written  # ... never in the file
    first_build = preview.status()["build"]
    assert first_build == 1

    text = preview.master.read_text(encoding="utf-8")
    edited = text.replace(
        "TCCM is made up of members", "TCCM, freshly edited, is made up of members"
    )
    assert edited != text
    preview.master.write_text(edited, encoding="utf-8")
    assert wait_until(lambda: "freshly edited" in preview.get("/"), REBUILD_SECONDS)
    assert preview.status() == {"build": 2, "error": None}
    assert "freshly edited" in preview.edition.read_text(encoding="utf-8")

    out, err = preview.stop(timeout=15)
    assert preview.process.returncode == 0, err
    assert "Traceback" not in err
    assert out.strip().endswith("stopped")
    assert listening_addresses(port) == []


def test_a_failed_rebuild_prints_one_line_and_keeps_the_last_good_edition(preview: Preview):
    good = preview.get("/")
    preview.master.write_text(
        preview.master.read_text(encoding="utf-8").replace("[@itu-ff-2024]", "[@no-such-key]"),
        encoding="utf-8",
    )
    assert wait_until(lambda: preview.status()["error"] is not None, REBUILD_SECONDS)
    status = preview.status()
    assert status["build"] == 1
    assert "unknown citation key: @no-such-key" in str(status["error"])
    assert preview.get("/") == good  # still served, unchanged

    _out, err = preview.stop(timeout=15)
    assert preview.process.returncode == 0
    errors = [line for line in err.splitlines() if line.strip()]
    assert len(errors) == 1 and errors[0].startswith("error: ") and "no-such-key" in errors[0]


def test_the_event_stream_announces_each_build(preview: Preview):
    with urllib.request.urlopen(preview.base + "/__editions/events", timeout=10) as events:
        assert events.headers["Content-Type"] == "text/event-stream"
        assert json.loads(events.readline().decode().removeprefix("data: ")) == {
            "build": 1,
            "error": None,
        }
        events.readline()  # the blank line ending the event
        preview.master.write_text(
            preview.master.read_text(encoding="utf-8") + "\nOne more paragraph.\n",
            encoding="utf-8",
        )
        line = events.readline().decode()
        while line.startswith(":") or not line.strip():  # keep-alive comments
            line = events.readline().decode()
        assert json.loads(line.removeprefix("data: ")) == {"build": 2, "error": None}
    preview.stop(timeout=15)
    assert preview.process.returncode == 0


def test_a_missing_page_waits_for_a_build_instead_of_failing(preview: Preview):
    with pytest.raises(urllib.error.HTTPError) as missing:
        preview.get("/nonesuch/nonesuch.html")
    assert missing.value.code == 404
    assert "EventSource" in missing.value.read().decode()
    preview.stop(timeout=15)


def test_a_terminate_stops_the_preview_as_ctrl_c_does(preview: Preview):
    preview.process.terminate()
    out, err = preview.process.communicate(timeout=15)
    assert preview.process.returncode == 0, err
    assert out.strip().endswith("stopped") and "Traceback" not in err


def test_a_save_of_the_stylesheet_or_the_template_is_served(preview: Preview):
    """The preview's process outlives the saves: neither file may be read only once."""
    templates = preview.master.parents[2] / "templates"
    page = preview.page
    assert "rebuilt-stylesheet" not in preview.get(page)
    with (templates / "html" / "screen.css").open("a", encoding="utf-8") as css:
        css.write("\n.rebuilt-stylesheet { color: teal; }\n")
    assert wait_until(lambda: "rebuilt-stylesheet" in preview.get(page), REBUILD_SECONDS)
    edit(templates / "html" / "page.html.j2", "</body>", "<p>rebuilt-template</p>\n</body>")
    assert wait_until(lambda: "rebuilt-template" in preview.get(page), REBUILD_SECONDS)
    assert "rebuilt-stylesheet" in preview.get(page)
    assert preview.status() == {"build": 3, "error": None}
    preview.stop(timeout=15)
    assert preview.process.returncode == 0


def test_a_preview_of_several_publications_prints_every_url(tmp_path: Path):
    source = tmp_path / "source"
    for slug in ("alpha", "beta"):
        copy_fixture(source / slug)
        edit(source / slug / "master.md", "A minimal publication", f"Publication {slug}")
    process = launch(source, tmp_path / "build")
    try:
        assert process.stdout is not None
        lines = []
        deadline = time.monotonic() + STARTUP_SECONDS
        while not lines or not lines[-1].startswith("watching "):
            assert time.monotonic() < deadline and process.poll() is None, lines
            lines.append(process.stdout.readline())
        urls = [line.split()[1] for line in lines if line.startswith("serving ")]
        assert [url.rsplit("/", 2)[1:] for url in urls] == [
            ["alpha", "alpha.html"],
            ["beta", "beta.html"],
        ]
        for url, slug in zip(urls, ("alpha", "beta"), strict=True):
            with urllib.request.urlopen(url, timeout=5) as response:
                assert f"Publication {slug}" in response.read().decode("utf-8")
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=15)
        assert process.returncode == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.communicate()
