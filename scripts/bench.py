#!/usr/bin/env python3
"""The benchmark behind `make bench`: our build beside the floor it replaces, Make, the preview.

Each run timed in a fresh process (scripts/timed_run.py), on the same input: the flagship, and
its body repeated 10 and 100 times (written under build/bench/):

  hand    pandoc --citeproc to each edition, the PDF by pandoc | weasyprint, one after another;
  floor   Python importing WeasyPrint and laying out our print markup (PdfRenderer.markup)
          with our options: no build of our PDF can be faster;
  ours    one cold `python -m editions build` of every edition.

Then Make in a copy of the project (no-op, one edit, 20 small publications at -j1 and -j2), and
the live preview, driven as the tests drive it (editions/serve_driver.py). The targets are the
table TARGETS. Writes build/bench/results.json and results.md; a run of every part also
rewrites docs/bench/latest.md, the copy the README links to.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import operator
import os
import platform
import re
import shlex
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from editions.adapters.pandoc import pandoc_path, pandoc_version
from editions.build import PRINT
from editions.formats import FORMATS
from editions.formats.pdf.renderer import PdfRenderer, pdf_identifier
from editions.model.publication import load_publication
from editions.serve_driver import RunningPreview

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "build" / "bench"
LATEST = ROOT / "docs" / "bench" / "latest.md"
FLAGSHIP = "tccm-wsis20"
PYTHON = sys.executable
# The environment `make` gives every build; without MAKEFLAGS, so that the makes run here never
# join the jobserver of the make that runs this script.
ENV = {
    **{k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")},
    **{"TZ": "UTC", "LC_ALL": "C.UTF-8", "PYTHONHASHSEED": "0", "PYTHONDONTWRITEBYTECODE": "1"},
}
Results = Mapping[str, Any]


# --- the targets ------------------------------------------------------------------------------


@dataclass(frozen=True)
class Target:
    name: str
    measure: str  # a key of measures()
    comparison: str  # a key of COMPARISONS
    limit: float
    unit: str = "×"
    digits: int = 2


COMPARISONS = {"<=": ("≤", operator.le), ">=": ("≥", operator.ge), "==": ("=", operator.eq)}
TARGETS = (
    # name, a key of measures(), comparison, limit, unit, digits shown
    Target("flagship, cold, ours / hand", "flagship ours/hand", "<=", 0.75),
    Target("flagship, cold, ours / floor", "flagship ours/floor", "<=", 1.15),
    Target("100×, ours / hand", "100× ours/hand", "<=", 0.85),
    Target("100×, ours' peak memory (largest run)", "100× ours peak MiB", "<=", 600, " MiB", 0),
    Target("ours' time from 10× to 100× grows by", "ours 10× to 100×", "<=", 10.5),
    Target("make all with nothing changed", "make no-op s", "<=", 0.3, " s", 3),
    Target("after one edit, editions rebuilt amiss", "make rebuilt amiss", "==", 0, "", 0),
    Target("20 small publications, make -j2 faster than -j1 by", "make -j1/-j2", ">=", 1.6),
    Target("serve, HTML served after a save (median)", "serve html s", "<=", 0.3, " s", 3),
)


Verdict = tuple[str, str]  # PASS, FAIL or SKIP (the part was not run); the line to print


def check(measured: Mapping[str, float | None]) -> list[Verdict]:
    """Each target against the measures; a value of None (a run failed) fails."""
    verdicts = []
    for t in TARGETS:
        symbol, passes = COMPARISONS[t.comparison]
        value, limit = measured.get(t.measure), f"{symbol} {t.limit:.{t.digits}f}{t.unit}"
        shown = "a run failed" if value is None else f"{value:.{t.digits}f}{t.unit}"
        state = "PASS" if value is not None and passes(value, t.limit) else "FAIL"
        if t.measure not in measured:
            state, shown = "SKIP", "not run"
        verdicts.append((state, f"{state}  {t.name}: {shown} (target {limit})"))
    return verdicts


def measures(results: Results) -> dict[str, float | None]:
    """The targets' values, and the rest worth a line; a part not run leaves its keys out."""
    cases, found = results["cases"], {}
    for name, c in cases.items():
        found[f"{name} ours/hand"] = ratio(c["ours"], c["hand"])
        found[f"{name} ours/floor"] = ratio(c["ours"], c["floor"])
    if "100×" in cases:
        ours = cases["100×"]["ours"]
        found["100× ours peak MiB"] = ours["max_peak_mib"] if ours["ok"] else None
        for v in ("hand", "floor", "ours"):
            found[f"{v} 10× to 100×"] = ratio(cases["100×"][v], cases["10×"][v])
    if make := results.get("make"):
        found |= {f"make {k} s": make[f"{k}_seconds"] for k in ("j1", "j2", "edit")}
        found["make no-op s"] = make["noop_seconds"]
        # Rebuilt though not edited, or edited but not rebuilt.
        found["make rebuilt amiss"] = len({*make["rebuilt_after_edit"]} ^ {*make["edited"]})
        found["make -j1/-j2"] = make["j1_seconds"] / make["j2_seconds"]
    if serve := results.get("serve"):
        found["serve html s"] = serve["html"]["seconds"]
        found["serve pdf (written) s"] = serve["pdf"]["seconds"]
    return found


def ratio(a: Results, b: Results) -> float | None:
    return a["seconds"] / b["seconds"] if a["ok"] and b["ok"] else None


# --- the cases: the flagship, 10× and 100× ----------------------------------------------------


@dataclass(frozen=True)
class Case:
    name: str
    source: Path  # the folder holding the publication
    slug: str
    runs: int
    warmups: int

    @property
    def folder(self) -> Path:
        return self.source / self.slug

    def out(self, variant: str) -> Path:
        return BENCH / "out" / self.name / variant


def cases(options: argparse.Namespace) -> list[Case]:
    found = [Case("flagship", ROOT / "source", FLAGSHIP, options.runs, options.warmups)]
    flagship = (ROOT / "source" / FLAGSHIP / "master.md").read_text(encoding="utf-8")
    for times in (10,) if options.quick else (10, 100):
        slug = f"{FLAGSHIP}-x{times}"
        write_publication(BENCH / "source" / slug, repeated_master(flagship, times))
        runs, warmups = (options.runs, options.warmups) if times == 10 else (options.long_runs, 0)
        found.append(Case(f"{times}×", BENCH / "source", slug, runs, warmups))
    return found


def repeated_master(text: str, times: int) -> str:
    """The body up to the References repeated: copy k numbers its questions k.1, k.2 ...,
    suffixes ids, links and notes with -k; only the last keeps the endorsers (one id)."""
    head, body = split_master(text)
    head = re.sub(r"^(title: .*)$", rf"\1 (body repeated {times} times)", head, count=1, flags=re.M)
    end = match.start() if (match := re.search(r"^# References\b", body, re.M)) else len(body)
    no_endorsers = re.sub(r"^::: \{#endorsers[^}]*\}\n:::\n", "", body[:end], flags=re.M)
    copies = [numbered_copy(no_endorsers, k) for k in range(1, times)]
    return head + "".join(copies) + numbered_copy(body[:end], times) + body[end:]


def numbered_copy(text: str, k: int) -> str:
    text = re.sub(r"\{#(?!endorsers\b)([\w-]+)", rf"{{#\1-{k}", text)
    text = re.sub(r"\]\(#([\w-]+)\)", rf"](#\1-{k})", text)
    text = re.sub(r"\[\^([^\]]+)\]", rf"[^\1-{k}]", text)
    return re.sub(r"^# \[(\d+)\.\]", rf"# [{k}.\1.]", text, flags=re.M)


def small_master(text: str, number: int) -> str:
    """A small publication: the flagship's first question, its endorsers and references."""
    body = split_master(text)[1]
    second, endorsers = (
        re.search(r"^# \[2\.\]", body, re.M),
        re.search("^The following ", body, re.M),
    )
    assert second and endorsers, "the flagship has a second question and an endorser list"
    uuid = f"00000000-0000-4000-8000-{number:012d}"
    head = f"---\ntitle: Small publication {number:02d}\nauthor: The Bench Coalition\n"
    head += f"date: 2025-02-05\nlang: en\nidentifier: urn:uuid:{uuid}\n---\n"
    return head + body[: second.start()] + body[endorsers.start() :]


def split_master(text: str) -> tuple[str, str]:
    front = re.match(r"---\n.*?\n---\n", text, re.S)
    assert front, "the flagship has a metadata block"
    return text[: front.end()], text[front.end() :]


def write_publication(folder: Path, master: str) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "master.md").write_text(master, encoding="utf-8")
    for name in ("endorsers.yaml", "references.json"):
        shutil.copy2(ROOT / "source" / FLAGSHIP / name, folder / name)


# --- the three variants, each a shell script timed in a fresh process -------------------------


def hand_script(case: Case) -> str:
    """pandoc to each format the project makes; the print edition through weasyprint."""
    pandoc = shlex.join([pandoc_path(), "--citeproc", "--standalone", "master.md"])
    if (case.folder / "references.json").exists():
        pandoc += " --bibliography=references.json"
    weasyprint = shlex.join([str(Path(PYTHON).parent / "weasyprint"), "--base-url", "."])
    out = {f.name: shlex.quote(str(case.out("hand") / f"{case.slug}{f.suffix}")) for f in FORMATS}
    steps = [f"{pandoc} -o {out[f.name]}" for f in FORMATS if f.name != PRINT]
    return "\n".join([*steps, f"{pandoc} --to html5 | {weasyprint} - {out[PRINT]}"])


def floor_script(case: Case) -> str:
    """WeasyPrint as it comes, laying out the markup our renderer makes, with our options."""
    from editions.formats.pdf.writer import base_url, pdf_options  # imports WeasyPrint

    publication = load_publication(case.folder)
    markup = BENCH / "floor" / f"{case.name}.html"
    markup.parent.mkdir(parents=True, exist_ok=True)
    markup.write_text(PdfRenderer.markup(publication), encoding="utf-8")
    options = pdf_options(pdf_identifier(publication))
    html = f"weasyprint.HTML(filename={str(markup)!r}, base_url={base_url(case.folder)!r})"
    target = case.out("floor") / f"{case.slug}.pdf"
    code = f"import weasyprint; {html}.write_pdf({str(target)!r}, **{options!r})"
    return shlex.join([PYTHON, "-c", code])


def our_script(case: Case) -> str:
    build = [PYTHON, "-m", "editions", "build", case.slug, "--source", str(case.source)]
    return shlex.join([*build, "--out", str(case.out("ours"))])


def timed(script: str, cwd: Path) -> dict[str, Any]:
    command = [PYTHON, str(ROOT / "scripts" / "timed_run.py"), script, str(cwd)]
    done = subprocess.run(command, capture_output=True, text=True, env=ENV, check=False)
    if done.returncode != 0:
        raise SystemExit(f"the timing wrapper failed: {done.stderr}")
    return json.loads(done.stdout)


def run_case(case: Case) -> dict[str, Any]:
    scripts = {"hand": hand_script(case), "floor": floor_script(case), "ours": our_script(case)}
    runs: dict[str, list[dict[str, Any]]] = {variant: [] for variant in scripts}
    for variant in scripts:
        shutil.rmtree(case.out(variant), ignore_errors=True)
        case.out(variant).mkdir(parents=True)
    # Interleaved, so that a slow minute of the machine touches every variant alike.
    for run in range(-case.warmups, case.runs):
        for variant, script in scripts.items():
            result = timed(script, case.folder if variant == "hand" else ROOT)
            label = "warm-up" if run < 0 else f"run {run + 1}"
            failed = "" if result["ok"] else f"  FAILED: {result['error']}"
            seconds, mib = f"{result['seconds']:7.2f} s", f"{result['peak_mib']:6.0f} MiB"
            print(f"  {case.name:<9} {variant:<5} {label:<7} {seconds} {mib}{failed}")
            if run >= 0:
                runs[variant].append(result)
    return {v: summary(runs[v], written(case, v)) for v in scripts}


def written(case: Case, variant: str) -> bool:
    """Whether the variant's files are there: a run that wrote nothing does not count."""
    folder = case.out(variant) / case.slug if variant == "ours" else case.out(variant)
    made = [f for f in FORMATS if variant != "floor" or f.name == PRINT]
    return all((folder / f"{case.slug}{f.suffix}").is_file() for f in made)


def summary(runs: list[dict[str, Any]], written: bool) -> dict[str, Any]:
    seconds, peaks = [r["seconds"] for r in runs], [r["peak_mib"] for r in runs]
    return {
        "ok": written and bool(runs) and all(r["ok"] for r in runs),
        "seconds": statistics.median(seconds) if runs else None,
        "peak_mib": statistics.median(peaks) if runs else None,
        "max_peak_mib": max(peaks, default=None),
        "runs": runs,
    }


# --- Make, in a copy of the project -----------------------------------------------------------


def project_copy(folder: Path) -> Path:
    """The project's code with 20 small publications; the venv is the project's, linked."""
    shutil.rmtree(folder, ignore_errors=True)
    for name in ("scripts", "editions", "templates"):
        shutil.copytree(ROOT / name, folder / name, ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("Makefile", "pyproject.toml", "requirements.lock", "requirements-test.lock"):
        shutil.copy2(ROOT / name, folder / name)  # their times kept: the venv's stamp is newer
    (folder / ".venv").symlink_to(ROOT / ".venv")
    flagship = (ROOT / "source" / FLAGSHIP / "master.md").read_text(encoding="utf-8")
    for n in range(1, 21):
        write_publication(folder / "source" / f"small-{n:02d}", small_master(flagship, n))
    compile_bytecode(folder / "editions")  # `python -m editions` there runs the copy's package
    planned = make(folder, "-n", "all")[1]
    # An install from the copy would point the shared venv's `editions` at the copy.
    if "pip" in planned or "system-deps" in planned:
        raise SystemExit(f"make in the copy would reinstall the venv; stopped:\n{planned}")
    return folder


def make(project: Path, *args: str) -> tuple[float, str]:
    started, command = time.perf_counter(), ["make", "--no-print-directory", *args]
    done = subprocess.run(command, cwd=project, env=ENV, capture_output=True, text=True)
    if done.returncode != 0:
        raise SystemExit(f"{shlex.join(command)} failed in {project}:\n{done.stderr}")
    return time.perf_counter() - started, done.stdout


def editions_state(project: Path) -> dict[str, int]:
    return {str(p.relative_to(project)): p.stat().st_mtime_ns for p in project.glob("build/*/*")}


def run_make(rounds: int) -> dict[str, Any]:
    project = project_copy(BENCH / "project")
    print(f"  Make, in a copy of the project with 20 small publications: {project}")
    cold: dict[str, list[float]] = {"-j1": [], "-j2": []}
    for _ in range(rounds):
        for jobs, times in cold.items():
            shutil.rmtree(project / "build", ignore_errors=True)
            times.append(make(project, jobs, "all")[0])
            print(f"  make {jobs} all (20 publications, cold) {times[-1]:7.2f} s")
    before = editions_state(project)
    noop = statistics.median(make(project, "all")[0] for _ in range(5))
    print(f"  make all, nothing changed: {noop:.3f} s (median of 5)")
    master = project / "source" / "small-07" / "master.md"
    master.write_text(master.read_text(encoding="utf-8") + "\nOne more sentence.\n")
    edit = make(project, "all")[0]
    rebuilt = sorted(k for k, mtime in editions_state(project).items() if before.get(k) != mtime)
    print(f"  make all after editing small-07: {edit:.2f} s, rebuilt {rebuilt}")
    return {
        **{f"j{n}_seconds": statistics.median(cold[f"-j{n}"]) for n in (1, 2)},
        **{"cold_runs": cold, "noop_seconds": noop, "edit_seconds": edit},
        "rebuilt_after_edit": rebuilt,
        "edited": [f"build/small-07/small-07{f.suffix}" for f in FORMATS],
    }


# --- the live preview -------------------------------------------------------------------------


def run_serve(edits: int) -> dict[str, Any]:
    """The HTML: from a save until the server serves it; the PDF: until it is rewritten."""
    return {"html": timed_saves("html", edits), "pdf": timed_saves("pdf", max(3, edits // 3))}


def timed_saves(format_name: str, saves: int) -> dict[str, Any]:
    source, out = BENCH / "serve" / format_name / "source", BENCH / "serve" / format_name / "build"
    shutil.rmtree(source.parent, ignore_errors=True)
    shutil.copytree(ROOT / "source" / FLAGSHIP, source / FLAGSHIP)
    preview = RunningPreview.start(source, out, FLAGSHIP, format_name, ENV)
    try:
        page = preview.page if format_name == "html" else None
        times = [refresh_seconds(preview, n, page) for n in range(saves + 1)][1:]  # a warm-up
        preview.stop()
    finally:
        preview.kill()
    median, code = statistics.median(times), preview.process.returncode
    print(f"  serve --format {format_name}: {median:.3f} s a save (median), Ctrl-C exit {code}")
    return {"seconds": median, "runs": times, "exit_code": code}


def refresh_seconds(preview: RunningPreview, number: int, page: str | None) -> float:
    text = preview.master.read_text(encoding="utf-8")
    marker = re.search(r"TCCM (\(edit \d+\) )?is made up", text)
    assert marker, "the flagship's second paragraph"
    build, started = preview.status()["build"], time.perf_counter()
    preview.master.write_text(text.replace(marker[0], f"TCCM (edit {number}) is made up", 1))
    while preview.status()["build"] == build:
        if time.perf_counter() - started > 120:
            raise SystemExit("the preview did not rebuild within two minutes")
        time.sleep(0.005)
    while page is not None and f"(edit {number})" not in preview.get(page):
        time.sleep(0.005)
    return time.perf_counter() - started


# --- the whole run ----------------------------------------------------------------------------


def measure_everything(options: argparse.Namespace) -> dict[str, Any]:
    BENCH.mkdir(parents=True, exist_ok=True)
    compile_bytecode(ROOT / "editions")
    wait_for_quiet(options.wait_quiet)
    complete = not (options.quick or options.skip_make or options.skip_serve)
    started = dt.datetime.now(dt.UTC).isoformat(timespec="seconds")
    results: dict[str, Any] = {"started": started, "complete": complete, "machine": machine()}
    results["cores"] = len(os.sched_getaffinity(0))
    results |= {"load_average_before": load_average(), "cases": {}, "runs": {}}
    print(f"editions benchmark: {results['machine']}")
    for case in cases(options):
        results["runs"][case.name] = {"runs": case.runs, "warmups": case.warmups}
        results["cases"][case.name] = run_case(case)
        save(results)  # a later failure keeps what was measured
    results["make"] = None if options.skip_make else run_make(options.make_rounds)
    save(results)
    results["serve"] = None if options.skip_serve else run_serve(options.serve_edits)
    results["load_average_after"] = load_average()
    return results


def compile_bytecode(package: Path) -> None:
    """As pip does for an installed package: the runs write none (PYTHONDONTWRITEBYTECODE), and
    would otherwise compile ours each time, where pandoc's and WeasyPrint's come compiled."""
    subprocess.run([PYTHON, "-m", "compileall", "-q", str(package)], env=ENV, check=True)


def wait_for_quiet(minutes: float, limit: float = 0.5) -> None:
    deadline = time.monotonic() + minutes * 60
    while float(load_average()[0]) >= limit and time.monotonic() < deadline:
        print(f"  load average {load_average()[0]} ≥ {limit}: waiting a minute")
        time.sleep(60)


def load_average() -> list[str]:
    return Path("/proc/loadavg").read_text().split()[:3]


def machine() -> str:
    cpu = re.search(r"^model name\s*: (.*)$", Path("/proc/cpuinfo").read_text(), re.M)
    memory = re.search(r"^MemTotal:\s+(\d+) kB", Path("/proc/meminfo").read_text(), re.M)
    return (
        f"{cpu[1] if cpu else 'unknown'}, {len(os.sched_getaffinity(0))} cores, "
        f"{int(memory[1]) / 1024**2 if memory else 0:.1f} GiB, {platform.system()} "
        f"{platform.release()}; Python {platform.python_version()}, pandoc {pandoc_version()}, "
        f"WeasyPrint {version('weasyprint')}"
    )


# --- the report -------------------------------------------------------------------------------


def report(results: Results, verdicts: list[Verdict]) -> list[str]:
    runs = "; ".join(f"{k} {n['runs']} after {n['warmups']}" for k, n in results["runs"].items())
    loads = [results.get(f"load_average_{w}", ["0"]) for w in ("before", "after")]
    # Busier than its cores, the machine slows some runs more than others: the ratios drift.
    busy = max(float(load) for load in loads[0] + loads[1]) >= results["cores"]
    return [
        f"{results['started']}, {'every part' if results['complete'] else 'a partial run'}; "
        f"load average (1, 5, 15 min) {' '.join(loads[0])} before, {' '.join(loads[1])} after",
        f"machine: {results['machine']}",
        *(["BUSY: the load was at or above the cores; these times say little"] if busy else []),
        f"medians of the timed runs after warm-ups ({runs}); the variants' runs interleaved",
        "MiB: the largest process of a run (ru_maxrss); !: a run failed",
        "",
        *case_table(results["cases"]),
        "",
        *(f"{k:<26}{'—' if v is None else f'{v:.4g}'}" for k, v in measures(results).items()),
        "",
        *(line for _, line in verdicts),
    ]


def case_table(cases: Results) -> list[str]:
    def cell(entry: Results, key: str, digits: int) -> str:
        return "—" if entry[key] is None else f"{entry[key]:.{digits}f}{'' if entry['ok'] else '!'}"

    variants = ("hand", "floor", "ours")
    heads = [*(f"{v} s" for v in variants), *(f"{v} MiB" for v in variants)]
    lines = [f"{'case':<9}" + "".join(f"{head:>10}" for head in heads)]
    for name, c in cases.items():
        cells = [
            cell(c[v], key, digits)
            for key, digits in (("seconds", 2), ("peak_mib", 0))
            for v in variants
        ]
        lines.append(f"{name:<9}" + "".join(f"{cell:>10}" for cell in cells))
    return lines


def save(results: Results, verdicts: list[Verdict] | None = None) -> list[Path]:
    """build/bench/results.json; with the verdicts, results.md, and docs/bench/latest.md
    when every part was measured."""
    BENCH.mkdir(parents=True, exist_ok=True)
    if verdicts is not None:
        targets = [
            {**asdict(t), "state": state} for t, (state, _) in zip(TARGETS, verdicts, strict=True)
        ]
        results = {**results, "measures": measures(results), "targets": targets}
    text = json.dumps(results, indent=2, ensure_ascii=False) + "\n"
    (BENCH / "results.json").write_text(text, encoding="utf-8")
    if verdicts is None:
        return [BENCH / "results.json"]
    paths = [BENCH / "results.md", *([LATEST] if results["complete"] else [])]
    for path in paths:
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(MARKDOWN.format("\n".join(report(results, verdicts))), encoding="utf-8")
    return [BENCH / "results.json", *paths]


MARKDOWN = """# editions benchmark: the latest results

Written by `make bench` ([scripts/bench.py](../../scripts/bench.py): its table `TARGETS` holds
the targets). What is measured, and why targets fail: the README's Speed section. The machine
is shared: from one run to the next the times move by 5 % and more.

```
{}
```
"""


# --- main -------------------------------------------------------------------------------------


def arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    add = parser.add_argument
    quick = "leave out the 100× case (minutes, not a quarter of an hour; latest.md kept)"
    add("--quick", "--skip-long", action="store_true", help=quick)
    add("--runs", type=int, default=3, help="timed runs of the flagship and 10× (default 3)")
    add("--warmups", type=int, default=1, help="warm-up runs of the flagship and 10× (default 1)")
    add("--long-runs", type=int, default=1, help="timed runs of the 100× case (default 1)")
    add("--make-rounds", type=int, default=1, help="cold make -j1 and -j2 builds (default 1)")
    add("--skip-make", action="store_true", help="leave out Make")
    add("--serve-edits", type=int, default=9, help="timed saves in the HTML preview (default 9)")
    add("--skip-serve", action="store_true", help="leave out the live preview")
    quiet = "first wait, up to MINUTES, for a load average below 0.5"
    add("--wait-quiet", type=float, default=0, metavar="MINUTES", help=quiet)
    add("--strict", action="store_true", help="exit 1 if a target fails")
    add(
        "--report",
        action="store_true",
        help="rewrite the report of the last build/bench/results.json",
    )
    return parser.parse_args()


def main() -> int:
    options = arguments()
    sys.stdout.reconfigure(line_buffering=True)  # progress as it comes
    if options.report:
        results = json.loads((BENCH / "results.json").read_text(encoding="utf-8"))
    else:
        results = measure_everything(options)
    verdicts = check(measures(results))
    paths = save(results, verdicts)
    print("\n" + "\n".join(report(results, verdicts)))
    print(f"\nresults: {', '.join(str(p) for p in paths)}")
    return 1 if options.strict and any(state == "FAIL" for state, _ in verdicts) else 0


if __name__ == "__main__":
    sys.exit(main())
