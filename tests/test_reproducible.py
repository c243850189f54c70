"""Reproducible editions: two clean builds give the same bytes; the bundle tells the truth."""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from editions.compare import first_difference
from editions.formats import BY_NAME, FORMATS, NAMES
from editions.paths import PROJECT

from validators import axe_violations, nu_html_errors

pytestmark = pytest.mark.slow

SLUG = "tccm-wsis20"


def build_in(folder: Path, zone: str) -> Path:
    """A clean build of every edition, run from folder, in time zone zone."""
    folder.mkdir()
    env = {**os.environ, "TZ": zone, "LC_ALL": "C.UTF-8", "PYTHONHASHSEED": "random"}
    env.pop("SOURCE_DATE_EPOCH", None)
    out = folder / "build"
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "editions",
            "build",
            SLUG,
            "--source",
            str(PROJECT / "source"),
            "--out",
            str(out),
        ],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    return out / SLUG


@pytest.fixture(scope="module")
def two_builds(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    root = tmp_path_factory.mktemp("twice")
    first = build_in(root / "first", "Pacific/Kiritimati")
    second = build_in(root / "second-with-a-longer-path", "America/Los_Angeles")
    return first, second


@pytest.mark.parametrize("format_name", NAMES)
def test_two_builds_are_byte_identical(two_builds, format_name: str):
    first, second = two_builds
    name = f"{SLUG}{BY_NAME[format_name].suffix}"
    assert first_difference(first / name, second / name) is None


def test_the_release_bundle_matches_the_files(two_builds):
    folder = two_builds[0]
    result = subprocess.run(
        [sys.executable, "-m", "editions", "release", SLUG, "--out", str(folder.parent)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    sums = dict(
        reversed(line.split("  ")) for line in (folder / "SHA256SUMS").read_text().splitlines()
    )
    assert sorted(sums) == sorted(f"{SLUG}{f.suffix}" for f in FORMATS)
    for name, digest in sums.items():
        assert hashlib.sha256((folder / name).read_bytes()).hexdigest() == digest
    manifest = json.loads((folder / "manifest.json").read_text())
    assert manifest["identifier"].startswith("urn:uuid:")
    assert manifest["tools"]["pandoc"].startswith("3.")
    assert manifest["tools"]["weasyprint"][0].isdigit()
    assert len(manifest["source_commit"]) >= 40
    for entry in manifest["editions"]:
        data = (folder / entry["file"]).read_bytes()
        assert entry["size"] == len(data)
        assert entry["sha256"] == sums[entry["file"]]
    index = folder / "index.html"
    page = index.read_text()
    for name, digest in sums.items():
        assert f'href="{name}"' in page and digest in page
    # The identifier is for machines: in the head and the manifest, not in the reader's text.
    assert f'<meta name="dcterms.identifier" content="{manifest["identifier"]}">' in page
    assert "Identifier:" not in page
    assert nu_html_errors(index) == []
    assert axe_violations(index) == []
    assert axe_violations(index, width=320) == []


def test_a_difference_names_the_zip_entry(tmp_path: Path):
    import zipfile

    for name, text in (("a.zip", "one"), ("b.zip", "two")):
        with zipfile.ZipFile(tmp_path / name, "w") as archive:
            archive.writestr("mimetype", "same")
            archive.writestr("word/document.xml", text)
    assert first_difference(tmp_path / "a.zip", tmp_path / "b.zip") == (
        "zip entry word/document.xml differs in content"
    )
    (tmp_path / "c.bin").write_bytes(b"abcdef")
    (tmp_path / "d.bin").write_bytes(b"abcxef")
    assert "offset 3" in first_difference(tmp_path / "c.bin", tmp_path / "d.bin")
