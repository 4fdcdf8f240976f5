"""Generated HTML blocks bypass Markdown and come back intact."""

from __future__ import annotations

import pytest

from surveykb.site.htmlstash import restore_blocks, stash_blocks


@pytest.mark.parametrize(
    ("markdown", "kept", "blocks"),
    [
        pytest.param(
            '# T\n\n<div class="kb-a">\n<p>x</p>\n</div>\n\n## H\n',
            "# T\n\n<!--surveykb-block:0-->\n\n## H\n",
            ['<div class="kb-a">\n<p>x</p>\n</div>'],
            id="one-block",
        ),
        pytest.param(
            '<div class="kb-a">\n<div>1</div>\n<div>2</div></div>\n\n## H\n\n<div class="kb-b" data-search-exclude>\n<table></table>\n</div>',
            "<!--surveykb-block:0-->\n\n## H\n\n<!--surveykb-block:1-->",
            ['<div class="kb-a">\n<div>1</div>\n<div>2</div></div>', '<div class="kb-b" data-search-exclude>\n<table></table>\n</div>'],
            id="closing-tags-joined-on-one-line",
        ),
        pytest.param(
            '<div class="kb-a">\n<div class="language-x"><pre><code>a\nb</code></pre></div>\n</div>\nafter',
            "<!--surveykb-block:0-->\nafter",
            ['<div class="kb-a">\n<div class="language-x"><pre><code>a\nb</code></pre></div>\n</div>'],
            id="nested-div-spanning-lines",
        ),
        pytest.param('<div class="kb-a">\nnever closed\n', '<div class="kb-a">\nnever closed\n', [], id="unclosed-left-to-markdown"),
        pytest.param('text <div class="kb-a">\n</div>', 'text <div class="kb-a">\n</div>', [], id="not-at-line-start"),
    ],
)
def test_stash_blocks(markdown: str, kept: str, blocks: list[str]) -> None:
    assert stash_blocks(markdown) == (kept, blocks)


def test_searchable_blocks_return_first_and_the_rest_after_the_page_is_rendered() -> None:
    kept, blocks = stash_blocks('<div class="kb-a">\nA\n</div>\n<div class="kb-b" data-search-exclude>\nB\n</div>')
    content = restore_blocks(kept, blocks, searchable=True)
    assert content == '<div class="kb-a">\nA\n</div>\n<!--surveykb-block:1-->'
    assert restore_blocks(content, blocks, searchable=False) == '<div class="kb-a">\nA\n</div>\n<div class="kb-b" data-search-exclude>\nB\n</div>'
