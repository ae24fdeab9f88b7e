"""Speed of the offline analyser on a generated 200-scene script, against a naive baseline in the same run.

    .venv/bin/python bench/offline_analyser.py [scenes]

The baseline is the obvious approach: one compiled word-boundary regex per lexicon phrase, each searched over
every scene's action text. The analyser's matcher folds words once and looks phrases up by first word.
Prints scenes per second for the element matching alone (baseline vs matcher) and for the whole analyser, on the
generated scenes and on every scene of Big-Fish.pdf (when ../shared/fixtures is there) as the pipeline hands them
over: time of day carried over, the script's speakers known.
"""

from __future__ import annotations

import random
import re
import sys
import time
from pathlib import Path

from cortexreel.analysis.offline import OfflineAnalyzer
from cortexreel.analysis.rules_breakdown import ELEMENT_LEXICONS, MATCHER
from cortexreel.analysis.rules_text import Sentence, split_sentences
from cortexreel.domain.continuity import script_cast, with_times_carried_over
from cortexreel.domain.scenes import PageSpan, Scene, scene_from_parse
from cortexreel.domain.screenplay import Element
from cortexreel.parsing import parse_screenplay

ACTIONS = [
    "EDWARD BLOOM (60s) enters, shaking rain from his umbrella. The diner is half empty.",
    "Patrons turn to stare as a waiter drops a tray of glasses. Somewhere a phone rings.",
    "Will grabs the revolver from the drawer and checks the chamber. His hands are shaking.",
    "A police car screeches to a halt. Sirens wail. Two officers jump out, guns drawn.",
    "Sunlight through the curtains. Jenny smiles, holding the letter to her chest.",
    "They fight. Edward falls against the table, blood on his shirt. Smoke fills the room.",
    "CLOSE ON the wedding ring in his palm. The camera pushes in slowly.",
    "A dog barks in the distance. Fog rolls across the lake as the boat drifts.",
    "The crowd cheers as fireworks explode over the river. Music plays on a radio.",
    "She lights a candle and sits by the fireplace, reading an old newspaper.",
]
LINES = [
    "I told you never to come back here!",
    "Dad, please. Just listen to me for once.",
    "We'll be together again someday, I promise.",
    "Where's the money? Where is it--",
    "I'm scared. I don't want to die.",
    "Thank you. I love you.",
]
SETTINGS = [("INT", "DINER", "NIGHT"), ("EXT", "RIVER", "DAY"), ("INT", "HOUSE - KITCHEN", "DAY"),
            ("EXT", "HIGHWAY", "NIGHT"), ("INT/EXT", "CAR", "MOVING")]
SPEAKERS = ["EDWARD", "WILL", "JENNY", "SANDRA", "KARL"]


def generate(count: int, seed: int = 7) -> list[Scene]:
    rng = random.Random(seed)
    scenes: list[Scene] = []
    for number in range(1, count + 1):
        setting, location, time_of_day = rng.choice(SETTINGS)
        elements: list[Element] = []
        for _ in range(rng.randint(2, 5)):
            elements.append(Element(type="action", text=" ".join(rng.sample(ACTIONS, 2))))
            for _ in range(rng.randint(1, 4)):
                speaker = rng.choice(SPEAKERS)
                elements.append(Element(type="character", text=speaker, character=speaker))
                elements.append(Element(type="dialogue", text=rng.choice(LINES), character=speaker))
        heading = f"{setting}. {location} - {time_of_day}"
        scenes.append(Scene(id=f"bench-{number:04d}", script_id="bench", number=number, heading=heading,
                            setting=setting, location=location, time_of_day=time_of_day,
                            pages=PageSpan(eighths=rng.randint(1, 24)), elements=elements))
    return scenes


def naive_patterns() -> list[tuple[str, str, re.Pattern[str]]]:
    patterns = []
    for category, table in ELEMENT_LEXICONS.items():
        for name, phrases in table.items():
            for phrase in (name, *phrases):
                words = r"\s+".join(re.escape(word) for word in phrase.split())
                patterns.append((category, name, re.compile(rf"\b{words}(?:s|es)?\b", re.IGNORECASE)))
    return patterns


def action_text(scene: Scene) -> str:
    return "\n".join(element.text for element in scene.elements if element.type == "action")


def run_naive(scenes: list[Scene], patterns: list[tuple[str, str, re.Pattern[str]]]) -> int:
    found = 0
    for scene in scenes:
        text = action_text(scene)
        found += sum(1 for _, _, pattern in patterns if pattern.search(text))
    return found


def run_matcher(scenes: list[Scene]) -> int:
    found = 0
    for scene in scenes:
        sentences = [Sentence.of(piece, "action") for piece in split_sentences(action_text(scene))]
        found += len({(hit.category, hit.name) for hit in MATCHER.find(sentences)})
    return found


def real_script(analyzer: OfflineAnalyzer) -> None:
    """The analyser on every scene of a real script, as the pipeline hands them over (time carried over, the
    script's speakers known), when ../shared/fixtures is beside the repository."""
    path = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures" / "screenplays" / "Big-Fish.pdf"
    if not path.exists():
        print(f"(no {path.name} beside the repository: real-script rate skipped)")
        return
    parsed = [scene_from_parse("big-fish", scene) for scene in parse_screenplay(path.read_bytes(), path.name).scenes]
    scenes = with_times_carried_over(parsed)
    start = time.perf_counter()
    analyzer.analyze_many(scenes, script_cast(parsed))
    rate(f"whole offline analyser, {path.name}", len(scenes), time.perf_counter() - start)


def rate(label: str, count: int, seconds: float) -> float:
    per_second = count / seconds
    print(f"{label:<42} {per_second:10.0f} scenes/s  ({seconds * 1000:7.1f} ms for {count} scenes)")
    return per_second


def main() -> None:
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 200
    scenes = generate(count)
    patterns = naive_patterns()
    analyzer = OfflineAnalyzer()
    analyzer.analyze(scenes[0])  # load the VADER lexicon outside the timing
    print(f"{count} generated scenes, {len(patterns)} lexicon phrases, one core")

    start = time.perf_counter()
    run_naive(scenes, patterns)
    naive = rate("baseline: one regex per phrase", count, time.perf_counter() - start)

    start = time.perf_counter()
    run_matcher(scenes)
    matcher = rate("compiled phrase matcher", count, time.perf_counter() - start)

    start = time.perf_counter()
    analyzer.analyze_many(scenes, SPEAKERS)
    full = rate("whole offline analyser (all sections)", count, time.perf_counter() - start)
    real_script(analyzer)

    print(f"matcher vs baseline: {matcher / naive:.1f}x faster; analyser target 200 scenes/s: "
          f"{'met' if full >= 200 else 'NOT met'}")


if __name__ == "__main__":
    main()
