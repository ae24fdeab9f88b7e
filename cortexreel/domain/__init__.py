"""Pure domain models and logic: no I/O here."""
