"""Moving data in and out of a library: the browser app's export, backup and restore, migration between backends.

- `browser_export`: read the earlier browser-only CortexReel's `cortex-reel-analysis-store` JSON and map it onto
  our models (pure); `browser_import` writes that into the stores.
- `library`: the library as collections of canonical JSON lines, with counts and checksums.
- `archive`: backup to one zip file and restore from it.
- `move`: copy a library to other backends (`migrate --to-env FILE`), resumable and verified.
"""
