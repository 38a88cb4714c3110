"""Generator repositories as sources, and pulling their digests with git."""
