"""Builds under stress: random input, two builds at once, and no network, in every renderer."""

from __future__ import annotations

import io
import json
import os
import socket
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

import lxml.html
import pypdf
import pytest
import yaml
from hypothesis import HealthCheck, Phase, event, given, settings
from hypothesis import strategies as st

from editions.adapters.pandoc_ast import walk
from editions.build import build
from editions.errors import EditionsError
from editions.formats import FORMATS, NAMES
from editions.model.content import table_of_contents
from editions.model.publication import Publication, load_publication
from editions.model.safety import LINK_SCHEMES

from publications import copy_fixture


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
#
# Two runs of the same generator: many publications through the parse, the model and the
# safety checks (no layout: a few hundredths of a second each), and a handful through all four
# renderers. Both draw the same examples on every run (derandomize), so that CI is
# reproducible; FUZZ_EXAMPLES and FUZZ_BUILD_EXAMPLES ask for more.

FUZZ_EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", "300"))
FUZZ_BUILD_EXAMPLES = int(os.environ.get("FUZZ_BUILD_EXAMPLES", "5"))

WORDS = st.text(
    alphabet=st.characters(
        blacklist_categories=("Cs", "Cc", "Co", "Cn"),
        # A backslash before a letter is raw TeX to pandoc, refused: HOSTILE_INLINE tries it.
        blacklist_characters="\u2028\u2029\\",
    ),
    min_size=1,
    max_size=30,
)
SCRIPTS = st.sampled_from(
    ["policy", "مرحبا بالعالم", "שלום עולם", "中文文本", "Ελληνικά", "ﬁ ligature", "e\u0301", "🌍"]
)
LONG_WORD = st.integers(40, 200).map(lambda n: "Multistakeholder" * (n // 16))
# What a master may try that the model must refuse in one line, or keep harmless.
HOSTILE_INLINE = st.sampled_from(
    [
        "<script>alert(1)</script>",
        "<!-- a comment -->",
        "<span onclick='x()'>x</span>",
        "`<b>`{=html}",
        "\\begin{document}",
        "$x^2$",
        "![a figure](figure.png)",
        "![gone](missing.png)",
        "![passwd](/etc/passwd)",
        "![up](../outside.png)",
        "![local](file:///etc/hosts)",
        "![remote](https://example.org/x.png)",
        "![pixel](data:image/png;base64,iVBORw0KGgo=)",
        "[web](https://example.org/)",
        "[mail](mailto:someone@example.org)",
        "[script](javascript:alert(1))",
        "[file](file:///etc/hosts)",
        "[within](#q1)",
        "[styled]{style='background:url(x)'}",
        "[french]{lang=fr}",
        "[handler]{onload=x}",
        "[@source-2024]",
        "[see @source-2024, p. 3]",
        "[@no-such-key]",
        "a footnote[^n]",
        "`code`",
        "<https://example.org/bare>",
        "https://example.org/autolinked",
    ]
)


def weighted(*choices: tuple[int, st.SearchStrategy]) -> st.SearchStrategy:
    """One of the strategies, each as often as its weight says."""
    return st.sampled_from([s for weight, s in choices for _ in range(weight)]).flatmap(
        lambda chosen: chosen
    )


def inline_of(*hostile: tuple[int, st.SearchStrategy]) -> st.SearchStrategy[str]:
    words = weighted((20, WORDS), (8, SCRIPTS), (1, LONG_WORD), *hostile)
    return st.lists(words, min_size=1, max_size=8).map(" ".join)


def _list(item: st.SearchStrategy[str], depth: int) -> st.SearchStrategy[str]:
    item = item.map(lambda text: text.replace("\n", " "))
    if depth == 0:
        return st.lists(item, min_size=1, max_size=4).map(
            lambda items: "\n".join(f"- {i}" for i in items)
        )
    return st.tuples(item, _list(item, depth - 1)).map(
        lambda pair: f"1. {pair[0]}\n\n" + "\n".join("    " + line for line in pair[1].splitlines())
    )


def _table(cell: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.lists(st.tuples(cell, cell), min_size=1, max_size=4).map(
        lambda rows: (
            "| A | B |\n|---|---|\n"
            + "\n".join(f"| {a.replace('|', ' ')} | {b.replace('|', ' ')} |" for a, b in rows)
        )
    )


def block_of(text: st.SearchStrategy[str], *hostile: tuple[int, st.SearchStrategy]):
    return weighted(
        (4, text),
        (2, text.map(lambda t: f"# {t}")),
        (1, text.map(lambda t: f"## {t}\n")),  # an empty section
        (1, text.map(lambda t: f"> {t}")),
        (1, _list(text, 2)),
        (1, _table(text)),
        (1, st.just("* * *")),
        *hostile,
    )


HOSTILE_BLOCK = st.sampled_from(
    [
        "<div>raw</div>",
        "```{=latex}\n\\input{/etc/passwd}\n```",
        "```{=openxml}\n<w:p/>\n```",
        "```python\nprint('code')\n```",
        "::: {#endorsers}\n:::",
        "::: {#endorsers}\nnot empty\n:::",
        "::: {.no-answer}\nNo answer.\n:::",
        "::: {#refs}\n:::",
        "[^n]: the footnote",
        "# [1.]{.qnum} A question? {#q1 .question}",
        "# References {#references .unnumbered}",
        "---",
    ]
)
# For the model: a hostile piece one word in thirty, one block in twelve; most masters are
# then let through, and checked. For the renderers: what the model lets through.
INLINE = inline_of((1, HOSTILE_INLINE))
BLOCK = block_of(INLINE, (1, HOSTILE_BLOCK))
SAFE_INLINE = inline_of()
SAFE_BLOCK = block_of(SAFE_INLINE)
METADATA = st.fixed_dictionaries(
    {
        "title": SAFE_INLINE,
        "author": SAFE_INLINE,
        "lang": st.sampled_from(["en", "fr", "ar", "he", "ja", "de"]),
    }
)
# The metadata a model run sees: mostly valid, else with one flaw.
GOOD_METADATA = st.fixed_dictionaries(
    {
        "title": SAFE_INLINE,
        "author": SAFE_INLINE,
        "date": st.just("2024-05-06"),
        "lang": st.sampled_from(["en", "fr-CA", "ar", "he", "ja"]),
        "identifier": st.just("urn:uuid:fuzz"),
    },
    optional={
        "subtitle": INLINE,
        "keywords": st.one_of(st.lists(WORDS, max_size=3), WORDS),
        "paper": st.sampled_from(["a4", "letter", "A4"]),
        "consultation": st.just({"name": "A", "organiser": "B", "url": "https://example.org/"}),
    },
)
FLAWS = st.sampled_from(
    [
        {"title": None},
        {"identifier": ""},
        {"author": ["a", "list"]},
        {"date": "2024-02-30"},
        {"date": "yesterday"},
        {"lang": "english"},
        {"paper": "tabloid"},
        {"consultation": {"name": "A", "url": "ftp://example.org/"}},
        {"consultation": "words"},
        {"keywords": {"a": "map"}},
        {"colour": "blue"},
    ]
)
MODEL_METADATA = weighted(
    (6, GOOD_METADATA),
    (2, st.tuples(GOOD_METADATA, FLAWS).map(lambda pair: {**pair[0], **pair[1]})),
    (1, st.sampled_from(["title: [broken\n", "- a list\n", "just text\n", "a: b: c\n"])),
)
ENDORSER = weighted(
    (12, INLINE.map(lambda name: {"name": name, "kind": "registry"})),
    (1, st.just({"name": "Same"})),
    (1, st.just({"short-name": "no name"})),
    (1, st.just({"name": "Kind", "kind": "bakery"})),
    (1, st.just({"name": "Site", "website": "javascript:alert(1)"})),
)
ENDORSERS = weighted(
    (5, st.none()),  # no endorsers.yaml
    (6, st.lists(ENDORSER, max_size=4).map(lambda e: yaml.safe_dump(e, allow_unicode=True))),
    (1, st.sampled_from(["- name: [broken\n", "just words\n", "{name: not a list}\n"])),
)
REFERENCES = [{"id": "source-2024", "type": "report", "title": "A source"}]
# Mostly none: citeproc costs a third of a second a run, the rest a twentieth.
WITH_REFERENCES = st.sampled_from([False] * 9 + [True])
STRAY = st.sampled_from([None] * 36 + ["endorsers.yml", "Master.md", "references.bib", "notes.txt"])


def _pixel() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (1, 1), "white").save(out, "PNG")
    return out.getvalue()


PIXEL = _pixel()


def write_master(folder: Path, header: dict[str, object] | str, blocks: list[str]) -> None:
    if not isinstance(header, str):
        header = yaml.safe_dump(header, allow_unicode=True)
    text = "---\n" + header + "---\n\n" + "\n\n".join(blocks)
    (folder / "master.md").write_text(text + "\n", encoding="utf-8")


def assert_one_line(error: EditionsError) -> None:
    assert str(error) and error.message
    assert "\n" not in str(error)


def assert_safe(publication: Publication) -> None:
    """What the safety checks promise of every publication they let through."""
    folder = publication.folder.resolve()
    for node in walk(publication.ast()):
        kind = node["t"]
        assert kind not in ("RawBlock", "RawInline"), node
        if kind == "Image":
            target = node["c"][2][0]
            assert target.startswith("data:") or (folder / target).resolve().is_relative_to(
                folder
            ), target
        elif kind == "Link":
            target = node["c"][2][0]
            assert target.startswith("#") or target.split(":")[0].lower() in LINK_SCHEMES
    assert publication.metadata.title and publication.metadata.identifier
    assert publication.contents == table_of_contents(publication.ast()["blocks"])


@settings(
    max_examples=FUZZ_EXAMPLES,
    deadline=None,
    derandomize=True,  # the same examples every run: CI is reproducible
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)
@given(
    header=MODEL_METADATA,
    blocks=st.lists(BLOCK, min_size=1, max_size=8),
    endorsers=ENDORSERS,
    with_references=WITH_REFERENCES,
    stray=STRAY,
)
def test_random_publications_load_or_fail_in_one_line(
    header: dict[str, object] | str,
    blocks: list[str],
    endorsers: str | None,
    with_references: bool,
    stray: str | None,
):
    with tempfile.TemporaryDirectory(prefix="fuzz-") as scratch:
        folder = Path(scratch) / "fuzz"
        folder.mkdir()
        write_master(folder, header, blocks)
        (folder / "figure.png").write_bytes(PIXEL)
        if endorsers is not None:
            (folder / "endorsers.yaml").write_text(endorsers, encoding="utf-8")
        if with_references:
            (folder / "references.json").write_text(json.dumps(REFERENCES), encoding="utf-8")
        if stray is not None:
            (folder / stray).write_text("", encoding="utf-8")
        try:
            publication = load_publication(folder)
        except EditionsError as error:
            assert_one_line(error)
            event(f"refused: {error.message[:25]}")  # --hypothesis-show-statistics
        else:
            assert_safe(publication)
            event("loaded")


@pytest.mark.slow
@settings(
    max_examples=FUZZ_BUILD_EXAMPLES,
    deadline=None,
    # Every example builds four editions: report the failing one as found, unshrunk.
    phases=[Phase.explicit, Phase.generate],
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(metadata=METADATA, blocks=st.lists(SAFE_BLOCK, min_size=1, max_size=8))
def test_random_input_builds_every_edition_or_fails_in_one_line(
    tmp_path_factory: pytest.TempPathFactory, metadata: dict[str, str], blocks: list[str]
):
    root = tmp_path_factory.mktemp("fuzz")
    folder = root / "source" / "fuzz"
    folder.mkdir(parents=True)
    write_master(folder, {**metadata, "date": "2024-05-06", "identifier": "urn:uuid:fuzz"}, blocks)
    (folder / "figure.png").write_bytes(PIXEL)
    out = root / "build"
    try:
        editions = build(root / "source", out, jobs=1)
    except EditionsError as error:
        assert_one_line(error)
        event(f"refused: {error.message[:25]}")
    else:
        event("built")
        assert sorted(e.format for e in editions) == sorted(NAMES)
        for edition in editions:
            assert_complete(edition.path)
    if out.exists():
        assert_no_partial_files(out)


# --- two builds at once -------------------------------------------------------------------


@pytest.mark.slow
def test_two_builds_at_once_leave_no_corrupt_file(tmp_path: Path):
    source = tmp_path / "source"
    copy_fixture(source / "minimal")
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
    copy_fixture(folder)
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
