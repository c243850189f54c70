#!/usr/bin/env python3
"""The benchmark behind `make bench`: our build, side by side with the floor it replaces.

On the same input, in one run of this script:

  hand    pandoc --citeproc to standalone HTML, DOCX and EPUB, then pandoc | weasyprint for the
          PDF: four commands, one after another (the venv's pandoc and weasyprint);
  floor   a Python process that imports WeasyPrint and lays out the very HTML our PDF renderer
          hands to WeasyPrint, with the same options;
  ours    one cold `python -m editions build` of the four editions.

for the flagship and for long documents made of the flagship's body repeated 10 and 100 times
(generated under build/bench/, never under source/). Each run is timed in a fresh wrapper
process; a run's peak memory is getrusage(RUSAGE_CHILDREN).ru_maxrss of that wrapper: the
largest resident set of any one process of the run's tree (the wrapper is a child subreaper, so
even orphaned descendants are counted). Then Make (no-op, one edited publication, 20 small
publications at -j1 and -j2, in a copy of the project) and the live preview's refresh time.

Prints a table of medians and PASS/FAIL per target; writes build/bench/results.json.
Uses the standard library only.
"""

from __future__ import annotations

import argparse
import contextlib
import ctypes
import datetime as dt
import json
import os
import platform
import re
import resource
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "build" / "bench"
FLAGSHIP = "tccm-wsis20"
PYTHON = sys.executable
WEASYPRINT = str(Path(sys.executable).parent / "weasyprint")
FORMATS = ("html", "pdf", "docx", "epub")
# The environment `make` gives every build (see the Makefile); MAKEFLAGS and friends removed so
# that the makes run here never join the jobserver of a make that runs this script.
ENV = {
    **{k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")},
    "TZ": "UTC",
    "LC_ALL": "C.UTF-8",
    "PYTHONHASHSEED": "0",
    "PYTHONDONTWRITEBYTECODE": "1",
}
PR_SET_CHILD_SUBREAPER = 36
MIB = 1024 * 1024


# --- one timed run, in a fresh wrapper process ------------------------------------------------


def measure(steps: list[list[list[str]]], cwd: Path) -> dict[str, Any]:
    """Time steps (each a pipeline of commands, run one after another) in a fresh process."""
    spec = json.dumps({"steps": steps, "cwd": str(cwd)})
    result = subprocess.run(
        [PYTHON, __file__, "_measure", spec], capture_output=True, text=True, env=ENV, check=False
    )
    if result.returncode != 0:
        raise SystemExit(f"the timing wrapper failed: {result.stderr}")
    return json.loads(result.stdout)


def _measure_here(spec: dict[str, Any]) -> dict[str, Any]:
    # Orphans (e.g. a daemon a build leaves behind) are re-parented here and counted.
    ctypes.CDLL(None, use_errno=True).prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0)
    error = None
    started = time.perf_counter()
    for pipeline in spec["steps"]:
        error = _run_pipeline(pipeline, Path(spec["cwd"]))
        if error:
            break
    seconds = time.perf_counter() - started
    _reap_orphans()
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss * 1024
    return {"seconds": seconds, "peak_mib": peak / MIB, "ok": error is None, "error": error}


def _run_pipeline(commands: list[list[str]], cwd: Path) -> str | None:
    with contextlib.ExitStack() as files:
        errors = [files.enter_context(tempfile.TemporaryFile()) for _ in commands]
        return _run_pipeline_into(commands, cwd, errors)


def _run_pipeline_into(commands: list[list[str]], cwd: Path, errors: list[Any]) -> str | None:
    processes: list[subprocess.Popen[bytes]] = []
    stdin: Any = subprocess.DEVNULL
    for index, command in enumerate(commands):
        last = index == len(commands) - 1
        process = subprocess.Popen(
            command,
            cwd=cwd,
            stdin=stdin,
            stdout=subprocess.DEVNULL if last else subprocess.PIPE,
            stderr=errors[index],
        )
        if processes and processes[-1].stdout is not None:
            processes[-1].stdout.close()  # the reader holds the pipe now
        stdin = process.stdout if process.stdout is not None else subprocess.DEVNULL
        processes.append(process)
    for process, error in zip(processes, errors, strict=True):
        if process.wait() != 0:
            error.seek(0)
            tail = error.read().decode("utf-8", "replace").strip().splitlines()[-3:]
            return f"{Path(process.args[0]).name} exited {process.returncode}: {' | '.join(tail)}"
    return None


def _reap_orphans(seconds: float = 10.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            time.sleep(0.01)


# --- inputs -------------------------------------------------------------------------------


@dataclass
class Case:
    name: str
    source: Path  # the folder holding the publication
    slug: str
    runs: int
    warmups: int
    results: dict[str, list[dict[str, Any]]] = field(default_factory=dict)

    @property
    def folder(self) -> Path:
        return self.source / self.slug

    def out(self, variant: str) -> Path:
        return BENCH / "out" / self.name / variant


def repeated_master(text: str, times: int) -> str:
    """The master with its body (up to the References) repeated, headings and ids made unique.

    Copy k numbers its questions k.1, k.2 ..., suffixes every id and link target with -k, and
    only the last copy keeps the endorser list (its id must stay unique).
    """
    front = re.match(r"---\n.*?\n---\n", text, re.S)
    assert front, "the flagship has a metadata block"
    body = text[front.end() :]
    references = re.search(r"^# References\b", body, re.M)
    main, tail = (
        (body[: references.start()], body[references.start() :]) if references else (body, "")
    )
    endorsers = re.compile(r"^::: \{#endorsers[^}]*\}\n:::\n", re.M)
    copies = [
        numbered_copy(main if k == times else endorsers.sub("", main), k)
        for k in range(1, times + 1)
    ]
    head = re.sub(
        r"^title: (.*)$",
        lambda m: f"title: {m[1]} (body repeated {times} times)",
        text[: front.end()],
        count=1,
        flags=re.M,
    )
    return head + "".join(copies) + tail


def numbered_copy(text: str, k: int) -> str:
    def suffixed(match: re.Match[str]) -> str:
        return "{#" + (match[1] if match[1] == "endorsers" else f"{match[1]}-{k}")

    text = re.sub(r"\{#([\w-]+)", suffixed, text)
    text = re.sub(r"\]\(#([\w-]+)\)", lambda m: f"](#{m[1]}-{k})", text)
    text = re.sub(r"\[\^([^\]]+)\]", lambda m: f"[^{m[1]}-{k}]", text)
    return re.sub(r"^# \[(\d+)\.\]", lambda m: f"# [{k}.{m[1]}.]", text, flags=re.M)


def small_master(text: str, number: int) -> str:
    """A small publication: the flagship's first question, its endorsers and references."""
    front = re.match(r"---\n.*?\n---\n", text, re.S)
    assert front, "the flagship has a metadata block"
    body = text[front.end() :]
    second = re.search(r"^# \[2\.\]", body, re.M)
    endorsers = re.search(r"^The following .*$", body, re.M)
    assert second and endorsers, "the flagship has a second question and an endorser list"
    head = (
        f"---\ntitle: Small publication {number:02d}\nauthor: The Bench Coalition\n"
        f"date: 2025-02-05\nlang: en\n"
        f"identifier: urn:uuid:00000000-0000-4000-8000-{number:012d}\n---\n"
    )
    return head + body[: second.start()] + body[endorsers.start() :]


def write_publication(folder: Path, master: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "master.md").write_text(master, encoding="utf-8")
    for name in ("endorsers.yaml", "references.json"):
        shutil.copy2(ROOT / "source" / FLAGSHIP / name, folder / name)


def print_html(case: Case) -> tuple[Path, str, dict[str, Any]]:
    """Write the HTML our PDF renderer lays out; its base URL and WeasyPrint options."""
    target = BENCH / "floor" / f"{case.name}.html"
    target.parent.mkdir(parents=True, exist_ok=True)
    result = subprocess.run(
        [PYTHON, __file__, "_print_html", str(case.folder), str(target)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=ENV,
        check=False,
    )
    if result.returncode != 0:
        raise SystemExit(f"cannot capture the print HTML of {case.name}: {result.stderr}")
    captured = json.loads(result.stdout)
    return target, captured["base_url"], captured["options"]


def _capture_print_html(folder: Path, target: Path) -> dict[str, Any]:
    """Render the PDF edition once, recording what the renderer hands to WeasyPrint."""
    import weasyprint

    captured: dict[str, Any] = {}

    class RecordingHTML(weasyprint.HTML):
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            super().__init__(*args, **kwargs)
            if kwargs.get("string") is not None:
                target.write_text(kwargs["string"], encoding="utf-8")
            elif kwargs.get("filename") is not None:
                shutil.copyfile(kwargs["filename"], target)
            else:
                raise SystemExit("the PDF renderer passes its HTML in a way this bench cannot copy")
            captured["base_url"] = kwargs.get("base_url")

        def render(self, *args: Any, **options: Any) -> Any:
            defaults = weasyprint.DEFAULT_OPTIONS
            chosen = {k: v for k, v in options.items() if defaults.get(k, object()) != v}
            for key, value in chosen.items():
                if not isinstance(value, (str, bytes, bool, int, float, type(None))):
                    raise SystemExit(f"the bench cannot pass WeasyPrint option {key}={value!r}")
            captured["options"] = {k: repr(v) for k, v in chosen.items()}
            return super().render(*args, **options)

    weasyprint.HTML = RecordingHTML
    from editions.formats import renderer
    from editions.model.publication import load_publication

    with tempfile.TemporaryDirectory() as scratch:
        renderer("pdf").render(load_publication(folder), Path(scratch))
    return captured


# --- the three variants ---------------------------------------------------------------------


def hand_steps(case: Case) -> list[list[list[str]]]:
    from editions.adapters.pandoc import pandoc_path

    out = case.out("hand")
    pandoc = [pandoc_path(), "--citeproc", "--standalone", "master.md"]
    if (case.folder / "references.json").exists():
        pandoc.insert(2, "--bibliography=references.json")
    return [
        [[*pandoc, "--output", str(out / f"{case.slug}.html")]],
        [[*pandoc, "--output", str(out / f"{case.slug}.docx")]],
        [[*pandoc, "--output", str(out / f"{case.slug}.epub")]],
        [
            [*pandoc, "--to", "html5"],
            [WEASYPRINT, "--base-url", str(case.folder), "-", str(out / f"{case.slug}.pdf")],
        ],
    ]


def floor_steps(case: Case, html: Path, base_url: str, options: dict[str, str]) -> list[Any]:
    arguments = "".join(f", {key}={value}" for key, value in options.items())
    code = (
        "import weasyprint; "
        f"weasyprint.HTML(filename={str(html)!r}, base_url={base_url!r})"
        f".write_pdf({str(case.out('floor') / (case.slug + '.pdf'))!r}{arguments})"
    )
    return [[[PYTHON, "-c", code]]]


def our_steps(case: Case) -> list[Any]:
    build = ["-m", "editions", "build", case.slug, "--source", str(case.source)]
    return [[[PYTHON, *build, "--out", str(case.out("ours"))]]]


def run_case(case: Case) -> None:
    html, base_url, options = print_html(case)
    variants = {
        "hand": hand_steps(case),
        "floor": floor_steps(case, html, base_url, options),
        "ours": our_steps(case),
    }
    for variant in variants:
        shutil.rmtree(case.out(variant), ignore_errors=True)
        case.out(variant).mkdir(parents=True)
        case.results[variant] = []
    # Interleaved, so that a slow minute of the machine touches every variant alike.
    for run in range(case.warmups + case.runs):
        for variant, steps in variants.items():
            result = measure(steps, case.folder if variant == "hand" else ROOT)
            label = "warm-up" if run < case.warmups else f"run {run - case.warmups + 1}"
            state = "" if result["ok"] else f"  FAILED: {result['error']}"
            print(
                f"  {case.name:<9} {variant:<5} {label:<7} {result['seconds']:7.2f} s "
                f"{result['peak_mib']:6.0f} MiB{state}",
                flush=True,
            )
            if run >= case.warmups:
                case.results[variant].append(result)
    _check_outputs(case)


def _check_outputs(case: Case) -> None:
    """A run that wrote no edition does not count as a run."""
    for variant in case.results:
        folder = case.out(variant) / case.slug if variant == "ours" else case.out(variant)
        wanted = ("pdf",) if variant == "floor" else FORMATS
        missing = [f for f in wanted if not (folder / f"{case.slug}.{f}").is_file()]
        if missing:
            for result in case.results[variant]:
                result["ok"] = False
                result["error"] = result["error"] or f"no {', '.join(missing)} written"


def summary(results: list[dict[str, Any]]) -> dict[str, Any]:
    ok = bool(results) and all(r["ok"] for r in results)
    return {
        "ok": ok,
        "seconds": statistics.median(r["seconds"] for r in results) if results else None,
        "peak_mib": statistics.median(r["peak_mib"] for r in results) if results else None,
        "max_peak_mib": max(r["peak_mib"] for r in results) if results else None,
        "runs": results,
    }


# --- Make: no-op, one edited publication, many publications -----------------------------------


def project_copy(folder: Path) -> Path:
    """A copy of the project (its own source/ and build/) that borrows the venv's packages."""
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc")
    for name in ("Makefile", "pyproject.toml", "requirements.lock", "requirements-test.lock"):
        shutil.copy2(ROOT / name, folder / name)
    for name in ("scripts", "editions", "templates"):
        shutil.copytree(ROOT / name, folder / name, ignore=ignore)
    flagship = (ROOT / "source" / FLAGSHIP / "master.md").read_text(encoding="utf-8")
    for number in range(1, 21):
        write_publication(folder / "source" / f"small-{number:02d}", small_master(flagship, number))
    _borrowed_venv(folder / ".venv")
    planned = subprocess.run(
        ["make", "-n", "all"], cwd=folder, capture_output=True, text=True, env=ENV, check=True
    ).stdout
    if "pip" in planned or "system-deps" in planned:
        raise SystemExit(f"make in the copy would reinstall the venv; stopped:\n{planned}")
    return folder


def _borrowed_venv(venv: Path) -> None:
    """A venv of the copy's own whose packages are the project's (symbolic links).

    Its install stamp is fresh, so the copy's Makefile never reinstalls anything: an editable
    install from the copy would point the shared venv's `editions` at the copy.
    """
    real = ROOT / ".venv"
    (venv / "bin").mkdir(parents=True)
    shutil.copy2(real / "pyvenv.cfg", venv / "pyvenv.cfg")
    (venv / "lib").symlink_to(real / "lib")
    (venv / "bin" / "python").symlink_to(real / "bin" / "python")
    (venv / ".installed").touch()


def timed_make(project: Path, *args: str) -> tuple[float, str]:
    started = time.perf_counter()
    result = subprocess.run(
        ["make", "--no-print-directory", *args],
        cwd=project,
        capture_output=True,
        text=True,
        env=ENV,
        check=False,
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        raise SystemExit(f"make {' '.join(args)} failed in {project}:\n{result.stderr}")
    return seconds, result.stdout + result.stderr


def editions_state(project: Path) -> dict[str, int]:
    return {
        str(p.relative_to(project)): p.stat().st_mtime_ns for p in (project / "build").rglob("*.*")
    }


def run_make(rounds: int) -> dict[str, Any]:
    project = project_copy(BENCH / "project")
    print(f"  Make, in a copy of the project with 20 small publications: {project}", flush=True)
    serial, parallel = [], []
    for _ in range(rounds):
        for jobs, times in (("-j1", serial), ("-j2", parallel)):
            shutil.rmtree(project / "build", ignore_errors=True)
            seconds, _ = timed_make(project, jobs, "all")
            times.append(seconds)
            print(f"  make {jobs} all (20 publications, cold) {seconds:7.2f} s", flush=True)
    before = editions_state(project)
    noop = []
    for _ in range(5):
        seconds, _output = timed_make(project, "all")
        noop.append(seconds)
    unchanged = editions_state(project) == before
    print(f"  make all, nothing changed: {statistics.median(noop):.3f} s (median of 5)", flush=True)
    master = project / "source" / "small-07" / "master.md"
    master.write_text(master.read_text(encoding="utf-8") + "\nOne more sentence.\n")
    edit_seconds, _ = timed_make(project, "all")
    after = editions_state(project)
    rebuilt = sorted(name for name, mtime in after.items() if before.get(name) != mtime)
    expected = sorted(f"build/small-07/small-07.{f}" for f in FORMATS)
    print(f"  make all after editing small-07: {edit_seconds:.2f} s, rebuilt {rebuilt}", flush=True)
    return {
        "publications": 20,
        "j1_seconds": statistics.median(serial),
        "j2_seconds": statistics.median(parallel),
        "j1_runs": serial,
        "j2_runs": parallel,
        "noop_seconds": statistics.median(noop),
        "noop_runs": noop,
        "noop_left_editions_alone": unchanged,
        "edit_seconds": edit_seconds,
        "rebuilt_after_edit": rebuilt,
        "only_the_edited_publication": rebuilt == expected,
    }


def _check_shared_venv() -> None:
    """The venv's `editions` must still be this checkout (see _borrowed_venv)."""
    found = subprocess.run(
        [PYTHON, "-c", "import editions; print(editions.__file__)"],
        cwd=tempfile.gettempdir(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    if not Path(found).is_relative_to(ROOT / "editions"):
        raise SystemExit(f"the venv's editions now points at {found}: reinstall it (make)")


# --- the live preview -------------------------------------------------------------------------


class Preview:
    """`python -m editions serve` on a copy of the flagship."""

    def __init__(self, folder: Path, format_name: str) -> None:
        shutil.rmtree(folder, ignore_errors=True)
        shutil.copytree(ROOT / "source" / FLAGSHIP, folder / "source" / FLAGSHIP)
        self.master = folder / "source" / FLAGSHIP / "master.md"
        self.process = subprocess.Popen(
            [
                PYTHON,
                "-m",
                "editions",
                "serve",
                FLAGSHIP,
                "--format",
                format_name,
                "--source",
                str(folder / "source"),
                "--out",
                str(folder / "build"),
            ],
            cwd=ROOT,
            env=ENV,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            # SIGINT as in a terminal, even when the bench runs in a background job.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        assert self.process.stdout is not None
        for line in self.process.stdout:
            if line.startswith("serving "):
                self.url = line.split()[1]
                self.base = self.url[: self.url.index("/", len("http://"))]
                return
        raise SystemExit(f"the preview did not start: {self.process.communicate()[1]}")

    def get(self, path: str) -> str:
        with urllib.request.urlopen(self.base + path, timeout=10) as response:
            return response.read().decode("utf-8", "replace")

    def build_number(self) -> int:
        return json.loads(self.get("/__editions/build"))["build"]

    def refresh_seconds(self, number: int, page: str | None) -> float:
        """Save an edit; the time until the server serves it (page) or has written it."""
        text = self.master.read_text(encoding="utf-8")
        marker = re.search(r"TCCM (\(edit \d+\) )?is made up", text)
        assert marker, "the flagship's second paragraph"
        edited = text.replace(marker[0], f"TCCM (edit {number}) is made up", 1)
        build = self.build_number()
        started = time.perf_counter()
        self.master.write_text(edited, encoding="utf-8")
        while self.build_number() == build:
            if time.perf_counter() - started > 120:
                raise SystemExit("the preview did not rebuild within two minutes")
            time.sleep(0.005)
        if page is not None:
            while f"(edit {number})" not in self.get(page):
                time.sleep(0.005)
        return time.perf_counter() - started

    def stop(self) -> int:
        self.process.send_signal(signal.SIGINT)
        self.process.communicate(timeout=60)
        return self.process.returncode


def run_serve(edits: int) -> dict[str, Any]:
    results: dict[str, Any] = {}
    for format_name, count in (("html", edits), ("pdf", max(3, edits // 3))):
        preview = Preview(BENCH / "serve" / format_name, format_name)
        page = preview.url.removeprefix(preview.base) if format_name == "html" else None
        preview.refresh_seconds(0, page)  # warm-up
        times = [preview.refresh_seconds(n, page) for n in range(1, count + 1)]
        code = preview.stop()
        results[format_name] = {
            "seconds": statistics.median(times),
            "runs": times,
            "exit_code_after_ctrl_c": code,
        }
        print(
            f"  serve --format {format_name}: refreshed in {statistics.median(times):.3f} s "
            f"(median of {count} saves), Ctrl-C exit code {code}",
            flush=True,
        )
    return results


# --- the report -----------------------------------------------------------------------------


@dataclass
class Target:
    name: str
    measured: str
    limit: str
    passed: bool


def at_most(name: str, value: float | None, limit: float, unit: str, digits: int = 2) -> Target:
    measured = "not measured (a run failed)" if value is None else f"{value:.{digits}f}{unit}"
    return Target(
        name, measured, f"≤ {limit:.{digits}f}{unit}", value is not None and value <= limit
    )


def targets(
    cases: dict[str, dict[str, Any]], make: dict[str, Any] | None, serve: dict[str, Any] | None
) -> list[Target]:
    def ratio(case: str, a: str, b: str) -> float | None:
        one, two = cases[case][a], cases[case][b]
        return one["seconds"] / two["seconds"] if one["ok"] and two["ok"] else None

    found = []
    if "flagship" in cases:
        found.append(
            at_most("flagship, cold, ours / hand", ratio("flagship", "ours", "hand"), 0.75, "×")
        )
        found.append(
            at_most("flagship, cold, ours / floor", ratio("flagship", "ours", "floor"), 1.15, "×")
        )
    if "100×" in cases:
        ours = cases["100×"]["ours"]
        found.append(at_most("100×, ours / hand", ratio("100×", "ours", "hand"), 0.85, "×"))
        peak = ours["max_peak_mib"] if ours["ok"] else None
        found.append(at_most("100×, ours' peak memory (largest run)", peak, 600, " MiB", 0))
        if "10×" in cases:
            small = cases["10×"]["ours"]
            growth = ours["seconds"] / small["seconds"] if ours["ok"] and small["ok"] else None
            found.append(at_most("ours' time from 10× to 100× grows by", growth, 10.5, "×"))
    if make:
        found.append(at_most("make all with nothing changed", make["noop_seconds"], 0.3, " s", 3))
        rebuilt = make["rebuilt_after_edit"]
        found.append(
            Target(
                "after editing one publication, only its editions are rebuilt",
                f"rebuilt {len(rebuilt)}: {', '.join(Path(r).name for r in rebuilt) or 'none'}",
                "its 4 editions only",
                make["only_the_edited_publication"],
            )
        )
        speedup = make["j1_seconds"] / make["j2_seconds"]
        found.append(
            Target(
                "20 small publications, make -j2 faster than make -j1 by",
                f"{speedup:.2f}×",
                "≥ 1.60×",
                speedup >= 1.6,
            )
        )
    if serve:
        found.append(
            at_most(
                "serve, HTML served after a save (median)", serve["html"]["seconds"], 0.3, " s", 3
            )
        )
    return found


def machine() -> dict[str, Any]:
    cpu = "unknown"
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    memory = 0
    for line in Path("/proc/meminfo").read_text().splitlines():
        if line.startswith("MemTotal:"):
            memory = int(line.split()[1]) * 1024
    versions = subprocess.run(
        [PYTHON, "-c", VERSIONS], capture_output=True, text=True, cwd=ROOT, env=ENV, check=True
    )
    return {
        "cpu": cpu,
        "cores": len(os.sched_getaffinity(0)),
        "memory_gib": round(memory / 1024**3, 1),
        "system": f"{platform.system()} {platform.release()}",
        **json.loads(versions.stdout),
    }


VERSIONS = """
import json, platform, weasyprint
from editions.adapters.pandoc import pandoc_version
print(json.dumps({"python": platform.python_version(), "pandoc": pandoc_version(),
                  "weasyprint": weasyprint.__version__}))
"""


def load_average() -> float:
    return float(Path("/proc/loadavg").read_text().split()[0])


def wait_for_quiet(limit: float, minutes: float) -> None:
    deadline = time.monotonic() + minutes * 60
    while load_average() >= limit and time.monotonic() < deadline:
        print(f"  load average {load_average():.2f} ≥ {limit}: waiting a minute", flush=True)
        time.sleep(60)


def table(cases: dict[str, dict[str, Any]]) -> list[str]:
    def cell(entry: dict[str, Any] | None, key: str, spec: str) -> str:
        if not entry or entry.get(key) is None:
            return "—"
        return format(entry[key], spec) + ("" if entry["ok"] else "!")

    def ratio(a: dict[str, Any], b: dict[str, Any]) -> str:
        if not a["ok"] or not b["ok"]:
            return "—"
        return f"{a['seconds'] / b['seconds']:.2f}×"

    lines = [
        f"{'case':<9} {'hand s':>8} {'floor s':>8} {'ours s':>8} {'hand MiB':>9} "
        f"{'floor MiB':>10} {'ours MiB':>9} {'ours/hand':>10} {'ours/floor':>11}"
    ]
    for name, entry in cases.items():
        hand, floor, ours = entry["hand"], entry["floor"], entry["ours"]
        lines.append(
            f"{name:<9} {cell(hand, 'seconds', '8.2f')} {cell(floor, 'seconds', '8.2f')} "
            f"{cell(ours, 'seconds', '8.2f')} {cell(hand, 'peak_mib', '9.0f')} "
            f"{cell(floor, 'peak_mib', '10.0f')} {cell(ours, 'peak_mib', '9.0f')} "
            f"{ratio(ours, hand):>10} {ratio(ours, floor):>11}"
        )
    return lines


def growth_line(cases: dict[str, dict[str, Any]]) -> str | None:
    if "10×" not in cases or "100×" not in cases:
        return None
    parts = []
    for variant in ("hand", "floor", "ours"):
        small, large = cases["10×"][variant], cases["100×"][variant]
        if small["ok"] and large["ok"]:
            parts.append(f"{variant} {large['seconds'] / small['seconds']:.2f}×")
    return "time from 10× to 100×: " + ", ".join(parts)


# --- main -----------------------------------------------------------------------------------


def main() -> int:
    options = _arguments()
    if options.report:
        results = json.loads((BENCH / "results.json").read_text(encoding="utf-8"))
    else:
        results = measure_everything(options)
    checked = targets(results["cases"], results["make"], results["serve"])
    report = _report(results, checked)
    results["targets"] = [t.__dict__ for t in checked]
    results["report"] = report
    _save(results)
    print("\n" + "\n".join(report), flush=True)
    print(f"\nresults: {BENCH / 'results.json'}")
    return 1 if options.strict and not all(t.passed for t in checked) else 0


def measure_everything(options: argparse.Namespace) -> dict[str, Any]:
    BENCH.mkdir(parents=True, exist_ok=True)
    compile_bytecode()
    if options.wait_quiet:
        wait_for_quiet(0.5, options.wait_quiet)
    results: dict[str, Any] = {
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "machine": machine(),
        "load_average_before": Path("/proc/loadavg").read_text().split()[:3],
        "cases": {},
        "make": None,
        "serve": None,
    }
    about = results["machine"]
    flagship_text = (ROOT / "source" / FLAGSHIP / "master.md").read_text(encoding="utf-8")
    cases = [Case("flagship", ROOT / "source", FLAGSHIP, options.runs, options.warmups)]
    for times, runs, warmups in ((10, options.runs, options.warmups), (100, options.long_runs, 0)):
        if times == 100 and options.skip_long:
            continue
        slug = f"{FLAGSHIP}-x{times}"
        write_publication(BENCH / "source" / slug, repeated_master(flagship_text, times))
        cases.append(Case(f"{times}×", BENCH / "source", slug, runs, warmups))
    results["runs"] = {c.name: {"runs": c.runs, "warmups": c.warmups} for c in cases}
    print(
        f"editions benchmark: {about['cpu']}, {about['cores']} cores, {about['memory_gib']} GiB; "
        f"Python {about['python']}, pandoc {about['pandoc']}, WeasyPrint {about['weasyprint']}",
        flush=True,
    )
    print(f"load average before: {' '.join(results['load_average_before'])}", flush=True)
    for case in cases:
        run_case(case)
        results["cases"][case.name] = {v: summary(r) for v, r in case.results.items()}
        _save(results)  # a later failure keeps what was measured
    if not options.skip_make:
        results["make"] = run_make(options.make_rounds)
        _save(results)
    _check_shared_venv()
    if not options.skip_serve:
        results["serve"] = run_serve(options.serve_edits)
    results["load_average_after"] = Path("/proc/loadavg").read_text().split()[:3]
    return results


def compile_bytecode() -> None:
    """Compile the package's bytecode once, as pip does for an installed package: the runs
    themselves write none (PYTHONDONTWRITEBYTECODE), so without it every run of ours would
    compile the package again, where pandoc's and WeasyPrint's Python comes compiled."""
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(ROOT / "editions")], env=ENV, check=True)


def _save(results: dict[str, Any]) -> None:
    text = json.dumps(results, indent=2, ensure_ascii=False) + "\n"
    (BENCH / "results.json").write_text(text, encoding="utf-8")


def _report(results: dict[str, Any], checked: list[Target]) -> list[str]:
    about, cases = results["machine"], results["cases"]
    make, serve = results["make"], results["serve"]
    lines = [
        f"machine: {about['cpu']}, {about['cores']} cores, {about['memory_gib']} GiB, "
        f"{about['system']}; Python {about['python']}, pandoc {about['pandoc']}, "
        f"WeasyPrint {about['weasyprint']}",
        f"load average (1, 5, 15 min) before {' '.join(results['load_average_before'])}, "
        f"after {' '.join(results.get('load_average_after', ['?']))}",
        "medians of "
        + "; ".join(
            f"{name}: {n['runs']} run(s) after {n['warmups']} warm-up(s)"
            for name, n in results["runs"].items()
        )
        + " (each variant's runs interleaved)",
        "MiB: the largest process of a run (ru_maxrss); !: a run failed",
        "",
        *table(cases),
    ]
    growth = growth_line(cases)
    if growth:
        lines.append(growth)
    if make:
        lines.append(
            f"make, 20 small publications, cold: -j1 {make['j1_seconds']:.2f} s, "
            f"-j2 {make['j2_seconds']:.2f} s ({make['j1_seconds'] / make['j2_seconds']:.2f}×); "
            f"no-op {make['noop_seconds']:.3f} s; after one edit {make['edit_seconds']:.2f} s"
        )
    if serve:
        lines.append(
            f"serve: HTML served {serve['html']['seconds']:.3f} s after a save "
            f"(median of {len(serve['html']['runs'])}); PDF rewritten "
            f"{serve['pdf']['seconds']:.2f} s after a save (warm, median of "
            f"{len(serve['pdf']['runs'])})"
        )
    lines.append("")
    for target in checked:
        verdict = "PASS" if target.passed else "FAIL"
        lines.append(f"{verdict}  {target.name}: {target.measured} (target {target.limit})")
    return lines


def _arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", type=int, default=3, help="timed runs, flagship and 10×")
    parser.add_argument("--warmups", type=int, default=1, help="warm-up runs, flagship and 10×")
    parser.add_argument("--long-runs", type=int, default=1, help="timed runs of the 100× case")
    parser.add_argument("--skip-long", action="store_true", help="leave out the 100× case")
    parser.add_argument("--make-rounds", type=int, default=1, help="cold -j1/-j2 builds each")
    parser.add_argument("--skip-make", action="store_true")
    parser.add_argument("--serve-edits", type=int, default=9, help="timed saves in the preview")
    parser.add_argument("--skip-serve", action="store_true")
    parser.add_argument(
        "--wait-quiet",
        type=float,
        default=0,
        metavar="MINUTES",
        help="first wait (up to MINUTES) for a load average below 0.5",
    )
    parser.add_argument("--strict", action="store_true", help="exit 1 if a target fails")
    parser.add_argument(
        "--report", action="store_true", help="print the report of the last results.json again"
    )
    return parser.parse_args()


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "_measure":
        print(json.dumps(_measure_here(json.loads(sys.argv[2]))))
    elif len(sys.argv) > 1 and sys.argv[1] == "_print_html":
        print(json.dumps(_capture_print_html(Path(sys.argv[2]), Path(sys.argv[3]))))
    else:
        sys.exit(main())
