"""Search building blocks: chunking, query terms, rank fusion, snippets, and embedding adapters.

Everything here except `embeddings` is pure: no I/O.
"""
