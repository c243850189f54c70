"""Hostile input: a master cannot reach outside its folder, reach the network, or run code."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from editions.errors import EditionsError
from editions.model.publication import load_publication

from publications import add_to_body, copy_fixture

SECRET = "TOP-SECRET-CONTENT-0f9a"


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    """A copy of the hostile fixture, with a secret file beside (outside) it."""
    (tmp_path / "secret.txt").write_text(SECRET, encoding="utf-8")
    folder = tmp_path / "publication"
    return copy_fixture(folder)


# (snippet in the master, what the one-line error says)
REFUSED = [
    ("![secret](/etc/passwd)", "outside the publication folder"),
    ("![secret](../secret.txt)", "outside the publication folder"),
    ("![secret](../../../../../../etc/passwd)", "outside the publication folder"),
    ("![secret](file:///etc/passwd)", "not a file in the publication folder"),
    ("![remote](http://127.0.0.1:9/x.png)", "not a file in the publication folder"),
    ("![remote](https://example.org/x.png)", "not a file in the publication folder"),
    ("![remote](//example.org/x.png)", "not a file in the publication folder"),
    ("![missing](nowhere.png)", "does not exist"),
    ("<script>alert(1)</script>", "raw HTML is not allowed"),
    ('<iframe src="https://example.org"></iframe>', "raw HTML is not allowed"),
    ('<img src="/etc/passwd">', "raw HTML is not allowed"),
    ('<link rel="stylesheet" href="http://127.0.0.1:9/x.css">', "raw HTML is not allowed"),
    ("<style>@import url(http://127.0.0.1:9/x.css);</style>", "raw HTML is not allowed"),
    ('[text]{onclick="alert(1)"}', "attribute 'onclick' is not allowed"),
    ('[text]{style="background: url(http://127.0.0.1:9/)"}', "attribute 'style' is not allowed"),
    ("[click](javascript:alert(1))", "must be a web address"),
    ("[local](file:///etc/passwd)", "must be a web address"),
    ("```{=openxml}\n<w:p/>\n```", "raw OPENXML is not allowed"),  # reported at <w:p/>
    ("\\input{/etc/passwd}", "raw TEX is not allowed"),
]


@pytest.mark.parametrize(("snippet", "message"), REFUSED)
def test_hostile_content_is_refused(hostile: Path, snippet: str, message: str):
    add_to_body(hostile, snippet)
    with pytest.raises(EditionsError) as caught:
        load_publication(hostile)
    assert message in caught.value.message
    assert caught.value.path == hostile / "master.md"
    assert caught.value.line == (12 if "openxml" in snippet else 11)


def test_a_symbolic_link_leading_outside_is_refused(hostile: Path):
    os.symlink(hostile.parent / "secret.txt", hostile / "innocent.png")
    add_to_body(hostile, "![innocent](innocent.png)")
    with pytest.raises(EditionsError, match="outside the publication folder"):
        load_publication(hostile)


def test_html_comments_are_dropped_not_published(hostile: Path):
    add_to_body(hostile, "<!-- internal: check with legal -->")
    publication = load_publication(hostile)
    assert "check with legal" not in publication.ast_json


def test_raw_html_in_metadata_is_refused(hostile: Path):
    master = hostile / "master.md"
    text = master.read_text(encoding="utf-8")
    master.write_text(text.replace("A minimal publication", "A <script>x</script> title"), "utf-8")
    with pytest.raises(EditionsError, match="raw HTML is not allowed"):
        load_publication(hostile)


def test_an_image_inside_the_folder_is_accepted(hostile: Path):
    # A whole PNG: one that cannot be decoded is refused (tests/test_hardening.py).
    from base64 import b64encode
    from io import BytesIO

    from PIL import Image

    png = BytesIO()
    Image.new("RGB", (2, 2)).save(png, "PNG")
    (hostile / "figure.png").write_bytes(png.getvalue())
    add_to_body(hostile, "![A figure](figure.png)")
    # Embedded as the bytes that were checked: no edition reads the file again.
    assert b64encode(png.getvalue()).decode() in load_publication(hostile).ast_json


@pytest.mark.parametrize(("snippet", "message"), REFUSED[:8])
def test_a_refused_build_writes_no_edition(hostile: Path, tmp_path: Path, snippet, message):
    from editions.build import build

    add_to_body(hostile, snippet)
    out = tmp_path / "out"
    with pytest.raises(EditionsError, match=message):
        build(hostile.parent, out, slugs=[hostile.name])
    written = [p for p in out.rglob("*") if p.is_file()] if out.exists() else []
    assert written == []
    assert not any(SECRET.encode() in p.read_bytes() for p in written)
