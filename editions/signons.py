"""`editions endorsers import` and `list`: sign-ons from a form's CSV into endorsers.yaml."""

from __future__ import annotations

import json
from pathlib import Path

from editions.adapters.csvfile import read_csv
from editions.adapters.sourcefile import read_text
from editions.adapters.yamlappend import append_to_list
from editions.adapters.yamlfile import load_yaml
from editions.errors import EditionsError
from editions.model.endorsers import FIELDS, NAMES, Endorser, load_endorsers
from editions.model.publication import ENDORSERS
from editions.model.signons import COLUMN_FIELDS, Plan, find_columns, plan_sign_ons
from editions.output import atomic_path

HEADER = """\
# The organisations that endorse this publication, in the order they are printed.
# Each entry needs a name, written exactly as it should be printed.
# Optional: short-name, country (country or economy), kind, website (https://...).
# kind is one of: registry, registrar, regional-registry-group, internet-registry,
#   registry-service-provider, other. Record only what you know to be true.
"""


def import_sign_ons(
    folder: Path, csv_path: Path, given_columns: dict[str, str], write: bool
) -> Plan:
    """Plan the CSV's sign-ons against the folder's endorsers; with write, append the good
    new ones to its endorsers file (created if missing)."""
    endorsers_file = folder / ENDORSERS
    header, rows = read_csv(csv_path)
    columns = find_columns(header, given_columns, csv_path)
    plan = plan_sign_ons(rows, columns, existing_endorsers(endorsers_file), ENDORSERS)
    if write and plan.additions:
        _append(endorsers_file, [s.entry for s in plan.additions])
    return plan


def existing_endorsers(path: Path) -> list[tuple[Endorser, int]]:
    """The endorsers listed, each with its line; checked as the build checks them."""
    if not path.exists():
        return []
    endorsers = load_endorsers(path)
    data = load_yaml(read_text(path), path)
    return list(zip(endorsers, data.item_lines if endorsers else [], strict=True))


def _append(path: Path, entries: list[dict[str, str]]) -> None:
    text = read_text(path) if path.exists() else HEADER
    try:
        updated = append_to_list(text, [_ordered(entry) for entry in entries])
    except ValueError as error:
        raise EditionsError(f"cannot add to it: {error}", path) from error
    with atomic_path(path) as temporary:
        temporary.write_text(updated, encoding="utf-8")
        load_endorsers(temporary)  # what the build will read; on failure nothing is replaced


def _ordered(entry: dict[str, str]) -> dict[str, str]:
    """The fields in the order the file documents them."""
    return {key: entry[key] for key in FIELDS if key in entry}


def report(plan: Plan, csv_path: Path, endorsers_file: Path, write: bool) -> tuple[list, list]:
    """What to print: lines for standard output, and one error line per rejected row."""
    out = [
        "columns: "
        + ", ".join(f"{f} = {plan.columns[f]!r}" for f in COLUMN_FIELDS if f in plan.columns),
        f"rows: {len(plan.sign_ons)}, {plan.order_note}",
    ]
    for sign_on in plan.sign_ons:
        where = f"{csv_path}:{sign_on.line}"
        for note in sign_on.notes:
            out.append(f"note       {where}: {note}")
        if sign_on.error:
            continue
        if sign_on.duplicate_of:
            out.append(f"duplicate  {where}: {sign_on.name!r} is already on {sign_on.duplicate_of}")
        else:
            out.append(f"{'added' if write else 'to add':<10} {where}: {sign_on.name}")
    errors = [f"error: {csv_path}:{s.line}: {s.error} (row not added)" for s in plan.errors]
    count = len(plan.additions)
    summary = (
        f"{count} to add, {len(plan.duplicates)} already listed, {len(plan.errors)} with errors"
    )
    if write:
        out.append(
            f"{summary}; " + (f"added {count} to {endorsers_file}" if count else "nothing to add")
        )
    else:
        out.append(
            f"{summary}; nothing written"
            + (f" (run again with --write to add them to {endorsers_file})" if count else "")
        )
    return out, errors


def list_endorsers(folder: Path, as_json: bool) -> str:
    endorsers = [e for e, _ in existing_endorsers(folder / ENDORSERS)]
    if as_json:
        records = [
            {key: getattr(endorser, key.replace("-", "_")) for key in FIELDS}
            | {NAMES: dict(endorser.names)}  # the translated names, by language tag
            for endorser in endorsers
        ]
        return json.dumps(records, ensure_ascii=False, indent=2)
    width = len(str(len(endorsers)))
    lines = [f"{number:>{width}}. {e.name}" for number, e in enumerate(endorsers, start=1)]
    lines.append(f"{len(endorsers)} endorser{'' if len(endorsers) == 1 else 's'}")
    return "\n".join(lines)
