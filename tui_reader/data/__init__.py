"""Bundled data: the demo digest shown when the library is empty."""
