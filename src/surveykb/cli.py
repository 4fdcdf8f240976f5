"""The `surveykb` command line: flags -> one call into `commands/` -> printed output and an exit code.

Every command that reads the knowledge base opens it with `_open` (the one loader); a refusal raised
anywhere below (`core.errors.SurveyKBError`) is printed once, by `main`, as one error line."""

from __future__ import annotations

import dataclasses
import logging
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, NoReturn, TextIO

import click

from surveykb.commands.validate import valid_summary
from surveykb.core.diagnostics import Diagnostic, counted, format_diagnostics
from surveykb.core.errors import SurveyKBError
from surveykb.core.knowledge_base import Loaded, open_knowledge_base
from surveykb.core.paths import display_path, expand_paths, find_root

FORMATS = click.Choice(["text", "github", "json"])


class _Group(click.Group):
    """Prints a refusal raised by any command as its details and one error line, exit 1."""

    def invoke(self, ctx: click.Context) -> Any:
        try:
            return super().invoke(ctx)
        except SurveyKBError as refusal:
            if refusal.details:
                click.echo(format_diagnostics(refusal.details, "text"), err=True)
            _fail(refusal.message)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="surveykb")
def main() -> None:
    """A validated, browsable knowledge base of a survey's papers."""


def _root(root: Path | None) -> Path:
    return root or find_root(Path.cwd())


def _open(root: Path | None, only: list[Path] | None = None) -> Loaded:
    """The one loader, for every command that reads the knowledge base."""
    return open_knowledge_base(_root(root), only)


def _exit(diagnostics: list[Diagnostic]) -> None:
    sys.exit(1 if any(d.is_error for d in diagnostics) else 0)


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
    from surveykb.commands.validate import validate as run_validate

    only = expand_paths(list(paths)) if paths else None
    diagnostics, summary = run_validate(_open(root, only), only, strict)
    report(diagnostics, fmt, summary)
    _exit(diagnostics)


def report(diagnostics: list[Diagnostic], fmt: str, summary: str) -> None:
    """Print the diagnostics to stdout and a one-line summary to stderr."""
    if diagnostics or fmt == "json":
        click.echo(format_diagnostics(diagnostics, fmt))
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors
    click.echo(f"{summary}; {counted(errors, 'error')}, {counted(warnings, 'warning')}", err=True)


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

    from surveykb.commands.import_awesome import import_awesome

    loaded = _open(root)
    if loaded.kb is None:
        report(loaded.diagnostics, "text", "nothing imported")
        sys.exit(1)
    diagnostics = list(loaded.taxonomy_diagnostics)
    result = import_awesome(
        list_file, metadata, loaded.root, loaded.kb.taxonomy, datetime.date.today(), loaded.known_papers()
    )
    for path in result.written:
        click.echo(f"wrote {path}")
    for line in result.skipped:
        click.echo(f"skipped {line}")
    diagnostics += result.diagnostics
    report(diagnostics, "text", f"{len(result.written)} written, {len(result.skipped)} skipped")
    _exit(diagnostics)


@main.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--title", default=None, help="The survey's title: the site's name and the README's heading.")
def init_command(directory: Path, title: str | None) -> None:
    """Start a knowledge base for your own survey in DIRECTORY (new or empty): an example taxonomy
    and record, mkdocs.yml, docs/about.md, GitHub workflows and issue form, pre-commit and a README."""
    from surveykb.commands.init import DEFAULT_TITLE, init_knowledge_base

    written = init_knowledge_base(directory, title or DEFAULT_TITLE)
    click.echo(
        f"wrote {len(written)} files into {display_path(directory)}; next: cd {display_path(directory)} && surveykb build --strict"
    )


@main.command()
@root_option()
@click.option(
    "--strict",
    is_flag=True,
    help="Fail on MkDocs warnings (the surveykb plugin's `warnings` option says whether incomplete records count).",
)
@click.option(
    "--site-dir",
    type=click.Path(file_okay=False, path_type=Path),
    default=None,
    help="Where to write the site (default: site/).",
)
def build(root: Path | None, strict: bool, site_dir: Path | None) -> None:
    """Validate the knowledge base, then build the site with MkDocs."""
    from surveykb.commands.build import build_site

    loaded = _validated_or_exit(root)
    config_file = loaded.root / "mkdocs.yml"
    # Handed over, not shared: once the plugin has indexed the records, nothing holds them (nor the
    # parse of every record file), which a large knowledge base would otherwise keep for the whole build.
    handed_over = [dataclasses.replace(loaded, files={})]
    del loaded
    _run_mkdocs(lambda: build_site(config_file, site_dir, strict, handed_over.pop()))


@main.command()
@root_option()
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address to serve on.")
@click.option("--strict", is_flag=True, help="Fail on warnings.")
def serve(root: Path | None, dev_addr: str, strict: bool) -> None:
    """Validate, then serve the site locally, rebuilding when a record or the taxonomy changes."""
    from surveykb.commands.build import serve_site

    # The server loads the knowledge base again on every rebuild and shows its warnings each time;
    # here only errors stop it before it starts.
    loaded = _validated_or_exit(root, show_warnings=False)
    _run_mkdocs(lambda: serve_site(loaded.root / "mkdocs.yml", dev_addr, strict))


def _validated_or_exit(root: Path | None, show_warnings: bool = True) -> Loaded:
    """Stop before MkDocs starts when the knowledge base has errors; warnings are shown once."""
    loaded = _open(root)
    if loaded.diagnostics and (show_warnings or loaded.has_errors):
        report(loaded.diagnostics, "text", valid_summary(loaded, loaded.diagnostics))
    if loaded.has_errors:
        sys.exit(1)
    return loaded


def _run_mkdocs(action: Callable[[], None]) -> None:
    from mkdocs.exceptions import MkDocsException

    logging.basicConfig(level=logging.INFO, format="%(levelname)-7s -  %(message)s")
    try:
        action()
    except MkDocsException as exc:
        click.echo(f"error: {exc}", err=True)
        sys.exit(1)


# --- Contributor workflow: new, import bibtex, fmt, stats, doctor, schema ---------------------------


@main.command("new")
@click.argument("paper", required=False, metavar="[PAPER]")
@click.option(
    "--offline", is_flag=True, help="Fetch nothing; make the record from the flags alone (also SURVEYKB_OFFLINE=1)."
)
@click.option(
    "--bibtex",
    "bibtex_file",
    type=click.File("r", encoding="utf-8"),
    help="Take the fields from the one entry of this BibTeX file ('-' reads standard input).",
)
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
@click.option(
    "--section", "sections", multiple=True, help="A survey section id citing the paper, like 3.1.1; repeat for each."
)
@click.option("--summary", help="One paragraph on the paper.")
@click.option("--id", "record_id", help="The record id; derived from author, year and title by default.")
@click.option(
    "--force",
    is_flag=True,
    help="Replace the file named by --id if it already exists, keeping the old one as <name>.bak.",
)
@click.option(
    "--interactive/--no-interactive",
    default=None,
    help="Ask for missing fields (default: when standard input is a terminal).",
)
@root_option()
def new_command(
    paper: str | None,
    offline: bool,
    bibtex_file: TextIO | None,
    tags: tuple[str, ...],
    record_id: str | None,
    force: bool,
    interactive: bool | None,
    root: Path | None,
    **flags: Any,
) -> None:
    """Create papers/<id>.yaml from flags or a BibTeX entry, validate it and print its path.

    PAPER (an arXiv id or link, a DOI or doi.org link, an OpenReview or ACL Anthology page), --arxiv or --doi
    fill title, authors, year, venue and identifiers from arXiv, OpenAlex and Crossref; flags override
    what is fetched. Tags are suggested from the knowledge base's most similar records.

    Refuses a paper that is already in the knowledge base (same arXiv id, DOI or title) and never
    overwrites a file unless --force is given. Without tags the record is written as a draft,
    which `surveykb validate` flags until a tag is added."""
    from surveykb.commands.ask import ask_missing
    from surveykb.commands.new import fields_from_flags, flag_messages, new_record

    loaded = _open(root)
    data = _single_bibtex_entry(bibtex_file) if bibtex_file is not None else {}
    data.update(fields_from_flags(flags))
    asking = loaded.kb is not None and (
        interactive if interactive is not None else (sys.stdin.isatty() and bibtex_file is None)
    )
    if loaded.kb is not None:
        data, tags = _filled_new(data, fields_from_flags(flags), paper, offline, tags, asking, loaded)
    if asking and loaded.kb is not None:
        data, chosen = ask_missing(data, list(tags), loaded.kb.taxonomy, loaded.known_papers())
        tags = tuple(chosen)
    created = new_record(loaded, data, list(tags), record_id, force)
    prepared, backup = created.prepared, created.backup
    if not prepared.is_valid:  # point at the flags: the file the lines belong to was never written
        _fail(*flag_messages(prepared, loaded.kb.taxonomy.axes if loaded.kb else ()), "nothing written")
    if prepared.problems:
        click.echo(format_diagnostics(prepared.problems, "text"), err=True)
    if backup is not None:
        click.echo(f"kept the replaced file as {display_path(backup)}", err=True)
    click.echo(display_path(prepared.path))


def _filled_new(
    data: dict[str, Any],
    given: dict[str, Any],
    paper: str | None,
    offline: bool,
    tags: tuple[str, ...],
    asking: bool,
    loaded: Loaded,
) -> tuple[dict[str, Any], tuple[str, ...]]:
    """`new`'s fields completed from the sources (when PAPER, --arxiv or --doi names the paper), and
    its tags (suggested ones picked on a terminal)."""
    import os

    assert loaded.kb is not None
    root, taxonomy = loaded.root, loaded.kb.taxonomy
    from surveykb.commands.fill import FillRefused, asked_for, fill_from_sources, pick_tags, tag_suggestions
    from surveykb.commands.suggest import format_suggestions

    abstract = None
    try:
        asked = asked_for(paper, given)
        if asked is not None:
            filled = fill_from_sources(data, asked, root, taxonomy, offline or bool(os.environ.get("SURVEYKB_OFFLINE")))
            data, abstract = filled.data, filled.abstract
            for note in filled.notes:
                click.echo(f"note: {note}", err=True)
    except FillRefused as refused:
        _fail(str(refused))
    suggestions = tag_suggestions(loaded.kb, data, abstract) if data.get("title") and not tags else []
    if suggestions:
        click.echo("suggested tags (from the most similar records):", err=True)
        click.echo("\n".join(f"  {line}" for line in format_suggestions(suggestions)), err=True)
        if asking:
            tags = tuple(pick_tags(suggestions, [leaf.id for axis in taxonomy.axes for leaf in taxonomy.leaves(axis)]))
        else:
            click.echo("  (pass --tag to use them)", err=True)
    return data, tags


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
        _fail(
            f"{shown} holds {len(entries)} entries; `surveykb new` takes one (use `surveykb import bibtex` for several)"
        )
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
    from surveykb.commands.import_bibtex import import_bibtex

    result, entries = import_bibtex(_open(root), bib_file, list(tags))
    for path in result.written:
        click.echo(display_path(path))
    report(result.problems, fmt, f"{len(result.written)} records written from {entries} entries")
    _exit(result.problems)


@main.command("fmt")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@click.option(
    "--check", is_flag=True, help="Change nothing: list the files fmt would change and exit 1 if there are any."
)
@click.option(
    "--force",
    is_flag=True,
    help="Also reformat files holding YAML comments, dropping the comments (each such file is kept as <name>.bak).",
)
@root_option()
def fmt_command(paths: tuple[Path, ...], check: bool, force: bool, root: Path | None) -> None:
    """Rewrite records (papers/ by default) in the one canonical form.

    Fields in the record format's order, block style, quotes only where needed. Every value is
    kept, unknown fields included. Files that do not load are reported and left alone. YAML comments
    cannot be kept, so a file with a comment (other than the schema line) is refused unless you pass
    --force, which drops the comments and keeps each such file as <name>.bak."""
    from surveykb.commands.fmt import format_files, write_formatted
    from surveykb.core.errors import WriteFailed

    root = _root(root)
    targets = expand_paths(list(paths) or [root / "papers"])
    results = format_files(open_knowledge_base(root, targets), targets, force)
    changed = [result for result in results if result.changed]
    for result in changed:
        if not check:
            try:
                backup = write_formatted(result)
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
    click.echo(
        f"{len(changed)} {verb}, {len(results) - len(changed) - refused} unchanged, {refused} left alone", err=True
    )
    sys.exit(1 if refused or (check and changed) else 0)


@main.command("stats")
@root_option()
def stats_command(root: Path | None) -> None:
    """Print the number of papers under each taxonomy node, and the leaves with fewer than the
    site's gap threshold (mkdocs.yml's `gap_threshold`, 3 by default)."""
    from surveykb.commands.stats import configured_gap_threshold, format_stats, node_counts

    loaded = _open(root)
    kb = loaded.kb
    if kb is None:
        report(loaded.diagnostics, "text", "the taxonomy does not load")
        sys.exit(1)
    click.echo(format_stats(kb.taxonomy, node_counts(kb.taxonomy, kb.papers), configured_gap_threshold(loaded.root)))
    invalid = len({d.path for d in loaded.diagnostics if d.is_error})
    note = f"; {invalid} files with errors not counted (see `surveykb validate`)" if invalid else ""
    click.echo(f"{len(kb.records)} valid records{note}", err=True)


@main.command("coverage")
@root_option()
def coverage_command(root: Path | None) -> None:
    """Print, as a Markdown table, how many valid records give each field."""
    from surveykb.commands.coverage import coverage_markdown

    loaded = _open(root)
    if loaded.kb is None:
        report(loaded.diagnostics, "text", "the taxonomy does not load")
        sys.exit(1)
    click.echo(coverage_markdown(loaded.kb), nl=False)


@main.command("doctor")
@root_option()
def doctor_command(root: Path | None) -> None:
    """List what records lack (authors, a year, a link, a tag, a source) and where their tags, survey
    sections and venue years disagree. Nothing is rewritten."""
    from surveykb.commands.doctor import disagreements, incomplete_records

    loaded = _open(root)
    found = incomplete_records(loaded)
    for shown, missing in found:
        click.echo(f"{shown}: no {', '.join(missing)}")
    checks = disagreements(loaded)
    if checks:
        click.echo(format_diagnostics(checks, "text"))
    click.echo(
        f"{len(found)} incomplete records, {len(checks)} disagreements between tags, sections and venues", err=True
    )


@main.command("schema")
@click.option(
    "--check", is_flag=True, help="Change nothing: list the generated files that are out of date and exit 1 if any are."
)
@root_option()
def schema_command(check: bool, root: Path | None) -> None:
    """Regenerate the files made from the record model and the taxonomy.

    schema/paper.schema.json (editor completion), .github/ISSUE_TEMPLATE/add-paper.yml and the
    field reference in CONTRIBUTING.md."""
    from surveykb.generated.files import regenerate, stale_files

    loaded = _open(root)
    if loaded.kb is None:
        report(loaded.diagnostics, "text", "the taxonomy does not load")
        sys.exit(1)
    taxonomy = loaded.kb.taxonomy
    files = stale_files(loaded.root, taxonomy) if check else regenerate(loaded.root, taxonomy)
    for path in files:
        click.echo(f"{'out of date' if check else 'wrote'}: {path}")
    if check and files:
        _fail("run `surveykb schema` to regenerate them")


# --- Exports ----------------------------------------------------------------------------------------


@main.command("export")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["bibtex", "json", "csv", "awesome"]),
    required=True,
    help="bibtex, json, csv, or awesome (the survey's Markdown paper list).",
)
@click.option(
    "--tag",
    "tags",
    multiple=True,
    help="Keep the papers under this taxonomy node (a leaf, a group or an axis); repeat to keep those under any of several.",
)
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    default=None,
    help="Write to this file instead of standard output.",
)
@click.option(
    "--force", is_flag=True, help="Replace the output file if it already exists, keeping the old one as <name>.bak."
)
@root_option()
def export_command(fmt: str, tags: tuple[str, ...], output: Path | None, force: bool, root: Path | None) -> None:
    """Print or write the records as BibTeX, JSON, CSV or the survey's Markdown paper list.

    The site offers the same files under exports/. An existing output file is never replaced unless
    --force is given; a knowledge base with validation errors is not exported."""
    from surveykb.commands.export import UnknownNode, export
    from surveykb.core.files import write_file

    try:
        text, count = export(_open(root), fmt, list(tags))
    except UnknownNode as unknown:
        raise click.BadParameter(unknown.message, param_hint="'--tag'") from None
    if output is None:
        click.echo(text, nl=False)
        return
    try:
        backup = write_file(output, text, force=force)
    except OSError as exc:
        _fail(f"cannot write {display_path(output)}: {exc.strerror or exc}")
    if backup is not None:
        click.echo(f"kept the replaced file as {display_path(backup)}", err=True)
    click.echo(f"wrote {display_path(output)} ({count} papers)", err=True)


# --- Links ------------------------------------------------------------------------------------------


@main.command("check-links")
@click.argument("paths", nargs=-1, type=click.Path(path_type=Path))
@root_option()
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="How to print the dead links.")
@click.option(
    "--workers", type=click.IntRange(1, 64), default=8, show_default=True, help="Links checked at the same time."
)
@click.option(
    "--timeout",
    type=click.FloatRange(min=0.1),
    default=10.0,
    show_default=True,
    help="Seconds to wait for each answer.",
)
@click.option(
    "--retries",
    type=click.IntRange(0, 10),
    default=2,
    show_default=True,
    help="Further tries after a timeout, a connection error, 429 or 5xx.",
)
@click.option("--strict", is_flag=True, help="Exit 1 when a link is dead (they are reported as warnings either way).")
def check_links_command(
    paths: tuple[Path, ...], root: Path | None, fmt: str, workers: int, timeout: float, retries: int, strict: bool
) -> None:
    """Check the external links of the records (url, code, arXiv and DOI pages) over HTTP.

    HEAD first, GET when a server refuses HEAD; redirects are followed. A dead link is a warning at its
    record's line. Remote hosts fail now and then, so this runs on a schedule
    (.github/workflows/links.yml), never on pull requests. Records with errors are left out."""
    from surveykb.commands.check_links import CheckSettings, check_links, record_links

    only = expand_paths(list(paths)) if paths else None
    loaded = _open(root, only)
    kb = loaded.kb
    if kb is None:
        report(loaded.diagnostics, "text", "the taxonomy does not load")
        sys.exit(1)
    wanted = {display_path(path) for path in only} if only is not None else None
    records = [record for record in kb.records if wanted is None or record.shown in wanted]
    links = record_links(records)
    diagnostics = check_links(links, CheckSettings(workers=workers, timeout=timeout, retries=retries))
    report(diagnostics, fmt, f"{len(links)} links of {len(records)} records checked")
    sys.exit(1 if strict and diagnostics else 0)


# --- Sources: refresh, discover, diff, import issue ---------------------------------------------------


def _fetcher_or_exit(root: Path) -> Any:
    from surveykb.sources.config import ConfigError, load_config
    from surveykb.sources.http import Fetcher

    try:
        return Fetcher(load_config(root))
    except ConfigError as exc:
        _fail(str(exc))


@main.command("refresh")
@click.argument("ids", nargs=-1)
@click.option(
    "--write", is_flag=True, help="Write the changes (comments and canonical form kept); without it nothing is written."
)
@root_option()
@click.option("--format", "fmt", type=FORMATS, default="text", show_default=True, help="How to print the findings.")
def refresh_command(ids: tuple[str, ...], write: bool, root: Path | None, fmt: str) -> None:
    """Compare records that have an arXiv id or DOI (all, or those with the ids IDS) with arXiv,
    OpenAlex and Crossref: a preprint now published, a new DOI, a changed title or author list, a
    withdrawn paper, each reported at the record's line."""
    from surveykb.commands.refresh import refresh, refreshable, write_changes

    loaded = _open(root)
    root, kb, problems = loaded.root, loaded.kb, loaded.diagnostics
    if kb is None:
        report(problems, "text", "the taxonomy does not load")
        sys.exit(1)
    unknown = sorted(set(ids) - {record.paper.id for record in kb.records})
    if unknown:
        _fail(*(f"no valid record with the id '{record_id}'" for record_id in unknown))
    result = refresh(refreshable(kb, list(ids)), _fetcher_or_exit(root), kb.taxonomy.venues)
    if write:
        write_changes(result)
        for shown in result.written:
            click.echo(f"updated {shown}", err=True)
    report(result.diagnostics, fmt, result.summary(write))
    sys.exit(1 if any(d.is_error for d in result.diagnostics) else 0)


@main.command("diff")
@click.argument("base")
@root_option()
def diff_command(base: str, root: Path | None) -> None:
    """Print, as Markdown for a pull request comment, what the knowledge base changes against BASE (a
    git revision like origin/main, or another knowledge base folder): papers added, removed and
    changed field by field, and every taxonomy count and cross-table cell that moves."""
    from surveykb.commands.diff import BaseUnavailable, diff_knowledge_bases, load_base, to_markdown

    loaded = _open(root)
    root, after, problems = loaded.root, loaded.kb, loaded.diagnostics
    try:
        before, base_problems = load_base(root, base)
    except BaseUnavailable as exc:
        _fail(str(exc))
    if after is None or before is None:
        report(problems if after is None else base_problems, "text", "the taxonomy does not load")
        sys.exit(1)
    click.echo(to_markdown(diff_knowledge_bases(before, after), base), nl=False)
    invalid = sum(d.is_error for d in problems)
    if invalid:
        click.echo(
            f"note: {invalid} errors in the knowledge base (see `surveykb validate`); records with errors are left out",
            err=True,
        )


@main.command("discover")
@click.option("--since", metavar="DATE", help="Only works published on or after this date (YYYY-MM-DD).")
@click.option(
    "--limit", type=click.IntRange(min=1), default=50, show_default=True, help="At most this many candidates."
)
@click.option(
    "--min-cited",
    "min_cited",
    type=click.IntRange(min=1),
    default=2,
    show_default=True,
    help="A work not citing the survey must cite at least this many records.",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["markdown", "json"]),
    default="markdown",
    show_default=True,
    help="Markdown (for an issue) or JSON.",
)
@root_option()
def discover_command(since: str | None, limit: int, min_cited: int, fmt: str, root: Path | None) -> None:
    """List candidate papers from OpenAlex: works citing the survey (taxonomy/survey.yaml) or at least
    --min-cited papers of the knowledge base, not in it yet, ranked by similarity to it, each with
    suggested tags and its evidence. Listing citing works needs OPENALEX_API_KEY."""
    import datetime

    from surveykb.commands.discover import discover, to_json, to_markdown
    from surveykb.sources.http import SourceError

    if since is not None:
        try:
            datetime.date.fromisoformat(since)
        except ValueError:
            raise click.BadParameter(f"'{since}' is not a date written YYYY-MM-DD", param_hint="'--since'") from None
    loaded = _open(root)
    root, kb, problems = loaded.root, loaded.kb, loaded.diagnostics
    if kb is None:
        report(problems, "text", "the taxonomy does not load")
        sys.exit(1)
    try:
        found = discover(kb, _fetcher_or_exit(root), since, limit, min_cited)
    except SourceError as failure:
        _fail(f"{failure}; no candidates listed")
    click.echo(to_json(found) if fmt == "json" else to_markdown(found))
    click.echo(f"{len(found.candidates)} candidates of {found.examined} citing works", err=True)


@import_group.command("issue")
@click.argument("body_file", metavar="BODY.md", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--offline", is_flag=True, help="Fetch nothing; use the form's answers alone.")
@root_option()
def import_issue_command(body_file: Path, offline: bool, root: Path | None) -> None:
    """Create a record from the body of an "add a paper" issue: the form's answers win, arXiv,
    OpenAlex and Crossref fill the rest; the record is written only when it validates. Problems are
    printed one a line (a workflow posts them back on the issue)."""
    import datetime
    import os

    from surveykb.commands.import_issue import import_issue

    loaded = _open(root)
    if loaded.kb is None:
        report(loaded.diagnostics, "text", "the taxonomy does not load")
        sys.exit(1)
    shown = display_path(body_file)
    try:
        text = body_file.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        _fail(f"{shown} is not UTF-8 text")
    result = import_issue(
        text, shown, loaded, offline or bool(os.environ.get("SURVEYKB_OFFLINE")), datetime.date.today()
    )
    for note in result.notes:
        click.echo(f"note: {note}", err=True)
    if result.problems:
        click.echo(format_diagnostics(result.problems, "text"))
    if result.written is None:
        _fail("nothing written")
    click.echo(display_path(result.written))
