"""Versioned prompt templates for the LLM analyser.

Templates ship as `cortexreel/analysis/prompts/<name>.v<N>.txt`. An admin can replace one by placing a file of
the same name in `<data_dir>/prompts/`; its version then carries a short hash of its content, so results from
an edited prompt are cached and labelled apart from the packaged one.

A template is plain text with a `[system]` part and a `[user]` part, each a `string.Template` (`$name`
placeholders, `$$` for a literal dollar sign). Values are inserted verbatim and never re-expanded.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from pathlib import Path
from string import Template

from cortexreel.errors import ConfigurationError

PACKAGED_DIR = Path(__file__).with_name("prompts")
SYSTEM_MARKER = "[system]"
USER_MARKER = "[user]"
_FILE_NAME = re.compile(r"^(?P<name>[a-z0-9_]+)\.(?P<version>v\d+)\.txt$")


@dataclass(frozen=True)
class PromptTemplate:
    """A loaded template: its version label (part of cache keys) and its two message templates."""

    file_name: str
    version: str
    system: Template
    user: Template
    overridden: bool = False

    def render(self, values: dict[str, str]) -> tuple[str, str]:
        """The system and user messages with every placeholder filled; ConfigurationError if one is unknown."""
        try:
            return self.system.substitute(values), self.user.substitute(values)
        except (KeyError, ValueError) as error:
            raise ConfigurationError(
                f"The prompt template {self.file_name} uses a placeholder that is not available: {error}"
            ) from None

    def placeholders(self) -> set[str]:
        return set(self.system.get_identifiers()) | set(self.user.get_identifiers())


def load_prompt(
    file_name: str, *, data_dir: Path | None = None, required: frozenset[str] = frozenset()
) -> PromptTemplate:
    """The template `file_name` (e.g. "scene_analysis.v1.txt"), from `<data_dir>/prompts/` when an admin put one
    there, else the packaged one. `required` placeholders must appear, so an override cannot silently drop the
    scene text."""
    match = _FILE_NAME.match(file_name)
    if match is None:
        raise ValueError(f"prompt file names look like name.v1.txt, not {file_name!r}")
    base_version = f"{match['name']}.{match['version']}"
    override = data_dir / "prompts" / file_name if data_dir is not None else None
    if override is not None and override.is_file():
        text = override.read_text(encoding="utf-8")
        version = f"{base_version}+{content_hash(text)}"
        template = parse_template(file_name, text, version=version, overridden=True)
    else:
        packaged = PACKAGED_DIR / file_name
        if not packaged.is_file():
            raise ConfigurationError(f"The prompt template {file_name} is missing from the installation.")
        template = parse_template(file_name, packaged.read_text(encoding="utf-8"), version=base_version)
    missing = required - template.placeholders()
    if missing:
        names = ", ".join(sorted("$" + name for name in missing))
        raise ConfigurationError(f"The prompt template {file_name} must contain the placeholders {names}.")
    return template


def parse_template(file_name: str, text: str, *, version: str, overridden: bool = False) -> PromptTemplate:
    """Split a template's text at its `[system]` and `[user]` marker lines."""
    lines = text.replace("\r\n", "\n").split("\n")
    stripped = [line.strip() for line in lines]
    if SYSTEM_MARKER not in stripped or USER_MARKER not in stripped:
        raise ConfigurationError(
            f"The prompt template {file_name} needs a line {SYSTEM_MARKER} and, after it, a line {USER_MARKER}."
        )
    system_at = stripped.index(SYSTEM_MARKER)
    user_at = stripped.index(USER_MARKER)
    if user_at < system_at:
        raise ConfigurationError(f"In the prompt template {file_name}, {USER_MARKER} must come after {SYSTEM_MARKER}.")
    system = "\n".join(lines[system_at + 1 : user_at]).strip()
    user = "\n".join(lines[user_at + 1 :]).strip()
    return PromptTemplate(
        file_name=file_name, version=version, system=Template(system), user=Template(user), overridden=overridden
    )


def content_hash(text: str) -> str:
    """A short, stable hash of a template's text (line endings normalised)."""
    return hashlib.sha256(text.replace("\r\n", "\n").encode("utf-8")).hexdigest()[:10]
