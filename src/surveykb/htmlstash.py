"""Keep generated HTML blocks away from Markdown.

Generated pages are Markdown whose bulk is HTML blocks (`<div class="kb-...">` ... `</div>`, each at
the start of a line). Python-Markdown would parse every tag of them only to pass them through
unchanged, which dominates the build time of a large site. We swap each block for an HTML comment
before Markdown runs and put the block back into the rendered page afterwards; headings, links and
the table of contents still come from Markdown.

Blocks marked `data-search-exclude` (the long paper tables) go back in only once the whole page is
rendered, so the search indexer never has to parse them either.
"""

from __future__ import annotations

import re

_BLOCK = re.compile(r'^<div class="kb-[^"\n]*"[^>\n]*>\n.*?^</div>$', re.MULTILINE | re.DOTALL)
_PLACEHOLDER = re.compile(r"<!--surveykb-block:(\d+)-->")


def stash_blocks(markdown: str) -> tuple[str, list[str]]:
    """Markdown with each HTML block replaced by a numbered comment, and the blocks in order."""
    blocks: list[str] = []

    def replace(match: re.Match[str]) -> str:
        blocks.append(match.group(0))
        return f"<!--surveykb-block:{len(blocks) - 1}-->"

    return _BLOCK.sub(replace, markdown), blocks


def restore_blocks(html: str, blocks: list[str], *, searchable: bool) -> str:
    """Put back the searchable blocks (`searchable=True`) or the ones search skips."""

    def replace(match: re.Match[str]) -> str:
        block = blocks[int(match.group(1))]
        return block if _is_searchable(block) == searchable else match.group(0)

    return _PLACEHOLDER.sub(replace, html)


def _is_searchable(block: str) -> bool:
    return "data-search-exclude" not in block[: block.index(">")]
