"""Redlines: what changed since an earlier version, as tracked changes, <ins>/<del> and change
bars, from the frozen pair tests/fixtures/redline/{earlier,current} and through the command
and make as a user runs them."""

from __future__ import annotations

import copy
import re
import shutil
import subprocess
import tempfile
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, reject, settings
from hypothesis import strategies as st
from lxml import etree

from editions.build import render_edition
from editions.cli import main
from editions.errors import EditionsError
from editions.model.changes import DELETION, INSERTION, Revision, mark_blocks
from editions.model.publication import Publication, load_publication
from editions.model.redline import redline

from publications import FIXTURES, FLAGSHIP, copy_fixture, edit, make, project_copy
from validators import axe_violations, libreoffice_text, nu_html_errors

PAIR = FIXTURES / "redline"
W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
NS = {"w": W}
REVISION = Revision("Tester", "2025-02-05T00:00:00Z")


@pytest.fixture(scope="module")
def earlier() -> Publication:
    return load_publication(PAIR / "earlier")


@pytest.fixture(scope="module")
def current() -> Publication:
    return load_publication(PAIR / "current")


@pytest.fixture(scope="module")
def marked(earlier: Publication, current: Publication) -> Publication:
    return redline(earlier, current, "v1.0")


# --- What the comparison marks -------------------------------------------------------------


def changes(publication: Publication) -> list[tuple[str, str]]:
    """Every change span of the redline's AST: (kind, text), in document order."""
    found = []
    for node in _walk(publication.ast()["blocks"]):
        classes = node["c"][0][1] if node["t"] == "Span" else []
        for kind in (INSERTION, DELETION):
            if kind in classes:
                found.append((kind, _text(node["c"][1])))
    return found


def test_a_changed_word_is_one_deletion_and_one_insertion(marked: Publication) -> None:
    assert (DELETION, "twenty years") in changes(marked)
    assert (INSERTION, "two decades") in changes(marked)


def test_a_deleted_sentence_and_paragraph_and_an_inserted_one(marked: Publication) -> None:
    found = changes(marked)
    assert (DELETION, " It brought many voices to the table.") in found
    assert (DELETION, "A paragraph that the next version deletes, whole and without a trace.") in (
        found
    )
    inserted = [text for kind, text in found if kind == INSERTION]
    assert any(text.startswith("A paragraph that this version inserts") for text in inserted)


def test_a_changed_heading_a_list_item_a_quotation_and_cjk(marked: Publication) -> None:
    found = changes(marked)
    # Only the words added: "What has worked?" to "What has worked well?" keeps "worked" and
    # its question mark.
    assert (INSERTION, " well") in found  # the question's heading
    assert not [text for kind, text in found if kind == DELETION and "worked" in text]
    assert (INSERTION, " and secure") in found  # inside a list: "stable;" kept
    assert (INSERTION, "and meaningfully ") in found  # inside a block quotation
    # Chinese is compared character by character: only the two inserted characters.
    assert (INSERTION, "充分") in found


def test_endorsers_and_references_are_changes_in_their_place(marked: Publication) -> None:
    found = changes(marked)
    assert (DELETION, "Second Member") in found
    assert (INSERTION, "Fourth Member") in found
    assert any(kind == INSERTION and "A Review of the Process" in text for kind, text in found)
    summary = marked.redline
    assert summary is not None
    assert summary.endorsers_added == ("Fourth Member",)
    assert summary.endorsers_removed == ("Second Member",)
    assert summary.references_added == ("A review of the process",)
    assert ("version", "1.0", "1.1") in summary.title_block
    assert [q.identifier for q in summary.questions] == [
        "q1",
        "q2",
        "q3",
        "signatories",
        "references",
    ]


def test_the_same_text_is_no_change(earlier: Publication) -> None:
    same = redline(earlier, earlier, "v1.0")
    assert changes(same) == []
    assert same.redline is not None and same.redline.unchanged
    assert same.redline.summary_line() == "no changes"


def test_spacing_and_typography_that_print_alike_are_no_change() -> None:
    earlier = [_para("It's a \u201cgood\u201d   idea\u2014really.")]
    current = [_para("It\u2019s a \u201cgood\u201d idea-really.")]
    assert _changed(mark_blocks(earlier, current, REVISION)) == []


def test_a_block_rewritten_through_is_deleted_and_inserted_whole() -> None:
    earlier = [_para("The committee met on Monday and agreed the text of the letter.")]
    current = [_para("Members will vote next week on a budget for the secretariat.")]
    marked_blocks = mark_blocks(earlier, current, REVISION)
    assert len(marked_blocks) == 2  # two paragraphs, each one span: no confetti
    assert [len(block["c"]) for block in marked_blocks] == [1, 1]


def test_a_word_left_between_two_changes_joins_them() -> None:
    earlier = [_para("one two three four five six seven eight nine ten")]
    current = [_para("one two THREE four FIVE six seven eight nine ten")]
    assert _changed(mark_blocks(earlier, current, REVISION)) == [
        (DELETION, "three four five"),
        (INSERTION, "THREE four FIVE"),
    ]


# --- DOCX: real tracked changes that accept and reject exactly -----------------------------


@pytest.fixture(scope="module")
def docx_texts(
    earlier: Publication,
    current: Publication,
    marked: Publication,
    tmp_path_factory: pytest.TempPathFactory,
) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("redline-docx")
    return {
        name: render_edition(publication, "docx", out / name).path
        for name, publication in (("earlier", earlier), ("current", current), ("redline", marked))
    }


def body(docx: Path) -> etree._Element:
    with zipfile.ZipFile(docx) as archive:
        return etree.fromstring(archive.read("word/document.xml"))


def accept_all(root: etree._Element) -> etree._Element:
    """Word's Accept All: deletions gone, insertions kept, deleted paragraphs removed."""
    return _settle(root, dropped="del", kept="ins")


def reject_all(root: etree._Element) -> etree._Element:
    """Word's Reject All: insertions gone, deletions restored, inserted paragraphs removed."""
    return _settle(root, dropped="ins", kept="del")


def _settle(root: etree._Element, dropped: str, kept: str) -> etree._Element:
    """root with every revision of kind dropped undone and of kind kept made plain text."""
    root = copy.deepcopy(root)
    for paragraph in root.xpath(f"//w:p[w:pPr/w:rPr/w:{dropped}]", namespaces=NS):
        paragraph.getparent().remove(paragraph)
    for revision in root.xpath(f"//w:{dropped}", namespaces=NS):
        revision.getparent().remove(revision)
    for text in root.xpath("//w:delText", namespaces=NS):
        text.tag = f"{{{W}}}t"  # only a kept deletion still holds any
    _unwrap(root.xpath(f"//w:{kept}", namespaces=NS))
    return root


def paragraphs(root: etree._Element) -> list[str]:
    """The body's paragraphs' text, without a redline's summary (its own styles) and the
    contents (a field Word fills in again from the headings, accepted or rejected)."""
    texts = []
    for paragraph in root.xpath("//w:body//w:p", namespaces=NS):
        style = paragraph.xpath("string(w:pPr/w:pStyle/@w:val)", namespaces=NS)
        if style.startswith(("Changes", "TOC", "toc")):
            continue
        texts.append("".join(paragraph.xpath(".//w:t/text()", namespaces=NS)))
    return texts


def test_docx_accept_all_is_the_current_version_and_reject_all_the_earlier(
    docx_texts: dict[str, Path],
) -> None:
    redlined = body(docx_texts["redline"])
    assert paragraphs(accept_all(redlined)) == paragraphs(body(docx_texts["current"]))
    assert paragraphs(reject_all(redlined)) == paragraphs(body(docx_texts["earlier"]))


def test_docx_revisions_have_author_and_date_and_mark_whole_paragraphs(
    docx_texts: dict[str, Path],
) -> None:
    root = body(docx_texts["redline"])
    revisions = root.xpath("//w:ins | //w:del", namespaces=NS)
    assert revisions
    for revision in revisions:
        assert revision.get(f"{{{W}}}author") == "The Test Coalition"
        assert revision.get(f"{{{W}}}date") == "2025-02-05T00:00:00Z"
    inserted_marks = root.xpath("//w:p[w:pPr/w:rPr/w:ins]", namespaces=NS)
    deleted_marks = root.xpath("//w:p[w:pPr/w:rPr/w:del]", namespaces=NS)
    texts = [
        "".join(p.xpath(".//w:t/text() | .//w:delText/text()", namespaces=NS))
        for p in inserted_marks + deleted_marks
    ]
    assert "Fourth Member" in texts and "Second Member" in texts
    assert any(t.startswith("A paragraph that the next version deletes") for t in texts)
    ids = [r.get(f"{{{W}}}id") for r in root.xpath("//w:pPr/w:rPr/*", namespaces=NS)]
    assert len(ids) == len(set(ids))
    with zipfile.ZipFile(docx_texts["redline"]) as archive:
        assert b"<w:trackRevisions/>" in archive.read("word/settings.xml")


def test_docx_summary_is_in_its_own_styles(docx_texts: dict[str, Path]) -> None:
    root = body(docx_texts["redline"])
    styles = root.xpath("//w:pStyle/@w:val", namespaces=NS)
    assert "ChangesHeading" in styles and "ChangesSummary" in styles
    heading = root.xpath("//w:p[w:pPr/w:pStyle/@w:val='ChangesHeading']", namespaces=NS)[0]
    assert "".join(heading.xpath(".//w:t/text()", namespaces=NS)) == (
        "Changes since version 1.0 (20 January 2025)"
    )


def test_an_edition_has_no_redline_styles(docx_texts: dict[str, Path]) -> None:
    with zipfile.ZipFile(docx_texts["current"]) as archive:
        assert b"Changes Summary" not in archive.read("word/styles.xml")


words = st.sampled_from(["open", "secure", "stable", "every", "region", "new", "the"])


@settings(
    max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    edits=st.lists(
        st.tuples(st.integers(0, 400), st.sampled_from(["insert", "delete", "replace"]), words),
        min_size=1,
        max_size=6,
    )
)
@pytest.mark.slow
def test_random_word_edits_round_trip_both_ways(
    edits: list[tuple[int, str, str]], earlier: Publication, tmp_path: Path
) -> None:
    folder = copy_fixture(Path(tempfile.mkdtemp(dir=tmp_path)) / "statement", "redline/earlier")
    master = folder / "master.md"
    text = master.read_text(encoding="utf-8")
    head, body_text = text.split("\n---\n", 1)
    tokens = body_text.split(" ")
    for position, action, word in edits:
        index = position % len(tokens)
        if "{" in tokens[index] or "[" in tokens[index] or "\n" in tokens[index]:
            continue  # leave the markup alone: only words change
        if action == "insert":
            tokens.insert(index, word)
        elif action == "delete" and len(tokens) > 1:
            del tokens[index]
        else:
            tokens[index] = word
    master.write_text(head + "\n---\n" + " ".join(tokens), encoding="utf-8")
    try:
        edited = load_publication(folder)
    except EditionsError:
        reject()  # the edits left a master the build refuses (a heading without words)
    out = folder.parent / "out"
    redlined = body(render_edition(redline(earlier, edited, "v1.0"), "docx", out / "r").path)
    assert paragraphs(accept_all(redlined)) == paragraphs(
        body(render_edition(edited, "docx", out / "c").path)
    )
    assert paragraphs(reject_all(redlined)) == paragraphs(
        body(render_edition(earlier, "docx", out / "e").path)
    )


@pytest.mark.slow
def test_libreoffice_shows_the_changes(docx_texts: dict[str, Path], tmp_path: Path) -> None:
    text = libreoffice_text(docx_texts["redline"], tmp_path)
    # Both sides of a change are in LibreOffice's rendering of the document.
    assert "twenty years" in text and "two decades" in text
    assert "Second Member" in text and "Fourth Member" in text
    # A link inside an insertion (the citation) survives: pandoc nests it where Word's
    # schema does not allow it, and LibreOffice used to read "()".
    assert "as the drafting group asked (Another Body 2025)." in text


# --- HTML and PDF --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pages(marked: Publication, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    out = tmp_path_factory.mktemp("redline-pages")
    return {name: render_edition(marked, name, out).path for name in ("html", "pdf")}


def test_html_marks_changes_with_ins_and_del(pages: dict[str, Path]) -> None:
    page = pages["html"].read_text(encoding="utf-8")
    assert '<del datetime="2025-02-05T00:00:00Z">twenty years</del>' in page
    assert '<ins datetime="2025-02-05T00:00:00Z">two decades</ins>' in page
    assert 'class="insertion"' not in page
    # The summary first, then the text; the title block shows the version's change.
    assert page.index("Changes since version 1.0") < page.index('id="q1"')
    assert "<del>1.0</del> <ins>1.1</ins>" in page
    # Not colour alone: underline and strike-through.
    assert re.search(r"ins \{[^}]*text-decoration: underline", page)
    assert re.search(r"del \{[^}]*text-decoration: line-through", page)


@pytest.mark.slow
def test_html_redline_passes_nu_and_axe(pages: dict[str, Path]) -> None:
    assert nu_html_errors(pages["html"]) == []
    assert axe_violations(pages["html"]) == []
    assert axe_violations(pages["html"], color_scheme="dark", width=375) == []


@pytest.mark.slow
def test_pdf_has_a_change_bar_beside_every_changed_line(pages: dict[str, Path]) -> None:
    import pypdfium2

    document = pypdfium2.PdfDocument(pages["pdf"])
    lines = set()
    for number, page in enumerate(document):
        objects = list(page.get_objects())
        text_left = min(
            (o.get_bounds()[0] for o in objects if o.type == pypdfium2.raw.FPDF_PAGEOBJ_TEXT),
            default=0,
        )
        for item in objects:
            if item.type != pypdfium2.raw.FPDF_PAGEOBJ_PATH:
                continue
            left, bottom, right, top = item.get_bounds()
            # A thin, line-high stroke in the margin, left of every text on the page.
            if right - left < 3 and 8 < top - bottom < 20 and right < text_left:
                lines.add((number, round(bottom)))
    # The title page's date and version; the heading, the two lines of the first answer,
    # the deleted and the inserted paragraph, the list item, the quotation, the Chinese
    # sentence, the two endorsers, the new reference: one bar each.
    bars = len(lines)
    assert bars >= 13
    tagged = subprocess.run(
        ["pdfinfo", str(pages["pdf"])], capture_output=True, text=True, check=True
    ).stdout
    assert re.search(r"Tagged:\s+yes", tagged)
    text = subprocess.run(
        ["pdftotext", "-layout", str(pages["pdf"]), "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "twenty years" in text and "two decades" in text


@pytest.mark.slow
def test_pdf_names_each_change_in_its_tag_tree(pages: dict[str, Path]) -> None:
    """A screen reader meets Ins and Del elements (role-mapped to Span, titled), each with
    the words it holds; links inside a change stay Link elements under their annotations."""
    import pikepdf
    from test_pdf import (
        tagged_texts,
        test_every_link_annotation_hangs_from_a_link_element,
        test_the_machine_checkable_pdf_ua_basics_hold,
    )

    def words(role: str) -> list[str]:
        return [" ".join(text.split()) for text in tagged_texts(pages["pdf"], role)]

    inserted, deleted = words("/Ins"), words("/Del")
    assert {"two decades", "Fourth Member", "and secure", "1.1"} <= set(inserted)
    assert {"twenty years", "Second Member", "1.0"} <= set(deleted)
    assert "It brought many voices to the table." in deleted
    assert not {"two decades", "Fourth Member"} & set(deleted)
    with pikepdf.open(pages["pdf"]) as pdf:
        root = pdf.Root.StructTreeRoot
        assert dict(root.RoleMap) == {"/Ins": "/Span", "/Del": "/Span"}
    test_every_link_annotation_hangs_from_a_link_element(pages["pdf"])
    test_the_machine_checkable_pdf_ua_basics_hold(pages["pdf"])


def test_two_runs_give_the_same_bytes(marked: Publication, tmp_path: Path) -> None:
    first = render_edition(marked, "docx", tmp_path / "one").path.read_bytes()
    second = render_edition(marked, "docx", tmp_path / "two").path.read_bytes()
    assert first == second
    pdf_first = render_edition(marked, "pdf", tmp_path / "one").path.read_bytes()
    assert pdf_first == render_edition(marked, "pdf", tmp_path / "two").path.read_bytes()
    html_first = render_edition(marked, "html", tmp_path / "one").path.read_bytes()
    assert html_first == render_edition(marked, "html", tmp_path / "two").path.read_bytes()


# --- The command and make ------------------------------------------------------------------


def git(project: Path, *arguments: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.org", *arguments],
        cwd=project,
        check=True,
        capture_output=True,
    )


@pytest.fixture
def tagged_project(tmp_path: Path) -> Path:
    """A project whose publication was tagged v1.0 and then edited, as the coalition works."""
    project = project_copy(tmp_path / "project", ())
    shutil.copytree(PAIR / "earlier", project / "source" / "statement")
    git(project, "init", "-q")
    git(project, "add", "source")
    git(project, "commit", "-q", "-m", "Version 1.0")
    git(project, "tag", "v1.0")
    for name in ("master.md", "endorsers.yaml", "references.json"):
        shutil.copy(PAIR / "current" / name, project / "source" / "statement" / name)
    return project


@pytest.mark.slow
def test_make_redline_since_a_tag_writes_three_files(tagged_project: Path) -> None:
    done = make(tagged_project, "redline", "PUBLICATION=statement", "SINCE=v1.0")
    assert done.returncode == 0, done.stderr
    folder = tagged_project / "build" / "statement"
    assert sorted(p.name for p in folder.iterdir()) == [
        "statement.changes-since-v1.0.docx",
        "statement.changes-since-v1.0.html",
        "statement.changes-since-v1.0.pdf",
    ]
    assert (
        "statement: Changes since version 1.0 (20 January 2025): 30 words inserted, 23 deleted; "
        "questions Q1, Q2, Q3, Endorsing organisations (3), References; endorsers +1 -1; "
        "references +1 -0; "
        "Version changed; Date changed"
    ) in done.stdout


@pytest.mark.slow
def test_the_flagship_tagged_edited_and_redlined_with_make(tmp_path: Path) -> None:
    """The coalition's day: tag the version sent out, edit words, a sentence, a paragraph and
    an endorser, and ask make for the redline; the DOCX accepts to the edited version and
    rejects to the tagged one, the HTML passes Nu."""
    project = project_copy(tmp_path / "project", ())
    folder = copy_fixture(project / "source" / FLAGSHIP, FLAGSHIP)
    git(project, "init", "-q")
    git(project, "add", "source")
    git(project, "commit", "-q", "-m", "Version 1.0, as sent to members")
    git(project, "tag", "sent-to-members")
    master = folder / "master.md"
    edit(master, "TCCM was established in 2024", "TCCM was founded in 2024")
    edit(master, " That is why WSIS acknowledged and endorsed it.", "")
    edit(master, "# [4.]{.qnum}", "A paragraph the drafting group added.\n\n# [4.]{.qnum}")
    edit(
        folder / "endorsers.yaml",
        "- name: ZA Registry Consortium (ZARC)",
        "- name: Example Registry Services\n- name: ZA Registry Consortium (ZARC)",
    )
    done = make(project, "redline", f"PUBLICATION={FLAGSHIP}", "SINCE=sent-to-members")
    assert done.returncode == 0, done.stderr
    out = project / "build" / FLAGSHIP
    named = f"{FLAGSHIP}.changes-since-sent-to-members"
    assert sorted(p.name for p in out.iterdir()) == [
        f"{named}.{f}" for f in ("docx", "html", "pdf")
    ]
    assert "endorsers +1 -0" in done.stdout
    redlined = body(out / f"{named}.docx")
    current = body(render_edition(load_publication(folder), "docx", tmp_path / "now").path)
    earlier = body(
        render_edition(load_publication(FIXTURES / FLAGSHIP), "docx", tmp_path / "then").path
    )
    assert paragraphs(accept_all(redlined)) == paragraphs(current)
    assert paragraphs(reject_all(redlined)) == paragraphs(earlier)
    assert nu_html_errors(out / f"{named}.html") == []


@pytest.mark.slow
def test_redline_since_a_commit_and_a_folder(tagged_project: Path, tmp_path: Path) -> None:
    commit = subprocess.run(
        ["git", "rev-parse", "HEAD"],
        cwd=tagged_project,
        capture_output=True,
        text=True,
        check=True,
    ).stdout.strip()
    source, out = str(tagged_project / "source"), str(tagged_project / "build")
    assert main(["redline", "statement", "--since", commit, "--source", source, "--out", out]) == 0
    assert (
        tagged_project / "build" / "statement" / f"statement.changes-since-{commit[:12]}.docx"
    ).is_file()
    copy_fixture(tmp_path / "version-1.0", "redline/earlier")
    since = str(tmp_path / "version-1.0")
    assert main(["redline", "statement", "--since", since, "--source", source, "--out", out]) == 0
    assert (
        tagged_project / "build" / "statement" / "statement.changes-since-version-1.0.pdf"
    ).is_file()


def test_a_revision_that_does_not_exist_is_one_clear_error(
    tagged_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = str(tagged_project / "source")
    assert main(["redline", "statement", "--since", "v9.9", "--source", source]) == 1
    assert (
        "cannot find the revision 'v9.9': no such tag, branch or commit" in capsys.readouterr().err
    )
    assert not (tagged_project / "build").exists()


def test_a_revision_that_reads_as_an_option_or_is_too_large_is_refused(
    tagged_project: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    source = str(tagged_project / "source")
    assert main(["redline", "statement", "--since=--output=/tmp/x", "--source", source]) == 1
    assert "is not a revision" in capsys.readouterr().err
    monkeypatch.setattr("editions.redline.MAX_REVISION_BYTES", 1000)
    assert main(["redline", "statement", "--since", "v1.0", "--source", source]) == 1
    assert "is larger than" in capsys.readouterr().err
    assert not (tagged_project / "build").exists()


@pytest.mark.slow
def test_a_failed_redline_leaves_the_earlier_redline_files_as_they_were(
    tagged_project: Path, tmp_path: Path
) -> None:
    """make redline once, then again against an earlier copy that no longer validates:
    one error line, and the files already in build/ are byte for byte the same."""
    assert make(tagged_project, "redline", "PUBLICATION=statement", "SINCE=v1.0").returncode == 0
    folder = tagged_project / "build" / "statement"
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    broken = copy_fixture(tmp_path / "v1.0", "redline/earlier")
    edit(broken / "endorsers.yaml", "- name: Third Member", "- name: Third Member\n  bad: x")
    (folder / "statement.changes-since-v1.0.pdf").touch()  # as if older than the code
    done = make(tagged_project, "redline", "PUBLICATION=statement", f"SINCE={broken}")
    assert done.returncode != 0
    assert done.stderr.count("error:") == 1 and "endorsers.yaml" in done.stderr
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before


def test_a_revision_without_the_publication_is_one_clear_error(
    tagged_project: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    copy_fixture(tagged_project / "source" / "newer", "minimal")
    source = str(tagged_project / "source")
    assert main(["redline", "newer", "--since", "v1.0", "--source", source]) == 1
    assert "the publication did not exist at revision 'v1.0'" in capsys.readouterr().err


def test_an_earlier_version_that_no_longer_validates_names_the_revision(
    tagged_project: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    broken = copy_fixture(tmp_path / "broken", "redline/earlier")
    edit(broken / "endorsers.yaml", "- name: Third Member", "- name: Third Member\n  bad: x")
    source = str(tagged_project / "source")
    assert main(["redline", "statement", "--since", str(broken), "--source", source]) == 1
    error = capsys.readouterr().err
    assert f"{broken}:endorsers.yaml" in error or "endorsers.yaml" in error
    assert f"in the version at '{broken}'" in error


@pytest.mark.slow
def test_make_redline_without_since_says_what_to_give(tagged_project: Path) -> None:
    done = make(tagged_project, "redline", "PUBLICATION=statement")
    assert done.returncode != 0
    assert "give the earlier version" in done.stderr


# --- helpers -------------------------------------------------------------------------------


def _para(text: str) -> dict:
    inlines: list[dict] = []
    for word in re.split(r"( +)", text):
        if not word:
            continue
        inlines.append({"t": "Space"} if word.startswith(" ") else {"t": "Str", "c": word})
    return {"t": "Para", "c": inlines}


def _changed(blocks: list[dict]) -> list[tuple[str, str]]:
    found = []
    for node in _walk(blocks):
        if node["t"] == "Span":
            for kind in (INSERTION, DELETION):
                if kind in node["c"][0][1]:
                    found.append((kind, _text(node["c"][1])))
    return found


def _walk(value: object):  # type: ignore[no-untyped-def]
    if isinstance(value, list):
        for item in value:
            yield from _walk(item)
    elif isinstance(value, dict):
        if "t" in value:
            yield value
        for item in value.values():
            yield from _walk(item)


def _text(inlines: list[dict]) -> str:
    parts = []
    for node in _walk(inlines):
        if node["t"] == "Str":
            parts.append(node["c"])
        elif node["t"] == "Space":
            parts.append(" ")
    return "".join(parts)


def _unwrap(elements: list[etree._Element]) -> None:
    for element in elements:
        parent = element.getparent()
        index = parent.index(element)
        for child in reversed(list(element)):
            parent.insert(index, child)
        parent.remove(element)
