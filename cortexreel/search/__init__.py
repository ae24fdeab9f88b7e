"""Search building blocks: chunking, query terms, rank fusion, snippets, embedding adapters and the CLI command.

Everything here except `embeddings` and `cli` is pure: no I/O.
"""
