"""Background task functions. Each takes the Services and ids, is idempotent, and is safe to retry."""

from __future__ import annotations
