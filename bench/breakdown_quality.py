"""How far a line producer can trust the analyser: its breakdowns scored against scenes broken down by hand.

    .venv/bin/python bench/breakdown_quality.py [--baseline REF | --no-baseline] [--llm] [--misses CATEGORY]

The labels are tests/corpus/breakdowns (scenes of the scripts in ../shared/fixtures; see its README). Prints, for
the tuning and the held-out part: per-category precision, recall and F1 with one-to-one item matching (the same
matching for every category, tests/breakdown_corpus.py), macro-F1, risk level exact and within one level, the
dominant emotion's accuracy, the six emotions' mean absolute error (0–10) and the time of day's accuracy. Then the
Big-Fish.pdf script cast: how many names, and which of them are camera directions, sounds or objects.

Beside the current analyser, in the same run: a naive keyword baseline (every lexicon phrase found anywhere in the
scene's text, speakers as the cast, a hazard for each kind of element found) and the offline analyser as it was
at REF (default: the commit before the fidelity work), taken from git and run in a child process on the same
parsed scenes. `--llm` scores the LLM analyser too, as configured by the CORTEXREEL_LLM_* settings (see README).
`--misses CATEGORY` lists the tuning part's misses of one category (never the held-out part's: those scenes are
not read while rules change).
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import tarfile
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from cortexreel.analysis import lexicon  # noqa: E402
from cortexreel.analysis.offline import OfflineAnalyzer  # noqa: E402
from cortexreel.domain.continuity import script_cast, with_times_carried_over  # noqa: E402
from cortexreel.domain.rollups import build_rollups  # noqa: E402
from cortexreel.domain.scenes import Scene, scene_from_parse  # noqa: E402
from cortexreel.parsing import parse_screenplay  # noqa: E402
from tests.breakdown_corpus import (  # noqa: E402
    BIG_FISH,
    BIG_FISH_NOT_CAST,
    ITEM_CATEGORIES,
    SHARED_FIXTURES,
    LabelledScene,
    Score,
    corpus_available,
    load_corpus,
    score,
)

BASELINE_REF = "5664194"  # main before the fidelity work: the analyser issue 13 measured

# Analyses the scenes given as JSON on stdin with whichever `cortexreel` is first on sys.path.
_CHILD = """
import json, sys
from cortexreel.analysis.offline import OfflineAnalyzer
from cortexreel.domain.scenes import Scene
scenes = [Scene.model_validate(item) for item in json.load(sys.stdin)]
json.dump([OfflineAnalyzer().analyze(scene).model_dump(mode="json") for scene in scenes], sys.stdout)
"""


def analyse_at(ref: str, scenes: Sequence[Scene]) -> list[dict[str, Any]]:
    """The offline analyser of git revision `ref`, run in a child process on `scenes`."""
    with tempfile.TemporaryDirectory(prefix="cortexreel-baseline-") as folder:
        archive = subprocess.run(
            ["git", "-C", str(REPO), "archive", ref, "cortexreel"], capture_output=True, check=True
        ).stdout
        archive_path = Path(folder) / "cortexreel.tar"
        archive_path.write_bytes(archive)
        with tarfile.open(archive_path) as tar:
            tar.extractall(folder, filter="data")
        payload = json.dumps([scene.model_dump(mode="json") for scene in scenes])
        code = f"import sys; sys.path.insert(0, {folder!r})\n" + _CHILD
        result = subprocess.run([sys.executable, "-c", code], input=payload, capture_output=True, text=True, check=True)
        analyses: list[dict[str, Any]] = json.loads(result.stdout)
        return analyses


def analyse_now(scenes: Sequence[Scene], cast: Sequence[frozenset[str]]) -> list[dict[str, Any]]:
    """The current offline analyser on each scene with its script's cast, as the pipeline runs it."""
    analyzer = OfflineAnalyzer()
    return [analyzer.analyze(scene, known).model_dump(mode="json") for scene, known in zip(scenes, cast, strict=True)]


def analyse_llm(scenes: Sequence[Scene], cast: Sequence[frozenset[str]]) -> list[dict[str, Any]]:
    from cortexreel.analysis.llm import LlmAnalyzer
    from cortexreel.config import Settings

    settings = Settings()
    if settings.llm_provider != "openai":
        raise SystemExit("--llm needs CORTEXREEL_LLM_PROVIDER=openai and a model (see README)")
    analyzer = LlmAnalyzer(settings, cache=None)
    return [
        analyzer.analyze(scene, known).analysis.model_dump(mode="json")
        for scene, known in zip(scenes, cast, strict=True)
    ]


_KEYWORD_CATEGORIES: dict[str, lexicon.Lexicon] = {
    "extras": lexicon.EXTRAS,
    "props": lexicon.PROPS,
    "vehicles": lexicon.VEHICLES,
    "weapons": lexicon.WEAPONS,
    "animals": lexicon.ANIMALS,
    "sfx": lexicon.SFX,
    "vfx": lexicon.VFX,
    "sound_cues": lexicon.SOUNDS,
    "music_cues": lexicon.MUSIC,
    "stunts": lexicon.STUNTS,
    "wardrobe": lexicon.WARDROBE,
    "makeup": lexicon.MAKEUP,
    "water": lexicon.WATER_WORDS,
    "heights": lexicon.HEIGHT_WORDS,
    "intimacy": lexicon.INTIMACY_WORDS,
    "minors": lexicon.MINOR_WORDS,
}
_KEYWORD_HAZARDS = {"weapons": "weapons", "vehicles": "vehicles", "animals": "animals", "stunts": "stunts",
                    "water": "water", "heights": "heights", "intimacy": "intimacy", "minors": "minors",
                    "extras": "crowd"}
_KEYWORD_HIGH = frozenset({"weapons", "stunts", "fire", "heights"})


def _keyword_patterns() -> dict[str, list[tuple[str, re.Pattern[str]]]]:
    return {
        category: [
            (name, re.compile(r"\b(?:" + "|".join(re.escape(phrase) for phrase in (name, *phrases)) + r")s?\b"))
            for name, phrases in table.items()
        ]
        for category, table in _KEYWORD_CATEGORIES.items()
    }


_PATTERNS = _keyword_patterns()


def analyse_keywords(scene: Scene) -> dict[str, Any]:
    """The naive baseline: every lexicon phrase anywhere in the scene's text, no sense, negation or context."""
    text = scene.text.lower()
    found = {category: [name for name, pattern in patterns if pattern.search(text)]
             for category, patterns in _PATTERNS.items()}
    hazards = [hazard for category, hazard in _KEYWORD_HAZARDS.items() if found[category]]
    if "fire" in found["sfx"] or "campfire" in found["sfx"]:
        hazards.append("fire")
    if scene.setting == "EXT" and "night" in (scene.time_of_day or "").lower():
        hazards.append("night exterior")
    risk = "HIGH" if _KEYWORD_HIGH & set(hazards) else "MEDIUM" if hazards else "LOW"
    emotions = {
        emotion: min(10.0, 2.0 * sum(len(re.findall(r"\b" + re.escape(word) + r"\b", text)) for word in words))
        for emotion, words in lexicon.EMOTION_WORDS.items()
    }
    breakdown: dict[str, Any] = {category: names for category, names in found.items() if category in (
        "extras", "vehicles", "weapons", "animals", "sfx", "vfx", "sound_cues", "music_cues", "stunts", "wardrobe",
        "makeup")}
    breakdown["props"] = [{"name": name} for name in found["props"]]
    breakdown["cast"] = list(scene.characters)
    return {
        "breakdown": breakdown,
        "safety": {"risk_level": risk, "hazards": [{"category": hazard} for hazard in hazards]},
        "narrative": {"emotions": emotions},
        "location": {"time_of_day": scene.time_of_day},
    }


def print_scores(columns: dict[str, dict[str, Score]]) -> None:
    """One table per part (tuning, held-out), one column group per analyser."""
    for part in ("tuning", "held-out"):
        first = next(iter(columns.values()))[part]
        print(f"\n{part}: {first.scenes} scenes")
        header = f"{'category':<16}" + "".join(f" | {name[:20]:^20}" for name in columns)
        print(header)
        print(f"{'':<16}" + "".join(f" | {'P':>6}{'R':>7}{'F1':>7}" for _ in columns))
        for category in ITEM_CATEGORIES:
            row = f"{category:<16}"
            for scores in columns.values():
                tally = scores[part].tallies[category]
                row += f" | {tally.precision:6.2f}{tally.recall:7.2f}{tally.f1:7.2f}"
            expected = first.tallies[category].expected
            print(row + f"   ({expected} labelled)")
        summaries = [scores[part].summary() for scores in columns.values()]
        for label in summaries[0]:
            print(f"{label:<16}" + "".join(f" | {summary[label]:20.2f}" for summary in summaries))


def big_fish_cast(analyses: Sequence[dict[str, Any]], scenes: Sequence[Scene]) -> list[str]:
    from cortexreel.domain.analysis import SceneAnalysis

    analysed = [
        scene.model_copy(update={"analysis": SceneAnalysis.model_validate(analysis)})
        for scene, analysis in zip(scenes, analyses, strict=True)
    ]
    return [entry.name for entry in build_rollups(analysed).cast]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--baseline", default=BASELINE_REF, help="git revision of the baseline analyser")
    parser.add_argument("--no-baseline", action="store_true", help="score the current analyser only")
    parser.add_argument("--llm", action="store_true", help="also score the configured LLM analyser")
    parser.add_argument("--misses", metavar="CATEGORY", help="list the tuning part's misses of a category")
    args = parser.parse_args()
    if not corpus_available():
        print(f"skipped: the labelled scripts are not in {SHARED_FIXTURES}")
        return
    items, lost = load_corpus()
    for name in lost:
        print(f"label not found in the parse: {name}")
    scenes = [item.scene for item in items]
    # The pipeline hands the analysers each scene with its time of day carried over (domain/continuity.py); the
    # analyser of REF ran before that and the keyword baseline reads the parse alone.
    in_context = [item.in_context for item in items]
    casts = [item.script_cast for item in items]
    runs: dict[str, list[dict[str, Any]]] = {"keywords": [analyse_keywords(scene) for scene in scenes]}
    speeds: dict[str, float] = {}
    if not args.no_baseline:
        start = time.perf_counter()
        runs[f"baseline {args.baseline}"] = analyse_at(args.baseline, scenes)
        speeds[f"baseline {args.baseline}"] = time.perf_counter() - start
    start = time.perf_counter()
    runs["now"] = analyse_now(in_context, casts)
    speeds["now"] = time.perf_counter() - start
    if args.llm:
        runs["llm"] = analyse_llm(in_context, casts)
    print(f"{len(items)} labelled scenes of {len({item.script for item in items})} scripts")
    columns = {name: split_scores(items, analyses) for name, analyses in runs.items()}
    print_scores(columns)
    print(
        "\nwall time for the labelled scenes (child process start and imports included for the baseline): "
        + ", ".join(f"{name} {seconds:.2f} s" for name, seconds in speeds.items())
    )
    if args.misses:
        misses = columns["now"]["tuning"].misses.get(args.misses, [])
        print(f"\ntuning misses for {args.misses} ({len(misses)}):")
        for line in misses:
            print("  " + line)
    if BIG_FISH.exists():
        screenplay = parse_screenplay(BIG_FISH.read_bytes(), BIG_FISH.name)
        fish = [scene_from_parse("big-fish", parsed) for parsed in screenplay.scenes]
        known = [script_cast(fish)] * len(fish)
        fish_casts = {"now": big_fish_cast(analyse_now(with_times_carried_over(fish), known), fish)}
        if not args.no_baseline:
            fish_casts[f"baseline {args.baseline}"] = big_fish_cast(analyse_at(args.baseline, fish), fish)
        print("\nBig-Fish.pdf script cast:")
        for name, cast in fish_casts.items():
            junk = [entry for entry in cast if entry in BIG_FISH_NOT_CAST]
            print(f"  {name}: {len(cast)} names; camera/sound/object names: {len(junk)} {junk}")


def split_scores(items: Sequence[LabelledScene], analyses: Sequence[dict[str, Any]]) -> dict[str, Score]:
    return {
        part: score(
            [item for item in items if item.split == part],
            [analysis for item, analysis in zip(items, analyses, strict=True) if item.split == part],
        )
        for part in ("tuning", "held-out")
    }


if __name__ == "__main__":
    main()
