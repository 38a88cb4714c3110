"""The reading state: the SQLite store, its schema, backups and the reading queue."""
