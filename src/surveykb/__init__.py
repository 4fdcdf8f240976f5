"""surveykb: the browsable knowledge base of the data-model co-development survey of MLLMs."""

__version__ = "0.1.0"
