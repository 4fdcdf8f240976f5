"""Keep generated HTML blocks away from Markdown.

Generated pages are Markdown whose bulk is HTML blocks: a line that is just `<div class="kb-...">`
opens one, which runs to the line where its `<div>`s are all closed. Python-Markdown would parse every tag of them only to pass them through
unchanged, which dominates the build time of a large site. We swap each block for an HTML comment
before Markdown runs and put the block back into the rendered page afterwards; headings, links and
the table of contents still come from Markdown.

Blocks marked `data-search-exclude` (the long paper tables) go back in only once the whole page is
rendered, so the search indexer never has to parse them either.
"""

from __future__ import annotations

import re

_OPENING = re.compile(r'<div class="kb-[^"]*"[^>]*>')
_DIV = re.compile(r"<div[\s>]")
_PLACEHOLDER = re.compile(r"<!--surveykb-block:(\d+)-->")


def stash_blocks(markdown: str) -> tuple[str, list[str]]:
    """Markdown with each HTML block replaced by a numbered comment, and the blocks in order.
    An opening line whose `<div>`s never close is left to Markdown."""
    lines = markdown.split("\n")
    kept: list[str] = []
    blocks: list[str] = []
    start = 0
    while start < len(lines):
        end = _block_end(lines, start) if _OPENING.fullmatch(lines[start]) else None
        if end is None:
            kept.append(lines[start])
            start += 1
            continue
        blocks.append("\n".join(lines[start : end + 1]))
        kept.append(f"<!--surveykb-block:{len(blocks) - 1}-->")
        start = end + 1
    return "\n".join(kept), blocks


def _block_end(lines: list[str], start: int) -> int | None:
    """The line that closes the `<div>` opened at `start` (contributor text cannot hold a raw `<`)."""
    depth = 0
    for number in range(start, len(lines)):
        depth += len(_DIV.findall(lines[number])) - lines[number].count("</div>")
        if depth <= 0:
            return number
    return None


def restore_blocks(html: str, blocks: list[str], *, searchable: bool) -> str:
    """Put back the searchable blocks (`searchable=True`) or the ones search skips."""

    def replace(match: re.Match[str]) -> str:
        block = blocks[int(match.group(1))]
        return block if _is_searchable(block) == searchable else match.group(0)

    return _PLACEHOLDER.sub(replace, html)


def _is_searchable(block: str) -> bool:
    return "data-search-exclude" not in block[: block.index(">")]
