"""Translations beside the master: master.LANG.md builds to SLUG.LANG.{pdf,docx,epub,html},
with the same endorsers and references; the HTML editions link to each other; the release
lists every language; a translation that drifts from the master is warned of."""

from __future__ import annotations

import json
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from editions.errors import EditionsError
from editions.model.languages import canonical, lookup, translation_tags
from editions.model.translations import drift, load_languages
from editions.serve_driver import RunningPreview

from publications import copy_fixture, edit, make, project_copy
from validators import axe_violations, epubcheck_problems, nu_html_errors

FIXTURE = "translated"
LANGUAGES = ("", ".fr", ".ru")
SUFFIXES = ("html", "pdf", "docx", "epub")


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "editions", *args], capture_output=True, text=True, check=False
    )


@pytest.fixture
def source(tmp_path: Path) -> Path:
    copy_fixture(tmp_path / "source" / FIXTURE, FIXTURE)
    return tmp_path / "source"


def build(source: Path, out: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return run("build", "--source", str(source), "--out", str(out), *args)


def one_error(result: subprocess.CompletedProcess[str]) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


# --- language tags ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("tag", "written"),
    [
        ("fr", "fr"),
        ("zh-hans", "zh-Hans"),
        ("ZH-HANT-tw", "zh-Hant-TW"),
        ("es-419", "es-419"),
        ("sr-Latn-RS", "sr-Latn-RS"),
        ("de-CH-1996", "de-CH-1996"),
        ("f", None),
        ("fr_FR", None),
        ("english1", None),
        ("fr-", None),
        ("x-private", None),
    ],
)
def test_a_tag_is_well_formed_bcp47_in_its_canonical_case(tag: str, written: str | None):
    assert canonical(tag) == written


def test_a_language_narrows_a_subtag_at_a_time():
    names = {"zh": "中文", "fr": "Français"}
    assert lookup("zh-Hans-CN", names) == "中文"
    assert lookup("fr-CA", names) == "Français"
    assert lookup("ru", names) is None


def test_the_translations_are_found_by_their_file_names(source: Path):
    assert translation_tags(source / FIXTURE) == ["fr", "ru"]


# --- a build in every language ---------------------------------------------------------


def test_a_build_writes_every_edition_of_every_language(source: Path, tmp_path: Path):
    out = tmp_path / "out"
    result = build(source, out)
    assert result.returncode == 0, result.stderr
    folder = out / FIXTURE
    expected = {f"{FIXTURE}{lang}.{suffix}" for lang in LANGUAGES for suffix in SUFFIXES}
    assert {p.name for p in folder.iterdir()} == expected
    # One progress line per edition, the master's first.
    lines = result.stdout.strip().splitlines()
    assert len(lines) == 12
    assert all(f"{FIXTURE}.fr." not in line for line in lines[:4])
    assert result.stderr == ""  # no drift in the fixture


def test_each_language_has_its_own_words_and_the_shared_endorsers(source: Path, tmp_path: Path):
    out = tmp_path / "out"
    assert build(source, out, "--format", "html").returncode == 0
    page = {
        lang: (out / FIXTURE / f"{FIXTURE}{lang}.html").read_text("utf-8") for lang in LANGUAGES
    }
    assert '<html lang="en"' in page[""]
    assert '<html lang="fr"' in page[".fr"]  # taken from the file's name
    assert '<html lang="ru"' in page[".ru"]
    assert "<title>Une déclaration traduite</title>" in page[".fr"]
    assert "<title>Переведённое заявление</title>" in page[".ru"]
    # The endorser's name in each language, as endorsers.yaml gives it; else as written.
    assert "Example Registry Ltd (EXR)" in page[""]
    assert "Registre Exemple SA (EXR)" in page[".fr"]
    assert "Example Registry Ltd (EXR)" not in page[".fr"]
    assert "Пример Реестр (EXR)" in page[".ru"]
    for text in page.values():
        assert "Second Member" in text
        assert "Tunis Agenda for the Information Society" in text  # the shared reference


def test_the_html_editions_link_to_each_other(source: Path, tmp_path: Path):
    out = tmp_path / "out"
    assert build(source, out, "--format", "html").returncode == 0
    for lang, label in (("", "Languages"), (".fr", "Langues"), (".ru", "Языки")):
        page = (out / FIXTURE / f"{FIXTURE}{lang}.html").read_text("utf-8")
        head = page[: page.index("</head>")]
        alternates = re.findall(r'<link rel="alternate" hreflang="([^"]+)" href="([^"]+)">', head)
        assert alternates == [
            ("en", f"{FIXTURE}.html"),
            ("fr", f"{FIXTURE}.fr.html"),
            ("ru", f"{FIXTURE}.ru.html"),
        ]
        nav = re.search(r'<nav class="languages" aria-label="([^"]+)">(.*?)</nav>', page, re.S)
        assert nav is not None and nav.group(1) == label
        links = re.findall(r"<a ([^>]*)>([^<]*)</a>", nav.group(2))
        assert [name for _, name in links] == ["English", "Français", "Русский"]
        for attributes, _ in links:
            assert re.search(r'\blang="[a-z]+"', attributes)
            assert re.search(r'\bhreflang="[a-z]+"', attributes)
        current = [name for attributes, name in links if 'aria-current="page"' in attributes]
        assert current == [{"": "English", ".fr": "Français", ".ru": "Русский"}[lang]]
        # Every link goes to a file beside it.
        for href in re.findall(r'href="([^"#:]+\.html)"', nav.group(2)):
            assert (out / FIXTURE / href).is_file()


def test_a_publication_without_translations_has_no_switcher(tmp_path: Path):
    source = tmp_path / "source"
    copy_fixture(source / "minimal")
    out = tmp_path / "out"
    assert build(source, out, "--format", "html").returncode == 0
    page = (out / "minimal" / "minimal.html").read_text("utf-8")
    assert 'rel="alternate"' not in page and 'class="languages"' not in page


def test_arabic_and_chinese_translations_are_named_and_linked(source: Path, tmp_path: Path):
    """File names and structure only: how Arabic and Chinese are set is tested elsewhere."""
    folder = source / FIXTURE
    french = (folder / "master.fr.md").read_text("utf-8")
    (folder / "master.ar.md").write_text(french.replace("Une déclaration", "بيان"), "utf-8")
    (folder / "master.zh-Hans.md").write_text(french.replace("Une déclaration", "声明"), "utf-8")
    out = tmp_path / "out"
    assert build(source, out, "--format", "html").returncode == 0
    names = sorted(p.name for p in (out / FIXTURE).iterdir())
    assert names == sorted(
        f"{FIXTURE}{lang}.html" for lang in ("", ".ar", ".fr", ".ru", ".zh-Hans")
    )
    page = (out / FIXTURE / f"{FIXTURE}.zh-Hans.html").read_text("utf-8")
    assert '<html lang="zh-Hans"' in page
    assert f'<link rel="alternate" hreflang="zh-Hans" href="{FIXTURE}.zh-Hans.html">' in page
    assert f'<a href="{FIXTURE}.ar.html" lang="ar" hreflang="ar" dir="rtl">العربية</a>' in page
    assert 'hreflang="zh-Hans" dir="ltr" aria-current="page">简体中文</a>' in page


# --- what a translation must say -------------------------------------------------------


def test_a_lang_that_does_not_match_the_file_name_is_one_error_with_its_line(
    source: Path, tmp_path: Path
):
    translation = source / FIXTURE / "master.fr.md"
    edit(translation, "date: 2024-03-04\n", "date: 2024-03-04\nlang: fr-CA\n")
    error = one_error(build(source, tmp_path / "out"))
    assert f"{translation}:6:" in error
    assert "lang 'fr-CA' does not match" in error and "'fr'" in error
    assert not (tmp_path / "out" / FIXTURE / f"{FIXTURE}.html").exists()


def test_a_lang_that_matches_the_file_name_is_taken(source: Path, tmp_path: Path):
    edit(source / FIXTURE / "master.fr.md", "date: 2024-03-04\n", "date: 2024-03-04\nlang: FR\n")
    assert build(source, tmp_path / "out", "--format", "html").returncode == 0


@pytest.mark.parametrize(
    ("name", "says"),
    [
        ("master.fr_FR.md", "'fr_FR' is not a language tag"),
        ("master.english1.md", "'english1' is not a language tag"),
        ("master.zh-hans.md", "write the language tag 'zh-hans' as 'zh-Hans'"),
    ],
)
def test_a_translation_named_with_an_invalid_tag_is_one_error_naming_it(
    source: Path, tmp_path: Path, name: str, says: str
):
    (source / FIXTURE / "master.fr.md").rename(source / FIXTURE / name)
    error = one_error(build(source, tmp_path / "out"))
    assert f"{source / FIXTURE / name}" in error and says in error
    # make stops on it before building anything: the slugs module says the same.
    listed = subprocess.run(
        [sys.executable, "-S", "-m", "editions.model.slugs", str(source)],
        capture_output=True,
        text=True,
        check=False,
    )
    assert listed.returncode == 1 and says in listed.stdout


def test_the_slugs_module_lists_each_translation_after_its_publication(source: Path):
    copy_fixture(source / "minimal")
    listed = subprocess.run(
        [sys.executable, "-S", "-m", "editions.model.slugs", str(source)],
        capture_output=True,
        text=True,
        check=True,
    )
    assert listed.stdout.split() == ["minimal", FIXTURE, f"{FIXTURE}.fr", f"{FIXTURE}.ru"]


def test_a_translation_into_the_masters_own_language_is_an_error(source: Path, tmp_path: Path):
    folder = source / FIXTURE
    (folder / "master.en.md").write_text(
        (folder / "master.md").read_text("utf-8").replace("lang: en\n", ""), "utf-8"
    )
    error = one_error(build(source, tmp_path / "out"))
    assert f"{folder / 'master.en.md'}" in error and "the language of master.md itself" in error


def test_a_translation_without_a_master_is_an_error(source: Path, tmp_path: Path):
    (source / FIXTURE / "master.md").unlink()
    error = one_error(build(source, tmp_path / "out"))
    assert "master.fr.md" in error and "a translation without its master" in error


@pytest.mark.parametrize(
    ("names", "says", "line"),
    [
        ("  names: {fr_FR: Registre}\n", "'fr_FR' in 'names' is not a language tag", 3),
        ("  names: {zh-hans: 注册}\n", "write it 'zh-Hans'", 3),
        ("  names: Registre\n", "must give a name per language", 3),
        ("  names: {fr: [a, b]}\n", "must be plain text", 3),
        ('  names:\n    fr: ""\n', "must be plain text", 4),
    ],
)
def test_translated_endorser_names_are_checked(tmp_path: Path, names: str, says: str, line: int):
    source = tmp_path / "source"
    folder = copy_fixture(source / FIXTURE, FIXTURE)
    endorsers = folder / "endorsers.yaml"
    endorsers.write_text(
        "- name: Second Member\n- name: Example Registry Ltd\n" + names, encoding="utf-8"
    )
    error = one_error(build(source, tmp_path / "out"))
    assert f"{endorsers}:{line}:" in error and says in error


def test_two_endorsers_printed_alike_in_a_language_are_refused(source: Path, tmp_path: Path):
    endorsers = source / FIXTURE / "endorsers.yaml"
    endorsers.write_text(
        "- name: Second Member\n  names: {fr: Deuxième membre}\n"
        "- name: Third Member\n  names: {fr: deuxième  Membre}\n",
        encoding="utf-8",
    )
    error = one_error(build(source, tmp_path / "out"))
    assert "would both be printed as" in error and "'fr'" in error


# --- drift -----------------------------------------------------------------------------


def drop_second_question(translation: Path) -> None:
    text = translation.read_text("utf-8")
    start = text.index("# [2.]")
    end = text.index("\n", text.index("\n\n", start) + 2)
    translation.write_text(text[:start] + text[end + 1 :], "utf-8")


def test_drift_is_warned_of_and_nothing_else(source: Path):
    folder = source / FIXTURE
    assert drift(load_languages(folder)) == []
    drop_second_question(folder / "master.fr.md")
    edit(folder / "master.ru.md", "[@tunis-2005]", "")
    edit(folder / "master.ru.md", "{#q2 .question}", "{#q-two .question}")
    found = [str(finding) for finding in drift(load_languages(folder))]
    fr, ru = folder / "master.fr.md", folder / "master.ru.md"
    assert found == [
        f"{fr}: 1 question, where master.md has 2: the translation has drifted from the master",
        f"{fr}: no question with the id 'q2', which master.md has (line 15); give its "
        "translation {#q2}",
        f"{ru}: no question with the id 'q2', which master.md has (line 15); give its "
        "translation {#q2}",
        f"{ru}:16: a question with the id 'q-two', which master.md does not have",
        f"{ru}: does not cite @tunis-2005, which master.md cites (line 13)",
    ]


def test_a_citation_only_a_translation_makes_is_warned_of_at_its_line(source: Path):
    folder = source / FIXTURE
    references = json.loads((folder / "references.json").read_text("utf-8"))
    references.append({"id": "other", "type": "report", "title": "Another source"})
    (folder / "references.json").write_text(json.dumps(references), "utf-8")
    edit(folder / "master.fr.md", "Rien de ce qui fonctionne.", "Rien [@other].")
    found = [str(finding) for finding in drift(load_languages(folder))]
    assert found == [f"{folder / 'master.fr.md'}:17: cites @other, which master.md does not cite"]


def test_a_shared_identifier_and_a_name_in_no_language_are_warned_of(source: Path):
    folder = source / FIXTURE
    edit(
        folder / "master.ru.md",
        "00000000-0000-4000-8000-000000000020",
        "00000000-0000-4000-8000-000000000018",
    )
    edit(
        folder / "endorsers.yaml", "    fr: Registre", "    de: Beispielregister\n    fr: Registre"
    )
    found = [str(finding) for finding in drift(load_languages(folder))]
    assert found == [
        f"{folder / 'master.ru.md'}: the same identifier as master.md: a translation is a "
        "publication of its own (its EPUB and PDF are identified by it); give it its own",
        f"{folder / 'endorsers.yaml'}: 'Example Registry Ltd (EXR)' has a name in 'de', but the "
        "publication is not in 'de' (no master.de.md); fix the tag or remove the name",
    ]
    result = run("check", FIXTURE, "--source", str(source))
    assert result.returncode == 0
    assert f"{FIXTURE}: 0 limits exceeded, 1 warning" in result.stdout
    assert f"{FIXTURE}.ru: 0 limits exceeded, 1 warning" in result.stdout


def test_the_build_warns_of_drift_and_still_builds(source: Path, tmp_path: Path):
    drop_second_question(source / FIXTURE / "master.fr.md")
    out = tmp_path / "out"
    for jobs in ("1", "2"):  # one edition at a time, and side by side
        result = build(source, out, "--format", "html", "--jobs", jobs)
        assert result.returncode == 0, result.stderr
        warnings = result.stderr.strip().splitlines()
        assert len(warnings) == 2, result.stderr
        assert all(
            line.startswith(f"warning: {source / FIXTURE / 'master.fr.md'}: ") for line in warnings
        )
        assert (out / FIXTURE / f"{FIXTURE}.fr.html").is_file()


def test_check_prints_each_language_and_warns_of_drift(source: Path):
    drop_second_question(source / FIXTURE / "master.fr.md")
    result = run("check", FIXTURE, "--source", str(source))
    assert result.returncode == 0, result.stderr
    assert f"{FIXTURE}: 0 limits exceeded, 0 warnings" in result.stdout
    assert f"{FIXTURE}.fr: 0 limits exceeded, 2 warnings" in result.stdout
    assert f"{FIXTURE}.ru: 0 limits exceeded, 0 warnings" in result.stdout
    assert "1 question, where master.md has 2" in result.stderr
    strict = run("check", FIXTURE, "--source", str(source), "--strict")
    assert strict.returncode == 1
    assert "error: " in strict.stderr and "1 question, where master.md has 2" in strict.stderr


# --- all or nothing, and the release ---------------------------------------------------


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_translation_that_fails_keeps_every_edition_of_every_language(
    source: Path, tmp_path: Path, jobs: str
):
    out = tmp_path / "out"
    assert build(source, out, "--format", "html,docx").returncode == 0
    folder = out / FIXTURE
    before = {p.name: p.read_bytes() for p in folder.iterdir()}
    assert len(before) == 6
    edit(source / FIXTURE / "master.md", "Nothing that works.", "Nothing that works at all.")
    edit(source / FIXTURE / "master.ru.md", "date: 2024-03-04", "date: 4 March")
    error = one_error(build(source, out, "--format", "html,docx", "--jobs", jobs))
    assert "master.ru.md:5:" in error
    assert {p.name: p.read_bytes() for p in folder.iterdir()} == before  # no .part left


def test_the_release_lists_every_language(source: Path, tmp_path: Path):
    out = tmp_path / "out"
    assert build(source, out, "--format", "html,epub").returncode == 0
    result = run("release", "--source", str(source), "--out", str(out))
    assert result.returncode == 0, result.stderr
    folder = out / FIXTURE
    manifest = json.loads((folder / "manifest.json").read_text("utf-8"))
    assert manifest["language"] == "en"
    assert manifest["languages"] == ["en", "fr", "ru"]
    assert [(e["file"], e["language"], e["edition"]) for e in manifest["editions"]] == [
        (f"{FIXTURE}.html", "en", f"{FIXTURE}-html"),
        (f"{FIXTURE}.epub", "en", f"{FIXTURE}-epub"),
        (f"{FIXTURE}.fr.html", "fr", f"{FIXTURE}.fr-html"),
        (f"{FIXTURE}.fr.epub", "fr", f"{FIXTURE}.fr-epub"),
        (f"{FIXTURE}.ru.html", "ru", f"{FIXTURE}.ru-html"),
        (f"{FIXTURE}.ru.epub", "ru", f"{FIXTURE}.ru-epub"),
    ]
    sums = (folder / "SHA256SUMS").read_text("utf-8").splitlines()
    assert [line.split()[1] for line in sums] == [e["file"] for e in manifest["editions"]]
    page = (folder / "index.html").read_text("utf-8")
    for entry in manifest["editions"]:
        assert f'href="{entry["file"]}"' in page
    assert '<span lang="fr">Français</span> (fr)' in page
    assert '<span lang="ru">Русский</span> (ru)' in page


def test_a_draft_translation_stops_the_release(source: Path, tmp_path: Path):
    out = tmp_path / "out"
    assert build(source, out, "--format", "html").returncode == 0
    translation = source / FIXTURE / "master.ru.md"
    edit(translation, "lang: ru\n", "lang: ru\nstatus: draft\n")
    error = one_error(run("release", "--source", str(source), "--out", str(out)))
    assert f"{translation}:7:" in error and "'status: final' in master.ru.md" in error
    assert not (out / FIXTURE / "manifest.json").exists()


def test_load_languages_refuses_what_the_build_refuses(source: Path):
    edit(source / FIXTURE / "master.fr.md", "title: Une", "titel: Une")
    with pytest.raises(EditionsError, match="unknown metadata field 'titel'"):
        load_languages(source / FIXTURE)


# --- make, and the validators ----------------------------------------------------------


@pytest.fixture
def project(tmp_path: Path) -> Path:
    root = project_copy(tmp_path / "project", ())
    copy_fixture(root / "source" / FIXTURE, FIXTURE)
    return root


def progress(result: subprocess.CompletedProcess[str]) -> list[str]:
    """The editions a make run built, as its progress lines name them."""
    return [
        line.split()[1].rsplit("/", 1)[1]
        for line in result.stdout.splitlines()
        if line.split() and line.split()[0] in SUFFIXES
    ]


@pytest.mark.slow
def test_make_knows_the_translated_editions(project: Path):
    built = make(project, "all")
    assert built.returncode == 0, built.stderr
    folder = project / "build" / FIXTURE
    everything = sorted(f"{FIXTURE}{lang}.{suffix}" for lang in LANGUAGES for suffix in SUFFIXES)
    assert sorted(progress(built)) == everything
    assert sorted(p.name for p in folder.iterdir()) == everything

    again = make(project, "all")
    assert again.returncode == 0 and progress(again) == []
    assert "Nothing to be done" in again.stdout

    # A deleted translated edition is rebuilt, with its format in the other languages (one
    # build of the publication), and nothing else.
    html = (folder / f"{FIXTURE}.fr.html").stat().st_mtime_ns
    (folder / f"{FIXTURE}.fr.pdf").unlink()
    rebuilt = make(project, "all")
    assert rebuilt.returncode == 0, rebuilt.stderr
    assert sorted(progress(rebuilt)) == sorted(f"{FIXTURE}{lang}.pdf" for lang in LANGUAGES)
    assert (folder / f"{FIXTURE}.fr.pdf").is_file()
    assert (folder / f"{FIXTURE}.fr.html").stat().st_mtime_ns == html

    # An edited translation rebuilds the publication.
    edit(project / "source" / FIXTURE / "master.fr.md", "Rien de ce qui", "Rien, rien de ce qui")
    edited = make(project, "all")
    assert edited.returncode == 0, edited.stderr
    assert sorted(progress(edited)) == everything
    assert "Rien, rien de ce qui" in (folder / f"{FIXTURE}.fr.html").read_text("utf-8")
    assert "Nothing to be done" in make(project, "all").stdout


@pytest.mark.slow
def test_make_stops_on_a_translation_named_with_an_invalid_tag(project: Path):
    folder = project / "source" / FIXTURE
    (folder / "master.fr.md").rename(folder / "master.fr_FR.md")
    result = make(project, "all")
    assert result.returncode != 0
    assert "'fr_FR' is not a language tag" in result.stderr
    assert "master.fr_FR.md" in result.stderr
    assert not (project / "build").exists()


@pytest.fixture(scope="module")
def editions(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("translated")
    copy_fixture(root / "source" / FIXTURE, FIXTURE)
    result = build(root / "source", root / "out", "--format", "html,epub")
    assert result.returncode == 0, result.stderr
    return root / "out" / FIXTURE


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGUAGES)
def test_each_languages_html_passes_nu_and_axe(editions: Path, lang: str):
    page = editions / f"{FIXTURE}{lang}.html"
    assert nu_html_errors(page) == []
    assert axe_violations(page) == []


@pytest.mark.slow
@pytest.mark.parametrize("lang", LANGUAGES[1:])
def test_each_translations_epub_passes_epubcheck(editions: Path, lang: str, tmp_path: Path):
    counts, messages = epubcheck_problems(
        editions / f"{FIXTURE}{lang}.epub", tmp_path / "epubcheck.json"
    )
    assert counts == [0, 0, 0], messages


@pytest.mark.slow
def test_the_preview_serves_every_language_and_rebuilds_a_saved_translation(tmp_path: Path):
    source = tmp_path / "source"
    copy_fixture(source / FIXTURE, FIXTURE)
    preview = RunningPreview.start(source, tmp_path / "build", FIXTURE)
    try:
        french = preview.get(f"/{FIXTURE}/{FIXTURE}.fr.html")
        assert "<title>Une déclaration traduite</title>" in french
        assert 'aria-current="page">Français</a>' in french
        build_number = preview.status()["build"]
        edit(source / FIXTURE / "master.fr.md", "Rien de ce qui", "Rien, rien de ce qui")
        deadline = time.monotonic() + 10
        while preview.status()["build"] == build_number:
            assert time.monotonic() < deadline, "the saved translation was not rebuilt"
            time.sleep(0.05)
        assert preview.status() == {"build": build_number + 1, "error": None}
        assert "Rien, rien" in preview.get(f"/{FIXTURE}/{FIXTURE}.fr.html")
    finally:
        preview.kill()


def test_verify_compares_every_language(source: Path, tmp_path: Path):
    out = tmp_path / "out"
    assert build(source, out, "--format", "html").returncode == 0
    result = run("verify", "--source", str(source), "--out", str(out), "-f", "html")
    assert result.returncode == 0, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert [line.split()[0] for line in lines[:3]] == ["reproducible"] * 3
    assert [Path(line.split()[1]).name for line in lines[:3]] == [
        f"{FIXTURE}.html",
        f"{FIXTURE}.fr.html",
        f"{FIXTURE}.ru.html",
    ]
    (out / FIXTURE / f"{FIXTURE}.ru.html").unlink()
    missing = run("verify", "--source", str(source), "--out", str(out), "-f", "html")
    assert missing.returncode == 1
    assert f"MISSING       {out / FIXTURE / (FIXTURE + '.ru.html')}" in missing.stdout


# --- Quotation marks ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "“a quotation with ‘another’ in it”"),
        ("fr", "«\u202fa quotation with “another” in it\u202f»"),
        ("ru", "«a quotation with „another“ in it»"),
    ],
)
def test_quotations_take_the_languages_marks_in_every_edition(
    tmp_path: Path, lang: str, expected: str
) -> None:
    """pandoc's writers print English marks whatever the language; each edition shows the
    language's own (French guillemets with narrow no-break spaces inside)."""
    html, docx = html_and_docx_text(tmp_path, lang, "It says \"a quotation with 'another' in it\".")
    assert expected in html
    assert expected in docx


def test_french_high_punctuation_keeps_to_its_word_in_every_edition(tmp_path: Path) -> None:
    """'examen ?' typed with a plain space: a narrow no-break space in French, so that no
    line starts with the mark; English keeps the author's space."""
    for lang, expected in (("fr", "examen\u202f?"), ("en", "examen ?")):
        html, docx = html_and_docx_text(tmp_path / lang, lang, "Que doit garder l’examen ?")
        assert expected in html and expected in docx, lang


def html_and_docx_text(scratch: Path, lang: str, sentence: str) -> tuple[str, str]:
    """The HTML and the DOCX's body text of the minimal publication in lang, with sentence
    before its answer."""
    import zipfile

    from editions.build import render_edition
    from editions.model.publication import load_publication

    folder = copy_fixture(scratch / "publication")
    edit(folder / "master.md", "lang: en", f"lang: {lang}")
    edit(folder / "master.md", "An answer citing", f"{sentence}\n\nAn answer citing")
    publication = load_publication(folder)
    html = render_edition(publication, "html", scratch / "out").path.read_text("utf-8")
    docx = render_edition(publication, "docx", scratch / "out").path
    with zipfile.ZipFile(docx) as archive:
        body = re.sub(r"<[^>]+>", "", archive.read("word/document.xml").decode("utf-8"))
    return html, body


def test_a_titles_quotes_and_apostrophes_are_curled_alike_in_every_edition(
    tmp_path: Path,
) -> None:
    """The title is metadata, which the HTML, EPUB and PDF print as text and pandoc's DOCX
    writer typesets itself: both now say the same, curled (the HTML said it straight)."""
    import zipfile

    from editions.build import render_edition
    from editions.model.publication import load_publication

    folder = copy_fixture(tmp_path / "titled")
    title = "title: 'The \"Call for Inputs\" -- the coalition''s answer'"
    edit(folder / "master.md", "title: A minimal publication", title)
    publication = load_publication(folder)
    expected = "The “Call for Inputs” – the coalition’s answer"
    assert publication.metadata.title == expected
    html = render_edition(publication, "html", tmp_path / "out").path.read_text("utf-8")
    assert f'<h1 class="title">{expected}</h1>' in html
    for name in ("docx", "epub"):
        with zipfile.ZipFile(render_edition(publication, name, tmp_path / "out").path) as book:
            text = "".join(
                book.read(n).decode("utf-8") for n in book.namelist() if n.endswith("ml")
            )
        assert expected in re.sub(r"<[^>]+>", "", text), name
