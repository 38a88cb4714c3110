"""The headless core: parsing, library, state store, query, export. No textual or rich here."""
