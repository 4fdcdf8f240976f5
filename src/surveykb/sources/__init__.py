"""Bibliographic facts from the field's public APIs (arXiv, Crossref, OpenAlex) behind one HTTP policy."""
