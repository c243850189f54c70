"""Builds under stress: random input, two builds at once, and no network, in every renderer."""

from __future__ import annotations

import json
import os
import shutil
import socket
import subprocess
import sys
import zipfile
from pathlib import Path

import lxml.html
import pypdf
import pytest
import yaml
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from editions.build import build
from editions.errors import EditionsError
from editions.formats import FORMATS, NAMES

FIXTURES = Path(__file__).parent / "fixtures"
FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "6"))


def assert_complete(path: Path) -> None:
    """The edition opens in a reader for its format."""
    if path.suffix == ".html":
        assert lxml.html.parse(str(path)).getroot().get("lang")
    elif path.suffix == ".pdf":
        assert len(pypdf.PdfReader(path).pages) >= 1
    else:
        with zipfile.ZipFile(path) as archive:
            assert archive.testzip() is None


def assert_no_partial_files(folder: Path) -> None:
    assert [p for p in folder.rglob("*") if p.name.endswith(".part")] == []


# --- random input -------------------------------------------------------------------------

WORDS = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc", "Co", "Cn"),
        blacklist_characters="\u2028\u2029",
    ),
    min_size=1,
    max_size=30,
)
SCRIPTS = st.sampled_from(
    ["policy", "مرحبا بالعالم", "שלום עולם", "中文文本", "Ελληνικά", "ﬁ ligature", "e\u0301", "🌍"]
)
LONG_WORD = st.integers(40, 200).map(lambda n: "Multistakeholder" * (n // 16))
INLINE = st.lists(st.one_of(WORDS, SCRIPTS, LONG_WORD), min_size=1, max_size=8).map(" ".join)


def _list(depth: int) -> st.SearchStrategy[str]:
    item = INLINE.map(lambda text: text.replace("\n", " "))
    if depth == 0:
        return st.lists(item, min_size=1, max_size=4).map(
            lambda items: "\n".join(f"- {i}" for i in items)
        )
    return st.tuples(item, _list(depth - 1)).map(
        lambda pair: f"1. {pair[0]}\n\n" + "\n".join("    " + line for line in pair[1].splitlines())
    )


TABLE = st.lists(st.tuples(INLINE, INLINE), min_size=1, max_size=4).map(
    lambda rows: (
        "| A | B |\n|---|---|\n"
        + "\n".join(f"| {a.replace('|', ' ')} | {b.replace('|', ' ')} |" for a, b in rows)
    )
)
BLOCK = st.one_of(
    INLINE,
    INLINE.map(lambda t: f"# {t}"),
    INLINE.map(lambda t: f"## {t}\n"),  # an empty section
    INLINE.map(lambda t: f"> {t}"),
    _list(2),
    TABLE,
    st.just("* * *"),
)
METADATA = st.fixed_dictionaries(
    {
        "title": INLINE,
        "author": INLINE,
        "lang": st.sampled_from(["en", "fr", "ar", "he", "ja", "de"]),
    }
)


@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    # Every example builds four editions: report the failing one as found, unshrunk, and
    # in CI draw the same examples each run.
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    derandomize=bool(os.environ.get("CI")),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(metadata=METADATA, blocks=st.lists(BLOCK, min_size=1, max_size=8))
@pytest.mark.slow
def test_random_input_builds_every_edition_or_fails_in_one_line(
    tmp_path_factory: pytest.TempPathFactory, metadata: dict[str, str], blocks: list[str]
):
    root = tmp_path_factory.mktemp("fuzz")
    folder = root / "source" / "fuzz"
    folder.mkdir(parents=True)
    header = {**metadata, "date": "2024-05-06", "identifier": "urn:uuid:fuzz"}
    text = "---\n" + yaml.safe_dump(header, allow_unicode=True) + "---\n\n" + "\n\n".join(blocks)
    (folder / "master.md").write_text(text + "\n", encoding="utf-8")
    out = root / "build"
    try:
        editions = build(root / "source", out, jobs=1)
    except EditionsError as error:
        assert "\n" not in str(error)
        assert str(error)
    else:
        assert sorted(e.format for e in editions) == sorted(NAMES)
        for edition in editions:
            assert_complete(edition.path)
    if out.exists():
        assert_no_partial_files(out)


# --- two builds at once -------------------------------------------------------------------


@pytest.mark.slow
def test_two_builds_at_once_leave_no_corrupt_file(tmp_path: Path):
    source = tmp_path / "source"
    shutil.copytree(FIXTURES / "minimal", source / "minimal")
    out = tmp_path / "build"
    command = [
        sys.executable,
        "-m",
        "editions",
        "build",
        "--source",
        str(source),
        "--out",
        str(out),
    ]
    runs = [subprocess.Popen(command, stderr=subprocess.PIPE, text=True) for _ in range(2)]
    for run in runs:
        _, errors = run.communicate(timeout=300)
        assert run.returncode == 0, errors
    for format in FORMATS:
        assert_complete(out / "minimal" / f"minimal{format.suffix}")
    assert_no_partial_files(out)


# --- no network ---------------------------------------------------------------------------


@pytest.mark.slow
def test_no_renderer_connects_to_the_network(tmp_path: Path):
    """Web addresses in the text and bibliography are links only: nothing is fetched."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(8)
    listener.settimeout(0.5)
    port = listener.getsockname()[1]
    address = f"http://127.0.0.1:{port}"
    source = tmp_path / "source"
    folder = source / "minimal"
    shutil.copytree(FIXTURES / "minimal", folder)
    master = folder / "master.md"
    master.write_text(
        master.read_text("utf-8").replace(
            "An answer citing",
            f"See <{address}/page> and [this]({address}/x.css). An answer citing",
        ),
        "utf-8",
    )
    references = json.loads((folder / "references.json").read_text("utf-8"))
    references[0]["URL"] = f"{address}/source.pdf"
    (folder / "references.json").write_text(json.dumps(references), "utf-8")
    try:
        build(source, tmp_path / "build", jobs=1)
        with pytest.raises(socket.timeout):
            connection, _ = listener.accept()
            connection.close()
    finally:
        listener.close()
