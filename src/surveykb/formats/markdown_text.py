"""Plain text <-> Markdown inline text that every renderer shows as that text, never as markup.

A title such as `<img src=x onerror=alert(1)>` or `[x](javascript:alert(1))` in the awesome list must
not become an image, a script or a link on GitHub, in MkDocs or in any other Markdown renderer.
`&`, `<` and `>` become character references (understood by CommonMark, GFM and Python-Markdown
alike, inside tables and HTML blocks too); the other characters with an inline meaning (emphasis,
code, links, images, escapes) get a backslash, and so does a list, heading or quote
marker that opens the text. `unescape` reads such
text back exactly, and reads any Markdown cell the way a renderer shows it.
"""

from __future__ import annotations

import html
import re

# `~` (GFM strike-through) and `|` (a table cell's end) have no backslash escape in Python-Markdown
# outside tables; a character reference works everywhere, and GFM splits cells before reading it.
_REFERENCES = {"&": "&amp;", "<": "&lt;", ">": "&gt;", "~": "&#126;", "|": "&#124;"}
_BACKSLASHED = set("\\`*_[]!")
# What starts a block (list item, heading, quote, ordered item) when it opens a line.
_BLOCK_START = re.compile(r"^(?:[-+#]|\d{1,9}(?=[.)]))")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])|&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")


_SPECIAL = re.compile("[" + re.escape("".join([*_REFERENCES, *_BACKSLASHED])) + "]")


def escape(text: str) -> str:
    """`text` as Markdown inline content that renders as exactly `text`."""
    inline = (
        "".join(_REFERENCES.get(char) or (f"\\{char}" if char in _BACKSLASHED else char) for char in text)
        if _SPECIAL.search(text)
        else text
    )
    start = _BLOCK_START.match(inline)
    if start is None:
        return inline
    end = start.end()
    return f"\\{inline}" if end == 1 and not inline[0].isdigit() else f"{inline[:end]}\\{inline[end:]}"


def unescape(markdown: str) -> str:
    """The text a renderer shows for backslash escapes and character references; one pass, so that
    `unescape(escape(text)) == text`."""
    return _ESCAPED.sub(_plain, markdown)


def _plain(match: re.Match[str]) -> str:
    if match.group(1) is not None:
        return match.group(1)
    reference = match.group(0)
    decoded = html.unescape(reference)
    return reference if decoded == reference else decoded
