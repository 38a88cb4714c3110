"""Selected papers written out: BibTeX, Markdown, JSON, CSV, Atom and RIS."""
