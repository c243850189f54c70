"""Sign-ons from a form: `editions endorsers import` and `editions endorsers list`."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from editions.adapters.csvfile import read_csv
from editions.errors import EditionsError
from editions.model import names
from editions.model.endorsers import load_endorsers
from editions.model.signons import find_columns, plan_sign_ons

from publications import FIXTURES

# Line 1 the header; every later line one row: a semicolon export with a BOM, a quoted
# field holding the separator, rows out of order by their timestamp.
FORM = (
    "\ufeffTimestamp;Organisation (as it should be printed);Acronym;Country or economy;"
    "Website;Type of organisation;Email\n"
    '2025/01/15 10:00:00 AM GMT+1;"Example Registry; Ltd";EXR;NZ;https://exr.example/;'
    "Registry;a@exr.example\n"  # line 2: added
    "2025/01/14 09:00:00 AM GMT+1;Second  member;;;;;\n"  # 3: 'Second Member' is listed
    "2025/01/16 09:00:00 AM GMT+1;Evil\u202eCorp\u200b;;;;;\n"  # 4: added, cleaned
    "2025/01/17 09:00:00 AM GMT+1;Plain Http;;;http://plain.example/;;\n"  # 5: error
    "2025/01/17 10:00:00 AM GMT+1;Not A Url;;;plain.example;;\n"  # 6: error
    "2025/01/18 10:00:00 AM GMT+1;example registry, LTD;;;;;\n"  # 7: duplicate of line 2
    "2025/01/13 10:00:00 AM GMT+1;Bad Kind;;;;Bakery;\n"  # 8: error
    "2025/01/12 10:00:00 AM GMT+1;Early Bird;;;;registry service provider;\n"  # 9: added first
)


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "editions", *args], capture_output=True, text=True, check=False
    )


@pytest.fixture
def form(tmp_path: Path) -> Path:
    path = tmp_path / "form.csv"
    path.write_text(FORM, encoding="utf-8")
    return path


# names: what a printed name is cleaned to, and when two names are the same.


def test_clean_removes_invisible_characters_and_says_so():
    cleaned, notes = names.clean(" Evil\u202eCorp\u200b  Ltd\u2066 ")
    assert cleaned == "EvilCorp Ltd"
    assert notes == [
        "removed direction controls U+202E, U+2066",
        "removed zero-width character U+200B",
    ]


def test_clean_composes_accents():
    assert names.clean("Associac\u0327a\u0303o")[0] == "Associação"


def test_clean_refuses_control_characters():
    with pytest.raises(names.UnprintableNameError, match=r"U\+0007"):
        names.clean("Bell\x07 Ltd")


@pytest.mark.parametrize(
    "variant", ["Denic EG", "DENIC  eG", "denic e.G.", "DÉNIC eG", "DE\u0301NIC eG"]
)
def test_the_same_name_typed_differently_has_one_key(variant):
    assert names.key(variant) == names.key("DENIC eG") or names.key(variant) == names.key(
        "DÉNIC eG"
    )
    assert names.key(variant) == "deniceg"


def test_different_names_have_different_keys():
    assert names.key("DENIC eG") != names.key("DENIC")


# The CSV and its columns.


def test_read_csv_semicolons_bom_and_lines(form: Path):
    header, rows = read_csv(form)
    assert header[0] == "Timestamp"  # no BOM
    assert [row.line for row in rows] == list(range(2, 10))
    assert rows[0].values["Organisation (as it should be printed)"] == "Example Registry; Ltd"


def test_a_quoted_field_over_two_lines_keeps_the_next_rows_lines(tmp_path: Path):
    path = tmp_path / "f.csv"
    path.write_text('Name,Website\n"Two\nLines",\nThird,\n', encoding="utf-8")
    _, rows = read_csv(path)
    assert [(row.line, row.values["Name"]) for row in rows] == [(2, "Two\nLines"), (4, "Third")]


def test_columns_are_found_by_name(form: Path):
    header, _ = read_csv(form)
    columns = find_columns(header, {}, form)
    assert columns == {
        "name": "Organisation (as it should be printed)",
        "short-name": "Acronym",
        "country": "Country or economy",
        "website": "Website",
        "kind": "Type of organisation",
        "timestamp": "Timestamp",
    }


def test_an_organisation_column_is_the_name_rather_than_the_respondents_name(tmp_path: Path):
    header = ["ID", "Start time", "Completion time", "Name", "Organization", "URL"]
    columns = find_columns(header, {}, tmp_path / "f.csv")
    assert columns["name"] == "Organization" and columns["timestamp"] == "Completion time"


def test_columns_can_be_given(tmp_path: Path):
    columns = find_columns(["Who", "Web"], {"name": "who", "website": "Web"}, tmp_path / "f.csv")
    assert columns == {"name": "Who", "website": "Web"}


def test_no_name_column_says_how_to_give_it(tmp_path: Path):
    with pytest.raises(EditionsError, match="--column name="):
        find_columns(["Who", "Web"], {}, tmp_path / "f.csv")


def test_plan(form: Path):
    header, rows = read_csv(form)
    existing = [
        (e, n)
        for e, n in zip(
            load_endorsers(Path("tests/fixtures/minimal/endorsers.yaml")), [1, 2], strict=True
        )
    ]
    plan = plan_sign_ons(rows, find_columns(header, {}, form), existing, "endorsers.yaml")
    assert [s.line for s in plan.sign_ons] == [9, 8, 3, 2, 4, 5, 6, 7]  # by timestamp
    assert [(s.line, s.name) for s in plan.additions] == [
        (9, "Early Bird"),
        (2, "Example Registry; Ltd"),
        (4, "EvilCorp"),
    ]
    assert plan.additions[0].entry["kind"] == "registry-service-provider"
    assert plan.additions[1].entry == {
        "name": "Example Registry; Ltd",
        "short-name": "EXR",
        "country": "NZ",
        "website": "https://exr.example/",
        "kind": "registry",
    }
    assert [(s.line, s.duplicate_of) for s in plan.duplicates] == [
        (3, "endorsers.yaml line 2 (Second Member)"),
        (7, "CSV line 2"),
    ]
    assert [s.line for s in plan.errors] == [8, 5, 6]


# Through the command line.


def test_import_prints_the_plan_and_changes_nothing(minimal: Path, form: Path):
    before = (minimal / "endorsers.yaml").read_bytes()
    result = run("endorsers", "import", "minimal", str(form), "--source", str(minimal.parent))
    assert result.returncode == 1
    assert f"to add     {form}:2: Example Registry; Ltd" in result.stdout
    assert f"{form}:3: 'Second member' is already on endorsers.yaml line 2" in result.stdout
    assert f"{form}:7: 'example registry, LTD' is already on CSV line 2" in result.stdout
    assert f"note       {form}:4: name: removed direction control U+202E" in result.stdout
    assert "3 to add, 2 already listed, 3 with errors; nothing written" in result.stdout
    errors = result.stderr.strip().splitlines()
    assert [line.split(": ")[1] for line in errors] == [f"{form}:8", f"{form}:5", f"{form}:6"]
    assert "is not https" in errors[1] and "is not a web address" in errors[2]
    assert (minimal / "endorsers.yaml").read_bytes() == before


def test_import_write_appends_keeping_the_file_and_the_build(
    minimal: Path, form: Path, tmp_path: Path
):
    endorsers = minimal / "endorsers.yaml"
    original = (
        "# Who endorses it.\n- name: First Member  # founding member\n\n"
        "- name: Second Member\n  short-name: SM\n"
    )
    endorsers.write_text(original, encoding="utf-8")
    args = ("endorsers", "import", "minimal", str(form), "--source", str(minimal.parent), "--write")
    result = run(*args)
    assert result.returncode == 1, result.stderr  # the bad rows are reported
    text = endorsers.read_text(encoding="utf-8")
    assert text.startswith(original)  # old lines unchanged, comments kept
    assert [e.name for e in load_endorsers(endorsers)] == [
        "First Member",
        "Second Member",
        "Early Bird",
        "Example Registry; Ltd",
        "EvilCorp",
    ]
    built = run(
        "build",
        "minimal",
        "--source",
        str(minimal.parent),
        "--out",
        str(tmp_path / "out"),
        "-f",
        "html",
    )
    assert built.returncode == 0, built.stderr
    assert "EvilCorp" in (tmp_path / "out" / "minimal" / "minimal.html").read_text(encoding="utf-8")

    again = run(*args)
    assert "0 to add, 5 already listed, 3 with errors; nothing to add" in again.stdout
    assert endorsers.read_text(encoding="utf-8") == text


def test_import_creates_a_missing_endorsers_file(minimal: Path, tmp_path: Path):
    (minimal / "endorsers.yaml").unlink()
    csv_path = tmp_path / "f.csv"
    csv_path.write_text("Organization,URL\nOne Org,https://one.example/\n", encoding="utf-8")
    result = run(
        "endorsers", "import", "minimal", str(csv_path), "--source", str(minimal.parent), "--write"
    )
    assert result.returncode == 0, result.stderr
    text = (minimal / "endorsers.yaml").read_text(encoding="utf-8")
    assert text.startswith("# The organisations that endorse this publication")
    assert text.endswith("- name: One Org\n  website: https://one.example/\n")


def test_import_with_a_given_column(minimal: Path, tmp_path: Path):
    csv_path = tmp_path / "f.csv"
    csv_path.write_text("Who signs,Contact\nThird Member,x\n", encoding="utf-8")
    result = run(
        "endorsers",
        "import",
        "minimal",
        str(csv_path),
        "--source",
        str(minimal.parent),
        "--column",
        "name=Who signs",
    )
    assert result.returncode == 0, result.stderr
    assert f"to add     {csv_path}:2: Third Member" in result.stdout


def test_list(minimal: Path):
    result = run("endorsers", "list", "minimal", "--source", str(minimal.parent))
    assert result.returncode == 0, result.stderr
    assert result.stdout == "1. First Member\n2. Second Member\n2 endorsers\n"
    result = run("endorsers", "list", "minimal", "--source", str(minimal.parent), "--json")
    assert json.loads(result.stdout)[1] == {
        "name": "Second Member",
        "short-name": "SM",
        "country": "",
        "kind": "",
        "website": "",
        "names": {},
    }


def test_list_as_json_gives_the_translated_names() -> None:
    """A translation's names, by language tag, as endorsers.yaml gives them."""
    result = run("endorsers", "list", "translated", "--source", str(FIXTURES), "--json")
    assert result.returncode == 0, result.stderr
    first = json.loads(result.stdout)[0]
    assert first["name"] == "Example Registry Ltd (EXR)"
    assert first["names"] == {"fr": "Registre Exemple SA (EXR)", "ru": "Пример Реестр (EXR)"}


@pytest.mark.parametrize("command", [["endorsers", "import"], ["endorsers", "list"]])
def test_help(command):
    result = run(*command, "--help")
    assert result.returncode == 0 and "--source" in result.stdout
