"""A failed or interrupted build replaces no edition: through `make all` and `python -m editions
build`, as a user runs them. A publication's editions are replaced together or not at all;
a signal ends a build at once and cleanly; a folder name never reaches a shell."""

from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from editions import cli
from editions.formats import NAMES
from editions.paths import PROJECT, SOURCE

from publications import FLAGSHIP, copy_fixture, edit, make, project_copy, without_make_variables

# What the Makefile reads, linked from the project (as in test_make.py); the publications are
# the copy's own.
SIGNALS = {signal.SIGINT: 130, signal.SIGTERM: 143, signal.SIGHUP: 129}


def editions_in(folder: Path) -> dict[str, bytes]:
    """Every file in folder (the editions, and any partial file), by name."""
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())} if folder.is_dir() else {}


def partial_files(folder: Path) -> list[Path]:
    return [p for p in folder.rglob("*") if p.name.endswith(".part")]


def editions_build(source: Path, out: Path, *arguments: str) -> subprocess.CompletedProcess[str]:
    places = ["--source", str(source), "--out", str(out)]
    return subprocess.run(
        [sys.executable, "-m", "editions", "build", *places, *arguments],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def one_error_line(stderr: str) -> str:
    """The one line a failure prints; no traceback, nothing else."""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert "Traceback" not in stderr
    return lines[0]


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project with one publication, source/alpha/, and the project's venv."""
    return project_copy(tmp_path / "project", ("alpha",))


# A. A failed `make all` keeps the last good editions.

BREAKAGES = {
    "broken YAML": ("endorsers.yaml", "  short-name: SM", "   short-name: SM"),
    "unknown citation key": ("master.md", "[@source-2024]", "[@nonesuch]"),
    "unknown metadata field": ("master.md", "lang: en", "lang: en\ncolour: blue"),
}


@pytest.mark.slow
@pytest.mark.parametrize("breakage", list(BREAKAGES))
def test_a_failed_make_all_keeps_every_edition(project: Path, breakage: str):
    assert make(project, "all").returncode == 0
    built = project / "build" / "alpha"
    before = editions_in(built)
    assert sorted(before) == sorted(f"alpha.{name}" for name in NAMES)
    name, old, new = BREAKAGES[breakage]
    edit(project / "source" / "alpha" / name, old, new)
    failed = make(project, "all")
    assert failed.returncode != 0
    assert "Deleting file" not in failed.stderr
    assert editions_in(built) == before
    # And once fixed, the next make rebuilds (make did not take the failure for a success).
    edit(project / "source" / "alpha" / name, new, old)
    again = make(project, "all")
    assert again.returncode == 0
    assert "Nothing to be done" not in again.stdout


@pytest.mark.slow
def test_ctrl_c_during_make_all_keeps_every_edition(project: Path):
    assert make(project, "all").returncode == 0
    built = project / "build" / "alpha"
    before = editions_in(built)
    edit(project / "source" / "alpha" / "master.md", "An answer", "A changed answer")
    # After the build has started to write (a temporary file is there), then later: a signal in
    # the first milliseconds of Python's start, before the program is loaded, is the system's.
    for delay in (0.0, 0.4, 0.8):
        process = subprocess.Popen(
            ["make", "--no-print-directory", "all"],
            cwd=project,
            env=without_make_variables(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,
            preexec_fn=None,
        )
        deadline = time.monotonic() + 30
        while not partial_files(built) and process.poll() is None:
            assert time.monotonic() < deadline, "the build never started writing"
            time.sleep(0.005)
        time.sleep(delay)
        os.killpg(process.pid, signal.SIGINT)  # Ctrl-C: the whole foreground group
        _, err = process.communicate(timeout=30)
        if process.returncode == 0:
            break  # the build was done before the signal: nothing more to try
        assert "Deleting file" not in err
        assert "Traceback" not in err
        # The previous editions, or (a signal after the renames) every new one: never a mix.
        after = editions_in(built)
        changed = {name for name in after if after[name] != before.get(name)}
        assert sorted(after) == sorted(before) and changed in (set(), set(before)), delay
        if changed:
            break  # the new editions are in place: make has nothing more to interrupt
    assert partial_files(project / "build") == []


# B. A publication's editions are replaced together or not at all.


def mount_tmpfs(folder: Path, size: str) -> bool:
    folder.mkdir(parents=True, exist_ok=True)
    if os.geteuid() != 0 or shutil.which("mount") is None:
        return False
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(folder)],
        capture_output=True,
        check=False,
    )
    return mounted.returncode == 0


@pytest.fixture
def small_disk(tmp_path: Path) -> Iterator[Path | None]:
    """A folder on a tmpfs of 1 MiB, or None where none can be mounted."""
    folder = tmp_path / "disk"
    if not mount_tmpfs(folder, "1m"):
        yield None
        return
    try:
        yield folder
    finally:
        subprocess.run(["umount", "-l", str(folder)], check=False)


def fill(disk: Path, leave: int) -> None:
    """Fill the disk but for about leave bytes."""
    free = shutil.disk_usage(disk).free
    (disk / "filler").write_bytes(b"\0" * max(free - leave, 0))


@pytest.mark.slow
def test_a_full_disk_replaces_no_edition_and_says_what_to_do(
    small_disk: Path | None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
):
    source = tmp_path / "source"
    copy_fixture(source / "alpha")
    if small_disk is None:
        # No tmpfs here: the disk fills up as the EPUB is written, in this process.
        out = tmp_path / "out"
        assert cli.main(["build", "--source", str(source), "--out", str(out)]) == 0
        before = editions_in(out / "alpha")
        from editions.formats.epub import renderer as epub_renderer

        def full(*args: object) -> None:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

        monkeypatch.setattr(epub_renderer, "write_container", full)
        edit(source / "alpha" / "master.md", "An answer", "A changed answer")
        capsys.readouterr()
        assert cli.main(["build", "--source", str(source), "--out", str(out)]) == 1
        line = one_error_line(capsys.readouterr().err)
    else:
        out = small_disk / "out"
        assert editions_build(source, out).returncode == 0
        before = editions_in(out / "alpha")
        edit(source / "alpha" / "master.md", "An answer", "A changed answer")
        # Room for the HTML (8 KiB) and the DOCX (13 KiB), not for the EPUB (72 KiB) and PDF.
        fill(small_disk, leave=40 * 1024)
        result = editions_build(source, out)
        assert result.returncode == 1, result.stderr
        line = one_error_line(result.stderr)
    assert line.startswith(f"error: {out / 'alpha'}/alpha."), line
    assert line.endswith("no space left on the device; free some space"), line
    assert "Errno" not in line
    assert editions_in(out / "alpha") == before


@pytest.mark.slow
def test_one_edition_failing_after_another_is_written_replaces_none(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys
):
    """The PDF fails once the HTML is written (in its temporary file): neither is replaced."""
    source = tmp_path / "source"
    copy_fixture(source / "alpha")
    out = tmp_path / "out"
    for jobs in ("1", "2"):  # in turn, and side by side
        shutil.rmtree(out, ignore_errors=True)
        assert cli.main(["build", "--source", str(source), "--out", str(out), "-j", jobs]) == 0
        before = editions_in(out / "alpha")
        from editions.formats.pdf import writer

        def fail_once_the_html_is_written(*args: object, **kwargs: object) -> None:
            deadline = time.monotonic() + 30
            while not list((out / "alpha").glob(".alpha.html.*.part")):
                assert time.monotonic() < deadline, "the HTML was never written"
                time.sleep(0.01)
            raise RuntimeError("the layout failed")

        monkeypatch.setattr(writer.weasyprint.HTML, "render", fail_once_the_html_is_written)
        edit(source / "alpha" / "master.md", "An answer", "A changed answer")
        capsys.readouterr()
        arguments = ["build", "--source", str(source), "--out", str(out), "-j", jobs]
        assert cli.main([*arguments, "-f", "html,pdf"]) == 1
        line = one_error_line(capsys.readouterr().err)
        assert "the layout failed" in line
        assert editions_in(out / "alpha") == before, jobs
        monkeypatch.undo()
        edit(source / "alpha" / "master.md", "A changed answer", "An answer")


def test_an_edition_that_cannot_replace_its_target_names_it(tmp_path: Path):
    source = tmp_path / "source"
    copy_fixture(source / "alpha")
    out = tmp_path / "out"
    assert editions_build(source, out, "-f", "html").returncode == 0
    before = (out / "alpha" / "alpha.html").read_bytes()
    edit(source / "alpha" / "master.md", "An answer", "A changed answer")
    (out / "alpha" / "alpha.pdf").mkdir()  # a folder where the PDF goes
    result = editions_build(source, out, "-f", "html,pdf")
    assert result.returncode == 1
    line = one_error_line(result.stderr)
    assert line.startswith(f"error: {out / 'alpha' / 'alpha.pdf'}: "), line
    assert (out / "alpha" / "alpha.html").read_bytes() == before
    assert partial_files(out) == []


# C. SIGINT, SIGTERM and SIGHUP end a build at once, cleanly.


def long_publication(source: Path, times: int) -> Path:
    """The flagship with its questions repeated: a PDF that takes seconds to lay out."""
    text = (SOURCE / FLAGSHIP / "master.md").read_text(encoding="utf-8")
    start, end = text.index("\n# [1.]"), text.index("\n# [11.]")
    extra = "".join(
        re.sub(r"\{#(q\d+)", rf"{{#\1-{k}", text[start:end]).replace("](#q11)", f"](#q11-{k})")
        for k in range(2, times + 1)
    )
    folder = source / "long"
    shutil.copytree(SOURCE / FLAGSHIP, folder)
    (folder / "master.md").write_text(text[:end] + extra + text[end:], encoding="utf-8")
    return folder


def group_members(group: int) -> list[int]:
    """The processes left in a process group (none, once a build has ended cleanly)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == group and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


@pytest.fixture(scope="module")
def long_built(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, dict[str, bytes]]:
    """A long publication built once, then edited: what an interrupted build must keep."""
    root = tmp_path_factory.mktemp("signals")
    folder = long_publication(root / "source", times=3)
    out = root / "out"
    assert editions_build(root / "source", out).returncode == 0
    edit(folder / "master.md", "# [1.]", "# [1.] Changed")
    return root / "source", out, editions_in(out / "long")


# When: a fixed time after the program has loaded (the parse, then the first PDF's markup),
# or once the first edition is reported (the PDF is being laid out). Before it has loaded, in
# the first milliseconds of Python's start, a signal has the system's default effect.
MOMENTS = ["0.15 s", "0.3 s", "0.5 s", "first edition", "second edition"]


@pytest.mark.slow
@pytest.mark.parametrize("signum", list(SIGNALS), ids=lambda s: signal.Signals(s).name)
@pytest.mark.parametrize("moment", MOMENTS)
def test_a_signal_ends_the_build_at_once_and_leaves_the_last_editions(
    long_built: tuple[Path, Path, dict[str, bytes]], signum: int, moment: str
):
    source, out, before = long_built
    for _ in range(2):  # races are intermittent: each case twice
        process = subprocess.Popen(
            [sys.executable, "-m", "editions", "build", "--source", str(source), "--out", str(out)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            start_new_session=True,  # its own process group, as a shell's job
        )
        assert process.stdout is not None
        if moment.endswith(" s"):
            wait_until_handling_signals(process.pid)
            time.sleep(float(moment.split()[0]))
        else:
            for _ in range(MOMENTS.index(moment) - 1):
                assert process.stdout.readline(), "the build ended before the signal"
        # SIGINT and SIGHUP as a terminal sends them, to the whole group; SIGTERM as kill does.
        if signum == signal.SIGTERM:
            process.send_signal(signum)
        else:
            os.killpg(process.pid, signum)
        sent = time.monotonic()
        _, err = process.communicate(timeout=30)
        took = time.monotonic() - sent
        assert process.returncode == SIGNALS[signum], err
        assert err.strip() == "error: interrupted"
        assert took < 1.0, f"{took:.2f} s"
        deadline = time.monotonic() + 1
        while group_members(process.pid) and time.monotonic() < deadline:
            time.sleep(0.02)
        assert group_members(process.pid) == [], "a process of the build is left"
        assert partial_files(out) == []
        assert editions_in(out / "long") == before


def wait_until_handling_signals(pid: int) -> None:
    """Until the process catches SIGHUP: editions.interrupt's handlers are installed."""
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        status = Path(f"/proc/{pid}/status").read_text(encoding="ascii")
        caught = int(
            next(line for line in status.splitlines() if line.startswith("SigCgt:"))[7:], 16
        )
        if caught & (1 << (signal.SIGHUP - 1)):
            return
        time.sleep(0.002)
    raise AssertionError("the build never installed its signal handlers")


# D. Two cold `make all` at once in a fresh clone.

COPIED = ("Makefile", "pyproject.toml", "README.md", "requirements.lock", "scripts", "templates")


@pytest.mark.slow
def test_two_cold_make_all_at_once_both_succeed(tmp_path: Path):
    """The real bootstrap (venv, installs) in a copy without .venv, twice at once."""
    root = tmp_path / "clone"
    root.mkdir()
    for name in COPIED:
        if (PROJECT / name).is_dir():
            shutil.copytree(PROJECT / name, root / name)
        else:
            shutil.copy2(PROJECT / name, root / name)
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info")
    shutil.copytree(PROJECT / "editions", root / "editions", ignore=ignore)
    copy_fixture(root / "source" / "alpha")
    runs = [
        subprocess.Popen(
            ["make", "--no-print-directory", "all"],
            cwd=root,
            env=without_make_variables(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    for run in runs:
        _, err = run.communicate(timeout=600)
        assert run.returncode == 0, err
    assert sorted(editions_in(root / "build" / "alpha")) == sorted(f"alpha.{n}" for n in NAMES)


# E. A slug is a safe name; no name reaches a shell.

HOSTILE = ["x`{touch,PWNED}`", "$(touch PWNED)", "--help", "my pub", "-x", "Upper", "a;touch PWNED"]
RESERVED_NAMES = ["all", "clean", "test", "html"]


def add_publication(source: Path, name: str) -> None:
    copy_fixture(source / name)


@pytest.mark.slow
@pytest.mark.parametrize("name", [*HOSTILE, *RESERVED_NAMES])
def test_make_all_refuses_a_hostile_folder_name_before_building_anything(project: Path, name: str):
    add_publication(project / "source", name)
    result = make(project, "all")
    assert result.returncode != 0
    line = one_error_line(result.stderr)
    assert name in line and "rename the folder" in line, line
    assert not (project / "build").exists()
    assert not list(project.rglob("PWNED")) and not Path("PWNED").exists()


@pytest.mark.parametrize("name", [*HOSTILE, *RESERVED_NAMES, "new\nline", ".hidden"])
def test_the_build_refuses_a_hostile_folder_name(tmp_path: Path, name: str):
    source = tmp_path / "source"
    copy_fixture(source / "alpha")
    add_publication(source, name)
    result = editions_build(source, tmp_path / "out", "-f", "html")
    assert result.returncode == 1
    line = one_error_line(result.stderr)
    assert repr(name)[1:-1] in line and "rename the folder" in line, line
    assert not (tmp_path / "out").exists()
    assert not list(tmp_path.rglob("PWNED"))


def test_every_make_target_is_a_reserved_name():
    from editions.model.slugs import RESERVED

    phony = re.search(r"^\.PHONY:(.*)$", (PROJECT / "Makefile").read_text(), re.MULTILINE)
    assert phony is not None
    targets = {word for word in phony[1].split() if "$" not in word}
    assert targets <= RESERVED
    assert set(NAMES) <= RESERVED


# F. `make SLUG`; `make pdf` then `make all` lays the PDF out once.


@pytest.mark.slow
def test_make_slug_builds_that_publication_only(project: Path):
    copy_fixture(project / "source" / "beta")
    result = make(project, "alpha")
    assert result.returncode == 0, result.stderr
    assert sorted(editions_in(project / "build" / "alpha")) == sorted(f"alpha.{n}" for n in NAMES)
    assert not (project / "build" / "beta").exists()
    assert "Nothing to be done" in make(project, "alpha").stdout


@pytest.mark.slow
def test_make_pdf_then_make_all_builds_only_the_missing_editions(project: Path):
    assert make(project, "pdf").returncode == 0
    pdf = project / "build" / "alpha" / "alpha.pdf"
    first = pdf.stat()
    result = make(project, "all")
    assert result.returncode == 0, result.stderr
    assert "pdf " not in result.stdout, result.stdout  # no progress line: not laid out again
    again = pdf.stat()
    assert (again.st_ino, again.st_mtime_ns) == (first.st_ino, first.st_mtime_ns)
    assert sorted(editions_in(project / "build" / "alpha")) == sorted(f"alpha.{n}" for n in NAMES)
    # Editing the master rebuilds every edition, the PDF with them.
    edit(project / "source" / "alpha" / "master.md", "An answer", "A changed answer")
    result = make(project, "all")
    assert result.returncode == 0, result.stderr
    assert pdf.stat().st_ino != first.st_ino
