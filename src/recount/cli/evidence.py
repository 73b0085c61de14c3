"""`recount evidence ...`: the evidence archive's commands (the core is ``recount.evidence``).

add, list, show, log, open, annotate, transfer, verify, export, keygen, signing-key, and
``witness add|list|show``. Every command that records something takes ``--actor`` and
``--sign-key``; every command that touches protected material takes ``--key-file`` or
``--passphrase``.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from recount.cli.base import (
    ActorOption,
    Commands,
    JsonOption,
    case_context,
    err,
    out,
    print_json,
)
from recount.cli.evidence_options import (
    ItemArgument,
    KeyFileOption,
    NewKeyOption,
    NoteOption,
    PassphraseOption,
    SignKeyOption,
    actor_of,
    key_of,
)
from recount.cli.witness import witness_app
from recount.vocabulary import SENSITIVITIES

commands = Commands()

evidence_app = typer.Typer(
    help="Evidence files kept as received, with a chain of custody.", no_args_is_help=True
)
commands.add_typer(evidence_app, name="evidence")
evidence_app.add_typer(witness_app, name="witness")


Sensitivity = StrEnum("Sensitivity", {word: word for word in SENSITIVITIES})


@contextmanager
def _file_progress() -> Iterator[Any]:
    """Files and bytes on standard error, for a person at a terminal."""
    if not err.is_terminal:
        yield None
        return
    columns = (
        TextColumn("Adding evidence"),
        BarColumn(bar_width=None),
        TextColumn("{task.completed:,} of {task.fields[count]} files, {task.fields[mb]:,.0f} MB"),
        TimeElapsedColumn(),
    )
    with Progress(*columns, console=err, transient=True) as progress:
        task = progress.add_task("add", total=None, count="?", mb=0.0)

        def advance(what: str, done: int, total: int | None) -> None:
            if what == "files":
                progress.update(task, completed=done, total=total, count=f"{total or 0:,}")
            elif what == "bytes":
                progress.update(task, mb=done / 1e6)

        yield advance


@evidence_app.command("add")
def add(
    # readable=False: recount checks the files itself and names every problem at once.
    files: Annotated[
        list[Path], typer.Argument(help="Files or folders (walked recursively).", readable=False)
    ],
    source: Annotated[str, typer.Option(help="The source the files came from (its slug).")],
    caption: Annotated[str | None, typer.Option(help="What the file shows.")] = None,
    credit: Annotated[str | None, typer.Option(help="Who made it (photographer, author).")] = None,
    captured_at: Annotated[
        str | None, typer.Option(help="When it was captured (ISO 8601); default: from EXIF.")
    ] = None,
    place: Annotated[
        str | None,
        typer.Option(help="Where: a name, or 'latitude,longitude'; default: from EXIF GPS."),
    ] = None,
    sensitivity: Annotated[
        Sensitivity, typer.Option(help="protected items are encrypted at rest.")
    ] = Sensitivity.internal,
    event: Annotated[list[str] | None, typer.Option(help="Link to this event (slug).")] = None,
    person: Annotated[list[int] | None, typer.Option(help="Link to this person (id).")] = None,
    record: Annotated[list[int] | None, typer.Option(help="Link to this record (id).")] = None,
    witness: Annotated[
        str | None, typer.Option(help="A testimony by this witness (pseudonym).")
    ] = None,
    note: NoteOption = None,
    key_file: KeyFileOption = None,
    passphrase: PassphraseOption = False,
    new_key: NewKeyOption = False,
    actor: ActorOption = None,
    sign_key: SignKeyOption = None,
    as_json: JsonOption = False,
) -> None:
    """Add files as evidence: hashed, kept byte for byte, logged in their custody chains."""
    from recount.evidence.ingest import AddOptions, add_files
    from recount.evidence.keys import KeySource

    key = KeySource.from_options(
        key_file, passphrase, lambda: typer.prompt("Passphrase", hide_input=True, err=True)
    )
    options = AddOptions(
        source,
        caption,
        credit,
        captured_at,
        place,
        sensitivity.value,
        event or [],
        person or [],
        record or [],
        witness,
        note,
        key,
        new_key,
        actor,
        sign_key,
    )
    with case_context() as case, _file_progress() as advance:
        result = add_files(case, files, options, advance)
    if as_json:
        print_json(result.to_dict())
        return
    out.print(
        f"Added {result.count('added')} item(s), {result.count('duplicate')} duplicate(s) "
        f"of items from other sources; {result.count('already')} already in the case "
        f"({result.bytes_read / 1e6:,.1f} MB in {result.seconds:.1f}s)."
    )
    for item in result.items:
        if item.status == "added" and len(result.items) > 20 and not item.near_duplicates:
            continue
        line = f"  {item.status:9} item {item.item_id}: {escape(item.file)} ({item.media_type})"
        if item.duplicate_of:
            line += f", same content as item {item.duplicate_of}"
        if item.near_duplicates:
            near = ", ".join(
                f"{n['item']} (distance {n['distance']})" for n in item.near_duplicates[:5]
            )
            line += f", looks like item(s) {near}"
        if item.metadata_error:
            line += f"; metadata not read: {escape(item.metadata_error)}"
        out.print(line)


@evidence_app.command("list")
def list_(
    source: Annotated[str | None, typer.Option(help="Only this source's items.")] = None,
    as_json: JsonOption = False,
) -> None:
    """List the case's evidence items (protected items show nothing sealed)."""
    from recount.evidence.items import items_of

    with case_context() as case:
        found = items_of(case, source)
    if as_json:
        print_json(found)
        return
    table = Table(
        "item", "kind", "name", "type", "size", "source", "sensitivity", "captured", "sha256"
    )
    for i in found:
        table.add_row(
            str(i["id"]),
            i["kind"],
            escape(i["file_name"] or "(sealed)"),
            i["media_type"],
            f"{i['size_bytes']:,}" if i["size_bytes"] else "",
            i["source"],
            i["sensitivity"],
            (i["captured_at"] or "")[:19],
            (i["sha256"] or "(sealed)")[:16],
        )
    out.print(table if found else "No evidence yet: `recount evidence add FILE --source S`")


@evidence_app.command("show")
def show(
    item: ItemArgument,
    key_file: KeyFileOption = None,
    passphrase: PassphraseOption = False,
    actor: ActorOption = None,
    sign_key: SignKeyOption = None,
    as_json: JsonOption = False,
) -> None:
    """Everything recorded about an item. Opening a protected item's fields is logged."""
    from recount.evidence.actions import show_logged

    with case_context() as case:
        key = key_of(case, key_file, passphrase)
        who = actor_of(case, actor, sign_key) if key else None
        data = show_logged(case, item, key, who)
    if as_json:
        print_json(data)
        return
    for name, value in data.items():
        if value in (None, [], {}):
            continue
        out.print(f"[bold]{name}[/bold]: {escape(str(value))}")


@evidence_app.command("log")
def log_(item: ItemArgument, as_json: JsonOption = False) -> None:
    """Print an item's chain of custody, oldest entry first."""
    from recount.evidence.actions import item_log

    with case_context() as case:
        item_id, entries = item_log(case, item)
    if as_json:
        print_json([e.to_dict() for e in entries])
        return
    table = Table(
        "#",
        "at (UTC)",
        "action",
        "actor",
        "note",
        "hash",
        "signed",
        title=f"Custody of item {item_id}",
    )
    for e in entries:
        table.add_row(
            str(e.seq),
            e.at[:19].replace("T", " "),
            e.action,
            escape(e.actor),
            escape(e.note or ""),
            e.entry_hash[:16],
            "yes" if e.signature else "",
        )
    out.print(table)


@evidence_app.command("open")
def open_(
    item: ItemArgument,
    output: Annotated[Path, typer.Option(help="Write the original here.")],
    key_file: KeyFileOption = None,
    passphrase: PassphraseOption = False,
    note: NoteOption = None,
    actor: ActorOption = None,
    sign_key: SignKeyOption = None,
    as_json: JsonOption = False,
) -> None:
    """Copy an item's original out (checked against its hash); logged as a view."""
    from recount.evidence.actions import open_item

    with case_context() as case:
        key = key_of(case, key_file, passphrase)
        result = open_item(case, item, output, key, actor_of(case, actor, sign_key), note)
    if as_json:
        print_json(result)
    else:
        out.print(
            f"Wrote item {result['item']} to {result['output']} (custody entry {result['entry']})."
        )


@evidence_app.command("annotate")
def annotate(
    item: ItemArgument,
    note: NoteOption = None,
    caption: Annotated[str | None, typer.Option(help="A corrected caption.")] = None,
    credit: Annotated[str | None, typer.Option(help="A corrected credit.")] = None,
    captured_at: Annotated[str | None, typer.Option(help="A corrected capture time.")] = None,
    place: Annotated[str | None, typer.Option(help="A corrected place.")] = None,
    event: Annotated[list[str] | None, typer.Option(help="Link to this event.")] = None,
    person: Annotated[list[int] | None, typer.Option(help="Link to this person.")] = None,
    record: Annotated[list[int] | None, typer.Option(help="Link to this record.")] = None,
    key_file: KeyFileOption = None,
    passphrase: PassphraseOption = False,
    actor: ActorOption = None,
    sign_key: SignKeyOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record a note, corrected fields or new links (the original never changes)."""
    from recount.evidence.actions import annotate as core

    fields = {
        k: v
        for k, v in (
            ("caption", caption),
            ("credit", credit),
            ("captured_at", captured_at),
            ("place", place),
        )
        if v is not None
    }
    with case_context() as case:
        key = key_of(case, key_file, passphrase)
        entry = core(
            case, item, actor_of(case, actor, sign_key), note, fields, event, person, record, key
        )
    if as_json:
        print_json(entry.to_dict())
    else:
        out.print(f"Recorded custody entry {entry.seq} of item {entry.item_id} (annotate).")


@evidence_app.command("transfer")
def transfer(
    items: Annotated[list[str], typer.Argument(help="Items handed over.")],
    to: Annotated[str, typer.Option(help="Who receives custody (person, archive, court).")],
    note: NoteOption = None,
    actor: ActorOption = None,
    sign_key: SignKeyOption = None,
    as_json: JsonOption = False,
) -> None:
    """Record a transfer of custody of items to someone."""
    from recount.evidence.actions import transfer as core

    with case_context() as case:
        entries = core(case, items, to, actor_of(case, actor, sign_key), note)
    if as_json:
        print_json([e.to_dict() for e in entries])
    else:
        out.print(f"Recorded the transfer of {len(entries)} item(s) to {escape(to)}.")


@evidence_app.command("verify")
def verify(
    key_file: KeyFileOption = None,
    passphrase: PassphraseOption = False,
    head: Annotated[
        str | None,
        typer.Option(
            help="A custody head written down earlier: prove no entry up to it was removed."
        ),
    ] = None,
    no_record: Annotated[
        bool, typer.Option("--no-record", help="Do not add verify entries to the chains.")
    ] = False,
    actor: ActorOption = None,
    sign_key: SignKeyOption = None,
    as_json: JsonOption = False,
) -> None:
    """Re-hash every object and check every custody chain. Exit 3 if anything changed."""
    from recount.evidence.actions import record_verification
    from recount.evidence.verify import verify_case

    with case_context() as case:
        key = key_of(case, key_file, passphrase)
        who = None if no_record else actor_of(case, actor, sign_key)
        report = verify_case(case, key, head)
        recorded = record_verification(case, report, who) if who else 0
        if recorded:
            from recount.evidence.custody import case_head

            report.head = case_head(case)[1]  # the newest, after the verify entries
    if as_json:
        print_json({**report.to_dict(), "recorded": recorded})
    elif report.ok:
        out.print(
            f"Evidence intact: {report.items} item(s), {report.objects} object(s) and "
            f"{report.derived} derived copies re-hashed, {report.entries} custody "
            f"entries checked ({report.signed} signed), {report.decrypted} protected "
            f"item(s) decrypted, in {report.seconds:.1f}s."
        )
        out.print(f"Custody head (write it down; `verify --head` checks it later): {report.head}")
    else:
        err.print(f"Evidence verification FAILED: {len(report.findings)} problem(s).", markup=False)
        for finding in report.findings:
            err.print(f"  [{finding.kind}] {finding.message}", markup=False)
    if not report.ok:
        raise typer.Exit(3)


@evidence_app.command("export")
def export(
    folder: Annotated[Path, typer.Argument(help="Folder for the bag (must not exist).")],
    items: Annotated[
        str | None, typer.Option(help="Only these items, comma-separated (default: all).")
    ] = None,
    include_protected: Annotated[
        bool,
        typer.Option(
            "--include-protected", help="Export protected items too, decrypted (needs the key)."
        ),
    ] = False,
    key_file: KeyFileOption = None,
    passphrase: PassphraseOption = False,
    note: NoteOption = None,
    actor: ActorOption = None,
    sign_key: SignKeyOption = None,
    as_json: JsonOption = False,
) -> None:
    """Write a BagIt bag: originals, metadata, custody chains; the export is logged."""
    from recount.evidence.bag import export_bag

    refs = [part.strip() for part in items.split(",") if part.strip()] if items else None
    with case_context() as case:
        key = key_of(case, key_file, passphrase)
        result = export_bag(
            case, folder, refs, key, include_protected, actor_of(case, actor, sign_key), note
        )
    if as_json:
        print_json(result.to_dict())
        return
    out.print(
        f"Exported {len(result.items)} item(s) ({result.bytes / 1e6:,.1f} MB) to the "
        f"BagIt bag {result.bag}; it validates. Custody head: {result.head}"
    )
    if result.skipped_protected:
        out.print(
            f"Left out {len(result.skipped_protected)} protected item(s) "
            f"({', '.join(map(str, result.skipped_protected))}): add --include-protected "
            "and the key to export them."
        )
    if result.protected_in_clear:
        out.print(
            "[bold]This bag holds protected items in the clear.[/bold] Handle it as "
            "protected material."
        )


@evidence_app.command("keygen")
def keygen(
    file: Annotated[Path, typer.Argument(help="Where to write the key (keep it out of the case).")],
) -> None:
    """Make a random 256-bit key file for protected items."""
    from recount.errors import DuplicateError
    from recount.evidence.crypto import new_key_file

    if file.exists():
        raise DuplicateError(f"{file} already exists; a key file is never overwritten")
    key_id = new_key_file(file)
    out.print(
        f"Wrote key {key_id} to {file} (readable by you only). Keep copies somewhere "
        "safe and never inside the case: without it, protected items cannot be read."
    )


@evidence_app.command("signing-key")
def signing_key(
    file: Annotated[Path, typer.Argument(help="Where to write the private key.")],
    actor: Annotated[str, typer.Option(help="The actor who will sign with it.")],
) -> None:
    """Make an Ed25519 key pair: the private key to FILE, the public key into the case."""
    from recount.evidence.signing import add_signing_key

    with case_context() as case:
        public = add_signing_key(case, actor, file)
    out.print(
        f"Wrote {actor!r}'s signing key to {file}; public key {public} is in the case. "
        f"From now on {actor!r}'s custody entries must be signed (--sign-key {file})."
    )
