"""One reader and one writer per outside format: record YAML, BibTeX, the survey's Markdown list, JSON and CSV."""
