"""The MkDocs side: the plugin's hooks and the pure functions that turn a knowledge base into pages and files."""
