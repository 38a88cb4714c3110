"""Textual stylesheets, installed as tui_reader.styles."""
