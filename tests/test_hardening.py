"""Hardening: a contributor's master and data files are untrusted, whatever they hold.

Each class of defect from the hardening issue, with several cases: what must be refused
(one line naming the file and the line), and what must still build as before.
"""

from __future__ import annotations

import base64
import http.server
import io
import os
import re
import struct
import subprocess
import sys
import threading
import zipfile
import zlib
from pathlib import Path

import pytest
from PIL import Image

import editions.model.publication as publication_module
from editions.build import build
from editions.errors import EditionsError
from editions.model.limits import (
    MAX_DATA_BYTES,
    MAX_FIELD_CHARS,
    MAX_IMAGE_PIXELS,
    MAX_MASTER_BYTES,
)
from editions.model.publication import load_publication

from publications import add_to_body, copy_fixture, edit

SECRET = "TOP-SECRET-CONTENT-0f9a"
FIRST_BODY_LINE = 11  # where add_to_body puts a snippet in the minimal master


def refused(folder: Path, message: str) -> EditionsError:
    with pytest.raises(EditionsError) as caught:
        load_publication(folder)
    assert message in caught.value.message, caught.value.message
    return caught.value


def png(width: int = 3, height: int = 2, colour: tuple[int, int, int] = (0, 0, 255)) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), colour).save(out, "PNG")
    return out.getvalue()


def png_header_only(width: int, height: int, idat: bytes = zlib.compress(b"\0")) -> bytes:
    """A PNG that claims width × height pixels and holds almost none (decoding never ends)."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        crc = zlib.crc32(kind + data) & 0xFFFFFFFF
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", crc)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", idat) + chunk(b"IEND", b"")
    )


def svg(inner: str, prologue: str = "") -> bytes:
    return (
        f'{prologue}<svg xmlns="http://www.w3.org/2000/svg" '
        f'xmlns:xlink="http://www.w3.org/1999/xlink" width="10" height="10">{inner}</svg>'
    ).encode()


def cli_build(source: Path, out: Path, *formats: str) -> subprocess.CompletedProcess[str]:
    args = [sys.executable, "-m", "editions", "build", "--source", str(source), "--out", str(out)]
    for name in formats:
        args += ["--format", name]
    return subprocess.run(args, capture_output=True, text=True, timeout=300, check=False)


def assert_one_error_line(result: subprocess.CompletedProcess[str], where: str) -> None:
    """Exit 1, a single 'error: FILE:LINE: ...' line on stderr, no traceback."""
    assert result.returncode == 1, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert re.match(rf"error: \S*{re.escape(where)}(:\d+)?: ", lines[0]), lines[0]
    assert "Traceback" not in result.stderr


# 1. Metadata comes from the first block only, and only fields we know.


def second_block(fields: str, end: str = "...") -> str:
    return f"---\n{fields}\n{end}"


@pytest.mark.parametrize(
    "fields",
    [
        "csl: ../secret.txt",
        "csl: http://127.0.0.1:9/style.csl",
        "subtitle: <script>alert(1)</script>",
        "rights: All rights reserved, says someone else",
        "references:\n- id: planted\n  type: book\n  title: Planted\nnocite: '@*'",
        "header-includes: '<script>x</script>'",
    ],
)
def test_a_second_metadata_block_is_refused_at_its_line(minimal: Path, fields: str):
    add_to_body(minimal, second_block(fields))
    error = refused(minimal, "a second metadata block")
    assert (error.path, error.line) == (minimal / "master.md", FIRST_BODY_LINE)


def test_a_second_block_closed_by_dashes_is_refused_too(minimal: Path):
    add_to_body(minimal, second_block("title: Another", end="---"))
    assert refused(minimal, "a second metadata block").line == FIRST_BODY_LINE


def test_a_second_block_never_makes_pandoc_fetch(minimal: Path):
    requests: list[str] = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self) -> None:
            requests.append(self.path)
            self.send_response(404)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        add_to_body(minimal, second_block(f"csl: http://127.0.0.1:{server.server_port}/x.csl"))
        refused(minimal, "a second metadata block")
    finally:
        server.shutdown()
    assert requests == []


@pytest.mark.parametrize(
    "snippet",
    [
        "```yaml\n---\ncsl: example.csl\n...\n```",  # an example in a code block
        "---\n\nA paragraph after a horizontal rule.\n\n---\n\nAnother.",
        "~~~\n---\ntitle: x\n---\n~~~",
    ],
)
def test_what_only_looks_like_a_block_still_builds(minimal: Path, snippet: str):
    add_to_body(minimal, snippet)
    load_publication(minimal)


@pytest.mark.parametrize(
    "field",
    [
        "csl: /etc/passwd",
        "bibliography: /etc/passwd",
        "references: []",
        "citation-abbreviations: /etc/passwd",
        "header-includes: x",
        "include-before: x",
        "css: /etc/passwd",
        "epub-cover-image: /etc/passwd",
        "reference-doc: /etc/passwd",
        "template: /etc/passwd",
        "resource-path: /",
        "nocite: '@*'",
    ],
)
def test_fields_that_make_pandoc_read_are_refused_in_the_first_block(minimal: Path, field: str):
    edit(minimal / "master.md", "lang: en\n", f"lang: en\n{field}\n")
    assert refused(minimal, "unknown metadata field").line == 6


def test_pandoc_is_handed_the_checked_text_and_no_path_of_the_publication(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
):
    calls: list[tuple[list[str], bytes, Path | None]] = []
    real = publication_module.run_pandoc

    def recording(args: list[str], stdin: str | bytes = b"", **options: object) -> bytes:
        data = stdin.encode() if isinstance(stdin, str) else stdin
        calls.append((args, data, options.get("cwd")))
        return real(args, stdin=stdin, **options)

    monkeypatch.setattr(publication_module, "run_pandoc", recording)
    load_publication(minimal)
    ((args, stdin, cwd),) = calls
    assert str(minimal) not in " ".join(args) and "master.md" not in args
    assert cwd is not None and not Path(cwd).resolve().is_relative_to(minimal.resolve())
    assert stdin.startswith(b"\n# [1.]{.qnum} A question?")  # the body, no metadata block


# 2. Nothing is read through a link leading out of the folder.


@pytest.mark.parametrize("name", ["master.md", "endorsers.yaml", "references.json"])
def test_a_file_linked_from_outside_is_refused(minimal: Path, name: str):
    outside = minimal.parent / f"outside-{name}"
    outside.write_bytes((minimal / name).read_bytes().replace(b"minimal", SECRET.encode()))
    (minimal / name).unlink()
    (minimal / name).symlink_to(outside)
    error = refused(minimal, "symbolic link leading outside the publication folder")
    assert error.path == minimal / name


def test_a_link_inside_the_folder_is_followed(minimal: Path):
    (minimal / "data").mkdir()
    (minimal / "endorsers.yaml").rename(minimal / "data" / "endorsers.yaml")
    (minimal / "endorsers.yaml").symlink_to("data/endorsers.yaml")
    assert load_publication(minimal).endorsers


def test_a_linked_publication_folder_is_refused(minimal: Path):
    link = minimal.parent / "linked"
    link.symlink_to(minimal)
    refused(link, "the publication folder is a symbolic link")


def test_a_dangling_link_or_a_fifo_is_refused(minimal: Path):
    (minimal / "references.json").unlink()
    (minimal / "references.json").symlink_to(minimal / "nowhere.json")
    refused(minimal, "file not found")
    (minimal / "references.json").unlink()
    os.mkfifo(minimal / "references.json")  # reading it would wait forever
    refused(minimal, "is not a regular file")


def test_an_image_linked_from_outside_is_refused_in_every_form(minimal: Path):
    (minimal.parent / "secret.png").write_bytes(png())
    (minimal / "sub").mkdir()
    (minimal / "sub" / "p.png").symlink_to(minimal.parent / "secret.png")
    add_to_body(minimal, "![x](sub/p.png)")
    refused(minimal, "outside the publication folder")


# 4. Every input is read once: what pandoc parses is what was checked.


def test_a_master_replaced_during_the_build_is_not_mixed_in(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
):
    real = publication_module.run_pandoc

    def replacing_first(args: list[str], **kwargs: object) -> bytes:
        # Between the checks and the parse, the file is swapped for a hostile one.
        (minimal / "master.md").write_text("---\ntitle: x\n---\n\n<script>x</script>\n")
        return real(args, **kwargs)

    monkeypatch.setattr(publication_module, "run_pandoc", replacing_first)
    publication = load_publication(minimal)
    assert "A question?" in publication.contents[0].title
    assert "script" not in publication.ast_json


def test_references_replaced_during_the_build_are_not_mixed_in(
    minimal: Path, monkeypatch: pytest.MonkeyPatch
):
    real = publication_module.run_pandoc

    def replacing_first(args: list[str], **kwargs: object) -> bytes:
        (minimal / "references.json").write_text('[{"id": "source-2024", "title": "Swapped"}]')
        return real(args, **kwargs)

    monkeypatch.setattr(publication_module, "run_pandoc", replacing_first)
    publication = load_publication(minimal)
    assert "Swapped" not in publication.ast_json


# 5. SVG images hold drawing only, in every edition.

HOSTILE_SVGS = [
    ("<script>alert(1)</script>", "", "<script>"),
    ('<rect width="1" height="1" onload="alert(1)"/>', "", "event attribute 'onload'"),
    ('<use xlink:href="http://127.0.0.1:9/x.svg#a"/>', "", "refers to 'http://127.0.0.1:9"),
    ('<image href="file:///etc/passwd" width="1" height="1"/>', "", "refers to 'file:///etc"),
    (
        '<foreignObject><p xmlns="http://www.w3.org/1999/xhtml">x</p></foreignObject>',
        "",
        "<foreignObject>",
    ),
    ("<text>&secret;</text>", '<!DOCTYPE svg [<!ENTITY secret SYSTEM "/etc/passwd">]>', "DOCTYPE"),
    ("<rect/>", '<?xml-stylesheet href="http://127.0.0.1:9/x.css"?>', "processing instruction"),
    ("<style>@import url(http://127.0.0.1:9/x.css);</style>", "", "@import"),
    ('<rect fill="url(http://127.0.0.1:9/p.svg#g)"/>', "", "refers to 'http://127.0.0.1:9"),
    ('<a href="javascript:alert(1)"><rect/></a>', "", "refers to 'javascript:"),
    ('<rect id="r"/><set href="#r" attributeName="onclick" to="alert(1)"/>', "", "animates"),
]


@pytest.mark.parametrize(("inner", "prologue", "message"), HOSTILE_SVGS)
def test_a_hostile_svg_is_refused_at_its_line(minimal: Path, inner: str, prologue: str, message):
    (minimal / "figure.svg").write_bytes(svg(inner, prologue))
    add_to_body(minimal, "![A figure](figure.svg)")
    error = refused(minimal, message)
    assert "the image 'figure.svg'" in error.message
    assert (error.path, error.line) == (minimal / "master.md", FIRST_BODY_LINE)


def test_a_hostile_svg_as_a_data_uri_is_refused(minimal: Path):
    encoded = base64.b64encode(svg("<script>alert(1)</script>")).decode()
    add_to_body(minimal, f"![x](data:image/svg+xml;base64,{encoded})")
    assert refused(minimal, "<script>").line == FIRST_BODY_LINE


@pytest.mark.parametrize("format_name", ["html", "pdf", "docx", "epub"])
def test_no_edition_is_written_with_a_hostile_svg(minimal: Path, tmp_path: Path, format_name):
    (minimal / "figure.svg").write_bytes(svg("<script>alert(1)</script>"))
    add_to_body(minimal, "![A figure](figure.svg)")
    out = tmp_path / "out"
    with pytest.raises(EditionsError, match="<script>"):
        build(minimal.parent, out, formats=[format_name], jobs=1)
    assert not [p for p in out.rglob("*") if p.is_file()]


def test_the_renderers_check_again_what_they_are_handed(minimal: Path, tmp_path: Path):
    """A document that did not come through the loader (a bug, a future path) is refused."""
    from dataclasses import replace

    from editions.build import render_edition

    publication = load_publication(minimal)
    uri = "data:image/svg+xml;base64," + base64.b64encode(svg("<script>x</script>")).decode()
    image = {"t": "Image", "c": [["", [], []], [{"t": "Str", "c": "x"}], [uri, ""]]}
    hostile = replace(
        publication,
        ast_json=publication.ast_json.replace(
            '"blocks": [', '"blocks": [' + f'{{"t": "Para", "c": [{_json(image)}]}}, ', 1
        ),
    )
    for format_name in ("epub", "pdf"):
        with pytest.raises(EditionsError, match="<script>"):
            render_edition(hostile, format_name, tmp_path / format_name)


def _json(value: object) -> str:
    import json

    return json.dumps(value)


def test_a_drawing_svg_is_kept_without_its_comments(minimal: Path):
    (minimal / "figure.svg").write_bytes(
        svg('<!-- note --><defs><g id="g"><rect width="2" height="2"/></g></defs><use href="#g"/>')
    )
    add_to_body(minimal, "![A figure](figure.svg)")
    (embedded,) = re.findall(
        r"data:image/svg\+xml;base64,([A-Za-z0-9+/=]+)", load_publication(minimal).ast_json
    )
    data = base64.b64decode(embedded)
    assert b"<use" in data and b"note" not in data


# 9. Limits: no input hangs the build or eats the memory.


def use_bomb(levels: int = 7, fan: int = 10) -> bytes:
    groups = ['<g id="l0"><rect width="1" height="1"/></g>']
    for level in range(1, levels):
        uses = "".join(f'<use href="#l{level - 1}"/>' for _ in range(fan))
        groups.append(f'<g id="l{level}">{uses}</g>')
    return svg("<defs>" + "".join(groups) + f'</defs><use href="#l{levels - 1}"/>')


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (use_bomb(), "draws more than"),
        (use_bomb(levels=8, fan=1), "chained more than"),
        (svg('<g id="a"><use href="#a"/></g>'), "referring to themselves"),
        (svg("<rect/>" * 10_001), "more than 10,000 elements"),
        (png_header_only(20_000, 20_000), "pixels"),
        (png_header_only(8_000, 6_000), "pixels (8000×6000)"),
        (b"just some text, not an image\n", "is not a PNG, JPEG, GIF or SVG image"),
        (png()[:-20], "cannot be decoded"),
        (png_header_only(3, 2, idat=b"not zlib data"), "cannot be decoded"),
        (b"\x89PNG\r\n\x1a\n" + b"\0" * (10 * 1024 * 1024), "is larger than 10,240 KiB"),
    ],
)
def test_an_image_beyond_the_limits_or_broken_is_refused(minimal: Path, data: bytes, message):
    (minimal / "figure.png").write_bytes(data)
    add_to_body(minimal, "![A figure](figure.png)")
    error = refused(minimal, message)
    assert (error.path, error.line) == (minimal / "master.md", FIRST_BODY_LINE)


def test_the_pixel_limit_allows_a_large_photograph(minimal: Path):
    assert MAX_IMAGE_PIXELS >= 6000 * 4000
    (minimal / "figure.png").write_bytes(png(600, 400))
    add_to_body(minimal, "![A figure](figure.png)")
    load_publication(minimal)


@pytest.mark.parametrize(
    ("snippet", "line"),
    [
        ("- " * 3000 + "deep", FIRST_BODY_LINE),
        ("> " * 3000 + "deep", FIRST_BODY_LINE),
        ("\n".join("  " * level + "- item" for level in range(60)), FIRST_BODY_LINE + 40),
        (
            "\n".join(f"::: {{.d{n}}}" for n in range(50)) + "\n" + ":::\n" * 50,
            FIRST_BODY_LINE + 40,
        ),
    ],
)
def test_nesting_far_too_deep_is_refused_before_pandoc(minimal: Path, snippet: str, line: int):
    add_to_body(minimal, snippet)
    assert refused(minimal, "nested at most 20 levels deep").line == line


def test_nesting_just_beyond_the_limit_is_refused_and_within_it_builds(minimal: Path):
    add_to_body(minimal, "> " * 21 + "deep")
    assert refused(minimal, "nested at most 20 levels deep").line == FIRST_BODY_LINE
    edit(minimal / "master.md", "> " * 21, "> " * 19)
    load_publication(minimal)


def test_a_master_too_large_is_refused(minimal: Path):
    add_to_body(minimal, ("Words and words. " * 64 + "\n\n") * (MAX_MASTER_BYTES // 1000))
    refused(minimal, "is larger than 2,048 KiB")


@pytest.mark.parametrize("name", ["endorsers.yaml", "references.json"])
def test_a_data_file_too_large_is_refused(minimal: Path, name: str):
    with (minimal / name).open("a", encoding="utf-8") as file:
        file.write(" " * MAX_DATA_BYTES)
    assert refused(minimal, "is larger than").path == minimal / name


@pytest.mark.parametrize("field", ["title", "subtitle", "description"])
def test_a_metadata_field_too_long_is_refused(minimal: Path, field: str):
    long = "A very long title " * (MAX_FIELD_CHARS // 10)
    if field == "title":
        edit(minimal / "master.md", "title: A minimal publication", f"title: {long}")
    else:
        edit(minimal / "master.md", "lang: en\n", f"lang: en\n{field}: {long}\n")
    error = refused(minimal, f"a metadata field holds at most {MAX_FIELD_CHARS:,}")
    assert error.line in (2, 6)


def test_yaml_aliases_cannot_multiply_values(minimal: Path):
    lines = ['a0: &a0 ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    for n in range(1, 9):
        lines.append(f"a{n}: &a{n} [" + ", ".join([f"*a{n - 1}"] * 10) + "]")
    (minimal / "endorsers.yaml").write_text(
        "- name: x\n  bomb:\n" + "".join(f"    {line}\n" for line in lines)
    )
    error = refused(minimal, "more than 100,000 values")
    assert error.path == minimal / "endorsers.yaml"


# 10. Every error names the file and the line; through the command line, one line.


def hostile_master(minimal: Path, change: str) -> None:
    master = minimal / "master.md"
    text = master.read_text(encoding="utf-8")
    if change == "nul":
        text = text.replace("An answer citing", "An answer\0 citing")
    elif change == "date":
        text = text.replace("date: 2024-01-02", "date: 2025-02-30")
    elif change == "quotes":
        text = text.replace("An answer citing", ">" * 500 + " deep\n\nAn answer citing")
    elif change == "yaml":
        text = text.replace(
            "lang: en\n", "lang: en\nkeywords: " + "[" * 20_000 + "]" * 20_000 + "\n"
        )
    elif change == "entity link":
        text = text.replace("An answer citing", "[x](&#106;avascript:alert(1))\n\nAn answer citing")
    elif change == "entity control":
        text = text.replace("An answer citing", "A bell &#7; rings.\n\nAn answer citing")
    elif change == "title control":
        text = text.replace("title: A minimal publication", 'title: "A \\x01 title"')
    master.write_text(text, encoding="utf-8")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("change", "line"),
    [
        ("nul", 11),
        ("date", 4),
        ("quotes", 11),
        ("yaml", 6),
        ("entity link", 11),
        ("entity control", 11),
        ("title control", 2),
    ],
)
def test_a_broken_master_is_one_line_naming_its_line(minimal: Path, tmp_path: Path, change, line):
    hostile_master(minimal, change)
    result = cli_build(minimal.parent, tmp_path / "out", "html")
    assert_one_error_line(result, f"master.md:{line}")


@pytest.mark.slow
@pytest.mark.parametrize(
    ("name", "content", "line"),
    [
        ("endorsers.yaml", "- name: Registry\x01 One\n", 1),
        ("endorsers.yaml", '- name: "Registry\\x01 One"\n', 1),
        ("endorsers.yaml", "- name: x\n  kind: " + "[" * 20_000 + "]" * 20_000 + "\n", 2),
        ("references.json", "[" * 100_000 + "]" * 100_000, 1),
        ("references.json", '[{"id": "source-2024", "type": "book", "title": "A \\u0000"}]', 1),
    ],
)
def test_a_broken_data_file_is_one_line_naming_its_line(
    minimal: Path, tmp_path: Path, name: str, content: str, line: int
):
    (minimal / name).write_text(content, encoding="utf-8")
    result = cli_build(minimal.parent, tmp_path / "out", "html")
    assert_one_error_line(result, f"{name}:{line}")


@pytest.mark.parametrize("newline", ["\r\n", "\r"])
def test_crlf_and_cr_masters_build_the_same_as_lf(minimal: Path, tmp_path: Path, newline: str):
    lf = load_publication(minimal)
    other = copy_fixture(tmp_path / "other" / "minimal")
    master = other / "master.md"
    master.write_bytes(master.read_bytes().replace(b"\n", newline.encode()))
    assert load_publication(other).ast_json == lf.ast_json


def test_an_entity_hidden_link_keeps_its_line(minimal: Path):
    add_to_body(minimal, "Some text.\n\nMore: [x](&#106;avascript:alert(1))")
    assert refused(minimal, "must be a web address").line == FIRST_BODY_LINE + 2


# 11. Endorser names: one form, nothing invisible, duplicates however written.


def endorsers_file(minimal: Path, *names: str) -> None:
    (minimal / "endorsers.yaml").write_text(
        "".join(f'- name: "{name}"\n' for name in names), encoding="utf-8"
    )


@pytest.mark.parametrize(
    "second",
    [
        "Re\u0301seau Example",  # NFD of the first
        "RÉSEAU EXAMPLE",
        "Réseau   Example",
        "Ｒéseau Example",  # a full-width R
    ],
)
def test_endorsers_differing_only_in_form_are_duplicates(minimal: Path, second: str):
    endorsers_file(minimal, "Réseau Example", second)
    error = refused(minimal, "duplicate endorser")
    assert (error.path, error.line) == (minimal / "endorsers.yaml", 2)


@pytest.mark.parametrize(
    "name",
    [
        "Evil\u202eCorp",  # right-to-left override
        "Re\u200bgistry",  # zero-width space
        "Registry\u2066 One",  # left-to-right isolate
        "Reg\u00adistry",  # soft hyphen
        "\ufeffRegistry",
    ],
)
def test_invisible_and_bidi_characters_in_a_name_are_refused(minimal: Path, name: str):
    endorsers_file(minimal, "First Registry", name)
    error = refused(minimal, "invisible character")
    assert (error.path, error.line) == (minimal / "endorsers.yaml", 2)


def test_an_nfd_name_is_printed_in_nfc(minimal: Path):
    endorsers_file(minimal, "Re\u0301seau Example")
    (endorser,) = load_publication(minimal).endorsers
    assert endorser.name == "Réseau Example"


# 12. One id, one place.


@pytest.mark.parametrize(
    ("snippet", "message", "line"),
    [
        ("# Again {#q1}", "the id '#q1' is given twice (first on line 9)", 11),
        (
            "::: {#endorsers}\n:::",
            "(first on line 11); keep one '::: {#endorsers}' placeholder",
            18,
        ),
        ("[a span]{#refs}", "the id '#refs' is given twice (first on line 11)", 22),
        (
            "## Same {#twin}\n\n## Other {#twin}",
            "the id '#twin' is given twice (first on line 11)",
            13,
        ),
    ],
)
def test_an_id_given_twice_is_refused_at_its_line(minimal: Path, snippet: str, message, line):
    add_to_body(minimal, snippet)
    error = refused(minimal, message)
    assert (error.path, error.line) == (minimal / "master.md", line)


def test_an_id_colliding_with_a_generated_one_is_refused(minimal: Path):
    add_to_body(minimal, "# Background\n\nText.\n\n::: {#background}\nx\n:::")
    assert refused(minimal, "the id '#background' is given twice").line == FIRST_BODY_LINE + 4


# 13. Every image is in every edition.


@pytest.mark.slow
def test_every_image_is_in_every_edition(minimal: Path, tmp_path: Path):
    picture = png(7, 5, (200, 30, 30))
    drawing = svg('<rect width="10" height="10" fill="#123456"/>')
    (minimal / "picture.png").write_bytes(picture)
    (minimal / "drawing.svg").write_bytes(drawing)
    add_to_body(minimal, "![A red picture](picture.png)\n\n![A drawing](drawing.svg)")
    checked_drawing = base64.b64decode(
        re.findall(r"svg\+xml;base64,([^\"]+)", load_publication(minimal).ast_json)[0]
    )
    out = tmp_path / "out"
    build(minimal.parent, out, jobs=1)
    folder = out / "minimal"

    page = (folder / "minimal.html").read_text(encoding="utf-8")
    assert f'src="data:image/png;base64,{base64.b64encode(picture).decode()}"' in page
    assert f'src="data:image/svg+xml;base64,{base64.b64encode(checked_drawing).decode()}"' in page

    with zipfile.ZipFile(folder / "minimal.epub") as book:
        media = [book.read(n) for n in book.namelist() if "/media/" in n]
    assert picture in media and checked_drawing in media

    with zipfile.ZipFile(folder / "minimal.docx") as document:
        media = [document.read(n) for n in document.namelist() if n.startswith("word/media/")]
    assert picture in media and checked_drawing in media

    pdf = (folder / "minimal.pdf").read_bytes()
    streams = [
        zlib.decompress(m.group(1))
        for m in re.finditer(rb"/FlateDecode[^>]*>>\s*stream\r?\n(.*?)endstream", pdf, re.S)
        if _inflatable(m.group(1))
    ]
    objects = pdf + b"".join(streams)
    assert re.search(rb"/Subtype\s*/Image\b", objects)  # the PNG, an image XObject
    assert re.search(rb"/Width\s+7\b", objects) and re.search(rb"/Height\s+5\b", objects)
    # The drawing, as vector paths in its own colour (#123456 = 0.0706 0.2039 0.3373).
    assert re.search(rb"0\.0705\d*\s+0\.2039\d*\s+0\.3372\d*\s+rg", objects)


def _inflatable(data: bytes) -> bool:
    try:
        zlib.decompress(data)
    except zlib.error:
        return False
    return True


def test_a_truncated_image_is_refused_even_after_weasyprint_is_imported(minimal: Path):
    import weasyprint  # noqa: F401 (it makes Pillow lenient for the whole process)

    (minimal / "figure.png").write_bytes(png_header_only(3, 2, idat=b"not zlib data"))
    add_to_body(minimal, "![A figure](figure.png)")
    refused(minimal, "cannot be decoded")
