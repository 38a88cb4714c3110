"""Exchanging the reading state through a shared folder or a git repository."""
