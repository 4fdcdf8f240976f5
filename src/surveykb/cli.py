"""The `surveykb` command line."""

from __future__ import annotations

import sys
from pathlib import Path

import click

from surveykb.diagnostics import Diagnostic, format_diagnostics, promote_warnings
from surveykb.validate import expand_paths, find_root, load_knowledge_base

FORMATS = click.Choice(["text", "github", "json"])


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="surveykb")
def main() -> None:
    """The knowledge base of the data-model co-development survey of multi-modal LLMs."""


def root_option() -> click.Option:
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
    summary = f"{len(only)} files checked" if only is not None else f"{len(kb.records) if kb else 0} valid records"
    report(diagnostics, fmt, summary)
    sys.exit(1 if any(d.is_error for d in diagnostics) else 0)


def report(diagnostics: list[Diagnostic], fmt: str, summary: str) -> None:
    """Print the diagnostics to stdout and a one-line summary to stderr."""
    if diagnostics or fmt == "json":
        click.echo(format_diagnostics(diagnostics, fmt))
    errors = sum(d.is_error for d in diagnostics)
    warnings = len(diagnostics) - errors
    click.echo(f"{summary}; {errors} errors, {warnings} warnings", err=True)


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

    from surveykb.awesome import import_awesome
    from surveykb.taxonomy import load_taxonomy

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
