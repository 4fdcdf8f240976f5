"""The `surveykb` command line."""

from __future__ import annotations

import logging
import sys
from pathlib import Path
from typing import Any, Callable, NoReturn, TextIO

import click

from surveykb.core.diagnostics import Diagnostic, format_diagnostics, promote_warnings
from surveykb.core.taxonomy import Taxonomy
from surveykb.core.validate import display_path, expand_paths, find_root, load_knowledge_base

FORMATS = click.Choice(["text", "github", "json"])


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="surveykb")
def main() -> None:
    """The knowledge base of the data-model co-development survey of multi-modal LLMs."""


def root_option() -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    return click.option(
        "--root",
        type=click.Path(file_okay=False, path_type=Path),
        default=None,
        help="Knowledge base folder (holding taxonomy/ and papers/); found from the working directory by default.",
    )


@main.command()
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@root_option()
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="How to print the problems.")
@click.option("--strict", is_flag=True, help="Treat warnings (incomplete records) as errors.")
def validate(paths: tuple[Path, ...], root: Path | None, fmt: str, strict: bool) -> None:
    """Check the taxonomy and records; print every problem as path:line:col."""
    root = root or find_root(Path.cwd())
    only = expand_paths(list(paths)) if paths else None
    kb, diagnostics = load_knowledge_base(root, only)
    if strict:
        diagnostics = promote_warnings(diagnostics)
    summary = f"{len(only)} files checked" if only is not None else valid_summary(kb, diagnostics)
    report(diagnostics, fmt, summary)
    sys.exit(1 if any(d.is_error for d in diagnostics) else 0)


def report(diagnostics: list[Diagnostic], fmt: str, summary: str) -> None:
    """Print the diagnostics to stdout and a one-line summary to stderr."""
    if diagnostics or fmt == "json":
        click.echo(format_diagnostics(diagnostics, fmt))
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors
    click.echo(f"{summary}; {counted(errors, 'error')}, {counted(warnings, 'warning')}", err=True)


def counted(number: int, noun: str) -> str:
    return f"{number} {noun}{'' if number == 1 else 's'}"


def valid_summary(kb: Any, diagnostics: list[Diagnostic]) -> str:
    """'169 valid records, 2 with errors': a record with an error anywhere (a duplicate too) is not valid."""
    failing = {d.path for d in diagnostics if d.is_error and "taxonomy" not in Path(d.path).parts}
    valid = sum(record.shown not in failing for record in kb.records) if kb else 0
    invalid = len(failing) if kb else 0
    with_errors = f", {invalid} with errors" if invalid else ""
    return f"{counted(valid, 'valid record')}{with_errors}"


@main.group("import")
def import_group() -> None:
    """Create records from other formats; existing files are never overwritten."""


@import_group.command("awesome")
@click.argument("list_file", metavar="LIST.md", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option(
    "--metadata",
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    default=None,
    help="Tab-separated bibliographic facts (title, arxiv_id, year, authors, venue, url, confidence).",
)
@root_option()
def import_awesome_command(list_file: Path, metadata: Path | None, root: Path | None) -> None:
    """Create records from the survey's public paper list (awesome_llm_data.md)."""
    import datetime

    from surveykb.formats.awesome_read import import_awesome
    from surveykb.core.taxonomy import load_taxonomy

    root = root or find_root(Path.cwd())
    taxonomy, diagnostics = load_taxonomy(root / "taxonomy")
    if taxonomy is None:
        report(diagnostics, "text", "nothing imported")
        sys.exit(1)
    result = import_awesome(list_file, metadata, root, taxonomy, datetime.date.today())
    for path in result.written:
        click.echo(f"wrote {path}")
    for line in result.skipped:
        click.echo(f"skipped {line}")
    diagnostics += result.diagnostics
    report(diagnostics, "text", f"{len(result.written)} written, {len(result.skipped)} skipped")
    sys.exit(1 if any(d.is_error for d in diagnostics) else 0)


@main.command()
@root_option()
@click.option("--strict", is_flag=True, help="Fail on MkDocs warnings (the surveykb plugin's `warnings` option says whether incomplete records count).")
@click.option("--site-dir", type=click.Path(file_okay=False, path_type=Path), default=None, help="Where to write the site (default: site/).")
def build(root: Path | None, strict: bool, site_dir: Path | None) -> None:
    """Validate the knowledge base, then build the site with MkDocs."""
    from surveykb.commands.build import build_site

    root = root or find_root(Path.cwd())
    _validate_or_exit(root)
    _run_mkdocs(lambda: build_site(root / "mkdocs.yml", site_dir, strict))


@main.command()
@root_option()
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
@click.option("--strict", is_flag=True, help="Fail on warnings.")
def serve(root: Path | None, dev_addr: str, strict: bool) -> None:
    """Validate, then serve the site locally, rebuilding when a record or the taxonomy changes."""
    from surveykb.commands.build import serve_site

    root = root or find_root(Path.cwd())
    _validate_or_exit(root)
    _run_mkdocs(lambda: serve_site(root / "mkdocs.yml", dev_addr, strict))


def _validate_or_exit(root: Path) -> None:
    """Stop before MkDocs starts when the knowledge base has errors; warnings are shown and kept."""
    kb, diagnostics = load_knowledge_base(root)
    if diagnostics:
        report(diagnostics, "text", f"{len(kb.records) if kb else 0} valid records")
    if kb is None or any(d.is_error for d in diagnostics):
        sys.exit(1)


def _run_mkdocs(action: Callable[[], None]) -> None:
    from mkdocs.exceptions import MkDocsException

    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s")
    try:
        action()
    except MkDocsException as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)


# --- Contributor workflow: new, import bibtex, fmt, stats, doctor, schema ---------------------------


def _taxonomy_or_exit(root: Path) -> Taxonomy:
    from surveykb.core.taxonomy import load_taxonomy

    taxonomy, diagnostics = load_taxonomy(root / "taxonomy")
    if taxonomy is None:
        report(diagnostics, "text", "the taxonomy does not load")
        sys.exit(1)
    return taxonomy


def _record_context(taxonomy: Taxonomy) -> dict[str, object]:
    import datetime

    return {"taxonomy": taxonomy, "today": datetime.date.today()}


@main.command("new")
@click.option("--bibtex", "bibtex_file", type=click.File("r", encoding="utf-8"), help="Take the fields from the one entry of this BibTeX file ('-' reads standard input).")
@click.option("--title", help="The paper's title.")
@click.option("--author", "authors", multiple=True, help="An author, written First Last; repeat for each, in order.")
@click.option("--year", type=int, help="Year of first publication.")
@click.option("--venue", help="Where it was published, like 'NeurIPS 2023'.")
@click.option("--arxiv", help="arXiv id or link.")
@click.option("--doi", help="DOI or doi.org link.")
@click.option("--url", help="Landing page of the paper.")
@click.option("--code", help="Code or data repository.")
@click.option("--tag", "tags", multiple=True, help="A leaf tag of either axis (see `surveykb stats`); repeat for each.")
@click.option("--modality", "modalities", multiple=True, help="A modality id; repeat for each.")
@click.option("--stage", "stages", multiple=True, help="A development stage id; repeat for each.")
@click.option("--section", "sections", multiple=True, help="A survey section id citing the paper, like 3.1.1; repeat for each.")
@click.option("--summary", help="One paragraph on the paper.")
@click.option("--id", "record_id", help="The record id; derived from author, year and title by default.")
@click.option("--force", is_flag=True, help="Replace the file named by --id if it already exists, keeping the old one as <name>.bak.")
@click.option("--interactive/--no-interactive", default=None, help="Ask for missing fields (default: when standard input is a terminal).")
@root_option()
def new_command(bibtex_file: TextIO | None, tags: tuple[str, ...], record_id: str | None, force: bool, interactive: bool | None, root: Path | None, **flags: Any) -> None:
    """Create papers/<id>.yaml from flags or a BibTeX entry, validate it and print its path.

    Refuses a paper that is already in the knowledge base (same arXiv id, DOI or title) and never
    overwrites a file unless --force is given. Without tags the record is written as a draft,
    which `surveykb validate` flags until a tag is added."""
    from surveykb.commands.ask import ask_missing
    from surveykb.commands.new import KnownPapers, Refused, fields_from_flags, flag_messages, prepare_record, split_tags, today_text, write_prepared
    from surveykb.core.files import exclusive

    root = root or find_root(Path.cwd())
    taxonomy = _taxonomy_or_exit(root)
    data = _single_bibtex_entry(bibtex_file) if bibtex_file is not None else {}
    data.update(fields_from_flags(flags))
    if interactive if interactive is not None else (sys.stdin.isatty() and bibtex_file is None):
        data, chosen = ask_missing(data, list(tags), taxonomy)
        tags = tuple(chosen)
    if not data.get("title"):
        _fail("a paper needs a title: pass --title or --bibtex")
    by_axis, unknown = split_tags(list(tags), taxonomy)
    if unknown:
        _fail(*unknown)
    try:
        with exclusive(root / "papers"):  # another `new` at the same time waits, then sees this record
            known = KnownPapers.scan(root / "papers")
            prepared = prepare_record({**data, **by_axis, "added": today_text()}, root / "papers", known, _record_context(taxonomy), record_id, force)
            backup = write_prepared(prepared, overwrite=force) if prepared.is_valid else None
    except Refused as refused:
        _fail(refused.message)
    if not prepared.is_valid:  # point at the flags: the file the lines belong to was never written
        _fail(*flag_messages(prepared), "nothing written")
    if prepared.problems:
        click.echo(format_diagnostics(prepared.problems, "text"), err=True)
    if backup is not None:
        click.echo(f"kept the replaced file as {display_path(backup)}", err=True)
    click.echo(display_path(prepared.path))


def _single_bibtex_entry(stream: TextIO) -> dict[str, Any]:
    from surveykb.formats.bibtex_read import parse_bibtex

    shown = "<stdin>" if stream.name == "<stdin>" else str(stream.name)
    try:
        text = stream.read()
    except UnicodeDecodeError as exc:
        _fail(f"{shown} is not UTF-8 text (byte 0x{exc.object[exc.start]:02x}); save it as UTF-8 and try again")
    entries, problems = parse_bibtex(text, shown)
    if problems:
        click.echo(format_diagnostics(problems, "text"), err=True)
        sys.exit(1)
    if len(entries) != 1:
        _fail(f"{shown} holds {len(entries)} entries; `surveykb new` takes one (use `surveykb import bibtex` for several)")
    return dict(entries[0].data)


def _fail(*messages: str) -> NoReturn:
    for message in messages:
        click.echo(f"error: {message}", err=True)
    sys.exit(1)


@import_group.command("bibtex")
@click.argument("bib_file", metavar="FILE.bib", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--tag", "tags", multiple=True, help="A leaf tag to give every imported record; repeat for each.")
@root_option()
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="How to print the problems.")
def import_bibtex_command(bib_file: Path, tags: tuple[str, ...], root: Path | None, fmt: str) -> None:
    """Create a record for every entry of a BibTeX file.

    LaTeX is decoded, names become `First Last`, arXiv ids are found in eprint, url, journal or
    howpublished. Broken entries are reported with their line, papers already in the knowledge base
    are skipped, nothing is overwritten. Records without tags are written as drafts."""
    from surveykb.formats.bibtex_read import parse_bibtex
    from surveykb.commands.new import import_entries, split_tags, today_text

    root = root or find_root(Path.cwd())
    taxonomy = _taxonomy_or_exit(root)
    by_axis, unknown = split_tags(list(tags), taxonomy)
    if unknown:
        _fail(*unknown)
    shown = display_path(bib_file)
    try:
        text = bib_file.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        _fail(f"{shown} is not UTF-8 text")
    entries, problems = parse_bibtex(text, shown)
    result = import_entries(entries, shown, root / "papers", _record_context(taxonomy), {**by_axis, "added": today_text()})
    for path in result.written:
        click.echo(display_path(path))
    diagnostics = problems + result.problems
    report(diagnostics, fmt, f"{len(result.written)} records written from {len(entries)} entries")
    sys.exit(1 if any(d.is_error for d in diagnostics) else 0)


@main.command("fmt")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option("--check", is_flag=True, help="Change nothing: list the files fmt would change and exit 1 if there are any.")
@click.option("--force", is_flag=True, help="Also reformat files holding YAML comments, dropping the comments (each such file is kept as <name>.bak).")
@root_option()
def fmt_command(paths: tuple[Path, ...], check: bool, force: bool, root: Path | None) -> None:
    """Rewrite records (papers/ by default) in the one canonical form.

    Fields in the record format's order, block style, quotes only where needed. Every value is
    kept, unknown fields included. Files that do not load are reported and left alone. YAML comments
    cannot be kept, so a file with a comment (other than the schema line) is refused unless you pass
    --force, which drops the comments and keeps each such file as <name>.bak."""
    from surveykb.commands.fmt import format_file, write_formatted
    from surveykb.core.files import BackupExists, WriteFailed

    root = root or find_root(Path.cwd())
    targets = expand_paths(list(paths) or [root / "papers"])
    results = [format_file(path, force) for path in targets]
    changed = [result for result in results if result.changed]
    for result in changed:
        if not check:
            try:
                backup = write_formatted(result)
            except BackupExists as exists:
                _fail(f"{display_path(exists.backup)} is left from an earlier --force; delete it once you have checked it, then try again")
            except WriteFailed as failed:
                _fail(f"cannot write {display_path(failed.path)}: {failed.reason}; it was left as it was")
            if backup is not None:
                click.echo(f"kept the file with its comments as {display_path(backup)}", err=True)
        click.echo(f"{'would reformat' if check else 'reformatted'} {result.shown}")
    problems = [problem for result in results for problem in result.problems]
    if problems:
        click.echo(format_diagnostics(problems, "text"))
    refused = sum(result.canonical is None for result in results)
    verb = "would be reformatted" if check else "reformatted"
    click.echo(f"{len(changed)} {verb}, {len(results) - len(changed) - refused} unchanged, {refused} left alone", err=True)
    sys.exit(1 if refused or (check and changed) else 0)


@main.command("stats")
@root_option()
def stats_command(root: Path | None) -> None:
    """Print the number of papers under each taxonomy node, and the leaves with fewer than 3."""
    from surveykb.core.stats import format_stats, node_counts

    root = root or find_root(Path.cwd())
    kb, diagnostics = load_knowledge_base(root)
    if kb is None:
        report(diagnostics, "text", "the taxonomy does not load")
        sys.exit(1)
    click.echo(format_stats(kb.taxonomy, node_counts(kb.taxonomy, kb.papers)))
    invalid = len({d.path for d in diagnostics if d.is_error})
    note = f"; {invalid} files with errors not counted (see `surveykb validate`)" if invalid else ""
    click.echo(f"{len(kb.records)} valid records{note}", err=True)


@main.command("doctor")
@root_option()
def doctor_command(root: Path | None) -> None:
    """List the records that lack authors, a year, a link or a tag, so they can be completed."""
    from surveykb.commands.doctor import incomplete_records

    root = root or find_root(Path.cwd())
    found = incomplete_records(root / "papers")
    for shown, missing in found:
        click.echo(f"{shown}: no {', '.join(missing)}")
    click.echo(f"{len(found)} incomplete records", err=True)


@main.command("schema")
@click.option("--check", is_flag=True, help="Change nothing: list the generated files that are out of date and exit 1 if any are.")
@root_option()
def schema_command(check: bool, root: Path | None) -> None:
    """Regenerate the files made from the record model and the taxonomy.

    schema/paper.schema.json (editor completion), .github/ISSUE_TEMPLATE/add-paper.yml and the
    field reference in CONTRIBUTING.md."""
    from surveykb.generated.contributing import MissingMarkers
    from surveykb.generated.files import regenerate, stale_files

    root = root or find_root(Path.cwd())
    taxonomy = _taxonomy_or_exit(root)
    try:
        files = stale_files(root, taxonomy) if check else regenerate(root, taxonomy)
    except MissingMarkers as exc:
        _fail(str(exc))
    for path in files:
        click.echo(f"{'out of date' if check else 'wrote'}: {path}")
    if check and files:
        _fail("run `surveykb schema` to regenerate them")


# --- Exports ----------------------------------------------------------------------------------------


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(["bibtex", "json", "csv", "awesome"]), required=True, help="bibtex, json, csv, or awesome (the survey's Markdown paper list).")
@click.option("--tag", "tags", multiple=True, help="Keep the papers under this taxonomy node (a leaf, a group or an axis); repeat to keep those under any of several.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, path_type=Path), default=None, help="Write to this file instead of standard output.")
@click.option("--force", is_flag=True, help="Replace the output file if it already exists, keeping the old one as <name>.bak.")
@root_option()
def export_command(fmt: str, tags: tuple[str, ...], output: Path | None, force: bool, root: Path | None) -> None:
    """Print or write the records as BibTeX, JSON, CSV or the survey's Markdown paper list.

    The site offers the same files under exports/. An existing output file is never replaced unless
    --force is given; a knowledge base with validation errors is not exported."""
    from surveykb.core.diagnostics import did_you_mean
    from surveykb.formats.data_files import export_text, papers_under
    from surveykb.core.index import build_index
    from surveykb.core.files import BackupExists, FileExists, write_file

    root = root or find_root(Path.cwd())
    kb, diagnostics = load_knowledge_base(root)
    if kb is None:
        report(diagnostics, "text", "the taxonomy does not load")
        sys.exit(1)
    for tag in tags:
        if tag not in kb.taxonomy.nodes:
            raise click.BadParameter(f"unknown taxonomy node '{tag}'{did_you_mean(tag, sorted(kb.taxonomy.nodes))}", param_hint="'--tag'")
    errors = [diagnostic for diagnostic in diagnostics if diagnostic.is_error]
    if errors:
        click.echo(format_diagnostics(errors, "text"), err=True)
        _fail(f"the knowledge base has {len(errors)} errors (see `surveykb validate`); nothing exported")
    index = build_index(kb)
    papers = papers_under(index, list(tags)) if tags else list(index.papers.values())
    text = export_text(fmt, index, papers)
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        backup = write_file(output, text, force=force)
    except FileExists:
        _fail(f"{display_path(output)} already exists; pass --force to replace it")
    except BackupExists as exists:
        _fail(f"{display_path(exists.backup)} is left from an earlier --force; delete it once you have checked it, then try again")
    except OSError as exc:
        _fail(f"cannot write {display_path(output)}: {exc.strerror or exc}")
    if backup is not None:
        click.echo(f"kept the replaced file as {display_path(backup)}", err=True)
    click.echo(f"wrote {display_path(output)} ({len(papers)} papers)", err=True)


# --- Links ------------------------------------------------------------------------------------------


@main.command("check-links")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@root_option()
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="How to print the dead links.")
@click.option("--workers", type=click.IntRange(1, 64), default=8, show_default=True, help="Links checked at the same time.")
@click.option("--timeout", type=click.FloatRange(min=0.1), default=10.0, show_default=True, help="Seconds to wait for each answer.")
@click.option("--retries", type=click.IntRange(0, 10), default=2, show_default=True, help="Further tries after a timeout, a connection error, 429 or 5xx.")
@click.option("--strict", is_flag=True, help="Exit 1 when a link is dead (they are reported as warnings either way).")
def check_links_command(paths: tuple[Path, ...], root: Path | None, fmt: str, workers: int, timeout: float, retries: int, strict: bool) -> None:
    """Check the external links of the records (url, code, arXiv and DOI pages) over HTTP.

    HEAD first, GET when a server refuses HEAD; redirects are followed. A dead link is a warning at its
    record's line. Remote hosts fail now and then, so this runs on a schedule
    (.github/workflows/links.yml), never on pull requests. Records with errors are left out."""
    from surveykb.commands.check_links import CheckSettings, check_links, record_links

    root = root or find_root(Path.cwd())
    only = expand_paths(list(paths)) if paths else None
    kb, problems = load_knowledge_base(root, only)
    if kb is None:
        report(problems, "text", "the taxonomy does not load")
        sys.exit(1)
    wanted = {display_path(path) for path in only} if only is not None else None
    records = [record for record in kb.records if wanted is None or record.shown in wanted]
    links = record_links(records)
    diagnostics = check_links(links, CheckSettings(workers=workers, timeout=timeout, retries=retries))
    report(diagnostics, fmt, f"{len(links)} links of {len(records)} records checked")
    sys.exit(1 if strict and diagnostics else 0)
