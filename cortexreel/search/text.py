"""Query terms: the words of a query that keyword ranking and snippet highlighting look for."""

from __future__ import annotations

import re

WORD = re.compile(r"[^\W_]+(?:'[^\W_]+)?")

# Common English words, plus words every screenplay query uses ("scene", "where") that would match everything.
STOPWORDS = frozenset(
    [
        "a",
        "about",
        "after",
        "again",
        "all",
        "am",
        "an",
        "and",
        "any",
        "are",
        "as",
        "at",
        "be",
        "because",
        "been",
        "before",
        "being",
        "between",
        "both",
        "but",
        "by",
        "can",
        "could",
        "did",
        "do",
        "does",
        "doing",
        "down",
        "during",
        "each",
        "few",
        "for",
        "from",
        "further",
        "had",
        "has",
        "have",
        "having",
        "he",
        "her",
        "here",
        "hers",
        "him",
        "his",
        "how",
        "i",
        "if",
        "in",
        "into",
        "is",
        "it",
        "its",
        "itself",
        "just",
        "me",
        "more",
        "most",
        "my",
        "no",
        "nor",
        "not",
        "now",
        "of",
        "off",
        "on",
        "once",
        "only",
        "or",
        "other",
        "our",
        "ours",
        "out",
        "over",
        "own",
        "same",
        "she",
        "should",
        "so",
        "some",
        "such",
        "than",
        "that",
        "the",
        "their",
        "theirs",
        "them",
        "then",
        "there",
        "these",
        "they",
        "this",
        "those",
        "through",
        "to",
        "too",
        "under",
        "until",
        "up",
        "very",
        "was",
        "we",
        "were",
        "what",
        "when",
        "where",
        "which",
        "while",
        "who",
        "whom",
        "why",
        "will",
        "with",
        "would",
        "you",
        "your",
        "scene",
        "scenes",
        "script",
        "one",
        "ones",
        "someone",
        "something",
    ]
)


def words(text: str) -> list[str]:
    """The words of `text`, lower-cased, in order."""
    return [match.group(0).lower() for match in WORD.finditer(text)]


def query_terms(query: str) -> list[str]:
    """The distinct meaningful words of a query, in order: no stopwords, no single letters."""
    seen: dict[str, None] = {}
    for word in words(query):
        if len(word) > 1 and word not in STOPWORDS:
            seen.setdefault(word, None)
    return list(seen)


def stem(word: str) -> str:
    """A light English stem so that "chases", "chased" and "chasing" meet "chase" when highlighting."""
    word = word.lower().removesuffix("'s")
    for suffix in ("ing", "ed", "es", "s", "e"):
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: -len(suffix)]
    return word


def fts_query(query: str) -> str | None:
    """An SQLite FTS5 MATCH expression that ORs the query's terms (quoted, so no FTS syntax leaks in), or None
    when the query has no meaningful word."""
    terms = query_terms(query)
    if not terms:
        return None
    return " OR ".join('"' + term.replace('"', '""') + '"' for term in terms)
