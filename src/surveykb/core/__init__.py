"""Files -> checked knowledge base -> index. No MkDocs, no click: every other stage builds on this."""
