"""The library: finding, parsing, caching, merging and watching digests."""
