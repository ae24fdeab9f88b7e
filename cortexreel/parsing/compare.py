"""How closely two parses of the same script agree: headings, speakers per scene, dialogue words.

Used by the corpus test and the accuracy benchmark to compare PDF and FDX parses with the Fountain one.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from difflib import SequenceMatcher

from cortexreel.domain.screenplay import ParsedScene, Screenplay
from cortexreel.parsing.headings import parse_heading

_WORD_RE = re.compile(r"[^\W_]+(?:['\u2019][^\W_]+)*")
_JUNK_RE = re.compile(r"\(MORE\)|\bCONTINUED\b|\(CONT['\u2019]D\)\s*$|^\s*\d{1,4}\.?\s*$")


@dataclass(frozen=True)
class Agreement:
    """Scores in [0, 1]; `junk` counts page furniture left in element texts."""

    heading_f1: float
    speaker_f1: float
    word_recall: float
    word_precision: float
    worst_speaker: str
    junk: int
    headings: tuple[int, int]

    def format(self) -> str:
        return (
            f"headings {self.headings[1]}/{self.headings[0]} F1={self.heading_f1:.4f}  "
            f"speakers/scene F1={self.speaker_f1:.4f}  dialogue words: worst speaker "
            f"recall={self.word_recall:.4f} precision={self.word_precision:.4f} ({self.worst_speaker})  "
            f"junk={self.junk}"
        )


def _key(heading: str) -> str:
    return re.sub(r"[^\w/]+", " ", heading.upper()).strip()


def printable_scenes(screenplay: Screenplay) -> list[ParsedScene]:
    """Scenes whose heading can be recognised on the printed page.

    Fountain's forced headings (".SCOTT") print exactly like an action line, so no reader of the PDF can
    see them; their scenes are merged into the previous one before comparing. A forced shot heading
    (".SNIPER SCOPE POV") without a scene number is a shot within the scene, as a script supervisor reads it.
    """
    merged: list[ParsedScene] = []
    for scene in screenplay.scenes:
        parts = parse_heading(scene.heading)
        visible = scene.number == 0 or scene.label is not None or (parts is not None and parts.kind == "scene")
        if visible or not merged:
            merged.append(scene.model_copy(deep=True))
        else:
            merged[-1].elements.extend(scene.elements)
    return merged


def _f1(true_positive: int, predicted: int, expected: int) -> float:
    if predicted == 0 and expected == 0:
        return 1.0
    return 2 * true_positive / (predicted + expected) if predicted + expected else 0.0


def _words_by_speaker(scenes: list[ParsedScene]) -> dict[str, Counter[str]]:
    words: dict[str, Counter[str]] = {}
    for scene in scenes:
        for element in scene.elements:
            if element.type == "dialogue" and element.character:
                counter = words.setdefault(element.character, Counter())
                counter.update(word.lower() for word in _WORD_RE.findall(element.text))
    return words


def junk_count(screenplay: Screenplay) -> int:
    """Elements that still contain CONTINUED, (MORE), a trailing (CONT'D) or a bare page number."""
    return sum(
        1
        for scene in screenplay.scenes
        for element in scene.elements
        if element.type != "character" and _JUNK_RE.search(element.text)
    )


def compare(reference: Screenplay, candidate: Screenplay, *, printable: bool = True) -> Agreement:
    """Agreement of `candidate` with `reference` (scenes aligned by heading order)."""
    ref_scenes = printable_scenes(reference) if printable else list(reference.scenes)
    cand_scenes = printable_scenes(candidate) if printable else list(candidate.scenes)
    ref_keys = [_key(s.heading) for s in ref_scenes if s.number > 0]
    cand_keys = [_key(s.heading) for s in cand_scenes if s.number > 0]
    matcher = SequenceMatcher(None, ref_keys, cand_keys, autojunk=False)
    matched = sum(block.size for block in matcher.get_matching_blocks())
    heading_f1 = _f1(matched, len(cand_keys), len(ref_keys))

    # Speakers per scene over the aligned scene pairs (the prelude scene 0 aligns with scene 0).
    ref_list = [s for s in ref_scenes if s.number > 0]
    cand_list = [s for s in cand_scenes if s.number > 0]
    pairs: list[tuple[ParsedScene | None, ParsedScene | None]] = []
    ref_pre = [s for s in ref_scenes if s.number == 0]
    cand_pre = [s for s in cand_scenes if s.number == 0]
    if ref_pre or cand_pre:
        pairs.append((ref_pre[0] if ref_pre else None, cand_pre[0] if cand_pre else None))
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            pairs.extend(zip(ref_list[i1:i2], cand_list[j1:j2], strict=True))
        else:
            pairs.extend((scene, None) for scene in ref_list[i1:i2])
            pairs.extend((None, scene) for scene in cand_list[j1:j2])
    true_positive = predicted = expected = 0
    for ref_scene, cand_scene in pairs:
        ref_set = set(ref_scene.characters) if ref_scene else set()
        cand_set = set(cand_scene.characters) if cand_scene else set()
        true_positive += len(ref_set & cand_set)
        predicted += len(cand_set)
        expected += len(ref_set)
    speaker_f1 = _f1(true_positive, predicted, expected)

    ref_words = _words_by_speaker(ref_scenes)
    cand_words = _words_by_speaker(cand_scenes)
    worst = ("", 1.0, 1.0)
    for speaker in sorted(set(ref_words) | set(cand_words)):
        expected_words = ref_words.get(speaker, Counter())
        found_words = cand_words.get(speaker, Counter())
        overlap = sum((expected_words & found_words).values())
        recall = overlap / sum(expected_words.values()) if expected_words else 1.0
        precision = overlap / sum(found_words.values()) if found_words else 1.0
        if min(recall, precision) < min(worst[1], worst[2]):
            worst = (speaker, recall, precision)
    return Agreement(
        heading_f1=heading_f1,
        speaker_f1=speaker_f1,
        word_recall=worst[1],
        word_precision=worst[2],
        worst_speaker=worst[0],
        junk=junk_count(candidate),
        headings=(len(ref_keys), len(cand_keys)),
    )
