"""surveykb: a browsable, validated knowledge base of a survey's papers, from YAML records to a site."""

__version__ = "0.1.0"
