"""The search language: parsing, per-field terms and the library's search index."""
