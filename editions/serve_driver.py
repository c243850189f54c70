"""The live preview driven from outside, as an author drives it: start `python -m editions
serve`, read the address it prints, ask its build number, save, stop it with Ctrl-C.

The tests and the bench (scripts/bench.py) both drive the preview through this.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from editions.formats import BY_NAME
from editions.serve import STATUS

STARTUP_SECONDS = 60.0


@dataclass
class RunningPreview:
    process: subprocess.Popen[str]
    url: str  # the page the preview prints
    base: str  # http://127.0.0.1:PORT
    master: Path  # the master it watches
    edition: Path  # the edition it writes

    @classmethod
    def start(
        cls,
        source: Path,
        out: Path,
        slug: str,
        format_name: str = "html",
        env: Mapping[str, str] | None = None,
    ) -> RunningPreview:
        """The preview of source/slug, built into out; returns once it serves."""
        process = launch(source, out, slug, format_name=format_name, env=env)
        url = _served_url(process)
        edition = out / slug / f"{slug}{BY_NAME[format_name].suffix}"
        base = url[: url.index("/", len("http://"))]
        return cls(process, url, base, source / slug / "master.md", edition)

    @property
    def page(self) -> str:
        """The path of the page it prints, on its server."""
        return self.url.removeprefix(self.base)

    def get(self, path: str, timeout: float = 10) -> str:
        with urllib.request.urlopen(self.base + path, timeout=timeout) as response:
            return response.read().decode("utf-8", "replace")

    def status(self) -> dict[str, object]:
        """{"build": the last good build's number, "error": the last error or None}."""
        return json.loads(self.get(STATUS))

    def stop(self, timeout: float = 60) -> tuple[str, str]:
        """Ctrl-C, then what it printed (stdout, stderr)."""
        self.process.send_signal(signal.SIGINT)
        return self.process.communicate(timeout=timeout)

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
            self.process.communicate()


def launch(
    source: Path,
    out: Path,
    *slugs: str,
    format_name: str = "html",
    env: Mapping[str, str] | None = None,
) -> subprocess.Popen[str]:
    """`python -m editions serve` of slugs (every publication if none), its output piped; env,
    if given, is its whole environment."""
    command = [sys.executable, "-m", "editions", "serve", *slugs, "--format", format_name]
    return subprocess.Popen(
        [*command, "--source", str(source), "--out", str(out)],
        env=dict(env) if env is not None else os.environ.copy(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        preexec_fn=_answer_ctrl_c,
    )


def _answer_ctrl_c() -> None:
    """In the child: SIGINT as in a terminal, even when run from a background job (which
    ignores it, and Python then keeps ignoring it)."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def _served_url(process: subprocess.Popen[str]) -> str:
    deadline = time.monotonic() + STARTUP_SECONDS
    assert process.stdout is not None
    while time.monotonic() < deadline:
        line = process.stdout.readline()
        if line.startswith("serving "):
            return line.split()[1]
        if not line and process.poll() is not None:
            break
    process.kill()
    _, err = process.communicate()
    raise RuntimeError(f"the preview did not start: {err}")
