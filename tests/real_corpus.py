"""The real screenplay PDFs in ../shared/fixtures/real, scored against hand-made labels (tests/corpus/real).

Each label file was established by reading the PDF (see its "how"), never from this parser's output. Used by
tests/unit/parsing/test_real_corpus.py and bench/parse_accuracy.py; both skip when the PDFs are absent.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cortexreel.domain.screenplay import ParsedScene, Screenplay

REPO_ROOT = Path(__file__).resolve().parents[1]
LABELS = REPO_ROOT / "tests" / "corpus" / "real"
REAL_PDFS = (REPO_ROOT / ".." / "shared" / "fixtures" / "real").resolve()

# Page furniture that must never be left in an element: CONTINUED lines, (MORE), bare page or scene numbers.
_FURNITURE_RE = re.compile(r"\bCONTINUED\s*:|\(\s*CONTINUED\s*\)|\(MORE\)|^\s*\*?[A-Z]?\d{1,4}[A-Z]{0,3}\.?\*?\s*$")


def labels() -> list[dict[str, Any]]:
    return [json.loads(path.read_text(encoding="utf-8")) for path in sorted(LABELS.glob("*.json"))]


def heading_key(heading: str) -> str:
    """Headings compared as a reader would: case, spacing, punctuation and a line-break hyphen ignored."""
    return re.sub(r"[^\w]+", "", heading.upper())


def speaker_key(name: str) -> str:
    return re.sub(r"[^\w]+", "", name.upper())


@dataclass
class RealScore:
    """How a parse agrees with the labels of one real PDF."""

    name: str
    scenes: int
    expected_scenes: int
    cues: int
    expected_cues: int
    speakers: int
    expected_speakers: int
    first_ok: bool
    last_ok: bool
    furniture: list[str] = field(default_factory=list)
    missing_speakers: list[str] = field(default_factory=list)
    false_speakers: list[str] = field(default_factory=list)
    spot_failures: list[str] = field(default_factory=list)

    @property
    def scene_error(self) -> float:
        return abs(self.scenes - self.expected_scenes) / max(1, self.expected_scenes)

    @property
    def cue_recall(self) -> float:
        return min(self.cues, self.expected_cues) / max(1, self.expected_cues)

    def problems(self) -> list[str]:
        """Everything that misses the bar: ±2 % scenes, ≥ 95 % cues, first and last heading, no furniture,
        the sampled speakers found and the non-speakers not, the spot-checked scenes right."""
        found: list[str] = []
        if self.scene_error > 0.02:
            found.append(f"scenes {self.scenes} (expected {self.expected_scenes})")
        if abs(self.speakers - self.expected_speakers) > max(2, self.expected_speakers * 0.05):
            found.append(f"speakers {self.speakers} (expected {self.expected_speakers})")
        if self.cue_recall < 0.95 or self.cues > self.expected_cues * 1.05:
            found.append(f"cues {self.cues} (expected {self.expected_cues})")
        if not self.first_ok:
            found.append("first heading")
        if not self.last_ok:
            found.append("last heading")
        if self.furniture:
            found.append(f"furniture {self.furniture[:3]}")
        if self.missing_speakers:
            found.append(f"speakers missing {self.missing_speakers}")
        if self.false_speakers:
            found.append(f"false speakers {self.false_speakers}")
        found.extend(self.spot_failures)
        return found

    def row(self) -> str:
        return (
            f"{self.name:45} scenes {self.scenes:4}/{self.expected_scenes:<4} cues {self.cue_recall:6.1%} "
            f"first {'ok' if self.first_ok else 'NO':2} last {'ok' if self.last_ok else 'NO':2} "
            f"furniture {len(self.furniture):3}  {'PASS' if not self.problems() else 'FAIL'}"
        )


def score(screenplay: Screenplay, label: dict[str, Any]) -> RealScore:
    scenes = [scene for scene in screenplay.scenes if scene.number > 0]
    cues = [e for scene in screenplay.scenes for e in scene.elements if e.type == "character"]
    speakers = {speaker_key(e.character or "") for e in cues}
    furniture = [
        e.text for scene in screenplay.scenes for e in scene.elements
        if e.type != "character" and _FURNITURE_RE.search(e.text)
    ]
    result = RealScore(
        name=label["file"],
        scenes=len(scenes),
        expected_scenes=label["scenes"],
        cues=len(cues),
        expected_cues=label["cues"],
        speakers=len(speakers),
        expected_speakers=label["speakers"],
        first_ok=bool(scenes) and heading_key(scenes[0].heading) == heading_key(label["first_heading"]),
        last_ok=bool(scenes) and heading_key(scenes[-1].heading) == heading_key(label["last_heading"]),
        furniture=furniture,
        missing_speakers=[n for n in label["speaker_sample"] if speaker_key(n) not in speakers],
        false_speakers=[
            n for n in label["not_speakers"]
            if speaker_key(n) in speakers and speaker_key(n) not in {speaker_key(m) for m in label["speaker_sample"]}
        ],
    )
    for check in label["spot_checks"]:
        page = check["pdf_page"]
        matches = [
            scene for scene in scenes
            if heading_key(scene.heading) == heading_key(check["heading"])
            and (scene.pdf_page_start or 0) <= page <= (scene.pdf_page_end or 0)
        ]
        if not matches:
            result.spot_failures.append(f"no scene {check['heading']!r} on PDF page {page}")
            continue
        expected = {speaker_key(n) for n in check["speakers"]}

        def speakers_of(scene: ParsedScene) -> set[str]:
            return {speaker_key(e.character or "") for e in scene.elements if e.type == "character"}

        # The same heading can start several scenes on one page: check the one that fits best.
        scene = min(matches, key=lambda s: (s.pdf_page_start != page, len(speakers_of(s) ^ expected)))
        found = speakers_of(scene)
        if expected != found:
            result.spot_failures.append(
                f"scene {check['heading']!r}: speakers {sorted(found)} (expected {sorted(expected)})"
            )
        if check.get("label") is not None and scene.label != check["label"]:
            result.spot_failures.append(f"scene {check['heading']!r}: number {scene.label} (expected {check['label']})")
        if check.get("printed_page") is not None and scene.printed_page_start != check["printed_page"]:
            result.spot_failures.append(
                f"scene {check['heading']!r}: printed page {scene.printed_page_start} "
                f"(expected {check['printed_page']})"
            )
    return result
