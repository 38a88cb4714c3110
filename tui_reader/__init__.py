"""tui-reader: a terminal reader for daily arXiv paper digests."""

__version__ = "0.1.0"
