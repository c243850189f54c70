"""The command line: `python -m editions build [PUBLICATION ...] [--format F ...]`, and
`check`, `endorsers import|list`, `release`, `verify`, `serve`."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from editions.build import Edition, build, select_publications
from editions.errors import EditionsError, missing_module
from editions.formats import NAMES
from editions.interrupt import acknowledge
from editions.model.metadata import STATUSES
from editions.model.publication import find_publications
from editions.model.translations import load_languages
from editions.model.words import words_for
from editions.paths import BUILD, SOURCE


def main(argv: list[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "build":
            build(
                source=args.source,
                out_root=args.out,
                slugs=args.publications,
                formats=_split(args.format),
                jobs=args.jobs,
                report=_progress,
                status=args.status,
                warn=_warning,
            )
        elif args.command == "new":
            _new(args)
        elif args.command == "list":
            _list(args.source, args.json)
        elif args.command == "endorsers":
            return _endorsers(args)
        elif args.command == "check":
            return _check(args.source, args.publications, args.strict)
        elif args.command == "redline":
            _redline(args)
        elif args.command == "release":
            _release(args.source, args.out, args.publications)
        elif args.command == "verify":
            return _verify(args.source, args.out, args.publications, _split(args.format))
        elif args.command == "serve":
            from editions.serve import serve

            return serve(
                args.source, args.out, args.publications, _split(args.format), args.host, args.port
            )
        return 0
    except EditionsError as error:
        if args.debug:
            traceback.print_exc()
        print(f"error: {error}", file=sys.stderr)
        return 1
    except KeyboardInterrupt as stopped:
        # Ctrl-C, a terminate or a hangup (editions/interrupt.py): 128 + the signal's number.
        acknowledge()
        print("error: interrupted", file=sys.stderr)
        return getattr(stopped, "code", 130)
    except ModuleNotFoundError as error:
        if args.debug:
            traceback.print_exc()
        message = missing_module(error) or f"unexpected {type(error).__name__}: {error}"
        print(f"error: {message}", file=sys.stderr)
        return 1 if missing_module(error) else 2
    except OSError as error:
        if args.debug:
            traceback.print_exc()
        where = f"{error.filename}: " if error.filename else ""
        print(f"error: {where}{error.strerror or error}", file=sys.stderr)
        return 2
    except Exception as error:
        if args.debug:
            traceback.print_exc()
        print(
            f"error: unexpected {type(error).__name__}: {error} (run with --debug for details)",
            file=sys.stderr,
        )
        return 2


EXAMPLES = """\
examples:
  .venv/bin/python -m editions build                       every edition of every publication
  .venv/bin/python -m editions serve tccm-wsis20 -f pdf    live preview of one PDF
  .venv/bin/python -m editions redline tccm-wsis20 --since v1.0   what changed since v1.0

`make all`, `make serve`, `make verify` and `make release` run these; `make help` lists them."""


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="editions",
        description=_description(),
        epilog=EXAMPLES,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks")
    commands = parser.add_subparsers(dest="command", required=True)
    build_cmd = commands.add_parser("build", help="build editions into the build folder")
    build_cmd.add_argument("publications", nargs="*", help="publication folders (default: all)")
    build_cmd.add_argument(
        "-f", "--format", action="append", help=f"{_choices(NAMES)} (repeatable, or a,b)"
    )
    build_cmd.add_argument("--source", type=Path, default=SOURCE, help="publications folder")
    build_cmd.add_argument("--out", type=Path, default=BUILD, help="output folder")
    build_cmd.add_argument("-j", "--jobs", type=int, default=None, help="parallel renderers")
    build_cmd.add_argument(
        "--status",
        choices=STATUSES,
        help="build as a draft (DRAFT on every page) or as final, whatever the master says",
    )
    build_cmd.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks"
    )
    new_cmd = commands.add_parser(
        "new", help="start a publication: source/SLUG/ with a master that builds at once"
    )
    new_cmd.add_argument("slug", help="its folder's name: lowercase letters, digits, hyphens")
    new_cmd.add_argument("--title", help="the title (default: from the slug)")
    new_cmd.add_argument("--author", default="The authors", help="who publishes it")
    new_cmd.add_argument("--lang", default="en", help="its language tag (default: en)")
    new_cmd.add_argument("--source", type=Path, default=SOURCE, help="publications folder")
    new_cmd.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks"
    )
    list_cmd = commands.add_parser(
        "list", help="the publications' slugs, one a line (--json: an array, for CI matrices)"
    )
    list_cmd.add_argument("--json", action="store_true", help="print a JSON array")
    list_cmd.add_argument("--source", type=Path, default=SOURCE, help="publications folder")
    list_cmd.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks"
    )
    release_cmd = commands.add_parser(
        "release", help="write SHA256SUMS, manifest.json and index.html beside the editions"
    )
    verify_cmd = commands.add_parser(
        "verify", help="rebuild into a temporary folder and compare with the build folder"
    )
    for command in (release_cmd, verify_cmd):
        command.add_argument("publications", nargs="*", help="publication folders (default: all)")
        command.add_argument("--source", type=Path, default=SOURCE, help="publications folder")
        command.add_argument("--out", type=Path, default=BUILD, help="the build folder")
        command.add_argument(
            "--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks"
        )
    verify_cmd.add_argument("-f", "--format", action="append", help="formats to compare")
    serve_cmd = commands.add_parser(
        "serve", help="live preview: build, serve on 127.0.0.1, rebuild and reload on save"
    )
    serve_cmd.add_argument("publications", nargs="*", help="publication folders (default: all)")
    serve_cmd.add_argument(
        "-f", "--format", action="append", help=f"{_choices(NAMES)} (default: html)"
    )
    serve_cmd.add_argument("--source", type=Path, default=SOURCE, help="publications folder")
    serve_cmd.add_argument("--out", type=Path, default=BUILD, help="output folder")
    serve_cmd.add_argument(
        "--host", default="127.0.0.1", help="address to listen on (default: loopback only)"
    )
    serve_cmd.add_argument("--port", type=int, default=0, help="port (default: a free one)")
    serve_cmd.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks"
    )
    redline_cmd = commands.add_parser(
        "redline",
        help="what changed since an earlier version: DOCX with tracked changes, HTML, PDF",
        description="Compare the publication with an earlier version and write "
        "build/SLUG/SLUG.changes-since-NAME.docx (Word's tracked changes), .html and .pdf "
        "(insertions underlined, deletions struck through, change bars in the PDF's margin), "
        "each starting with a summary. NAME is the tag, the short commit or the folder's name.",
    )
    redline_cmd.add_argument("publication", help="the publication's folder name")
    redline_cmd.add_argument(
        "--since",
        required=True,
        help="the earlier version: a git revision (v1.0, a commit, HEAD~3) or a folder",
    )
    redline_cmd.add_argument(
        "--author", default="", help="who the changes are by (default: the publication's author)"
    )
    redline_cmd.add_argument("--source", type=Path, default=SOURCE, help="publications folder")
    redline_cmd.add_argument("--out", type=Path, default=BUILD, help="output folder")
    redline_cmd.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks"
    )
    _add_endorsers_parser(commands)
    check_cmd = commands.add_parser(
        "check",
        help="count the words of each answer against the limits; warn of inconsistencies",
        description="Count the words of each answer (the text under each level-1 heading, "
        "without the endorser list, citations, URLs and the References section; a CJK "
        "character counts as a word) and compare them with the limits of the metadata "
        "('limits: {words-per-answer: N, words: N}') or of a heading ('{#q3 words=300}'). "
        "Warns of a term written two ways, British and American spellings mixed, references "
        "nothing cites, links to ids that do not exist, and a translation (master.LANG.md) whose "
        "questions, their ids or its citations differ from the master's. Each language is "
        "checked on its own. Exit 1 when a limit is exceeded "
        "(or, with --strict, on a warning).",
    )
    check_cmd.add_argument("publications", nargs="*", help="publication folders (default: all)")
    check_cmd.add_argument("--source", type=Path, default=SOURCE, help="publications folder")
    check_cmd.add_argument("--strict", action="store_true", help="treat warnings as errors")
    check_cmd.add_argument(
        "--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks"
    )
    return parser


def _redline(args: argparse.Namespace) -> None:
    from editions.redline import write_redline

    (slug,) = select_publications(args.source, [args.publication])
    summary = write_redline(
        args.source, args.out, slug, args.since, author=args.author, report=_progress
    )
    english = words_for("en")
    print(f"{slug}: {summary.heading_in(english)}: {summary.summary_line()}", flush=True)


def _new(args: argparse.Namespace) -> None:
    from editions.new import new_publication

    title = args.title or args.slug.replace("-", " ").capitalize()
    today = dt.datetime.now(dt.UTC).date()
    folder = new_publication(args.source, args.slug, title, args.author, args.lang, today)
    for path in sorted(folder.iterdir()):
        print(f"new   {path}")
    print(f"edit {folder / 'master.md'}, then: make {args.slug}")


def _list(source: Path, as_json: bool) -> None:
    slugs = find_publications(source)
    print(json.dumps(slugs) if as_json else "\n".join(slugs))


def _description() -> str:
    return (
        "Turn each publication (a folder holding a master.md, with an optional endorsers.yaml\n"
        f"and references.json) into one edition per format: {', '.join(NAMES)}.\n\n"
        f"Publications are read from {_shown(SOURCE)}/ and the editions written to "
        f"{_shown(BUILD)}/<publication>/,\nunless --source and --out say otherwise."
    )


def _shown(path: Path) -> str:
    """A default folder as a user sees it: relative to where they are, when inside it."""
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def _add_endorsers_parser(commands: argparse._SubParsersAction) -> None:
    endorsers_cmd = commands.add_parser(
        "endorsers", help="import sign-ons from a form's CSV; list the endorsers"
    )
    actions = endorsers_cmd.add_subparsers(dest="action", required=True)
    import_cmd = actions.add_parser(
        "import",
        help="add the sign-ons of a CSV export to endorsers.yaml (prints the plan; --write)",
        description="Read a form's CSV export (UTF-8, comma or semicolon, a header row), "
        "clean and check each row, find those already listed (ignoring case, spaces, accents "
        "and punctuation) and print what would be added, by CSV line. Nothing changes "
        "without --write, which appends the new endorsers to endorsers.yaml, keeping its "
        "comments. Exit 1 when a row has errors (the good rows are still added with --write).",
    )
    import_cmd.add_argument("publication", help="the publication folder's name")
    import_cmd.add_argument("csv", type=Path, help="the CSV file exported from the form")
    import_cmd.add_argument(
        "--column",
        action="append",
        default=[],
        metavar='FIELD="HEADER"',
        help="the column holding a field (name, short-name, country, website, kind, "
        "timestamp) when its header does not say so; repeatable",
    )
    import_cmd.add_argument(
        "--write", action="store_true", help="append the new endorsers to endorsers.yaml"
    )
    list_cmd = actions.add_parser("list", help="print the endorsers, numbered")
    list_cmd.add_argument("publication", help="the publication folder's name")
    list_cmd.add_argument("--json", action="store_true", help="a JSON array of objects")
    for command in (import_cmd, list_cmd):
        command.add_argument("--source", type=Path, default=SOURCE, help="publications folder")
        command.add_argument(
            "--debug", action="store_true", default=argparse.SUPPRESS, help="show tracebacks"
        )


def _endorsers(args: argparse.Namespace) -> int:
    from editions.signons import import_sign_ons, list_endorsers, report

    [slug] = select_publications(args.source, [args.publication])
    folder = args.source / slug
    if args.action == "list":
        print(list_endorsers(folder, args.json))
        return 0
    plan = import_sign_ons(folder, args.csv, _columns(args.column), args.write)
    out, errors = report(plan, args.csv, folder / "endorsers.yaml", args.write)
    print("\n".join(out), flush=True)
    for line in errors:
        print(line, file=sys.stderr)
    return 1 if errors else 0


def _columns(values: list[str]) -> dict[str, str]:
    columns = {}
    for value in values:
        field, equals, header = value.partition("=")
        if not equals or not field.strip() or not header.strip():
            raise EditionsError(
                f'--column {value!r} is not FIELD=HEADER; e.g. --column name="Organisation"'
            )
        columns[field.strip()] = header.strip()
    return columns


def _check(source: Path, slugs: list[str], strict: bool) -> int:
    from editions.check import check

    return check(source, select_publications(source, slugs), strict)


def _release(source: Path, out: Path, slugs: list[str]) -> None:
    from editions.release import refuse_drafts, write_release

    # Every publication read and checked before anything is written: a draft among them
    # stops the release whole. Each publication in every language: one bundle lists them all.
    publications = [load_languages(source / slug) for slug in select_publications(source, slugs)]
    refuse_drafts([language for languages in publications for language in languages])
    for languages in publications:
        for path in write_release(languages, out / languages[0].slug):
            print(f"release {path}", flush=True)


def _verify(source: Path, out: Path, slugs: list[str], formats: list[str] | None) -> int:
    from editions.verify import verify

    verdicts = verify(source, out, slugs, formats)
    for verdict in verdicts:
        path = _shown(verdict.path)
        if verdict.newer is not None:
            print(f"OUT OF DATE   {path}: {_shown(verdict.newer)} was saved after it was built")
        elif verdict.missing:
            print(f"MISSING       {path}: not in the build folder")
        elif verdict.difference is not None:
            print(f"DIFFERENT     {path}: {verdict.difference.where}")
            for line in verdict.difference.diff:
                print(f"    {line}")
        else:
            print(f"reproducible  {path}")
    stale = sum(v.newer is not None or v.missing for v in verdicts)
    different = sum(v.difference is not None for v in verdicts)
    parts = []
    if compared := len(verdicts) - stale:
        parts.append(f"{compared - different} of {compared} editions reproducible")
    if different:
        parts.append(f"{different} differ from a rebuild of the same sources")
    if stale:
        parts.append(
            f"{stale} out of date or missing, so not compared (not a reproducibility "
            "failure): run `make all`, then `make verify`"
        )
    print("; ".join(parts))
    return 1 if different or stale else 0


def _choices(names: Sequence[str]) -> str:
    return f"{', '.join(names[:-1])} or {names[-1]}"


def _split(values: list[str] | None) -> list[str] | None:
    if not values:
        return None
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def _warning(line: str) -> None:
    print(f"warning: {line}", file=sys.stderr, flush=True)


def _progress(edition: Edition) -> None:
    size = edition.size / 1024
    print(
        f"{edition.format:<5} {edition.path}  {size:,.1f} KiB  {edition.seconds:.2f} s",
        flush=True,
    )
