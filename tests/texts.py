"""Reading what a page shows in AppTest."""

from __future__ import annotations

import re


def shown(element: object) -> str:
    """The text a reader sees in a Markdown element: untrusted text is backslash-escaped (cortexreel.markup)."""
    return re.sub(r"\\(.)", r"\1", str(getattr(element, "value", element)))
